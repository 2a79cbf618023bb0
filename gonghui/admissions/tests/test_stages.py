"""The school stage by the 31 August cut-off (DOMAIN §4.6): both sides of 31 August, births on
29 February, nursery at 2.5 or 3 years as the year's rules say; and the request refused for
a child whose stage does not match the school, the message naming the stage and the year."""

import datetime

import pytest

from gonghui.admissions.choices import SchoolKind, Stage
from gonghui.admissions.models import AdmissionRequest
from gonghui.admissions.services.campaigns import campaign_create, campaign_open_requests
from gonghui.admissions.services.requests import request_create
from gonghui.admissions.stages import StageAges, age_months, entry_year, kind_check, stages_in, upcoming
from gonghui.admissions.tests.conftest import counts, rules_for
from gonghui.core.exceptions import ApplicationError
from gonghui.people.models import Child

d = datetime.date
AGES = StageAges()  # nursery 30, kindergarten 36, primary 72, secondary 144 months
THREE_YEARS = StageAges(nursery=36)


@pytest.mark.parametrize(
    ("born", "kind", "year"),
    [
        (d(2016, 8, 31), SchoolKind.PRIMARY, 2022),  # six on the day of the cut-off
        (d(2016, 9, 1), SchoolKind.PRIMARY, 2023),  # one day short: the year after
        (d(2015, 9, 1), SchoolKind.PRIMARY, 2022),
        (d(2009, 8, 31), SchoolKind.SECONDARY, 2021),
        (d(2009, 9, 1), SchoolKind.SECONDARY, 2022),
        (d(2018, 8, 31), SchoolKind.KINDERGARTEN, 2021),
        (d(2018, 9, 1), SchoolKind.KINDERGARTEN, 2022),
        (d(2019, 2, 28), SchoolKind.NURSERY, 2021),  # 2.5 years on 31 August 2021
        (d(2019, 3, 1), SchoolKind.NURSERY, 2022),  # 2 years 5 months 30 days: not yet
    ],
)
def test_entry_year_on_both_sides_of_31_august(born, kind, year):
    assert entry_year(born, AGES.for_kind(kind)) == year
    assert kind_check(born, kind, year, AGES).admissible
    assert not kind_check(born, kind, year - 1, AGES).admissible


def test_leap_day_births():
    born = d(2016, 2, 29)
    # calendar months: on 31 August 2018 the child is 2 years 6 months old
    assert age_months(born, d(2018, 8, 31)) == 30
    assert age_months(born, d(2019, 2, 28)) == 36  # a year older on 28 February
    assert entry_year(born, 30) == 2018  # nursery at 2.5 years
    assert entry_year(born, 36) == 2019  # kindergarten (and nursery at 3) a year later
    assert entry_year(born, 72) == 2022
    assert entry_year(born, 144) == 2028
    assert upcoming(born, 2018, AGES) == [(Stage.NURSERY, 2018), (Stage.PRIMARY, 2022), (Stage.JUNIOR, 2028)]
    # born the day after the leap day: a year later for nursery at 2.5 years
    assert entry_year(d(2016, 3, 1), 30) == 2019
    # a leap-day birth in a year whose 31 August is the cut-off
    assert entry_year(d(2020, 2, 29), 30) == 2022
    assert entry_year(d(2020, 2, 29), 72) == 2026


def test_nursery_at_two_and_a_half_or_three_years_as_the_rules_say():
    born = d(2018, 12, 20)
    # 2 years 8 months on 31 August 2021
    assert kind_check(born, SchoolKind.NURSERY, 2021, AGES).admissible
    assert not kind_check(born, SchoolKind.NURSERY, 2021, THREE_YEARS).admissible
    assert kind_check(born, SchoolKind.NURSERY, 2021, THREE_YEARS).entry_year == 2022
    assert stages_in(born, 2021, AGES) == [Stage.NURSERY]
    assert stages_in(born, 2021, THREE_YEARS) == []
    # a nursery keeps taking the child until the kindergarten year
    assert kind_check(born, SchoolKind.NURSERY, 2022, AGES).admissible
    assert not kind_check(born, SchoolKind.NURSERY, 2023, AGES).admissible


def test_stages_in_a_year():
    assert stages_in(d(2015, 6, 10), 2021, AGES) == [Stage.PRIMARY]
    assert stages_in(d(2009, 5, 1), 2021, AGES) == [Stage.JUNIOR]
    assert stages_in(d(2012, 5, 1), 2021, AGES) == []
    check = kind_check(d(2016, 9, 1), SchoolKind.PRIMARY, 2022, AGES)
    assert (check.admissible, check.entry_year, check.stage) == (False, 2023, None)


# --- the request refused ------------------------------------------------------------------------


@pytest.fixture
def y2022(w):
    """The 2022 campaign taking requests (2022 rules adopted)."""
    rules = rules_for(w.office, 2022)
    campaign = campaign_create(actor=w.admissions, year=2022, rules=rules)
    campaign_open_requests(actor=w.admissions, campaign=campaign)
    w.campaign = campaign
    return w


def _child(w, name, born):
    return Child.objects.create(parent=w.u.zhang, name=name, gender="M", birth_date=born)


def _apply(w, child, school="fx"):
    return request_create(
        actor=w.parent,
        campaign=w.campaign,
        child=child,
        school=w.schools[school],
        hukou_district="海淀区",
        housing="owned",
    )


def test_born_on_31_august_2016_is_put_forward_for_primary_in_2022(y2022):
    w = y2022
    request = _apply(w, _child(w, "张八月", d(2016, 8, 31)))
    assert (request.number, request.stage) == ("2022-0001", Stage.PRIMARY)


def test_born_on_1_september_2016_is_refused_naming_the_stage_and_year(y2022):
    w = y2022
    child = _child(w, "张九月", d(2016, 9, 1))
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        _apply(w, child)
    assert refused.value.message == (
        "张*月（2016-09-01 出生）按 8 月 31 日计算，应于 2023 年幼升小，不能申请 2022 年入附属小学（小学）。"
        "2022 年该子女不到入学、入托的年份。"
    )
    assert counts() == before
    assert not AdmissionRequest.objects.filter(child=child).exists()


def test_a_child_at_another_stage_is_told_which(w):
    from gonghui.admissions.services.campaigns import campaign_open_requests as open_

    open_(actor=w.admissions, campaign=w.campaign)
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        # 张小明 (born 2015-06-10) enters primary in 2021: not the junior school
        _apply(w, w.kids["xiaoming"], school="fz")
    assert refused.value.message == (
        "张*明（2015-06-10 出生）按 8 月 31 日计算，应于 2027 年小升初，不能申请 2021 年入附属中学（中学）。"
        "2021 年该子女的学段为幼升小。"
    )
    with pytest.raises(ApplicationError) as refused:
        # 王小军 (born 2009-05-01) is for the junior school, not the kindergarten
        request_create(
            actor=w.users["wang"],
            campaign=w.campaign,
            child=w.kids["xiaojun"],
            school=w.schools["gj"],
            hukou_district="海淀区",
            housing="owned",
        )
    assert "2021 年该子女的学段为小升初" in refused.value.message
    assert counts() == before


def test_leap_day_child_and_nursery_age_in_a_request(w):
    """Rules with nursery at 3 years refuse the nursery to a child of 2 years 8 months; the
    2.5-year rules of the fixture take them."""
    from gonghui.admissions.services.campaigns import campaign_open_requests as open_

    open_(actor=w.admissions, campaign=w.campaign)
    child = _child(w, "张二八", d(2019, 2, 28))
    request = _apply(w, child, school="tr")  # 30 months on 31 August 2021
    assert request.stage == Stage.NURSERY

    rules = rules_for(w.office, 2023, nursery_months=36)
    campaign = campaign_create(actor=w.admissions, year=2023, rules=rules)
    open_(actor=w.admissions, campaign=campaign)
    w.campaign = campaign
    child = _child(w, "张二月", d(2020, 2, 29))  # 3 years on 28 February 2023, 3y6m on 31 August 2023
    assert _apply(w, child, school="tr").number == "2023-0001"
    younger = _child(w, "张三月", d(2020, 12, 1))  # 2 years 9 months on 31 August 2023
    with pytest.raises(ApplicationError) as refused:
        _apply(w, younger, school="tr")
    assert "应于 2024 年入托入园" in refused.value.message

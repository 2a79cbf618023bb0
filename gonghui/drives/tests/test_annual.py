"""The drives' section of the annual report (annual.py), on drives run through the services:

- 2021 北京普惠健康保 (cover from 2021-10-01): zhang (active) answers yes with one relative, li
  (active, econ) and a retiree yes, zhao (retired) undecided; registered: zhang and his spouse,
  li, zhao, two retirees; the provider enrols zhang, the spouse, li and zhao and rejects one
  retiree, the other's registration is withdrawn;
- a 2021 health check (cover from 2021-12-01) with wang (active) enrolled;
- the 2022 drive (cover from 2022-10-01) with zhang registered, not yet on a roster.

2021 sums both of its drives; 2022 has its drive and nobody enrolled; 2020 has none."""

import datetime
from decimal import Decimal

import pytest

from gonghui.accounts.system import system_actor
from gonghui.core.editions import edition_adopt
from gonghui.core.registry import annual_figure, annual_section, annual_sections_for
from gonghui.drives.annual import drives_annual_section
from gonghui.drives.choices import DrivePhase, Intent, RegistrationChannel
from gonghui.drives.services.drives import drive_advance, drive_create
from gonghui.drives.services.registrations import registration_create, registration_withdraw
from gonghui.drives.services.results import result_import
from gonghui.drives.services.roster import roster_export_create
from gonghui.drives.services.survey import intent_answer_record
from gonghui.drives.tests.factories import relative_data, result_file
from gonghui.people.choices import EmploymentStatus
from gonghui.people.tests.factories import person_make

pytestmark = pytest.mark.django_db

GROUP = RegistrationChannel.GROUP


def _drive(office, name: str, policy_start: datetime.date):
    drive = drive_create(
        actor=office,
        name=name,
        product=name.split(" ", 1)[1],
        provider="人保财险",
        price_per_person=Decimal("195.00"),
        policy_start=policy_start,
        eligible_statuses=["active", "retired"],
        relatives_allowed=True,
        relative_relationships=["spouse", "child"],
        registration_from=policy_start - datetime.timedelta(days=30),
        registration_until=policy_start - datetime.timedelta(days=10),
    )
    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.SURVEY)
    return drive


def _open(office, drive, adopted_on: datetime.date) -> None:
    edition_adopt(actor=office, edition=drive.rules, adopted_on=adopted_on, resolution="常委会决议")
    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.REGISTRATION)


def _results(office, drive, lines) -> None:
    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.ROSTER)
    roster_export_create(drive=drive, actor=office)
    rows = [
        (r.name, r.id_number_clear(), outcome, "" if outcome == "未通过" else f"P{n}", reason)
        for n, (r, outcome, reason) in enumerate(lines, start=1)
    ]
    result_import(drive=drive, actor=office, file_name="结果.xlsx", content=result_file(rows))


@pytest.fixture
def drives(university):
    u = university
    office = u.users["union_office"]
    retirees = [
        person_make(
            name=f"退{i}",
            sub_union=u.retirees,
            employment_status=EmploymentStatus.RETIRED,
            birth_date=datetime.date(1955, 1, 1 + i),
        )
        for i in range(2)
    ]
    # 2021 北京普惠健康保
    main = _drive(office, "2021 北京普惠健康保", datetime.date(2021, 10, 1))
    on = datetime.date(2021, 8, 5)
    intent_answer_record(drive=main, person=u.zhang, actor=office, intent=Intent.YES, relatives_count=1, on=on)
    intent_answer_record(drive=main, person=u.li, actor=office, intent=Intent.YES, on=on)
    intent_answer_record(drive=main, person=retirees[0], actor=office, intent=Intent.YES, on=on)
    intent_answer_record(drive=main, person=u.zhao, actor=office, intent=Intent.UNDECIDED, on=on)
    _open(office, main, datetime.date(2021, 8, 20))
    on = datetime.date(2021, 9, 10)

    def register(drive, person, **relative):
        return registration_create(
            drive=drive, person=person, actor=office, channel=GROUP, consent=True, on=on, **relative
        )

    zhang, spouse = register(main, u.zhang), register(main, u.zhang, **relative_data())
    li, zhao = register(main, u.li), register(main, u.zhao)
    ret0, ret1 = register(main, retirees[0]), register(main, retirees[1])
    registration_withdraw(registration=ret1, actor=office)
    _results(
        office,
        main,
        [
            (zhang, "参保成功", ""),
            (spouse, "参保成功", ""),
            (li, "已缴费", ""),
            (zhao, "参保成功", ""),
            (ret0, "未通过", "证件信息有误"),
        ],
    )
    # a 2021 health check: wang
    check = _drive(office, "2021 健康体检团购", datetime.date(2021, 12, 1))
    intent_answer_record(drive=check, person=u.wang, actor=office, intent=Intent.YES, on=datetime.date(2021, 10, 8))
    _open(office, check, datetime.date(2021, 10, 10))
    on = datetime.date(2021, 11, 1)
    _results(office, check, [(register(check, u.wang), "参保成功", "")])
    # 2022: zhang registered, nothing sent yet
    later = _drive(office, "2022 北京普惠健康保", datetime.date(2022, 10, 1))
    _open(office, later, datetime.date(2022, 8, 20))
    on = datetime.date(2022, 9, 10)
    register(later, u.zhang)
    return u


def _values(section) -> dict:
    return {figure.key: figure.value for figure in section.figures}


def test_the_year_sums_its_drives(drives):
    section = drives_annual_section(system_actor(), 2021)
    assert section.title == "参保活动"
    # enrolled: zhang, li (active), zhao (retired), the spouse; wang (active) in the health check
    assert _values(section) == {
        "drives.drive_count": 2,
        "drives.intent_yes": 4,
        "drives.enrolled_active": 3,
        "drives.enrolled_retired": 1,
        "drives.enrolled_relatives": 1,
        "drives.enrolled_total": 5,
    }
    assert [(f.label, f.unit, f.money) for f in section.figures] == [
        ("参保活动", "项", False),
        ("意向参加", "人", False),
        ("在职教职工参保", "人", False),
        ("离退休人员参保", "人", False),
        ("家属参保", "人", False),
        ("参保合计", "人", False),
    ]
    pie, bars = section.charts
    assert (pie.kind, pie.labels, pie.series[0][1]) == ("pie", ("在职", "离退休", "家属"), (3, 1, 1))
    assert (bars.labels, bars.series[0][1]) == (("意向参加", "参保职工"), (4, 4))


def test_a_year_with_a_drive_and_nobody_enrolled_yet(drives):
    assert _values(drives_annual_section(system_actor(), 2022)) == {
        "drives.drive_count": 1,
        "drives.intent_yes": 0,
        "drives.enrolled_active": 0,
        "drives.enrolled_retired": 0,
        "drives.enrolled_relatives": 0,
        "drives.enrolled_total": 0,
    }


def test_a_year_with_no_drive_has_no_section(drives):
    assert drives_annual_section(system_actor(), 2020) is None
    assert annual_section(system_actor(), "drives", 2020) is None
    assert annual_figure(system_actor(), "drives.enrolled_total", 2020) is None


def test_registered_with_the_annual_report(drives):
    actor = system_actor()
    assert annual_figure(actor, "drives.enrolled_active", 2021).value == 3
    assert annual_figure(actor, "drives.enrolled_retired", 2021).value == 1
    section = annual_section(actor, "drives", 2021)
    assert (section.key, section.order) == ("drives", 50)
    assert "drives" in [s.key for s in annual_sections_for(actor, 2021)]
    assert "drives" not in [s.key for s in annual_sections_for(actor, 2020)]

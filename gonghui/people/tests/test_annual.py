"""People's section of the annual report: the members on the roster on 31 December of the year,
active and retired as they were that day, and the sub-unions."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.accounts.system import system_actor
from gonghui.core.registry import annual_figure, annual_section
from gonghui.people.annual import people_annual_section
from gonghui.people.choices import EmploymentStatus, MembershipStatus, SubUnionKind
from gonghui.people.services import (
    membership_confirm,
    membership_end,
    membership_join,
    membership_transfer,
    person_status_change,
)
from gonghui.people.sub_union_services import sub_union_create, sub_union_merge
from gonghui.people.tests.factories import person_make

BEIJING = ZoneInfo("Asia/Shanghai")
D = datetime.date


def _at(*parts):
    return time_machine.travel(datetime.datetime(*parts, tzinfo=BEIJING), tick=False)


def _figures(year: int) -> dict:
    section = people_annual_section(system_actor(), year)
    assert section is not None
    return {figure.key: figure.value for figure in section.figures}


@pytest.fixture
def roster(university):
    """The university (four active members and a retired one since 2010, in econ, its group,
    law and the retirees' sub-union) and, through the services, a member who retires in 2022,
    one who retires in 2022 and dies in January 2023, one who leaves in July 2021, one who
    transfers in May 2021, a retired member who dies in 2022, one who joins in 2022, an
    application confirmed in January 2022, one still waiting and one lapsed without ever being
    confirmed, and a sub-union set up for a member and merged into law in June 2022."""
    u = university
    office = u.users["union_office"]
    retiring = person_make(staff_no="E0201", name="孙立", sub_union=u.econ)
    person_status_change(
        actor=office, person=retiring, status=EmploymentStatus.RETIRED, on=D(2022, 3, 1), reason="到龄退休"
    )
    late = person_make(staff_no="E0203", name="尤远", sub_union=u.econ)
    person_status_change(actor=office, person=late, status=EmploymentStatus.RETIRED, on=D(2022, 3, 1), reason="退休")
    person_status_change(actor=office, person=late, status=EmploymentStatus.DECEASED, on=D(2023, 1, 10), reason="病故")
    leaving = person_make(staff_no="L0201", name="冯杰", sub_union=u.law)
    person_status_change(actor=office, person=leaving, status=EmploymentStatus.LEFT, on=D(2021, 7, 1), reason="调离")
    moving = person_make(staff_no="E0202", name="郑红", sub_union=u.econ)
    membership_transfer(actor=office, person=moving, to_sub_union=u.law, on=D(2021, 5, 1), reason="调动")
    dying = person_make(staff_no="R0201", name="钱老", sub_union=u.retirees, employment_status=EmploymentStatus.RETIRED)
    person_status_change(actor=office, person=dying, status=EmploymentStatus.DECEASED, on=D(2022, 5, 1), reason="病故")
    joining = person_make(staff_no="L0202", name="褚新", sub_union=u.law, member=False)
    membership_join(actor=office, person=joining, joined_on=D(2022, 9, 1))
    confirmed_late = person_make(staff_no="L0203", name="卫明", sub_union=u.law, member=False)
    application = membership_join(actor=office, person=confirmed_late, joined_on=D(2021, 10, 1), confirmed=False)
    with _at(2022, 1, 10, 9):
        membership_confirm(actor=office, membership=application)
    waiting = person_make(staff_no="L0204", name="蒋勤", sub_union=u.law, member=False)
    membership_join(actor=office, person=waiting, joined_on=D(2021, 11, 1), confirmed=False)
    lapsed = person_make(staff_no="L0205", name="沈静", sub_union=u.law, member=False)
    never = membership_join(actor=office, person=lapsed, joined_on=D(2021, 3, 1), confirmed=False)
    membership_end(
        actor=office, membership=never, on=D(2022, 2, 1), reason="未完成入会手续", status=MembershipStatus.LAPSED
    )
    centre = sub_union_create(actor=office, name="国际交流中心分工会", kind=SubUnionKind.OFFICE)
    person_make(staff_no="C0001", name="韩梅", sub_union=centre)
    with _at(2022, 6, 1, 9):
        sub_union_merge(actor=office, source=centre, target=u.law)
    return u


def test_members_on_31_december_as_they_were_then(roster):
    # 2021: the university's five (zhao retired), the two retiring in 2022 (still active), the
    # one who moved (counted once), the retired one who dies in 2022, the centre's member;
    # not the one who left in July, nor the applications (confirmed in 2022, waiting, lapsed)
    assert _figures(2021) == {
        "people.members_total": 10,
        "people.members_active": 8,
        "people.members_retired": 2,
        "people.sub_unions": 4,
    }
    # 2022: the two retiring ones count as retired, the dead one is gone, the newcomer
    # (September) and the application confirmed in January are in; the centre was merged into
    # law in June, its member transferred with it
    assert _figures(2022) == {
        "people.members_total": 11,
        "people.members_active": 8,
        "people.members_retired": 3,
        "people.sub_unions": 3,
    }
    # 2020: the one who left in 2021 was still a member; the mover was in econ
    assert _figures(2020) == {
        "people.members_total": 11,
        "people.members_active": 9,
        "people.members_retired": 2,
        "people.sub_unions": 4,
    }


def test_section_labels_units_and_chart(roster):
    section = annual_section(system_actor(), "people", 2021)
    assert section is not None
    assert (section.key, section.title) == ("people", "会员与组织")
    assert [(f.key, f.label, f.unit, f.money) for f in section.figures] == [
        ("people.members_total", "会员总数", "人", False),
        ("people.members_active", "在职会员", "人", False),
        ("people.members_retired", "离退休会员", "人", False),
        ("people.sub_unions", "分工会", "个", False),
    ]
    (chart,) = section.charts
    assert (chart.kind, chart.title, chart.labels) == ("pie", "2021年底会员构成", ("在职会员", "离退休会员"))
    assert [int(v) for v in chart.series[0][1]] == [8, 2]
    assert annual_figure(system_actor(), "people.members_retired", 2021).value == 2


def test_a_year_before_any_member_has_no_section(roster):
    # everyone of the roster joined in September 2010
    assert people_annual_section(system_actor(), 2009) is None
    assert annual_figure(system_actor(), "people.members_total", 2009) is None
    assert _figures(2010)["people.members_total"] == 11


def test_three_aggregate_queries_whatever_the_number_of_people(roster, django_assert_num_queries):
    # the members, the statuses of those no longer active, the sub-unions
    actor = system_actor()
    people_annual_section(actor, 2021)  # the actor's roles read once
    with django_assert_num_queries(3):
        people_annual_section(actor, 2021)
    for n in range(5):
        person_make(staff_no=f"E09{n:02d}", name="新人", sub_union=roster.econ)
    with django_assert_num_queries(3):
        assert _figures_of(people_annual_section(actor, 2021))["people.members_total"] == 15


def _figures_of(section) -> dict:
    return {figure.key: figure.value for figure in section.figures}

"""The society's part of the annual report (`annual.mutual_aid_annual_section`): exact figures
on a small year made through the services, None for a year with nothing, the registry's
lookup by key; and the full-size demo university's 2021, which is the bulletin's
(DOMAIN §2: fees deducted for 1,383 active staff; 50,202.51 yuan paid to active staff and
352,551.88 to retirees for the costs of 2020)."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from gonghui.accounts.system import system_actor
from gonghui.core.registry import annual_figure, annual_sections_for
from gonghui.core.reports import Ratio
from gonghui.mutual_aid.annual import mutual_aid_annual_section
from gonghui.mutual_aid.choices import ApplicationStatus, DecisionOutcome, FeeLineStatus, SchemeMembershipStatus
from gonghui.mutual_aid.models import Decision, FeeLine, PublicNotice, SchemeMembership, SubsidyApplication
from gonghui.mutual_aid.selectors.report import report_build
from gonghui.mutual_aid.services import committee as committee_services
from gonghui.mutual_aid.services import fees as fee_services
from gonghui.mutual_aid.services import payments
from gonghui.mutual_aid.services.enrolment_batch import scheme_membership_enroll_bulk
from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make
from gonghui.people.choices import EmploymentStatus, Gender
from gonghui.people.tests.factories import person_make

pytestmark = pytest.mark.django_db
D = Decimal
KEYS = [
    "mutual_aid.members_active",
    "mutual_aid.members_retired",
    "mutual_aid.fees_deducted_members",
    "mutual_aid.fees_deducted_sum",
    "mutual_aid.subsidies_paid_active",
    "mutual_aid.subsidies_paid_retired",
    "mutual_aid.subsidies_paid_total",
    "mutual_aid.subsidies_paid_count",
    "mutual_aid.subsidies_retired_share",
    "mutual_aid.fund_balance",
]


def _values(section) -> dict:
    return {figure.key: figure.value for figure in section.figures}


def _result(year, office, rows):
    """Finance's result file for `year`: (工号, 扣款金额, 扣款结果, 失败原因) rows, confirmed."""
    from gonghui.core.excel import xlsx_bytes

    data = xlsx_bytes(headers=["工号", "扣款金额", "扣款结果", "失败原因"], rows=rows, text_columns={0})
    preview = fee_services.fee_result_preview(year=year, actor=office, data=data, filename="result.xlsx")
    return fee_services.fee_result_confirm(preview=preview, actor=office)


@pytest.fixture
def small_year(university, settings, tmp_path):
    """2020 and 2021 of a small society: 张伟, 李娜, 王芳 (active), 赵强 (retired long ago) and
    孙秀英, who retired on 2021-06-30 (active when 2021 began), all members since 2020-03-10.
    2020: every fee deducted. 2021: 李娜's payroll deduction fails and she pays by hand. The
    committee grants 张伟 2,000.00, 孙秀英 1,000.00 (adjusted from 1,200.00) and 赵强 12,500.00
    on 2020 costs and rejects 王芳's; paid on 2021-05-20."""
    settings.MEDIA_ROOT = str(tmp_path)
    u = university
    office, committee = u.users["union_office"], u.users["welfare_committee"]
    u.sun = person_make(
        staff_no="R0002",
        name="孙秀英",
        gender=Gender.FEMALE,
        birth_date=datetime.date(1966, 6, 30),
        sub_union=u.retirees,
        employment_status=EmploymentStatus.RETIRED,
        status_changed_on=datetime.date(2021, 6, 30),
    )
    open_to = {"eligible_statuses": ["active", "retired"]}
    edition_2020, _edition_2021 = edition_make(year=2020, **open_to), edition_make(year=2021, **open_to)
    people = [u.zhang, u.li, u.wang, u.zhao, u.sun]
    scheme_membership_enroll_bulk(people=people, actor=office, on=datetime.date(2020, 3, 10))
    for year in (2020, 2021):
        fee_services.fee_run_execute(year=year, actor=office)
    # fees follow today's status: 60.00 for the retired (孙秀英 too)
    _result(2020, office, [[p.staff_no, "60.00" if p in (u.zhao, u.sun) else "120.00", "成功", ""] for p in people])
    _result(
        2021,
        office,
        [
            ["E0001", "120.00", "成功", ""],
            ["E0002", "120.00", "失败", "工资卡已注销"],
            ["L0001", "120.00", "成功", ""],
            ["R0001", "60.00", "成功", ""],
            ["R0002", "60.00", "成功", ""],
        ],
    )
    fee_services.fee_receipt_record(fee_line=FeeLine.objects.get(year=2021, person=u.li), amount="120.00", actor=office)

    granted = {
        u.zhang: ("2000.00", DecisionOutcome.APPROVED, None, ""),
        u.sun: ("1200.00", DecisionOutcome.ADJUSTED, "1000.00", "部分费用为目录外自费药品"),
        u.zhao: ("12500.00", DecisionOutcome.APPROVED, None, ""),
        u.wang: ("800.00", DecisionOutcome.REJECTED, None, "不属于重大疾病补助范围"),
    }
    sitting = committee_services.sitting_create(
        actor=office, year=2020, held_on=datetime.date(2021, 4, 22), members=[committee]
    )
    for person, (computed, outcome, amount, reason) in granted.items():
        application = application_make(person=person, edition=edition_2020, computed=computed)
        committee_services.decision_record(
            sitting=sitting, application=application, outcome=outcome, actor=committee, amount=amount, reason=reason
        )
    committee_services.sitting_close(sitting=sitting, actor=office, minutes="审议2020年度补助")
    notice = committee_services.notice_post(sitting=sitting, starts_on=datetime.date(2021, 4, 26), actor=office)
    committee_services.notice_end(notice=notice, today=datetime.date(2021, 5, 6), actor=system_actor())
    batch = payments.payment_batch_create(year=2020, actor=office)
    payments.payment_batch_mark_paid(batch=batch, paid_on=datetime.date(2021, 5, 20), actor=office)
    return u


def test_the_2021_section_has_the_year_s_figures(small_year):
    section = mutual_aid_annual_section(system_actor(), 2021)

    assert (section.key, section.title) == ("mutual_aid", "医疗互助会")
    assert [figure.key for figure in section.figures] == KEYS
    assert _values(section) == {
        # 孙秀英 retired during 2021: active when it began, like the staff
        "mutual_aid.members_active": 4,
        "mutual_aid.members_retired": 1,
        # payroll deducted 张伟, 王芳 and 孙秀英 (李娜 failed, then paid by hand: not deducted)
        "mutual_aid.fees_deducted_members": 3,
        "mutual_aid.fees_deducted_sum": D("300.00"),
        "mutual_aid.subsidies_paid_active": D("3000.00"),
        "mutual_aid.subsidies_paid_retired": D("12500.00"),
        "mutual_aid.subsidies_paid_total": D("15500.00"),
        "mutual_aid.subsidies_paid_count": 3,
        "mutual_aid.subsidies_retired_share": D("0.8065"),  # 12,500 / 15,500
        # fees in 2020 (480.00) and 2021 (360.00 deducted + 120.00 by hand) less 15,500.00 paid
        "mutual_aid.fund_balance": D("-14540.00"),
    }
    units = {figure.key.split(".")[1]: (figure.unit, figure.money) for figure in section.figures}
    assert units["fees_deducted_members"] == ("人", False)
    assert units["subsidies_paid_count"] == ("人次", False)
    assert units["subsidies_paid_total"] == ("元", True)
    assert units["fund_balance"] == ("元", True)
    assert units["subsidies_retired_share"] == ("", False)  # a Ratio: pages show it as 80.65%
    share = section.figure("mutual_aid.subsidies_retired_share").value
    assert isinstance(share, Ratio)
    money = [f.value for f in section.figures if f.money]
    assert all(isinstance(v, Decimal) and v == v.quantize(D("0.01")) and v.as_tuple().exponent == -2 for v in money)

    pie, bars = section.charts
    assert (pie.kind, pie.labels, pie.series[0][1], pie.value_format) == (
        "pie",
        ("在职", "离退休"),
        (D("3000.00"), D("12500.00")),
        "yuan",
    )
    assert (bars.kind, bars.labels, bars.series[0][1]) == ("bar", ("在职", "离退休"), (D("4"), D("1")))


def test_the_report_says_what_the_deducted_count_counts(small_year):
    """The report (page, .xlsx, command) prints the same count, beside the lines by status."""
    report = report_build(user=system_actor(), year=2021)
    rows = {(section, item): value for section, item, value in report.rows}
    assert rows[("会费", "已扣款（笔数）")] == 4  # 赵强 (retired) too
    assert rows[("会费", "在职教职工工资代扣（人）")] == 3
    assert rows[("会费", "在职教职工工资代扣（金额）")] == D("300.00")
    assert rows[("会费", "离退休人员代扣（人）")] == 1
    assert rows[("已发放补助", "合计（人次）")] == 3
    assert rows[("基金", "结余")] == D("-15020.00")  # 2021 alone: 480.00 in, 15,500.00 out
    assert rows[("基金", "年末累计结余")] == D("-14540.00")
    # the same people, a year on: 孙秀英 had retired when 2022 began
    later = report_build(user=system_actor(), year=2022).figures
    assert later["members"] == {"active": 3, "retired": 2, "total": 5}


def test_the_registry_finds_the_figures_by_key(small_year):
    actor = system_actor()
    assert annual_figure(actor, "mutual_aid.fees_deducted_members", 2021).value == 3
    assert annual_figure(actor, "mutual_aid.subsidies_paid_retired", 2021).value == D("12500.00")
    assert annual_figure(actor, "mutual_aid.no_such_figure", 2021) is None
    assert "mutual_aid" in [section.key for section in annual_sections_for(actor, 2021)]


def test_the_2020_section_has_fees_but_no_subsidies(small_year):
    section = mutual_aid_annual_section(system_actor(), 2020)
    values = _values(section)
    assert values["mutual_aid.members_active"] == 4  # 赵强 had retired long before
    assert values["mutual_aid.members_retired"] == 1
    assert values["mutual_aid.fees_deducted_members"] == 4
    assert values["mutual_aid.fees_deducted_sum"] == D("420.00")
    assert values["mutual_aid.subsidies_paid_total"] == D("0.00")
    assert values["mutual_aid.subsidies_paid_count"] == 0
    assert values["mutual_aid.subsidies_retired_share"] is None  # nothing paid: no share
    assert values["mutual_aid.fund_balance"] == D("480.00")
    (members,) = section.charts  # no subsidies paid: no pie of them
    assert (members.kind, members.series[0][1]) == ("bar", (D("4"), D("1")))


def test_a_year_with_nothing_has_no_section(small_year):
    actor = system_actor()
    # 2022: no edition, no fee run, nothing paid on the costs of 2021
    assert mutual_aid_annual_section(actor, 2022) is None
    assert mutual_aid_annual_section(actor, 2019) is None
    assert annual_figure(actor, "mutual_aid.members_active", 2022) is None
    assert "mutual_aid" not in [section.key for section in annual_sections_for(actor, 2022)]


def test_an_adopted_edition_alone_makes_the_year_exist(university):
    edition_make(year=2023)
    edition_make(year=2024, status="draft")
    section = mutual_aid_annual_section(system_actor(), 2023)
    assert _values(section)["mutual_aid.members_active"] == 0
    assert mutual_aid_annual_section(system_actor(), 2024) is None  # a draft is not a year's rules


# --- the demo university ---------------------------------------------------------------------


@pytest.mark.once  # the full-size demo: built once, in the SQLite pass (README)
def test_the_full_size_demo_s_2021_is_the_bulletin(settings, tmp_path):
    from gonghui.mutual_aid.demo import mutual_aid_demo_build
    from gonghui.people.demo import demo_university_build
    from tests.tables import changed_tables, table_counts

    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=1.0)
    line = mutual_aid_demo_build().lines[0]
    assert line == (
        "Mutual aid 2020–2021: 2237 members in 2021; 2021 fees deducted for 1383 active staff; 76 applications "
        "on 2020 costs, 50202.51 yuan paid to active staff and 352551.88 to retirees."
    )

    values = _values(mutual_aid_annual_section(system_actor(), 2021))
    assert values["mutual_aid.fees_deducted_members"] == 1383
    assert values["mutual_aid.subsidies_paid_active"] == D("50202.51")
    assert values["mutual_aid.subsidies_paid_retired"] == D("352551.88")
    assert values["mutual_aid.subsidies_paid_total"] == D("402754.39")
    assert values["mutual_aid.subsidies_retired_share"] == D("0.8754")  # DOMAIN §4.8: 87.5 %
    assert values["mutual_aid.subsidies_paid_count"] == 75  # 15 active, 60 retirees
    assert values["mutual_aid.fees_deducted_sum"] == D("165960.00")  # 1,383 × 120
    # 1,383 deducted, 3 failed and settled by hand, 3 failed and lapsed on 31 December
    assert (values["mutual_aid.members_active"], values["mutual_aid.members_retired"]) == (1389, 848)
    # fees in: 211,800.00 in 2020 and 268,080.00 in 2021; 402,754.39 paid
    assert values["mutual_aid.fund_balance"] == D("77125.61")
    _the_2021_story(values)
    _the_2020_year_is_another()
    before = table_counts()
    assert mutual_aid_demo_build().lines == []
    assert changed_tables(before, table_counts()) == {}


def _the_2021_story(values):
    # the applications of 2020 costs: decided on 2021-04-22, paid on 2021-05-20, closed
    applications = SubsidyApplication.objects.filter(cost_year=2020)
    assert Counter(applications.values_list("status", flat=True)) == {
        ApplicationStatus.CLOSED: 75,
        ApplicationStatus.REJECTED: 1,
    }
    outcomes = Counter(Decision.objects.values_list("outcome", flat=True))
    assert outcomes == {DecisionOutcome.APPROVED: 71, DecisionOutcome.ADJUSTED: 4, DecisionOutcome.REJECTED: 1}
    assert {d.sitting.held_on for d in Decision.objects.select_related("sitting")} == {datetime.date(2021, 4, 22)}
    assert not Decision.objects.filter(outcome=DecisionOutcome.ADJUSTED, reason="").exists()
    for decision in Decision.objects.filter(outcome=DecisionOutcome.APPROVED).select_related("application"):
        assert decision.amount == decision.application.computed_subsidy == decision.application.approved_amount
    for decision in Decision.objects.filter(outcome=DecisionOutcome.ADJUSTED).select_related("application"):
        assert decision.amount < decision.application.computed_subsidy
    notice = PublicNotice.objects.get()
    assert (notice.starts_on, notice.ends_on) == (datetime.date(2021, 4, 26), datetime.date(2021, 5, 3))
    paid = applications.filter(status=ApplicationStatus.CLOSED)
    assert {e.at.date() for a in paid[:5] for e in a.events.filter(to_state=ApplicationStatus.PAID)} == {
        datetime.date(2021, 5, 20)
    }
    # every application carries its bills, and its computed subsidy is the calculator's
    assert not applications.filter(cost_items__isnull=True).exists()
    # the 2021 fees: failures, some settled by hand, the rest lapsed on 31 December
    statuses = Counter(FeeLine.objects.filter(year=2021).values_list("status", flat=True))
    assert statuses == {
        FeeLineStatus.DEDUCTED: 2076,  # 1,383 active staff, 693 retirees with their pension
        FeeLineStatus.PAID_MANUALLY: 158,  # 153 retirees at the retirees' office, 5 after a failure
        FeeLineStatus.FAILED: 3,
    }
    lapsed = SchemeMembership.objects.filter(status=SchemeMembershipStatus.LAPSED)
    assert Counter(lapsed.values_list("ended_on", flat=True)) == {
        datetime.date(2020, 12, 31): 2,
        datetime.date(2021, 12, 31): 3,
    }


def _the_2020_year_is_another():
    values = _values(mutual_aid_annual_section(system_actor(), 2020))
    assert 1200 < values["mutual_aid.fees_deducted_members"] < 1383
    assert values["mutual_aid.subsidies_paid_total"] == D("0.00")  # no 2019 rules in the demo
    assert mutual_aid_annual_section(system_actor(), 2022) is None  # the 2022 rules are a draft


def test_a_small_demo_builds_a_plausible_year(settings, tmp_path):
    from gonghui.mutual_aid.demo import mutual_aid_demo_build
    from gonghui.people.demo import demo_university_build

    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=0.05)  # 90 active staff, 55 retirees
    mutual_aid_demo_build()
    values = _values(mutual_aid_annual_section(system_actor(), 2021))
    assert values["mutual_aid.fees_deducted_members"] == 69  # 1,383 × 0.05
    assert values["mutual_aid.subsidies_paid_count"] == 4  # one active, three retirees
    assert D("0") < values["mutual_aid.subsidies_paid_active"] < values["mutual_aid.subsidies_paid_retired"]
    assert values["mutual_aid.members_retired"] > 30

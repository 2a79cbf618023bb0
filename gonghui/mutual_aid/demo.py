"""The demo university's mutual-aid society: its rules (管理办法) — the 2020 and 2021 adopted
editions and a 2022 draft revision of 2021, to try comparison and preview on — and its years
2020 and 2021 (members, fee runs, the applications on the costs of 2020, the committee and the
payment), which print the 2021 bulletin's figures (below, "The society's years").

The formula follows the usual shape (DOMAIN §3.1) with example values that give realistic
subsidies: a 3,000 yuan deductible on the out-of-pocket cost, then 50 % up to 10,000, 60 %
up to 30,000 and 70 % above; yearly and lifetime caps. Built through the services, as the
demo union office, so the editions carry their history. Idempotent: a year that already
has an edition is left alone, and the years are built once (not when a fee run exists).
"""

import datetime
import random
from collections.abc import Hashable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Min

from gonghui.accounts.models import User
from gonghui.core.excel import xlsx_bytes
from gonghui.core.money import largest_remainder
from gonghui.mutual_aid.calculator import Cost, Formula, subsidy_compute
from gonghui.mutual_aid.choices import (
    ApplicationKind,
    CostBase,
    DecisionOutcome,
    EditionStatus,
    FeeChannel,
    FeeLineStatus,
    SubmitterRelation,
)
from gonghui.mutual_aid.models import FeeLine, FeeRun, SchemeEdition, SchemeMembership
from gonghui.mutual_aid.selectors.fees import deduction_rows
from gonghui.mutual_aid.services import applications as application_services
from gonghui.mutual_aid.services import committee as committee_services
from gonghui.mutual_aid.services import editions as services
from gonghui.mutual_aid.services import fees as fee_services
from gonghui.mutual_aid.services import membership as membership_services
from gonghui.mutual_aid.services import payments as payment_services
from gonghui.mutual_aid.services.enrolment_batch import scheme_membership_enroll_bulk
from gonghui.people.choices import EmploymentStatus, SubUnionKind
from gonghui.people.models import Person

DEMO_OFFICE_USERNAME = "office"

DISEASES = (
    ("01", "恶性肿瘤"),
    ("02", "慢性肾衰竭（透析）"),
    ("03", "器官移植术后"),
    ("04", "心脑血管疾病（住院）"),
    ("05", "糖尿病并发症"),
    ("06", "重症肝炎及肝硬化"),
    ("07", "再生障碍性贫血"),
    ("99", "其他重大疾病"),
)
DOCUMENTS = (
    (ApplicationKind.INPATIENT, "医疗费用发票", True),
    (ApplicationKind.INPATIENT, "出院小结", True),
    (ApplicationKind.INPATIENT, "费用明细清单", True),
    (ApplicationKind.INPATIENT, "诊断证明", True),
    (ApplicationKind.OUTPATIENT, "医疗费用发票", True),
    (ApplicationKind.OUTPATIENT, "诊断证明", True),
    (ApplicationKind.OUTPATIENT, "门诊病历", True),
    (ApplicationKind.OUTPATIENT, "医保结算单", False),
)
BANDS_2021 = (("3000", "10000", "0.50"), ("10000", "30000", "0.60"), ("30000", None, "0.70"))


@dataclass
class DemoEditionsResult:
    created: list = field(default_factory=list)  # years created now
    lines: list = field(default_factory=list)  # what the society's demo years built, for the command


def _fields(year: int, **overrides) -> dict:
    values = {
        "eligible_statuses": ["active", "retired"],
        "join_window_start": datetime.date(year, 3, 1),
        "join_window_end": datetime.date(year, 3, 31),
        "application_window_start": datetime.date(year + 1, 3, 1),
        "application_window_end": datetime.date(year + 1, 3, 31),
        "fee_active": Decimal("120.00"),
        "fee_retired": Decimal("120.00"),
        "late_join_back_pay": True,
        "waiting_months": 12,
        "annual_cap": Decimal("30000.00"),
        "lifetime_cap": Decimal("150000.00"),
        "notice_days": 7,
        "query_days": 15,
    }
    values.update(overrides)
    return values


def _fill(*, actor, edition: SchemeEdition, deductible: str, bands) -> None:
    rule = services.rule_add(actor=actor, edition=edition, base=CostBase.ALL, deductible=Decimal(deductible))
    for lower, upper, rate in bands:
        services.band_add(
            actor=actor, rule=rule, lower=Decimal(lower), upper=upper and Decimal(upper), rate=Decimal(rate)
        )
    for code, name in DISEASES:
        services.disease_add(actor=actor, edition=edition, code=code, name=name)
    for kind, name, required in DOCUMENTS:
        services.document_add(actor=actor, edition=edition, kind=kind, name=name, required=required)


def _adopted_edition_create(
    actor, year: int, *, bands, adopted_on: datetime.date, resolution: str, **overrides
) -> None:
    """A past year's rules, filled (deductible 3,000, `bands`, the diseases and documents) and
    adopted by the congress `resolution`; `overrides` change the year's usual figures."""
    edition = services.edition_create_draft(
        actor=actor, year=year, name=f"示范大学教职工医疗互助会管理办法（{year}年度）", **_fields(year, **overrides)
    )
    _fill(actor=actor, edition=edition, deductible="3000", bands=bands)
    services.edition_adopt(actor=actor, edition=edition, adopted_on=adopted_on, resolution=resolution)


@transaction.atomic
def mutual_aid_demo_build() -> DemoEditionsResult:
    """Seed the demo editions (needs the demo union office sign-in, built with the people)."""
    result = DemoEditionsResult()
    actor = User.objects.filter(username=DEMO_OFFICE_USERNAME).first()
    if actor is None:
        return result
    if not SchemeEdition.objects.filter(year=2020).exists():
        _adopted_edition_create(
            actor,
            2020,
            bands=(("3000", "10000", "0.50"), ("10000", "30000", "0.60"), ("30000", None, "0.65")),
            adopted_on=datetime.date(2020, 1, 10),
            resolution="第五届教职工代表大会第三次会议决议",
            fee_active=Decimal("100.00"),
            fee_retired=Decimal("100.00"),
            annual_cap=Decimal("25000.00"),
            lifetime_cap=Decimal("120000.00"),
        )
        result.created.append(2020)
    if not SchemeEdition.objects.filter(year=2021).exists():
        _adopted_edition_create(
            actor,
            2021,
            bands=BANDS_2021,
            adopted_on=datetime.date(2021, 1, 15),
            resolution="第五届教职工代表大会第四次会议决议",
        )
        result.created.append(2021)
    source = SchemeEdition.objects.filter(year=2021, status=EditionStatus.ADOPTED).first()
    if source is not None and not SchemeEdition.objects.filter(year=2022).exists():
        draft = services.edition_create_draft(
            actor=actor,
            year=2022,
            name="示范大学教职工医疗互助会管理办法（2022年度修订稿）",
            source=source,
            lifetime_cap=Decimal("200000.00"),
        )
        rule = draft.rules.get(base=CostBase.ALL)
        services.rule_update(actor=actor, rule=rule, deductible=Decimal("2500.00"))
        first, *_rest, top = sorted(rule.bands.all(), key=lambda b: b.lower)
        services.band_update(actor=actor, band=first, lower=Decimal("2500.00"), upper=first.upper, rate=first.rate)
        services.band_update(actor=actor, band=top, lower=top.lower, upper=None, rate=Decimal("0.75"))
        services.disease_add(actor=actor, edition=draft, code="08", name="罕见病")
        result.created.append(2022)
    result.lines = _years_build(actor)
    return result


# ---------------------------------------------------------------------------------------------
# The society's years 2020 and 2021, run through the services at their dates (DOMAIN §2)
#
# The 2021 bulletin: "2021年度，已完成1383名在职教职工医疗互助会互助金的扣缴工作 … 福利委员会审议2020年度
# 互助互补名单、发放大病补助，为在职教职工发放50202.51元，为离退休人员发放352551.88元". At full size (scale
# 1.0) the demo prints exactly that: payroll deducted the 2021 fee of 1,383 members who were
# active staff when 2021 began (the report's "active", `selectors.report`), and the subsidies
# on the costs of 2020, decided by the welfare committee on 2021-04-22 and paid on 2021-05-20,
# add up to 50,202.51 yuan for active staff and 352,551.88 for retirees. A smaller demo keeps the
# same story with fewer people and the first applications of the list.
#
# - 2020: members join in the March window (2020-03-10, the retirees' office enrolling most
#   retirees with their pension, some paying by hand); the fee run (100 yuan) and finance's
#   result with a few failures: some pay by hand, two never do and lapse at the year's end;
#   a few opt out in November.
# - 2021: the staff who came in 2020 join in the window, those who came by September join late
#   (back-pay, 12 months' wait) with a supplementary run in October; the fee run (120 yuan):
#   a few payroll failures, half settled by hand, the rest lapse on 31 December.
# - March 2021: applications on the costs of 2020 — retirees' by the retirees' office (some
#   as their relatives), active staff's by their sub-union (经济学院's officer) or entered by
#   the union office from the paper form — with their bills; the union office scans the paper
#   documents in; one returned for a clearer scan and submitted again. Checked by the
#   sub-union, then by the office.
# - 2021-04-22: the welfare committee's sitting: approved at the calculator's amount, a few
#   adjusted with a reason, one rejected; the notice 04-26 – 05-03, one objection dismissed;
#   payable 05-06, the payment list 05-10, paid 05-20, closed after the query period.
#
# Approved amounts are drawn once (seeded) to add up to the bulletin's sums to the cent; each
# application's out-of-pocket cost is what the 2020 edition's calculator turns into its amount
# (or into a little more, for the adjusted ones), split over one to three bills.

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
YEARS_SEED = 2021
ECON_OFFICER, RETIREES_OFFICER, COMMITTEE_USERNAME = "100002", "100003", "welfare"
DEMO_STAFF = frozenset({"100001", "100002", "100003"})
FULL_ACTIVE = 1800  # the full demo's active staff (gonghui.people.demo.DEMO_ACTIVE_COUNT)
BULLETIN_DEDUCTED = 1383
BULLETIN_PAID_ACTIVE = Decimal("50202.51")
BULLETIN_PAID_RETIRED = Decimal("352551.88")
ACTIVE_APPLICATIONS, RETIRED_APPLICATIONS = 15, 60
ACTIVE_FAILURES_2021 = 6  # payroll could not deduct the 2021 fee (full size)
CENT = Decimal("0.01")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

JOIN_2020, JOIN_2021, LATE_JOIN_2021 = (
    datetime.date(2020, 3, 10),
    datetime.date(2021, 3, 10),
    datetime.date(2021, 10, 11),
)
LATE_UNION_CUTOFF = datetime.date(2021, 9, 30)  # came by the autumn term: joins late in 2021
END_2020 = datetime.date(2020, 12, 31)
SITTING_ON = datetime.date(2021, 4, 22)
NOTICE_FROM = datetime.date(2021, 4, 26)
PAID_ON = datetime.date(2021, 5, 20)

FAILURE_REASONS = ("工资卡已注销", "当月应发工资不足以扣款", "停薪留职期间无工资发放", "工资账户冻结")
RETIREE_FAILURE_REASON = "退休金改由社保发放，学校不再代扣"
HOSPITALS = (
    "北京协和医院",
    "北京大学第三医院",
    "北京大学人民医院",
    "中日友好医院",
    "北京朝阳医院",
    "北京天坛医院",
    "北京安贞医院",
    "北京肿瘤医院",
    "首都医科大学附属北京友谊医院",
    "北京积水潭医院",
    "中国人民解放军总医院",
    "北京市海淀医院",
)
# disease code, weight (retirees), weight (active staff); 02 is treated as an outpatient's
DISEASE_WEIGHTS = (
    ("01", 30, 40),
    ("02", 10, 5),
    ("03", 3, 2),
    ("04", 25, 20),
    ("05", 10, 8),
    ("06", 5, 5),
    ("07", 2, 5),
    ("99", 15, 15),
)
# (index in the list, share of the computed subsidy the committee does not grant, reason)
ADJUSTED_ACTIVE = ((4, Decimal("0.12"), "部分费用为目录外自费药品，按目录内费用核定补助。"),)
ADJUSTED_RETIRED = (
    (7, Decimal("0.10"), "住院期间陪护费、伙食费不属于补助范围，按扣除后的自付费用核定。"),
    (23, Decimal("0.08"), "部分外购药品票据不全，该部分费用不予补助。"),
    (41, Decimal("0.15"), "其中一笔费用已由其他渠道报销，按扣除后的自付费用核定。"),
)
REJECTED_REASON = "门诊费用为一般慢性病治疗，不属于重大疾病补助范围，经审议不予补助。"
RELATIVE_GIVEN = ("建国", "丽华", "晓东", "海燕", "志强", "秀梅", "立新", "红梅", "卫东", "静")


@contextmanager
def _on(day: datetime.date, hour: int = 10):
    """Run a step at its date (its events, ledger entries and stamps carry it)."""
    import time_machine

    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)
    with time_machine.travel(moment, tick=False), transaction.atomic():
        yield


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


@dataclass
class _Cast:
    office: User
    committee: User
    econ_officer: User | None
    retirees_officer: User | None
    system: User
    scale: float
    rng: random.Random


@dataclass
class _Plan:
    """Who does what in the two years (people, sorted by staff number)."""

    joined_2020_staff: list = field(default_factory=list)
    joined_2020_retirees: list = field(default_factory=list)  # pension paid by the university
    joined_2020_manual: list = field(default_factory=list)
    joined_2021: list = field(default_factory=list)
    joined_late_2021: list = field(default_factory=list)
    opt_out_2020: list = field(default_factory=list)
    lapse_2020: list = field(default_factory=list)  # payroll fails, never paid
    failed_2020: list = field(default_factory=list)  # payroll fails, paid by hand
    failed_2021: list = field(default_factory=list)  # active staff payroll could not deduct
    retirees_failed_2021: list = field(default_factory=list)
    applicants_active: list = field(default_factory=list)
    applicants_retired: list = field(default_factory=list)
    rejected: Person | None = None


def _scaled(count: int, scale: float, least: int = 1) -> int:
    return max(least, round(count * scale))


def _plan(cast: _Cast) -> _Plan | None:
    """Choose the members, failures and applicants from the demo university's roster: staff
    join the society once they have joined the union (their membership's date); retirees had
    retired before 2021; the report's "active" of 2021 is the status on 31 December 2020.
    None for a roster too small to tell the story (a handful of people)."""
    from gonghui.people.eligibility import status_on
    from gonghui.people.models import UnionMembership

    rng, scale = cast.rng, cast.scale
    union_joined = dict(
        UnionMembership.objects.values("person_id").annotate(first=Min("joined_on")).values_list("person_id", "first")
    )
    people = [
        p
        for p in Person.objects.select_related("sub_union").prefetch_related("events").order_by("staff_no")
        if p.pk in union_joined
    ]
    retirees = [
        p for p in people if status_on(p, END_2020) == EmploymentStatus.RETIRED and union_joined[p.pk] <= JOIN_2020
    ]
    pool = [
        p
        for p in people
        if status_on(p, END_2020) == EmploymentStatus.ACTIVE and union_joined[p.pk] <= LATE_UNION_CUTOFF
    ]
    early = [p for p in pool if union_joined[p.pk] <= JOIN_2020]
    window = [p for p in pool if JOIN_2020 < union_joined[p.pk] <= JOIN_2021]
    late = [p for p in pool if union_joined[p.pk] > JOIN_2021]
    if len(early) < 20 or len(retirees) < 10:
        return None

    failures = _scaled(ACTIVE_FAILURES_2021, scale)
    deducted = min(round(BULLETIN_DEDUCTED * scale), len(pool) - failures - _scaled(len(pool), 0.01))
    staying_out = rng.sample(
        [p for p in early + window if p.staff_no not in DEMO_STAFF], len(pool) - deducted - failures
    )
    out = {p.pk for p in staying_out}
    left_in_2020 = [p for p in staying_out if union_joined[p.pk] <= JOIN_2020]
    plan = _Plan()
    plan.opt_out_2020 = sorted(left_in_2020[: _scaled(3, scale, 0)], key=lambda p: p.staff_no)
    plan.lapse_2020 = sorted(
        left_in_2020[len(plan.opt_out_2020) : len(plan.opt_out_2020) + _scaled(2, scale, 0)], key=lambda p: p.staff_no
    )
    extra = {p.pk for p in plan.opt_out_2020 + plan.lapse_2020}

    retiree_members = sorted(rng.sample(retirees, round(len(retirees) * 0.87)), key=lambda p: p.staff_no)
    manual = {p.pk for p in rng.sample(retiree_members, round(len(retiree_members) * 0.18))}
    plan.joined_2020_staff = [p for p in early if p.pk not in out or p.pk in extra]
    plan.joined_2020_retirees = [p for p in retiree_members if p.pk not in manual]
    plan.joined_2020_manual = [p for p in retiree_members if p.pk in manual]
    plan.joined_2021 = [p for p in window if p.pk not in out]
    plan.joined_late_2021 = late

    staying = [p for p in early + window if p.pk not in out and p.staff_no not in DEMO_STAFF]
    plan.failed_2021 = sorted(rng.sample(staying, failures), key=lambda p: p.staff_no)
    taken = {p.pk for p in plan.failed_2021}
    staying_2020 = [p for p in staying if union_joined[p.pk] <= JOIN_2020 and p.pk not in taken]
    plan.failed_2020 = sorted(rng.sample(staying_2020, _scaled(2, scale)), key=lambda p: p.staff_no)
    taken |= {p.pk for p in plan.failed_2020}
    # active applicants: members since March 2020, still at work (checked by their sub-union)
    candidates = [p for p in staying_2020 if p.pk not in taken and p.employment_status == EmploymentStatus.ACTIVE]
    count = min(len(candidates), _scaled(ACTIVE_APPLICATIONS, scale), ACTIVE_APPLICATIONS)
    plan.applicants_active = rng.sample(candidates, count)
    payroll_retirees = [p for p in retiree_members if p.pk not in manual]
    plan.retirees_failed_2021 = sorted(
        rng.sample(payroll_retirees, min(len(payroll_retirees), _scaled(2, scale, 0))), key=lambda p: p.staff_no
    )
    failing = {p.pk for p in plan.retirees_failed_2021}
    retiree_candidates = [p for p in retiree_members if p.pk not in failing]
    count = min(len(retiree_candidates), _scaled(RETIRED_APPLICATIONS, scale, 2), RETIRED_APPLICATIONS) + 1
    chosen_retirees = rng.sample(retiree_candidates, count)
    plan.applicants_retired, plan.rejected = chosen_retirees[:-1], chosen_retirees[-1]
    return plan


# --- fees ----------------------------------------------------------------------------------


def _finance_result(*, cast: _Cast, year: int, day: datetime.date, failures: dict) -> dict:
    """Finance's answer to the deduction file of `year` (the payroll lines still to deduct):
    every line deducted but those of `failures` {staff_no: reason}; previewed and confirmed
    by the office on `day`."""
    rows = [
        [staff_no, name, amount, "失败" if staff_no in failures else "成功", failures.get(staff_no, "")]
        for staff_no, name, _unit, _item, amount, _year in deduction_rows(year=year)
    ]
    data = xlsx_bytes(headers=["工号", "姓名", "扣款金额", "扣款结果", "失败原因"], rows=rows, text_columns={0})
    with _on(day, hour=15):
        preview = fee_services.fee_result_preview(
            year=year, actor=cast.office, data=data, filename=f"{year}年医疗互助会会费代扣结果.xlsx"
        )
        return fee_services.fee_result_confirm(preview=preview, actor=cast.office)


def _receipts(*, cast: _Cast, year: int, people: list, first: datetime.date, memo: str) -> None:
    """Fees paid by hand, a few each working day from `first` (the office records them)."""
    lines = {line.person_id: line for line in FeeLine.objects.filter(year=year, person__in=[p.pk for p in people])}
    day = first
    for index, person in enumerate(people):
        if index and index % 12 == 0:
            day += datetime.timedelta(days=3 if day.weekday() == 4 else 1)
        with _on(day, hour=9 + index % 8):
            line = lines[person.pk]
            fee_services.fee_receipt_record(fee_line=line, amount=line.amount, actor=cast.office, memo=memo)


def _enrol(cast: _Cast, people: list, on: datetime.date, *, channel: str = FeeChannel.PAYROLL, actor=None) -> None:
    if people:
        with _on(on):
            scheme_membership_enroll_bulk(people=people, actor=actor or cast.office, on=on, channel=channel)


def _fees_2020(cast: _Cast, plan: _Plan) -> None:
    retirees_office = cast.retirees_officer or cast.office
    _enrol(cast, plan.joined_2020_staff, JOIN_2020)
    _enrol(cast, plan.joined_2020_retirees, JOIN_2020, actor=retirees_office)
    _enrol(cast, plan.joined_2020_manual, JOIN_2020, channel=FeeChannel.MANUAL, actor=retirees_office)
    with _on(datetime.date(2020, 4, 15)):
        fee_services.fee_run_execute(year=2020, actor=cast.office)
    failing = plan.lapse_2020 + plan.failed_2020
    reasons = {p.staff_no: FAILURE_REASONS[i % len(FAILURE_REASONS)] for i, p in enumerate(failing)}
    _finance_result(cast=cast, year=2020, day=datetime.date(2020, 4, 28), failures=reasons)
    _receipts(
        cast=cast,
        year=2020,
        people=plan.joined_2020_manual,
        first=datetime.date(2020, 5, 6),
        memo="离退休工作处现场收款",
    )
    _receipts(
        cast=cast, year=2020, people=plan.failed_2020, first=datetime.date(2020, 6, 10), memo="代扣失败后现场缴纳"
    )
    for person in plan.opt_out_2020:
        with _on(datetime.date(2020, 11, 20)):
            membership_services.scheme_membership_opt_out(
                membership=SchemeMembership.objects.get(person=person),
                actor=cast.office,
                reason="个人原因，自愿退出医疗互助会",
                on=datetime.date(2020, 11, 20),
            )
    with _on(datetime.date(2021, 1, 6)):
        membership_services.scheme_membership_lapse_unpaid(year=2020, actor=cast.office)


def _fees_2021(cast: _Cast, plan: _Plan) -> None:
    _enrol(cast, plan.joined_2021, JOIN_2021)
    with _on(datetime.date(2021, 4, 15)):
        fee_services.fee_run_execute(year=2021, actor=cast.office)
    reasons = {p.staff_no: FAILURE_REASONS[i % len(FAILURE_REASONS)] for i, p in enumerate(plan.failed_2021)}
    reasons.update({p.staff_no: RETIREE_FAILURE_REASON for p in plan.retirees_failed_2021})
    _finance_result(cast=cast, year=2021, day=datetime.date(2021, 4, 28), failures=reasons)
    _receipts(
        cast=cast,
        year=2021,
        people=plan.joined_2020_manual,
        first=datetime.date(2021, 5, 6),
        memo="离退休工作处现场收款",
    )
    settled = plan.failed_2021[: (len(plan.failed_2021) + 1) // 2] + plan.retirees_failed_2021
    _receipts(cast=cast, year=2021, people=settled, first=datetime.date(2021, 6, 10), memo="代扣失败后现场缴纳")
    # the staff who came by the autumn term: a late join (back-pay, waiting period), charged by a
    # second run and deducted with October's pay
    _enrol(cast, plan.joined_late_2021, LATE_JOIN_2021)
    if plan.joined_late_2021:
        with _on(datetime.date(2021, 10, 20)):
            fee_services.fee_run_execute(year=2021, actor=cast.office)
        _finance_result(cast=cast, year=2021, day=datetime.date(2021, 10, 28), failures={})
    with _on(datetime.date(2022, 1, 6)):
        membership_services.scheme_membership_lapse_unpaid(year=2021, actor=cast.office)


# --- applications on the costs of 2020 -----------------------------------------------------


def _shares(total: Decimal, count: int, rng: random.Random, *, high: Decimal) -> list[Decimal]:
    """`count` amounts adding up to `total` to the cent, spread like real subsidies (a few
    large, most modest), each between 300 yuan and `high`."""
    while True:
        weights: dict[Hashable, Decimal] = {
            index: Decimal(str(round(rng.lognormvariate(0, 0.7), 6))) for index in range(count)
        }
        shares = largest_remainder(total=total, weights=weights)
        amounts = [shares[index] for index in range(count)]
        if all(Decimal("300") <= amount <= high for amount in amounts):
            return amounts


def _out_of_pocket(formula: Formula, subsidy: Decimal) -> Decimal:
    """The out-of-pocket cost the calculator turns into exactly `subsidy` (its bands read
    backwards, then checked with the calculator itself to the cent)."""
    rule = formula.rules[CostBase.ALL]
    cost, left = rule.deductible, subsidy
    for band in rule.bands:
        start = max(band.lower, rule.deductible)
        if band.upper is not None and left > (band.upper - start) * band.rate:
            left -= (band.upper - start) * band.rate
            cost = band.upper
            continue
        cost = start + left / band.rate
        break
    cost = cost.quantize(CENT)
    for _step in range(50):
        computed, _working = subsidy_compute(formula=formula, costs=[Cost(out_of_pocket=cost)])
        if computed == subsidy:
            return cost
        cost += CENT if computed < subsidy else -CENT
    raise ValueError(f"no out-of-pocket cost gives {subsidy}")


@dataclass
class _Case:
    person: Person
    kind: str
    disease: str
    amount: Decimal  # what the committee grants
    computed: Decimal  # what the calculator gives (more when the committee adjusts)
    reason: str = ""
    rejected: bool = False


def _bills(rng: random.Random, out_of_pocket: Decimal, *, inpatient: bool) -> list[dict]:
    """One to three bills of 2020 whose out-of-pocket costs add up to `out_of_pocket`."""
    count = rng.choice((1, 1, 1, 2, 2, 3))
    weights: dict[Hashable, Decimal] = {index: Decimal(str(round(rng.uniform(0.5, 1.5), 4))) for index in range(count)}
    parts = largest_remainder(total=out_of_pocket, weights=weights)
    days = sorted(rng.sample(range(280), count))
    hospital = rng.randrange(len(HOSPITALS))
    bills = []
    for index in range(count):
        part = parts[index]
        total = (part / Decimal(str(round(rng.uniform(0.2, 0.45), 3)))).quantize(CENT)
        second = (total * Decimal(str(round(rng.uniform(0, 0.06), 3)))).quantize(CENT)
        bills.append(
            {
                "incurred_on": datetime.date(2020, 3, 16) + datetime.timedelta(days=days[index]),
                "hospital": HOSPITALS[(hospital + index * 3) % len(HOSPITALS)],
                "bill_no": f"2020{hospital:02d}{rng.randrange(10**8):08d}",
                "inpatient": inpatient,
                "covered": True,
                "total": total,
                "paid_by_insurance": total - part - second,
                "second_reimbursement": second,
                "out_of_pocket": part,
            }
        )
    return bills


def _cases(plan: _Plan, rng: random.Random) -> list[_Case]:
    """The applications' people, diseases and amounts: the bulletin's sums shared over the
    full list (seeded, so the same at every scale), a smaller demo taking the first ones."""
    amounts = random.Random(YEARS_SEED + 1)
    active = _shares(BULLETIN_PAID_ACTIVE, ACTIVE_APPLICATIONS, amounts, high=Decimal("15000"))
    retired = _shares(BULLETIN_PAID_RETIRED, RETIRED_APPLICATIONS, amounts, high=Decimal("21000"))
    cases = []
    for people, granted, adjusted, column in (
        (plan.applicants_active, active, ADJUSTED_ACTIVE, 2),
        (plan.applicants_retired, retired, ADJUSTED_RETIRED, 1),
    ):
        cuts = {index: (share, reason) for index, share, reason in adjusted}
        codes = [code for code, *_weights in DISEASE_WEIGHTS]
        weights = [float(row[column]) for row in DISEASE_WEIGHTS]
        for index, person in enumerate(people):
            disease = rng.choices(codes, weights)[0]
            share, reason = cuts.get(index, (Decimal("0"), ""))
            amount = granted[index]
            computed = (amount / (1 - share)).quantize(Decimal("1")) if share else amount
            kind = ApplicationKind.OUTPATIENT if disease == "02" else ApplicationKind.INPATIENT
            cases.append(_Case(person, kind, disease, amount, computed, reason))
    if plan.rejected is not None:
        cases.append(
            _Case(
                plan.rejected, ApplicationKind.OUTPATIENT, "99", Decimal("0"), Decimal("1826.40"), REJECTED_REASON, True
            )
        )
    return cases


def _submit(cast: _Cast, case: _Case, formula: Formula, edition: SchemeEdition, day: datetime.date, index: int):
    """The application as its submitter enters it from the paper form: the bills, the
    documents (scans), then submitted."""
    rng = cast.rng
    person = case.person
    retired = person.sub_union.kind == SubUnionKind.RETIREES
    relation, relative_name, relative_phone = None, "", ""
    if retired:
        submitter = cast.retirees_officer or cast.office
        if index % 7 == 3:
            relation = SubmitterRelation.RELATIVE
            surname = person.name[:1]
            relative_name = surname + RELATIVE_GIVEN[index % len(RELATIVE_GIVEN)]
            relative_phone = f"13{rng.randrange(10**9):09d}"
    elif cast.econ_officer and Person.objects.restrict(cast.econ_officer).filter(pk=person.pk).exists():
        submitter = cast.econ_officer
    else:
        submitter = cast.office
    with _on(day, hour=9 + index % 8):
        application = application_services.application_create_draft(
            actor=submitter,
            person=person,
            kind=case.kind,
            cost_year=2020,
            submitter_relation=relation,
            relative_name=relative_name,
            relative_phone=relative_phone,
        )
        application_services.application_details_update(
            actor=submitter, application=application, disease_category=edition.diseases.get(code=case.disease)
        )
        for bill in _bills(
            rng, _out_of_pocket(formula, case.computed), inpatient=case.kind == ApplicationKind.INPATIENT
        ):
            application_services.cost_item_add(actor=submitter, application=application, **bill)
        # the paper documents are scanned in by the union office (paper is digitised at intake,
        # DOMAIN §4.8), within its daily upload quota
        for document in edition.required_documents.filter(kind=case.kind):
            if document.required or rng.random() < 0.5:
                application_services.document_attach(
                    actor=cast.office,
                    application=application,
                    required_document=document,
                    uploaded_file=_pdf(f"{document.name}.pdf"),
                )
        application = application_services.application_submit(actor=submitter, application=application)
    if application.computed_subsidy != case.computed:
        raise AssertionError(f"{person.staff_no}: computed {application.computed_subsidy}, planned {case.computed}")
    return application, submitter


def _return_for_a_clearer_scan(cast: _Cast, submitter, application, day: datetime.date) -> None:
    """The retirees' office returns an application the afternoon it came in; the scan is
    made again and the application submitted the next morning."""
    with _on(day, hour=17):
        application_services.application_return(
            actor=submitter, application=application, message="出院小结扫描件不清晰，请重新上传清晰的扫描件。"
        )
    with _on(day + datetime.timedelta(days=1), hour=8):
        scan = application.documents.get(required_document__name="出院小结")
        application_services.document_remove(actor=submitter, document=scan)
        application_services.document_attach(
            actor=cast.office,
            application=application,
            required_document=scan.required_document,
            uploaded_file=_pdf("出院小结（重新扫描）.pdf"),
        )
        application_services.application_submit(actor=submitter, application=application)


def _applications(cast: _Cast, cases: list[_Case], edition: SchemeEdition) -> list:
    """Submitted in the March 2021 window, in date order; checked by the sub-union (for
    retirees the retirees' office) in early April, then by the union office. The retirees' office returns one for a clearer scan of the discharge
    summary; it is submitted again the next day."""
    formula = Formula.from_edition(edition)
    returned = next(
        (
            index
            for index, case in enumerate(cases)
            if index >= len(cases) // 4
            and case.kind == ApplicationKind.INPATIENT
            and case.person.sub_union.kind == SubUnionKind.RETIREES
            and not case.rejected
        ),
        None,
    )
    submitted = []
    for index, case in enumerate(cases):
        day = datetime.date(2021, 3, 2) + datetime.timedelta(days=index * 27 // max(1, len(cases)))
        application, submitter = _submit(cast, case, formula, edition, day, index)
        if index == returned:
            _return_for_a_clearer_scan(cast, submitter, application, day)
        submitted.append((application, submitter))
    for index, (application, submitter) in enumerate(submitted):
        with _on(datetime.date(2021, 4, 1) + datetime.timedelta(days=index % 7), hour=14):
            application_services.application_sub_union_check(actor=submitter, application=application)
        with _on(datetime.date(2021, 4, 12) + datetime.timedelta(days=index % 5), hour=10):
            application_services.application_office_check(actor=cast.office, application=application)
    return [application for application, _submitter in submitted]


def _committee(cast: _Cast, cases: list[_Case], applications: list) -> None:
    """The sitting of 2021-04-22, its notice with one objection (dismissed), the payment."""
    with _on(SITTING_ON, hour=14):
        sitting = committee_services.sitting_create(
            actor=cast.office, year=2020, held_on=SITTING_ON, place="工会会议室", members=[cast.committee]
        )
        for case, application in zip(cases, applications, strict=True):
            if case.rejected:
                outcome, amount = DecisionOutcome.REJECTED, None
            elif case.reason:
                outcome, amount = DecisionOutcome.ADJUSTED, case.amount
            else:
                outcome, amount = DecisionOutcome.APPROVED, None
            committee_services.decision_record(
                sitting=sitting,
                application=application,
                outcome=outcome,
                actor=cast.committee,
                amount=amount,
                reason=case.reason,
            )
        granted = [case for case in cases if not case.rejected]
        staff = [case for case in granted if case.person.sub_union.kind != SubUnionKind.RETIREES]
        minutes = (
            f"审议2020年度互助互补名单，共{len(cases)}件：批准{sum(1 for c in granted if not c.reason)}件，"
            f"调整后批准{sum(1 for c in granted if c.reason)}件，不予补助{len(cases) - len(granted)}件。"
            f"核定补助：在职教职工{len(staff)}人次{sum((c.amount for c in staff), Decimal('0.00'))}元，"
            f"离退休人员{len(granted) - len(staff)}人次"
            f"{sum((c.amount for c in granted if c not in staff), Decimal('0.00'))}元。"
        )
        committee_services.sitting_close(sitting=sitting, actor=cast.office, minutes=minutes)
    with _on(NOTICE_FROM):
        notice = committee_services.notice_post(sitting=sitting, starts_on=NOTICE_FROM, actor=cast.office)
    disputed = next(
        (
            application
            for case, application in zip(cases, applications, strict=True)
            if not case.rejected and case.person.sub_union.kind == SubUnionKind.RETIREES
        ),
        None,
    )
    if disputed is not None:
        with _on(datetime.date(2021, 4, 28)):
            objection = committee_services.objection_record(
                notice=notice,
                application=disputed,
                received_on=datetime.date(2021, 4, 28),
                content="反映该申请人的部分医疗费用已由子女单位的补充医疗保险报销。",
                actor=cast.office,
            )
        with _on(datetime.date(2021, 4, 30)):
            committee_services.objection_resolve(
                objection=objection,
                upheld=False,
                resolution="经核实，子女单位的补充医疗保险未报销该笔费用，异议不成立，恢复公示。",
                actor=cast.committee,
            )
    with _on(datetime.date(2021, 5, 6), hour=1):
        committee_services.notices_end_due(today=datetime.date(2021, 5, 6), actor=cast.system)
    with _on(datetime.date(2021, 5, 10)):
        batch = payment_services.payment_batch_create(year=2020, actor=cast.office)
    with _on(PAID_ON, hour=16):
        payment_services.payment_batch_mark_paid(batch=batch, paid_on=PAID_ON, actor=cast.office)
    with _on(datetime.date(2021, 6, 7), hour=1):
        payment_services.payment_batches_close_due(today=datetime.date(2021, 6, 7), actor=cast.system)


def _years_build(office: User) -> list[str]:
    """The society's 2020 and 2021 on the demo university, once (nothing when a fee run exists,
    or without the demo's sign-ins: the retirees' office and the welfare committee)."""
    from gonghui.accounts.system import system_actor
    from gonghui.mutual_aid.selectors.report import report_figures

    committee = User.objects.filter(username=COMMITTEE_USERNAME).first()
    retirees_officer = User.objects.filter(username=RETIREES_OFFICER).first()
    editions = {e.year: e for e in SchemeEdition.objects.filter(year__in=(2020, 2021), status=EditionStatus.ADOPTED)}
    if committee is None or retirees_officer is None or len(editions) < 2 or FeeRun.objects.exists():
        return []
    active = Person.objects.filter(employment_status=EmploymentStatus.ACTIVE).count()
    cast = _Cast(
        office=office,
        committee=committee,
        econ_officer=User.objects.filter(username=ECON_OFFICER).first(),
        retirees_officer=retirees_officer,
        system=system_actor(),
        scale=active / FULL_ACTIVE,
        rng=random.Random(YEARS_SEED),
    )
    plan = _plan(cast)
    if plan is None:
        return []
    _fees_2020(cast, plan)
    _fees_2021(cast, plan)
    cases = _cases(plan, cast.rng)
    if cases:
        applications = _applications(cast, cases, editions[2020])
        _committee(cast, cases, applications)
    figures = report_figures(user=cast.system, year=2021)
    deducted = figures["fees_by_group"]["active"][FeeLineStatus.DEDUCTED]["count"]
    paid = figures["paid"]
    return [
        f"Mutual aid 2020–2021: {figures['members']['total']} members in 2021; 2021 fees deducted for "
        f"{deducted} active staff; {len(cases)} applications on 2020 costs, {paid['active']} yuan paid "
        f"to active staff and {paid['retired']} to retirees."
    ]

"""The demo university's group insurance in 2021, built through the services so that the full-size
demo's report prints the university's bulletin of 2021-11-09 (DOMAIN §2): 住院津贴 1,759,
重大疾病 1,759 and 女工特疾 1,005 insured, premium 201,025 yuan, 8 claims paid, 61,040 yuan.

- The editions are the presets' (50 / 50 / 25 yuan per share); 女工特疾 is the Beijing office's
  cover for women aged 16 to under 60, active or retired (DOMAIN §3.2, example values), entered
  as the edition's own conditions before it is adopted.
- Before the enrollment run, the office records the 不参保声明 it received, each person
  declining every plan open to them (住院津贴 and 重大疾病 both; postdocs first, then contract
  staff, then the others, by staff number). Their number is what leaves the bulletin's insured
  once the insurer's two 女工特疾 rejections are counted, scaled with the demo's size
  (`--scale`), so a smaller demo is a smaller university, not the bulletin's.
- The rosters are filed and answered (two 女工特疾 lines rejected: ID numbers that do not
  match); the claims (eight at full size, three in a small demo) are taken through to
  payment, each paid what the edition's table gives, the first the demo member's.

Idempotent: nothing is added when the 2021 editions already have enrollments."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from gonghui.accounts.models import User
from gonghui.core.excel import xlsx_bytes
from gonghui.core.imports import Upload, import_confirm, import_start
from gonghui.insurance.choices import EnrollmentStatus
from gonghui.insurance.models import PlanEdition, PlanEnrollment
from gonghui.insurance.presets import editions_create
from gonghui.insurance.services import claims as claim_services
from gonghui.insurance.services.enrollment import eligible_people, enrollment_run
from gonghui.insurance.services.opt_out_batch import opt_out_record_bulk
from gonghui.insurance.services.rosters import AcceptanceImport, roster_export_create
from gonghui.people.demo import DEMO_ACTIVE_COUNT, DEMO_LOGINS, DEMO_RETIREE_COUNT
from gonghui.people.models import Person

DEMO_OFFICE_USERNAME = "office"
DEMO_MEMBER_STAFF_NO = "100001"
YEAR = 2021
D = datetime.date
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The bulletin's insured per plan (DOMAIN §2), for the full-size demo university.
BULLETIN_INSURED = {"ZYJT": 1759, "ZDJB": 1759, "NGTJ": 1005}
# 女工特疾: women aged 16 to under 60 on the start date, active or retired (DOMAIN §3.2).
EDITION_OVERRIDES = {"NGTJ": {"eligible_statuses": ["active", "retired"], "min_age": 16, "max_age_female": 60}}
# The roster lines (0-based, in roster order) the insurer rejects, per plan.
REJECTED_LINES = {"NGTJ": (3, 7)}
REJECTION_REASON = "身份证信息与公安系统不符"
# Who declines first, by employment category; then everyone else, by staff number.
OPT_OUT_ORDER = ("博士后", "合同制", "人事代理")
OPT_OUT_REASONS = {
    "博士后": "博士后在站期间已参加合作单位的团体保险",
    "合同制": "已参加劳务派遣单位的团体保险",
}
OPT_OUT_REASON = "本人声明不参加"
NGTJ_OPT_OUT_REASON = "本人声明不参加女工特疾保障"


@dataclass(frozen=True)
class DemoClaim:
    """One claim of the year, paid what the edition's table gives (`amount`)."""

    plan: str
    benefit: str
    diagnosis: str
    event: datetime.date  # the admission date of a hospital stay
    discharge: datetime.date | None
    reported: datetime.date
    submitted: datetime.date
    paid: datetime.date
    amount: str
    claimant: str = "first"  # "member": the demo member; "eldest": the oldest insured first


# Eight claims paid, 61,040 yuan in all (DOMAIN §2): three hospital stays (7, 10 and 9 days of
# allowance at 40 yuan), three critical illnesses (10,000) and two listed female diseases
# (15,000), every event after the waiting period, every payment before the bulletin. A smaller
# demo has fewer (`claims_for`), the first three at least: one per plan, the demo member's first.
CLAIMS = (
    DemoClaim("ZYJT", "allowance", "急性阑尾炎", D(2021, 9, 6), D(2021, 9, 16), D(2021, 9, 18), D(2021, 9, 24),
              D(2021, 10, 15), "280.00", claimant="member"),
    DemoClaim("NGTJ", "listed", "乳腺癌", D(2021, 10, 12), None, D(2021, 10, 20), D(2021, 10, 26),
              D(2021, 11, 4), "15000.00"),
    DemoClaim("ZDJB", "illness", "急性心肌梗死", D(2021, 8, 20), None, D(2021, 8, 30), D(2021, 9, 3),
              D(2021, 9, 24), "10000.00", claimant="eldest"),
    DemoClaim("ZYJT", "allowance", "社区获得性肺炎", D(2021, 8, 16), D(2021, 8, 29), D(2021, 9, 1), D(2021, 9, 6),
              D(2021, 9, 27), "400.00"),
    DemoClaim("ZDJB", "illness", "脑梗死", D(2021, 9, 14), None, D(2021, 9, 28), D(2021, 9, 30),
              D(2021, 10, 21), "10000.00", claimant="eldest"),
    DemoClaim("NGTJ", "listed", "卵巢恶性肿瘤", D(2021, 9, 10), None, D(2021, 9, 22), D(2021, 9, 27),
              D(2021, 10, 18), "15000.00"),
    DemoClaim("ZYJT", "allowance", "腰椎间盘突出症", D(2021, 10, 8), D(2021, 10, 20), D(2021, 10, 22),
              D(2021, 10, 25), D(2021, 11, 5), "360.00"),
    DemoClaim("ZDJB", "illness", "肺恶性肿瘤", D(2021, 10, 9), None, D(2021, 10, 18), D(2021, 10, 20),
              D(2021, 11, 3), "10000.00", claimant="eldest"),
)  # fmt: skip


def claims_for(scale: float) -> tuple[DemoClaim, ...]:
    """The claims of a demo of `scale`: all eight at full size, fewer in a smaller one (three at least)."""
    return CLAIMS[: max(3, round(len(CLAIMS) * scale))]


def demo_scale() -> float:
    """The demo university's size against the full one (1.0: 1,800 active staff and 1,100
    retirees), read from the people it has."""
    return Person.objects.count() / (DEMO_ACTIVE_COUNT + DEMO_RETIREE_COUNT)


def insured_targets(scale: float) -> dict[str, int]:
    """How many each plan insures: the bulletin's figures at full size, scaled otherwise."""
    return {code: round(n * scale) for code, n in BULLETIN_INSURED.items()}


def _demo_staff() -> set[str]:
    return {login.staff_no for login in DEMO_LOGINS if login.staff_no}


def _decline_order(person: Person) -> tuple:
    category = person.employment_category.name if person.employment_category_id else ""
    rank = OPT_OUT_ORDER.index(category) if category in OPT_OUT_ORDER else len(OPT_OUT_ORDER)
    return (rank, person.staff_no)


def _opt_outs(editions: dict[str, PlanEdition], targets: dict[str, int]) -> dict[str, dict]:
    """{plan code: {person: reason}}: the declarations that leave each plan's target insured.
    Whoever declines declines every plan open to them: a woman declines 住院津贴 and 重大疾病
    only while 女工特疾 still has more women than it insures."""
    keep = _demo_staff()  # the demo sign-ins are insured
    women = eligible_people(editions["NGTJ"])
    women_ids = set(women.values_list("pk", flat=True))
    women_surplus = max(0, len(women_ids) - targets["NGTJ"] - len(REJECTED_LINES["NGTJ"]))
    both = eligible_people(editions["ZYJT"]).filter(pk__in=eligible_people(editions["ZDJB"]).values("pk"))
    surplus = max(0, both.count() - max(targets["ZYJT"], targets["ZDJB"]))
    declining: list[Person] = []
    women_declining = 0
    for person in sorted(both.exclude(staff_no__in=keep).select_related("employment_category"), key=_decline_order):
        if len(declining) == surplus:
            break
        if person.pk in women_ids:
            if women_declining == women_surplus:
                continue
            women_declining += 1
        declining.append(person)
    declined = {person.pk for person in declining}
    ordered = sorted(women.exclude(staff_no__in=keep), key=lambda p: (p.pk not in declined, p.staff_no))
    reasons = {p: OPT_OUT_REASONS.get(p.employment_category.name, OPT_OUT_REASON) for p in declining}
    return {
        "ZYJT": reasons,
        "ZDJB": reasons,
        "NGTJ": {person: NGTJ_OPT_OUT_REASON for person in ordered[:women_surplus]},
    }


def _answer_roster(actor, edition: PlanEdition, rejected: tuple[int, ...]) -> None:
    """File the roster and import the insurer's answer: every line accepted but `rejected`."""
    roster = roster_export_create(actor=actor, edition=edition)
    rows = []
    for index, line in enumerate(roster.lines.select_related("enrollment__person").order_by("seq")):
        person = line.enrollment.person
        refused = index in rejected
        rows.append(
            (
                line.seq,
                person.name,
                person.id_number_clear(),
                "拒保" if refused else "承保",
                REJECTION_REASON if refused else "",
            )
        )
    data = xlsx_bytes(headers=["序号", "姓名", "身份证号", "结果", "原因"], rows=rows, text_columns={2})
    upload = Upload(data=data, filename="承保回执.xlsx")
    preview = import_start(AcceptanceImport.name, actor=actor, upload=upload, target=str(roster.pk))
    import_confirm(preview, actor=actor)


def _claimants(edition: PlanEdition, how: str, used: set[int]) -> Iterator[PlanEnrollment]:
    accepted = PlanEnrollment.objects.filter(edition=edition, status=EnrollmentStatus.ACCEPTED).select_related("person")
    if how == "member":
        accepted = accepted.filter(person__staff_no=DEMO_MEMBER_STAFF_NO)
    else:  # the demo sign-ins other than the member's claim stay without one
        accepted = accepted.exclude(person__staff_no__in=_demo_staff())
    ordering = ("person__birth_date", "person__staff_no") if how == "eldest" else ("person__staff_no",)
    for enrollment in accepted.order_by(*ordering):
        if enrollment.person_id not in used:
            yield enrollment


def _claim_paid(actor, editions: dict[str, PlanEdition], claim: DemoClaim, used: set[int]) -> bool:
    edition = editions[claim.plan]
    enrollment = next(_claimants(edition, claim.claimant, used), None)
    if enrollment is None:
        return False
    person = enrollment.person
    used.add(person.pk)
    hospital = claim.discharge is not None
    reported = claim_services.claim_report(
        actor=actor,
        person=person,
        plan=edition.plan,
        benefit_code=claim.benefit,
        diagnosis=claim.diagnosis,
        event_date=None if hospital else claim.event,
        admission_date=claim.event if hospital else None,
        discharge_date=claim.discharge,
        reported_on=claim.reported,
        payout_account=person.jingka_no or f"62170000000{person.pk:08d}",
    )
    for name in edition.required_documents:
        claim_services.claim_document_add(
            actor=actor,
            claim=reported,
            name=name,
            uploaded_file=SimpleUploadedFile("scan.pdf", _PDF, "application/pdf"),
        )
    claim_services.claim_check(actor=actor, claim=reported)
    claim_services.claim_submit(actor=actor, claim=reported, submitted_on=claim.submitted)
    claim_services.claim_pay(actor=actor, claim=reported, amount=claim.amount, paid_on=claim.paid)
    return True


@transaction.atomic
def insurance_demo_build() -> dict:
    """{plan code: people enrolled by the run} ({} when the demo has no office or is built)."""
    actor = User.objects.filter(username=DEMO_OFFICE_USERNAME).first()
    if actor is None:
        return {}
    created = editions_create(actor=actor, year=YEAR, overrides=EDITION_OVERRIDES)
    editions = dict(zip(("ZYJT", "ZDJB", "NGTJ"), created, strict=True))
    if PlanEnrollment.objects.filter(edition__in=editions.values()).exists():
        return {}
    scale = demo_scale()
    for code, reasons in _opt_outs(editions, insured_targets(scale)).items():
        if reasons:
            opt_out_record_bulk(actor=actor, edition=editions[code], reasons=reasons)
    counts = {}
    for code, edition in editions.items():
        counts[code] = enrollment_run(actor=actor, edition=edition).created
        _answer_roster(actor, edition, REJECTED_LINES.get(code, ()))
    used: set[int] = set()
    for claim in claims_for(scale):
        _claim_paid(actor, editions, claim, used)
    return counts


__all__ = [
    "BULLETIN_INSURED",
    "CLAIMS",
    "EDITION_OVERRIDES",
    "claims_for",
    "demo_scale",
    "insurance_demo_build",
    "insured_targets",
]

"""Claims with the union as go-between: checklist, steps, flags, expected benefit, notifications."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.models import AuditEvent
from gonghui.insurance.choices import ClaimStatus
from gonghui.insurance.models import ClaimDocument, ClaimEvent, PlanClaim
from gonghui.insurance.services import claims as svc
from gonghui.insurance.services.enrollment import enrollment_end, enrollment_run
from gonghui.insurance.tests.helpers import pdf
from gonghui.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def insured(university, office, editions_2021, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    for edition in editions_2021.values():
        enrollment_run(actor=office, edition=edition)
    return editions_2021


def hospital_claim(university, actor, plan, **kw):
    values = {
        "benefit_code": "allowance",
        "diagnosis": "肺炎",
        "admission_date": datetime.date(2021, 9, 1),
        "discharge_date": datetime.date(2021, 9, 11),
        "reported_on": datetime.date(2021, 9, 15),
        "payout_account": "6217000000000001",
    }
    values.update(kw)
    return svc.claim_report(actor=actor, person=university.zhang, plan=plan, **values)


def test_a_claim_through_to_payment(university, office, insured, django_capture_on_commit_callbacks):
    member = university.users["member"]
    plan = insured["ZYJT"].plan
    # the member starts the claim on the phone
    with django_capture_on_commit_callbacks(execute=True):
        claim = hospital_claim(university, member, plan)
    assert (claim.status, claim.channel, claim.expected_benefit, claim.flags) == (
        ClaimStatus.REPORTED,
        "member",
        Decimal("280.00"),
        [],
    )
    # documents missing: the office's check says which
    with django_capture_on_commit_callbacks(execute=True):
        svc.claim_document_add(actor=member, claim=claim, name="诊断证明", uploaded_file=pdf())
        claim = svc.claim_check(actor=office, claim=claim)
    assert claim.status == ClaimStatus.DOCUMENTS_PENDING
    for name in insured["ZYJT"].required_documents:
        if name != "诊断证明":
            svc.claim_document_add(actor=office, claim=claim, name=name, uploaded_file=pdf())
    with django_capture_on_commit_callbacks(execute=True):
        claim = svc.claim_check(actor=office, claim=claim)
    assert claim.status == ClaimStatus.READY
    with django_capture_on_commit_callbacks(execute=True):
        claim = svc.claim_submit(actor=office, claim=claim, submitted_on=datetime.date(2021, 9, 20))
    with django_capture_on_commit_callbacks(execute=True):
        claim = svc.claim_return(actor=office, claim=claim, reason="请补充费用清单原件", on=datetime.date(2021, 10, 8))
    with django_capture_on_commit_callbacks(execute=True):
        claim = svc.claim_submit(actor=office, claim=claim, submitted_on=datetime.date(2021, 10, 12))
    with django_capture_on_commit_callbacks(execute=True):
        claim = svc.claim_pay(actor=office, claim=claim, amount="280.00", paid_on=datetime.date(2021, 11, 1))
    assert (claim.status, claim.paid_amount, claim.flags) == (ClaimStatus.PAID, Decimal("280.00"), [])
    steps = list(claim.events.values_list("to_state", flat=True))
    # reported, one upload, the check, five uploads while pending, then the steps
    assert steps == [
        "reported",
        "reported",
        "documents_pending",
        *["documents_pending"] * 5,
        "ready",
        "submitted",
        "returned",
        "submitted",
        "paid",
    ]
    assert list(claim.events.values_list("step", flat=True)) == [
        "created",
        "document",
        "request_documents",
        *["document"] * 5,
        "complete",
        "submit",
        "return",
        "submit",
        "pay",
    ]
    # the member was told at each step: reported, pending, ready, submitted, returned, submitted, paid
    titles = list(
        Notification.objects.filter(recipient=member, kind="insurance.claim")
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert titles == [
        "您的住院津贴理赔已登记",
        "您的住院津贴理赔：待补材料",
        "您的住院津贴理赔：材料齐全",
        "您的住院津贴理赔：已递交保险互助会",
        "您的住院津贴理赔：退回补材料",
        "您的住院津贴理赔：已递交保险互助会",
        "您的住院津贴理赔：已赔付",
    ]


def test_paid_differs_from_expected_is_flagged(university, office, insured):
    claim = hospital_claim(university, office, insured["ZYJT"].plan)
    for name in insured["ZYJT"].required_documents:
        svc.claim_document_add(actor=office, claim=claim, name=name, uploaded_file=pdf())
    svc.claim_check(actor=office, claim=claim)
    svc.claim_submit(actor=office, claim=claim, submitted_on=datetime.date(2021, 9, 20))
    claim = svc.claim_pay(actor=office, claim=claim, amount="240.00", paid_on=datetime.date(2021, 10, 1))
    assert claim.flags == ["paid_differs"]


def test_waiting_late_and_not_enrolled_flags(university, office, insured):
    plan = insured["ZYJT"].plan
    waiting = hospital_claim(
        university,
        office,
        plan,
        admission_date=datetime.date(2021, 7, 20),
        discharge_date=datetime.date(2021, 7, 30),
        reported_on=datetime.date(2021, 8, 2),
    )
    assert (waiting.flags, waiting.expected_benefit) == (["waiting"], Decimal("0.00"))
    late = hospital_claim(university, office, plan, reported_on=datetime.date(2021, 12, 1))
    assert late.flags == ["late"]
    enrollment = late.enrollment
    enrollment_end(actor=office, enrollment=enrollment, on=datetime.date(2021, 8, 31), reason="调离")
    after = hospital_claim(university, office, plan)
    assert after.flags == ["not_enrolled"]


def test_claim_for_someone_not_enrolled_is_refused(university, office, insured):
    # zhang is a man: no 女工特疾 cover; zhao is retired: no cover at all
    with pytest.raises(ApplicationError, match="未参加女工特疾"):
        svc.claim_report(
            actor=office,
            person=university.zhang,
            plan=insured["NGTJ"].plan,
            benefit_code="listed",
            diagnosis="x",
            event_date=datetime.date(2021, 10, 1),
        )
    with pytest.raises(ApplicationError, match="赵强 未参加住院津贴"):
        svc.claim_report(
            actor=office,
            person=university.zhao,
            plan=insured["ZYJT"].plan,
            benefit_code="allowance",
            diagnosis="x",
            admission_date=datetime.date(2021, 10, 1),
            discharge_date=datetime.date(2021, 10, 9),
        )
    assert PlanClaim.objects.count() == 0
    assert ClaimEvent.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    "change, message",
    [
        ({"diagnosis": " "}, "诊断"),
        ({"discharge_date": datetime.date(2021, 8, 1)}, "出院日期"),
        ({"benefit_code": "nope"}, "没有给付项目"),
        ({"discharge_date": None}, "入院和出院"),
    ],
)
def test_bad_claim_input_writes_nothing(university, office, insured, change, message):
    with pytest.raises(ApplicationError, match=message):
        hospital_claim(university, office, insured["ZYJT"].plan, **change)
    assert PlanClaim.objects.count() == 0


def test_members_act_only_for_themselves_and_steps_follow_the_table(university, office, insured):
    member = university.users["member"]
    with pytest.raises(PermissionDenied):
        svc.claim_report(
            actor=member,
            person=university.wang,
            plan=insured["ZYJT"].plan,
            benefit_code="allowance",
            diagnosis="x",
            admission_date=datetime.date(2021, 9, 1),
            discharge_date=datetime.date(2021, 9, 5),
        )
    claim = hospital_claim(university, member, insured["ZYJT"].plan)
    with pytest.raises(PermissionDenied):
        svc.claim_check(actor=member, claim=claim)
    with pytest.raises(ApplicationError, match="材料不全"):
        svc.claim_submit(actor=office, claim=claim, submitted_on=datetime.date(2021, 9, 20))
    with pytest.raises(InvalidTransition):
        svc.claim_pay(actor=office, claim=claim, amount="10", paid_on=datetime.date(2021, 9, 20))
    with pytest.raises(ApplicationError, match="不在本计划"):
        svc.claim_document_add(actor=member, claim=claim, name="其他", uploaded_file=pdf())
    claim.refresh_from_db()
    assert (claim.status, claim.paid_amount, ClaimDocument.objects.count()) == (ClaimStatus.REPORTED, None, 0)
    assert PlanClaim.objects.count() == 1


def _frozen(claim):
    claim.refresh_from_db()
    return (claim.status, claim.decision_note, claim.decided_on, ClaimEvent.objects.filter(subject=claim).count())


def test_the_claimant_or_the_office_withdraws_a_claim_not_yet_submitted(university, office, insured):
    from gonghui.core.workflow import available_steps
    from gonghui.insurance.workflow import ClaimWorkflow

    member = university.users["member"]
    own = hospital_claim(university, member, insured["ZYJT"].plan)
    assert [s.name for s in available_steps(ClaimWorkflow, own, member)] == ["withdraw"]
    assert [s.name for s in available_steps(ClaimWorkflow, own, university.users["sub_union_officer"])] == []
    before = _frozen(own)
    with pytest.raises(PermissionDenied):
        svc.claim_withdraw(actor=university.users["sub_union_officer"], claim=own)
    assert _frozen(own) == before
    withdrawn = svc.claim_withdraw(actor=member, claim=own)
    event = withdrawn.events.last()
    assert (withdrawn.status, event.step, event.from_state, event.actor) == (
        "withdrawn",
        "withdraw",
        "reported",
        member,
    )
    # the office withdraws for a member; not once the claim is with the insurer
    other = hospital_claim(
        university,
        office,
        insured["ZYJT"].plan,
        admission_date=datetime.date(2021, 10, 1),
        discharge_date=datetime.date(2021, 10, 11),
        reported_on=datetime.date(2021, 10, 15),
    )
    for name in insured["ZYJT"].required_documents:
        svc.claim_document_add(actor=office, claim=other, name=name, uploaded_file=pdf())
    svc.claim_check(actor=office, claim=other)
    svc.claim_submit(actor=office, claim=other, submitted_on=datetime.date(2021, 10, 20))
    before = _frozen(other)
    with pytest.raises(InvalidTransition, match="不能改为“已撤回”"):
        svc.claim_withdraw(actor=office, claim=other)
    assert _frozen(other) == before


def test_decisions_need_their_reason_and_refusals_change_nothing(university, office, insured):
    claim = hospital_claim(university, office, insured["ZYJT"].plan)
    for name in insured["ZYJT"].required_documents:
        svc.claim_document_add(actor=office, claim=claim, name=name, uploaded_file=pdf())
    svc.claim_check(actor=office, claim=claim)
    with pytest.raises(ApplicationError, match="递交日期"):
        svc.claim_submit(actor=office, claim=claim, submitted_on=datetime.date(2021, 9, 1))
    svc.claim_submit(actor=office, claim=claim, submitted_on=datetime.date(2021, 9, 20))
    before = _frozen(claim)
    with pytest.raises(ApplicationError, match="请填写需补充的材料"):
        svc.claim_return(actor=office, claim=claim, reason=" ", on=datetime.date(2021, 10, 1))
    with pytest.raises(ApplicationError, match="请填写拒赔原因"):
        svc.claim_refuse(actor=office, claim=claim, reason="", on=datetime.date(2021, 10, 1))
    with pytest.raises(ApplicationError, match="赔付金额须为正数"):
        svc.claim_pay(actor=office, claim=claim, amount="0", paid_on=datetime.date(2021, 10, 1))
    with pytest.raises(PermissionDenied):
        svc.claim_refuse(actor=university.users["auditor"], claim=claim, reason="x", on=datetime.date(2021, 10, 1))
    assert _frozen(claim) == before
    refused = svc.claim_refuse(actor=office, claim=claim, reason="既往症", on=datetime.date(2021, 10, 2))
    assert (refused.status, refused.decision_note, refused.decided_on) == (
        "refused",
        "既往症",
        datetime.date(2021, 10, 2),
    )
    event = refused.events.last()
    assert (event.step, event.message, event.parameters) == ("refuse", "保险互助会拒赔：既往症", {"on": "2021-10-02"})
    audit = AuditEvent.objects.filter(object_type="insurance.planclaim", object_id=str(claim.pk)).first()
    assert audit.changes == {
        "status": ["已递交保险互助会", "拒赔"],
        "decision_note": ["", "既往症"],
        "decided_on": [None, "2021-10-02"],
    }


def test_ending_cover_is_a_step_with_its_reason(university, office, insured):
    from gonghui.insurance.models import PlanEnrollment, PlanEnrollmentEvent

    enrollment = PlanEnrollment.objects.get(edition=insured["ZYJT"], person=university.zhang)
    ended = enrollment_end(actor=office, enrollment=enrollment, on=datetime.date(2021, 8, 31), reason="调离")
    assert (ended.status, ended.ends_on, ended.ended_reason) == ("ended", datetime.date(2021, 8, 31), "调离")
    event = PlanEnrollmentEvent.objects.get(subject=enrollment)
    assert (event.step, event.from_state, event.message, event.parameters) == (
        "end",
        "enrolled",
        "住院津贴 保障终止：调离",
        {"refund": "0.00"},
    )
    with pytest.raises(InvalidTransition, match="不能改为“已终止”"):
        enrollment_end(actor=office, enrollment=enrollment, on=datetime.date(2021, 9, 30), reason="再次")
    ended.refresh_from_db()
    assert (ended.ends_on, PlanEnrollmentEvent.objects.count()) == (datetime.date(2021, 8, 31), 1)

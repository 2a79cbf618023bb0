import datetime
from decimal import Decimal

import pytest

from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.core.text import name_mask
from gonghui.core.workflow import transition
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.choices import LedgerKind, NoticeStatus, PaymentBatchStatus
from gonghui.mutual_aid.models import (
    ApplicationEvent,
    CommitteeSitting,
    Decision,
    LedgerEntry,
    NoticeObjection,
    PublicNotice,
)
from gonghui.mutual_aid.services import committee as services
from gonghui.mutual_aid.services import payments
from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make
from gonghui.mutual_aid.workflow import ApplicationWorkflow
from gonghui.notifications.models import Notification

D = Decimal


def status_of(app):
    app.refresh_from_db()
    return app.status


def decide_three(w):
    services.decision_record(sitting=w.sitting, application=w.apps.zhang, outcome="approved", actor=w.committee)
    services.decision_record(
        sitting=w.sitting,
        application=w.apps.wang,
        outcome="adjusted",
        actor=w.committee,
        amount="2500.00",
        reason="部分票据不在目录内",
    )
    services.decision_record(
        sitting=w.sitting, application=w.apps.zhao, outcome="rejected", actor=w.committee, reason="病种不在目录内"
    )


def test_sitting_records_members_date_and_place(committee_world):
    w = committee_world
    assert list(w.sitting.members.all()) == [w.committee]
    assert w.sitting.held_on == datetime.date(2021, 3, 20)
    assert w.sitting.place == "工会会议室"
    assert w.sitting.created_by == w.office


def test_sitting_members_must_be_on_the_committee(committee_world):
    w = committee_world
    with pytest.raises(ApplicationError, match="不是福利委员会委员"):
        services.sitting_create(
            actor=w.office, year=2020, held_on=datetime.date(2021, 3, 21), members=[w.committee, w.u.users["auditor"]]
        )
    assert CommitteeSitting.objects.count() == 1


def test_decisions_with_exact_amounts(committee_world, django_capture_on_commit_callbacks):
    w = committee_world
    with django_capture_on_commit_callbacks(execute=True):
        decide_three(w)
    rows = sorted(Decision.objects.values_list("application__person__name", "outcome", "amount", "reason"))
    assert rows == [
        ("张伟", "approved", D("12500.00"), ""),
        ("王芳", "adjusted", D("2500.00"), "部分票据不在目录内"),
        ("赵强", "rejected", D("0.00"), "病种不在目录内"),
    ]
    for app in vars(w.apps).values():
        app.refresh_from_db()
    assert (w.apps.zhang.status, w.apps.zhang.approved_amount) == (S.APPROVED, D("12500.00"))
    assert (w.apps.wang.status, w.apps.wang.approved_amount) == (S.ADJUSTED, D("2500.00"))
    assert (w.apps.zhao.status, w.apps.zhao.approved_amount) == (S.REJECTED, None)
    assert ApplicationEvent.objects.filter(to_state__in=[S.APPROVED, S.ADJUSTED, S.REJECTED]).count() == 3
    # the member (zhang has a user) is told
    assert Notification.objects.filter(recipient=w.u.users["member"]).count() == 1


@pytest.mark.parametrize(
    "outcome, amount, reason, message",
    [
        ("adjusted", "2000.00", "", "须说明理由"),
        ("adjusted", "", "票据不全", "须填写核定金额"),
        ("adjusted", "-1.00", "票据不全", "不能为负数"),
        ("adjusted", "1.001", "票据不全", "两位小数"),
        ("rejected", None, "  ", "须说明理由"),
    ],
)
def test_adjust_and_reject_need_reasons_and_change_nothing(committee_world, outcome, amount, reason, message):
    w = committee_world
    with pytest.raises(ApplicationError, match=message):
        services.decision_record(
            sitting=w.sitting, application=w.apps.wang, outcome=outcome, actor=w.committee, amount=amount, reason=reason
        )
    assert Decision.objects.count() == 0
    w.apps.wang.refresh_from_db()
    assert (w.apps.wang.status, w.apps.wang.approved_amount) == (S.OFFICE_CHECKED, None)
    assert ApplicationEvent.objects.count() == 0


def test_office_and_members_cannot_decide(committee_world):
    w = committee_world
    for user in (w.office, w.u.users["member"], w.u.users["auditor"]):
        with pytest.raises(PermissionDenied):
            services.decision_record(sitting=w.sitting, application=w.apps.zhang, outcome="approved", actor=user)
    assert Decision.objects.count() == 0
    assert status_of(w.apps.zhang) == S.OFFICE_CHECKED


def test_a_decided_application_cannot_be_decided_again_nor_after_closing(committee_world):
    w = committee_world
    services.decision_record(sitting=w.sitting, application=w.apps.zhang, outcome="approved", actor=w.committee)
    with pytest.raises(ApplicationError):
        services.decision_record(
            sitting=w.sitting, application=w.apps.zhang, outcome="rejected", actor=w.committee, reason="x"
        )
    services.sitting_close(sitting=w.sitting, actor=w.office, minutes="审议 1 件")
    with pytest.raises(ApplicationError, match="会议已结束"):
        services.decision_record(sitting=w.sitting, application=w.apps.wang, outcome="approved", actor=w.committee)
    assert Decision.objects.count() == 1
    w.sitting.refresh_from_db()
    assert w.sitting.closed_at is not None and w.sitting.minutes == "审议 1 件"


# --- pro-rata -----------------------------------------------------------------------------


@pytest.fixture
def pro_rata(university):
    u = university
    edition = edition_make(year=2019, pro_rata=True)
    apps = [
        application_make(person=u.zhang, edition=edition, computed="10000.00"),
        application_make(person=u.wang, edition=edition, computed="20000.00"),
        application_make(person=u.zhao, edition=edition, computed="30000.00"),
        application_make(person=u.li, edition=edition, computed="5000.00"),
    ]
    sitting = services.sitting_create(
        actor=u.users["union_office"],
        year=2019,
        held_on=datetime.date(2020, 3, 20),
        members=[u.users["welfare_committee"]],
        fund_amount="10000.00",
    )
    return u, edition, apps, sitting


def test_pro_rata_sitting_needs_a_fund(university):
    edition_make(year=2019, pro_rata=True)
    with pytest.raises(ApplicationError, match="可分配资金"):
        services.sitting_create(
            actor=university.users["union_office"],
            year=2019,
            held_on=datetime.date(2020, 3, 20),
            members=[university.users["welfare_committee"]],
        )
    assert CommitteeSitting.objects.count() == 0


def test_pro_rata_shares_add_up_to_the_fund_exactly(pro_rata):
    u, edition, apps, sitting = pro_rata
    committee = u.users["welfare_committee"]
    for app in apps[:3]:
        services.decision_record(sitting=sitting, application=app, outcome="approved", actor=committee)
    assert [status_of(a) for a in apps[:3]] == [S.APPROVED] * 3
    apps[0].refresh_from_db()
    assert apps[0].approved_amount is None  # waits for the share-out
    with pytest.raises(ApplicationError, match="按比例分配"):
        services.sitting_close(sitting=sitting, actor=u.users["union_office"])

    shares, ratio = services.sitting_share_out(sitting=sitting, actor=committee)
    for app in apps[:3]:
        app.refresh_from_db()
    # 10000 / 60000 = 1/6: 1666.666…, 3333.333…, 5000 → cents go to the largest remainders
    assert [a.approved_amount for a in apps[:3]] == [D("1666.67"), D("3333.33"), D("5000.00")]
    assert sum(a.approved_amount for a in apps[:3]) == D("10000.00")

    # the fund is spent: approving another is refused and changes nothing
    with pytest.raises(ApplicationError, match="不能超过可分配资金"):
        services.decision_record(sitting=sitting, application=apps[3], outcome="approved", actor=committee)
    assert status_of(apps[3]) == S.OFFICE_CHECKED
    assert Decision.objects.filter(application=apps[3]).count() == 0


# --- notice, objections, payment ------------------------------------------------------------


def post_notice(w, starts_on=datetime.date(2021, 3, 25)):
    decide_three(w)
    services.sitting_close(sitting=w.sitting, actor=w.office, minutes="批准 2 件，不予 1 件")
    return services.notice_post(sitting=w.sitting, starts_on=starts_on, actor=w.office)


def test_notice_needs_a_closed_sitting(committee_world):
    w = committee_world
    decide_three(w)
    with pytest.raises(ApplicationError, match="会议结束后"):
        services.notice_post(sitting=w.sitting, starts_on=datetime.date(2021, 3, 25), actor=w.office)
    assert PublicNotice.objects.count() == 0
    assert status_of(w.apps.zhang) == S.APPROVED


def test_notice_puts_approved_on_notice_and_nothing_is_payable_before_it_ends(committee_world):
    w = committee_world
    notice = post_notice(w)
    assert notice.ends_on == datetime.date(2021, 4, 1)  # 25 March + 7 days
    assert [status_of(w.apps.zhang), status_of(w.apps.wang), status_of(w.apps.zhao)] == [
        S.ON_NOTICE,
        S.ON_NOTICE,
        S.REJECTED,
    ]
    # nothing is payable during the notice, and no batch can be made
    with pytest.raises(ApplicationError, match="期满后"):
        services.notice_end(notice=notice, today=datetime.date(2021, 4, 1), actor=system_actor())
    assert services.notices_end_due(today=datetime.date(2021, 4, 1), actor=system_actor()) == 0
    with pytest.raises(ApplicationError, match="没有待发放"):
        payments.payment_batch_create(year=2020, actor=w.office)
    assert status_of(w.apps.zhang) == S.ON_NOTICE
    # the day after: both payable, the notice ended
    assert services.notices_end_due(today=datetime.date(2021, 4, 2), actor=system_actor()) == 2
    assert [status_of(w.apps.zhang), status_of(w.apps.wang)] == [S.PAYABLE, S.PAYABLE]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ENDED
    assert services.notices_end_due(today=datetime.date(2021, 4, 3), actor=system_actor()) == 0


def test_nothing_payable_before_the_decision(committee_world):
    w = committee_world
    with pytest.raises(InvalidTransition):
        transition(ApplicationWorkflow, w.apps.zhang, to=S.PAYABLE, actor=w.office)
    assert status_of(w.apps.zhang) == S.OFFICE_CHECKED


def test_objection_puts_on_hold_then_committee_resolves(committee_world):
    w = committee_world
    notice = post_notice(w)
    with pytest.raises(ApplicationError, match="公示期内"):
        services.objection_record(
            notice=notice,
            application=w.apps.zhang,
            received_on=datetime.date(2021, 4, 2),
            content="有人反映",
            actor=w.office,
        )
    objection = services.objection_record(
        notice=notice,
        application=w.apps.zhang,
        received_on=datetime.date(2021, 3, 27),
        content="有人反映病历不实",
        actor=w.office,
    )
    assert status_of(w.apps.zhang) == S.ON_HOLD
    # after the period: wang becomes payable, zhang waits, the notice stays posted
    assert services.notice_end(notice=notice, today=datetime.date(2021, 4, 5), actor=system_actor()) == 1
    assert [status_of(w.apps.zhang), status_of(w.apps.wang)] == [S.ON_HOLD, S.PAYABLE]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.POSTED
    # resolving needs the committee and a reason
    with pytest.raises(PermissionDenied):
        services.objection_resolve(objection=objection, upheld=False, resolution="核实无误", actor=w.office)
    with pytest.raises(ApplicationError):
        services.objection_resolve(objection=objection, upheld=False, resolution="", actor=w.committee)
    assert status_of(w.apps.zhang) == S.ON_HOLD
    services.objection_resolve(objection=objection, upheld=False, resolution="核实无误", actor=w.committee)
    assert status_of(w.apps.zhang) == S.ON_NOTICE
    assert services.notices_end_due(today=datetime.date(2021, 4, 6), actor=system_actor()) == 1
    assert status_of(w.apps.zhang) == S.PAYABLE
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ENDED
    assert NoticeObjection.objects.get().resolution == "核实无误"


def test_upheld_objection_rejects(committee_world):
    w = committee_world
    notice = post_notice(w)
    objection = services.objection_record(
        notice=notice,
        application=w.apps.wang,
        received_on=datetime.date(2021, 3, 25),
        content="重复申请",
        actor=w.office,
    )
    services.objection_resolve(objection=objection, upheld=True, resolution="与2019年票据重复", actor=w.committee)
    assert status_of(w.apps.wang) == S.REJECTED


def payable_world(w):
    notice = post_notice(w)
    services.notice_end(notice=notice, today=datetime.date(2021, 4, 2), actor=system_actor())
    return notice


def test_payment_batch_xlsx_exact_content(committee_world):
    from io import BytesIO

    from openpyxl import load_workbook

    w = committee_world
    w.u.zhang.jingka_no = "6214000011112222"
    w.u.zhang.save()
    payable_world(w)
    batch = payments.payment_batch_create(year=2020, actor=w.office)
    sheet = load_workbook(BytesIO(payments.payment_batch_xlsx(batch))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["序号", "工号", "姓名", "单位", "京卡号", "补助金额", "年度"],
        [1, "E0001", "张伟", "经济学院分工会", "6214000011112222", 12500, 2020],
        [2, "L0001", "王芳", "法学院分工会", None, 2500, 2020],
    ]
    # amounts are numbers shown with two decimals; 工号 and 京卡号 text cells
    assert [(c.data_type, c.number_format) for c in sheet[2]][1:6] == [
        ("s", "@"),
        ("s", "General"),
        ("s", "General"),
        ("s", "@"),
        ("n", "0.00"),
    ]
    text = str(rows)
    for person in (w.u.zhang, w.u.wang):
        assert person.id_number_clear() not in text and person.id_number_masked not in text
    # a second batch finds nothing left
    with pytest.raises(ApplicationError):
        payments.payment_batch_create(year=2020, actor=w.office)


def test_mark_paid_writes_exact_ledger_entries_and_statuses_then_closes(
    committee_world, django_capture_on_commit_callbacks
):
    w = committee_world
    with django_capture_on_commit_callbacks(execute=True):
        payable_world(w)
        batch = payments.payment_batch_create(year=2020, actor=w.office)
        with pytest.raises(PermissionDenied):
            payments.payment_batch_mark_paid(batch=batch, paid_on=datetime.date(2021, 4, 10), actor=w.committee)
        assert LedgerEntry.objects.count() == 0
        payments.payment_batch_mark_paid(batch=batch, paid_on=datetime.date(2021, 4, 10), actor=w.office)
        rows = sorted(LedgerEntry.objects.values_list("person__name", "year", "kind", "amount"))
        assert rows == [
            ("张伟", 2020, LedgerKind.SUBSIDY, D("12500.00")),
            ("张伟", 2020, LedgerKind.SUBSIDY_PAYMENT, D("-12500.00")),
            ("王芳", 2020, LedgerKind.SUBSIDY, D("2500.00")),
            ("王芳", 2020, LedgerKind.SUBSIDY_PAYMENT, D("-2500.00")),
        ]
        assert [status_of(w.apps.zhang), status_of(w.apps.wang), status_of(w.apps.zhao)] == [S.PAID, S.PAID, S.REJECTED]
        batch.refresh_from_db()
        assert (batch.status, batch.paid_on) == (PaymentBatchStatus.PAID, datetime.date(2021, 4, 10))
        with pytest.raises(ApplicationError):
            payments.payment_batch_mark_paid(batch=batch, paid_on=datetime.date(2021, 4, 11), actor=w.office)
        assert LedgerEntry.objects.count() == 4
        # closed after the 15-day query period
        assert payments.payment_batches_close_due(today=datetime.date(2021, 4, 24), actor=system_actor()) == 0
        assert payments.payment_batches_close_due(today=datetime.date(2021, 4, 25), actor=system_actor()) == 2
        assert [status_of(w.apps.zhang), status_of(w.apps.wang)] == [S.CLOSED, S.CLOSED]
    # the member followed every step
    titles = list(
        Notification.objects.filter(recipient=w.u.users["member"]).order_by("id").values_list("title", flat=True)
    )
    assert [t.split("：")[-1] for t in titles] == ["已批准", "公示中", "待发放", "已发放", "已办结"]


@pytest.mark.parametrize("name, masked", [("张伟", "张*"), ("张小伟", "张*伟"), ("欧阳明华", "欧**华"), ("李", "李")])
def test_name_mask(name, masked):
    assert name_mask(name) == masked

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.accounts.roles import Role
from gonghui.attachments.models import Attachment
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.mutual_aid.calculator import Cost, Formula, subsidy_compute
from gonghui.mutual_aid.choices import ApplicationKind, SubmitterRelation
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.models import (
    ApplicationDocument,
    ApplicationEvent,
    CommitteeSitting,
    CostItem,
    Decision,
    SchemeMembership,
    SubsidyApplication,
)
from gonghui.mutual_aid.services import applications as services
from gonghui.mutual_aid.tests.applications.conftest import complete_application
from gonghui.mutual_aid.tests.applications.factories import item_data, png
from gonghui.notifications.models import Notification
from gonghui.people.tests.factories import user_make

pytestmark = pytest.mark.django_db


def _draft(ma, person=None, actor=None):
    return services.application_create_draft(
        actor=actor or ma.users["member"], person=person or ma.u.zhang, kind=ApplicationKind.INPATIENT
    )


def _assert_unsubmitted(application):
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.computed_subsidy == Decimal("0.00")
    assert application.working == {}
    assert application.submitted_at is None
    assert ApplicationEvent.objects.filter(subject=application).count() == 0


# --- cost item guards: refused, nothing saved ---------------------------------------------


@pytest.mark.parametrize("field", ["total", "paid_by_insurance", "second_reimbursement", "out_of_pocket"])
def test_negative_amount_is_refused(ma, field):
    application = _draft(ma)
    with pytest.raises(ApplicationError) as error:
        services.cost_item_add(
            actor=ma.users["member"], application=application, **item_data(ma.year, **{field: Decimal("-1.00")})
        )
    assert "负数" in error.value.message
    assert error.value.extra["field"] == field
    assert CostItem.objects.count() == 0


def test_out_of_pocket_above_total_is_refused(ma):
    application = _draft(ma)
    with pytest.raises(ApplicationError) as error:
        services.cost_item_add(
            actor=ma.users["member"],
            application=application,
            **item_data(
                ma.year,
                total=Decimal("100.00"),
                paid_by_insurance=Decimal("0"),
                second_reimbursement=Decimal("0"),
                out_of_pocket=Decimal("150.00"),
            ),
        )
    assert error.value.message == "个人自付 150.00 元超过总费用 100.00 元"
    assert CostItem.objects.count() == 0


def test_out_of_pocket_that_does_not_add_up_says_which(ma):
    application = _draft(ma)
    with pytest.raises(ApplicationError) as error:
        services.cost_item_add(
            actor=ma.users["member"], application=application, **item_data(ma.year, out_of_pocket=Decimal("6999.98"))
        )
    assert error.value.message == (
        "个人自付应为 总费用 20000.00 − 统筹/公费支付 12000.00 − 二次报销 1000.00 = 7000.00 元，填写的是 6999.98 元"
    )
    assert CostItem.objects.count() == 0
    # within a cent is accepted
    services.cost_item_add(
        actor=ma.users["member"], application=application, **item_data(ma.year, out_of_pocket=Decimal("6999.99"))
    )
    assert CostItem.objects.count() == 1


def test_cost_outside_the_cost_year_is_refused(ma):
    application = _draft(ma)
    with pytest.raises(ApplicationError) as error:
        services.cost_item_add(
            actor=ma.users["member"],
            application=application,
            **item_data(ma.year, incurred_on=datetime.date(ma.year + 1, 1, 2)),
        )
    assert f"不在 {ma.year} 年度内" in error.value.message
    assert CostItem.objects.count() == 0


def test_cost_in_the_waiting_period_is_refused(ma):
    application = _draft(ma, person=ma.u.li, actor=ma.users["sub_union_officer"])
    with pytest.raises(ApplicationError) as error:
        services.cost_item_add(
            actor=ma.users["sub_union_officer"],
            application=application,
            **item_data(ma.year, incurred_on=datetime.date(ma.year, 6, 30)),
        )
    assert "等待期" in error.value.message
    assert CostItem.objects.count() == 0
    services.cost_item_add(
        actor=ma.users["sub_union_officer"],
        application=application,
        **item_data(ma.year, incurred_on=datetime.date(ma.year, 7, 1)),
    )
    assert CostItem.objects.count() == 1


# --- applicant guards ------------------------------------------------------------------------


def test_non_member_cannot_apply(ma):
    officer = user_make(username="L0099", roles=[(Role.SUB_UNION_OFFICER, ma.u.law)])
    with pytest.raises(ApplicationError) as error:
        _draft(ma, person=ma.u.wang, actor=officer)
    assert error.value.message == f"王芳 在 {ma.year} 年不是互助会会员，不能申请该年度的补助"
    assert SubsidyApplication.objects.count() == 0


def test_membership_ended_before_the_cost_year_cannot_apply(ma):
    SchemeMembership.objects.filter(person=ma.u.zhang).update(
        ended_on=datetime.date(ma.year - 1, 12, 31), status="opted_out"
    )
    with pytest.raises(ApplicationError):
        _draft(ma)
    assert SubsidyApplication.objects.count() == 0


def test_membership_joined_after_the_cost_year_cannot_apply(ma):
    SchemeMembership.objects.filter(person=ma.u.zhang).update(
        joined_on=datetime.date(ma.year + 1, 1, 1), eligible_from=datetime.date(ma.year + 1, 1, 1)
    )
    with pytest.raises(ApplicationError):
        _draft(ma)
    assert SubsidyApplication.objects.count() == 0


def test_member_cannot_apply_for_someone_else(ma):
    with pytest.raises(PermissionDenied):
        _draft(ma, person=ma.u.li)
    assert SubsidyApplication.objects.count() == 0


def test_officer_cannot_apply_outside_their_sub_union(ma):
    with pytest.raises(PermissionDenied):
        _draft(ma, person=ma.u.zhao, actor=ma.users["sub_union_officer"])
    assert SubsidyApplication.objects.count() == 0


def test_outside_the_window_nothing_is_created_or_submitted(ma):
    late = ma.edition.application_window_end + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError) as error:
        services.application_create_draft(
            actor=ma.users["member"], person=ma.u.zhang, kind=ApplicationKind.INPATIENT, cost_year=ma.year, today=late
        )
    assert "不在申请期内" in error.value.message
    assert SubsidyApplication.objects.count() == 0
    application = complete_application(ma)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=ma.users["member"], application=application, today=late)
    assert "不在申请期内" in error.value.message
    _assert_unsubmitted(application)


def test_relative_submitter_needs_name_and_phone(ma):
    with pytest.raises(ApplicationError):
        services.application_create_draft(
            actor=ma.users["member"],
            person=ma.u.zhang,
            kind="inpatient",
            submitter_relation=SubmitterRelation.RELATIVE,
            relative_name="张小伟",
        )
    assert SubsidyApplication.objects.count() == 0
    application = services.application_create_draft(
        actor=ma.users["member"],
        person=ma.u.zhang,
        kind="inpatient",
        submitter_relation=SubmitterRelation.RELATIVE,
        relative_name="张小伟",
        relative_phone="13800000000",
    )
    assert (application.submitter_relation, application.relative_name, application.relative_phone) == (
        "relative",
        "张小伟",
        "13800000000",
    )


# --- submission guards --------------------------------------------------------------------


def test_second_application_for_the_same_bill_is_refused(ma):
    first = complete_application(ma)
    services.application_submit(actor=ma.users["member"], application=first)
    second = complete_application(ma, bill_no="B-001")
    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=ma.users["member"], application=second)
    assert error.value.message == f"票据 B-001 已在 {ma.year} 年度的另一份申请中报销，不能重复申请"
    _assert_unsubmitted(second)
    # once the first is withdrawn, the bill may be claimed again
    services.application_withdraw(actor=ma.users["member"], application=first)
    services.application_submit(actor=ma.users["member"], application=second)
    second.refresh_from_db()
    assert second.status == S.SUBMITTED


def test_missing_required_documents_are_named(ma):
    application = _draft(ma)
    services.cost_item_add(actor=ma.users["member"], application=application, **item_data(ma.year))
    services.application_details_update(actor=ma.users["member"], application=application, disease_category=ma.disease)
    services.document_attach(
        actor=ma.users["member"],
        application=application,
        required_document=ma.edition.required_documents.get(name="住院发票"),
        uploaded_file=png(),
    )
    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=ma.users["member"], application=application)
    assert error.value.message == "还缺少材料：出院小结"
    _assert_unsubmitted(application)


def test_no_cost_items_is_refused(ma):
    application = _draft(ma)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=ma.users["member"], application=application)
    assert error.value.message == "请至少填写一笔医疗费用"
    _assert_unsubmitted(application)


def test_disease_category_is_required_when_the_edition_has_a_catalogue(ma):
    application = complete_application(ma)
    services.application_details_update(actor=ma.users["member"], application=application, disease_category=None)
    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=ma.users["member"], application=application)
    assert error.value.message == "请选择病种"
    _assert_unsubmitted(application)


def test_a_file_that_is_not_an_image_or_pdf_is_refused(ma):
    application = _draft(ma)
    required = ma.required[0]
    with pytest.raises(ApplicationError) as error:
        services.document_attach(
            actor=ma.users["member"],
            application=application,
            required_document=required,
            uploaded_file=SimpleUploadedFile("a.exe", b"MZ\x90\x00" + b"\x00" * 200),
        )
    assert error.value.message == "文件类型不支持：只接受 PDF 和图片"
    assert ApplicationDocument.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_an_oversized_upload_is_refused(ma, settings):
    settings.ATTACHMENT_MAX_BYTES = 50
    application = _draft(ma)
    with pytest.raises(ApplicationError) as error:
        services.document_attach(
            actor=ma.users["member"],
            application=application,
            required_document=ma.required[0],
            uploaded_file=SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 100),
        )
    assert error.value.message.startswith("文件过大")
    assert ApplicationDocument.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_submitted_applications_cannot_be_edited(ma):
    application = complete_application(ma)
    services.application_submit(actor=ma.users["member"], application=application)
    item = application.cost_items.get()
    with pytest.raises(ApplicationError):
        services.cost_item_update(actor=ma.users["member"], item=item, **item_data(ma.year, hospital="改"))
    with pytest.raises(ApplicationError):
        services.cost_item_remove(actor=ma.users["member"], item=item)
    item.refresh_from_db()
    assert item.hospital == "市第一人民医院"


# --- computation ------------------------------------------------------------------------------


def test_stored_subsidy_equals_the_calculators(ma):
    application = complete_application(ma)
    services.cost_item_add(
        actor=ma.users["member"],
        application=application,
        **item_data(
            ma.year,
            bill_no="B-002",
            inpatient=False,
            covered=False,
            total=Decimal("9000.50"),
            paid_by_insurance=Decimal("0"),
            second_reimbursement=Decimal("0"),
            out_of_pocket=Decimal("9000.50"),
        ),
    )
    # granted before: 5,000.00 this cost year (another application), 3,000.00 two years ago
    sitting = CommitteeSitting.objects.create(year=ma.year, held_on=ma.today)
    for cost_year, amount in [(ma.year, "5000.00"), (ma.year - 2, "3000.00")]:
        other = SubsidyApplication.objects.create(
            person=ma.u.zhang, cost_year=cost_year, edition=ma.edition, kind="inpatient", status=S.PAID
        )
        Decision.objects.create(sitting=sitting, application=other, outcome="approved", amount=Decimal(amount))
    services.application_submit(actor=ma.users["member"], application=application)
    application.refresh_from_db()

    expected, working = subsidy_compute(
        formula=Formula.from_edition(ma.edition),
        costs=[Cost(Decimal("7000.00"), True, True), Cost(Decimal("9000.50"), False, False)],
        paid_this_year=Decimal("5000.00"),
        paid_lifetime=Decimal("8000.00"),
    )
    # 16,000.50 out of pocket: (10,000 − 1,000) × 0.5 + 6,000.50 × 0.7 = 4,500 + 4,200.35
    assert expected == Decimal("8700.35")
    assert application.computed_subsidy == expected
    assert application.working == working
    assert application.working["paid_this_year"] == "5000.00"
    assert application.working["paid_lifetime"] == "8000.00"
    assert ApplicationEvent.objects.get(subject=application).parameters == {"computed_subsidy": "8700.35"}


# --- the route ------------------------------------------------------------------------------


def _events(application):
    return list(
        ApplicationEvent.objects.filter(subject=application)
        .order_by("id")
        .values_list("actor__username", "from_state", "to_state", "message")
    )


def test_full_route_to_the_committee(ma, django_capture_on_commit_callbacks):
    member, officer, office = ma.users["member"], ma.users["sub_union_officer"], ma.users["union_office"]
    application = complete_application(ma)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=member, application=application)
        services.application_sub_union_check(actor=officer, application=application, message="情况属实")
        services.application_office_check(actor=office, application=application)
    application.refresh_from_db()
    assert application.status == S.OFFICE_CHECKED
    assert _events(application) == [
        ("E0001", "draft", "submitted", ""),
        ("E0099", "submitted", "sub_union_checked", "情况属实"),
        ("office", "sub_union_checked", "office_checked", ""),
    ]
    # the member is told of each step they did not take themselves
    assert Notification.objects.filter(recipient=member).count() == 2


def test_return_and_resubmit_keep_the_history(ma, django_capture_on_commit_callbacks):
    member, officer, office = ma.users["member"], ma.users["sub_union_officer"], ma.users["union_office"]
    application = complete_application(ma)
    services.application_submit(actor=member, application=application)
    services.application_sub_union_check(actor=officer, application=application)
    with pytest.raises(ApplicationError):
        services.application_return(actor=office, application=application, message="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_return(actor=office, application=application, message="请补充出院小结原件照片")
    application.refresh_from_db()
    assert application.status == S.RETURNED
    assert application.return_message == "请补充出院小结原件照片"
    note = Notification.objects.filter(recipient=member).order_by("id").last()
    assert note.body == "请补充出院小结原件照片"
    assert "退回补充材料" in note.title

    services.document_attach(
        actor=member,
        application=application,
        required_document=ma.edition.required_documents.get(name="出院小结"),
        uploaded_file=png(),
    )
    services.application_submit(actor=member, application=application)
    services.application_sub_union_check(actor=officer, application=application)
    services.application_office_check(actor=office, application=application)
    application.refresh_from_db()
    assert application.status == S.OFFICE_CHECKED
    assert _events(application) == [
        ("E0001", "draft", "submitted", ""),
        ("E0099", "submitted", "sub_union_checked", ""),
        ("office", "sub_union_checked", "returned", "请补充出院小结原件照片"),
        ("E0001", "returned", "submitted", ""),
        ("E0099", "submitted", "sub_union_checked", ""),
        ("office", "sub_union_checked", "office_checked", ""),
    ]


def test_officer_may_not_office_check_nor_check_other_sub_unions(ma):
    application = complete_application(ma)
    services.application_submit(actor=ma.users["member"], application=application)
    with pytest.raises(PermissionDenied):
        services.application_office_check(actor=ma.users["sub_union_officer"], application=application)
    retirees_officer = user_make(username="R0099", roles=[(Role.SUB_UNION_OFFICER, ma.u.retirees)])
    with pytest.raises(PermissionDenied):
        services.application_sub_union_check(actor=retirees_officer, application=application)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert len(_events(application)) == 1


def test_retirees_office_applies_on_behalf_of_a_retiree(ma):
    retirees_officer = user_make(username="R0099", roles=[(Role.SUB_UNION_OFFICER, ma.u.retirees)])
    application = complete_application(ma, person=ma.u.zhao, actor=retirees_officer)
    assert application.submitter_relation == SubmitterRelation.PROXY
    services.application_submit(actor=retirees_officer, application=application)
    services.application_sub_union_check(actor=retirees_officer, application=application)
    application.refresh_from_db()
    assert application.status == S.SUB_UNION_CHECKED
    assert application.submitted_by == retirees_officer
    assert set(Attachment.objects.values_list("owner_person_id", flat=True)) == {ma.u.zhao.pk}


def test_only_the_applicant_withdraws(ma):
    application = complete_application(ma)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=ma.users["sub_union_officer"], application=application)
    services.application_withdraw(actor=ma.users["member"], application=application)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN

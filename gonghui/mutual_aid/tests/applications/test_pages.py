from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.models import ApplicationEvent, CostItem, SubsidyApplication
from gonghui.mutual_aid.services import applications as services
from gonghui.mutual_aid.tests.applications.conftest import complete_application
from gonghui.mutual_aid.tests.applications.factories import item_data, png

pytestmark = pytest.mark.django_db


def _post_item(year, **overrides):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in item_data(year, **overrides).items()}


def _at(application, status):
    SubsidyApplication.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def test_member_applies_through_the_pages(client, ma):
    client.force_login(ma.users["member"])
    response = client.post(reverse("mutual_aid:apply_start"), {"kind": "inpatient"})
    application = SubsidyApplication.objects.get()
    assert response["Location"] == reverse("mutual_aid:application_edit", args=[application.pk])
    preview = client.post(reverse("mutual_aid:application_preview", args=[application.pk]), _post_item(ma.year))
    assert 'data-testid="subsidy">3,000.00 元</strong>' in preview.content.decode()  # (7000 − 1000) × 0.5
    assert CostItem.objects.count() == 0  # the preview saves nothing
    bad = client.post(
        reverse("mutual_aid:application_preview", args=[application.pk]), _post_item(ma.year, out_of_pocket="7500.00")
    )
    assert "个人自付应为" in bad.content.decode()
    client.post(reverse("mutual_aid:cost_item_add", args=[application.pk]), _post_item(ma.year))
    client.post(reverse("mutual_aid:application_details", args=[application.pk]), {"disease_category": ma.disease.pk})
    for required in ma.edition.required_documents.filter(kind="inpatient", required=True):
        client.post(reverse("mutual_aid:document_upload", args=[application.pk, required.pk]), {"file": png()})
    client.post(reverse("mutual_aid:application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.computed_subsidy == Decimal("3000.00")
    page = client.get(reverse("mutual_aid:my_application_detail", args=[application.pk])).content.decode()
    assert "已提交" in page and "3,000.00 元" in page


def test_refused_submission_shows_the_message_and_saves_nothing(client, ma):
    client.force_login(ma.users["member"])
    application = services.application_create_draft(actor=ma.users["member"], person=ma.u.zhang, kind="inpatient")
    response = client.post(reverse("mutual_aid:application_submit", args=[application.pk]), follow=True)
    assert "请至少填写一笔医疗费用" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert ApplicationEvent.objects.count() == 0


def test_member_sees_only_their_own(client, ma):
    officer = ma.users["sub_union_officer"]
    other = services.application_create_draft(actor=officer, person=ma.u.li, kind="inpatient")
    client.force_login(ma.users["member"])
    assert client.get(reverse("mutual_aid:my_application_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("mutual_aid:application_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("mutual_aid:cost_item_add", args=[other.pk]), _post_item(ma.year)).status_code == 404
    assert client.get(reverse("mutual_aid:application_list")).status_code == 403
    assert CostItem.objects.count() == 0


def test_sub_union_officer_sees_only_their_sub_union(client, ma):
    from gonghui.accounts.roles import Role
    from gonghui.people.tests.factories import user_make

    retirees_officer = user_make(username="R0099", roles=[(Role.SUB_UNION_OFFICER, ma.u.retirees)])
    zhang_app = complete_application(ma)
    zhao_app = complete_application(ma, person=ma.u.zhao, actor=retirees_officer, bill_no="R-1")
    client.force_login(ma.users["sub_union_officer"])
    html = client.get(reverse("mutual_aid:application_list")).content.decode()
    assert "张伟" in html and "赵强" not in html
    assert client.get(reverse("mutual_aid:application_detail", args=[zhang_app.pk])).status_code == 200
    assert client.get(reverse("mutual_aid:application_detail", args=[zhao_app.pk])).status_code == 404


def test_committee_sees_applications_from_office_checked_on_with_documents(client, ma):
    submitted = complete_application(ma)
    checked = _at(complete_application(ma, bill_no="B-2"), S.OFFICE_CHECKED)
    client.force_login(ma.users["welfare_committee"])
    html = client.get(reverse("mutual_aid:application_list")).content.decode()
    assert html.count('href="/mutual-aid/applications/') == 1
    assert client.get(reverse("mutual_aid:application_detail", args=[submitted.pk])).status_code == 404
    detail = client.get(reverse("mutual_aid:application_detail", args=[checked.pk]))
    assert detail.status_code == 200
    document = checked.documents.first()
    assert reverse("attachments:download", args=[document.attachment_id]) in detail.content.decode()
    assert client.get(reverse("attachments:download", args=[document.attachment_id])).status_code == 200
    hidden = submitted.documents.first()
    assert client.get(reverse("attachments:download", args=[hidden.attachment_id])).status_code == 404


def test_auditor_reads_but_changes_nothing(client, ma):
    application = complete_application(ma)
    services.application_submit(actor=ma.users["member"], application=application)
    client.force_login(ma.users["auditor"])
    assert client.get(reverse("mutual_aid:application_detail", args=[application.pk])).status_code == 200
    events, audits = ApplicationEvent.objects.count(), AuditEvent.objects.count()
    for name, data in [
        ("application_sub_union_check", {}),
        ("application_return", {"message": "x"}),
        ("application_office_check", {}),
    ]:
        assert client.post(reverse(f"mutual_aid:{name}", args=[application.pk]), data).status_code == 403
    assert client.post(reverse("mutual_aid:application_submit", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert (ApplicationEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


def test_officer_checks_and_returns_from_the_detail_page(client, ma):
    application = complete_application(ma)
    services.application_submit(actor=ma.users["member"], application=application)
    client.force_login(ma.users["sub_union_officer"])
    client.post(reverse("mutual_aid:application_return", args=[application.pk]), {"message": "发票不清楚"})
    application.refresh_from_db()
    assert application.status == S.RETURNED
    client.force_login(ma.users["member"])
    page = client.get(reverse("mutual_aid:my_application_detail", args=[application.pk])).content.decode()
    assert "发票不清楚" in page


def test_export_lists_the_filtered_applications(client, ma):
    complete_application(ma)
    client.force_login(ma.users["union_office"])
    response = client.get(reverse("mutual_aid:application_list"), {"export": "xlsx", "status": "draft"})
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][3] == "张伟"


def test_portal_card_offers_apply_while_the_window_is_open(client, ma):
    client.force_login(ma.users["member"])
    html = client.get(reverse("portal:home")).content.decode()
    assert "医疗互助" in html and reverse("mutual_aid:apply_start") in html

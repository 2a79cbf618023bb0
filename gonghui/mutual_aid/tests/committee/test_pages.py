import datetime
from io import BytesIO

import pytest
from django.urls import reverse

from gonghui.accounts.system import system_actor
from gonghui.core.models import AuditEvent
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.models import Decision
from gonghui.mutual_aid.services import committee as services
from tests.pdf import pdf_text


def decide_url(w, app):
    return reverse("mutual_aid:committee_decide", args=[w.sitting.pk, app.pk])


def test_member_cannot_decide_403_and_nothing_changes(client, committee_world):
    w = committee_world
    for role in ("member", "union_office", "auditor", "sub_union_officer"):
        client.force_login(w.u.users[role])
        before = AuditEvent.objects.count()
        response = client.post(decide_url(w, w.apps.zhang), {"outcome": "approved"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 403, role
        assert AuditEvent.objects.count() == before
    assert Decision.objects.count() == 0
    w.apps.zhang.refresh_from_db()
    assert w.apps.zhang.status == S.OFFICE_CHECKED


def test_committee_decides_by_htmx_row_actions(client, committee_world):
    w = committee_world
    client.force_login(w.committee)
    page = client.get(reverse("mutual_aid:committee_sitting_detail", args=[w.sitting.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="application-row"') == 3

    row = client.post(
        decide_url(w, w.apps.wang), {"outcome": "adjusted", "amount": "2500.00", "reason": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "调整金额须说明理由" in row
    assert Decision.objects.count() == 0

    row = client.post(
        decide_url(w, w.apps.wang),
        {"outcome": "adjusted", "amount": "2500.00", "reason": "票据不全"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "调整" in row and "2500.00" in row and "票据不全" in row
    client.post(decide_url(w, w.apps.zhang), {"outcome": "approved"}, HTTP_HX_REQUEST="true")
    assert sorted(Decision.objects.values_list("outcome", "amount")) == [("adjusted", 2500), ("approved", 12500)]
    # filter by sub-union and sort
    html = client.get(
        reverse("mutual_aid:committee_sitting_detail", args=[w.sitting.pk]),
        {"sub_union": w.u.law.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "王芳" in html and "张伟" not in html and "赵强" not in html


def test_auditor_reads_the_sitting_but_gets_no_actions(client, committee_world):
    w = committee_world
    client.force_login(w.u.users["auditor"])
    html = client.get(reverse("mutual_aid:committee_sitting_detail", args=[w.sitting.pk])).content.decode()
    assert "张伟" in html
    assert "hx-post" not in html
    assert client.post(reverse("mutual_aid:committee_sitting_close", args=[w.sitting.pk])).status_code == 403
    w.sitting.refresh_from_db()
    assert w.sitting.closed_at is None


@pytest.fixture
def posted(committee_world):
    w = committee_world
    services.decision_record(sitting=w.sitting, application=w.apps.zhang, outcome="approved", actor=w.committee)
    services.decision_record(sitting=w.sitting, application=w.apps.zhao, outcome="approved", actor=w.committee)
    services.decision_record(
        sitting=w.sitting, application=w.apps.wang, outcome="rejected", actor=w.committee, reason="不在目录内"
    )
    services.sitting_close(sitting=w.sitting, actor=w.office)
    w.notice = services.notice_post(sitting=w.sitting, starts_on=datetime.date(2021, 3, 25), actor=w.office)
    return w


def _forbidden(w):
    """Full names, ID numbers (clear and masked) and diagnoses of everyone on the list."""
    people = [w.u.zhang, w.u.zhao, w.u.wang]
    texts = [p.name for p in people] + [p.id_number_clear() for p in people] + [p.id_number_masked for p in people]
    return texts + ["恶性肿瘤", "尿毒症透析", "不在目录内"]


def test_notice_page_masks_names_for_any_member(client, posted):
    w = posted
    client.force_login(w.u.users["proposals_committee"])
    html = client.get(reverse("mutual_aid:notice_detail", args=[w.notice.pk])).content.decode()
    assert "张*" in html and "赵*" in html
    assert "12,500.00" in html and "45,000.50" in html
    assert "经济学院分工会" in html and "离退休工作处分工会" in html
    for text in _forbidden(w):
        assert text not in html, text


def test_notice_pdf_text_has_masked_names_only(client, posted):
    w = posted
    client.force_login(w.u.users["member"])
    response = client.get(reverse("mutual_aid:notice_pdf", args=[w.notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "张*" in text and "赵*" in text and "12,500.00" in text
    for item in _forbidden(w):
        assert item not in text, item


def test_objection_page_puts_on_hold(client, posted):
    w = posted
    client.force_login(w.office)
    response = client.post(
        reverse("mutual_aid:objection_create", args=[w.notice.pk]),
        {"application": w.apps.zhang.pk, "received_on": "2021-03-26", "content": "反映材料不实"},
    )
    assert response.status_code == 302
    w.apps.zhang.refresh_from_db()
    assert w.apps.zhang.status == S.ON_HOLD
    html = client.get(reverse("mutual_aid:notice_detail", args=[w.notice.pk])).content.decode()
    assert "张*" not in html  # on hold: off the public list
    assert "赵*" in html


def test_payment_pages(client, posted):
    from openpyxl import load_workbook

    w = posted
    services.notice_end(notice=w.notice, today=datetime.date(2021, 4, 2), actor=system_actor())
    client.force_login(w.office)
    assert client.post(reverse("mutual_aid:payment_batch_create"), {"year": 2020}).status_code == 302
    from gonghui.mutual_aid.models import PaymentBatch

    batch = PaymentBatch.objects.get()
    sheet = load_workbook(BytesIO(client.get(reverse("mutual_aid:payment_batch_xlsx", args=[batch.pk])).content)).active
    assert [c.value for c in next(sheet.iter_rows())] == ["序号", "工号", "姓名", "单位", "京卡号", "补助金额", "年度"]
    assert sheet.max_row == 3
    client.post(reverse("mutual_aid:payment_batch_paid", args=[batch.pk]), {"paid_on": "2021-04-10"})
    w.apps.zhao.refresh_from_db()
    assert w.apps.zhao.status == S.PAID

"""The office's pages: enrollment with the participation warning, roster download logged,
the acceptance file previewed then confirmed, the report and its .xlsx."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.core.models import AuditAction, AuditEvent
from gonghui.insurance.models import PlanEnrollment, RosterExport
from gonghui.insurance.services.enrollment import opt_out_record
from gonghui.insurance.tests.helpers import acceptance_file

pytestmark = pytest.mark.django_db


def test_office_runs_the_year_through_the_pages(client, university, office, editions_2021):
    u = university
    hospital = editions_2021["ZYJT"]
    opt_out_record(actor=office, edition=hospital, person=u.zhang, reason="已在其他单位参保")
    client.force_login(office)
    response = client.post(reverse("insurance:edition_enroll", args=[hospital.pk]), follow=True)
    page = response.content.decode()
    assert "新增 3 人" in page
    assert 'data-testid="participation-warning"' in page  # 3 of 4 eligible: 75% < 80%
    assert PlanEnrollment.objects.filter(edition=hospital).count() == 3
    client.post(reverse("insurance:roster_create", args=[hospital.pk]))
    roster = RosterExport.objects.get(edition=hospital)
    before = AuditEvent.objects.filter(action=AuditAction.EXPORTED_CLEAR).count()
    download = client.get(reverse("insurance:roster_download", args=[roster.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED_CLEAR).count() == before + 1
    data = acceptance_file(
        [
            (1, "李娜", u.li.id_number_clear(), "承保", ""),
            (2, "王芳", u.wang.id_number_clear(), "拒保", "资料不全"),
            (3, "某人", "110105199001011234", "承保", ""),
        ]
    )
    response = client.post(
        reverse("insurance:acceptance_upload", args=[roster.pk]),
        {"file": SimpleUploadedFile("回执.xlsx", data)},
        follow=True,
    )
    page = response.content.decode()
    assert "承保 1 人，拒保 1 人，未匹配 1 行，无效 0 行" in page
    assert "本名单中没有此身份证号" in page
    assert PlanEnrollment.objects.filter(edition=hospital, status="rejected").count() == 0
    preview_id = response.redirect_chain[-1][0].rstrip("/").split("/")[-1]
    client.post(reverse("insurance:acceptance_confirm", args=[preview_id]))
    assert dict(PlanEnrollment.objects.filter(edition=hospital).values_list("person__staff_no", "status")) == {
        "E0002": "accepted",
        "L0001": "rejected",
        "E0099": "on_roster",
    }
    report = client.get(reverse("insurance:report") + "?year=2021").content.decode()
    assert 'data-testid="premium-ZYJT">100.00<' in report  # li and the officer; wang rejected
    assert "<svg" in report
    xlsx = client.get(reverse("insurance:report") + "?year=2021&export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

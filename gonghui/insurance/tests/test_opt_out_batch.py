"""批量登记不参保: exact counts of each outcome, the row's reason or the batch's, a re-run
records nobody, and a refused batch changes nothing."""

import pytest
from django.urls import reverse

from gonghui.core.bulk import staff_numbers_upload
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.imports import Upload
from gonghui.core.models import AuditEvent, ImportPreview
from gonghui.insurance.models import OptOut
from gonghui.insurance.services.enrollment import enrollment_run, opt_out_record
from gonghui.insurance.services.opt_out_batch import opt_out_batch_confirm, opt_out_batch_start, opt_out_record_bulk
from tests.tables import changed_tables, table_counts


@pytest.fixture
def hospital(university, office, editions_2021):
    """住院津贴 2021 with zhang insured and li's declaration recorded already."""
    edition = editions_2021["ZYJT"]
    from gonghui.insurance.models import PlanEnrollment

    enrollment_run(actor=office, edition=edition)
    PlanEnrollment.objects.filter(edition=edition).exclude(person=university.zhang).delete()
    opt_out_record(actor=office, edition=edition, person=university.li, reason="已在其他单位参保")
    return edition


def _csv(text: str) -> Upload:
    return Upload(data=text.encode(), filename="不参保.csv")


def test_preview_counts_and_reasons(university, office, hospital):
    before = table_counts()
    preview = opt_out_batch_start(
        actor=office,
        edition=hospital,
        reason="本人申请",
        upload=_csv("工号,原因\nE0001,\nE0002,\nL0001,退休返聘\nR0001,\nX1,\nR0001,\n"),
    )
    assert preview.summary["counts"] == {"ready": 2, "skipped": 1, "ineligible": 1, "unknown": 1, "invalid": 1}
    rows = preview.summary["rows"]
    assert [(r["staff_no"], r["reason"]) for r in rows["ready"]] == [("L0001", "退休返聘"), ("R0001", "本人申请")]
    assert rows["ineligible"][0]["staff_no"] == "E0001" and "已参保" in rows["ineligible"][0]["reason"]
    assert rows["skipped"][0]["staff_no"] == "E0002"
    assert rows["unknown"][0]["staff_no"] == "X1"
    assert set(changed_tables(before, table_counts())) == {"core.importpreview"}


def test_confirm_records_the_ready_ones_and_a_rerun_records_nobody(
    university, office, hospital, django_capture_on_commit_callbacks
):
    upload = _csv("工号,原因\nE0001,\nL0001,退休返聘\nR0001,\nX1,\n")
    preview = opt_out_batch_start(actor=office, edition=hospital, reason="本人申请", upload=upload)
    with django_capture_on_commit_callbacks(execute=True):
        opt_out_batch_confirm(preview=preview, actor=office)
    preview.refresh_from_db()
    assert preview.job.status == "succeeded"
    assert preview.result["recorded"] == 2
    assert dict(OptOut.objects.filter(edition=hospital).values_list("person__staff_no", "reason")) == {
        "E0002": "已在其他单位参保",
        "L0001": "退休返聘",
        "R0001": "本人申请",
    }
    # the same audit row as the one-person path
    audit = AuditEvent.objects.get(object_type="insurance.optout", person_id=university.wang.pk)
    assert (audit.action, audit.message, audit.actor) == ("created", "登记不参保：住院津贴", office)

    again = opt_out_batch_start(actor=office, edition=hospital, reason="本人申请", upload=upload)
    assert again.summary["counts"] == {"ready": 0, "skipped": 2, "ineligible": 1, "unknown": 1, "invalid": 0}
    before = table_counts()
    with pytest.raises(ApplicationError):
        opt_out_batch_confirm(preview=again, actor=office)
    assert changed_tables(before, table_counts()) == {}


def test_rows_without_a_reason_are_not_eligible(university, office, hospital):
    preview = opt_out_batch_start(actor=office, edition=hospital, reason="", text="L0001 R0001")
    assert preview.summary["counts"]["ineligible"] == 2
    assert preview.summary["rows"]["ineligible"][0]["reason"] == "请填写不参保原因"


@pytest.mark.parametrize("role", ["sub_union_officer", "member", "auditor"])
def test_denied_user_changes_nothing(university, hospital, role):
    actor = university.users[role]
    before = table_counts()
    with pytest.raises(PermissionDenied):
        opt_out_batch_start(actor=actor, edition=hospital, reason="x", upload=staff_numbers_upload(["L0001"], name="a"))
    with pytest.raises(PermissionDenied):
        opt_out_record_bulk(actor=actor, edition=hospital, reasons={university.wang: "x"})
    assert changed_tables(before, table_counts()) == {}


def test_pages(university, office, hospital, client, django_capture_on_commit_callbacks):
    client.force_login(office)
    url = reverse("insurance:opt_out_batch", args=[hospital.pk])
    assert client.get(url).status_code == 200
    before = table_counts()
    assert client.post(url, {"reason": "x"}).status_code == 400  # neither a file nor numbers
    assert changed_tables(before, table_counts()) == {}
    response = client.post(url, {"reason": "本人申请", "text": "L0001\nX1"})
    preview = ImportPreview.objects.get(kind="insurance.opt_out_batch")
    assert response["Location"] == reverse("insurance:opt_out_batch_preview", args=[preview.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-ready">1<' in page and 'data-testid="count-unknown">1<' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insurance:opt_out_batch_confirm", args=[preview.pk]))
    assert response.status_code == 302
    assert OptOut.objects.filter(edition=hospital, person=university.wang, reason="本人申请").count() == 1

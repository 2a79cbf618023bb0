import pytest
from django.urls import reverse

from gonghui.attachments.services import attachment_store
from gonghui.attachments.tests.conftest import DOCUMENT, PDF_BYTES, png_bytes, upload
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.people.tests.factories import user_make


@pytest.fixture
def files(university, media):
    """One file per person: zhang's (uploaded by himself), li's and wang's (uploaded by the office)."""
    office = university.users["union_office"]
    return {
        "zhang": attachment_store(
            uploaded_file=upload("张伟的发票.pdf", PDF_BYTES),
            uploaded_by=university.users["member"],
            owner_person=university.zhang,
            purpose=DOCUMENT,
        ),
        "li": attachment_store(
            uploaded_file=upload("li.png", png_bytes()),
            uploaded_by=office,
            owner_person=university.li,
            purpose=DOCUMENT,
        ),
        "wang": attachment_store(
            uploaded_file=upload("wang.png", png_bytes()),
            uploaded_by=office,
            owner_person=university.wang,
            purpose=DOCUMENT,
        ),
    }


def _get(client, user, attachment):
    client.force_login(user)
    return client.get(reverse("attachments:download", args=[attachment.pk]))


def test_member_downloads_their_own_file(client, university, files):
    response = _get(client, university.users["member"], files["zhang"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%BC%A0%E4%BC%9F%E7%9A%84%E5%8F%91%E7%A5%A8.pdf"
    )
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 0  # own file: not logged


def test_the_owner_reads_a_file_the_office_uploaded_for_them(client, university, files):
    wang_user = user_make(username="L0001", person=university.wang)
    assert _get(client, wang_user, files["wang"]).status_code == 200
    assert _get(client, wang_user, files["li"]).status_code == 404


def test_member_gets_404_for_another_persons_file(client, university, files):
    assert _get(client, university.users["member"], files["li"]).status_code == 404
    assert _get(client, university.users["member"], files["wang"]).status_code == 404


@pytest.mark.parametrize(
    "role, visible",
    [
        ("member", {"zhang"}),
        ("sub_union_officer", {"zhang", "li"}),  # econ and its group, not law
        ("union_office", {"zhang", "li", "wang"}),
        ("administrator", {"zhang", "li", "wang"}),
        ("auditor", {"zhang", "li", "wang"}),
        ("welfare_committee", set()),
        ("proposals_committee", set()),
        ("handling_unit_officer", set()),
    ],
)
def test_download_per_role(client, university, files, role, visible):
    for name, attachment in files.items():
        expected = 200 if name in visible else 404
        assert _get(client, university.users[role], attachment).status_code == expected, name


def test_downloads_of_someone_elses_file_are_logged(client, university, files):
    officer = university.users["sub_union_officer"]
    assert _get(client, officer, files["zhang"]).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (event.actor, event.object_id, event.person_id) == (officer, str(files["zhang"].pk), university.zhang.pk)


def test_anonymous_is_sent_to_sign_in(client, files):
    response = client.get(reverse("attachments:download", args=[files["zhang"].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_files_are_not_reachable_under_media(client, university, files, media):
    attachment = files["zhang"]
    assert (media / attachment.file.name).exists()
    client.force_login(university.users["union_office"])
    for url in [f"/media/{attachment.file.name}", f"/{attachment.file.name}", f"/private-media/{attachment.file.name}"]:
        assert client.get(url).status_code == 404, url

"""Only the roles a module registered for a purpose store attachments, each account within its
quota; a refusal changes no table and leaves no file on disk."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.template.loader import render_to_string
from django.urls import reverse

from gonghui.attachments.models import Attachment
from gonghui.attachments.services import AttachmentRefused, attachment_store
from gonghui.attachments.tests.conftest import DOCUMENT, png_bytes, stored_files, upload
from gonghui.core.exceptions import PermissionDenied
from gonghui.core.registry import registry
from tests.tables import changed_tables, table_counts


def png(size: int) -> bytes:
    """A real PNG of exactly `size` bytes."""
    content = png_bytes(padding=size - 69)
    assert len(content) == size
    return content


def store(user, size: int, purpose: str = DOCUMENT, name: str = "a.png"):
    return attachment_store(uploaded_file=upload(name, png(size)), uploaded_by=user, purpose=purpose)


def test_what_each_module_lets_which_roles_upload():
    purposes = {code: (sorted(p.roles), p.direct) for code, p in registry.attachment_purposes.items()}
    assert purposes["mutual_aid.application"] == (["member", "sub_union_officer", "union_office"], False)
    assert purposes["insurance_claim"] == (["member", "union_office"], False)
    assert purposes["proposal"] == (["member"], False)
    assert purposes["drive_leaflet"] == (["union_office"], False)
    assert purposes["drive_terms"] == (["union_office"], False)


@pytest.mark.parametrize("role", ["auditor", "welfare_committee", "proposals_committee", "handling_unit_officer"])
def test_a_role_that_does_not_upload_is_refused_and_nothing_changes(university, media, role):
    before = table_counts()
    with pytest.raises(PermissionDenied) as refused:
        store(university.users[role], 1000)
    assert str(refused.value) == "只有会员、分工会干部、校工会工作人员上传这类附件"
    assert changed_tables(before, table_counts()) == {}
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "role, purpose, allowed",
    [
        ("member", "proposal", True),
        ("sub_union_officer", "proposal", True),  # also a member (linked to a person)
        ("union_office", "proposal", False),
        ("union_office", "drive_terms", True),
        ("administrator", "drive_terms", True),  # the union office's uploads are the administrator's
        ("administrator", "insurance_claim", True),
        ("member", "drive_leaflet", False),
        ("sub_union_officer", "insurance_claim", True),  # as a member, for their own claim
        ("auditor", "mutual_aid.application", False),
        ("welfare_committee", "mutual_aid.application", False),
        ("member", "no.such.purpose", False),
        ("union_office", "", False),  # a purpose nobody registered
    ],
)
def test_module_purposes_by_role(university, media, role, purpose, allowed):
    before = table_counts()
    if allowed:
        assert store(university.users[role], 100, purpose=purpose).purpose == purpose
        assert Attachment.objects.count() == 1
        assert len(stored_files(media)) == 1
    else:
        with pytest.raises(PermissionDenied):
            store(university.users[role], 100, purpose=purpose)
        assert changed_tables(before, table_counts()) == {}
        assert stored_files(media) == []


def test_the_shared_endpoint_refuses_a_role_that_does_not_upload(client, university, media):
    client.force_login(university.users["auditor"])
    before = table_counts()
    response = client.post(reverse("attachments:upload"), {"file": upload("a.png", png(100)), "purpose": DOCUMENT})
    assert response.status_code == 403
    assert "只有会员、分工会干部、校工会工作人员上传这类附件" in response.content.decode()
    assert changed_tables(before, table_counts()) == {}
    assert stored_files(media) == []


def test_the_shared_endpoint_stores_only_direct_purposes(client, university, media):
    """A member uploads an application's documents on the application (the module links
    them), never as loose files through the shared endpoint."""
    client.force_login(university.users["member"])
    before = table_counts()
    response = client.post(
        reverse("attachments:upload"), {"file": upload("a.png", png(100)), "purpose": "mutual_aid.application"}
    )
    assert response.status_code == 403
    assert "这类附件请在相应的申请或记录页面上传" in response.content.decode()
    assert changed_tables(before, table_counts()) == {}
    assert stored_files(media) == []


def test_over_the_quota_is_refused_with_used_and_limit(university, media, settings):
    settings.ATTACHMENT_QUOTA_BYTES_PER_USER = 1000
    member = university.users["member"]
    store(member, 600)
    before = table_counts()
    with pytest.raises(AttachmentRefused) as refused:
        store(member, 401)
    assert str(refused.value.message) == "存储空间不足：已用 600 B / 1000 B，本文件 401 B"
    assert refused.value.extra == {"used_bytes": 600, "limit_bytes": 1000, "size_bytes": 401}
    assert changed_tables(before, table_counts()) == {}
    assert len(stored_files(media)) == 1


def test_a_file_that_fills_the_quota_exactly_is_stored(university, media, settings):
    settings.ATTACHMENT_QUOTA_BYTES_PER_USER = 1000
    member = university.users["member"]
    store(member, 600)
    store(member, 400)
    assert sorted(Attachment.objects.values_list("size", flat=True)) == [400, 600]
    with pytest.raises(AttachmentRefused) as refused:
        store(member, 69)
    assert refused.value.extra == {"used_bytes": 1000, "limit_bytes": 1000, "size_bytes": 69}
    assert Attachment.objects.count() == 2
    assert len(stored_files(media)) == 2


def test_the_quota_counts_what_the_user_uploaded_and_still_keeps(university, media, settings):
    settings.ATTACHMENT_QUOTA_BYTES_PER_USER = 1000
    settings.ATTACHMENT_QUOTA_BYTES_OFFICE = 1500
    member, office = university.users["member"], university.users["union_office"]
    # the office's files for zhang are the office's, not zhang's
    attachment_store(
        uploaded_file=upload("a.png", png(900)), uploaded_by=office, owner_person=university.zhang, purpose=DOCUMENT
    )
    first = store(member, 900)
    with pytest.raises(AttachmentRefused):
        store(member, 200)
    first.delete()  # a deleted attachment no longer counts
    store(member, 1000)
    store(office, 600)  # the office's own quota
    with pytest.raises(AttachmentRefused) as refused:
        store(office, 100)
    assert refused.value.extra == {"used_bytes": 1500, "limit_bytes": 1500, "size_bytes": 100}


def test_uploads_a_day_are_capped(university, media, settings, clock):
    settings.ATTACHMENT_UPLOADS_PER_DAY = 2
    member = university.users["member"]
    store(member, 100)
    store(member, 100)
    before = table_counts()
    with pytest.raises(AttachmentRefused) as refused:
        store(member, 100)
    assert str(refused.value.message) == "今天已上传 2 个文件，每天最多 2 个，请明天再传"
    assert changed_tables(before, table_counts()) == {}
    assert len(stored_files(media)) == 2
    clock.move_to(datetime.datetime.fromisoformat("2021-03-16T00:00:01+08:00"))
    store(member, 100)
    assert Attachment.objects.count() == 3


def test_the_upload_form_shows_the_users_usage(rf, university, media, settings):
    settings.ATTACHMENT_QUOTA_BYTES_PER_USER = 200 * 1024 * 1024
    member = university.users["member"]
    store(member, 1536)
    request = rf.get("/")
    request.user = member
    html = render_to_string(
        "attachments/partials/_upload.html", {"upload_id": "x", "purpose": DOCUMENT}, request=request
    )
    assert '<small class="muted" data-testid="attachment-usage">已用 1.5 KB / 200 MB</small>' in html


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_cannot_both_pass_the_quota(university, media, settings, monkeypatch):
    """Two threads, each with its own connection, upload 600 bytes against a 1000-byte quota
    at the same moment; each reads the usage slowly. Exactly one is stored. PostgreSQL only:
    SQLite serialises writers."""
    if connection.vendor == "sqlite":
        pytest.skip("needs a database with concurrent writers (runs on PostgreSQL in CI)")
    from gonghui.attachments import services

    settings.ATTACHMENT_QUOTA_BYTES_PER_USER = 1000
    usage_of = services.attachment_usage

    def slow_usage(**kwargs):
        usage = usage_of(**kwargs)
        time.sleep(0.5)  # without the lock, the other upload would read the same usage meanwhile
        return usage

    monkeypatch.setattr(services, "attachment_usage", slow_usage)
    member = university.users["member"]
    barrier = threading.Barrier(2)
    outcomes = []

    def upload_one(name):
        try:
            barrier.wait(timeout=10)
            store(member, 600, name=name)
            outcomes.append("stored")
        except AttachmentRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload_one, args=(name,)) for name in ("a.png", "b.png")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "stored"]
    assert Attachment.objects.count() == 1
    assert len(stored_files(media)) == 1

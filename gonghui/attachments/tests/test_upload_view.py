from django.template.loader import render_to_string
from django.urls import reverse

from gonghui.attachments.models import Attachment
from gonghui.attachments.tests.conftest import DOCUMENT, png_bytes, stored_files, upload


def test_member_uploads_for_themselves(client, university, media):
    client.force_login(university.users["member"])
    response = client.post(
        reverse("attachments:upload"),
        {
            "file": upload("体检.png", png_bytes()),
            "purpose": DOCUMENT,
            "owner_person": university.zhang.pk,
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER="upload-invoice",
    )
    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert (attachment.owner_person, attachment.purpose, attachment.content_type) == (
        university.zhang,
        DOCUMENT,
        "image/png",
    )
    body = response.content.decode()
    assert f'id="attachment-{attachment.pk}"' in body
    assert reverse("attachments:download", args=[attachment.pk]) in body
    assert "体检.png" in body


def test_refusal_is_shown_in_the_forms_error_slot(client, university, media):
    client.force_login(university.users["member"])
    response = client.post(
        reverse("attachments:upload"),
        {"file": upload("a.pdf", b"plain text"), "purpose": DOCUMENT},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER="upload-invoice",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#upload-invoice-errors"
    assert "文件类型不支持：只接受 PDF 和图片" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_refusal_without_htmx_is_400(client, university, media):
    client.force_login(university.users["member"])
    response = client.post(reverse("attachments:upload"), {"file": upload("a.pdf", b"plain text"), "purpose": DOCUMENT})
    assert response.status_code == 400
    response = client.post(reverse("attachments:upload"), {})
    assert response.status_code == 400
    assert "请选择要上传的文件" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_member_cannot_upload_for_another_person(client, university, media):
    client.force_login(university.users["member"])
    response = client.post(
        reverse("attachments:upload"),
        {"file": upload("a.png", png_bytes()), "owner_person": university.wang.pk, "purpose": DOCUMENT},
    )
    assert response.status_code == 404
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_auditor_sees_the_person_but_may_not_upload_for_them(client, university, media):
    client.force_login(university.users["auditor"])
    response = client.post(
        reverse("attachments:upload"),
        {"file": upload("a.png", png_bytes()), "owner_person": university.wang.pk, "purpose": DOCUMENT},
    )
    assert response.status_code == 403
    assert Attachment.objects.count() == 0


def test_officer_uploads_for_a_person_in_scope(client, university, media):
    client.force_login(university.users["sub_union_officer"])
    response = client.post(
        reverse("attachments:upload"),
        {"file": upload("a.png", png_bytes()), "owner_person": university.li.pk, "purpose": DOCUMENT},
    )
    assert response.status_code == 201
    assert Attachment.objects.get().owner_person == university.li


def test_anonymous_upload_is_refused(client, db, media):
    response = client.post(reverse("attachments:upload"), {"file": upload("a.png", png_bytes()), "purpose": DOCUMENT})
    assert response.status_code == 302
    assert Attachment.objects.count() == 0


def test_the_upload_partial(rf, university):
    request = rf.get("/")
    request.user = university.users["member"]
    html = render_to_string(
        "attachments/partials/_upload.html",
        {"upload_id": "invoice", "owner_person": university.zhang, "attachments": []},
        request=request,
    )
    assert 'id="upload-invoice"' in html
    assert f'hx-post="{reverse("attachments:upload")}"' in html
    assert 'hx-target="#upload-invoice-list"' in html
    assert 'id="upload-invoice-errors"' in html
    assert f'name="owner_person" value="{university.zhang.pk}"' in html
    assert 'name="csrfmiddlewaretoken"' in html

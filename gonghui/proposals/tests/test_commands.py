"""proposals_remind (cron) and the task call the same service; attachments on a draft."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from gonghui.attachments.models import Attachment
from gonghui.notifications.models import Notification
from gonghui.proposals.models import Proposal
from gonghui.proposals.tasks import proposals_reminders_send
from gonghui.proposals.tests.factories import assigned, rules_change
from tests.tables import changed_tables, table_counts

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_remind_command(pw, capsys):
    rules_change(pw.session, reply_working_days=1)
    assigned(pw)
    call_command("proposals_remind")
    assert capsys.readouterr().out.strip() == "reminded: 1"
    assert Notification.objects.filter(kind="proposals.reminder").count() == 1
    assert proposals_reminders_send.call() == 0  # once per deadline


def test_a_draft_keeps_its_attachment(client, pw):
    client.force_login(pw.users["member"])
    client.post(
        reverse("proposals:create"),
        {
            "title": "附件测试",
            "category": pw.categories["后勤保障"].pk,
            "one_matter": "on",
            "attachment": SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        },
    )
    proposal = Proposal.objects.get()
    assert [a.original_name for a in proposal.attachments.all()] == ["现场照片.png"]


def test_a_refused_draft_stores_no_attachment(client, pw, tmp_path):
    """zhao is no delegate: his draft is refused, and the photo he attached is not kept
    (no row, no file), since the service stores files only once the draft may be made."""
    client.force_login(pw.users["zhao"])
    before = table_counts()
    response = client.post(
        reverse("proposals:create"),
        {
            "title": "附件测试",
            "category": pw.categories["后勤保障"].pk,
            "one_matter": "on",
            "attachment": SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 403
    assert changed_tables(before, table_counts()) == {}
    assert Attachment.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []

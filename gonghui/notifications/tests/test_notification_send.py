import pytest
from django.core import mail
from django.db import transaction

from gonghui.notifications.models import DeliveryStatus, Notification, NotificationDelivery
from gonghui.notifications.services import notification_deliver, notification_send

EMAIL = "gonghui.notifications.channels.EmailChannel"


@pytest.fixture
def people(university):
    member = university.users["member"]
    member.email = "zhang@example.edu.cn"
    member.save(update_fields=["email"])
    officer = university.users["sub_union_officer"]  # no e-mail address
    return member, officer


def test_send_writes_inbox_rows_and_emails_after_commit(people, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_CHANNELS = [EMAIL]
    member, officer = people
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications = notification_send(
            recipients=[member, officer, member],
            title="名册导入完成",
            body="共导入 12 人",
            url="/jobs/1/",
            kind="roster.import_done",
        )
        # then: inbox rows exist at once, nothing is sent before commit
        assert Notification.objects.count() == 2
        assert len(mail.outbox) == 0
        assert set(NotificationDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.QUEUED}
    assert len(callbacks) == 1
    callbacks[0]()
    # then
    assert [n.recipient for n in notifications] == [member, officer]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang@example.edu.cn"]
    assert mail.outbox[0].subject == "名册导入完成"
    assert mail.outbox[0].body == "共导入 12 人\n\n/jobs/1/"
    deliveries = {d.notification.recipient_id: d for d in NotificationDelivery.objects.select_related("notification")}
    assert len(deliveries) == 2
    sent, skipped = deliveries[member.pk], deliveries[officer.pk]
    assert (sent.channel, sent.status, sent.attempts, sent.error) == (EMAIL, DeliveryStatus.SENT, 1, "")
    assert sent.sent_at is not None
    assert (skipped.status, skipped.attempts, skipped.sent_at) == (DeliveryStatus.SKIPPED, 1, None)
    n = Notification.objects.get(recipient=member)
    assert (n.title, n.body, n.url, n.kind, n.read_at) == (
        "名册导入完成",
        "共导入 12 人",
        "/jobs/1/",
        "roster.import_done",
        None,
    )


def test_site_url_makes_links_absolute(people, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_CHANNELS = [EMAIL]
    settings.SITE_URL = "https://gonghui.example.edu.cn/"
    member, _ = people
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[member], title="审核结果", url="/people/1/")
    assert mail.outbox[0].body == "https://gonghui.example.edu.cn/people/1/"


def test_rollback_sends_nothing_and_leaves_no_rows(people, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_CHANNELS = [EMAIL]
    member, _ = people
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notification_send(recipients=[member], title="不会发出")
                raise RuntimeError("the caller's work failed")
    # then
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert NotificationDelivery.objects.count() == 0
    assert mail.outbox == []


class _Broken:
    name = "broken"

    def can_reach(self, user):
        return True

    def deliver(self, notification):
        raise ConnectionError("gateway down")


def test_a_failing_channel_is_recorded_and_the_others_still_send(people, django_capture_on_commit_callbacks, settings):
    broken = f"{__name__}._Broken"
    settings.NOTIFICATION_CHANNELS = [broken, EMAIL]
    member, _ = people
    # when: the task runs (immediate backend) and must not raise
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[member], title="缴费提醒")
    # then
    failed = NotificationDelivery.objects.get(channel=broken)
    assert (failed.status, failed.attempts, failed.sent_at) == (DeliveryStatus.FAILED, 1, None)
    assert failed.error == "ConnectionError: gateway down"
    assert NotificationDelivery.objects.get(channel=EMAIL).status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_delivery_runs_once_per_copy(people, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_CHANNELS = [EMAIL]
    member, _ = people
    with django_capture_on_commit_callbacks(execute=True):
        notifications = notification_send(recipients=[member], title="一次")
    # when: the task is run again (a retry, a second worker)
    counts = notification_deliver(notification_ids=[n.pk for n in notifications])
    # then
    assert counts == {"queued": 0, "sent": 0, "failed": 0, "skipped": 0}
    assert len(mail.outbox) == 1
    assert NotificationDelivery.objects.get().attempts == 1


def test_a_channel_removed_from_settings_is_skipped(people, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_CHANNELS = [EMAIL]
    member, _ = people
    with django_capture_on_commit_callbacks(execute=False):
        notifications = notification_send(recipients=[member], title="渠道变更")
    settings.NOTIFICATION_CHANNELS = []
    counts = notification_deliver(notification_ids=[n.pk for n in notifications])
    assert counts["skipped"] == 1
    assert NotificationDelivery.objects.get().status == DeliveryStatus.SKIPPED
    assert mail.outbox == []


def test_no_channels_means_inbox_only(people, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_CHANNELS = []
    member, officer = people
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_send(recipients=[member, officer], title="仅站内")
    assert callbacks == []
    assert Notification.objects.count() == 2
    assert NotificationDelivery.objects.count() == 0


def test_no_recipients_writes_nothing(db):
    assert notification_send(recipients=[], title="无人") == []
    assert Notification.objects.count() == 0

"""Background delivery of notifications (thin: ids in, one service call)."""

from django_tasks import task

from gonghui.notifications.services import notification_deliver


@task()
def notifications_deliver(*, notification_ids: list[int]) -> dict:
    return notification_deliver(notification_ids=notification_ids)

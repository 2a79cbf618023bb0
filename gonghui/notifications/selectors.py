"""Reading the inbox: always the acting user's own notifications."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from gonghui.notifications.models import Notification


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each group."""
    qs = Notification.objects.restrict(user)
    if unread_only:
        qs = qs.unread()
    return qs.annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())).order_by(
        "-unread", "-created_at", "-id"
    )


def notification_unread_count(*, user) -> int:
    return Notification.objects.restrict(user).unread().count()

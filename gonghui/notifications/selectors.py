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


# the count, kept on the user object for the rest of the request (request.user lives one request)
_UNREAD_ATTR = "_gonghui_unread_notifications"


def notification_unread_count(*, user) -> int:
    """How many of the user's notifications are unread: counted once per request (the top bar,
    the tab bar and the home page's card all show it); marking read forgets it."""
    count = getattr(user, _UNREAD_ATTR, None)
    if count is None:
        count = Notification.objects.restrict(user).unread().count()
        if user is not None and user.is_authenticated:
            setattr(user, _UNREAD_ATTR, count)
    return count


def notification_unread_forget(user) -> None:
    if hasattr(user, _UNREAD_ATTR):
        delattr(user, _UNREAD_ATTR)

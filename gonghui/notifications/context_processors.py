from gonghui.notifications.selectors import notification_unread_count


def unread_notifications(request):
    """`unread_notifications` for the top bar: one COUNT query for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": notification_unread_count(user=user)}

from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.core.registry import ServiceCard
from gonghui.notifications.selectors import notification_unread_count


def inbox_cards(user) -> list:
    """The "我的消息" card on the portal home, with the unread count."""
    if user is None or not user.is_authenticated:
        return []
    unread = notification_unread_count(user=user)
    line = _("未读消息：%(count)s 条") % {"count": unread} if unread else _("没有未读消息")
    return [
        ServiceCard(
            title=_("我的消息"),
            lines=(line,),
            url=reverse("notifications:inbox"),
            action=_("查看消息"),
            icon="bell",
            badge=unread,
        )
    ]

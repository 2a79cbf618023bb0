from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.core.registry import ServiceCard


def membership_cards(user) -> list:
    person = getattr(user, "person", None)
    if person is None:
        return []
    current = person.memberships.current().select_related("sub_union").first()
    if current:
        lines = (
            _("会员号：%(no)s") % {"no": current.member_no},
            _("所在分工会：%(name)s") % {"name": current.sub_union},
            _("入会日期：%(date)s") % {"date": current.joined_on.isoformat()},
        )
    else:
        lines = (_("当前不是在会会员"),)
    return [
        ServiceCard(
            title=_("我的会籍"), lines=lines, url=reverse("portal:membership"), action=_("查看会籍"), icon="id-badge-2"
        )
    ]

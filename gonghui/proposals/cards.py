"""The member portal's card: a delegate's proposals and co-signing requests; units' items."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.registry import ServiceCard


def proposals_cards(user) -> list:
    from gonghui.proposals.selectors.proposals import co_sign_requests, my_proposals, unit_assignments

    cards = []
    person = getattr(user, "person", None)
    if person is not None and person.delegacies.exists():
        lines = []
        pending = co_sign_requests(user=user).filter(confirmed_at__isnull=True).count()
        if pending:
            lines.append(_("%(n)s 份提案请您附议") % {"n": pending})
        # the title and status of the latest three: none of the list's related rows
        latest = my_proposals(user=user).select_related(None).prefetch_related(None)
        for proposal in latest.only("title", "status", "created_at")[:3]:
            lines.append(
                _("%(title)s：%(status)s") % {"title": proposal.title[:20], "status": proposal.get_status_display()}
            )
        if not lines:
            lines.append(_("您是教代会代表，可以提出提案"))
        cards.append(
            ServiceCard(
                title=_("教代会提案"),
                lines=tuple(lines),
                url=reverse("proposals:home"),
                action=_("我的提案"),
                icon="bulb",
            )
        )
    if Role.HANDLING_UNIT_OFFICER in get_access(user).roles:
        open_items = (
            unit_assignments(user=user).filter(proposal__status__in=["assigned", "in_handling", "rehandling"]).count()
        )
        cards.append(
            ServiceCard(
                title=_("承办提案"),
                lines=(_("待答复 %(n)s 件") % {"n": open_items},),
                url=reverse("proposals:unit_board"),
                action=_("去办理"),
                icon="clipboard-list",
                badge=open_items,
            )
        )
    return cards

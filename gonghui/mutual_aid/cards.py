"""The member portal's mutual-aid card: membership this year, applications, apply link."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.registry import ServiceCard
from gonghui.mutual_aid.choices import ApplicationStatus, SchemeMembershipStatus
from gonghui.mutual_aid.selectors.applications import (
    application_window_open,
    edition_for_cost_year,
    fee_line_for,
    membership_for,
    my_applications,
    open_cost_year,
)


def mutual_aid_cards(user) -> list:
    person = getattr(user, "person", None)
    if person is None:
        return []
    today = timezone.localdate()
    lines = []
    membership = membership_for(person=person)
    if membership and membership.status == SchemeMembershipStatus.ACTIVE:
        lines.append(_("互助会会员，自 %(date)s 入会") % {"date": membership.joined_on.isoformat()})
        fee = fee_line_for(person=person, year=today.year)
        if fee:
            lines.append(
                _("%(year)s 年会费 %(amount)s 元：%(status)s")
                % {"year": fee.year, "amount": fee.amount, "status": fee.get_status_display()}
            )
    else:
        lines.append(_("尚未参加医疗互助会"))
    # the year and status of the latest three: none of the related rows the pages need
    latest = my_applications(user=user).select_related(None).prefetch_related(None)
    applications = list(latest.only("cost_year", "status")[:3])
    for application in applications:
        lines.append(
            _("%(year)s 年度补助申请：%(status)s")
            % {"year": application.cost_year, "status": application.get_status_display()}
        )
    # returned for more documents: waiting for the member
    returned = sum(1 for application in applications if application.status == ApplicationStatus.RETURNED)
    cost_year = open_cost_year(today)
    if membership and application_window_open(edition_for_cost_year(cost_year), today):
        return [
            ServiceCard(
                title=_("医疗互助"),
                lines=tuple(lines),
                url=reverse("mutual_aid:apply_start"),
                action=_("申请 %(year)s 年度补助") % {"year": cost_year},
                icon="heart-handshake",
                badge=returned,
            )
        ]
    url = reverse("mutual_aid:my_application_list") if applications else ""
    return [
        ServiceCard(
            title=_("医疗互助"),
            lines=tuple(lines),
            url=url,
            action=_("我的申请"),
            icon="heart-handshake",
            badge=returned,
        )
    ]

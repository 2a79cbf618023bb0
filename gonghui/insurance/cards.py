"""The member portal's insurance card: this year's cover and open claims."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.registry import ServiceCard
from gonghui.insurance.selectors.figures import my_claims, person_cover
from gonghui.insurance.workflow import CLAIM_OPEN


def insurance_cards(user) -> list:
    person = getattr(user, "person", None)
    if person is None:
        return []
    year = timezone.localdate().year
    cover = person_cover(person=person, year=year)
    lines = [
        _("%(plan)s %(shares)s 份，%(start)s 至 %(end)s")
        % {
            "plan": c["plan"],
            "shares": c["shares"],
            "start": c["starts_on"].isoformat(),
            "end": c["ends_on"].isoformat(),
        }
        + (_("（等待期）") if c["waiting"] == "waiting" else "")
        for c in cover
    ] or [_("%(year)s 年度暂无职工互助保障") % {"year": year}]
    open_claims = my_claims(user=user).filter(status__in=CLAIM_OPEN).count()
    if open_claims:
        lines.append(_("办理中的理赔 %(count)s 件") % {"count": open_claims})
    return [
        ServiceCard(
            title=_("职工互助保障"),
            lines=tuple(lines),
            url=reverse("insurance:my_cover"),
            action=_("我的保障与理赔"),
            icon="shield-check",
        )
    ]

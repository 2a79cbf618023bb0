"""What waits in group insurance (the workbench's to-do queues) and its figures of the year at
a glance: claims to check, to submit to the insurer and to record the insurer's answer for;
enrollments to file on a roster and rosters waiting for the insurer's acceptance file."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.roles import Role
from gonghui.core.registry import TodoQueue, YearFigure
from gonghui.core.workbench import queue_count, queues_grouped
from gonghui.insurance.choices import ClaimStatus, EnrollmentStatus
from gonghui.insurance.models import PlanEnrollment
from gonghui.insurance.selectors.figures import claim_list, my_claims, year_totals
from gonghui.insurance.workflow import FORWARD, ROSTER

_CLAIM_QUEUES = (
    (ClaimStatus.REPORTED, gettext_lazy("新报案理赔待核对材料"), "reported_on"),
    (ClaimStatus.READY, gettext_lazy("理赔材料齐全待递交保险互助会"), "reported_on"),
    (ClaimStatus.SUBMITTED, gettext_lazy("理赔已递交待登记结果"), "submitted_on"),
)
_ENROLLMENT_QUEUES = (
    (EnrollmentStatus.ENROLLED, gettext_lazy("%(plan)s（%(year)s）参保待报送名单")),
    (EnrollmentStatus.ON_ROSTER, gettext_lazy("%(plan)s（%(year)s）名单已报送待承保回执")),
)


def _with_status(url: str, status: str) -> str:
    return f"{url}?{urlencode({'status': status})}"


def insurance_todos(user) -> list[TodoQueue]:
    queues = []
    office = Role.UNION_OFFICE.label
    if user.has_perm(FORWARD):
        for status, title, oldest in _CLAIM_QUEUES:
            queues.append(
                queue_count(
                    claim_list(user=user, status=status),
                    key=f"insurance.claims_{status}",
                    title=title,
                    url=_with_status(reverse("insurance:claim_list"), status),
                    role=office,
                    oldest=oldest,
                )
            )
    if user.has_perm(ROSTER):
        for status, title in _ENROLLMENT_QUEUES:
            queues += queues_grouped(
                PlanEnrollment.objects.restrict(user).filter(status=status),
                group=("edition_id", "edition__plan__name", "edition__start_date"),
                make=lambda v, status=status, title=title: {
                    "key": f"insurance.enrollments_{status}.{v['edition_id']}",
                    "title": str(title) % {"plan": v["edition__plan__name"], "year": v["edition__start_date"].year},
                    "url": _with_status(reverse("insurance:enrollment_list", args=[v["edition_id"]]), status),
                },
                role=office,
                oldest="created_at",
            )
    if getattr(user, "person_id", None):
        status = ClaimStatus.DOCUMENTS_PENDING
        queues.append(
            queue_count(
                my_claims(user=user).filter(status=status),
                key="insurance.my_claims_documents_pending",
                title=_("我的理赔待补材料"),
                url=f"{reverse('insurance:my_cover')}?{urlencode({'claim_status': status})}",
                role=Role.MEMBER.label,
                oldest="reported_on",
            )
        )
    return queues


def insurance_year_figures(user, year: int) -> list[YearFigure]:
    """The insured and their premiums of the plans starting in `year` (the insurance report's headline figures)."""
    if not user.has_perm("insurance.view_planenrollment"):
        return []
    total = year_totals(user=user, year=year)["total"]
    url = f"{reverse('insurance:report')}?{urlencode({'year': year})}"
    return [
        YearFigure("insurance.insured", _("职工互助保障参保人次"), total["insured"], url),
        YearFigure("insurance.premium", _("职工互助保障保费"), total["premium"], url, money=True),
    ]

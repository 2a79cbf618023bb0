"""What waits in enrollment drives (the workbench's to-do queues) and the drives' enrolment in
the year at a glance: registrations to send to the provider on a roster, and the intent
survey (the office: sub-unions behind on it; a sub-union officer: their people who have not
answered)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.registry import TodoQueue, YearFigure
from gonghui.core.workbench import queues_grouped
from gonghui.drives.choices import ENROLLED_STATUSES, DrivePhase, RegistrationStatus
from gonghui.drives.models import Drive, DriveRegistration
from gonghui.drives.selectors.survey import pending_people, survey_board
from gonghui.people.models import Person


def current_survey(*, user) -> Drive | None:
    """The drive in its survey phase with the nearest survey deadline (one at a time on the
    workbench), with its rules."""
    return (
        Drive.objects.restrict(user, "view")
        .filter(phase=DrivePhase.SURVEY, rules__isnull=False)
        .select_related("rules")
        .order_by("survey_until", "pk")
        .first()
    )


def drives_todos(user) -> list[TodoQueue]:
    access = get_access(user)
    queues = []
    if user.has_perm("drives.export_roster"):
        status = RegistrationStatus.REGISTERED
        queues += queues_grouped(
            DriveRegistration.objects.restrict(user, "view").filter(status=status),
            group=("drive_id", "drive__name"),
            make=lambda v: {
                "key": f"drives.registered.{v['drive_id']}",
                "title": _("%(drive)s：报名待报送承办机构") % {"drive": v["drive__name"]},
                "url": f"{reverse('drives:registration_list', args=[v['drive_id']])}?{urlencode({'status': status})}",
            },
            role=Role.UNION_OFFICE.label,
            oldest="created_at",
            deadline="drive__roster_due",
        )
    office = user.has_perm("drives.remind_survey")
    officer = Role.SUB_UNION_OFFICER in access.roles and user.has_perm("drives.add_intentanswer")
    if office or officer:
        drive = current_survey(user=user)
        if drive is not None:
            queues.append(_survey_queue(user, drive, office=office))
    return queues


def _survey_queue(user, drive: Drive, *, office: bool) -> TodoQueue:
    """The office: sub-unions with staff who have not answered (the survey board's rows
    with some pending); an officer: their people who have not answered."""
    url = reverse("drives:survey", args=[drive.pk])
    deadline = drive.survey_until
    if office:
        count = sum(1 for row in survey_board(drive=drive, user=user) if row["pending"])
        title = _("%(drive)s：意向摸底未完成的分工会") % {"drive": drive.name}
        url, role = f"{url}?behind=1", Role.UNION_OFFICE.label
    else:
        visible = Person.objects.restrict(user, "view").values("pk")
        count = pending_people(drive).filter(pk__in=visible).count()
        title = _("%(drive)s：本分工会未填意向的教职工") % {"drive": drive.name}
        url, role = f"{url}?pending=1", Role.SUB_UNION_OFFICER.label
    overdue = count if count and deadline and deadline < timezone.localdate() else 0
    return TodoQueue(
        key=f"drives.survey.{drive.pk}",
        title=title,
        count=count,
        url=url,
        role=str(role),
        oldest=drive.survey_from,
        deadline=deadline,
        overdue=overdue,
    )


def drives_year_figures(user, year: int) -> list[YearFigure]:
    """Enrolment in the drives whose cover starts in `year` (registrations the provider
    enrolled or that paid, as the drive report counts them), linked to the drive's report
    when there is one drive, else to the list of drives."""
    if not user.has_perm("drives.view_driveregistration"):
        return []
    drives = Drive.objects.restrict(user, "view").filter(rules__policy_start__year=year)
    enrolled = DriveRegistration.objects.filter(drive__in=drives, status__in=ENROLLED_STATUSES).count()
    ids = list(drives.order_by("pk").values_list("pk", flat=True)[:2])
    url = reverse("drives:report", args=[ids[0]]) if len(ids) == 1 else reverse("drives:drive_list")
    return [YearFigure("drives.enrolled", _("参保活动参保人数"), enrolled, url)]

"""The drives' lifecycles, declared for the core workflow engine (gonghui.core.workflow):
a drive's phases, a registration's status, a booking's status, and the drive's rules (a core
rule edition). Who may take each step is said on the step; the services call `transition`."""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext_lazy as _

from gonghui.core.editions import EditionStatus, edition_workflow
from gonghui.core.workflow import Attempt, Step, Workflow, workflow_register
from gonghui.drives.choices import BookingStatus as B
from gonghui.drives.choices import DrivePhase as P
from gonghui.drives.choices import RegistrationStatus as R
from gonghui.drives.models import (
    BookingEvent,
    Drive,
    DriveEvent,
    DriveRegistration,
    DriveRules,
    DriveRulesEvent,
    RegistrationEvent,
    SlotBooking,
)

DriveRulesWorkflow = edition_workflow(DriveRules, DriveRulesEvent, permission="drives.change_driverules")

# Phases before registration opens: leaving them for registration (or a later phase that
# takes registrations' results) needs adopted rules.
BEFORE_REGISTRATION = (P.PREPARATION, P.INFO_SESSIONS, P.SURVEY)


def rules_adopted(attempt: Attempt) -> str | None:
    drive = attempt.obj
    if drive.phase not in BEFORE_REGISTRATION:
        return None
    rules = DriveRules.objects.filter(drive=drive).first()
    if rules is None or rules.status != EditionStatus.ADOPTED:
        return str(_("参保规则尚未通过：请先在设置页通过本次活动的参保规则，再开始报名。"))
    return None


_advance = Step.by("drives.advance_drive")


@workflow_register
class DriveWorkflow(Workflow):
    """Phases move forward only; a phase the drive does not use (sessions, survey) may be skipped."""

    name = "drives.drive"
    model = Drive
    event_model = DriveEvent
    states = P
    state_field = "phase"
    person_field = None
    initial = (P.PREPARATION,)
    noun = cast(str, _("参保活动"))
    steps = (
        _advance("info_sessions", (P.PREPARATION,), P.INFO_SESSIONS, _("进入宣讲会阶段")),
        _advance("survey", (P.PREPARATION, P.INFO_SESSIONS), P.SURVEY, _("开始意向摸底")),
        _advance("registration", BEFORE_REGISTRATION, P.REGISTRATION, _("开始报名"), guards=(rules_adopted,)),
        _advance(
            "roster", (*BEFORE_REGISTRATION, P.REGISTRATION), P.ROSTER, _("报名截止，报送名单"), guards=(rules_adopted,)
        ),
        _advance(
            "on_site",
            (*BEFORE_REGISTRATION, P.REGISTRATION, P.ROSTER),
            P.ON_SITE,
            _("开始现场服务"),
            guards=(rules_adopted,),
        ),
        _advance("done", (*BEFORE_REGISTRATION, P.REGISTRATION, P.ROSTER, P.ON_SITE), P.DONE, _("结束")),
    )


_result = Step.by("drives.import_result")


@workflow_register
class RegistrationWorkflow(Workflow):
    """Registered → on a roster sent to the provider → the provider's result (enrolled, paid,
    rejected; a corrected result may follow). Withdrawn only before a roster carries it: by
    the registrant, or by whoever may register them (their sub-union officer, the office)."""

    name = "drives.driveregistration"
    model = DriveRegistration
    event_model = RegistrationEvent
    states = R
    initial = (R.REGISTERED,)
    noun = cast(str, _("报名"))
    person_relation = "registrant"
    path = (R.REGISTERED, R.ON_ROSTER, R.ENROLLED, R.PAID)
    steps = (
        Step.of(
            "withdraw",
            R.REGISTERED,
            R.WITHDRAWN,
            _("撤回报名"),
            permission="drives.add_driveregistration",
            scope_action="view",
            relations={"registrant"},
            stamps=("withdrawn_at",),
        ),
        Step.of("roster", R.REGISTERED, R.ON_ROSTER, _("报送承办机构"), permission="drives.export_roster"),
        _result("enroll", (R.ON_ROSTER, R.REJECTED), R.ENROLLED, _("参保成功")),
        _result("pay", (R.ON_ROSTER, R.ENROLLED, R.REJECTED), R.PAID, _("已缴费")),
        _result("reject", (R.ON_ROSTER, R.ENROLLED), R.REJECTED, _("未通过")),
    )


_check_in = Step.by("drives.checkin_booking")


@workflow_register
class BookingWorkflow(Workflow):
    """Booked → checked in → served at the point; or cancelled (by the person, or whoever
    booked for them) or a no-show. Cancelling and a no-show give the place back."""

    name = "drives.slotbooking"
    model = SlotBooking
    event_model = BookingEvent
    states = B
    initial = (B.BOOKED,)
    noun = cast(str, _("预约"))
    person_relation = "booked_person"
    steps = (
        Step.of(
            "cancel",
            B.BOOKED,
            B.CANCELLED,
            _("取消预约"),
            permission="drives.add_slotbooking",
            scope_action="view",
            relations={"booked_person"},
        ),
        _check_in("check_in", B.BOOKED, B.CHECKED_IN, _("签到"), stamps=("checked_in_at",)),
        # the outcome (办理结果) is the step's message
        _check_in("serve", B.CHECKED_IN, B.SERVED, _("办结"), message_required=True),
        _check_in("no_show", B.BOOKED, B.NO_SHOW, _("未到")),
    )


# Reaching these statuses gives the booking's place back.
FREES_PLACE = frozenset({B.CANCELLED, B.NO_SHOW})

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


ADVANCE = "drives.advance_drive"


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
        Step.of("info_sessions", (P.PREPARATION,), P.INFO_SESSIONS, label=_("进入宣讲会阶段"), permission=ADVANCE),
        Step.of("survey", (P.PREPARATION, P.INFO_SESSIONS), P.SURVEY, label=_("开始意向摸底"), permission=ADVANCE),
        Step.of(
            "registration",
            (P.PREPARATION, P.INFO_SESSIONS, P.SURVEY),
            P.REGISTRATION,
            label=_("开始报名"),
            permission=ADVANCE,
            guards=(rules_adopted,),
        ),
        Step.of(
            "roster",
            (P.PREPARATION, P.INFO_SESSIONS, P.SURVEY, P.REGISTRATION),
            P.ROSTER,
            label=_("报名截止，报送名单"),
            permission=ADVANCE,
            guards=(rules_adopted,),
        ),
        Step.of(
            "on_site",
            (P.PREPARATION, P.INFO_SESSIONS, P.SURVEY, P.REGISTRATION, P.ROSTER),
            P.ON_SITE,
            label=_("开始现场服务"),
            permission=ADVANCE,
            guards=(rules_adopted,),
        ),
        Step.of(
            "done",
            (P.PREPARATION, P.INFO_SESSIONS, P.SURVEY, P.REGISTRATION, P.ROSTER, P.ON_SITE),
            P.DONE,
            label=_("结束"),
            permission=ADVANCE,
        ),
    )


RESULT = "drives.import_result"


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
    steps = (
        Step.of(
            "withdraw",
            R.REGISTERED,
            R.WITHDRAWN,
            label=_("撤回报名"),
            permission="drives.add_driveregistration",
            scope_action="view",
            relations={"registrant"},
            stamps=("withdrawn_at",),
        ),
        Step.of("roster", R.REGISTERED, R.ON_ROSTER, label=_("报送承办机构"), permission="drives.export_roster"),
        Step.of("enroll", (R.ON_ROSTER, R.REJECTED), R.ENROLLED, label=_("参保成功"), permission=RESULT),
        Step.of("pay", (R.ON_ROSTER, R.ENROLLED, R.REJECTED), R.PAID, label=_("已缴费"), permission=RESULT),
        Step.of("reject", (R.ON_ROSTER, R.ENROLLED), R.REJECTED, label=_("未通过"), permission=RESULT),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return {"registrant"} if actor.person_id and actor.person_id == obj.person_id else set()


CHECK_IN = "drives.checkin_booking"


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
    steps = (
        Step.of(
            "cancel",
            B.BOOKED,
            B.CANCELLED,
            label=_("取消预约"),
            permission="drives.add_slotbooking",
            scope_action="view",
            relations={"booked_person"},
        ),
        Step.of("check_in", B.BOOKED, B.CHECKED_IN, label=_("签到"), permission=CHECK_IN, stamps=("checked_in_at",)),
        # the outcome (办理结果) is the step's message
        Step.of("serve", B.CHECKED_IN, B.SERVED, label=_("办结"), permission=CHECK_IN, message_required=True),
        Step.of("no_show", B.BOOKED, B.NO_SHOW, label=_("未到"), permission=CHECK_IN),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return {"booked_person"} if actor.person_id and actor.person_id == obj.person_id else set()


# Reaching these statuses gives the booking's place back.
FREES_PLACE = frozenset({B.CANCELLED, B.NO_SHOW})

"""On-site service: points, time slots, bookings (by the person or on their behalf),
check-in and outcome.

A place is taken with ONE conditional UPDATE (`booked < capacity`), never read-modify-write:
two people booking the last place at the same instant cannot both get it (the database
re-checks the condition on the locked row). Cancelling or a no-show gives the place back
the same way, in the same transaction as the booking's step (BookingWorkflow). See
docs/modules/drives.md."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.service_kit import audit, create_or_refuse, required_text
from gonghui.core.workflow import transition
from gonghui.drives.choices import ACTIVE_BOOKING_STATUSES, BookingStatus, DrivePhase
from gonghui.drives.models import ServicePoint, SlotBooking, TimeSlot
from gonghui.drives.services.survey import act_for_require
from gonghui.drives.workflow import FREES_PLACE, BookingWorkflow

BOOKABLE_PHASES = (DrivePhase.REGISTRATION, DrivePhase.ROSTER, DrivePhase.ON_SITE)


class SlotFull(ApplicationError):
    pass


@transaction.atomic
def service_point_create(
    *, drive, actor: Actor, name: str, place: str, sub_union=None, notes: str = ""
) -> ServicePoint:
    permission_require(actor, "drives.change_drive", drive)
    point = ServicePoint.objects.create(drive=drive, name=name, place=place, sub_union=sub_union, notes=notes)
    audit(actor, point, AuditAction.CREATED, _("新增现场服务点：%(name)s") % {"name": name})
    return point


@transaction.atomic
def time_slots_create(
    *,
    point: ServicePoint,
    actor: Actor,
    day: datetime.date,
    first: datetime.time,
    last_end: datetime.time,
    minutes: int,
    capacity: int,
) -> list[TimeSlot]:
    """Slots of `minutes` from `first` until `last_end` on `day`, each with `capacity` places."""
    permission_require(actor, "drives.change_drive", point.drive)
    if minutes < 5 or capacity < 1:
        raise ApplicationError(_("时段至少 5 分钟，名额至少为 1"))
    start = datetime.datetime.combine(day, first)
    end_of_day = datetime.datetime.combine(day, last_end)
    slots = []
    while start + datetime.timedelta(minutes=minutes) <= end_of_day:
        end = start + datetime.timedelta(minutes=minutes)
        slots.append(TimeSlot(point=point, day=day, starts=start.time(), ends=end.time(), capacity=capacity))
        start = end
    if not slots:
        raise ApplicationError(_("结束时间太早，无法划分时段"))
    TimeSlot.objects.bulk_create(slots)
    audit(
        actor,
        point,
        AuditAction.UPDATED,
        _("新增时段：%(day)s，%(count)d 个") % {"day": day.isoformat(), "count": len(slots)},
        changes=changes_of(**{"day": day.isoformat(), "slots": len(slots), "capacity": capacity}),
    )
    return slots


@transaction.atomic
def slot_book(*, slot: TimeSlot, person, actor: Actor, on: datetime.date | None = None) -> SlotBooking:
    """Book `slot` for `person` (themselves, or the office / their sub-union officer on their
    behalf, e.g. a retiree who phones in). Refused when the slot is full or past, the drive
    is not taking bookings, or the person already holds a booking in this drive."""
    act_for_require(actor=actor, person=person, permission="drives.add_slotbooking", refusal=_("无权为此人预约"))
    drive = slot.point.drive
    on = on or timezone.localdate()
    if drive.phase not in BOOKABLE_PHASES:
        raise ApplicationError(_("本次活动当前不接受预约"))
    if slot.day < on:
        raise ApplicationError(_("该时段已过"))
    existing = SlotBooking.objects.filter(drive=drive, person=person, status__in=ACTIVE_BOOKING_STATUSES).first()
    if existing is not None:
        raise ApplicationError(_("已预约 %(slot)s，请先取消再改约") % {"slot": existing.slot})
    # The one conditional UPDATE that takes the place.
    taken = TimeSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise SlotFull(_("该时段已约满，请选择其他时段"))
    booking = create_or_refuse(
        SlotBooking,
        ApplicationError(_("已有预约，请先取消再改约")),  # the same person booking twice at the same instant
        drive=drive,
        slot=slot,
        person=person,
        booked_by=actor,
        on_behalf=getattr(actor, "person_id", None) != person.pk,
    )
    BookingWorkflow.record(booking, "created", actor)
    audit(
        actor,
        booking,
        AuditAction.CREATED,
        _("预约现场服务：%(point)s %(slot)s") % {"point": slot.point.name, "slot": slot},
        person_id=person.pk,
        changes=changes_of(**{"slot": str(slot), "point": slot.point.name, "on_behalf": booking.on_behalf}),
    )
    return booking


def _booking_step(booking: SlotBooking, *, actor: Actor, to: str, **kwargs) -> SlotBooking:
    """The booking's step; cancelling or a no-show gives the place back with one
    conditional UPDATE in the same transaction (the caller's)."""
    booking = transition(BookingWorkflow, booking, to=to, actor=actor, **kwargs)
    if to in FREES_PLACE:
        TimeSlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return booking


@transaction.atomic
def booking_cancel(*, booking: SlotBooking, actor: Actor) -> SlotBooking:
    """The person themselves, or whoever may book for them."""
    return _booking_step(booking, actor=actor, to=BookingStatus.CANCELLED)


@transaction.atomic
def booking_check_in(*, booking: SlotBooking, actor: Actor) -> SlotBooking:
    return _booking_step(booking, actor=actor, to=BookingStatus.CHECKED_IN)


@transaction.atomic
def booking_serve(*, booking: SlotBooking, actor: Actor, outcome: str) -> SlotBooking:
    outcome = required_text(outcome, _("请填写办理结果"))
    return _booking_step(booking, actor=actor, to=BookingStatus.SERVED, message=outcome, values={"outcome": outcome})


@transaction.atomic
def booking_no_show(*, booking: SlotBooking, actor: Actor) -> SlotBooking:
    return _booking_step(booking, actor=actor, to=BookingStatus.NO_SHOW)

"""On-site service: points, time slots, bookings (by the person or on their behalf),
check-in and outcome.

A place is taken with ONE conditional UPDATE (`booked < capacity`), never read-modify-write:
two people booking the last place at the same instant cannot both get it (the database
re-checks the condition on the locked row). Cancelling or a no-show gives the place back
the same way. See docs/modules/drives.md."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_record, changes_of
from gonghui.drives.choices import ACTIVE_BOOKING_STATUSES, BookingStatus, DrivePhase
from gonghui.drives.models import ServicePoint, SlotBooking, TimeSlot
from gonghui.drives.services.drives import _require
from gonghui.drives.services.survey import may_act_for
from gonghui.drives.workflow import BOOKING_TRANSITIONS, FREES_PLACE, can_transition

BOOKABLE_PHASES = (DrivePhase.REGISTRATION, DrivePhase.ROSTER, DrivePhase.ON_SITE)


class SlotFull(ApplicationError):
    pass


@transaction.atomic
def service_point_create(*, drive, actor, name: str, place: str, sub_union=None, notes: str = "") -> ServicePoint:
    _require(actor, "drives.change_drive")
    point = ServicePoint.objects.create(drive=drive, name=name, place=place, sub_union=sub_union, notes=notes)
    audit_event_record(
        actor=actor, obj=point, action=AuditAction.CREATED, message=_("新增现场服务点：%(name)s") % {"name": name}
    )
    return point


@transaction.atomic
def time_slots_create(
    *,
    point: ServicePoint,
    actor,
    day: datetime.date,
    first: datetime.time,
    last_end: datetime.time,
    minutes: int,
    capacity: int,
) -> list[TimeSlot]:
    """Slots of `minutes` from `first` until `last_end` on `day`, each with `capacity` places."""
    _require(actor, "drives.change_drive")
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
    audit_event_record(
        actor=actor,
        obj=point,
        action=AuditAction.UPDATED,
        changes=changes_of(**{"day": day.isoformat(), "slots": len(slots), "capacity": capacity}),
        message=_("新增时段：%(day)s，%(count)d 个") % {"day": day.isoformat(), "count": len(slots)},
    )
    return slots


@transaction.atomic
def slot_book(*, slot: TimeSlot, person, actor, on: datetime.date | None = None) -> SlotBooking:
    """Book `slot` for `person` (themselves, or the office / their sub-union officer on their
    behalf, e.g. a retiree who phones in). Refused when the slot is full or past, the drive
    is not taking bookings, or the person already holds a booking in this drive."""
    if not may_act_for(actor=actor, person=person, permission="drives.add_slotbooking"):
        raise PermissionDenied(_("无权为此人预约"))
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
    try:
        with transaction.atomic():
            booking = SlotBooking.objects.create(
                drive=drive,
                slot=slot,
                person=person,
                booked_by=actor,
                on_behalf=getattr(actor, "person_id", None) != person.pk,
            )
    except IntegrityError:  # the same person booking twice at the same instant
        raise ApplicationError(_("已有预约，请先取消再改约")) from None
    audit_event_record(
        actor=actor,
        obj=booking,
        action=AuditAction.CREATED,
        person_id=person.pk,
        changes=changes_of(**{"slot": str(slot), "point": slot.point.name, "on_behalf": booking.on_behalf}),
        message=_("预约现场服务：%(point)s %(slot)s") % {"point": slot.point.name, "slot": slot},
    )
    return booking


def _booking_transition(*, booking: SlotBooking, actor, to_status: str, **fields) -> SlotBooking:
    booking = SlotBooking.objects.select_for_update().get(pk=booking.pk)
    if not can_transition(BOOKING_TRANSITIONS, booking.status, to_status):
        raise InvalidTransition(
            _("预约状态为“%(from)s”，不能变为“%(to)s”")
            % {"from": booking.get_status_display(), "to": BookingStatus(to_status).label}
        )
    before = booking.get_status_display()
    booking.status = to_status
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save()
    if to_status in FREES_PLACE:
        TimeSlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    audit_event_record(
        actor=actor,
        obj=booking,
        action=AuditAction.STATUS_CHANGED,
        person_id=booking.person_id,
        changes=changes_of(
            **{"status": [before, booking.get_status_display()], **{k: str(v) for k, v in fields.items()}}
        ),
        message=_("预约：%(status)s") % {"status": booking.get_status_display()},
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: SlotBooking, actor) -> SlotBooking:
    if not may_act_for(actor=actor, person=booking.person, permission="drives.add_slotbooking"):
        raise PermissionDenied(_("无权取消此预约"))
    return _booking_transition(booking=booking, actor=actor, to_status=BookingStatus.CANCELLED)


@transaction.atomic
def booking_check_in(*, booking: SlotBooking, actor) -> SlotBooking:
    if not actor.has_perm("drives.checkin_booking"):
        raise PermissionDenied(_("无权签到"))
    return _booking_transition(
        booking=booking, actor=actor, to_status=BookingStatus.CHECKED_IN, checked_in_at=timezone.now()
    )


@transaction.atomic
def booking_serve(*, booking: SlotBooking, actor, outcome: str) -> SlotBooking:
    if not actor.has_perm("drives.checkin_booking"):
        raise PermissionDenied(_("无权记录办理结果"))
    if not outcome.strip():
        raise ApplicationError(_("请填写办理结果"))
    return _booking_transition(booking=booking, actor=actor, to_status=BookingStatus.SERVED, outcome=outcome.strip())


@transaction.atomic
def booking_no_show(*, booking: SlotBooking, actor) -> SlotBooking:
    if not actor.has_perm("drives.checkin_booking"):
        raise PermissionDenied(_("无权记录"))
    return _booking_transition(booking=booking, actor=actor, to_status=BookingStatus.NO_SHOW)

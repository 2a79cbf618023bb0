"""Reads for pages and the API: drives, registrations, bookings, all scoped to the user."""

from django.db.models import Q

from gonghui.drives.choices import DrivePhase
from gonghui.drives.models import Drive, DriveRegistration, IntentAnswer, SessionSignup, SlotBooking


def drive_list(*, user):
    """The drives `user` sees with their rules, latest policy start first."""
    return Drive.objects.restrict(user, "view").select_related("rules").order_by("-rules__policy_start", "-id")


def open_drives(*, user):
    """Drives a member can act on: past preparation, not done."""
    return drive_list(user=user).exclude(phase__in=[DrivePhase.PREPARATION, DrivePhase.DONE])


def registration_list(*, user, drive, filters: dict | None = None):
    qs = (
        DriveRegistration.objects.restrict(user, "view")
        .filter(drive=drive)
        .select_related("person", "person__sub_union")
    )
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(name__contains=text) | Q(person__staff_no=text) | Q(person__name__contains=text))
    return qs


def session_signups(*, user, session):
    """Who signed up for an info session, among the people `user` sees (a sub-union officer:
    their sub-union's), by name."""
    return (
        SessionSignup.objects.restrict(user, "view")
        .filter(session=session)
        .select_related("person", "person__sub_union")
        .order_by("person__name_pinyin", "pk")
    )


def my_registrations(*, user, drive):
    if not getattr(user, "person_id", None):
        return DriveRegistration.objects.none()
    return DriveRegistration.objects.filter(drive=drive, person_id=user.person_id).order_by("id")


def my_answer(*, user, drive):
    if not getattr(user, "person_id", None):
        return None
    return IntentAnswer.objects.filter(drive=drive, person_id=user.person_id).first()


def my_booking(*, user, drive):
    if not getattr(user, "person_id", None):
        return None
    return (
        SlotBooking.objects.filter(drive=drive, person_id=user.person_id)
        .select_related("slot", "slot__point")
        .order_by("-booked_at", "-id")
        .first()
    )


def booking_list(*, user, drive):
    return (
        SlotBooking.objects.restrict(user, "view").filter(drive=drive).select_related("person", "slot", "slot__point")
    )

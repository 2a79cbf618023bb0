"""Slot booking: capacity taken by one conditional UPDATE; the last place never twice."""

import datetime
import threading

import pytest
from django.db import connection, connections

from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import AuditEvent
from gonghui.drives.choices import BookingStatus
from gonghui.drives.models import SlotBooking, TimeSlot
from gonghui.drives.services.points import (
    SlotFull,
    booking_cancel,
    booking_check_in,
    booking_no_show,
    booking_serve,
    slot_book,
    time_slots_create,
)
from gonghui.drives.tests.factories import TODAY, drive_make, point_make


def _state(slot):
    slot.refresh_from_db()
    return slot.booked, SlotBooking.objects.count(), AuditEvent.objects.count()


def test_booking_takes_a_place_and_cancelling_gives_it_back(university):
    drive = drive_make()
    _point, slot = point_make(drive, capacity=2)
    booking = slot_book(slot=slot, person=university.zhang, actor=university.users["member"], on=TODAY)
    assert (booking.on_behalf, booking.status) == (False, BookingStatus.BOOKED)
    slot.refresh_from_db()
    assert slot.booked == 1
    booking_cancel(booking=booking, actor=university.users["member"])
    slot.refresh_from_db()
    assert slot.booked == 0
    assert SlotBooking.objects.get().status == BookingStatus.CANCELLED


def test_full_slot_is_refused_and_nothing_is_written(university):
    drive = drive_make()
    _point, slot = point_make(drive, capacity=1)
    slot_book(slot=slot, person=university.zhang, actor=university.users["member"], on=TODAY)
    before = _state(slot)
    with pytest.raises(SlotFull, match="该时段已约满"):
        slot_book(slot=slot, person=university.zhao, actor=university.users["union_office"], on=TODAY)
    assert _state(slot) == before == (1, 1, before[2])


def test_one_active_booking_per_person(university):
    drive = drive_make()
    point, slot = point_make(drive, capacity=5)
    other = TimeSlot.objects.create(
        point=point, day=slot.day, starts=datetime.time(10), ends=datetime.time(10, 30), capacity=5
    )
    slot_book(slot=slot, person=university.zhang, actor=university.users["member"], on=TODAY)
    before = _state(other)
    with pytest.raises(ApplicationError, match="请先取消再改约"):
        slot_book(slot=other, person=university.zhang, actor=university.users["member"], on=TODAY)
    assert _state(other) == before


def test_office_books_on_behalf_and_runs_the_point(university):
    drive = drive_make()
    _point, slot = point_make(drive, capacity=3, sub_union=university.retirees)
    office = university.users["union_office"]
    booking = slot_book(slot=slot, person=university.zhao, actor=office, on=TODAY)  # a retiree phoned in
    assert booking.on_behalf and booking.booked_by == office
    booking_check_in(booking=booking, actor=office)
    booking = booking_serve(booking=booking, actor=office, outcome="已现场投保")
    assert (booking.status, booking.outcome) == (BookingStatus.SERVED, "已现场投保")
    assert booking.checked_in_at is not None
    slot.refresh_from_db()
    assert slot.booked == 1  # a served booking keeps its place
    no_show = slot_book(slot=slot, person=university.zhang, actor=office, on=TODAY)
    booking_no_show(booking=no_show, actor=office)
    slot.refresh_from_db()
    assert slot.booked == 1


def test_member_cannot_book_for_someone_else_nor_officer_outside_scope(university):
    drive = drive_make()
    _point, slot = point_make(drive)
    for actor in (university.users["member"], university.users["sub_union_officer"]):
        with pytest.raises(PermissionDenied):
            slot_book(slot=slot, person=university.wang, actor=actor, on=TODAY)
    assert _state(slot)[:2] == (0, 0)


def test_past_slot_is_refused(university):
    drive = drive_make()
    _point, slot = point_make(drive, day=datetime.date(2021, 9, 9))
    with pytest.raises(ApplicationError, match="该时段已过"):
        slot_book(slot=slot, person=university.zhang, actor=university.users["member"], on=TODAY)
    assert _state(slot)[:2] == (0, 0)


def test_slots_made_for_a_morning(university):
    drive = drive_make()
    point, _slot = point_make(drive)
    slots = time_slots_create(
        point=point,
        actor=university.users["union_office"],
        day=datetime.date(2021, 9, 29),
        first=datetime.time(9),
        last_end=datetime.time(11, 45),
        minutes=30,
        capacity=6,
    )
    assert [s.starts.strftime("%H:%M") for s in slots] == ["09:00", "09:30", "10:00", "10:30", "11:00"]


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_place_at_once_do_not_both_get_it(university):
    """Two threads, each with its own database connection, book the last place of a slot at
    the same instant. Exactly one gets it. PostgreSQL only: SQLite serialises writers."""
    if connection.vendor == "sqlite":
        pytest.skip("needs a database with concurrent writers (runs on PostgreSQL in CI)")
    drive = drive_make()
    _point, slot = point_make(drive, capacity=1)
    people = [university.zhang, university.wang]
    actor = university.users["union_office"]
    barrier = threading.Barrier(2)
    outcomes = []

    def book(person):
        try:
            barrier.wait(timeout=10)
            slot_book(slot=TimeSlot.objects.get(pk=slot.pk), person=person, actor=actor, on=TODAY)
            outcomes.append("booked")
        except SlotFull:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["booked", "full"]
    slot.refresh_from_db()
    assert slot.booked == 1
    assert SlotBooking.objects.filter(slot=slot).count() == 1

"""The drives' lifecycles on core's workflow: a drive's phases (forward only, skipping allowed,
registration only under adopted rules), a registration's and a booking's steps, each with its
event row and an audit row of real [before, after] pairs."""

import datetime

import pytest
from django.urls import reverse

from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import InvalidTransition, StepNotAllowed
from gonghui.core.models import AuditEvent
from gonghui.drives.choices import BookingStatus, DrivePhase, RegistrationStatus
from gonghui.drives.models import BookingEvent, DriveEvent, RegistrationEvent, SlotBooking
from gonghui.drives.services.drives import drive_advance
from gonghui.drives.services.points import booking_cancel, booking_no_show, booking_serve, slot_book
from gonghui.drives.services.registrations import registration_create, registration_withdraw
from gonghui.drives.services.results import result_import
from gonghui.drives.services.roster import roster_export_create
from gonghui.drives.tests.factories import TODAY, booking_make, drive_make, point_make, result_file


def _state(drive):
    drive.refresh_from_db()
    return drive.phase, DriveEvent.objects.count(), AuditEvent.objects.count()


def test_phases_move_forward_and_may_skip_one(university):
    office = university.users["union_office"]
    drive = drive_make(phase=DrivePhase.PREPARATION, rules_status=EditionStatus.ADOPTED)
    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.SURVEY)  # no information sessions
    assert drive.phase == DrivePhase.SURVEY
    event = DriveEvent.objects.get(subject=drive)
    assert (event.from_state, event.to_state, event.step, event.actor) == ("preparation", "survey", "survey", office)
    audit = AuditEvent.objects.get(object_type="drives.drive", object_id=str(drive.pk))
    assert audit.changes == {"phase": ["前期调研", "意向摸底"]} and audit.person_id is None

    before = _state(drive)
    with pytest.raises(InvalidTransition, match="参保活动当前状态为“意向摸底”，不能改为“宣讲会”"):
        drive_advance(drive=drive, actor=office, to_phase=DrivePhase.INFO_SESSIONS)
    assert _state(drive) == before


def test_registration_opens_only_under_adopted_rules(university):
    office = university.users["union_office"]
    drive = drive_make(phase=DrivePhase.SURVEY)
    assert drive.rules.status == EditionStatus.DRAFT
    before = _state(drive)
    for phase in (DrivePhase.REGISTRATION, DrivePhase.ROSTER, DrivePhase.ON_SITE):
        with pytest.raises(InvalidTransition, match="参保规则尚未通过"):
            drive_advance(drive=drive, actor=office, to_phase=phase)
    assert _state(drive) == before
    # ending a drive that never opened needs no rules
    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.DONE)
    assert _state(drive)[0] == DrivePhase.DONE


def test_only_the_office_moves_a_drive(university):
    drive = drive_make(phase=DrivePhase.SURVEY, rules_status=EditionStatus.ADOPTED)
    before = _state(drive)
    for role in ("sub_union_officer", "auditor", "member"):
        with pytest.raises(StepNotAllowed):
            drive_advance(drive=drive, actor=university.users[role], to_phase=DrivePhase.REGISTRATION)
    assert _state(drive) == before


def test_the_drive_page_offers_the_next_phases(university, client):
    drive = drive_make(phase=DrivePhase.SURVEY)
    client.force_login(university.users["union_office"])
    page = client.get(reverse("drives:drive_detail", args=[drive.pk])).content.decode()
    # registration and the phases after it wait for the rules; ending is possible
    assert '<option value="done">' in page and 'value="registration"' not in page
    assert "参保规则通过后才能开始报名" in page
    type(drive.rules).objects.filter(pk=drive.rules.pk).update(status=EditionStatus.ADOPTED)
    page = client.get(reverse("drives:drive_detail", args=[drive.pk])).content.decode()
    assert '<option value="registration">开始报名</option>' in page


@pytest.fixture
def sent(university):
    """zhang's registration, sent on the first roster."""
    drive = drive_make()
    office = university.users["union_office"]
    registration = registration_create(
        drive=drive, person=university.zhang, actor=university.users["member"], channel="group", consent=True, on=TODAY
    )
    roster_export_create(drive=drive, actor=office)
    return drive, office, registration


def test_registration_history_is_one_event_per_step_and_audit_pairs(university, sent):
    drive, office, registration = sent
    zhang = university.zhang
    result_import(
        drive=drive,
        actor=office,
        content=result_file([(zhang.name, zhang.id_number_clear(), "参保成功", "P-001", "")]),
        file_name="结果.xlsx",
    )
    result_import(
        drive=drive,
        actor=office,
        content=result_file([(zhang.name, zhang.id_number_clear(), "已缴费", "", "")]),
        file_name="缴费.xlsx",
    )
    steps = list(RegistrationEvent.objects.filter(subject=registration).values_list("from_state", "to_state", "step"))
    assert steps == [
        ("", "registered", "created"),
        ("registered", "on_roster", "roster"),
        ("on_roster", "enrolled", "enroll"),
        ("enrolled", "paid", "pay"),
    ]
    changes = list(
        AuditEvent.objects.filter(object_type="drives.driveregistration", object_id=str(registration.pk))
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes == [
        {
            "relationship": [None, "本人"],
            "channel": [None, "团体参保"],
            "consent_at": [None, changes[0]["consent_at"][1]],
        },
        {"status": ["已报名", "已报送"]},
        {"status": ["已报送", "已参保"], "policy_no": ["", "P-001"]},
        {"status": ["已参保", "已缴费"]},
    ]
    # the person's page reads each pair as it is
    client_page = _person_page(university, zhang)
    assert "保单号: <del>—</del> → <ins>P-001</ins>" in client_page
    assert "关系: <del>—</del> → <ins>本人</ins>" in client_page


def _person_page(university, person):
    from django.test import Client

    client = Client()
    client.force_login(university.users["union_office"])
    return client.get(reverse("people:person_detail", args=[person.pk])).content.decode()


def test_withdrawal_is_a_step_of_the_registrant_or_their_officer(university):
    drive = drive_make()
    registration = registration_create(
        drive=drive,
        person=university.li,
        actor=university.users["sub_union_officer"],
        channel="group",
        consent=True,
        on=TODAY,
    )
    before = (RegistrationEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(StepNotAllowed):  # zhang is not li, and holds no permission
        registration_withdraw(registration=registration, actor=university.users["member"])
    with pytest.raises(StepNotAllowed):  # the auditor reads, but does not act
        registration_withdraw(registration=registration, actor=university.users["auditor"])
    assert (RegistrationEvent.objects.count(), AuditEvent.objects.count()) == before
    registration_withdraw(registration=registration, actor=university.users["sub_union_officer"])
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WITHDRAWN
    audit = AuditEvent.objects.filter(object_type="drives.driveregistration").latest("id")
    assert audit.changes["status"] == ["已报名", "已撤回"] and audit.changes["withdrawn_at"][0] is None
    assert audit.person_id == university.li.pk


def test_booking_steps_and_the_place_given_back_with_them(university):
    drive = drive_make()
    _point, slot = point_make(drive, capacity=2)
    office = university.users["union_office"]
    booking = slot_book(slot=slot, person=university.zhang, actor=university.users["member"], on=TODAY)
    # only the person, or someone who may book for them, cancels
    slot.refresh_from_db()
    before = (slot.booked, BookingEvent.objects.count(), AuditEvent.objects.count())
    for actor in (university.users["auditor"], university.users["handling_unit_officer"]):
        with pytest.raises(StepNotAllowed):
            booking_cancel(booking=booking, actor=actor)
    slot.refresh_from_db()
    assert (slot.booked, BookingEvent.objects.count(), AuditEvent.objects.count()) == before == (1, 1, before[2])
    booking_cancel(booking=booking, actor=university.users["member"])
    slot.refresh_from_db()
    assert slot.booked == 0
    assert list(BookingEvent.objects.filter(subject=booking).values_list("step", flat=True)) == ["created", "cancel"]
    # a no-show gives the place back; a refused step does not
    other = booking_make(slot, university.zhao, by=office)
    with pytest.raises(InvalidTransition):
        booking_serve(booking=other, actor=office, outcome="已现场投保")  # not checked in
    slot.refresh_from_db()
    assert slot.booked == 1
    booking_no_show(booking=other, actor=office)
    slot.refresh_from_db()
    assert (slot.booked, SlotBooking.objects.get(pk=other.pk).status) == (0, BookingStatus.NO_SHOW)
    audit = AuditEvent.objects.filter(object_type="drives.slotbooking", object_id=str(other.pk)).get()
    assert audit.changes == {"status": ["已预约", "未到"]} and audit.person_id == university.zhao.pk


def test_serving_needs_an_outcome_and_records_it(university):
    drive = drive_make()
    _point, slot = point_make(drive, capacity=2)
    office = university.users["union_office"]
    booking = booking_make(slot, university.zhao, status=BookingStatus.CHECKED_IN, by=office)
    with pytest.raises(Exception, match="请填写办理结果"):
        booking_serve(booking=booking, actor=office, outcome="  ")
    assert BookingEvent.objects.count() == 0
    booking = booking_serve(booking=booking, actor=office, outcome="已现场投保")
    assert (booking.status, booking.outcome) == (BookingStatus.SERVED, "已现场投保")
    event = BookingEvent.objects.get(subject=booking)
    assert (event.step, event.message) == ("serve", "已现场投保")
    audit = AuditEvent.objects.get(object_type="drives.slotbooking", object_id=str(booking.pk))
    assert audit.changes == {"status": ["已签到", "已办理"], "outcome": ["", "已现场投保"]}


def test_a_drive_past_registration_keeps_its_dates(university):
    """The drive's own fields are not rules: they stay editable after adoption."""
    from gonghui.drives.services.drives import drive_update

    drive = drive_make()
    drive_update(drive=drive, actor=university.users["union_office"], registration_until=datetime.date(2021, 9, 25))
    drive.refresh_from_db()
    assert drive.registration_until == datetime.date(2021, 9, 25)

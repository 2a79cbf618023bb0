import datetime
import io
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook

from gonghui.core.editions import EditionStatus
from gonghui.drives.choices import BookingStatus, DrivePhase, RegistrationChannel, RegistrationStatus, Relationship
from gonghui.drives.models import Drive, DriveRegistration, DriveRules, ServicePoint, SlotBooking, TimeSlot
from gonghui.drives.workflow import BEFORE_REGISTRATION
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.tests.factories import valid_id_number

TODAY = datetime.date(2021, 9, 10)  # inside the 2021 registration window


RULES_2021 = {
    "price_per_person": Decimal("195.00"),
    "policy_start": datetime.date(2021, 10, 1),
    "eligible_statuses": [EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED],
    "eligible_coverage_types": [],
    "min_age": None,
    "max_age": None,
    "relatives_allowed": True,
    "relative_relationships": [Relationship.SPOUSE, Relationship.CHILD, Relationship.PARENT],
    "group_only_coverage_types": [CoverageType.PUBLIC],
}


def drive_make(**overrides) -> Drive:
    """A 2021-like 北京普惠健康保 drive, in registration (dates as in the 2021 bulletin), with
    its rules (`overrides` may name drive fields and rule fields). Rules of a drive past
    preparation are adopted, as registration requires; pass rules_status="draft" for a draft."""
    rules_status = overrides.pop("rules_status", None)
    rules = RULES_2021 | {name: overrides.pop(name) for name in DriveRules.document.fields if name in overrides}
    values = {
        "name": "2021 北京普惠健康保",
        "product": "北京普惠健康保",
        "provider": "中国人保财险北京分公司",
        "phase": DrivePhase.REGISTRATION,
        "research_from": datetime.date(2021, 7, 1),
        "info_sessions_from": datetime.date(2021, 7, 26),
        "survey_from": datetime.date(2021, 8, 2),
        "survey_until": datetime.date(2021, 8, 13),
        "registration_from": datetime.date(2021, 9, 1),
        "registration_until": datetime.date(2021, 9, 20),
        "roster_due": datetime.date(2021, 9, 24),
        "on_site_from": datetime.date(2021, 9, 27),
        "on_site_until": datetime.date(2021, 10, 15),
        "contacts": "校工会 王老师 010-12345678",
    }
    values.update(overrides)
    drive = Drive.objects.create(**values)
    if rules_status is None:
        rules_status = EditionStatus.DRAFT if drive.phase in BEFORE_REGISTRATION else EditionStatus.ADOPTED
    adopted = rules_status != EditionStatus.DRAFT
    DriveRules.objects.create(
        drive=drive,
        status=rules_status,
        adopted_on=datetime.date(2021, 8, 20) if adopted else None,
        resolution="校工会常委会决议" if adopted else "",
        **rules,
    )
    return drive


def relative_data(
    *,
    relationship=Relationship.SPOUSE,
    birth_date=datetime.date(1982, 4, 3),
    gender=Gender.FEMALE,
    coverage_type=CoverageType.INSURANCE,
    name="刘敏",
    sequence=None,
) -> dict:
    return {
        "relationship": relationship,
        "name": name,
        "gender": gender,
        "birth_date": birth_date,
        "id_number": valid_id_number(birth_date=birth_date, gender=gender, sequence=sequence),
        "coverage_type": coverage_type,
        "phone": "13900000001",
    }


def point_make(drive, *, capacity=2, day=datetime.date(2021, 9, 28), name="离退休工作处服务点", sub_union=None):
    point = ServicePoint.objects.create(drive=drive, name=name, place="离退休活动中心一层", sub_union=sub_union)
    slot = TimeSlot.objects.create(
        point=point, day=day, starts=datetime.time(9), ends=datetime.time(9, 30), capacity=capacity
    )
    return point, slot


def result_file(rows, headers=("姓名", "证件号码", "结果", "保单号", "原因")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def registration_make(drive, person, *, status=RegistrationStatus.REGISTERED, **values) -> DriveRegistration:
    """A registration of `person` themselves, written directly (no checks, no history)."""
    fields = {
        "name": person.name,
        "id_number_encrypted": person.id_number_encrypted,
        "id_number_digest": person.id_number_digest,
        "id_number_masked": person.id_number_masked,
        "phone": person.phone or "13800000000",
        "gender": person.gender,
        "birth_date": person.birth_date,
        "coverage_type": person.coverage_type,
        "channel": RegistrationChannel.GROUP,
        "age_at_start": 40,
        "consent_at": timezone.now(),
        "consent_text": drive.rules.consent_text,
        "status": status,
    }
    return DriveRegistration.objects.create(drive=drive, person=person, **(fields | values))


def booking_make(slot, person, *, status=BookingStatus.BOOKED, by=None) -> SlotBooking:
    """A booking of `slot` for `person`, written directly (the place counted)."""
    TimeSlot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    return SlotBooking.objects.create(drive=slot.point.drive, slot=slot, person=person, status=status, booked_by=by)

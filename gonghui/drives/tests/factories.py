import datetime
import io
from decimal import Decimal

from openpyxl import Workbook

from gonghui.drives.choices import DrivePhase, Relationship
from gonghui.drives.models import Drive, ServicePoint, TimeSlot
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.tests.factories import valid_id_number

TODAY = datetime.date(2021, 9, 10)  # inside the 2021 registration window


def drive_make(**overrides) -> Drive:
    """A 2021-like 北京普惠健康保 drive, in registration (dates as in the 2021 bulletin)."""
    values = {
        "name": "2021 北京普惠健康保",
        "product": "北京普惠健康保",
        "provider": "中国人保财险北京分公司",
        "price_per_person": Decimal("195.00"),
        "policy_start": datetime.date(2021, 10, 1),
        "eligible_statuses": [EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED],
        "eligible_coverage_types": [],
        "min_age": None,
        "max_age": None,
        "relatives_allowed": True,
        "relative_relationships": [Relationship.SPOUSE, Relationship.CHILD, Relationship.PARENT],
        "group_only_coverage_types": [CoverageType.PUBLIC],
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
    return Drive.objects.create(**values)


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

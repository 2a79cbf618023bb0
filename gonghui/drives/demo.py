"""The demo university's drives: the 2021 北京普惠健康保 drive run end to end as in the
bulletin (survey in August, registration in September, roster, the insurer's result, a
service point at the retirees' office; 799 active staff and 253 retirees enrolled), and this
year's drive open for registration so that members can try the portal.

Built through the services as the demo union office, so every step carries its history.
Idempotent: a drive that exists (by name) is left alone."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from gonghui.accounts.models import User
from gonghui.core.editions import edition_adopt
from gonghui.core.excel import xlsx_bytes
from gonghui.drives.choices import DrivePhase, Intent, RegistrationChannel, Relationship
from gonghui.drives.eligibility import eligible_people
from gonghui.drives.models import Drive
from gonghui.drives.services import drives as drive_services
from gonghui.drives.services.points import service_point_create, time_slots_create
from gonghui.drives.services.registrations import registration_create
from gonghui.drives.services.results import result_import
from gonghui.drives.services.roster import roster_export_create
from gonghui.drives.services.sessions import info_session_create
from gonghui.drives.services.survey import intent_answer_record
from gonghui.people.choices import CoverageType, EmploymentStatus
from gonghui.people.models import SubUnion

DEMO_OFFICE_USERNAME = "office"
NAME_2021 = "2021 北京普惠健康保"
ACTIVE_2021, RETIRED_2021 = 799, 253  # [verified] 2021 bulletin


@dataclass
class DrivesDemoResult:
    created: list = field(default_factory=list)


def _config(year: int, **overrides) -> dict:
    values = {
        "product": "北京普惠健康保",
        "provider": "中国人民财产保险股份有限公司北京市分公司",
        "price_per_person": Decimal("195.00"),
        "policy_start": datetime.date(year, 10, 1) if year == 2021 else None,
        "description": "北京市医保局指导的普惠型商业补充医疗保险，不限年龄、不限既往症，每人每年 195 元（示例，可配置）。",
        "eligible_statuses": [EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED],
        "eligible_coverage_types": [],
        "relatives_allowed": True,
        "relative_relationships": [Relationship.SPOUSE, Relationship.CHILD, Relationship.PARENT],
        "group_only_coverage_types": [CoverageType.PUBLIC],
        "contacts": "校工会 王老师 010-89730000\n人保财险 李经理 010-88888888",
    }
    values.update(overrides)
    return values


def drives_demo_build(*, today: datetime.date | None = None) -> DrivesDemoResult:
    result = DrivesDemoResult()
    office = User.objects.filter(username=DEMO_OFFICE_USERNAME).first()
    if office is None:
        return result
    if not Drive.objects.filter(name=NAME_2021).exists():
        _drive_2021(office)
        result.created.append(NAME_2021)
    today = today or datetime.date.today()
    name = f"{today.year} 北京普惠健康保（报名中）"
    if not Drive.objects.filter(name=name).exists():
        _drive_open(office, name, today)
        result.created.append(name)
    return result


def _rules_adopt(office, drive, on: datetime.date) -> None:
    edition_adopt(actor=office, edition=drive.rules, adopted_on=on, resolution="校工会常委会决议（示例）")


def _drive_2021(office):
    drive = drive_services.drive_create(
        actor=office,
        **_config(
            2021,
            name=NAME_2021,
            research_from=datetime.date(2021, 7, 1),
            info_sessions_from=datetime.date(2021, 7, 26),
            survey_from=datetime.date(2021, 8, 2),
            survey_until=datetime.date(2021, 8, 13),
            registration_from=datetime.date(2021, 9, 1),
            registration_until=datetime.date(2021, 9, 17),
            roster_due=datetime.date(2021, 9, 24),
            on_site_from=datetime.date(2021, 9, 27),
            on_site_until=datetime.date(2021, 10, 15),
            done_on=datetime.date(2021, 10, 31),
        ),
    )
    drive_services.drive_advance(drive=drive, actor=office, to_phase=DrivePhase.INFO_SESSIONS)
    info_session_create(
        drive=drive,
        actor=office,
        title="北京普惠健康保宣讲会（人保财险）",
        starts_at=datetime.datetime(2021, 7, 28, 14, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
        place="学术报告厅",
        capacity=200,
    )
    drive_services.drive_advance(drive=drive, actor=office, to_phase=DrivePhase.SURVEY)
    people = eligible_people(drive).select_related("sub_union").order_by("staff_no")
    active = list(people.filter(employment_status=EmploymentStatus.ACTIVE)[:ACTIVE_2021])
    retired = list(people.filter(employment_status=EmploymentStatus.RETIRED)[:RETIRED_2021])
    on = datetime.date(2021, 8, 10)
    for person in active + retired:
        intent_answer_record(drive=drive, person=person, actor=office, intent=Intent.YES, on=on)
    _rules_adopt(office, drive, datetime.date(2021, 8, 20))
    drive_services.drive_advance(drive=drive, actor=office, to_phase=DrivePhase.REGISTRATION)
    on = datetime.date(2021, 9, 10)
    registrations = []
    for person in active + retired:
        channel = (
            RegistrationChannel.GROUP if person.coverage_type == CoverageType.PUBLIC else RegistrationChannel.INDIVIDUAL
        )
        registrations.append(
            registration_create(
                drive=drive,
                person=person,
                actor=office,
                channel=channel,
                consent=True,
                on=on,
                phone=person.phone or "13800000000",
            )
        )
    drive_services.drive_advance(drive=drive, actor=office, to_phase=DrivePhase.ROSTER)
    roster_export_create(drive=drive, actor=office)
    content = xlsx_bytes(
        headers=["姓名", "证件号码", "结果", "保单号", "原因"],
        rows=[
            [registration.name, registration.id_number_clear(), "已缴费", f"PICC2021BJ{index:06d}", ""]
            for index, registration in enumerate(registrations, start=1)
        ],
        text_columns={1},
    )
    result_import(drive=drive, actor=office, content=content, file_name="人保财险-参保结果-2021.xlsx")
    drive_services.drive_advance(drive=drive, actor=office, to_phase=DrivePhase.ON_SITE)
    _morning_slots_create(office, _retirees_point_create(office, drive), datetime.date(2021, 9, 28), capacity=20)
    drive_services.drive_advance(drive=drive, actor=office, to_phase=DrivePhase.DONE)
    return drive


def _retirees_point_create(office, drive):
    """The retirees' office service point every demo drive has (by telephone appointment)."""
    return service_point_create(
        drive=drive,
        actor=office,
        name="离退休工作处服务点",
        place="离退休活动中心一层",
        sub_union=SubUnion.objects.filter(kind="retirees").first(),
        notes="可电话预约",
    )


def _morning_slots_create(office, point, day: datetime.date, *, capacity: int) -> None:
    """Half-hour slots from 9:00 to 11:30 on `day`, `capacity` people each."""
    time_slots_create(
        point=point,
        actor=office,
        day=day,
        first=datetime.time(9),
        last_end=datetime.time(11, 30),
        minutes=30,
        capacity=capacity,
    )


def _drive_open(office, name, today):
    drive = drive_services.drive_create(
        actor=office,
        **_config(
            today.year,
            name=name,
            policy_start=today + datetime.timedelta(days=45),
            survey_from=today - datetime.timedelta(days=30),
            survey_until=today - datetime.timedelta(days=15),
            registration_from=today - datetime.timedelta(days=7),
            registration_until=today + datetime.timedelta(days=14),
            on_site_from=today + datetime.timedelta(days=3),
            on_site_until=today + datetime.timedelta(days=20),
        ),
    )
    _rules_adopt(office, drive, today - datetime.timedelta(days=10))
    drive_services.drive_advance(drive=drive, actor=office, to_phase=DrivePhase.REGISTRATION)
    campus = service_point_create(drive=drive, actor=office, name="校工会服务点", place="行政楼一层大厅")
    retirees = _retirees_point_create(office, drive)
    for offset in (3, 4):
        day = today + datetime.timedelta(days=offset)
        _morning_slots_create(office, campus, day, capacity=15)
        _morning_slots_create(office, retirees, day, capacity=10)
    return drive

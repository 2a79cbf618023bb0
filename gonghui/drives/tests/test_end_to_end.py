"""A 2021-like drive run end to end on a small university, through the services: survey,
registration (group-only rule, relatives), roster, provider result, bookings; the final
counts equal the registrations and the provider's result exactly, on the page, the API and
`manage.py drive_report`."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from gonghui.core.editions import edition_adopt
from gonghui.drives.choices import DrivePhase, Intent, RegistrationChannel
from gonghui.drives.selectors.figures import drive_figures
from gonghui.drives.selectors.survey import survey_board
from gonghui.drives.services.drives import drive_advance, drive_create
from gonghui.drives.services.points import service_point_create, slot_book, time_slots_create
from gonghui.drives.services.registrations import registration_create, registration_withdraw
from gonghui.drives.services.results import result_import
from gonghui.drives.services.roster import roster_export_create
from gonghui.drives.services.survey import intent_answer_record, survey_remind
from gonghui.drives.tests.factories import relative_data, result_file
from gonghui.notifications.models import Notification
from gonghui.people.choices import CoverageType, EmploymentStatus
from gonghui.people.tests.factories import person_make


@pytest.mark.django_db
def test_a_2021_like_drive_end_to_end(university, client):
    u = university
    office = u.users["union_office"]
    officer = u.users["sub_union_officer"]
    # the small university: 4 more active staff in econ (one on public-funded care), 2 more retirees
    public = person_make(name="钱明", sub_union=u.econ, coverage_type=CoverageType.PUBLIC)
    econ_more = [
        person_make(name=f"经{i}", sub_union=u.econ, birth_date=datetime.date(1986, 2, 1 + i)) for i in range(3)
    ]
    retirees = [
        person_make(
            name=f"退{i}",
            sub_union=u.retirees,
            employment_status=EmploymentStatus.RETIRED,
            birth_date=datetime.date(1955, 1, 1 + i),
        )
        for i in range(2)
    ]

    drive = drive_create(
        actor=office,
        name="2021 北京普惠健康保",
        product="北京普惠健康保",
        provider="人保财险",
        price_per_person=Decimal("195.00"),
        policy_start=datetime.date(2021, 10, 1),
        eligible_statuses=["active", "retired"],
        relatives_allowed=True,
        relative_relationships=["spouse", "child"],
        group_only_coverage_types=[CoverageType.PUBLIC],
        survey_until=datetime.date(2021, 8, 13),
        registration_from=datetime.date(2021, 9, 1),
        registration_until=datetime.date(2021, 9, 20),
    )
    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.SURVEY)
    on = datetime.date(2021, 8, 5)
    # survey: zhang on the portal, the econ officer for li and public, the retirees' answers by the office
    intent_answer_record(
        drive=drive, person=u.zhang, actor=u.users["member"], intent=Intent.YES, relatives_count=1, on=on
    )
    intent_answer_record(drive=drive, person=u.li, actor=officer, intent=Intent.YES, on=on)
    intent_answer_record(drive=drive, person=public, actor=officer, intent=Intent.YES, on=on)
    intent_answer_record(drive=drive, person=econ_more[0], actor=officer, intent=Intent.NO, on=on)
    intent_answer_record(drive=drive, person=u.zhao, actor=office, intent=Intent.YES, on=on)
    intent_answer_record(drive=drive, person=retirees[0], actor=office, intent=Intent.UNDECIDED, on=on)
    board = {row["sub_union"].code: row for row in survey_board(drive=drive, user=office)}
    # econ: zhang, li (group), officer_person, public, 3 more = 7 eligible
    assert {
        k: board["ECON"][k] for k in ("eligible", "answered", "yes", "no", "undecided", "pending", "relatives_intended")
    } == {"eligible": 7, "answered": 4, "yes": 3, "no": 1, "undecided": 0, "pending": 3, "relatives_intended": 1}
    assert (board["LAW"]["eligible"], board["LAW"]["pending"]) == (1, 1)
    assert (board["RET"]["eligible"], board["RET"]["yes"], board["RET"]["pending"]) == (3, 1, 1)
    # the officer sees only econ
    assert [row["sub_union"].code for row in survey_board(drive=drive, user=officer)] == ["ECON"]
    # remind econ: its officer, once as officer and once as a member still to answer
    assert survey_remind(drive=drive, sub_union=u.econ, actor=office) == 2  # officer_person (pending) + the officer
    assert Notification.objects.count() == 2

    edition_adopt(actor=office, edition=drive.rules, adopted_on=datetime.date(2021, 8, 20), resolution="常委会决议")
    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.REGISTRATION)
    on = datetime.date(2021, 9, 10)
    group, individual = RegistrationChannel.GROUP, RegistrationChannel.INDIVIDUAL
    reg = {}
    reg["zhang"] = registration_create(
        drive=drive, person=u.zhang, actor=u.users["member"], channel=individual, consent=True, on=on
    )
    reg["spouse"] = registration_create(
        drive=drive, person=u.zhang, actor=u.users["member"], channel=individual, consent=True, on=on, **relative_data()
    )
    reg["li"] = registration_create(drive=drive, person=u.li, actor=officer, channel=group, consent=True, on=on)
    reg["public"] = registration_create(drive=drive, person=public, actor=officer, channel=group, consent=True, on=on)
    reg["wang"] = registration_create(drive=drive, person=u.wang, actor=office, channel=individual, consent=True, on=on)
    reg["zhao"] = registration_create(drive=drive, person=u.zhao, actor=office, channel=group, consent=True, on=on)
    reg["ret0"] = registration_create(drive=drive, person=retirees[0], actor=office, channel=group, consent=True, on=on)
    reg["ret1"] = registration_create(drive=drive, person=retirees[1], actor=office, channel=group, consent=True, on=on)
    registration_withdraw(registration=reg["wang"], actor=office)

    figures = drive_figures(drive)
    assert figures["registered"] == {"total": 7, "staff": 6, "relatives": 1, "active": 3, "retired": 3}
    assert figures["enrolled"]["total"] == 0

    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.ROSTER)
    roster = roster_export_create(drive=drive, actor=office)
    assert (roster.version, roster.line_count) == (1, 7)

    def line(key, outcome, policy="", reason=""):
        r = reg[key]
        return (r.name, r.id_number_clear(), outcome, policy, reason)

    result_import(
        drive=drive,
        actor=office,
        file_name="结果.xlsx",
        content=result_file(
            [
                line("zhang", "参保成功", "P1"),
                line("spouse", "参保成功", "P2"),
                line("li", "已缴费", "P3"),
                line("public", "参保成功", "P4"),
                line("zhao", "参保成功", "P5"),
                line("ret0", "参保成功", "P6"),
                line("ret1", "未通过", reason="证件信息有误"),
            ]
        ),
    )

    drive_advance(drive=drive, actor=office, to_phase=DrivePhase.ON_SITE)
    point = service_point_create(
        drive=drive, actor=office, name="离退休工作处服务点", place="离退休活动中心", sub_union=u.retirees
    )
    slots = time_slots_create(
        point=point,
        actor=office,
        day=datetime.date(2021, 9, 28),
        first=datetime.time(9),
        last_end=datetime.time(10),
        minutes=30,
        capacity=2,
    )
    slot_book(slot=slots[0], person=u.zhao, actor=office, on=on)
    slot_book(slot=slots[0], person=retirees[0], actor=office, on=on)

    figures = drive_figures(drive)
    assert figures["enrolled"] == {"total": 6, "staff": 5, "relatives": 1, "active": 3, "retired": 2}
    assert figures["registered"] == {"total": 6, "staff": 5, "relatives": 1, "active": 3, "retired": 2}
    assert figures["by_status"] == {
        "registered": 0,
        "withdrawn": 1,
        "on_roster": 0,
        "enrolled": 5,
        "rejected": 1,
        "paid": 1,
    }
    assert figures["premium"] == "1170.00"  # 6 × 195
    assert figures["intent"] == {"answered": 6, "yes": 4, "no": 1, "undecided": 1, "relatives_intended": 1}
    assert figures["bookings"]["booked"] == 2
    rows = {row["code"]: row for row in figures["by_sub_union"]}
    assert {
        k: rows["ECON"][k]
        for k in ("eligible", "intent_yes", "registered", "enrolled", "enrolled_staff", "enrolled_relatives")
    } == {"eligible": 7, "intent_yes": 3, "registered": 4, "enrolled": 4, "enrolled_staff": 3, "enrolled_relatives": 1}
    assert (rows["RET"]["enrolled"], rows["LAW"]["enrolled"]) == (2, 0)

    # the command prints the same numbers
    out = io.StringIO()
    call_command("drive_report", drive=drive.pk, format="json", stdout=out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(figures))
    # the report page and its xlsx
    client.force_login(office)
    page = client.get(reverse("drives:report", args=[drive.pk]))
    assert page.status_code == 200
    # two charts, each drawn from its JSON data block (no executable script in the page body)
    body = page.content.split(b"<main")[1]
    assert body.count(b"data-chart=") == 2 and body.count(b'<script id="') == 2
    assert body.count(b'type="application/json"') == 2
    xlsx = client.get(reverse("drives:report", args=[drive.pk]) + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    api = client.get(reverse("api-drive-detail", args=[drive.pk]))
    assert api.json()["figures"]["enrolled"]["total"] == 6

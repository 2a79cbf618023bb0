"""The first year of a new union office through manage.py commands and services, on a
held-out roster (another seed than the browser journey's): from an empty database to the
2021 reports, never through the Django admin. The figures the reports print are checked
against what the roster's rows and the rules imply (tests.first_year, plain Python), not
against the code under test. Runs on SQLite and on PostgreSQL like the rest of the suite."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone
from openpyxl import Workbook

from gonghui.accounts.models import RoleAssignment, User
from gonghui.accounts.services import (
    account_activation_code_issue,
    activation_codes_issue,
    member_account_create,
    password_set_with_code,
    role_grant,
)
from gonghui.core.editions import edition_adopt
from gonghui.core.exceptions import ApplicationError
from gonghui.core.imports import Upload
from gonghui.insurance.services.presets import preset_start
from gonghui.mutual_aid.models import SchemeMembership
from gonghui.mutual_aid.selectors.fees import deduction_rows
from gonghui.mutual_aid.services import editions as edition_services
from gonghui.mutual_aid.services.enrolment_batch import enrolment_batch_confirm, enrolment_batch_start
from gonghui.mutual_aid.services.fees import fee_result_confirm, fee_result_preview
from gonghui.mutual_aid.services.membership import scheme_membership_enroll
from gonghui.people.models import EmploymentCategory, Person, SubUnion, UnionMembership
from tests.first_year import (
    ENROLLED_ON,
    INSURANCE_ADOPTED_ON,
    INSURANCE_RESOLUTION,
    MUTUAL_AID,
    PLANS,
    YEAR,
    expected,
    finance_result_rows,
)
from tests.rosters import (
    MEMBER_NAME,
    OFFICER_NAME,
    RETIREES_UNIT,
    UNCLEAR_UNIT,
    UNION,
    UNIT_KINDS,
    UNITS,
    UNIVERSITY,
    roster_generate,
    roster_named,
    roster_xlsx,
)

pytestmark = pytest.mark.django_db

HELD_OUT_SEED = 9173
PASSWORD = "Gonghui-2021-first-day"


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _command_json(*args) -> dict:
    out = io.StringIO()
    call_command(*args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def held_out():
    rows = roster_generate(seed=HELD_OUT_SEED)
    return rows, expected(rows)


def test_first_year_on_a_held_out_roster(held_out, tmp_path, monkeypatch, clock, django_capture_on_commit_callbacks):
    rows, want = held_out
    # what the rows and rules imply, written out (tests.first_year computes it from the rows)
    assert (len(rows), want.imported, want.invalid) == (3000, 2998, 2)
    assert want.mutual_aid_members == {"active": 2143, "retired": 720}
    assert want.fees["deducted"] == (2811, Decimal("294900.00"))
    assert want.fees["failed"] == (52, Decimal("5460.00"))
    assert want.insured == {"ZYJT": 2278, "ZDJB": 2278, "NGTJ": 949}
    assert want.premium_total == Decimal("251525.00")  # 2,278 × 50 + 2,278 × 50 + 949 × 25

    # --- first run: the union, the university, the first administrator (manage.py) -----
    monkeypatch.setenv("GONGHUI_ADMIN_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("union_setup", "--name", UNION, "--university", UNIVERSITY, "--admin", "office", stdout=out)
    office = User.objects.get(username="office")
    assert office.check_password(PASSWORD)
    with pytest.raises(CommandError):  # a second run is refused, nothing written
        call_command("union_setup", "--name", "另一个工会", "--university", "另一所大学", "--admin", "other")
    assert User.objects.filter(username="other").count() == 0

    # --- the HR roster: 18 unknown units, created by kind; 校医院 mapped as an office -------
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(roster_xlsx(rows))
    unit_map = tmp_path / "单位对应.xlsx"
    unit_map.write_bytes(_xlsx([["所在单位", "分工会", "类型", "上级"], [UNCLEAR_UNIT, "", "机关分工会", ""]]))
    report = io.StringIO()
    with pytest.raises(CommandError) as exit_status:  # two rows with HR's typos: exit status 1
        call_command("import_roster", str(roster), "--create-units", "--unit-map", str(unit_map), stdout=report)
    assert exit_status.value.returncode == 1
    text = report.getvalue()
    assert f"共 3000 行：新增 {want.imported}，变更 0，未变 0，无效 2" in text
    assert "已新建分工会“离退休工作处”（离退休分工会）" in text
    assert "已新建分工会“校医院”（机关分工会）" in text

    assert Person.objects.count() == want.imported
    assert UnionMembership.objects.filter(status="active").count() == want.imported
    sub_unions = {s.name: s.kind for s in SubUnion.objects.all()}
    assert sub_unions == {unit: UNIT_KINDS[unit] for unit in UNITS}
    assert sub_unions[RETIREES_UNIT] == "retirees"
    people_by_unit = dict(SubUnion.objects.values_list("name").annotate(n=Count("people")))
    assert people_by_unit == want.by_unit
    # memberships dated by the file's 入会日期, else by the import's day
    joined = dict(UnionMembership.objects.values_list("person__staff_no", "joined_on"))
    assert joined == {r.staff_no: r.joined_on or timezone.localdate() for r in rows if r.valid}

    # --- roles: the office opens the officer's account and makes him his college's officer;
    # he activates it, prints his members' codes, and a member activates hers ------------
    officer_row, member_row = roster_named(rows, OFFICER_NAME), roster_named(rows, MEMBER_NAME)
    college = SubUnion.objects.get(name=officer_row.unit)
    officer = member_account_create(actor=office, staff_no=officer_row.staff_no)
    role_grant(actor=office, user=officer, role="sub_union_officer", sub_union=college)
    issued = account_activation_code_issue(actor=office, user=officer)
    officer = password_set_with_code(
        username=officer_row.staff_no, code=issued.code, purpose="activation", password="Wenxuan-2021!"
    )
    other = SubUnion.objects.exclude(pk=college.pk).filter(kind="college").first()
    roles_before = RoleAssignment.objects.count()
    with pytest.raises(ApplicationError):  # outside his own sub-union: refused, nothing written
        role_grant(actor=officer, user=officer, role="sub_union_officer", sub_union=other)
    assert RoleAssignment.objects.count() == roles_before
    member = Person.objects.get(staff_no=member_row.staff_no)
    (slip,) = activation_codes_issue(actor=officer, person_ids=[member.pk])
    user = password_set_with_code(
        username=member_row.staff_no, code=slip.code, purpose="activation", password="Xiaowen-2021!"
    )
    assert user.person == member and user.check_password("Xiaowen-2021!")

    # --- mutual aid: the 2021 edition drafted, its rule and band added, adopted ---------
    categories = EmploymentCategory.objects.exclude(name__in=MUTUAL_AID["excluded_categories"])
    assert categories.count() == 5  # 事业编制, 人事代理, 合同制, 退休, 离休
    start, end = MUTUAL_AID["join_window"]
    edition = edition_services.edition_create_draft(
        actor=office,
        year=YEAR,
        name=MUTUAL_AID["name"],
        categories=list(categories),
        eligible_statuses=list(MUTUAL_AID["statuses"]),
        join_window_start=start,
        join_window_end=end,
        fee_active=MUTUAL_AID["fee_active"],
        fee_retired=MUTUAL_AID["fee_retired"],
        waiting_months=MUTUAL_AID["waiting_months"],
    )
    rule = edition_services.rule_add(actor=office, edition=edition, base="all", deductible=MUTUAL_AID["deductible"])
    lower, upper, rate = MUTUAL_AID["band"]
    edition_services.band_add(actor=office, rule=rule, lower=lower, upper=upper, rate=rate)
    edition_services.edition_adopt(
        actor=office, edition=edition, adopted_on=MUTUAL_AID["adopted_on"], resolution=MUTUAL_AID["resolution"]
    )

    # --- the member joins herself; then 批量入会 from HR's roster file (its 工号 column) ----
    scheme_membership_enroll(person=member, actor=user, on=ENROLLED_ON)
    preview = enrolment_batch_start(
        actor=office,
        joined_on=ENROLLED_ON,
        channel="payroll",
        source="file",
        upload=Upload(data=roster.read_bytes(), filename="名册.xlsx"),
    )
    members = sum(want.mutual_aid_members.values())
    assert preview.summary["counts"] == {
        "ready": members - 1,
        "skipped": 1,
        "ineligible": want.mutual_aid_ineligible,  # the postdocs
        "unknown": want.invalid,  # HR's mistyped rows were never imported
        "invalid": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_batch_confirm(preview=preview, actor=office)
    assert SchemeMembership.objects.filter(status="active").count() == members
    again = enrolment_batch_start(
        actor=office,
        joined_on=ENROLLED_ON,
        channel="payroll",
        source="file",
        upload=Upload(data=roster.read_bytes(), filename="名册.xlsx"),
    )
    assert again.summary["counts"]["ready"] == 0 and again.summary["counts"]["skipped"] == members

    # --- the fee run (manage.py), finance's deduction result (preview, confirm) -----------
    out = io.StringIO()
    call_command("mutual_aid_fee_run", "--year", str(YEAR), stdout=out)
    charged_count, charged_sum = want.fees["charged"]
    assert f"members: {charged_count}" in out.getvalue()
    assert f"total amount: {charged_sum}" in out.getvalue()
    result = finance_result_rows(list(deduction_rows(year=YEAR)))
    preview = fee_result_preview(year=YEAR, actor=office, data=_xlsx(result), filename="扣款结果.xlsx")
    confirmed = fee_result_confirm(preview=preview, actor=office)
    assert confirmed["deducted"] == want.fees["deducted"][0]
    assert confirmed["failed"] == want.fees["failed"][0]

    # --- insurance: two presets drafted and adopted by manage.py; 女工特疾 drafted with the
    # insurer's age limit and adopted; then the year's enrollment (manage.py) -------------
    out = io.StringIO()
    call_command(
        "insurance_presets",
        "--year",
        str(YEAR),
        "--plan",
        "ZYJT",
        "--plan",
        "ZDJB",
        "--adopt",
        "--adopted-on",
        INSURANCE_ADOPTED_ON.isoformat(),
        "--resolution",
        INSURANCE_RESOLUTION,
        "--user",
        "office",
        stdout=out,
    )
    assert out.getvalue().count(": adopted") == 2
    draft = preset_start(actor=office, code="NGTJ", year=YEAR, overrides={"max_age_female": PLANS["NGTJ"][3]})
    edition_adopt(actor=office, edition=draft, adopted_on=INSURANCE_ADOPTED_ON, resolution=INSURANCE_RESOLUTION)
    out = io.StringIO()
    call_command("insurance_enroll", "--year", str(YEAR), "--user", "office", stdout=out)
    assert out.getvalue().count("new") == 3

    # --- both reports, as manage.py prints them ---------------------------------------
    insurance = _command_json("insurance_report", "--year", str(YEAR))
    assert {p["plan_code"]: p["insured"] for p in insurance["plans"]} == want.insured
    assert {p["plan_code"]: p["premium"] for p in insurance["plans"]} == {k: str(v) for k, v in want.premium.items()}
    assert {p["plan_code"]: p["plan"] for p in insurance["plans"]} == {k: v[0] for k, v in PLANS.items()}
    assert insurance["total"]["insured"] == want.insured_total
    assert insurance["total"]["premium"] == str(want.premium_total)

    mutual_aid = _command_json("mutual_aid_report", "--year", str(YEAR))
    assert mutual_aid["members"] == {**want.mutual_aid_members, "total": charged_count}
    assert mutual_aid["fees"]["deducted"] == {
        "count": want.fees["deducted"][0],
        "sum": str(want.fees["deducted"][1]),
    }
    assert mutual_aid["fees"]["failed"] == {"count": want.fees["failed"][0], "sum": str(want.fees["failed"][1])}
    assert mutual_aid["fund"]["fees_in"] == str(want.fees["deducted"][1])

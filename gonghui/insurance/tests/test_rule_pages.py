"""Plans and their editions' rules set up in the product's pages: plans created and edited, the
rule tables edited as rows (never JSON), labels instead of codes, and the Workers' Insurance
Mutual's presets as editable starting points. Every refusal writes nothing."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.insurance.models import Plan, PlanEdition, PlanEnrollment
from gonghui.insurance.presets import edition_values, plans_ensure
from gonghui.insurance.services.editions import edition_create
from gonghui.insurance.services.enrollment import enrollment_run
from gonghui.insurance.services.presets import preset_start
from gonghui.people.choices import Gender
from gonghui.people.tests.factories import person_make
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db


def _cell(page: str, testid: str) -> str:
    """The text inside the element with `data-testid="testid"`."""
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</', page, re.S)
    assert match, testid
    return match.group(1).strip()


# --- plans ----------------------------------------------------------------------------------


def test_empty_install_lists_no_plan_and_offers_the_presets(client, office):
    client.force_login(office)
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("insurance:plan_list")}"' in home  # the office's workspace links the plans
    page = client.get(reverse("insurance:plan_list")).content.decode()
    assert 'data-testid="no-plans"' in page
    assert f'href="{reverse("insurance:preset_list")}" data-testid="start-from-presets"' in page
    editions = client.get(reverse("insurance:edition_list")).content.decode()
    assert 'data-testid="start-from-presets"' in editions
    form = client.get(reverse("insurance:edition_create")).content.decode()
    assert 'data-testid="no-plans"' in form


def test_office_creates_and_edits_a_plan_audited_with_labels(client, office):
    client.force_login(office)
    response = client.post(
        reverse("insurance:plan_create"),
        {"code": "ZYJT", "name": "住院津贴", "kind": "hospital_allowance", "insurer": "保险互助会", "sort_order": "1"},
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.code, plan.name, plan.kind, plan.insurer, plan.sort_order) == (
        "ZYJT",
        "住院津贴",
        "hospital_allowance",
        "保险互助会",
        1,
    )
    created = AuditEvent.objects.get(object_type="insurance.plan", action=AuditAction.CREATED)
    assert created.changes["kind"] == [None, "住院津贴"] and created.changes["code"] == [None, "ZYJT"]
    page = client.get(reverse("insurance:plan_list")).content.decode()
    assert _cell(page, f"plan-kind-{plan.pk}") == "住院津贴"
    assert "hospital_allowance" not in page
    # edit: name, kind, insurer, order; the code stays
    response = client.post(
        reverse("insurance:plan_edit", args=[plan.pk]),
        {"code": "OTHER", "name": "住院津贴（新）", "kind": "other", "insurer": "北京办事处", "sort_order": "5"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.code, plan.name, plan.kind, plan.insurer, plan.sort_order) == (
        "ZYJT",
        "住院津贴（新）",
        "other",
        "北京办事处",
        5,
    )
    updated = AuditEvent.objects.get(object_type="insurance.plan", action=AuditAction.UPDATED)
    assert updated.changes == {
        "name": ["住院津贴", "住院津贴（新）"],
        "kind": ["住院津贴", "其他"],
        "insurer": ["保险互助会", "北京办事处"],
        "sort_order": [1, 5],
    }
    page = client.get(reverse("insurance:plan_list")).content.decode()
    assert _cell(page, f"plan-kind-{plan.pk}") == "其他"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"code": "ZYJT"}, "计划代码 ZYJT 已存在"),
        ({"code": "zyjt"}, "计划代码 zyjt 已存在"),
        ({"code": "住院"}, "计划代码须为 1–32 位字母、数字、- 或 _"),
        ({"name": "  "}, "必填"),
        ({"kind": "hospital"}, "hospital"),  # not one of the choices
        ({"sort_order": "-1"}, "0"),
    ],
)
def test_bad_plans_are_refused_and_nothing_is_written(client, office, data, message):
    plans_ensure()
    client.force_login(office)
    before = table_counts()
    post = {"code": "NEW", "name": "新计划", "kind": "other", "insurer": "北京办事处", "sort_order": "0", **data}
    response = client.post(reverse("insurance:plan_create"), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert changed_tables(before, table_counts()) == {}


def test_plan_services_refuse_without_the_permission(university):
    from gonghui.core.exceptions import PermissionDenied
    from gonghui.insurance.services.plans import plan_create, plan_update

    plan = plans_ensure()["ZYJT"]
    officer = university.users["sub_union_officer"]
    before = table_counts()
    with pytest.raises(PermissionDenied):
        plan_create(actor=officer, code="X", name="X", kind="other")
    with pytest.raises(PermissionDenied):
        plan_update(actor=officer, plan=plan, name="X", kind="other", insurer="X", sort_order=0)
    assert changed_tables(before, table_counts()) == {}


# --- edition rule tables as rows --------------------------------------------------------------


def _post(plan, *, waiting=(), benefits=(), bands=(), documents=(), **fields) -> dict:
    data = {
        "plan": plan.pk,
        "name": "住院津贴 2022—2023 年度",
        "start_date": "2022-07-01",
        "term_months": "12",
        "price_per_share": "50.00",
        "min_shares": "1",
        "max_shares": "1",
        "default_shares": "1",
        "same_shares_per_unit": "on",
        "eligible_statuses": ["active"],
        "min_participation_rate": "0.8",
        "exclusions": "",
        "claim_deadline_days": "30",
        "premium_rule": "annual",
        "member_share_rate": "0",
        **fields,
    }
    for prefix, rows in (("waiting", waiting), ("benefits", benefits), ("bands", bands), ("documents", documents)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + 1)  # and one blank row, ignored
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


WAITING = [{"from_day": "1", "share": "0"}, {"from_day": "31", "share": "1", "max_per_share": "500"}]
BENEFITS = [
    {"code": "allowance", "name": "住院津贴", "kind": "daily", "cap": "7200"},
    {"code": "illness", "name": "重大疾病", "kind": "lump_sum", "amount": "10000"},
]
BANDS = [
    {"benefit": "allowance", "from_day": "4", "to_day": "30", "per_day": "40"},
    {"benefit": "allowance", "from_day": "31", "per_day": "50.5"},
]
DOCUMENTS = [{"name": "诊断证明"}, {"name": "出院小结"}]


def test_a_draft_is_written_from_rows_into_the_json_fields(client, office):
    plan = plans_ensure()["ZYJT"]
    client.force_login(office)
    response = client.post(
        reverse("insurance:edition_create"),
        _post(plan, waiting=WAITING, benefits=BENEFITS, bands=BANDS, documents=DOCUMENTS),
    )
    assert response.status_code == 302
    edition = PlanEdition.objects.get()
    assert edition.status == EditionStatus.DRAFT
    assert edition.waiting_schedule == [
        {"from_day": 1, "share": "0"},
        {"from_day": 31, "share": "1", "max_per_share": "500"},
    ]
    assert edition.benefits == [
        {
            "code": "allowance",
            "name": "住院津贴",
            "kind": "daily",
            "bands": [
                {"from_day": 4, "to_day": 30, "per_day": "40"},
                {"from_day": 31, "to_day": None, "per_day": "50.5"},
            ],
            "cap": "7200",
        },
        {"code": "illness", "name": "重大疾病", "kind": "lump_sum", "amount": "10000"},
    ]
    assert edition.required_documents == ["诊断证明", "出院小结"]
    # the edit page shows the rows back, in fields, with no JSON anywhere
    page = client.get(reverse("insurance:edition_edit", args=[edition.pk])).content.decode()
    assert 'name="waiting-1-from_day" value="31"' in page
    assert 'name="bands-1-per_day" value="50.5"' in page
    assert 'name="documents-1-name" value="出院小结"' in page
    assert '"from_day"' not in page and "JSON" not in page


def test_rows_are_changed_and_deleted_on_a_draft(client, office):
    plan = plans_ensure()["ZYJT"]
    draft = edition_create(actor=office, plan=plan, **edition_values("ZYJT", 2022))
    client.force_login(office)
    data = _post(
        plan,
        waiting=[{"from_day": "1", "share": "0"}, {"from_day": "61", "share": "0.5"}],
        benefits=[BENEFITS[1]],
        documents=[{"name": "诊断证明"}, {"name": "出院小结", "DELETE": "on"}],
    )
    response = client.post(reverse("insurance:edition_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.waiting_schedule == [{"from_day": 1, "share": "0"}, {"from_day": 61, "share": "0.5"}]
    assert [b["code"] for b in draft.benefits] == ["illness"]
    assert draft.required_documents == ["诊断证明"]
    page = client.get(reverse("insurance:edition_detail", args=[draft.pk])).content.decode()
    assert _cell(page, "rule-waiting_schedule") == "第 1–60 天 不给付；第 61 天起 给付 50%"


def test_add_row_shows_one_more_blank_row_and_saves_nothing(client, office):
    plan = plans_ensure()["ZYJT"]
    client.force_login(office)
    data = _post(plan, waiting=WAITING, benefits=BENEFITS, bands=BANDS, documents=DOCUMENTS, add_row="documents")
    before = table_counts()
    response = client.post(reverse("insurance:edition_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="documents-TOTAL_FORMS" value="4"' in page
    assert 'name="documents-3-name"' in page and 'name="documents-1-name" value="出院小结"' in page
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize(
    "change, row, message",
    [
        ({"waiting": [{"from_day": "31", "share": "1"}, {"from_day": "1", "share": "0"}]}, "row-waiting-1",
         "起始天数须大于上一行的 31（从小到大排列）"),
        ({"waiting": [{"from_day": "1", "share": "1.5"}]}, "row-waiting-0", "1"),
        ({"waiting": [{"from_day": "0", "share": "0"}]}, "row-waiting-0", "1"),
        ({"benefits": [{"code": "illness", "name": "重大疾病", "kind": "lump_sum"}], "bands": []}, "row-benefits-0",
         "按份一次性给付须填写每份给付金额"),
        ({"benefits": [BENEFITS[0], {**BENEFITS[1], "code": "allowance"}]}, "row-benefits-1", "项目代码 allowance 重复"),
        ({"benefits": [{**BENEFITS[1], "code": "重疾"}], "bands": []}, "row-benefits-0", "项目代码须为字母、数字、- 或 _"),
        ({"bands": []}, "row-benefits-0", "按天津贴须在天数段表中至少有一行"),
        ({"bands": [{**BANDS[0], "benefit": "illness"}]}, "row-bands-0", "上表中没有代码为 illness 的按天津贴项目"),
        ({"bands": [BANDS[0], {**BANDS[1], "from_day": "30"}]}, "row-bands-1", "与同一项目的其他天数段重叠"),
        ({"bands": [{**BANDS[0], "to_day": "3"}]}, "row-bands-0", "截止天数不能小于起始天数"),
        ({"documents": [{"name": "诊断证明"}, {"name": "诊断证明"}]}, "row-documents-1", "材料 诊断证明 重复"),
    ],
)  # fmt: skip
def test_a_bad_row_is_shown_on_its_row_and_nothing_is_saved(client, office, change, row, message):
    plan = plans_ensure()["ZYJT"]
    draft = edition_create(actor=office, plan=plan, **edition_values("ZYJT", 2022))
    stored = {f: getattr(draft, f) for f in ("waiting_schedule", "benefits", "required_documents")}
    client.force_login(office)
    tables = {"waiting": WAITING, "benefits": BENEFITS, "bands": BANDS, "documents": DOCUMENTS, **change}
    for url in (reverse("insurance:edition_create"), reverse("insurance:edition_edit", args=[draft.pk])):
        before = table_counts()
        response = client.post(url, _post(plan, **tables, name="改过的名称"))
        assert response.status_code == 400
        page = response.content.decode()
        assert 'data-testid="form-errors"' in page
        row_html = page[page.index(f'data-testid="{row}"') :].split("</tr>")[0]
        assert message in row_html
        assert changed_tables(before, table_counts()) == {}
    draft.refresh_from_db()
    assert draft.name == "住院津贴 2022—2023 年度"
    assert {f: getattr(draft, f) for f in stored} == stored


def test_an_edition_without_benefits_is_refused_on_the_table(client, office):
    plan = plans_ensure()["ZYJT"]
    client.force_login(office)
    before = table_counts()
    response = client.post(reverse("insurance:edition_create"), _post(plan, waiting=WAITING, documents=DOCUMENTS))
    assert response.status_code == 400
    assert _cell(response.content.decode(), "table-error-benefits") == "请至少填写一项给付标准"
    assert changed_tables(before, table_counts()) == {}


def test_errors_are_translated(client, office):
    plan = plans_ensure()["ZYJT"]
    client.force_login(office)
    client.cookies["django_language"] = "en"
    data = _post(plan, waiting=WAITING[::-1], benefits=BENEFITS, bands=BANDS, documents=DOCUMENTS)
    page = client.post(reverse("insurance:edition_create"), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "must be greater than the previous row" in page
    assert "起始天数须大于上一行" not in page


def test_an_adopted_edition_cannot_be_edited(client, office, editions_2021):
    hospital = editions_2021["ZYJT"]
    client.force_login(office)
    url = reverse("insurance:edition_edit", args=[hospital.pk])
    assert client.get(url).status_code == 404
    before = table_counts()
    data = _post(hospital.plan, waiting=WAITING, benefits=BENEFITS, bands=BANDS, documents=DOCUMENTS)
    assert client.post(url, data).status_code == 404
    assert changed_tables(before, table_counts()) == {}
    hospital.refresh_from_db()
    assert hospital.benefits == edition_values("ZYJT", 2021)["benefits"]


# --- labels, never codes ------------------------------------------------------------------------


def test_detail_compare_and_list_pages_show_labels_not_codes(client, office, editions_2021):
    female, hospital = editions_2021["NGTJ"], editions_2021["ZYJT"]
    client.force_login(office)
    page = client.get(reverse("insurance:edition_detail", args=[female.pk])).content.decode()
    assert _cell(page, "rule-eligible_genders") == "女"
    assert _cell(page, "rule-eligible_statuses") == "在职"
    assert _cell(page, "rule-ages") == "不限（不设年龄限制）"
    assert _cell(page, "rule-benefit:listed") == "按份一次性给付：15000 元/份，年度封顶 15000 元/份"
    assert _cell(page, "rule-premium_rule") == "按年全额（中途加入缴全额，退出不退费）"
    assert "lump_sum" not in page and ">F<" not in page and "active" not in _cell(page, "rule-eligible_statuses")
    page = client.get(reverse("insurance:edition_detail", args=[hospital.pk])).content.decode()
    assert _cell(page, "rule-eligible_genders") == "不限"
    assert _cell(page, "rule-benefit:allowance") == "按天津贴：第 4 天起每天 40 元/份，年度封顶 7200 元/份"
    assert _cell(page, "rule-waiting_schedule") == "第 1–30 天 不给付；第 31 天起 全额给付"
    compare = client.get(
        reverse("insurance:edition_compare") + f"?left={hospital.pk}&right={female.pk}"
    ).content.decode()
    row = compare[compare.index('data-testid="compare-eligible_genders"') :].split("</tr>")[0]
    assert "<small>不限</small></td><td><small>女</small>" in row and "F" not in row.split("</th>")[1]
    row = compare[compare.index('data-testid="compare-eligible_statuses"') :].split("</tr>")[0]
    assert "<small>在职</small></td><td><small>在职</small>" in row and "active" not in row
    listing = client.get(reverse("insurance:edition_list")).content.decode()
    assert _cell(listing, f"edition-status-{female.pk}") == "已通过"
    assert "adopted" not in listing and "female_special" not in listing


# --- presets --------------------------------------------------------------------------------


def test_presets_page_shows_every_value_before_anything_is_created(client, office):
    client.force_login(office)
    before = table_counts()
    page = client.get(reverse("insurance:preset_list") + "?year=2021").content.decode()
    assert changed_tables(before, table_counts()) == {}
    for code in ("ZYJT", "ZDJB", "NGTJ"):
        assert _cell(page, f"preset-{code}-ages") == "不限（不设年龄限制）"
        assert _cell(page, f"preset-{code}-eligible_statuses") == "在职"
        assert f'data-testid="preset-start-{code}"' in page
    assert _cell(page, "preset-NGTJ-eligible_genders") == "女"
    assert _cell(page, "preset-ZYJT-eligible_genders") == "不限"
    assert _cell(page, "preset-NGTJ-price_per_share") == "25 元"
    assert _cell(page, "preset-ZYJT-price_per_share") == "50 元"
    assert _cell(page, "preset-ZYJT-term") == "2021-07-01 起 12 个月"
    assert _cell(page, "preset-ZYJT-benefit:allowance") == "按天津贴：第 4 天起每天 40 元/份，年度封顶 7200 元/份"
    assert "男性不满 60 岁；女性不满 55 岁" in _cell(page, "age-note")  # the older terms, for an insurer that limits


def test_starting_from_a_preset_makes_a_draft_and_the_plan(client, office):
    client.force_login(office)
    response = client.post(reverse("insurance:preset_start"), {"code": "NGTJ", "year": "2021"})
    edition = PlanEdition.objects.get()
    assert response["Location"] == reverse("insurance:edition_edit", args=[edition.pk])
    assert (edition.plan.code, edition.plan.name, edition.plan.kind) == ("NGTJ", "女工特疾", "female_special")
    assert (edition.status, edition.start_date, edition.price_per_share) == (
        EditionStatus.DRAFT,
        datetime.date(2021, 7, 1),
        25,
    )
    assert (edition.eligible_genders, edition.eligible_statuses) == (["F"], ["active"])
    assert (edition.min_age, edition.max_age_male, edition.max_age_female) == (None, None, None)
    assert AuditEvent.objects.filter(object_type="insurance.plan", action=AuditAction.CREATED).count() == 1
    assert AuditEvent.objects.filter(object_type="insurance.planedition", action=AuditAction.CREATED).count() == 1
    assert Plan.objects.count() == 1
    # the draft is then edited through the ordinary form (its rows shown) …
    page = client.get(response["Location"]).content.decode()
    assert 'name="benefits-1-code" value="listed"' in page
    # … and the presets page now points at it instead of offering a second one
    page = client.get(reverse("insurance:preset_list") + "?year=2021").content.decode()
    assert 'data-testid="preset-start-NGTJ"' not in page and 'data-testid="preset-start-ZYJT"' in page
    before = table_counts()
    response = client.post(reverse("insurance:preset_start"), {"code": "NGTJ", "year": "2021"}, follow=True)
    assert "女工特疾 已有草案版本“女工特疾 2021—2022 年度”" in response.content.decode()
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("data", [{"code": "XXXX", "year": "2021"}, {"code": "ZYJT", "year": "1900"}, {"code": "ZYJT"}])
def test_bad_preset_starts_write_nothing(client, office, data):
    client.force_login(office)
    before = table_counts()
    response = client.post(reverse("insurance:preset_start"), data, follow=True)
    assert "请选择预设和年度" in response.content.decode()
    assert changed_tables(before, table_counts()) == {}


def test_the_2021_presets_insure_every_active_member_of_the_gender(client, office, university):
    """A woman of 55 or more and a man of 60 or more are insured: no age limit unless the office
    sets one (the bulletin's 1,759 of 1,759 active staff)."""
    u = university
    person_make(staff_no="A1", name="甲", gender=Gender.FEMALE, birth_date=datetime.date(1960, 1, 1), sub_union=u.law)
    person_make(staff_no="A2", name="乙", gender=Gender.MALE, birth_date=datetime.date(1958, 1, 1), sub_union=u.law)
    client.force_login(office)
    for code in ("ZYJT", "NGTJ"):
        client.post(reverse("insurance:preset_start"), {"code": code, "year": "2021"})
    for edition in PlanEdition.objects.all():
        client.post(
            reverse("insurance:edition_adopt", args=[edition.pk]),
            {"adopted_on": "2021-06-01", "resolution": "校工会办公会议"},
        )
    hospital = PlanEdition.objects.get(plan__code="ZYJT", status=EditionStatus.ADOPTED)
    female = PlanEdition.objects.get(plan__code="NGTJ", status=EditionStatus.ADOPTED)
    enrollment_run(actor=office, edition=hospital)
    enrollment_run(actor=office, edition=female)

    def staff(edition):
        return sorted(PlanEnrollment.objects.filter(edition=edition).values_list("person__staff_no", flat=True))

    assert staff(hospital) == ["A1", "A2", "E0001", "E0002", "E0099", "L0001"]
    assert staff(female) == ["A1", "E0002", "E0099", "L0001"]


def test_the_command_goes_through_the_same_service(office):
    out = io.StringIO()
    call_command("insurance_presets", "--year", "2021", stdout=out)
    assert PlanEdition.objects.filter(status=EditionStatus.DRAFT).count() == 3
    assert sorted(Plan.objects.values_list("code", flat=True)) == ["NGTJ", "ZDJB", "ZYJT"]
    assert "NGTJ 女工特疾 2021—2022 年度: draft" in out.getvalue()
    # again: refused by the service, nothing written
    before = table_counts()
    with pytest.raises(CommandError, match="已有草案版本"):
        call_command("insurance_presets", "--year", "2021", "--plan", "ZYJT", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--adopted-on"):
        call_command("insurance_presets", "--year", "2022", "--adopt", stdout=io.StringIO())
    assert changed_tables(before, table_counts()) == {}
    call_command(
        "insurance_presets",
        "--year",
        "2022",
        "--adopt",
        "--adopted-on",
        "2022-06-01",
        "--resolution",
        "校工会办公会议",
        stdout=out,
    )
    adopted = PlanEdition.objects.filter(status=EditionStatus.ADOPTED, start_date=datetime.date(2022, 7, 1))
    assert adopted.count() == 3


def test_preset_start_refuses_an_adopted_start_and_a_member(university, office, editions_2021):
    before = table_counts()
    with pytest.raises(ApplicationError, match="已有已通过版本"):
        preset_start(actor=office, code="ZYJT", year=2021)
    from gonghui.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preset_start(actor=university.users["member"], code="ZYJT", year=2022)
    assert changed_tables(before, table_counts()) == {}

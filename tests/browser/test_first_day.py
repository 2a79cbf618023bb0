"""A new union office's first year in a real browser, from an empty database, with only the
product's pages (never /admin/, never a shell), at 1280 px with the member on a 390 px phone:
first-run setup; the HR roster with 18 unknown units mapped in the preview; the office opens
an officer's account and gives him his college (users and roles pages); he activates it and
prints his members' codes; a member activates hers on her phone; the 2021 mutual-aid rules
drafted and adopted; the member joining herself, then 批量入会 from HR's roster file; the fee
run and finance's result; the 2021 insurance plans from the insurer's presets (one age limit
entered in a draft), adopted and enrolled; both reports; the member's fee and cover on her
phone in June.

The figures on the pages are checked exactly against what the generated roster's rows and the
2021 rules imply (tests.first_year), computed without the code under test.
Screenshots: var/screenshots/first_day/."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, SCREENSHOTS, no_horizontal_overflow, page_open, shot
from tests.first_year import (
    ENROLLED_ON,
    INSURANCE_ADOPTED_ON,
    INSURANCE_RESOLUTION,
    MUTUAL_AID,
    PLANS,
    YEAR,
    deduction_fails,
    expected,
    finance_result_rows,
    plan_insures,
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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN, ADMIN_PASSWORD = "office", "Gonghui-2021-first-day"
MEMBER_PASSWORD = "Xiaowen-2021!"
OFFICER_PASSWORD = "Wenxuan-2021!"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_LABELS = {"college": "学院分工会", "office": "机关分工会", "retirees": "离退休分工会"}


def _shot(page, name, full_page=True):
    """A screenshot for a human to look at; long lists (the roster's 3,000 rows) only as far
    as the window shows."""
    if full_page:
        shot(page, f"first_day/{name}")
    else:
        page.screenshot(path=str(SCREENSHOTS / "first_day" / f"{name}.png"), timeout=60_000)


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


VISITED: list[str] = []  # every URL the browsers asked for: never /admin/


def _open(browser, device, live_server):
    page = page_open(browser, device, live_server)
    page.context.on("request", lambda request: VISITED.append(request.url))
    return page


def _workspace(page, label):
    """From any page: the brand link home, then the link of the office's 工作台."""
    page.get_by_role("link", name="工会服务平台").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_test_id("workspace").get_by_role("link", name=label, exact=True).click()


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("工号 / 用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def _wait_for_job(page):
    expect(page.get_by_test_id("job-status")).to_have_text("已完成", timeout=120_000)


@pytest.fixture(scope="module", autouse=True)
def _screenshot_folder():
    (SCREENSHOTS / "first_day").mkdir(parents=True, exist_ok=True)


# --- the steps ---------------------------------------------------------------------------


def set_up_the_union(page):
    page.goto("/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    _shot(page, "01-empty-site-1280")
    page.get_by_role("link", name="开始首次设置").click()
    page.wait_for_url(re.compile(r"/setup/$"))
    page.get_by_label("工会名称").fill(UNION)
    page.get_by_label("学校名称").fill(UNIVERSITY)
    page.get_by_label("管理员用户名").fill(ADMIN)
    page.get_by_label("管理员密码").fill(ADMIN_PASSWORD)
    page.get_by_label("再次输入密码").fill(ADMIN_PASSWORD)
    _shot(page, "02-setup-1280")
    page.get_by_role("button", name="完成设置").click()
    # signed in as the first administrator, on the roster import
    page.wait_for_url(re.compile(r"/people/import/$"))
    expect(page.get_by_text("首次设置已完成")).to_be_visible()
    _shot(page, "03-roster-upload-1280")


def import_the_roster(page, rows, want):
    page.get_by_label("名册文件（.xlsx 或 .csv）").set_input_files(
        files=[{"name": "北方农林理工大学教职工名册.xlsx", "mimeType": XLSX, "buffer": roster_xlsx(rows)}]
    )
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/people/import/\d+/$"))
    units = page.get_by_test_id("roster-units")
    expect(units).to_be_visible()
    counts = page.get_by_test_id("roster-counts")
    # every row waits for its unit: nothing is new yet, all 3,000 are invalid
    expect(counts.locator("article").nth(0).locator("h3")).to_have_text("0")
    expect(counts.locator("article").nth(3).locator("h3")).to_have_text(str(len(rows)))
    _shot(page, "04-roster-preview-unknown-units-1280", full_page=False)

    # 18 unknown units, each offered as a new sub-union of the kind its name suggests first
    selects = units.locator("select")
    expect(selects).to_have_count(len(UNITS))
    guessed = {}
    for index in range(len(UNITS)):
        select = selects.nth(index)
        unit = units.locator(f"label[for='unit-{index}']").inner_text().split("（")[0].strip()
        first_new = select.locator("option").nth(1)
        guessed[unit] = first_new.get_attribute("value").removeprefix("new:")
        assert "按名称推断" in first_new.inner_text()
    assert set(guessed) == set(UNITS)
    assert guessed[RETIREES_UNIT] == "retirees"
    assert {u: k for u, k in guessed.items() if k != UNIT_KINDS[u]} == {UNCLEAR_UNIT: "college"}
    # the office takes each guess, and corrects the one the name cannot tell
    for index in range(len(UNITS)):
        select = selects.nth(index)
        unit = units.locator(f"label[for='unit-{index}']").inner_text().split("（")[0].strip()
        select.select_option(f"new:{UNIT_KINDS[unit]}")
    _shot(page, "05-roster-units-mapped-1280", full_page=False)
    units.get_by_role("button", name="保存对应关系并重新预览").click()
    expect(page.get_by_text("已保存单位对应关系，预览已重新计算。")).to_be_visible()
    expect(page.get_by_test_id("roster-units")).to_have_count(0)
    expect(counts.locator("article").nth(0).locator("h3")).to_have_text(str(want.imported))
    expect(counts.locator("article").nth(3).locator("h3")).to_have_text(str(want.invalid))
    expect(page.get_by_test_id("joined-on-note")).to_contain_text("入会日期取自文件")
    _shot(page, "06-roster-preview-ready-1280", full_page=False)

    page.get_by_role("button", name=re.compile(rf"确认导入（写入 {want.imported} 人）")).click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    _wait_for_job(page)
    _shot(page, "07-roster-imported-1280")

    _workspace(page, "人员名单")
    expect(page.get_by_test_id("result-count")).to_have_text(f"共 {want.imported} 人")
    _shot(page, "08-people-1280", full_page=False)
    _workspace(page, "分工会")
    for unit in UNITS:
        expect(page.get_by_role("link", name=unit, exact=True)).to_be_visible()
    _shot(page, "09-sub-unions-1280")


def give_the_officer_role(page, officer_row):
    """The office opens the officer's account, makes him his college's sub-union officer and
    prints his activation slip; returns his code."""
    _workspace(page, "用户与角色")
    page.get_by_test_id("user-create").click()
    form = page.get_by_test_id("user-form")
    form.get_by_role("textbox", name="工号").fill(officer_row.staff_no)
    form.get_by_role("button", name="开通").click()
    page.wait_for_url(re.compile(r"/accounts/users/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFICER_NAME)
    grant = page.get_by_test_id("grant-form")
    if not grant.is_visible():
        page.locator("summary", has_text="授予角色").click()
    grant.locator("select[name=role]").select_option(label="分工会干部")
    grant.locator("select[name=sub_union]").select_option(label=officer_row.unit)
    _shot(page, "10-officer-role-1280")
    grant.get_by_role("button", name="授予").click()
    expect(page.get_by_test_id("roles")).to_contain_text("分工会干部")
    expect(page.get_by_test_id("roles")).to_contain_text(officer_row.unit)
    page.get_by_test_id("issue-code").click()
    slip = page.get_by_test_id("code-slip")
    expect(slip).to_have_count(1)
    _shot(page, "11-officer-code-1280")
    return slip.locator("code").inner_text().strip()


def activate(page, row, code, password, screenshot):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="首次使用：开通账号").click()
    page.wait_for_url(re.compile(r"/accounts/activate/"))
    page.get_by_label("工号 / 用户名").fill(row.staff_no)
    page.get_by_label("验证码").fill(code)
    page.get_by_label("新密码", exact=True).fill(password)
    page.get_by_label("再次输入新密码").fill(password)
    _shot(page, screenshot)
    page.get_by_role("button", name="设置密码").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^{row.name}（.+）您好$"))


def officer_prints_codes(browser, live_server, rows, officer_row, code):
    """The officer activates his account and prints codes for his college's members who have
    not activated: he sees his college only; returns the member's code from her slip."""
    page = _open(browser, DESKTOP, live_server)
    activate(page, officer_row, code, OFFICER_PASSWORD, "12-officer-activates-1280")
    _workspace(page, "账号开通")
    college = sum(1 for row in rows if row.valid and row.unit == officer_row.unit)
    expect(page.get_by_test_id("activation-counts")).to_contain_text(f"未开通 {college - 1} 人")
    expect(page.get_by_test_id("activation-counts")).to_contain_text("已开通 1 人")
    expect(page.get_by_label("分工会").locator("option")).to_have_count(2)  # 全部, his college
    page.get_by_label("全选本页").check()
    _shot(page, "13-officer-activation-sheet-1280", full_page=False)
    page.get_by_role("button", name="为所选人员发放验证码").click()
    slips = page.get_by_test_id("code-slip")
    expect(slips).to_have_count(min(college - 1, 100))
    _shot(page, "14-officer-codes-1280", full_page=False)
    member_code = slips.filter(has_text=MEMBER_NAME).locator("code").inner_text().strip()
    page.context.close()
    return member_code


def member_activates_on_a_phone(browser, live_server, member_row, code):
    page = _open(browser, PHONE, live_server)
    activate(page, member_row, code, MEMBER_PASSWORD, "15-member-activates-390")
    assert no_horizontal_overflow(page)
    _shot(page, "16-member-portal-390")
    return page


def member_joins_the_mutual_aid_society(phone):
    phone.get_by_role("link", name="我的互助会").first.click()
    phone.get_by_role("link", name="加入医疗互助会").click()
    phone.wait_for_url(re.compile(r"/mutual-aid/fees/my/join/$"))
    expect(phone.get_by_test_id("fee")).to_contain_text(f"{MUTUAL_AID['fee_active']} 元")
    expect(phone.get_by_test_id("eligible-from")).to_have_text(
        f"{ENROLLED_ON.year}年{ENROLLED_ON.month}月{ENROLLED_ON.day}日"
    )
    phone.get_by_label("我已阅读并同意本年度管理办法").check()
    assert no_horizontal_overflow(phone)
    _shot(phone, "20-member-joins-390")
    phone.get_by_role("button", name="确认加入").click()
    phone.wait_for_url(re.compile(r"/mutual-aid/fees/my/$"))
    expect(phone.get_by_test_id("membership-status")).to_have_text("在册")


def adopt_the_mutual_aid_edition(page):
    _workspace(page, "互助会管理办法")
    page.get_by_role("link", name="起草新版本").first.click()  # the page head's; the empty state offers it too
    page.get_by_label("年度").fill(str(YEAR))
    page.get_by_label("名称").fill(MUTUAL_AID["name"])
    page.get_by_role("button", name="起草").click()
    page.wait_for_url(re.compile(r"/mutual-aid/editions/\d+/edit/$"))
    edition_url = page.url.removesuffix("edit/")
    form = page.get_by_test_id("edition-form")
    for status in ("在职", "离退休"):
        form.get_by_label(status, exact=True).check()
    for category in ("事业编制", "人事代理", "合同制", "退休", "离休"):
        form.get_by_label(category, exact=True).check()
    form.get_by_label("博士后", exact=True).uncheck()
    start, end = MUTUAL_AID["join_window"]
    form.get_by_label("入会开始").fill(start.isoformat())
    form.get_by_label("入会截止").fill(end.isoformat())
    form.get_by_label("在职会费").fill(str(MUTUAL_AID["fee_active"]))
    form.get_by_label("离退休会费").fill(str(MUTUAL_AID["fee_retired"]))
    form.get_by_label("等待期（月）").fill(str(MUTUAL_AID["waiting_months"]))
    _shot(page, "17-mutual-aid-edition-1280")
    form.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/rules/$"))

    rule_add = page.get_by_test_id("rule-add")
    rule_add.get_by_label("基数").select_option(label="全部自付费用")
    rule_add.get_by_label("起付线").fill(str(MUTUAL_AID["deductible"]))
    rule_add.get_by_role("button", name="添加补助规则").click()
    band_add = page.get_by_test_id("band-add-all")
    lower, upper, rate = MUTUAL_AID["band"]
    band_add.get_by_label("下限").fill(str(lower))
    band_add.get_by_label("比例").fill(str(rate))
    band_add.get_by_role("button", name="添加分段").click()
    expect(page.get_by_test_id("rule-all").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("adoption-problems")).to_have_count(0)
    _shot(page, "18-mutual-aid-rules-1280")

    page.goto(edition_url)
    page.get_by_test_id("edition-actions").get_by_role("link", name="通过").click()
    adopt = page.get_by_test_id("edition-adopt-form")
    adopt.get_by_label("通过日期").fill(MUTUAL_AID["adopted_on"].isoformat())
    adopt.get_by_label("通过依据").fill(MUTUAL_AID["resolution"])
    adopt.get_by_role("button", name="确认通过").click()
    page.wait_for_url(re.compile(r"/mutual-aid/editions/\d+/$"))
    expect(page.get_by_test_id("edition-status")).to_have_text("已通过")
    _shot(page, "19-mutual-aid-adopted-1280")


def enrol_from_the_roster(page, rows, want):
    """批量入会 from HR's roster file itself (its 工号 column): the postdocs are turned away by
    the rules, the member who joined herself is skipped, the two rows HR mistyped (never
    imported) are unknown; the rest are enrolled in one go."""
    _workspace(page, "互助会会员")
    page.get_by_test_id("enrol-batch-link").click()
    form = page.get_by_test_id("enrol-batch")
    form.get_by_label("入会日期").fill(ENROLLED_ON.isoformat())
    form.get_by_label("工号文件（.xlsx 或 .csv，含“工号”列）").set_input_files(
        files=[{"name": "北方农林理工大学教职工名册.xlsx", "mimeType": XLSX, "buffer": roster_xlsx(rows)}]
    )
    _shot(page, "21-enrol-batch-1280")
    form.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/mutual-aid/fees/members/batch/\d+/$"))
    members = sum(want.mutual_aid_members.values())
    expect(page.get_by_test_id("count-ready")).to_have_text(str(members - 1))
    expect(page.get_by_test_id("count-skipped")).to_have_text("1")
    expect(page.get_by_test_id("count-ineligible")).to_have_text(str(want.mutual_aid_ineligible))
    expect(page.get_by_test_id("count-unknown")).to_have_text(str(want.invalid))
    ineligible = page.get_by_test_id("rows-ineligible")
    expect(ineligible.locator("tbody tr")).to_have_count(want.mutual_aid_ineligible)
    expect(ineligible.locator("tbody tr").first).to_contain_text("人员类别")
    unknown = {row.staff_no for row in rows if not row.valid}
    assert set(page.get_by_test_id("rows-unknown").locator("tbody tr td:nth-child(2)").all_inner_texts()) == unknown
    _shot(page, "22-enrol-batch-preview-1280", full_page=False)
    page.get_by_test_id("confirm").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    _wait_for_job(page)
    _shot(page, "23-enrol-batch-done-1280")
    _workspace(page, "互助会会员")
    expect(page.get_by_test_id("result-count")).to_have_text(f"共 {members} 人")


def run_the_fee_run(page, want):
    """The year's fee lines, the payroll deduction file to finance, finance's answer back."""
    _workspace(page, "互助会会费")
    page.get_by_label("年度").fill(str(YEAR))
    page.get_by_role("button", name="生成会费明细").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    _wait_for_job(page)
    _shot(page, "24-fee-run-1280")

    _workspace(page, "互助会会费")
    page.get_by_role("link", name=str(YEAR), exact=True).click()
    charged, charged_sum = want.fees["charged"]
    expect(page.get_by_test_id("count-charged")).to_have_text(str(charged))
    expect(page.get_by_test_id("amount-charged")).to_have_text(str(charged_sum))
    with page.expect_download() as download:
        page.get_by_role("link", name="下载工资代扣文件").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).active
    deduction = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]]
    assert len(deduction) == charged
    page.get_by_label("财务扣款结果（.xlsx 或 .csv）").set_input_files(
        files=[{"name": "扣款结果.xlsx", "mimeType": XLSX, "buffer": _xlsx(finance_result_rows(deduction))}]
    )
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/mutual-aid/fees/results/\d+/$"))
    deducted, deducted_sum = want.fees["deducted"]
    expect(page.get_by_test_id("count-deducted")).to_have_text(f"{deducted}（{deducted_sum} 元）")
    expect(page.get_by_test_id("count-failed")).to_have_text(str(want.fees["failed"][0]))
    expect(page.get_by_test_id("count-invalid")).to_have_text("0")
    _shot(page, "25-fee-result-preview-1280", full_page=False)
    page.get_by_role("button", name="确认入账").click()
    page.wait_for_url(re.compile(rf"/mutual-aid/fees/runs/{YEAR}/$"))
    expect(page.get_by_test_id("count-deducted")).to_have_text(str(deducted))
    _shot(page, "26-fee-year-1280", full_page=False)


def adopt_the_insurance_plans(page):
    """On an install with no plans: the Workers' Insurance Mutual's 2021 presets, each drafted
    (the plans made on the way), the insurer's age limit entered in 女工特疾's draft, all three
    adopted, then the year's enrollment run on each."""
    _workspace(page, "职工互助保障")
    page.get_by_test_id("start-from-presets").click()
    page.wait_for_url(re.compile(r"/insurance/presets/"))
    expect(page.get_by_test_id("age-note")).to_contain_text("预设不设年龄上限")
    _shot(page, "27-insurance-presets-1280")
    editions = {}
    for code, (_name, price, _genders, women_limit) in PLANS.items():
        page.goto(f"/insurance/presets/?year={YEAR}")
        page.get_by_test_id(f"preset-start-{code}").click()
        page.wait_for_url(re.compile(r"/insurance/editions/\d+/edit/$"))
        editions[code] = page.url.removesuffix("edit/")
        if women_limit is not None:
            page.get_by_label("女性年龄上限（不含）").fill(str(women_limit))
            _shot(page, f"28-insurance-draft-{code}-1280")
        page.get_by_test_id("save").click()
        page.wait_for_load_state()
        if page.url.endswith("/edit/"):
            _shot(page, f"28-insurance-draft-{code}-refused-1280")
            errors = page.locator(".error, [role=alert]").all_inner_texts()
            raise AssertionError(f"the {code} draft was not saved: {errors}")
        page.wait_for_url(re.compile(r"/insurance/editions/\d+/$"))
        page.get_by_label("通过日期").fill(INSURANCE_ADOPTED_ON.isoformat())
        page.get_by_label("通过依据").fill(INSURANCE_RESOLUTION)
        page.get_by_test_id("adopt").click()
        expect(page.get_by_test_id("edition-status")).to_have_text("已通过")
        expect(page.get_by_test_id("edition-rules")).to_contain_text(f"每份保费{int(price)} 元")
    _shot(page, "29-insurance-adopted-1280")
    return editions


def enroll_the_insurance_year(page, editions, want):
    for code, url in editions.items():
        page.goto(url)
        page.get_by_test_id("run-enrollment").click()
        expect(page.get_by_test_id("enrolled-total")).to_have_text(str(want.insured[code]))
        expect(page.get_by_test_id("premium-total")).to_have_text(str(want.premium[code]))
        _shot(page, f"30-insurance-enrolled-{code}-1280", full_page=False)


def read_the_insurance_report(page, want):
    _workspace(page, "职工互助保障统计")
    expect(page.locator("select[name=year]")).to_have_value(str(YEAR))  # opens on the year with data
    for code in PLANS:
        expect(page.get_by_test_id(f"insured-{code}")).to_have_text(str(want.insured[code]))
        expect(page.get_by_test_id(f"premium-{code}")).to_have_text(f"{want.premium[code]:,}")  # 1,234.50
    expect(page.get_by_test_id("insured-total")).to_have_text(str(want.insured_total))
    expect(page.get_by_test_id("premium-total")).to_have_text(f"{want.premium_total:,}")
    _shot(page, "41-insurance-report-1280")


def read_the_mutual_aid_report(page, want):
    _workspace(page, "互助会年度统计")
    expect(page.locator("select[name=year]")).to_have_value(str(YEAR))  # opens on the year with data
    expect(page.get_by_test_id("members-active")).to_have_text(str(want.mutual_aid_members["active"]))
    expect(page.get_by_test_id("members-retired")).to_have_text(str(want.mutual_aid_members["retired"]))
    (deducted, deducted_sum), (failed, failed_sum) = want.fees["deducted"], want.fees["failed"]
    fees = page.locator("article", has=page.get_by_test_id("fees-deducted-count"))
    expect(fees).to_contain_text(f"已扣款 {deducted} 笔，{deducted_sum:,.2f} 元")
    expect(fees).to_contain_text(f"扣款失败 {failed} 笔，{failed_sum:,.2f} 元")
    expect(page.get_by_text(f"会费收入 {deducted_sum:,.2f}")).to_be_visible()
    _shot(page, "40-mutual-aid-report-1280")


def member_sees_her_year(phone, member_row):
    """Back on her phone in June, signed in with her own password: her fee deducted, her cover
    in the three plans."""
    sign_in(phone, member_row.staff_no, MEMBER_PASSWORD)
    phone.get_by_role("link", name="我的互助会").first.click()
    expect(phone.get_by_test_id("membership-status")).to_have_text("在册")
    expect(phone.locator("main")).to_contain_text("已扣款")
    assert no_horizontal_overflow(phone)
    _shot(phone, "50-member-mutual-aid-390")
    phone.get_by_role("link", name="工会服务平台").click()
    phone.get_by_role("link", name="我的保障", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"我的保障（{YEAR} 年度）")
    for code, (name, _price, _genders, _limit) in PLANS.items():
        expect(phone.get_by_test_id(f"cover-{code}")).to_contain_text(name)
    assert no_horizontal_overflow(phone)
    _shot(phone, "51-member-cover-390")


# --- the journey -------------------------------------------------------------------------


def test_first_day_from_an_empty_database(browser, live_server, clock):
    rows = roster_generate()
    want = expected(rows)
    # what the rows and rules imply, written out (tests.first_year computes it from the rows)
    assert (len(rows), want.imported, want.invalid) == (3000, 2998, 2)
    assert want.mutual_aid_members == {"active": 2146, "retired": 720}
    assert want.fees["deducted"] == (2803, Decimal("294240.00"))
    assert want.fees["failed"] == (63, Decimal("6480.00"))
    assert want.insured == {"ZYJT": 2278, "ZDJB": 2278, "NGTJ": 959}
    assert want.premium_total == Decimal("251775.00")  # 2,278 × 50 + 2,278 × 50 + 959 × 25
    member_row, officer_row = roster_named(rows, MEMBER_NAME), roster_named(rows, OFFICER_NAME)
    assert plan_insures("NGTJ", member_row) and not deduction_fails(member_row.staff_no)

    VISITED.clear()
    page = _open(browser, DESKTOP, live_server)
    set_up_the_union(page)
    import_the_roster(page, rows, want)
    officer_code = give_the_officer_role(page, officer_row)
    member_code = officer_prints_codes(browser, live_server, rows, officer_row, officer_code)
    phone = member_activates_on_a_phone(browser, live_server, member_row, member_code)

    adopt_the_mutual_aid_edition(page)
    member_joins_the_mutual_aid_society(phone)
    enrol_from_the_roster(page, rows, want)
    run_the_fee_run(page, want)

    clock.move_to(INSURANCE_ADOPTED_ON.isoformat() + "T09:00:00+08:00")  # June: insured by the end of it
    sign_in(page, ADMIN, ADMIN_PASSWORD)  # the March session has long expired
    editions = adopt_the_insurance_plans(page)
    enroll_the_insurance_year(page, editions, want)

    read_the_mutual_aid_report(page, want)
    read_the_insurance_report(page, want)
    member_sees_her_year(phone, member_row)
    assert VISITED and not [url for url in VISITED if "/admin/" in url]
    phone.context.close()
    page.context.close()

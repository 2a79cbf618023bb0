"""A welfare-committee member holds the sitting in a browser: finds it from the portal,
approves one application, adjusts one with a reason, rejects one with a reason (refused
first without one), each row updating in place (htmx); the same page on a 390 px phone has
no page-level horizontal overflow."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gonghui.mutual_aid.models import Decision, SubsidyApplication
from gonghui.mutual_aid.services.committee import sitting_create
from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make
from tests.browser.helpers import DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sitting_world(university):
    u = university
    edition = edition_make(year=2020)
    apps = {
        "zhang": application_make(person=u.zhang, edition=edition, computed="12500.00"),
        "wang": application_make(person=u.wang, edition=edition, computed="3000.00", kind="outpatient", disease="C02"),
        "zhao": application_make(person=u.zhao, edition=edition, computed="45000.50"),
    }
    sitting = sitting_create(
        actor=u.users["union_office"],
        year=2020,
        held_on=datetime.date(2021, 3, 20),
        place="工会会议室",
        members=[u.users["welfare_committee"]],
    )
    return apps, sitting


def _row(page, application):
    return page.locator(f"#application-{application.pk}")


def test_committee_member_decides_the_list(browser, live_server, university, sitting_world):
    apps, sitting = sitting_world
    page = page_open(browser, DESKTOP, live_server)
    sign_in(page, "welfare")
    page.get_by_role("link", name="福利委员会会议").first.click()
    page.wait_for_url(re.compile(r"/mutual-aid/committee/$"))
    page.get_by_role("link", name="2021年3月20日").click()
    page.wait_for_url(re.compile(rf"/mutual-aid/committee/{sitting.pk}/$"))
    expect(page.get_by_test_id("sitting-totals")).to_contain_text("共 3 件")
    shot(page, "mutual_aid/committee-sitting-1280")

    # approve 张伟's: the computed subsidy
    _row(page, apps["zhang"]).get_by_role("button", name="批准").click()
    expect(_row(page, apps["zhang"]).get_by_test_id("decision")).to_contain_text("批准 12500.00")

    # adjust 赵强's with a new amount and a reason
    row = _row(page, apps["zhao"])
    row.get_by_label("核定金额").fill("40000.00")
    row.get_by_label("理由").fill("部分费用为自费药品")
    row.get_by_role("button", name="调整").click()
    expect(_row(page, apps["zhao"]).get_by_test_id("decision")).to_contain_text("调整 40000.00")
    expect(_row(page, apps["zhao"]).get_by_test_id("decision")).to_contain_text("部分费用为自费药品")

    # reject 王芳's: refused without a reason (the row says why, nothing recorded), then with one
    _row(page, apps["wang"]).get_by_role("button", name="不予补助").click()
    expect(_row(page, apps["wang"]).get_by_role("alert")).to_be_visible()
    assert Decision.objects.filter(application=apps["wang"]).count() == 0
    row = _row(page, apps["wang"])
    row.get_by_label("理由").fill("病种不在目录内")
    row.get_by_role("button", name="不予补助").click()
    expect(_row(page, apps["wang"]).get_by_test_id("decision")).to_contain_text("不予补助")
    expect(_row(page, apps["wang"]).get_by_test_id("decision")).to_contain_text("病种不在目录内")
    # the totals above the list followed each decision (out-of-band swap), without a reload
    expect(page.get_by_test_id("sitting-totals")).to_contain_text("已评议 3 件，待评议 0 件")
    shot(page, "mutual_aid/committee-sitting-decided-1280")

    assert {d.application_id: (d.outcome, d.amount, d.reason) for d in Decision.objects.all()} == {
        apps["zhang"].pk: ("approved", Decimal("12500.00"), ""),
        apps["zhao"].pk: ("adjusted", Decimal("40000.00"), "部分费用为自费药品"),
        apps["wang"].pk: ("rejected", Decimal("0.00"), "病种不在目录内"),
    }
    assert dict(SubsidyApplication.objects.values_list("pk", "status")) == {
        apps["zhang"].pk: "approved",
        apps["zhao"].pk: "adjusted",
        apps["wang"].pk: "rejected",
    }
    page.reload()
    expect(page.get_by_test_id("sitting-totals")).to_contain_text("已评议 3 件")
    page.context.close()


def test_sitting_page_is_usable_on_a_phone(browser, live_server, university, sitting_world):
    apps, sitting = sitting_world
    page = page_open(browser, PHONE, live_server)
    sign_in(page, "welfare")
    page.goto(f"/mutual-aid/committee/{sitting.pk}/")
    expect(page.get_by_test_id("application-row")).to_have_count(3)
    assert no_horizontal_overflow(page)
    shot(page, "mutual_aid/committee-sitting-390")
    _row(page, apps["zhang"]).get_by_role("button", name="批准").click()
    expect(_row(page, apps["zhang"]).get_by_test_id("decision")).to_contain_text("批准 12500.00")
    assert no_horizontal_overflow(page)
    page.context.close()


# --- every mutual-aid page, as the roles who use it, on a phone and on a desktop -------------

UNLABELED_JS = """() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(e => e.type !== 'hidden' && e.type !== 'submit' && e.offsetParent !== null)
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
  .map(e => e.name || e.outerHTML.slice(0, 80))"""
# (the core chart's table for screen readers is visually hidden: it takes no width)
WIDE_TABLES_JS = """() => [...document.querySelectorAll('main table')]
  .filter(t => !t.closest('.table-wrap') && !t.classList.contains('visually-hidden'))
  .map(t => t.id || t.className || 'table')"""


def _walk(page, url, name):
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    problems = {
        "overflow": not no_horizontal_overflow(page),
        "unlabeled": page.evaluate(UNLABELED_JS),
        "bare tables": page.evaluate(WIDE_TABLES_JS),
    }
    shot(page, f"mutual_aid/{name}")
    return {k: v for k, v in problems.items() if v}


def test_every_mutual_aid_page_fits_a_phone_and_a_desktop(
    clock, browser, live_server, university, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.test import Client

    from gonghui.mutual_aid.tests.test_acceptance_year import year_run

    settings.MEDIA_ROOT = str(tmp_path / "media")
    w = year_run(Client(), university, django_capture_on_commit_callbacks)
    year = w.y.year
    pages = {
        "E0001": [
            ("/", "portal"),
            ("/mutual-aid/fees/my/", "my-membership"),
            ("/mutual-aid/fees/my/opt-out/", "my-opt-out"),
            ("/mutual-aid/my/applications/", "my-applications"),
            (f"/mutual-aid/my/applications/{w.zhang_app.pk}/", "my-application"),
            ("/mutual-aid/apply/", "apply"),
            ("/mutual-aid/notices/", "notices"),
            (f"/mutual-aid/notices/{w.notice.pk}/", "notice"),
            ("/mutual-aid/editions/", "editions"),
            (f"/mutual-aid/editions/{w.edition.pk}/", "edition"),
        ],
        "welfare": [
            ("/", "committee-portal"),
            ("/mutual-aid/committee/", "sittings"),
            (f"/mutual-aid/committee/{w.sitting_pk}/", "sitting-closed"),
            ("/mutual-aid/applications/", "committee-applications"),
        ],
        "R0099": [
            ("/mutual-aid/applications/", "officer-applications"),
            ("/mutual-aid/applications/proxy/", "proxy"),
            (f"/mutual-aid/applications/{w.zhao_app.pk}/", "officer-application"),
            ("/mutual-aid/fees/members/", "officer-members"),
        ],
        "office": [
            ("/", "office-portal"),
            ("/mutual-aid/editions/new/", "edition-new"),
            (f"/mutual-aid/editions/compare/?a={w.edition.pk}&b={w.edition.pk}", "edition-compare"),
            (f"/mutual-aid/editions/{w.edition.pk}/preview/?year={year}", "edition-preview"),
            ("/mutual-aid/fees/members/", "members"),
            ("/mutual-aid/fees/members/enroll/", "enroll"),
            ("/mutual-aid/fees/runs/", "fee-runs"),
            (f"/mutual-aid/fees/runs/{year}/", "fee-year"),
            (f"/mutual-aid/fees/people/{university.zhang.pk}/", "ledger"),
            (f"/mutual-aid/fees/people/{university.zhang.pk}/correction/", "correction"),
            (f"/mutual-aid/fees/lines/{w.lines['E0002'].pk}/receipt/", "receipt"),
            ("/mutual-aid/applications/", "applications"),
            (f"/mutual-aid/applications/{w.zhang_app.pk}/", "application"),
            ("/mutual-aid/committee/", "office-sittings"),
            ("/mutual-aid/committee/new/", "sitting-new"),
            (f"/mutual-aid/committee/{w.sitting_pk}/", "office-sitting"),
            (f"/mutual-aid/notices/{w.notice.pk}/", "office-notice"),
            (f"/mutual-aid/notices/{w.notice.pk}/objections/new/", "objection-new"),
            ("/mutual-aid/payments/", "payments"),
            (f"/mutual-aid/report/?year={year + 1}", "report"),
        ],
    }
    found = {}
    for device, suffix in [(PHONE, "390"), (DESKTOP, "1280")]:
        for username, urls in pages.items():
            page = page_open(browser, device, live_server)
            sign_in(page, username)
            for url, name in urls:
                problems = _walk(page, url, f"{name}-{suffix}")
                if problems:
                    found[f"{username} {url} {suffix}"] = problems
            page.context.close()
    assert found == {}

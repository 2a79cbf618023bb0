"""The report charts in a real browser (issue 12): ECharts draws each chart from its JSON block
under the Content-Security-Policy, at a phone's and a desktop's width, without a console error
(the autouse fixture in conftest.py fails on any) and without sideways scrolling; the text at
body size, whole sub-union names."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gonghui.drives.choices import RegistrationStatus
from gonghui.drives.tests.factories import drive_make, registration_make
from tests.browser.helpers import DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("device", "width"), [(PHONE, 390), (DESKTOP, 1280)])
def test_the_drive_report_draws_its_charts(browser, live_server, university, device, width):
    drive = drive_make()
    registration_make(drive, university.li, status=RegistrationStatus.ENROLLED)
    registration_make(drive, university.zhao, status=RegistrationStatus.ENROLLED)
    page = page_open(browser, device, live_server)
    sign_in(page, university.users["union_office"].username)
    page.goto(reverse("drives:report", args=[drive.pk]))

    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(2)
    for index in range(2):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-chart-drawn", "bar")
        expect(chart.locator("canvas")).to_have_count(1)
        box = chart.locator("canvas").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 150
    # each chart has its table, with the whole name of the sub-union
    table = page.locator("figure.chart").nth(1).get_by_role("region")
    expect(table.get_by_role("rowheader", name="离退休工作处分工会")).to_be_visible()
    assert no_horizontal_overflow(page)
    shot(page, f"charts-drive-report-{width}")
    page.context.close()

"""Issue 3's acceptance, as one year run through the real pages with the users who do it:
adopt the edition, enroll, run the fees, import finance's result with a failure, apply as a
member and on behalf of retirees, return one for documents, hold the sitting, post the
notice, pay. At every step the member's pages and the office's pages show the same status
and amounts, and the ledger's sums are exact.

The cost year is last year (applications open for last year's costs); the edition's
application window is set around today so the pages accept them."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gonghui.accounts.roles import Role
from gonghui.mutual_aid.choices import ApplicationKind, FeeLineStatus, LedgerKind
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.models import (
    ApplicationEvent,
    Decision,
    FeeLine,
    LedgerEntry,
    PublicNotice,
    SchemeEdition,
    SchemeMembership,
    SubsidyApplication,
)
from gonghui.mutual_aid.services import editions as edition_services
from gonghui.mutual_aid.tests.applications.factories import png
from gonghui.mutual_aid.tests.editions.factories import edition_make
from gonghui.people.choices import EmploymentStatus
from gonghui.people.tests.factories import person_make, user_make

pytestmark = pytest.mark.django_db
D = Decimal


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _text(html: str) -> str:
    """The page's visible text, spaces collapsed (so assertions don't depend on markup)."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _sum(**filters) -> Decimal:
    return sum((e.amount for e in LedgerEntry.objects.filter(**filters)), D("0.00"))


def _item(year, **overrides):
    data = {
        "incurred_on": datetime.date(year, 5, 10).isoformat(),
        "hospital": "市第一人民医院",
        "bill_no": "B-001",
        "inpatient": "True",
        "covered": "True",
        "total": "20000.00",
        "paid_by_insurance": "12000.00",
        "second_reimbursement": "1000.00",
        "out_of_pocket": "7000.00",
    }
    data.update(overrides)
    return data


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "result.xlsx"
    return out


class Year:
    """The actors of the year and small helpers to look through their eyes."""

    def __init__(self, client, university):
        self.client, self.u = client, university
        self.today = timezone.localdate()
        self.year = self.today.year - 1
        self.office = university.users["union_office"]
        self.committee = university.users["welfare_committee"]
        self.member = university.users["member"]  # 张伟, econ
        self.sun = person_make(
            staff_no="R0002",
            name="孙秀英",
            sub_union=university.retirees,
            employment_status=EmploymentStatus.RETIRED,
            birth_date=datetime.date(1946, 2, 3),
        )
        self.retirees_officer = user_make(username="R0099", roles=[(Role.SUB_UNION_OFFICER, university.retirees)])

    def as_(self, user):
        self.client.force_login(user)
        return self.client

    def member_status(self, application) -> str:
        html = _html(self.as_(self.member).get(reverse("mutual_aid:my_application_detail", args=[application.pk])))
        return re.search(r'data-testid="status">([^<]+)<', html).group(1)

    def office_detail(self, application) -> str:
        return _text(_html(self.as_(self.office).get(reverse("mutual_aid:application_detail", args=[application.pk]))))


def test_a_whole_year_through_the_pages(
    clock, client, university, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    year_run(client, university, django_capture_on_commit_callbacks)


def year_run(client, university, django_capture_on_commit_callbacks):
    """The whole year, asserted step by step; returns the actors and records (the browser
    walk of the mutual-aid pages builds its world with it)."""
    from types import SimpleNamespace

    y = Year(client, university)
    u, Y = university, y.year

    # --- 1. The office drafts the year's rules and records the congress's adoption -------------
    draft = edition_make(
        actor=y.office,
        year=Y,
        adopt=False,
        fee_retired=D("60.00"),
        application_window_start=y.today - datetime.timedelta(days=10),
        application_window_end=y.today + datetime.timedelta(days=30),
    )
    edition_services.document_add(
        actor=y.office, edition=draft, kind=ApplicationKind.INPATIENT, name="费用明细清单", required=False
    )
    response = y.as_(y.office).post(
        reverse("mutual_aid:edition_adopt", args=[draft.pk]),
        {"adopted_on": f"{Y}-01-10", "resolution": "第五届教代会第三次会议决议"},
    )
    assert response.status_code == 302
    edition = SchemeEdition.objects.get(pk=draft.pk)
    assert (edition.status, edition.adopted_on) == ("adopted", datetime.date(Y, 1, 10))
    # a member reads the adopted rules
    rules = _text(_html(y.as_(y.member).get(reverse("mutual_aid:edition_detail", args=[edition.pk]))))
    assert "3000.00" in rules and "第五届教代会第三次会议决议" in rules

    # --- 2. Enrollment in the March window (the office, by staff number) -------------------------
    for staff_no, channel in [
        ("E0001", "payroll"),
        ("E0002", "payroll"),
        ("L0001", "payroll"),
        ("R0001", "payroll"),
        ("R0002", "manual"),
    ]:
        response = y.as_(y.office).post(
            reverse("mutual_aid:fee_enroll"), {"staff_no": staff_no, "joined_on": f"{Y}-03-10", "channel": channel}
        )
        assert response.status_code == 302, staff_no
    assert SchemeMembership.objects.count() == 5
    assert set(SchemeMembership.objects.values_list("back_pay_due", flat=True)) == {D("0.00")}
    assert set(SchemeMembership.objects.values_list("eligible_from", flat=True)) == {datetime.date(Y, 3, 10)}
    members_page = _text(_html(y.as_(y.office).get(reverse("mutual_aid:fee_members"))))
    for name in ["张伟", "李娜", "王芳", "赵强", "孙秀英"]:
        assert name in members_page
    assert "陈静" not in members_page  # the officer did not join
    my = _text(_html(y.as_(y.member).get(reverse("mutual_aid:fee_my"))))
    assert "在册" in my and "工资代扣" in my and f"{Y}年3月10日" in my

    # --- 3. The fee run (a job), twice: nobody is charged twice ---------------------------------
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = y.as_(y.office).post(reverse("mutual_aid:fee_run_start"), {"year": Y})
        assert response.status_code == 302
    assert FeeLine.objects.filter(year=Y).count() == 5
    assert LedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 5
    assert _sum(kind=LedgerKind.CHARGE) == D("-480.00")  # 3 × 120 active + 2 × 60 retired
    deduction = y.as_(y.office).get(reverse("mutual_aid:fee_deduction_file", args=[Y]))
    assert deduction.status_code == 200
    rows = list(load_workbook(io.BytesIO(deduction.content)).active.values)
    assert list(rows[0]) == ["工号", "姓名", "单位", "扣款项目", "扣款金额", "年度"]
    body = sorted((r[0], r[1], D(str(r[4])), int(r[5])) for r in rows[1:])
    assert body == [
        ("E0001", "张伟", D("120.00"), Y),
        ("E0002", "李娜", D("120.00"), Y),
        ("L0001", "王芳", D("120.00"), Y),
        ("R0001", "赵强", D("60.00"), Y),
    ]  # 孙 pays by hand

    # --- 4. Finance's result: three deducted, one failed ----------------------------------------
    result = _xlsx(
        [
            ["工号", "扣款金额", "扣款结果", "失败原因"],
            ["E0001", "120.00", "成功", ""],
            ["E0002", "120.00", "失败", "工资不足"],
            ["L0001", "120.00", "成功", ""],
            ["R0001", "60.00", "成功", ""],
        ]
    )
    response = y.as_(y.office).post(reverse("mutual_aid:fee_result_upload", args=[Y]), {"file": result})
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = _text(_html(y.client.get(preview_url)))
    assert "工资不足" in preview
    assert LedgerEntry.objects.filter(kind=LedgerKind.DEDUCTION).count() == 0  # the preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        confirm = y.client.post(preview_url.rstrip("/") + "/confirm/")
    assert confirm.status_code == 302
    lines = {line.person.staff_no: line for line in FeeLine.objects.filter(year=Y).select_related("person")}
    assert {k: v.status for k, v in lines.items()} == {
        "E0001": FeeLineStatus.DEDUCTED,
        "E0002": FeeLineStatus.FAILED,
        "L0001": FeeLineStatus.DEDUCTED,
        "R0001": FeeLineStatus.DEDUCTED,
        "R0002": FeeLineStatus.CHARGED,
    }
    assert lines["E0002"].failure_reason == "工资不足"
    assert _sum(kind=LedgerKind.DEDUCTION) == D("300.00")
    # the office is told of the failure
    from gonghui.notifications.models import Notification

    assert Notification.objects.filter(recipient=y.office).count() >= 1
    # 孙秀英 pays by hand at the retirees' office: a receipt
    response = y.as_(y.office).post(
        reverse("mutual_aid:fee_receipt", args=[lines["R0002"].pk]), {"amount": "60.00", "memo": "现金"}
    )
    assert response.status_code == 302
    lines["R0002"].refresh_from_db()
    assert lines["R0002"].status == FeeLineStatus.PAID_MANUALLY
    # the year's totals are sums of entries, to the cent; the year page agrees
    assert _sum(year=Y, kind__in=[LedgerKind.DEDUCTION, LedgerKind.RECEIPT]) == D("360.00")
    assert _sum(year=Y) == D("-120.00")  # 李娜's 120 is still owed
    year_page = _text(_html(y.as_(y.office).get(reverse("mutual_aid:fee_year", args=[Y]))))
    assert "工资不足" in year_page or "扣款失败" in year_page
    # the member's ledger and the office's ledger of that member agree
    my = _text(_html(y.as_(y.member).get(reverse("mutual_aid:fee_my"))))
    office_ledger = _text(_html(y.as_(y.office).get(reverse("mutual_aid:fee_ledger", args=[u.zhang.pk]))))
    for text in ["已扣款", "-120.00", "120.00"]:
        assert text in my and text in office_ledger
    li = user_make(username="E0002", person=u.li)
    li_page = _text(_html(y.as_(li).get(reverse("mutual_aid:fee_my"))))
    assert "扣款失败" in li_page and "工资不足" in li_page

    # --- 5. Applications: the member on their phone, the retirees' office on behalf -------------
    c = y.as_(y.member)
    response = c.post(reverse("mutual_aid:apply_start"), {"kind": "inpatient"})
    zhang_app = SubsidyApplication.objects.get(person=u.zhang)
    assert response["Location"] == reverse("mutual_aid:application_edit", args=[zhang_app.pk])
    c.post(reverse("mutual_aid:cost_item_add", args=[zhang_app.pk]), _item(Y))
    disease = edition.diseases.get(code="01")
    c.post(reverse("mutual_aid:application_details", args=[zhang_app.pk]), {"disease_category": disease.pk})
    for required in edition.required_documents.filter(kind="inpatient", required=True):
        c.post(
            reverse("mutual_aid:document_upload", args=[zhang_app.pk, required.pk]), {"file": png("invoice-photo.png")}
        )
    assert c.post(reverse("mutual_aid:application_submit", args=[zhang_app.pk])).status_code == 302
    zhang_app.refresh_from_db()
    assert (zhang_app.status, zhang_app.computed_subsidy) == (S.SUBMITTED, D("2000.00"))  # (7000−3000)×50 %
    assert zhang_app.submitter_relation == "self"

    r = y.as_(y.retirees_officer)
    # on behalf of 赵强, his daughter recorded as the submitter
    r.post(
        reverse("mutual_aid:application_proxy_start"),
        {
            "kind": "inpatient",
            "person": u.zhao.pk,
            "submitter_relation": "relative",
            "relative_name": "赵敏",
            "relative_phone": "13800000000",
        },
    )
    zhao_app = SubsidyApplication.objects.get(person=u.zhao)
    r.post(
        reverse("mutual_aid:cost_item_add", args=[zhao_app.pk]),
        _item(
            Y,
            bill_no="Z-1",
            total="60000.00",
            paid_by_insurance="33000.00",
            second_reimbursement="2000.00",
            out_of_pocket="25000.00",
            hospital="市第三医院",
        ),
    )
    r.post(reverse("mutual_aid:application_details", args=[zhao_app.pk]), {"disease_category": disease.pk})
    for required in edition.required_documents.filter(kind="inpatient", required=True):
        r.post(reverse("mutual_aid:document_upload", args=[zhao_app.pk, required.pk]), {"file": png()})
    r.post(reverse("mutual_aid:application_submit", args=[zhao_app.pk]))
    # on behalf of 孙秀英: outpatient, special disease
    r.post(
        reverse("mutual_aid:application_proxy_start"),
        {"kind": "outpatient", "person": y.sun.pk, "submitter_relation": "proxy"},
    )
    sun_app = SubsidyApplication.objects.get(person=y.sun)
    r.post(
        reverse("mutual_aid:cost_item_add", args=[sun_app.pk]),
        _item(
            Y,
            bill_no="S-1",
            inpatient="False",
            total="8000.00",
            paid_by_insurance="3000.00",
            second_reimbursement="0.00",
            out_of_pocket="5000.00",
        ),
    )
    r.post(
        reverse("mutual_aid:application_details", args=[sun_app.pk]),
        {"disease_category": edition.diseases.get(code="02").pk},
    )
    for required in edition.required_documents.filter(kind="outpatient", required=True):
        r.post(reverse("mutual_aid:document_upload", args=[sun_app.pk, required.pk]), {"file": png("record.png")})
    r.post(reverse("mutual_aid:application_submit", args=[sun_app.pk]))
    for app, status, amount, relation in [
        (zhao_app, S.SUBMITTED, D("12500.00"), "relative"),
        (sun_app, S.SUBMITTED, D("1000.00"), "proxy"),
    ]:
        app.refresh_from_db()
        assert (app.status, app.computed_subsidy, app.submitter_relation) == (status, amount, relation)
    assert zhao_app.relative_name == "赵敏"

    # member and office agree: submitted, 2000.00
    assert y.member_status(zhang_app) == "已提交"
    office_list = _text(_html(y.as_(y.office).get(reverse("mutual_aid:application_list"), {"year": Y})))
    assert office_list.count("已提交") >= 3
    assert "已提交" in y.office_detail(zhang_app) and "2,000.00" in y.office_detail(zhang_app)
    my_list = _text(_html(y.as_(y.member).get(reverse("mutual_aid:my_application_list"))))
    assert "已提交" in my_list and "2,000.00" in my_list and "赵强" not in my_list

    # --- 6. Checks; the office returns 赵强's for a document, it comes back -----------------------
    econ_officer = u.users["sub_union_officer"]
    assert (
        y.as_(econ_officer)
        .post(reverse("mutual_aid:application_sub_union_check", args=[zhang_app.pk]), {"message": ""})
        .status_code
        == 302
    )
    for app in (zhao_app, sun_app):
        y.as_(y.retirees_officer).post(reverse("mutual_aid:application_sub_union_check", args=[app.pk]), {})
    assert y.member_status(zhang_app) == "分工会已审核"
    o = y.as_(y.office)
    o.post(reverse("mutual_aid:application_return", args=[zhao_app.pk]), {"message": "请补充费用明细清单"})
    zhao_app.refresh_from_db()
    assert (zhao_app.status, zhao_app.return_message) == (S.RETURNED, "请补充费用明细清单")
    extra = edition.required_documents.get(name="费用明细清单")
    r = y.as_(y.retirees_officer)
    assert "请补充费用明细清单" in _text(_html(r.get(reverse("mutual_aid:application_detail", args=[zhao_app.pk]))))
    r.post(reverse("mutual_aid:document_upload", args=[zhao_app.pk, extra.pk]), {"file": png("details.png")})
    r.post(reverse("mutual_aid:application_submit", args=[zhao_app.pk]))
    r.post(reverse("mutual_aid:application_sub_union_check", args=[zhao_app.pk]), {})
    for app in (zhang_app, zhao_app, sun_app):
        assert (
            y.as_(y.office).post(reverse("mutual_aid:application_office_check", args=[app.pk]), {}).status_code == 302
        )
        app.refresh_from_db()
        assert app.status == S.OFFICE_CHECKED
    # the returned application keeps its history
    assert list(zhao_app.events.values_list("to_state", flat=True)) == [
        S.SUBMITTED,
        S.SUB_UNION_CHECKED,
        S.RETURNED,
        S.SUBMITTED,
        S.SUB_UNION_CHECKED,
        S.OFFICE_CHECKED,
    ]
    assert zhao_app.documents.count() == 2
    assert y.member_status(zhang_app) == "校工会已审核"

    # --- 7. The committee sitting ---------------------------------------------------------------
    response = y.as_(y.office).post(
        reverse("mutual_aid:committee_sitting_create"),
        {
            "year": Y,
            "held_on": (y.today - datetime.timedelta(days=12)).isoformat(),
            "place": "工会会议室",
            "members": [y.committee.pk],
        },
    )
    assert response.status_code == 302
    sitting_url = response["Location"]
    sitting_pk = int(sitting_url.rstrip("/").split("/")[-1])
    c = y.as_(y.committee)
    sitting_page = _text(_html(c.get(sitting_url)))
    for name in ["张伟", "赵强", "孙秀英"]:
        assert name in sitting_page
    decide = lambda app: reverse("mutual_aid:committee_decide", args=[sitting_pk, app.pk])  # noqa: E731
    # a rejection without a reason is refused and changes nothing
    c.post(decide(sun_app), {"outcome": "rejected", "reason": ""})
    assert Decision.objects.count() == 0
    c.post(decide(zhang_app), {"outcome": "approved"})
    c.post(decide(zhao_app), {"outcome": "adjusted", "amount": "12000.00", "reason": "部分费用为自费药品"})
    c.post(decide(sun_app), {"outcome": "rejected", "reason": "病种不在目录内"})
    assert {d.application_id: (d.outcome, d.amount) for d in Decision.objects.all()} == {
        zhang_app.pk: ("approved", D("2000.00")),
        zhao_app.pk: ("adjusted", D("12000.00")),
        sun_app.pk: ("rejected", D("0.00")),
    }
    for app, status, approved in [
        (zhang_app, S.APPROVED, D("2000.00")),
        (zhao_app, S.ADJUSTED, D("12000.00")),
        (sun_app, S.REJECTED, None),
    ]:
        app.refresh_from_db()
        assert (app.status, app.approved_amount) == (status, approved)
    assert y.member_status(zhang_app) == "已批准"
    member_detail = _text(_html(y.as_(y.member).get(reverse("mutual_aid:my_application_detail", args=[zhang_app.pk]))))
    assert "核定补助 2,000.00 元" in member_detail
    assert "已批准" in y.office_detail(zhang_app) and "2,000.00" in y.office_detail(zhang_app)
    assert (
        y.as_(y.office)
        .post(
            reverse("mutual_aid:committee_sitting_close", args=[sitting_pk]),
            {"minutes": "审议三件，批准一件，调整一件，不予补助一件。"},
        )
        .status_code
        == 302
    )

    # --- 8. The public notice: masked names, no diagnoses; ended after its period ---------------
    response = y.as_(y.office).post(
        reverse("mutual_aid:committee_notice_post", args=[sitting_pk]),
        {"starts_on": (y.today - datetime.timedelta(days=10)).isoformat()},
    )
    notice = PublicNotice.objects.get()
    assert notice.ends_on == y.today - datetime.timedelta(days=3)
    assert y.member_status(zhang_app) == "公示中"
    notice_text = _text(_html(y.as_(y.member).get(reverse("mutual_aid:notice_detail", args=[notice.pk]))))
    assert "张*" in notice_text and "赵*" in notice_text
    assert "张伟" not in notice_text and "赵强" not in notice_text and "孙" not in notice_text
    assert "恶性肿瘤" not in notice_text and "2,000.00" in notice_text and "12,000.00" in notice_text
    assert notice.pk and reverse("mutual_aid:notice_detail", args=[notice.pk]) in _html(
        y.as_(y.member).get(reverse("mutual_aid:notice_list"))
    )
    # nothing is payable before the notice has ended
    assert y.as_(y.office).post(reverse("mutual_aid:payment_batch_create"), {"year": Y}).status_code == 302
    from gonghui.mutual_aid.models import PaymentBatch

    assert PaymentBatch.objects.count() == 0
    assert y.as_(y.office).post(reverse("mutual_aid:notice_end", args=[notice.pk])).status_code == 302
    for app in (zhang_app, zhao_app):
        app.refresh_from_db()
        assert app.status == S.PAYABLE
    assert y.member_status(zhang_app) == "待发放"

    # --- 9. Payment list for finance, then paid --------------------------------------------------
    assert y.as_(y.office).post(reverse("mutual_aid:payment_batch_create"), {"year": Y}).status_code == 302
    batch = PaymentBatch.objects.get()
    assert set(batch.applications.values_list("pk", flat=True)) == {zhang_app.pk, zhao_app.pk}
    sheet = y.as_(y.office).get(reverse("mutual_aid:payment_batch_xlsx", args=[batch.pk]))
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    header = list(rows[0])
    amount_column, staff_column = header.index("补助金额"), header.index("工号")
    paid_rows = sorted((row[staff_column], D(str(row[amount_column]))) for row in rows[1:] if row[staff_column])
    assert paid_rows == [("E0001", D("2000.00")), ("R0001", D("12000.00"))]
    assert LedgerEntry.objects.filter(kind__in=[LedgerKind.SUBSIDY, LedgerKind.SUBSIDY_PAYMENT]).count() == 0
    assert (
        y.as_(y.office)
        .post(reverse("mutual_aid:payment_batch_paid", args=[batch.pk]), {"paid_on": y.today.isoformat()})
        .status_code
        == 302
    )
    for app in (zhang_app, zhao_app):
        app.refresh_from_db()
        assert app.status == S.PAID
    assert _sum(kind=LedgerKind.SUBSIDY) == D("14000.00")
    assert _sum(kind=LedgerKind.SUBSIDY_PAYMENT) == D("-14000.00")
    assert _sum(kind=LedgerKind.SUBSIDY, person=u.zhao) == D("12000.00")

    # --- 10. Member and office agree at the end ------------------------------------------------
    assert y.member_status(zhang_app) == "已发放"
    my_list = _text(_html(y.as_(y.member).get(reverse("mutual_aid:my_application_list"))))
    assert "已发放" in my_list
    timeline = list(ApplicationEvent.objects.filter(subject=zhang_app).values_list("to_state", flat=True))
    assert timeline == [S.SUBMITTED, S.SUB_UNION_CHECKED, S.OFFICE_CHECKED, S.APPROVED, S.ON_NOTICE, S.PAYABLE, S.PAID]
    member_detail = _text(_html(y.as_(y.member).get(reverse("mutual_aid:my_application_detail", args=[zhang_app.pk]))))
    office_detail = y.office_detail(zhang_app)
    for label in [str(S(status).label) for status in timeline]:
        assert label in member_detail and label in office_detail, label
    # the member's portal card says the same
    home = _text(_html(y.as_(y.member).get(reverse("portal:home"))))
    assert "已发放" in home
    # the year's figures: members, fees, approved subsidies (report year = cost year + 1)
    report = y.as_(y.office).get(reverse("mutual_aid:report"), {"year": Y})
    assert report.status_code == 200
    # the API agrees with the pages
    api = y.as_(y.member).get("/api/mutual-aid/my/applications/")
    assert api.status_code == 200
    rows = {row["id"]: row for row in api.json()["results"]}
    assert set(rows) == {zhang_app.pk}
    assert (rows[zhang_app.pk]["status"], rows[zhang_app.pk]["approved_amount"]) == ("paid", "2000.00")
    return SimpleNamespace(
        y=y,
        edition=edition,
        sitting_pk=sitting_pk,
        notice=notice,
        batch=batch,
        zhang_app=zhang_app,
        zhao_app=zhao_app,
        sun_app=sun_app,
        lines=lines,
    )

"""The issue's acceptance, reproducible on a small university: set up the 2021 editions
(50 / 50 / 25 yuan per share), run enrollment, export the roster, import an acceptance file
with two rejections, take claims through to payment; the report and the portal agree."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from gonghui.core.imports import import_confirm
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.core.reports import plain
from gonghui.insurance.models import PlanEnrollment
from gonghui.insurance.presets import AGE_LIMITED_HOSPITAL, editions_create
from gonghui.insurance.selectors.figures import insurance_report, person_cover
from gonghui.insurance.services import claims as svc
from gonghui.insurance.services.rosters import roster_export_create, roster_xlsx
from gonghui.insurance.tests.helpers import acceptance_file, acceptance_start, pdf, read_xlsx
from gonghui.people.choices import Gender
from gonghui.people.models import Person
from gonghui.people.tests.factories import person_make

pytestmark = pytest.mark.django_db


def _pay(office, claim, amount, day):
    for name in claim.edition.required_documents:
        svc.claim_document_add(actor=office, claim=claim, name=name, uploaded_file=pdf())
    svc.claim_check(actor=office, claim=claim)
    svc.claim_submit(actor=office, claim=claim, submitted_on=day)
    return svc.claim_pay(actor=office, claim=claim, amount=amount, paid_on=day + datetime.timedelta(days=20))


def test_acceptance_on_a_small_university(university, settings, tmp_path, client):
    settings.MEDIA_ROOT = str(tmp_path)
    u = university
    office = u.users["union_office"]
    # a few more staff: 4 women and 2 men, one woman too old for 住院津贴 (55 on the start date)
    for n, (gender, born) in enumerate(
        [
            (Gender.FEMALE, datetime.date(1990, 2, 3)),
            (Gender.FEMALE, datetime.date(1966, 7, 1)),
            (Gender.FEMALE, datetime.date(1988, 8, 8)),
            (Gender.FEMALE, datetime.date(1979, 4, 4)),
            (Gender.MALE, datetime.date(1970, 1, 1)),
            (Gender.MALE, datetime.date(1992, 12, 12)),
        ]
    ):
        person_make(
            staff_no=f"X{n}", name=f"教师{n}", gender=gender, birth_date=born, sub_union=u.law if n % 2 else u.econ
        )
    # 1. the 2021 editions, with an insurer limiting 住院津贴's ages, and the enrollment
    # (the command does what the page does)
    created = editions_create(actor=office, year=2021, overrides=AGE_LIMITED_HOSPITAL)
    editions = dict(zip(("ZYJT", "ZDJB", "NGTJ"), created, strict=True))
    call_command("insurance_enroll", "--year", "2021", "--user", "office", stdout=io.StringIO())
    call_command("insurance_enroll", "--year", "2021", "--user", "office", stdout=io.StringIO())  # idempotent
    counts = {code: PlanEnrollment.objects.filter(edition=e).count() for code, e in editions.items()}
    assert counts == {"ZYJT": 9, "ZDJB": 10, "NGTJ": 7}
    # 2. the roster of 女工特疾, and the insurer's answer with two rejections
    roster = roster_export_create(actor=office, edition=editions["NGTJ"])
    _sheet, rows = read_xlsx(roster_xlsx(actor=office, roster=roster))
    assert len(rows) == 8 and rows[0][:7] == ["序号", "姓名", "性别", "身份证号", "出生日期", "份数", "保费"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED_CLEAR, object_id=str(roster.pk)).count() == 1
    answer = [(r[0], r[1], r[3], "承保", "") for r in rows[1:]]
    answer[1] = (*answer[1][:3], "拒保", "身份信息不符")
    answer[4] = (*answer[4][:3], "拒保", "超龄")
    answer.append((99, "查无此人", "110105199001011234", "承保", ""))
    preview = acceptance_start(office, roster, acceptance_file(answer))
    assert preview.summary["counts"] == {"accepted": 5, "rejected": 2, "unmatched": 1, "invalid": 0}
    import_confirm(preview, actor=office)
    # 3. claims through to payment
    hospital = svc.claim_report(
        actor=office,
        person=u.zhang,
        plan=editions["ZYJT"].plan,
        benefit_code="allowance",
        diagnosis="阑尾炎",
        admission_date=datetime.date(2021, 9, 1),
        discharge_date=datetime.date(2021, 9, 11),
        reported_on=datetime.date(2021, 9, 14),
        payout_account="6217000000000001",
    )
    _pay(office, hospital, "280.00", datetime.date(2021, 9, 20))
    woman = PlanEnrollment.objects.filter(edition=editions["NGTJ"], status="accepted").order_by("pk").first().person
    special = svc.claim_report(
        actor=office,
        person=woman,
        plan=editions["NGTJ"].plan,
        benefit_code="listed",
        diagnosis="乳腺癌",
        event_date=datetime.date(2021, 10, 10),
        reported_on=datetime.date(2021, 10, 20),
        payout_account="6217000000000002",
    )
    assert special.expected_benefit == Decimal("15000.00")
    _pay(office, special, "15000.00", datetime.date(2021, 10, 25))
    # 4. the report: exact premium sums (9×50 + 10×50 + 5×25 accepted + 0 rejected)
    report = insurance_report(user=office, year=2021)
    figures = report.figures
    by_code = {p["plan_code"]: p for p in figures["plans"]}
    assert {c: (p["insured"], str(p["premium"])) for c, p in by_code.items()} == {
        "ZYJT": (9, "450.00"),
        "ZDJB": (10, "500.00"),
        "NGTJ": (5, "125.00"),
    }
    assert plain(figures["total"]) == {
        "insured": 24,
        "premium": "1075.00",
        "claims": 2,
        "claims_paid": 2,
        "paid": "15280.00",
        "loss_ratio": "14.2140",
    }
    assert by_code["NGTJ"]["by_gender"] == {"男": 0, "女": 5}
    assert sum(by_code["ZDJB"]["by_sub_union"].values()) == 10
    # the command prints the same numbers
    out = io.StringIO()
    call_command("insurance_report", "--year", "2021", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == json.loads(report.json())
    assert json.loads(out.getvalue())["total"]["loss_ratio"] == "14.2140"
    # 5. the portal agrees: summing every member's "my cover" gives the report's figures
    insured, premium = {}, {}
    for person in Person.objects.all():
        for line in person_cover(person=person, year=2021, today=datetime.date(2021, 12, 1)):
            insured[line["plan_code"]] = insured.get(line["plan_code"], 0) + 1
            premium[line["plan_code"]] = premium.get(line["plan_code"], Decimal("0")) + line["premium"]
    assert insured == {c: p["insured"] for c, p in by_code.items()}
    assert {c: f"{v:.2f}" for c, v in premium.items()} == {c: str(p["premium"]) for c, p in by_code.items()}
    # and the member's pages show their cover and the paid claim
    client.force_login(u.users["member"])
    page = client.get(reverse("insurance:my_cover") + "?year=2021").content.decode()
    assert "住院津贴" in page and "重大疾病" in page and "女工特疾" not in page
    assert "280.00" in page

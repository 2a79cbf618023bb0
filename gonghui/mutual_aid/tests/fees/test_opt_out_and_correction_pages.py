"""The member's own opt-out page and the office's ledger-correction page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.mutual_aid.models import FeeLine, LedgerEntry, SchemeMembership
from gonghui.mutual_aid.services.fees import fee_run_execute
from gonghui.mutual_aid.services.membership import scheme_membership_enroll

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def charged(university, edition, office):
    u = university
    for person in (u.zhang, u.wang):
        scheme_membership_enroll(person=person, actor=office, on=D(2024, 3, 5))
    fee_run_execute(year=2024, actor=office)
    return u


def test_member_opts_out_from_the_portal_with_a_reason(client, charged):
    member = charged.users["member"]
    client.force_login(member)
    my = client.get(reverse("mutual_aid:fee_my")).content.decode()
    assert reverse("mutual_aid:fee_my_opt_out") in my
    audits = AuditEvent.objects.count()
    # no reason: refused, nothing changed
    response = client.post(reverse("mutual_aid:fee_my_opt_out"), {"reason": "", "confirm": "on"})
    assert response.status_code == 400
    membership = SchemeMembership.objects.get(person=charged.zhang)
    assert (membership.status, membership.end_reason, AuditEvent.objects.count()) == ("active", "", audits)
    response = client.post(reverse("mutual_aid:fee_my_opt_out"), {"reason": "已参加其他补充医疗保险", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("mutual_aid:fee_my")
    membership.refresh_from_db()
    assert (membership.status, membership.end_reason) == ("opted_out", "已参加其他补充医疗保险")
    assert AuditEvent.objects.count() == audits + 1
    # the year's fee stands; the page now offers no second opt-out
    assert LedgerEntry.objects.filter(person=charged.zhang).count() == 1
    assert client.get(reverse("mutual_aid:fee_my_opt_out")).status_code == 404
    assert "已退出" in client.get(reverse("mutual_aid:fee_my")).content.decode()
    # wang's membership is untouched
    assert SchemeMembership.objects.get(person=charged.wang).status == "active"


def test_a_person_without_membership_gets_404(client, university):
    client.force_login(university.users["sub_union_officer"])
    assert client.get(reverse("mutual_aid:fee_my_opt_out")).status_code == 404
    assert client.post(reverse("mutual_aid:fee_my_opt_out"), {"reason": "x", "confirm": "on"}).status_code == 404


def test_office_corrects_the_ledger_with_a_new_entry(client, charged, office):
    line = FeeLine.objects.get(person=charged.zhang)
    client.force_login(office)
    ledger = client.get(reverse("mutual_aid:fee_ledger", args=[charged.zhang.pk])).content.decode()
    url = reverse("mutual_aid:fee_correction", args=[charged.zhang.pk])
    assert url in ledger
    assert client.get(url).status_code == 200
    before = list(LedgerEntry.objects.values_list("pk", "amount"))
    refused = client.post(url, {"year": 2024, "fee_line": line.pk, "amount": "20.00", "reason": ""})
    assert refused.status_code == 400
    refused = client.post(url, {"year": 2024, "fee_line": line.pk, "amount": "0", "reason": "x"})
    assert refused.status_code == 400 and "更正金额不能为零" in refused.content.decode()
    assert list(LedgerEntry.objects.values_list("pk", "amount")) == before
    response = client.post(url, {"year": 2024, "fee_line": line.pk, "amount": "-20.00", "reason": "少计了补缴"})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind="correction")
    assert (entry.amount, entry.fee_line_id, entry.memo, entry.created_by) == (
        Decimal("-20.00"),
        line.pk,
        "少计了补缴",
        office,
    )
    assert list(LedgerEntry.objects.exclude(pk=entry.pk).values_list("pk", "amount")) == before
    total = sum(LedgerEntry.objects.filter(person=charged.zhang).values_list("amount", flat=True))
    assert total == Decimal("-140.00")


def test_auditor_cannot_correct(client, charged):
    client.force_login(charged.users["auditor"])
    url = reverse("mutual_aid:fee_correction", args=[charged.zhang.pk])
    assert client.post(url, {"year": 2024, "amount": "5.00", "reason": "x"}).status_code == 403
    assert LedgerEntry.objects.filter(kind="correction").count() == 0

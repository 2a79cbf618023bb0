"""Edition pages: the office drafts, edits (htmx rows), adopts, compares and previews; a
member reads the adopted rules only; an auditor reads and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.mutual_aid.choices import EditionStatus
from gonghui.mutual_aid.models import SchemeEdition, SubsidyBand, SubsidyRule
from gonghui.mutual_aid.tests.editions.factories import edition_make

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def editions(office):
    adopted = edition_make(actor=office, year=2021)
    draft = edition_make(actor=office, year=2022, adopt=False, name="2022年度修订稿")
    return adopted, draft


def test_office_drafts_edits_adds_rows_and_adopts(client, office):
    client.force_login(office)
    # draft from scratch
    response = client.post(reverse("mutual_aid:edition_create"), {"year": "2023", "name": "", "source": ""})
    edition = SchemeEdition.objects.get(year=2023)
    assert response.status_code == 302 and response["Location"] == reverse("mutual_aid:edition_edit", args=[edition.pk])
    page = client.get(reverse("mutual_aid:edition_edit", args=[edition.pk]))
    assert page.status_code == 200 and "2023年度医疗互助会管理办法（草案）" in page.content.decode()
    # edit its fields
    data = {
        "year": "2023",
        "name": "2023年度管理办法",
        "eligible_statuses": ["active", "retired"],
        "join_window_start": "2023-03-01",
        "join_window_end": "2023-03-31",
        "application_window_start": "2024-03-01",
        "application_window_end": "2024-03-31",
        "fee_period": "year",
        "fee_active": "120",
        "fee_retired": "120",
        "late_join_back_pay": "on",
        "waiting_months": "12",
        "base_mode": "single",
        "annual_cap": "30000",
        "lifetime_cap": "150000",
        "notice_days": "7",
        "query_days": "15",
    }
    response = client.post(reverse("mutual_aid:edition_edit", args=[edition.pk]), data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert (edition.name, edition.fee_active, edition.annual_cap) == ("2023年度管理办法", D("120.00"), D("30000.00"))
    # the rule and a band through the htmx add-row forms
    items = reverse("mutual_aid:edition_items", args=[edition.pk])
    response = client.post(
        items, {"op": "rule_add", "rule-base": "all", "rule-deductible": "3000"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and 'id="edition-items"' in response.content.decode()
    assert "<html" not in response.content.decode()
    rule = SubsidyRule.objects.get(edition=edition)
    response = client.post(
        items,
        {
            "op": "band_add",
            "rule": rule.pk,
            f"band{rule.pk}-lower": "3000",
            f"band{rule.pk}-upper": "",
            f"band{rule.pk}-rate": "0.5",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert list(rule.bands.values_list("lower", "upper", "rate")) == [(D("3000.00"), None, D("0.5000"))]
    # a band refused by the service shows its message in the partial and adds nothing
    response = client.post(
        items,
        {
            "op": "band_add",
            "rule": rule.pk,
            f"band{rule.pk}-lower": "0",
            f"band{rule.pk}-upper": "100",
            f"band{rule.pk}-rate": "2",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "比例须在 0 与 1 之间" in response.content.decode()
    assert rule.bands.count() == 1
    client.post(items, {"op": "disease_add", "disease-code": "01", "disease-name": "恶性肿瘤"})
    client.post(
        items,
        {"op": "document_add", "document-kind": "inpatient", "document-name": "出院小结", "document-required": "on"},
    )
    assert list(edition.diseases.values_list("name", flat=True)) == ["恶性肿瘤"]
    assert list(edition.required_documents.values_list("name", "required")) == [("出院小结", True)]
    # adopt
    assert client.get(reverse("mutual_aid:edition_adopt", args=[edition.pk])).status_code == 200
    response = client.post(
        reverse("mutual_aid:edition_adopt", args=[edition.pk]),
        {"adopted_on": "2023-01-12", "resolution": "第六届教代会第一次会议决议"},
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert (edition.status, edition.adopted_on) == (EditionStatus.ADOPTED, datetime.date(2023, 1, 12))
    # an adopted edition has no edit pages any more
    assert client.get(reverse("mutual_aid:edition_edit", args=[edition.pk])).status_code == 404
    assert client.post(items, {"op": "disease_add", "disease-code": "02", "disease-name": "x"}).status_code == 404
    assert edition.diseases.count() == 1


def test_adopt_refusal_is_shown_and_changes_nothing(client, office, editions):
    _adopted, draft = editions
    SubsidyBand.objects.filter(rule__edition=draft, upper=None).update(rate=D("1.5"))
    client.force_login(office)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("mutual_aid:edition_adopt", args=[draft.pk]), {"adopted_on": "2022-01-12", "resolution": "决议"}
    )
    assert response.status_code == 400
    assert "的比例须在 0 与 1 之间" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.adopted_on, AuditEvent.objects.count()) == (EditionStatus.DRAFT, None, events)


def test_revise_from_an_adopted_edition(client, office, editions):
    adopted, _draft = editions
    client.force_login(office)
    page = client.get(reverse("mutual_aid:edition_create") + f"?source={adopted.pk}").content.decode()
    assert f'<option value="{adopted.pk}" selected>' in page
    response = client.post(
        reverse("mutual_aid:edition_create"), {"year": "2022", "name": "再修订", "source": adopted.pk}
    )
    copy = SchemeEdition.objects.get(name="再修订")
    assert response.status_code == 302
    assert (copy.based_on, copy.status, copy.rules.get().bands.count()) == (adopted, EditionStatus.DRAFT, 3)


def test_member_reads_adopted_rules_but_never_drafts(client, university, editions):
    adopted, draft = editions
    client.force_login(university.users["member"])
    listing = client.get(reverse("mutual_aid:edition_list")).content.decode()
    assert adopted.name in listing and draft.name not in listing
    detail = client.get(reverse("mutual_aid:edition_detail", args=[adopted.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "恶性肿瘤" in html and "出院小结" in html and "3000.00 – 10000.00" in html and "50.00%" in html
    assert 'data-testid="edition-actions"' not in html
    assert client.get(reverse("mutual_aid:edition_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("mutual_aid:edition_edit", args=[draft.pk])).status_code == 403
    assert client.get(reverse("mutual_aid:edition_preview", args=[draft.pk])).status_code == 403
    assert client.get(reverse("mutual_aid:edition_compare")).status_code == 403
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("mutual_aid:edition_list") in home


def test_auditor_reads_everything_and_changes_nothing(client, university, editions):
    adopted, draft = editions
    client.force_login(university.users["auditor"])
    assert draft.name in client.get(reverse("mutual_aid:edition_list")).content.decode()
    html = client.get(reverse("mutual_aid:edition_detail", args=[draft.pk])).content.decode()
    assert "修改记录" in html and reverse("mutual_aid:edition_edit", args=[draft.pk]) not in html
    before = (SchemeEdition.objects.count(), AuditEvent.objects.count(), SubsidyRule.objects.count())
    assert client.post(reverse("mutual_aid:edition_create"), {"year": "2023"}).status_code == 403
    assert (
        client.post(
            reverse("mutual_aid:edition_items", args=[draft.pk]), {"op": "rule_remove", "rule": draft.rules.get().pk}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("mutual_aid:edition_adopt", args=[draft.pk]), {"adopted_on": "2022-01-01", "resolution": "x"}
        ).status_code
        == 403
    )
    assert (SchemeEdition.objects.count(), AuditEvent.objects.count(), SubsidyRule.objects.count()) == before
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT


def test_compare_page_highlights_differences(client, office, editions):
    adopted, draft = editions
    client.force_login(office)
    html = client.get(reverse("mutual_aid:edition_compare"), {"a": adopted.pk, "b": draft.pk}).content.decode()
    assert 'data-testid="comparison"' in html
    # the rules compared (core's edition_compare): the year, the name and the year's four window dates differ
    assert html.count('data-changed="1"') == 6
    assert "<mark>2022年度修订稿</mark>" in html


def test_preview_page_without_decided_applications(client, office, editions):
    _adopted, draft = editions
    client.force_login(office)
    html = client.get(reverse("mutual_aid:edition_preview", args=[draft.pk])).content.decode()
    assert "尚无已评议的补助申请可供测算。" in html


def test_preview_page_shows_old_and_new_totals(client, office, decided_2020):
    draft = edition_make(actor=office, year=2022, adopt=False)
    client.force_login(office)
    response = client.get(reverse("mutual_aid:edition_preview", args=[draft.pk]), {"year": "2020"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<th>3</th><th>30000.00</th><th>32000.00</th><th>2000.00</th>" in html
    assert html.count("赵强") == 2


def test_self_check_rule_is_shown_and_edited_on_the_draft(client, office, editions):
    """分工会干部可审核本人申请: off by default, shown on the edition page, set in the draft's form."""
    adopted, draft = editions
    client.force_login(office)
    html = client.get(reverse("mutual_aid:edition_detail", args=[adopted.pk])).content.decode()
    assert "<dt>分工会干部可审核本人申请</dt><dd>否</dd>" in html
    form = client.get(reverse("mutual_aid:edition_edit", args=[draft.pk])).content.decode()
    assert 'name="self_check_allowed"' in form
    from gonghui.mutual_aid.forms.editions import EditionForm

    data = {k: v for k, v in EditionForm.initial_for(draft).items() if v is not None and v is not False}
    data["self_check_allowed"] = "on"
    response = client.post(reverse("mutual_aid:edition_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.self_check_allowed is True
    html = client.get(reverse("mutual_aid:edition_detail", args=[draft.pk])).content.decode()
    assert "<dt>分工会干部可审核本人申请</dt><dd>是</dd>" in html
    adopted.refresh_from_db()
    assert adopted.self_check_allowed is False

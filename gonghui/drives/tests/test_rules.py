"""A drive's rules (DriveRules, a core rule edition): drafted and adopted on the drive's
settings page, immutable once adopted, exchanged as a document (rules_export / rules_import)."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from gonghui.core.editions import EditionLocked, EditionStatus, edition_adopt, edition_compare
from gonghui.core.exceptions import InvalidTransition
from gonghui.core.models import AuditEvent
from gonghui.drives.choices import DrivePhase
from gonghui.drives.models import Drive, DriveRules, DriveRulesEvent
from gonghui.drives.services.drives import drive_create, drive_update
from gonghui.drives.tests.factories import drive_make
from gonghui.people.models import EmploymentCategory

ADOPTED_ON = datetime.date(2021, 8, 20)


def _rules_state(drive):
    rules = DriveRules.objects.get(drive=drive)
    return (
        rules.status,
        rules.price_per_person,
        rules.max_age,
        sorted(rules.eligible_categories.values_list("name", flat=True)),
        Drive.objects.get(pk=drive.pk).name,
        AuditEvent.objects.count(),
        DriveRulesEvent.objects.count(),
    )


def test_a_new_drive_has_draft_rules_that_the_office_may_change(university):
    office = university.users["union_office"]
    category = EmploymentCategory.objects.create(name="编外聘用")
    drive = drive_create(
        actor=office,
        name="2022 体检",
        product="体检",
        provider="某体检中心",
        price_per_person=Decimal("300.00"),
        policy_start=datetime.date(2022, 5, 1),
        eligible_statuses=["active"],
        categories=[category],
    )
    rules = drive.rules
    assert (rules.status, rules.price_per_person, rules.created_by) == (EditionStatus.DRAFT, Decimal("300.00"), office)
    assert list(rules.eligible_categories.all()) == [category]
    drive_update(drive=drive, actor=office, price_per_person=Decimal("280.00"), max_age=65, categories=[])
    rules.refresh_from_db()
    assert (rules.price_per_person, rules.max_age, rules.eligible_categories.count()) == (Decimal("280.00"), 65, 0)
    audit = AuditEvent.objects.filter(object_type="drives.drive", action="updated").get()
    assert audit.changes == {
        "price_per_person": ["300.00", "280.00"],
        "max_age": [None, 65],
        "eligible_categories": [["编外聘用"], []],
    }


def test_inconsistent_rules_are_refused_and_nothing_is_written(university):
    drive = drive_make(phase=DrivePhase.SURVEY)
    office = university.users["union_office"]
    before = _rules_state(drive)
    with pytest.raises(Exception, match="最低年龄不能高于最高年龄"):
        drive_update(drive=drive, actor=office, name="改名", min_age=70, max_age=60)
    with pytest.raises(Exception, match="请选择可参加的家属关系"):
        drive_update(drive=drive, actor=office, relatives_allowed=True, relative_relationships=[])
    assert _rules_state(drive) == before


def test_adoption_needs_the_date_and_the_act(university):
    drive = drive_make(phase=DrivePhase.SURVEY)
    office = university.users["union_office"]
    before = _rules_state(drive)
    with pytest.raises(InvalidTransition, match="请填写通过依据"):
        edition_adopt(actor=office, edition=drive.rules, adopted_on=ADOPTED_ON, resolution=" ")
    with pytest.raises(InvalidTransition, match="您无权进行此操作"):
        edition_adopt(actor=university.users["auditor"], edition=drive.rules, adopted_on=ADOPTED_ON, resolution="决议")
    assert _rules_state(drive) == before
    edition_adopt(actor=office, edition=drive.rules, adopted_on=ADOPTED_ON, resolution="校工会常委会决议")
    rules = DriveRules.objects.get(drive=drive)
    assert (rules.status, rules.adopted_on, rules.resolution) == (EditionStatus.ADOPTED, ADOPTED_ON, "校工会常委会决议")
    event = DriveRulesEvent.objects.get(subject=rules)
    assert (event.from_state, event.to_state, event.step, event.actor) == ("draft", "adopted", "adopt", office)


def test_adopted_rules_are_immutable_but_the_drive_is_not(university):
    drive = drive_make()  # in registration: its rules are adopted
    office = university.users["union_office"]
    before = _rules_state(drive)
    with pytest.raises(EditionLocked):
        drive_update(drive=drive, actor=office, name="改名", price_per_person=Decimal("1.00"))
    with pytest.raises(EditionLocked):
        drive_update(drive=drive, actor=office, categories=[EmploymentCategory.objects.create(name="合同制")])
    assert _rules_state(drive) == before
    # the same values are not a change; the drive's own fields still are
    drive_update(drive=drive, actor=office, name="改名", price_per_person=Decimal("195.00"))
    assert Drive.objects.get(pk=drive.pk).name == "改名"


def test_the_settings_page_edits_draft_rules_and_adopts_them(university, client):
    drive = drive_make(phase=DrivePhase.SURVEY)
    client.force_login(university.users["union_office"])
    url = reverse("drives:drive_edit", args=[drive.pk])
    page = client.get(url).content.decode()
    assert 'name="price_per_person"' in page and 'data-testid="rules-adopt"' in page

    data = {
        "name": drive.name,
        "product": drive.product,
        "provider": drive.provider,
        "price_per_person": "199.00",
        "policy_start": "2021-10-01",
        "eligible_statuses": ["active", "retired"],
        "relatives_allowed": "on",
        "relative_relationships": ["spouse"],
        "group_only_coverage_types": ["public"],
        "consent_text": drive.rules.consent_text,
    }
    assert client.post(url, data).status_code == 302
    assert DriveRules.objects.get(drive=drive).price_per_person == Decimal("199.00")

    adopt = reverse("drives:rules_adopt", args=[drive.pk])
    assert client.post(adopt, {"adopted_on": "2021-08-20", "resolution": ""}).status_code == 302
    assert DriveRules.objects.get(drive=drive).status == EditionStatus.DRAFT
    assert client.post(adopt, {"adopted_on": "2021-08-20", "resolution": "常委会决议"}).status_code == 302
    assert DriveRules.objects.get(drive=drive).status == EditionStatus.ADOPTED

    page = client.get(url).content.decode()
    assert 'name="price_per_person"' not in page and 'data-testid="rules-adopt"' not in page
    assert "参保规则已于 2021年8月20日 通过（常委会决议）" in page and "199.00" in page
    # the drive's own fields still save; the rules are left as they are
    assert client.post(url, {**data, "name": "改名", "price_per_person": "1.00"}).status_code == 302
    assert (Drive.objects.get(pk=drive.pk).name, DriveRules.objects.get(drive=drive).price_per_person) == (
        "改名",
        Decimal("199.00"),
    )


def test_rules_export_and_import_round_trip(university, tmp_path):
    source = drive_make(max_age=75, eligible_coverage_types=["insurance", "public"], rules_status=EditionStatus.DRAFT)
    source.rules.eligible_categories.set([EmploymentCategory.objects.create(name="编外聘用")])
    edition_adopt(
        actor=university.users["union_office"], edition=source.rules, adopted_on=ADOPTED_ON, resolution="常委会决议"
    )

    out = io.StringIO()
    call_command("rules_export", module="drives", year=2021, stdout=out)
    document = json.loads(out.getvalue())
    assert (document["kind"], document["drive"], document["status"]) == ("drives.driverules", source.name, "adopted")
    assert document["rules"]["eligible_categories"] == ["编外聘用"]
    assert (document["adopted_on"], document["resolution"]) == ("2021-08-20", "常委会决议")

    # the same rules for another university's drive of the same name (here: renamed first)
    Drive.objects.filter(pk=source.pk).update(name="本校 2021")
    target = Drive.objects.create(name=document["drive"], product="北京普惠健康保", provider="人保财险")
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("rules_import", str(path), stdout=io.StringIO())

    imported = DriveRules.objects.get(drive=target)
    assert imported.status == EditionStatus.DRAFT
    rows = edition_compare(DriveRules.objects.get(drive=source), imported)
    assert len(rows) == 11 and [row.label for row in rows if row.differs] == []
    # a drive has one set of rules: importing again for it is refused, nothing written
    with pytest.raises(Exception, match="已存在|already exists"):
        call_command("rules_import", str(path), stdout=io.StringIO())
    assert DriveRules.objects.filter(drive=target).count() == 1


def test_a_drive_is_created_on_its_settings_page_with_draft_rules(university, client):
    client.force_login(university.users["union_office"])
    data = {
        "name": "2022 北京普惠健康保",
        "product": "北京普惠健康保",
        "provider": "人保财险",
        "price_per_person": "195.00",
        "policy_start": "2022-01-01",
        "min_age": "70",
        "max_age": "60",
        "consent_text": "同意",
    }
    response = client.post(reverse("drives:drive_create"), data)
    assert response.status_code == 400 and "最低年龄不能高于最高年龄" in response.content.decode()
    assert Drive.objects.count() == 0 and DriveRules.objects.count() == 0
    response = client.post(reverse("drives:drive_create"), {**data, "min_age": ""})
    drive = Drive.objects.get()
    assert response["Location"] == reverse("drives:drive_detail", args=[drive.pk])
    assert (drive.rules.status, drive.rules.max_age, drive.phase) == (EditionStatus.DRAFT, 60, DrivePhase.PREPARATION)
    page = client.get(response["Location"]).content.decode()
    assert "草案" in page and "参保规则通过后才能开始报名" in page

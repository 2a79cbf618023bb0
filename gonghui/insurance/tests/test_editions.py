"""Plan editions as core rule editions: validation, drafts revised, compared and adopted (date
and act required), adopted editions immutable, superseding refused once people are insured,
and the rules exchanged as documents (rules_export → rules_import round trip)."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction

from gonghui.core.editions import (
    EditionLocked,
    EditionStatus,
    document_schema,
    edition_adopt,
    edition_compare,
    edition_document,
    edition_revise,
)
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.models import AuditEvent
from gonghui.insurance.models import PlanEdition, PlanEditionEvent
from gonghui.insurance.presets import edition_values, plans_ensure
from gonghui.insurance.services.editions import edition_create, edition_update
from gonghui.insurance.services.enrollment import enrollment_run
from gonghui.people.models import EmploymentCategory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change, message",
    [
        ({"default_shares": 3}, "默认份数"),
        ({"min_participation_rate": Decimal("1.5")}, "最低参保率"),
        ({"benefits": []}, "至少填写一项"),
        (
            {
                "benefits": [
                    {
                        "code": "x",
                        "name": "x",
                        "kind": "daily",
                        "bands": [
                            {"from_day": 1, "to_day": 10, "per_day": "40"},
                            {"from_day": 5, "to_day": None, "per_day": "40"},
                        ],
                    }
                ]
            },
            "不能重叠",
        ),
        ({"benefits": [{"code": "x", "name": "x", "kind": "other", "amount": "1"}]}, "给付方式"),
        (
            {"benefits": [{"code": "x", "name": "x", "kind": "lump_sum", "amount": "1", "note": "?"}]},
            "给付标准格式不符",
        ),
        ({"waiting_schedule": [{"share": "0"}]}, "from_day"),
        ({"waiting_schedule": [{"from_day": 1, "share": "0", "until": 30}]}, "等待期（分级）格式不符"),
        ({"eligible_genders": ["X"]}, "性别"),
        ({"required_documents": ["诊断证明", "诊断证明"]}, "重复"),
        ({"price_per_share": "abc"}, "每份保费"),
    ],
)
def test_bad_rule_values_are_refused_and_nothing_is_written(university, change, message):
    office = university.users["union_office"]
    values = {**edition_values("ZYJT", 2021), **change}
    with pytest.raises(ApplicationError, match=message):
        edition_create(actor=office, plan=plans_ensure()["ZYJT"], **values)
    assert PlanEdition.objects.count() == 0


def test_decimals_in_the_json_rules_are_kept_as_exact_text(university):
    office = university.users["union_office"]
    values = edition_values("ZYJT", 2021)
    values["waiting_schedule"] = [{"from_day": 1, "share": 0}, {"from_day": 31, "share": "1.00"}]
    values["benefits"] = [{**values["benefits"][0], "cap": 7200.5, "bands": [{"from_day": 4, "per_day": 40}]}]
    edition = edition_create(actor=office, plan=plans_ensure()["ZYJT"], **values)
    edition.refresh_from_db()
    assert edition.waiting_schedule == [{"from_day": 1, "share": "0"}, {"from_day": 31, "share": "1"}]
    assert edition.benefits[0]["cap"] == "7200.5"
    assert edition.benefits[0]["bands"] == [{"from_day": 4, "to_day": None, "per_day": "40"}]


def test_draft_revised_compared_adopted_and_frozen(university):
    office = university.users["union_office"]
    plan = plans_ensure()["NGTJ"]
    current = edition_adopt(
        actor=office,
        edition=edition_create(actor=office, plan=plan, **edition_values("NGTJ", 2021)),
        adopted_on=datetime.date(2021, 6, 1),
        resolution="校工会办公会议",
    )
    draft = edition_revise(actor=office, source=current, start_date="2022-07-01")
    draft = edition_update(actor=office, edition=draft, price_per_share=Decimal("30.00"))
    assert (draft.status, draft.based_on) == (EditionStatus.DRAFT, current)
    rows = {r.label: r for r in edition_compare(current, draft)}
    assert (rows["每份保费"].left, rows["每份保费"].right, rows["每份保费"].differs) == ("25.00", "30.00", True)
    assert rows["给付标准 #2 · amount"].differs is False
    assert [r.label for r in rows.values() if r.differs] == ["保障起始日", "每份保费"]
    adopted = edition_adopt(
        actor=office, edition=draft, adopted_on=datetime.date(2022, 6, 1), resolution="校工会办公会议"
    )
    with pytest.raises(ApplicationError, match="不能修改"):
        edition_update(actor=office, edition=adopted, price_per_share=Decimal("1.00"))
    with pytest.raises(EditionLocked, match="不能修改"):
        edition_adopt(actor=office, edition=adopted, adopted_on=datetime.date(2022, 6, 2), resolution="另一次会议")
    category = EmploymentCategory.objects.get_or_create(name="合同制")[0]
    with pytest.raises(EditionLocked), transaction.atomic():  # m2m writes join the caller's transaction
        adopted.eligible_categories.add(category)
    adopted.refresh_from_db()
    assert (adopted.price_per_share, adopted.adopted_on, adopted.resolution) == (
        Decimal("30.00"),
        datetime.date(2022, 6, 1),
        "校工会办公会议",
    )
    assert adopted.eligible_categories.count() == 0
    # one event for the adoption, with the act as its message
    assert list(PlanEditionEvent.objects.filter(subject=adopted).values_list("step", "to_state", "message")) == [
        ("adopt", "adopted", "校工会办公会议")
    ]


@pytest.mark.parametrize(
    "adopted_on, resolution, message",
    [(None, "校工会办公会议", "通过日期"), (datetime.date(2021, 6, 1), " ", "通过依据")],
)
def test_adoption_needs_the_date_and_the_act(university, adopted_on, resolution, message):
    office = university.users["union_office"]
    draft = edition_create(actor=office, plan=plans_ensure()["ZDJB"], **edition_values("ZDJB", 2021))
    audit_before = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition, match=message):
        edition_adopt(actor=office, edition=draft, adopted_on=adopted_on, resolution=resolution)
    draft.refresh_from_db()
    assert (draft.status, draft.adopted_on, draft.resolution) == (EditionStatus.DRAFT, None, "")
    assert PlanEditionEvent.objects.count() == 0 and AuditEvent.objects.count() == audit_before


def test_adopting_again_for_the_same_start_supersedes(university):
    office = university.users["union_office"]
    plan = plans_ensure()["ZDJB"]
    first = edition_adopt(
        actor=office,
        edition=edition_create(actor=office, plan=plan, **edition_values("ZDJB", 2021)),
        adopted_on=datetime.date(2021, 5, 1),
        resolution="第一次会议",
    )
    second = edition_adopt(
        actor=office,
        edition=edition_revise(actor=office, source=first),
        adopted_on=datetime.date(2021, 6, 1),
        resolution="第二次会议",
    )
    first.refresh_from_db()
    assert (first.status, second.status) == (EditionStatus.SUPERSEDED, EditionStatus.ADOPTED)
    superseded = PlanEditionEvent.objects.get(subject=first, step="supersede")
    assert (superseded.from_state, superseded.to_state, superseded.parameters) == (
        "adopted",
        "superseded",
        {"by": second.pk},
    )


def test_an_edition_people_are_insured_under_cannot_be_superseded(university):
    office = university.users["union_office"]
    plan = plans_ensure()["ZDJB"]
    first = edition_adopt(
        actor=office,
        edition=edition_create(actor=office, plan=plan, **edition_values("ZDJB", 2021)),
        adopted_on=datetime.date(2021, 5, 1),
        resolution="第一次会议",
    )
    enrollment_run(actor=office, edition=first)
    draft = edition_revise(actor=office, source=first)
    with pytest.raises(InvalidTransition, match="已有参保记录，不能被取代"):
        edition_adopt(actor=office, edition=draft, adopted_on=datetime.date(2021, 6, 1), resolution="第二次会议")
    first.refresh_from_db()
    draft.refresh_from_db()
    assert (first.status, draft.status) == (EditionStatus.ADOPTED, EditionStatus.DRAFT)
    assert PlanEditionEvent.objects.filter(step="supersede").count() == 0


def test_members_cannot_draft_or_adopt(university):
    office, member = university.users["union_office"], university.users["member"]
    with pytest.raises(PermissionDenied):
        edition_create(actor=member, plan=plans_ensure()["ZDJB"], **edition_values("ZDJB", 2021))
    assert PlanEdition.objects.count() == 0
    draft = edition_create(actor=office, plan=plans_ensure()["ZDJB"], **edition_values("ZDJB", 2021))
    with pytest.raises(PermissionDenied):
        edition_adopt(actor=member, edition=draft, adopted_on=datetime.date(2021, 6, 1), resolution="会议")
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT


def test_the_document_and_its_schema(university):
    office = university.users["union_office"]
    category = EmploymentCategory.objects.get_or_create(name="事业编制")[0]
    edition = edition_create(
        actor=office, plan=plans_ensure()["NGTJ"], categories=[category], **edition_values("NGTJ", 2021)
    )
    document = edition_document(edition)
    assert (document["kind"], document["module"], document["plan"]) == ("insurance.planedition", "insurance", "NGTJ")
    rules = document["rules"]
    assert (rules["start_date"], rules["price_per_share"], rules["min_participation_rate"]) == (
        "2021-07-01",
        "25.00",
        "0.8000",
    )
    assert rules["eligible_categories"] == ["事业编制"]
    assert rules["waiting_schedule"][1] == {"from_day": 31, "share": "1", "max_per_share": "500"}
    schema = document_schema(PlanEdition)["properties"]["rules"]["properties"]
    assert schema["benefits"]["items"]["required"] == ["code", "name", "kind"]
    assert schema["waiting_schedule"]["items"]["properties"]["from_day"] == {"type": "integer", "minimum": 1}


def test_rules_export_then_import_as_draft_compares_equal(university, tmp_path):
    office = university.users["union_office"]
    category = EmploymentCategory.objects.get_or_create(name="事业编制")[0]
    from gonghui.insurance.presets import editions_create

    editions_create(actor=office, year=2021)
    edition_create(
        actor=office,
        plan=plans_ensure()["NGTJ"],
        categories=[category],
        **{**edition_values("NGTJ", 2021), "name": "女工特疾 2021 草案"},
    )
    path = tmp_path / "insurance-2021.json"
    call_command("rules_export", "--module", "insurance", "--year", "2021", "--output", str(path), stdout=io.StringIO())
    documents = json.loads(path.read_text(encoding="utf-8"))
    assert len(documents) == 4  # the three adopted editions and the draft
    before = set(PlanEdition.objects.values_list("pk", flat=True))

    call_command("rules_import", str(path), stdout=io.StringIO())

    imported = list(PlanEdition.objects.exclude(pk__in=before).order_by("pk"))
    assert [e.status for e in imported] == [EditionStatus.DRAFT] * 4
    originals = list(PlanEdition.objects.filter(pk__in=before).order_by("pk"))
    for original, copy in zip(originals, imported, strict=True):
        rows = edition_compare(original, copy)
        assert [r.label for r in rows if r.differs] == []
        labels = {r.label for r in rows}  # every rule value, the JSON tables row by row
        assert {"保障起始日", "适用人员类别", "给付标准 #1 · code", "等待期（分级） #2 · share"} <= labels
        assert copy.plan_id == original.plan_id
    assert list(imported[3].eligible_categories.values_list("name", flat=True)) == ["事业编制"]


def test_rules_import_dry_run_writes_nothing_and_a_bad_document_is_refused(university, tmp_path):
    office = university.users["union_office"]
    from gonghui.insurance.presets import editions_create

    editions_create(actor=office, year=2021)
    path = tmp_path / "insurance.json"
    call_command("rules_export", "--module", "insurance", "--year", "2021", "--output", str(path), stdout=io.StringIO())
    count = PlanEdition.objects.count()
    call_command("rules_import", str(path), "--dry-run", stdout=io.StringIO())
    assert PlanEdition.objects.count() == count
    documents = json.loads(path.read_text(encoding="utf-8"))
    documents[1]["rules"]["benefits"][0]["kind"] = "monthly"
    path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="document 2"):
        call_command("rules_import", str(path), stdout=io.StringIO())
    assert PlanEdition.objects.count() == count

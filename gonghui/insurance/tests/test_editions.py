"""Plan editions: validation, drafts compared and adopted, adopted editions immutable."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError
from gonghui.insurance.choices import EditionStatus
from gonghui.insurance.models import PlanEdition
from gonghui.insurance.presets import edition_values, plans_ensure
from gonghui.insurance.selectors.editions import edition_compare
from gonghui.insurance.services.editions import edition_adopt, edition_create, edition_revise, edition_update

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
        ({"waiting_schedule": [{"share": "0"}]}, "from_day"),
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


def test_draft_revised_compared_adopted_and_frozen(university):
    office = university.users["union_office"]
    plan = plans_ensure()["NGTJ"]
    current = edition_adopt(
        actor=office,
        edition=edition_create(actor=office, plan=plan, **edition_values("NGTJ", 2021)),
        adopted_on=datetime.date(2021, 6, 1),
    )
    draft = edition_revise(actor=office, edition=current, start_date=datetime.date(2022, 7, 1))
    draft = edition_update(actor=office, edition=draft, price_per_share=Decimal("30.00"))
    assert (draft.status, draft.based_on) == (EditionStatus.DRAFT, current)
    rows = {r["field"]: r for r in edition_compare(left=current, right=draft)}
    assert rows["price_per_share"]["left"] == "25.00" and rows["price_per_share"]["right"] == "30.00"
    assert rows["price_per_share"]["differs"] is True
    assert rows["benefits"]["differs"] is False
    assert [r["field"] for r in rows.values() if r["differs"]] == ["start_date", "price_per_share"]
    adopted = edition_adopt(actor=office, edition=draft, adopted_on=datetime.date(2022, 6, 1), resolution="会议")
    with pytest.raises(ApplicationError, match="已采用"):
        edition_update(actor=office, edition=adopted, price_per_share=Decimal("1.00"))
    with pytest.raises(ApplicationError, match="已采用"):
        edition_adopt(actor=office, edition=adopted, adopted_on=datetime.date(2022, 6, 2))
    adopted.refresh_from_db()
    assert (adopted.price_per_share, adopted.adopted_on) == (Decimal("30.00"), datetime.date(2022, 6, 1))


def test_adopting_again_for_the_same_start_supersedes(university):
    office = university.users["union_office"]
    plan = plans_ensure()["ZDJB"]
    first = edition_adopt(
        actor=office,
        edition=edition_create(actor=office, plan=plan, **edition_values("ZDJB", 2021)),
        adopted_on=datetime.date(2021, 5, 1),
    )
    second = edition_adopt(
        actor=office, edition=edition_revise(actor=office, edition=first), adopted_on=datetime.date(2021, 6, 1)
    )
    first.refresh_from_db()
    assert (first.status, second.status) == (EditionStatus.SUPERSEDED, EditionStatus.ADOPTED)


def test_members_cannot_draft(university):
    with pytest.raises(PermissionDenied):
        edition_create(actor=university.users["member"], plan=plans_ensure()["ZDJB"], **edition_values("ZDJB", 2021))
    assert PlanEdition.objects.count() == 0

"""Children as admission sees them: whose they are to whom (the parent, the parent's
sub-union officer, the admissions officer; nobody else), and the stages ahead of each child
with the year they enter, by the 31 August cut-off and the year's rules."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.admissions.choices import Stage
from gonghui.admissions.models import AdmissionRules, ChildRecord, sees_children
from gonghui.admissions.stages import StageAges, upcoming
from gonghui.core.editions import EditionStatus
from gonghui.core.text import name_mask
from gonghui.people.models import Child, Person

PARENT, SUB_UNION, ADMISSIONS = "parent", "sub_union", "admissions"


def parent_relations(user, parent: Person | int) -> set[str]:
    """How `user` stands to a parent's children: "parent" (their own), "sub_union" (the
    officer of the parent's sub-union), "admissions" (the admissions officer). Empty for
    anyone else — another parent, another sub-union's officer, the rest of the union office,
    auditors and administrators."""
    access = get_access(user)
    if not access.is_authenticated:
        return set()
    if isinstance(parent, int):
        parent = Person.objects.only("pk", "sub_union_id").get(pk=parent)
    relations = set()
    if sees_children(access):
        relations.add(ADMISSIONS)
    if access.person_id and access.person_id == parent.pk:
        relations.add(PARENT)
    if Role.SUB_UNION_OFFICER in access.roles and parent.sub_union_id in access.sub_union_ids:
        relations.add(SUB_UNION)
    return relations


def visible_children(user) -> QuerySet[Child]:
    """The children `user` may see: their own, their sub-union's (an officer), or every
    child (the admissions officer)."""
    access = get_access(user)
    if not access.is_authenticated:
        return Child.objects.none()
    if sees_children(access):
        return Child.objects.all()
    condition = None
    from django.db.models import Q

    if access.person_id:
        condition = Q(parent_id=access.person_id)
    if Role.SUB_UNION_OFFICER in access.roles and access.sub_union_ids:
        officer = Q(parent__sub_union_id__in=access.sub_union_ids)
        condition = officer if condition is None else condition | officer
    return Child.objects.filter(condition) if condition is not None else Child.objects.none()


def child_label(child: Child) -> str:
    """A child's name as lists show it: masked (张*明)."""
    return name_mask(child.name)


def ages_for(year: int) -> StageAges:
    """The ages of the rules in force for `year` (or the latest adopted before it; the
    examples of DOMAIN §3.9 when there are none)."""
    rules = (
        AdmissionRules.objects.filter(status=EditionStatus.ADOPTED, year__lte=year).order_by("-year").first()
        or AdmissionRules.objects.filter(status=EditionStatus.ADOPTED).order_by("year").first()
    )
    return rules.ages() if rules is not None else StageAges()


@dataclass(frozen=True)
class StageAhead:
    stage: str
    year: int

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)


@dataclass(frozen=True)
class ChildStages:
    child: Child
    record: ChildRecord | None
    stages: tuple[StageAhead, ...]

    @property
    def masked_name(self) -> str:
        return child_label(self.child)


def children_stages(children, year: int) -> list[ChildStages]:
    ages = ages_for(year)
    records = {r.child_id: r for r in ChildRecord.objects.filter(child__in=[c.pk for c in children])}
    return [
        ChildStages(
            child=child,
            record=records.get(child.pk),
            stages=tuple(StageAhead(stage, entry) for stage, entry in upcoming(child.birth_date, year, ages)),
        )
        for child in children
    ]


def own_children_stages(user, year: int) -> list[ChildStages]:
    """The user's own children (as a parent), each with the stages still ahead from `year`
    and the year they enter each (nursery, primary, junior secondary)."""
    person_id = get_access(user).person_id
    if not person_id:
        return []
    return children_stages(list(Child.objects.filter(parent_id=person_id).order_by("birth_date", "pk")), year)


def parent_children_stages(user, parent: Person, year: int) -> list[ChildStages]:
    """A parent's children for their sub-union's officer or the admissions officer (the
    parent themselves too); nobody else sees any."""
    if not parent_relations(user, parent):
        return []
    return children_stages(list(Child.objects.filter(parent=parent).order_by("birth_date", "pk")), year)


def child_record_get(user, child: Child) -> ChildRecord | None:
    return ChildRecord.objects.restrict(user).filter(child=child).first()

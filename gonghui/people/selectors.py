"""Reads for people and organisation, always narrowed to what the acting user may see."""

import datetime

from django.db.models import Count, Exists, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from gonghui.core.models import AuditEvent
from gonghui.people.choices import EmploymentStatus, MembershipStatus, SubUnionKind
from gonghui.people.filters import PersonFilter
from gonghui.people.models import MembershipEvent, Person, SubUnion, UnionMembership


def person_list(*, user, filters: dict | None = None, id_number: str = "") -> QuerySet[Person]:
    """The people `user` may see, narrowed by the list's filters and, when given, by a 身份证号:
    matched exactly through its keyed digest (never stored or compared in clear; case and
    spaces do not matter). The number is never one of the `filters`, which come from URLs:
    callers take it from a POST body."""
    qs = Person.objects.restrict(user, "view").select_related("sub_union", "employment_category")
    qs = PersonFilter(filters or {}, queryset=qs).qs
    if id_number:
        from gonghui.core.crypto import keyed_digest
        from gonghui.people.idnumbers import id_number_normalise

        qs = qs.filter(id_number_digest=keyed_digest(id_number_normalise(id_number)))
    return qs


def person_get(*, user, pk: int) -> Person:
    return Person.objects.restrict(user, "view").select_related("sub_union", "employment_category").get(pk=pk)


def person_history(*, person: Person) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(person_id=person.pk).select_related("actor", "actor__person")


def membership_history(*, person: Person) -> QuerySet[UnionMembership]:
    return person.memberships.select_related("sub_union")


def _per_sub_union(rows: QuerySet) -> Coalesce:
    """How many of `rows` belong to each sub-union, as a correlated subquery: counted by an index
    lookup per sub-union, never by joining every person to the list (which grouped by the other
    counts and evaluated them once per person: 0.9 s for the retirees' 1,100)."""
    counted = rows.filter(sub_union=OuterRef("pk")).order_by().values("sub_union").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sub_union_list(*, user, include_merged: bool = False) -> QuerySet[SubUnion]:
    """The sub-unions `user` may see, with their people and current members counted; merged
    ones only when asked for."""
    people = Person._base_manager.all()
    qs = SubUnion.objects.restrict(user, "view")
    if not include_merged:
        qs = qs.current()
    return qs.select_related("parent", "merged_into").annotate(
        active_count=_per_sub_union(people.filter(employment_status=EmploymentStatus.ACTIVE)),
        retired_count=_per_sub_union(people.filter(employment_status=EmploymentStatus.RETIRED)),
        member_count=_per_sub_union(UnionMembership.objects.current()),
    )


def sub_union_history(*, sub_union: SubUnion) -> QuerySet[AuditEvent]:
    """Every change of the sub-union (created, renamed, kind or parent, merges), newest first."""
    return AuditEvent.objects.filter(object_type="people.subunion", object_id=str(sub_union.pk)).select_related(
        "actor", "actor__person"
    )


def sub_union_dashboard(*, user, sub_union: SubUnion) -> dict:
    """Counts by status and by category for a sub-union and its groups."""
    ids = SubUnion.objects.with_descendants({sub_union.pk})
    people = Person.objects.restrict(user, "view").filter(sub_union_id__in=ids)
    by_status = dict(
        people.values_list("employment_status").annotate(n=Count("pk")).values_list("employment_status", "n")
    )
    by_category = list(
        people.values("employment_category__name").annotate(n=Count("pk")).order_by("-n", "employment_category__name")
    )
    return {
        "total": sum(by_status.values()),
        "by_status": [(label, by_status.get(value, 0)) for value, label in EmploymentStatus.choices],
        "by_category": by_category,
        "groups": SubUnion.objects.current().filter(parent=sub_union).annotate(n=Count("people")),
        "members": UnionMembership.objects.current().filter(sub_union_id__in=ids).count(),
        "merged_from": SubUnion.objects.filter(merged_into=sub_union).order_by("ended_on", "name"),
        "history": sub_union_history(sub_union=sub_union)[:200],
    }


def memberships_on(*, user, day: datetime.date) -> QuerySet[UnionMembership]:
    """The memberships `user` may see that were in force at the end of `day`: joined on or
    before it, not ended by it (a spell ending on `day` is over, its transfer's next spell has
    begun), and confirmed by then: an application is not yet a membership, whether it waits
    still, was confirmed after `day`, or lapsed or ended without ever being confirmed."""
    after = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    unconfirmed = MembershipEvent.objects.filter(subject=OuterRef("pk"), from_state=MembershipStatus.APPLIED).filter(
        Q(at__gte=after) | ~Q(to_state=MembershipStatus.ACTIVE)
    )
    return (
        UnionMembership.objects.restrict(user, "view")
        .filter(joined_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .exclude(status=MembershipStatus.APPLIED)
        .filter(~Exists(unconfirmed))
    )


def _step_after(state: str, day: datetime.date) -> FilteredRelation:
    """A member's person's step out of `state` effective after `day` (at most one: a state is
    left once), as a join: `eligibility.status_on_condition`'s test without a subquery per row."""
    return FilteredRelation(
        "person__events",
        condition=Q(person__events__from_state=state, person__events__parameters__on__gt=day.isoformat())
        & ~Q(person__events__to_state=state),
    )


def year_end_figures(*, user, year: int) -> dict[str, int]:
    """The union on 31 December of `year`: its members (memberships in force, `memberships_on`)
    by the employment status they had that day (as `eligibility.status_on` tells it, so a
    member retired since counts as active then), and its sub-unions (colleges, offices and the
    retirees', not the union groups below them; a merged one until the day it was merged).
    Sub-unions carry no founding date: one set up after `year` counts too.

    Three aggregate queries, none with a subquery per row: the members; those whose person is
    not active today (statuses only move forward: whoever is active today was active then),
    joined to them alone, with their status that day (today's, unless it changed after the
    day: then retired when they left 'retired' after it and not 'active'); the sub-unions.
    Members are active or retired; one whose person had left or died by then while the
    membership ran on is neither."""
    day = datetime.date(year, 12, 31)
    ACTIVE, RETIRED = EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED
    members = memberships_on(user=user, day=day)
    total = members.count()
    unchanged = Q(person__status_changed_on__isnull=True) | Q(person__status_changed_on__lte=day)
    moved = (
        members.exclude(person__employment_status=ACTIVE)
        .annotate(left_active=_step_after(ACTIVE, day), left_retired=_step_after(RETIRED, day))
        .aggregate(
            # an OR at the top keeps the steps' joins outer (a member may have taken none)
            retired=Count(
                "pk",
                filter=(unchanged & Q(person__employment_status=RETIRED))
                | (~unchanged & Q(left_retired__isnull=False, left_active__isnull=True)),
            ),
            gone=Count(
                "pk",
                filter=unchanged & Q(person__employment_status__in=[EmploymentStatus.LEFT, EmploymentStatus.DECEASED]),
            ),
        )
    )
    sub_unions = (
        SubUnion.objects.restrict(user, "view")
        .exclude(kind=SubUnionKind.GROUP)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .count()
    )
    return {
        "total": total,
        "active": total - moved["retired"] - moved["gone"],
        "retired": moved["retired"],
        "sub_unions": sub_unions,
    }


def roster_imports(*, pending: bool = False) -> QuerySet:
    """The roster imports, latest first; with `pending`, those read and waiting for someone
    to confirm them (not expired). The import page is the office's alone (people.import_roster)."""
    from django.utils import timezone

    from gonghui.core.models import ImportPreview, ImportStatus
    from gonghui.people.roster.services import ROSTER_KIND

    qs = ImportPreview.objects.filter(kind=ROSTER_KIND).select_related("created_by", "job")
    if pending:
        qs = qs.filter(status=ImportStatus.PENDING, expires_at__gt=timezone.now())
    return qs

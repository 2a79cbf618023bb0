"""The mentorship lists a user may read, each from the model's scoped queryset (`restrict`):
cohorts (announced ones to everyone signed in, drafts to the office), pairs (the pair itself,
its college's officer, the office and auditors), a cohort's candidates and a pair's duties.
Pages and the API read the same rows."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gonghui.accounts.access import get_access
from gonghui.core.selector_kit import filters_apply
from gonghui.mentorship.choices import LIVE_PAIR_STATUSES, CohortStatus, DutyStatus, PairStatus
from gonghui.mentorship.models import Candidate, Cohort, DutyLog, MatchingRun, Pair
from gonghui.people.models import Person

PAIR_FILTERS = {"cohort": "cohort_id", "college": "college_id", "status": "status"}


def cohort_list(user, filters: dict | None = None) -> QuerySet[Cohort]:
    """The cohorts the user may see, newest first, each with its live pairs counted
    (`live_pairs`, among the pairs the user may see)."""
    visible = Pair.objects.restrict(user).filter(status__in=LIVE_PAIR_STATUSES).values("pk")
    cohorts = (
        Cohort.objects.restrict(user)
        .select_related("rules")
        .annotate(live_pairs=Count("pairs", filter=Q(pairs__in=visible), distinct=True))
    )
    return filters_apply(cohorts, filters or {}, {"status": "status"}).order_by("-number")


def cohort_get(user, pk) -> Cohort | None:
    """A cohort the user may see, or None."""
    return Cohort.objects.restrict(user).select_related("rules").filter(pk=pk).first()


def pair_list(user, filters: dict | None = None) -> QuerySet[Pair]:
    """The pairs the user may see, by cohort (newest first), college and mentee; optional
    filters: cohort, college (a sub-union's id), status."""
    pairs = Pair.objects.restrict(user).select_related("cohort", "mentor", "mentee", "college")
    return filters_apply(pairs, filters or {}, PAIR_FILTERS).order_by(
        "-cohort__number", "college__code", "mentee__staff_no", "pk"
    )


def pair_get(user, pk) -> Pair | None:
    return (
        Pair.objects.restrict(user)
        .select_related("cohort__rules", "mentor", "mentee", "college", "previous")
        .filter(pk=pk)
        .first()
    )


def own_pair_get(user, pk) -> Pair | None:
    """A pair whose mentor or mentee the user is (the pairs that log duties), or None."""
    person_id = get_access(user).person_id
    if not person_id:
        return None
    return Pair.objects.restrict(user).filter(Q(mentor_id=person_id) | Q(mentee_id=person_id), pk=pk).first()


def pair_duties(user, pair: Pair) -> QuerySet[DutyLog]:
    """The pair's duties (newest first) as the user may see them."""
    return DutyLog.objects.restrict(user).filter(pair=pair).select_related("pair", "logged_by")


def duty_get(user, pk, action: str = "view") -> DutyLog | None:
    return DutyLog.objects.restrict(user, action).select_related("pair", "logged_by").filter(pk=pk).first()


def duties_waiting(user) -> QuerySet[DutyLog]:
    """Logged duties waiting for the college's confirmation, among those the user may change."""
    return DutyLog.objects.restrict(user, "change").filter(status=DutyStatus.LOGGED)


def side_people(cohort: Cohort, side: str, *, exclude: int | None = None) -> QuerySet[Person]:
    """The teachers named on one side of a cohort's pool, by college and staff number (the
    pickers of mentors and mentees)."""
    people = Person.objects.filter(pk__in=Candidate.objects.filter(cohort=cohort, side=side).values("person_id"))
    if exclude is not None:
        people = people.exclude(pk=exclude)
    return people.select_related("sub_union", "teacher_profile").order_by("sub_union__code", "staff_no")


def own_pairs(user) -> QuerySet[Pair]:
    """The pairs the user is in, as mentor or as mentee (withdrawn proposals left out)."""
    person_id = get_access(user).person_id
    if not person_id:
        return Pair.objects.none()
    return (
        Pair.objects.restrict(user)
        .filter(Q(mentor_id=person_id) | Q(mentee_id=person_id))
        .exclude(status=PairStatus.WITHDRAWN)
        .select_related("cohort__rules", "mentor", "mentee", "college", "previous")
        .order_by("-cohort__number", "-pk")
    )


def own_candidacies(user) -> QuerySet[Candidate]:
    """The user's own places in a pool (双向选择) of cohorts being matched."""
    person_id = get_access(user).person_id
    if not person_id:
        return Candidate.objects.none()
    return (
        Candidate.objects.restrict(user)
        .filter(person_id=person_id, cohort__status=CohortStatus.MATCHING)
        .select_related("cohort", "person")
    )


def candidate_list(user, cohort: Cohort, filters: dict | None = None) -> QuerySet[Candidate]:
    candidates = Candidate.objects.restrict(user).filter(cohort=cohort).select_related("person", "college")
    return filters_apply(candidates, filters or {}, {"side": "side"}).order_by(
        "side", "college__code", "person__staff_no"
    )


def matching_run_get(user, pk) -> MatchingRun | None:
    return MatchingRun.objects.restrict(user).select_related("cohort").filter(pk=pk).first()

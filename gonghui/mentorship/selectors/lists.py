"""The mentorship lists a user may read, each from the model's scoped queryset (`restrict`):
cohorts (announced ones to everyone signed in, drafts to the office), pairs (the pair itself,
its college's officer, the office and auditors), a cohort's candidates and a pair's duties.
Pages and the API read the same rows."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gonghui.core.selector_kit import filters_apply
from gonghui.mentorship.choices import LIVE_PAIR_STATUSES, DutyStatus
from gonghui.mentorship.models import Candidate, Cohort, DutyLog, MatchingRun, Pair

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
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return None
    return Pair.objects.filter(Q(mentor_id=person_id) | Q(mentee_id=person_id), pk=pk).first()


def pair_duties(user, pair: Pair) -> QuerySet[DutyLog]:
    """The pair's duties (newest first) as the user may see them."""
    return DutyLog.objects.restrict(user).filter(pair=pair).select_related("pair", "logged_by")


def duty_counts(pair_ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """pair id → kind → (confirmed, pending), for a page of pairs in one grouped query."""
    if not pair_ids:
        return {}
    rows = (
        DutyLog.objects.filter(pair_id__in=pair_ids)
        .order_by()
        .values("pair_id", "kind")
        .annotate(
            confirmed=Count("pk", filter=Q(status=DutyStatus.CONFIRMED)),
            pending=Count("pk", filter=Q(status=DutyStatus.LOGGED)),
        )
    )
    result: dict[int, dict[str, tuple[int, int]]] = {}
    for row in rows:
        result.setdefault(row["pair_id"], {})[row["kind"]] = (row["confirmed"], row["pending"])
    return result


def duty_get(user, pk, action: str = "view") -> DutyLog | None:
    return DutyLog.objects.restrict(user, action).select_related("pair", "logged_by").filter(pk=pk).first()


def duties_waiting(user) -> QuerySet[DutyLog]:
    """Logged duties waiting for the college's confirmation, among those the user may change."""
    return DutyLog.objects.restrict(user, "change").filter(status=DutyStatus.LOGGED)


def candidate_list(user, cohort: Cohort, filters: dict | None = None) -> QuerySet[Candidate]:
    candidates = Candidate.objects.restrict(user).filter(cohort=cohort).select_related("person", "college")
    return filters_apply(candidates, filters or {}, {"side": "side"}).order_by(
        "side", "college__code", "person__staff_no"
    )


def matching_run_get(user, pk) -> MatchingRun | None:
    return MatchingRun.objects.restrict(user).select_related("cohort").filter(pk=pk).first()

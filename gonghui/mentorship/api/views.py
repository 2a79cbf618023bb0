"""The mentorship API: the same services and scoped selectors as the pages.

Reads:
- GET /api/mentorship/cohorts/?status= — the cohorts the caller may see (announced ones to
  everyone signed in, drafts to the office), each with its live pairs among those the caller sees;
- GET /api/mentorship/cohorts/<id>/ — a cohort: its cycle, rules' requirements, a summary of
  the pairs the caller sees (by status, duties confirmed and pending) and `next_steps`;
- GET /api/mentorship/cohorts/<id>/candidates/?side= — the cohort's candidates (a college's
  officer their college's; the office and auditors all);
- GET /api/mentorship/pairs/?cohort=&college=&status= — the pairs the caller may see (the
  mentor and the mentee theirs, a college's officer the college's), with their duty counts;
- GET /api/mentorship/pairs/<id>/ — a pair: its counters for each cycle year against the
  requirements, its duties (each with its next steps) and the pair's `next_steps`;
- GET /api/mentorship/matchings/<id>/ — a matching run: the proposal with each pair's reasons,
  the unmatched with why (the office and auditors).

Writes:
- POST /api/mentorship/pairs/<id>/duties/ {"kind", "held_on", "course", "hours", "note"} — the
  mentor or the mentee logs a duty from a phone (404 to anyone else);
- POST /api/mentorship/duties/<id>/confirm/ and .../return/ {"reason"} — the college's officer
  (or the office) confirms a logged duty or returns it (404 for another college's);
- POST /api/mentorship/cohorts/<id>/matchings/ {"method"} — the office computes a matching of
  the cohort's unpaired candidates (nobody eligible is a run with no pairs, not an error).

Refusals are 400 {"message", "extra"} and write nothing."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core.api import HasRolePermission, PageParams, Pagination, body_values, next_steps, query_values
from gonghui.mentorship.api import serializers as s
from gonghui.mentorship.choices import (
    LIVE_PAIR_STATUSES,
    DutyKind,
    DutyStatus,
    MatchMethod,
    PairSource,
    PairStatus,
    Side,
)
from gonghui.mentorship.models import Cohort, DutyLog, MatchingRun, Pair
from gonghui.mentorship.selectors import lists
from gonghui.mentorship.selectors.counters import duty_counts, pair_counters
from gonghui.mentorship.services.duties import duty_confirm, duty_log, duty_return
from gonghui.mentorship.services.matching import matching_run
from gonghui.mentorship.workflow import CohortWorkflow, DutyLogWorkflow, MatchingRunWorkflow, PairWorkflow
from gonghui.people.models import Person

# the URL's <int:pk> appears as {id} in the schema (SCHEMA_COERCE_PATH_PK)
COHORT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the cohort's id")
PAIR_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the pair's id")
DUTY_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the duty's id")
RUN_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the matching run's id")


def _found(obj):
    if obj is None:
        raise Http404
    return obj


def person_data(person: Person) -> dict:
    return {"id": person.pk, "staff_no": person.staff_no, "name": person.name}


def cohort_link(cohort: Cohort) -> dict:
    return {"id": cohort.pk, "number": cohort.number, "name": cohort.name}


# --- cohorts ------------------------------------------------------------------------------------


def cohort_row(cohort: Cohort, live_pairs: int) -> dict:
    return {
        **cohort_link(cohort),
        "status": cohort.status,
        "status_display": str(cohort.get_status_display()),
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "ceremony_on": cohort.ceremony_on,
        "ceremony_place": cohort.ceremony_place,
        "proposals_close": cohort.proposals_close,
        "rules": cohort.rules.name,
        "pairs_recorded": cohort.pairs_recorded,
        "live_pairs": live_pairs,
    }


def cohort_summary(user, cohort: Cohort) -> dict:
    """The pairs of the cohort the caller sees: how many, by status, and their duties by kind."""
    pairs = Pair.objects.restrict(user).filter(cohort=cohort)
    by_status = dict(pairs.order_by().values_list("status").annotate(n=Count("pk")))
    duties = {
        row["kind"]: row
        for row in DutyLog.objects.filter(pair__in=pairs.values("pk"))
        .order_by()
        .values("kind")
        .annotate(
            confirmed=Count("pk", filter=Q(status=DutyStatus.CONFIRMED)),
            pending=Count("pk", filter=Q(status=DutyStatus.LOGGED)),
        )
    }
    return {
        "pairs": sum(by_status.values()),
        "by_status": [
            {"status": status.value, "label": str(status.label), "count": by_status[status.value]}
            for status in PairStatus
            if by_status.get(status.value)
        ],
        "duties": [
            {
                "kind": kind.value,
                "label": str(kind.label),
                "confirmed": duties.get(kind.value, {}).get("confirmed", 0),
                "pending": duties.get(kind.value, {}).get("pending", 0),
            }
            for kind in DutyKind
        ],
    }


class CohortListApi(APIView):
    """The cohorts the caller may see, newest first."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="mentorship_cohort_list",
        parameters=[s.MentorshipCohortFilters, PageParams],
        responses=s.MentorshipCohortPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.MentorshipCohortFilters)
        paginator = Pagination()
        page = paginator.paginate_queryset(lists.cohort_list(request.user, filters), request, view=self) or []
        rows = [cohort_row(c, c.live_pairs) for c in page]  # type: ignore[attr-defined]
        return paginator.get_paginated_response([s.MentorshipCohortRowOut(row).data for row in rows])


class CohortDetailApi(APIView):
    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="mentorship_cohort_detail", parameters=[COHORT_ID], responses=s.MentorshipCohortDetailOut
    )
    def get(self, request, pk):
        cohort = _found(lists.cohort_get(request.user, pk))
        summary = cohort_summary(request.user, cohort)
        live = sum(row["count"] for row in summary["by_status"] if row["status"] in LIVE_PAIR_STATUSES)
        requirements = cohort.rules.requirements()
        data = {
            **cohort_row(cohort, live),
            "cycle_years": len(cohort.year_bounds()),
            "requirements": [
                {"kind": kind.value, "label": str(kind.label), "per_year": requirements[kind]} for kind in DutyKind
            ],
            "summary": summary,
            "note": cohort.note,
            "next_steps": next_steps(CohortWorkflow, cohort, request.user),
        }
        return Response(s.MentorshipCohortDetailOut(data).data)


class CandidateListApi(APIView):
    """The cohort's candidates the caller may see (a college's officer the college's)."""

    permission_classes = [HasRolePermission]
    permission_required = "mentorship.view_candidate"

    @extend_schema(
        operation_id="mentorship_candidate_list",
        parameters=[COHORT_ID, s.MentorshipCandidateFilters, PageParams],
        responses=s.MentorshipCandidatePageOut,
    )
    def get(self, request, pk):
        cohort = _found(lists.cohort_get(request.user, pk))
        filters = query_values(request, s.MentorshipCandidateFilters)
        paginator = Pagination()
        page = paginator.paginate_queryset(lists.candidate_list(request.user, cohort, filters), request, view=self)
        rows = [
            {
                "id": c.pk,
                "person": person_data(c.person),
                "side": c.side,
                "side_display": str(c.get_side_display()),
                "college": c.college.name,
                "ranking": [int(x) for x in c.ranking or []],
                "ranked_at": c.ranked_at,
            }
            for c in page or []
        ]
        return paginator.get_paginated_response([s.MentorshipCandidateOut(row).data for row in rows])


# --- pairs --------------------------------------------------------------------------------------


def pair_row(pair: Pair, counts: dict[str, tuple[int, int]]) -> dict:
    return {
        "id": pair.pk,
        "cohort": cohort_link(pair.cohort),
        "mentor": person_data(pair.mentor),
        "mentee": person_data(pair.mentee),
        "college": pair.college.name,
        "college_id": pair.college_id,
        "status": pair.status,
        "status_display": str(pair.get_status_display()),
        "source": pair.source,
        "source_display": str(PairSource(pair.source).label),
        "agreement_signed_on": pair.agreement_signed_on,
        "started_on": pair.started_on,
        "ended_on": pair.ended_on,
        "duties": {
            kind: {"confirmed": confirmed, "pending": pending} for kind, (confirmed, pending) in sorted(counts.items())
        },
    }


def duty_data(duty: DutyLog, user) -> dict:
    return {
        "id": duty.pk,
        "pair": duty.pair_id,
        "kind": duty.kind,
        "kind_display": str(duty.get_kind_display()),
        "held_on": duty.held_on,
        "course": duty.course,
        "hours": str(duty.hours),
        "note": duty.note,
        "has_photo": duty.photo_id is not None,
        "logged_by": person_data(duty.logged_by),
        "status": duty.status,
        "status_display": str(duty.get_status_display()),
        "confirmed_at": duty.confirmed_at,
        "next_steps": next_steps(DutyLogWorkflow, duty, user),
    }


class PairListApi(APIView):
    """The pairs the caller may see, with each pair's confirmed and pending duties by kind."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="mentorship_pair_list",
        parameters=[s.MentorshipPairFilters, PageParams],
        responses=s.MentorshipPairPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.MentorshipPairFilters)
        paginator = Pagination()
        page: list[Pair] = paginator.paginate_queryset(lists.pair_list(request.user, filters), request, view=self) or []
        counts = duty_counts([p.pk for p in page])
        rows = [pair_row(p, counts.get(p.pk, {})) for p in page]
        return paginator.get_paginated_response([s.MentorshipPairRowOut(row).data for row in rows])


class PairDetailApi(APIView):
    permission_classes = [HasRolePermission]

    @extend_schema(operation_id="mentorship_pair_detail", parameters=[PAIR_ID], responses=s.MentorshipPairDetailOut)
    def get(self, request, pk):
        pair = _found(lists.pair_get(request.user, pk))
        duties = list(lists.pair_duties(request.user, pair))
        counts: dict[str, list[int]] = {}
        for duty in duties:
            tally = counts.setdefault(duty.kind, [0, 0])
            if duty.status == DutyStatus.CONFIRMED:
                tally[0] += 1
            elif duty.status == DutyStatus.LOGGED:
                tally[1] += 1
        years = [
            {
                "index": year.index,
                "starts_on": year.starts_on,
                "ends_on": year.ends_on,
                "done": year.done,
                "counters": [
                    {
                        "kind": c.kind,
                        "label": c.label,
                        "required": c.required,
                        "confirmed": c.confirmed,
                        "pending": c.pending,
                        "missing": c.missing,
                        "done": c.done,
                    }
                    for c in year.counters
                ],
            }
            for year in pair_counters(pair)
        ]
        data = {
            **pair_row(pair, {kind: (t[0], t[1]) for kind, t in counts.items()}),
            "reasons": [str(r) for r in pair.reasons or []],
            "plan": pair.plan,
            "has_agreement": pair.agreement_id is not None,
            "previous": pair.previous_id,
            "carried_days": pair.carried_days,
            "extended_until": pair.extended_until,
            "years": years,
            "duty_log": [duty_data(d, request.user) for d in duties],
            "next_steps": next_steps(PairWorkflow, pair, request.user),
        }
        return Response(s.MentorshipPairDetailOut(data).data)


# --- duties -------------------------------------------------------------------------------------


class DutyLogApi(APIView):
    """The pair's mentor or mentee logs a duty (404 to anyone else)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="mentorship_duty_log",
        parameters=[PAIR_ID],
        request=s.MentorshipDutyInput,
        responses={201: s.MentorshipDutyOut},
    )
    def post(self, request, pk):
        pair = _found(lists.own_pair_get(request.user, pk))
        data = body_values(request, s.MentorshipDutyInput)
        duty = duty_log(
            actor=request.user,
            pair=pair,
            kind=data["kind"],
            held_on=data["held_on"],
            course=data["course"],
            hours=data["hours"],
            note=data.get("note", ""),
        )
        duty = _found(lists.duty_get(request.user, duty.pk))
        return Response(s.MentorshipDutyOut(duty_data(duty, request.user)).data, 201)


class DutyConfirmApi(APIView):
    """The college's officer (or the office) confirms a logged duty."""

    permission_classes = [HasRolePermission]
    permission_required = "mentorship.change_dutylog"

    @extend_schema(
        operation_id="mentorship_duty_confirm", parameters=[DUTY_ID], request=None, responses=s.MentorshipDutyOut
    )
    def post(self, request, pk):
        duty = _found(lists.duty_get(request.user, pk, "change"))
        duty = duty_confirm(actor=request.user, duty=duty)
        return Response(s.MentorshipDutyOut(duty_data(duty, request.user)).data)


class DutyReturnApi(APIView):
    """The college's officer (or the office) returns a logged duty with a reason."""

    permission_classes = [HasRolePermission]
    permission_required = "mentorship.change_dutylog"

    @extend_schema(
        operation_id="mentorship_duty_return",
        parameters=[DUTY_ID],
        request=s.MentorshipReturnInput,
        responses=s.MentorshipDutyOut,
    )
    def post(self, request, pk):
        duty = _found(lists.duty_get(request.user, pk, "change"))
        data = body_values(request, s.MentorshipReturnInput)
        duty = duty_return(actor=request.user, duty=duty, reason=data["reason"])
        return Response(s.MentorshipDutyOut(duty_data(duty, request.user)).data)


# --- matching -----------------------------------------------------------------------------------


def matching_data(run: MatchingRun, user) -> dict:
    ids = {row["mentee"] for row in run.proposal} | {row["mentor"] for row in run.proposal}
    ids |= {row["person"] for row in run.unmatched}
    people = Person.objects.in_bulk(ids)

    def who(pk: int) -> dict:
        person = people.get(pk)
        return person_data(person) if person else {"id": pk, "staff_no": "", "name": ""}

    summary = run.summary or {}
    return {
        "id": run.pk,
        "cohort": cohort_link(run.cohort),
        "method": run.method,
        "method_display": str(MatchMethod(run.method).label),
        "status": run.status,
        "status_display": str(run.get_status_display()),
        "created_at": run.created_at,
        "summary": {
            "mentees": summary.get("mentees", 0),
            "mentors": summary.get("mentors", 0),
            "excluded": summary.get("excluded", 0),
            "pairs": summary.get("pairs", len(run.proposal)),
            "total_cost": summary.get("total_cost"),
            "edited": bool(summary.get("edited")),
        },
        "proposal": [
            {
                "mentee": who(row["mentee"]),
                "mentor": who(row["mentor"]),
                "cost": row.get("cost"),
                "reasons": [str(r) for r in row.get("reasons", [])],
            }
            for row in run.proposal
        ],
        "unmatched": [
            {
                "person": who(row["person"]),
                "side": row["side"] if row["side"] in Side.values else "",
                "reasons": [str(r) for r in row.get("reasons", [])],
            }
            for row in run.unmatched
        ],
        "next_steps": next_steps(MatchingRunWorkflow, run, user),
    }


class MatchingRunApi(APIView):
    """The office computes a matching for the cohort's unpaired candidates."""

    permission_classes = [HasRolePermission]
    permission_required = "mentorship.manage_cohort"

    @extend_schema(
        operation_id="mentorship_matching_run",
        parameters=[COHORT_ID],
        request=s.MentorshipMatchingInput,
        responses={201: s.MentorshipMatchingOut},
    )
    def post(self, request, pk):
        cohort = _found(lists.cohort_get(request.user, pk))
        data = body_values(request, s.MentorshipMatchingInput)
        run = matching_run(actor=request.user, cohort=cohort, method=data["method"])
        return Response(s.MentorshipMatchingOut(matching_data(run, request.user)).data, 201)


class MatchingDetailApi(APIView):
    """A matching run: the proposal with each pair's reasons, and the unmatched with why."""

    permission_classes = [HasRolePermission]
    permission_required = "mentorship.view_matchingrun"

    @extend_schema(operation_id="mentorship_matching_detail", parameters=[RUN_ID], responses=s.MentorshipMatchingOut)
    def get(self, request, pk):
        run = _found(lists.matching_run_get(request.user, pk))
        return Response(s.MentorshipMatchingOut(matching_data(run, request.user)).data)

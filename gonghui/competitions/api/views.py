"""The teaching competition's API: the same services and scoped querysets as the pages.

Reads:
- GET /api/competitions/editions/?level=&year=&status= — the editions the caller may see
  (announced ones to everyone signed in; drafts to the office);
- GET /api/competitions/editions/<id>/ — an edition: its rules, groups, parts, prizes, dates,
  the draw's seed, and what the caller may do next (`next_steps`);
- GET /api/competitions/editions/<id>/entries/ — the edition's entries the caller may see (a
  contestant and their coach theirs, a college's officer the college's, a judge their group's,
  the office all); the final score and rank only to the office and auditors, and to the
  contestant once released;
- GET /api/competitions/editions/<id>/results/ — the full ranking with every part's raw, kept
  and dropped scores, means and finals, for the office and auditors (403 to anyone else);
- GET /api/competitions/mine/ — the caller's own entries, with their own scores once released;
- GET /api/competitions/judge/queue/ — the caller's judgeships: the parts with their criteria,
  the entries in order of appearance and each sheet's state.

Writes:
- PUT /api/competitions/judge/<judge id>/entries/<entry id>/sheet/ {"scores": {"design":
  "18.5", …}, "submit": false} — a judge's sheet: saved as typed, the same PUT twice gives the
  same state (a phone that lost its connection sends it again); "submit": true also submits
  it (every part scored; final). 404 to anyone but that judge, for an entry outside their group;
- POST /api/competitions/editions/<id>/nominate/ {"staff_no", "group", "teaching_post",
  "course", "coach_staff_no"} — a college's officer or the office nominates a teacher.

Refusals are 400 {"message", "extra"} and write nothing (a nomination's reasons are in
extra.reasons)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.accounts.access import get_access
from gonghui.competitions.api import serializers as s
from gonghui.competitions.choices import CompetitionStatus, EntryStatus, SheetStatus
from gonghui.competitions.models import (
    FINAL_STATUSES,
    Award,
    Certificate,
    Competition,
    CompetitionRules,
    Entry,
    Judge,
    PartScore,
    ScoreSheet,
    ScoringPart,
)
from gonghui.competitions.scoring import EntryResult, Method, PartResult, PartWeight, entry_result
from gonghui.competitions.selectors.entries import entry_list
from gonghui.competitions.selectors.judging import judge_queue, judgeships
from gonghui.competitions.selectors.results import competition_results
from gonghui.competitions.services.draw import DRAW_ALGORITHM
from gonghui.competitions.services.entries import entry_nominate
from gonghui.competitions.services.judging import sheet_save, sheet_submit
from gonghui.competitions.workflow import CompetitionWorkflow, EntryWorkflow
from gonghui.core.api import HasRolePermission, PageParams, Pagination, body_values, next_steps, query_values
from gonghui.core.exceptions import ApplicationError

# the URL's <int:pk> appears as {id} in the schema (SCHEMA_COERCE_PATH_PK)
EDITION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the edition's id")
JUDGE_ID = OpenApiParameter("judge_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the judgeship's id")
ENTRY_ID = OpenApiParameter("entry_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the entry's id")


def _text(value) -> str | None:
    return None if value is None else str(value)


def _final(value: Decimal | None, rules: CompetitionRules | None) -> str | None:
    """A stored final score as the rules round it ("92.88", not the column's "92.880")."""
    if value is None or rules is None:
        return _text(value)
    return str(value.quantize(Decimal(1).scaleb(-rules.places)))


def _edition(user, pk) -> Competition:
    """An edition the caller may see (404 otherwise)."""
    competition = Competition.objects.restrict(user).select_related("rules", "college", "feeds_into").filter(pk=pk)
    found = competition.first()
    if found is None:
        raise Http404
    return found


def reads_scores(user) -> bool:
    """The competition office and auditors read every score (raw, trimmed, final)."""
    return get_access(user).reads_everything and user.has_perm("competitions.view_scoresheet")


# --- editions -----------------------------------------------------------------------------------


def edition_row(c: Competition) -> dict:
    return {
        "id": c.pk,
        "level": c.level,
        "level_display": str(c.get_level_display()),
        "number": c.number,
        "year": c.year,
        "title": c.title,
        "organiser": c.organiser,
        "college": c.college.name if c.college_id else None,
        "status": c.status,
        "status_display": str(c.get_status_display()),
        "hosted": c.hosted,
        "entered": c.entered,
        "held_on": c.held_on,
        "nominations_close": c.nominations_close,
        "materials_due": c.materials_due,
        "released_at": c.released_at,
        "entries": c.entry_count,  # type: ignore[attr-defined]
    }


def _with_entry_count(queryset):
    return queryset.annotate(entry_count=Count("entries", filter=~Q(entries__status=EntryStatus.WITHDRAWN)))


def rules_data(rules: CompetitionRules) -> dict:
    return {
        "id": rules.pk,
        "name": rules.name,
        "adopted_on": rules.adopted_on,
        "resolution": rules.resolution,
        "born_on_or_after": rules.born_on_or_after,
        "member_required": rules.member_required,
        "eligible_posts": list(rules.eligible_posts or []),
        "past_winner_rule": rules.past_winner_rule,
        "quota_per": rules.quota_per,
        "quota_bonus": rules.quota_bonus,
        "lesson_plans_required": rules.lesson_plans_required,
        "lesson_minutes": rules.lesson_minutes,
        "trim_highest": rules.trim_highest,
        "trim_lowest": rules.trim_lowest,
        "trim_min_scores": rules.trim_min_scores,
        "places": rules.places,
        "rounding": rules.rounding,
        "tie_break": list(rules.tie_break or []),
        "judges_per_group": rules.judges_per_group,
    }


def part_data(p: ScoringPart) -> dict:
    return {"code": p.code, "label": p.label, "weight": p.weight, "full_marks": p.full_marks, "criteria": p.criteria}


class EditionListApi(APIView):
    """The editions the caller may see, newest first."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="competitions_edition_list", parameters=[s.EditionFilters, PageParams], responses=s.EditionPageOut
    )
    def get(self, request):
        filters = query_values(request, s.EditionFilters)
        editions = _with_entry_count(Competition.objects.restrict(request.user).select_related("college"))
        for name in ("level", "year", "status"):
            if filters.get(name) not in (None, ""):
                editions = editions.filter(**{name: filters[name]})
        paginator = Pagination()
        page: list[Competition] = (
            paginator.paginate_queryset(editions.order_by("-year", "-pk"), request, view=self) or []
        )
        return paginator.get_paginated_response([s.EditionRowOut(edition_row(c)).data for c in page])


class EditionDetailApi(APIView):
    permission_classes = [HasRolePermission]

    @extend_schema(operation_id="competitions_edition_detail", parameters=[EDITION_ID], responses=s.EditionDetailOut)
    def get(self, request, pk):
        competition = _edition(request.user, pk)
        competition.entry_count = competition.entries.exclude(status=EntryStatus.WITHDRAWN).count()  # type: ignore[attr-defined]
        rules = competition.rules
        feeds_into = competition.feeds_into
        if feeds_into is not None and not Competition.objects.restrict(request.user).filter(pk=feeds_into.pk).exists():
            feeds_into = None  # the next level's edition is not announced yet
        data = {
            **edition_row(competition),
            "rules": rules_data(rules) if rules else None,
            "groups": [
                {"id": g.pk, "code": g.code, "label": str(g), "discipline": g.discipline, "tier": g.tier}
                for g in (rules.groups.all() if rules else [])
            ],
            "parts": [part_data(p) for p in (rules.parts.all() if rules else [])],
            "prizes": [
                {"code": p.code, "label": p.label, "count": p.count, "share": p.share}
                for p in (rules.prizes.all() if rules else [])
            ],
            "specials": [
                {"code": x.code, "label": x.label, "kind": x.kind, "basis": x.basis, "part_code": x.part_code}
                for x in (rules.specials.all() if rules else [])
            ],
            "publicity_days": competition.publicity_days,
            "nominations_opened_at": competition.nominations_opened_at,
            "drawn_at": competition.drawn_at,
            "scoring_opened_at": competition.scoring_opened_at,
            "scored_at": competition.scored_at,
            "publicity_started_at": competition.publicity_started_at,
            "publicity_until": competition.publicity_until,
            "seed": competition.seed,
            "draw_algorithm": DRAW_ALGORITHM if competition.drawn_at else None,
            "feeds_into": {"id": feeds_into.pk, "title": feeds_into.title} if feeds_into else None,
            "participants_recorded": competition.participants_recorded,
            "note": competition.note,
            "next_steps": next_steps(CompetitionWorkflow, competition, request.user),
        }
        return Response(s.EditionDetailOut(data).data)


# --- entries ------------------------------------------------------------------------------------


def entry_row(entry: Entry, *, rules: CompetitionRules | None, scores: bool, awards=None) -> dict:
    """An entry as a list shows it; `scores`: whether the caller reads its final score."""
    return {
        "id": entry.pk,
        "staff_no": entry.person.staff_no,
        "name": entry.person.name,
        "college": entry.college.name,
        "group": entry.group.code,
        "group_label": str(entry.group),
        "coach": entry.coach.name if entry.coach_id else None,
        "course": entry.course,
        "teaching_post": entry.teaching_post,
        "teaching_post_display": str(entry.get_teaching_post_display()),
        "status": entry.status,
        "status_display": str(entry.get_status_display()),
        "appearance": entry.appearance,
        "lesson_drawn": entry.lesson_drawn,
        "final_score": _final(entry.final_score, rules) if scores else None,
        "rank": entry.rank if scores else None,
        "awards": [
            {"code": a.code, "label": a.label, "kind": a.kind}
            for a in (entry.awards.all() if awards is None else awards)
        ],
    }


class EditionEntriesApi(APIView):
    """The edition's entries the caller may see, by group and order of appearance."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="competitions_edition_entries", parameters=[EDITION_ID, PageParams], responses=s.EntryPageOut
    )
    def get(self, request, pk):
        competition = _edition(request.user, pk)
        office = reads_scores(request.user)
        person_id = get_access(request.user).person_id
        released = competition.status in FINAL_STATUSES
        paginator = Pagination()
        page = paginator.paginate_queryset(entry_list(request.user, competition), request, view=self) or []
        rows = [
            entry_row(
                e,
                rules=competition.rules,
                scores=office or (released and person_id is not None and e.person_id == person_id),
            )
            for e in page
        ]
        return paginator.get_paginated_response([s.EntryRowOut(row).data for row in rows])


class NominateApi(APIView):
    """A college's officer (their college's teachers) or the office nominates a teacher."""

    permission_classes = [HasRolePermission]
    permission_required = "competitions.add_entry"

    @extend_schema(
        operation_id="competitions_nominate",
        parameters=[EDITION_ID],
        request=s.NominateInput,
        responses={201: s.EntryNominatedOut},
    )
    def post(self, request, pk):
        competition = _edition(request.user, pk)
        data = body_values(request, s.NominateInput)
        group = competition.rules.groups.filter(code=data["group"]).first() if competition.rules else None
        if group is None:
            raise ApplicationError(_("请选择本届比赛的组别。"), extra={"field": "group"})
        entry = entry_nominate(
            actor=request.user,
            competition=competition,
            staff_no=data["staff_no"],
            group=group,
            teaching_post=data["teaching_post"],
            course=data["course"],
            coach_staff_no=data["coach_staff_no"],
        )
        entry = Entry.objects.select_related("person", "college", "group", "coach").get(pk=entry.pk)
        row = entry_row(entry, rules=competition.rules, scores=False, awards=[])
        return Response(
            s.EntryNominatedOut({**row, "next_steps": next_steps(EntryWorkflow, entry, request.user)}).data, 201
        )


# --- results ------------------------------------------------------------------------------------


def _decimals(values) -> list[str]:
    return [str(v) for v in values]


def part_result_data(result: PartResult, places: int) -> dict:
    return {
        "raw": _decimals(result.raw),
        "kept": _decimals(result.kept),
        "dropped": _decimals(result.dropped),
        "mean": _text(result.mean_shown(places)),
        "weighted": _text(result.weighted_shown(places)),
    }


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


class ResultsApi(APIView):
    """The full ranking, computed now from the submitted sheets (drafts do not count)."""

    permission_classes = [HasRolePermission]
    permission_required = "competitions.view_scoresheet"

    @extend_schema(operation_id="competitions_results", parameters=[EDITION_ID], responses=s.ResultsOut)
    def get(self, request, pk):
        competition = _edition(request.user, pk)
        rules = competition.rules
        groups = []
        if rules is not None and competition.hosted:
            prize_labels = {p.code: p.label for p in rules.prizes.all()}

            def result_data(r: EntryResult) -> dict:
                entry: Entry = r.key  # type: ignore[assignment]
                return {
                    "entry": entry.pk,
                    "staff_no": entry.person.staff_no,
                    "name": entry.person.name,
                    "college": entry.college.name,
                    "appearance": entry.appearance,
                    "parts": {code: part_result_data(p, rules.places) for code, p in r.parts.items()},
                    "exact": _exact(r.exact),
                    "final": _text(r.final),
                    "rank": r.rank,
                    "prize": r.prize,
                    "prize_label": prize_labels.get(r.prize) if r.prize else None,
                    "tie_note": r.tie_note,
                }

            groups = [
                {
                    "group": g.group.code,
                    "label": str(g.group),
                    "ranked": [result_data(r) for r in g.ranked],
                    "unscored": [result_data(r) for r in g.unscored],
                }
                for g in competition_results(competition)
            ]
        method = Method.of(rules) if rules is not None else None
        awards = Award.objects.restrict(request.user).filter(competition=competition).select_related("group")
        data = {
            "edition": competition.pk,
            "status": competition.status,
            "status_display": str(competition.get_status_display()),
            "method": {
                "trim_highest": method.trim_highest,
                "trim_lowest": method.trim_lowest,
                "trim_min_scores": method.trim_min_scores,
                "places": method.places,
                "rounding": method.rounding,
                "tie_break": list(method.tie_break),
            }
            if method
            else None,
            "parts": [part_data(p) for p in (rules.parts.all() if rules else [])],
            "groups": groups,
            "awards": [
                {
                    "code": a.code,
                    "label": a.label,
                    "kind": a.kind,
                    "recipient": a.recipient,
                    "entry": a.entry_id,
                    "group": a.group.code if a.group_id else None,
                    "recorded": a.recorded,
                }
                for a in awards
            ],
        }
        return Response(s.ResultsOut(data).data)


# --- a contestant's own entries -----------------------------------------------------------------


def _own_scores(user, entries: list[Entry]) -> dict[int, dict]:
    """Each released entry's breakdown, from the sheets the contestant may read (their own,
    once released): a fixed number of queries however many entries."""
    released = [e for e in entries if e.competition.status in FINAL_STATUSES]
    if not released:
        return {}
    rules_ids = {e.competition.rules_id for e in released if e.competition.rules_id}
    parts_by_rules: dict[int, list[ScoringPart]] = defaultdict(list)
    for part in ScoringPart.objects.filter(edition_id__in=rules_ids).order_by("position", "id"):
        parts_by_rules[part.edition_id].append(part)
    sheets = ScoreSheet.objects.restrict(user).filter(entry__in=[e.pk for e in released], status=SheetStatus.SUBMITTED)
    scores: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for entry_id, code, score in PartScore.objects.filter(sheet__in=sheets).values_list(
        "sheet__entry_id", "part__code", "score"
    ):
        scores[entry_id][code].append(score)
    out = {}
    for entry in released:
        rules = entry.competition.rules
        parts = parts_by_rules.get(entry.competition.rules_id or 0, [])
        weights = [PartWeight(p.code, p.label, p.weight, p.full_marks) for p in parts]
        breakdown = (
            entry_result(entry, scores.get(entry.pk, {}), weights, Method.of(rules))
            if rules is not None and entry.competition.hosted
            else None
        )
        out[entry.pk] = {
            "final": _final(entry.final_score, rules),
            "rank": entry.rank,
            "parts": {
                p.code: {
                    **part_result_data(breakdown.parts[p.code], rules.places),
                    "label": p.label,
                    "weight": p.weight,
                    "full_marks": p.full_marks,
                }
                for p in parts
            }
            if breakdown is not None and rules is not None
            else {},
        }
    return out


class MineApi(APIView):
    """The caller's own entries, newest edition first; their own scores once released."""

    permission_classes = [HasRolePermission]

    @extend_schema(operation_id="competitions_mine", responses=s.MyEntryOut(many=True))
    def get(self, request):
        person_id = get_access(request.user).person_id
        if person_id is None:
            return Response([])
        awards = Award.objects.restrict(request.user).select_related("certificate").order_by("kind", "pk")
        entries = list(
            Entry.objects.restrict(request.user)
            .filter(person_id=person_id)
            .select_related("competition__rules", "college", "group", "coach")
            .prefetch_related(Prefetch("awards", queryset=awards))
            .order_by("-competition__year", "-competition_id")
        )
        scores = _own_scores(request.user, entries)
        rows = []
        for e in entries:
            competition = e.competition
            rows.append(
                {
                    "id": e.pk,
                    "edition": {"id": competition.pk, "title": competition.title},
                    "year": competition.year,
                    "level": competition.level,
                    "edition_status": competition.status,
                    "edition_status_display": str(competition.get_status_display()),
                    "college": e.college.name,
                    "group": e.group.code,
                    "group_label": str(e.group),
                    "coach": e.coach.name if e.coach_id else None,
                    "course": e.course,
                    "status": e.status,
                    "status_display": str(e.get_status_display()),
                    "appearance": e.appearance,
                    "lesson_drawn": e.lesson_drawn,
                    "awards": [
                        {
                            "code": a.code,
                            "label": a.label,
                            "kind": a.kind,
                            "certificate": _certificate(a),
                        }
                        for a in e.awards.all()
                    ],
                    "scores": scores.get(e.pk),
                }
            )
        return Response(s.MyEntryOut(rows, many=True).data)


def _certificate(award: Award) -> dict | None:
    try:
        certificate = award.certificate
    except Certificate.DoesNotExist:
        return None
    return {"serial": certificate.serial, "issued_on": certificate.issued_on}


# --- judging ------------------------------------------------------------------------------------


def sheet_state(judge: Judge, entry_id: int, sheet: ScoreSheet | None, scores: dict[str, str], parts) -> dict:
    return {
        "judge": judge.pk,
        "entry": entry_id,
        "status": sheet.status if sheet else SheetStatus.DRAFT,
        "scores": scores,
        "missing": [p.code for p in parts if p.code not in scores],
        "submitted_at": sheet.submitted_at if sheet else None,
    }


def _sheet_scores(sheets) -> dict[int, dict[str, str]]:
    """{sheet id: {part code: "18.50"}}, in one query."""
    scores: dict[int, dict[str, str]] = defaultdict(dict)
    for sheet_id, code, score in (
        PartScore.objects.filter(sheet__in=sheets)
        .order_by("part__position", "part_id")
        .values_list("sheet_id", "part__code", "score")
    ):
        scores[sheet_id][code] = str(score)
    return scores


class JudgeQueueApi(APIView):
    """The caller's places on judging panels (editions drawn or being scored): the parts and
    their criteria, the entries in order of appearance, and each sheet's state."""

    permission_classes = [HasRolePermission]

    @extend_schema(operation_id="competitions_judge_queue", responses=s.JudgeshipOut(many=True))
    def get(self, request):
        rows = []
        for judge in judgeships(request.user):
            judge.user = request.user  # the judgeships are the caller's: no query for their account
            parts = list(judge.competition.rules.parts.all()) if judge.competition.rules_id else []
            queue = judge_queue(judge)
            scores = _sheet_scores([row.sheet.pk for row in queue if row.sheet is not None])
            rows.append(
                {
                    "judge": judge.pk,
                    "edition": {"id": judge.competition_id, "title": judge.competition.title},
                    "edition_status": judge.competition.status,
                    "scoring_open": judge.competition.status == CompetitionStatus.SCORING,
                    "group": judge.group.code if judge.group else None,
                    "group_label": str(judge.group) if judge.group else None,
                    "is_chief": judge.is_chief,
                    "parts": [part_data(p) for p in parts],
                    "entries": [
                        {
                            "entry": row.entry.pk,
                            "appearance": row.entry.appearance,
                            "lesson_drawn": row.entry.lesson_drawn,
                            "name": row.entry.person.name,
                            "college": row.entry.college.name,
                            "course": row.entry.course,
                            "conflict": row.conflict,
                            "sheet": sheet_state(judge, row.entry.pk, row.sheet, scores.get(row.sheet.pk, {}), parts)
                            if row.sheet is not None
                            else None,
                        }
                        for row in queue
                    ],
                }
            )
        return Response(s.JudgeshipOut(rows, many=True).data)


class SheetApi(APIView):
    """A judge's sheet of one entry. PUT the scores typed so far ("submit": false: saved as a
    draft; the same PUT again changes nothing) or all of them with "submit": true (final)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="competitions_sheet_put",
        parameters=[JUDGE_ID, ENTRY_ID],
        request=s.SheetInput,
        responses=s.SheetStateOut,
    )
    def put(self, request, judge_id, entry_id):
        # the caller's own judgeship, and an entry of its group: to anyone else, not there
        judge = (
            Judge.objects.select_related("competition__rules", "group")
            .filter(pk=judge_id, user_id=request.user.pk, group__isnull=False)
            .first()
        )
        entry = (
            Entry.objects.filter(pk=entry_id, competition_id=judge.competition_id, group_id=judge.group_id).first()
            if judge is not None
            else None
        )
        if judge is None or entry is None:
            raise Http404
        data = body_values(request, s.SheetInput)
        service = sheet_submit if data["submit"] else sheet_save
        sheet = service(actor=request.user, judge=judge, entry=entry, scores=data["scores"])
        parts = list(judge.competition.rules.parts.all())
        scores = _sheet_scores([sheet.pk]).get(sheet.pk, {})
        return Response(s.SheetStateOut(sheet_state(judge, entry.pk, sheet, scores, parts)).data)

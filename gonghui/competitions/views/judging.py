"""The judges' pages, made for a tablet or a phone at the competition: their places on the
panels, a panel's contestants in order of appearance (those they must stand aside from marked
回避, not openable), and the score sheet: one card per part with its full marks and criteria on
screen and a large number field.

The sheet saves as the judge types: static/js/scoresheet.js posts every change to `sheet_save`
and keeps what is not yet sent in the browser (localStorage), sending it again when the
connection is back. Without JavaScript the same form saves with a button, and submitting goes
through a review page that lists the scores before `sheet_submit`. A submitted sheet changes
only by the chief judge (`amend`), with the reason recorded.

Only the judge opens their own panel and sheets (anyone else: 404); only an edition's chief
judge opens its amend page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from gonghui.competitions.choices import CompetitionStatus, MaterialKind, SheetStatus
from gonghui.competitions.forms_participants import AmendForm, SheetScoresForm
from gonghui.competitions.models import Competition, Entry, Judge, PartScore, ScoreAmendment, ScoreSheet, ScoringPart
from gonghui.competitions.selectors.entries import current_materials
from gonghui.competitions.selectors.judging import JUDGED, QueueRow, conflict, judge_queue, judgeships
from gonghui.competitions.services.entries import material_label
from gonghui.competitions.services.judging import sheet_amend, sheet_save, sheet_submit
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import MemberPageMixin

# The chief judge may change a submitted score until the award list is published.
AMEND_OPEN = (CompetitionStatus.SCORING, CompetitionStatus.SCORED)


def own_judge_or_404(user, pk) -> Judge:
    """One of the user's own places on a panel."""
    judge = (
        Judge.objects.filter(pk=pk, user_id=getattr(user, "pk", 0) or 0)
        .select_related("competition__rules", "group", "user")
        .first()
    )
    if judge is None:
        raise Http404
    return judge


def judged_entry_or_404(judge: Judge, entry_pk) -> Entry:
    """An entry of the judge's group that is being judged."""
    if judge.group_id is None:
        raise Http404
    entry = (
        Entry.objects.filter(pk=entry_pk, competition_id=judge.competition_id, group_id=judge.group_id)
        .filter(status__in=JUDGED)
        .select_related("person", "college", "group", "competition")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def parts_of(competition: Competition) -> list[ScoringPart]:
    return list(competition.rules.parts.all()) if competition.rules else []


# --- a judge's panels -----------------------------------------------------------------------


@dataclass
class QueueLine:
    row: QueueRow
    state: str  # "conflict", "todo", "draft", "submitted"
    scored: int  # parts scored on a draft

    @property
    def entry(self):
        return self.row.entry


def queue_lines(judge: Judge) -> list[QueueLine]:
    rows = judge_queue(judge)
    counts: dict[int, int] = {}
    sheet_ids = [r.sheet.pk for r in rows if r.sheet is not None]
    for sheet_id in PartScore.objects.filter(sheet_id__in=sheet_ids).values_list("sheet_id", flat=True):
        counts[sheet_id] = counts.get(sheet_id, 0) + 1
    lines = []
    for row in rows:
        if row.conflict:
            state = "conflict"
        elif row.sheet is None:
            state = "todo"
        elif row.sheet.status == SheetStatus.SUBMITTED:
            state = "submitted"
        else:
            state = "draft"
        lines.append(QueueLine(row, state, counts.get(row.sheet.pk, 0) if row.sheet else 0))
    return lines


@dataclass
class Judgeship:
    judge: Judge
    lines: list[QueueLine]

    @property
    def to_score(self) -> int:
        return sum(1 for line in self.lines if line.state in ("todo", "draft"))

    @property
    def submitted(self) -> int:
        return sum(1 for line in self.lines if line.state == "submitted")

    @property
    def conflicts(self) -> int:
        return sum(1 for line in self.lines if line.state == "conflict")

    @property
    def can_amend(self) -> bool:
        return self.judge.is_chief and self.judge.competition.status in AMEND_OPEN


def my_judgeships(user) -> list[Judgeship]:
    """The user's panels of editions drawn or being scored, and their chief judgeships of
    editions whose scoring has closed (they may still amend)."""
    judges = judgeships(user)
    seen = {j.pk for j in judges}
    judges += [
        j
        for j in Judge.objects.filter(user=user, is_chief=True, competition__status=CompetitionStatus.SCORED)
        .select_related("competition", "group")
        .order_by("competition_id", "pk")
        if j.pk not in seen
    ]
    return [Judgeship(j, queue_lines(j) if j.group_id else []) for j in judges]


class JudgeHomeView(MemberPageMixin, View):
    """The user's places on the judging panels."""

    def get(self, request):
        return render(request, "competitions/judging/home.html", {"judgeships": my_judgeships(request.user)})


class QueueView(MemberPageMixin, View):
    """A panel's contestants in order of appearance, with the state of the judge's sheet."""

    def get(self, request, pk):
        judge = own_judge_or_404(request.user, pk)
        lines = queue_lines(judge) if judge.group_id else []
        context = {
            "judge": judge,
            "competition": judge.competition,
            "ship": Judgeship(judge, lines),
            "scoring": judge.competition.status == CompetitionStatus.SCORING,
        }
        return render(request, "competitions/judging/queue.html", context)


# --- the score sheet --------------------------------------------------------------------------


@dataclass
class PartCard:
    part: ScoringPart
    value: str
    saved: Decimal | None
    error: str = ""


def saved_scores(judge: Judge, entry: Entry) -> tuple[ScoreSheet | None, dict[int, Decimal]]:
    sheet = ScoreSheet.objects.filter(judge=judge, entry=entry).first()
    if sheet is None:
        return None, {}
    return sheet, dict(PartScore.objects.filter(sheet=sheet).values_list("part_id", "score"))


def score_text(value: Decimal | None) -> str:
    """A score as the judge typed it (18.50 → 18.5, 70.00 → 70)."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def sheet_context(judge: Judge, entry: Entry, *, posted: dict | None = None, error: str = "", field=None):
    competition = judge.competition
    sheet, saved = saved_scores(judge, entry)
    cards = []
    for part in parts_of(competition):
        value = posted.get(part.code, "") if posted is not None else score_text(saved.get(part.pk))
        cards.append(PartCard(part, value, saved.get(part.pk), error if field == part.code else ""))
    current = [material for material, _version in current_materials(entry)]
    drawn_plan = next(
        (m for m in current if m.kind == MaterialKind.LESSON_PLAN and m.number == entry.lesson_drawn),
        None,
    )
    materials = [(material_label(m.kind, m.number), m) for m in current]
    submitted = sheet is not None and sheet.status == SheetStatus.SUBMITTED
    return {
        "judge": judge,
        "competition": competition,
        "entry": entry,
        "sheet": sheet,
        "cards": cards,
        "error": error if field not in {c.part.code for c in cards} else "",
        "field_error": bool(error and field in {c.part.code for c in cards}),
        "submitted": submitted,
        "scoring": competition.status == CompetitionStatus.SCORING,
        "materials": materials,
        "drawn_plan": drawn_plan,
        "sheet_key": f"{judge.pk}-{entry.pk}",
    }


@method_decorator(never_cache, name="dispatch")
class SheetView(MemberPageMixin, View):
    """The sheet of one contestant. POST `action`: `save` (the scores typed; the no-script
    save), `review` (save, then the review page listing every score), `submit` (from the
    review: submit, final), `edit` (back to the form with the scores kept)."""

    def _lookup(self, request, pk, entry_pk):
        judge = own_judge_or_404(request.user, pk)
        entry = judged_entry_or_404(judge, entry_pk)
        reason = conflict(judge, entry)
        return judge, entry, reason

    def _refused_conflict(self, request, judge, reason):
        messages.error(request, _("回避：%(reason)s") % {"reason": reason})
        return redirect("competitions:judge_queue", judge.pk)

    def form_page(self, request, judge, entry, *, posted=None, error="", field=None, status=200):
        context = sheet_context(judge, entry, posted=posted, error=error, field=field)
        return render(request, "competitions/judging/sheet.html", context, status=status)

    def get(self, request, pk, entry_pk):
        judge, entry, reason = self._lookup(request, pk, entry_pk)
        if reason:
            return self._refused_conflict(request, judge, reason)
        return self.form_page(request, judge, entry)

    def post(self, request, pk, entry_pk):
        judge, entry, reason = self._lookup(request, pk, entry_pk)
        if reason:
            return self._refused_conflict(request, judge, reason)
        parts = parts_of(judge.competition)
        form = SheetScoresForm(request.POST, parts=parts)
        form.is_valid()  # every field is optional text: the service checks the values
        scores = {part.code: (request.POST.get(part.code) or "").strip() for part in parts}
        action = request.POST.get("action") or "save"
        if action == "edit":
            return self.form_page(request, judge, entry, posted=scores)
        try:
            if action == "submit":
                sheet_submit(actor=request.user, judge=judge, entry=entry, scores=scores)
                messages.success(request, _("已提交%(name)s的评分表。") % {"name": entry.person.name})
                return redirect("competitions:judge_queue", judge.pk)
            sheet_save(actor=request.user, judge=judge, entry=entry, scores=scores)
        except ApplicationError as error:
            return self.form_page(
                request, judge, entry, posted=scores, error=str(error.message), field=error.extra.get("field")
            )
        if action == "review":
            missing = [part.label for part in parts if not scores.get(part.code)]
            if missing:
                message = _("还有评分项目未打分：%(parts)s。") % {"parts": "、".join(missing)}
                return self.form_page(request, judge, entry, posted=scores, error=message)
            rows = [(part, scores[part.code]) for part in parts]
            context = {"judge": judge, "competition": judge.competition, "entry": entry, "rows": rows}
            return render(request, "competitions/judging/sheet_review.html", context)
        messages.success(request, _("已保存。"))
        return redirect("competitions:sheet", judge.pk, entry.pk)


class SheetSaveView(LoginRequiredMixin, View):
    """The autosave of scoresheet.js: the scores posted (some parts or all) are saved on the
    judge's draft; answered in JSON (400 with the reason when refused, nothing saved)."""

    def post(self, request, pk, entry_pk):
        judge = own_judge_or_404(request.user, pk)
        entry = judged_entry_or_404(judge, entry_pk)
        parts = parts_of(judge.competition)
        scores = {part.code: request.POST[part.code] for part in parts if part.code in request.POST}
        try:
            sheet = sheet_save(actor=request.user, judge=judge, entry=entry, scores=scores)
        except ApplicationError as error:
            return JsonResponse({"message": str(error.message), "field": error.extra.get("field") or ""}, status=400)
        saved = dict(PartScore.objects.filter(sheet=sheet).values_list("part__code", "score"))
        return JsonResponse(
            {
                "status": sheet.status,
                "saved": {code: score_text(value) for code, value in saved.items()},
                "saved_at": timezone.localtime(sheet.updated_at).strftime("%H:%M:%S"),
            }
        )


# --- the chief judge's amendments -------------------------------------------------------------


def chief_or_404(user, pk) -> tuple[Competition, Judge]:
    judge = (
        Judge.objects.filter(competition_id=pk, user_id=getattr(user, "pk", 0) or 0, is_chief=True)
        .select_related("competition__rules")
        .first()
    )
    if judge is None:
        raise Http404
    return judge.competition, judge


@dataclass
class SheetLine:
    sheet: ScoreSheet
    scores: list[str]


@dataclass
class AmendmentLine:
    amendment: ScoreAmendment
    before: str
    after: str


class AmendView(MemberPageMixin, View):
    """The chief judge's page: every submitted sheet with its scores, the change of one
    score with its reason, and the changes made so far."""

    def page(self, request, competition, form, status=200):
        parts = parts_of(competition)
        sheets = list(self.sheets(request.user, competition))
        scores: dict[tuple[int, int], Decimal] = {
            (sheet_id, part_id): score
            for sheet_id, part_id, score in PartScore.objects.filter(sheet__in=[s.pk for s in sheets]).values_list(
                "sheet_id", "part_id", "score"
            )
        }
        lines = [SheetLine(s, [score_text(scores.get((s.pk, p.pk))) for p in parts]) for s in sheets]
        amendments = (
            ScoreAmendment.objects.filter(sheet__entry__competition=competition)
            .select_related("sheet__entry__person", "sheet__judge", "part", "amended_by")
            .order_by("-amended_at", "-pk")
        )
        context = {
            "competition": competition,
            "parts": parts,
            "lines": lines,
            "form": form,
            "open": competition.status in AMEND_OPEN,
            "amendments": [AmendmentLine(a, score_text(a.before), score_text(a.after)) for a in amendments],
        }
        return render(request, "competitions/judging/amend.html", context, status=status)

    def sheets(self, user, competition):
        return (
            ScoreSheet.objects.restrict(user)
            .filter(entry__competition=competition, status=SheetStatus.SUBMITTED)
            .select_related("entry__person", "entry__group", "judge")
            .order_by("entry__group__position", "entry__appearance", "entry_id", "judge_id")
        )

    def form(self, request, competition, data=None):
        parts = ScoringPart.objects.filter(edition_id=competition.rules_id)
        return AmendForm(data, sheets=self.sheets(request.user, competition), parts=parts)

    def get(self, request, pk):
        competition, _judge = chief_or_404(request.user, pk)
        return self.page(request, competition, self.form(request, competition))

    def post(self, request, pk):
        competition, _judge = chief_or_404(request.user, pk)
        form = self.form(request, competition, request.POST)
        if not form.is_valid():
            return self.page(request, competition, form)
        data = form.cleaned_data
        try:
            amendment = sheet_amend(
                actor=request.user, sheet=data["sheet"], part=data["part"], score=data["score"], reason=data["reason"]
            )
        except ApplicationError as error:
            target = error.extra.get("field")
            form.add_error(target if target in form.fields else None, str(error.message))
            return self.page(request, competition, form)
        messages.success(
            request,
            _("已将%(name)s“%(part)s”的分数由 %(before)s 改为 %(after)s。")
            % {
                "name": amendment.sheet.entry.person.name,
                "part": amendment.part.label,
                "before": score_text(amendment.before),
                "after": score_text(amendment.after),
            },
        )
        return redirect("competitions:amend", competition.pk)

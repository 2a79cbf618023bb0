"""The competition office's results pages: an edition's results per group (every judge's score
by part, the dropped ones struck through, the trimmed means, weighted and final scores, ranks,
tie notes and prizes; `?format=xlsx`), the sheets' progress during the scoring, the awards
(conferred and withdrawn with a reason while the results are not final), the award notice
(公示) and, for an edition the university does not run (Beijing, national), the results entry.

Who gets what: the results and the sheets are the office's and the auditors' (the office sees
the judges' names); the award notice is every signed-in user's once it is out; the buttons and
the results entry are the office's. Anything else is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from gonghui.competitions import forms
from gonghui.competitions.choices import AwardKind, CompetitionStatus, EntryStatus, SpecialBasis
from gonghui.competitions.models import Award, Competition, CompetitionGroup, Entry
from gonghui.competitions.scoring import EntryResult
from gonghui.competitions.selectors import competitions as selectors
from gonghui.competitions.selectors.judging import sheets_missing
from gonghui.competitions.selectors.results import competition_results
from gonghui.competitions.services.entries import entry_record
from gonghui.competitions.services.results import AWARDS_OPEN, award_confer, award_withdraw, result_record
from gonghui.competitions.views.office import (
    OfficeAction,
    competition_or_404,
    insider_require,
    is_office,
    office_require,
    step_buttons,
)
from gonghui.core.history import export_record
from gonghui.core.pages import export_list

RESULTS_FROM = (
    CompetitionStatus.SCORING,
    CompetitionStatus.SCORED,
    CompetitionStatus.PUBLICITY,
    CompetitionStatus.RELEASED,
)
NOTICE_FROM = (CompetitionStatus.PUBLICITY, CompetitionStatus.RELEASED, CompetitionStatus.RECORDED)


def hosted_for_insider(request, pk) -> Competition:
    competition = competition_or_404(request.user, pk)
    insider_require(request.user)
    if not competition.hosted:
        raise Http404
    return competition


# --- the results ---------------------------------------------------------------------------------


def tie_text(note: str) -> str:
    if note == "tie_broken":
        return _("总分与他人相同，按同分比较顺序排定")
    if note == "shared":
        return _("名次并列")
    return ""


@dataclass
class ResultRow:
    entry: Entry
    result: EntryResult
    scores: selectors.EntryScores
    prize: str
    tie: str


@dataclass
class GroupTable:
    group: object
    ranked: list[ResultRow]
    unscored: list[ResultRow]


def result_tables(competition: Competition) -> list[GroupTable]:
    groups = competition_results(competition)
    everyone = [r for g in groups for r in g.ranked + g.unscored]
    scores = selectors.entry_scores(competition, everyone)
    prizes = {p.code: p.label for p in competition.rules.prizes.all()} if competition.rules else {}

    def row(result: EntryResult) -> ResultRow:
        entry: Entry = result.key  # type: ignore[assignment]
        return ResultRow(
            entry=entry,
            result=result,
            scores=scores[entry.pk],
            prize=prizes.get(result.prize or "", ""),
            tie=tie_text(result.tie_note),
        )

    return [GroupTable(g.group, [row(r) for r in g.ranked], [row(r) for r in g.unscored]) for g in groups]


def _awards(competition: Competition, user):
    return (
        Award.objects.restrict(user)
        .filter(competition=competition)
        .select_related("entry__person", "entry__college", "person", "college", "group")
        .order_by("kind", "group__position", "entry__rank", "pk")
    )


def _export(request, competition: Competition, tables: list[GroupTable]):
    parts = list(competition.rules.parts.all())
    rows = [(table.group, row) for table in tables for row in table.ranked + table.unscored]

    def part_columns(index: int, label: str) -> list:
        return [
            (
                _("%(part)s评分") % {"part": label},
                lambda item: "、".join(f"{s.judge} {s.score}" for s in item[1].scores.parts[index].scores),
            ),
            (
                _("%(part)s去掉的评分") % {"part": label},
                lambda item: "、".join(str(s.score) for s in item[1].scores.parts[index].scores if s.dropped),
            ),
            (_("%(part)s平均分") % {"part": label}, lambda item: item[1].scores.parts[index].mean),
            (_("%(part)s加权得分") % {"part": label}, lambda item: item[1].scores.parts[index].weighted),
        ]

    columns = [
        (_("组别"), lambda item: str(item[0])),
        (_("名次"), lambda item: item[1].result.rank),
        (_("工号"), lambda item: item[1].entry.person.staff_no),
        (_("姓名"), lambda item: item[1].entry.person.name),
        (_("推荐单位"), lambda item: item[1].entry.college.name),
        (_("参赛课程"), lambda item: item[1].entry.course),
        (_("出场顺序"), lambda item: item[1].entry.appearance),
    ]
    for index, part in enumerate(parts):
        columns += part_columns(index, part.label)
    columns += [
        (_("总分"), lambda item: item[1].result.final),
        (_("名次奖"), lambda item: item[1].prize),
        (_("说明"), lambda item: item[1].tie),
    ]
    export_record(
        request.user,
        what=_("导出青教赛评分结果"),
        obj=competition,
        query=f"competition={competition.pk}&format=xlsx",
    )
    return export_list(filename=f"{competition.title[:40]}-评分结果.xlsx", columns=columns, rows=rows)


class ResultsView(LoginRequiredMixin, View):
    """Per group: the ranking with every score; the chief judge's amendments; the awards (and,
    for the office while the results are not final, their forms)."""

    def get(self, request, pk):
        competition = hosted_for_insider(request, pk)
        started = competition.status in RESULTS_FROM
        tables = result_tables(competition) if started else []
        if request.GET.get("format") == "xlsx":
            if not started:
                raise Http404
            return _export(request, competition, tables)
        office = is_office(request.user)
        awards_open = office and competition.status in AWARDS_OPEN
        entries = competition.entries.exclude(status=EntryStatus.WITHDRAWN).select_related("person", "college")
        return render(
            request,
            "competitions/office/results.html",
            {
                "competition": competition,
                "started": started,
                "tables": tables,
                "parts": list(competition.rules.parts.all()) if competition.rules else [],
                "amendments": selectors.amendments(competition),
                "awards": list(_awards(competition, request.user)),
                "is_office": office,
                "awards_open": awards_open,
                "confer_form": forms.AwardConferForm(
                    specials=[s for s in competition.rules.specials.all() if s.basis != SpecialBasis.BEST_PART],
                    entries=entries,
                )
                if awards_open
                else None,
                "steps": [s for s in step_buttons(competition, request.user) if s.name in ("close_scoring", "publish")]
                if office
                else [],
                "provisional": competition.status == CompetitionStatus.SCORING,
            },
        )


class SheetsView(LoginRequiredMixin, View):
    """During the scoring: each judge's sheet of each contestant, and the sheets still owed."""

    def get(self, request, pk):
        competition = hosted_for_insider(request, pk)
        return render(
            request,
            "competitions/office/sheets.html",
            {
                "competition": competition,
                "groups": selectors.sheet_progress(competition),
                "missing": sheets_missing(competition),
                "states": selectors.SHEET_STATES,
            },
        )


# --- awards --------------------------------------------------------------------------------------


def awards_page(competition: Competition) -> str:
    if competition.hosted:
        return f"{reverse('competitions:results', args=[competition.pk])}#awards"
    return reverse("competitions:record", args=[competition.pk])


class AwardConferView(OfficeAction):
    form_class = forms.AwardConferForm

    def back(self, obj) -> str:
        return awards_page(obj)

    def form_kwargs(self, obj) -> dict:
        return {
            "specials": obj.rules.specials.all() if obj.rules else (),
            "entries": obj.entries.exclude(status=EntryStatus.WITHDRAWN),
        }

    def act(self, request, obj, data):
        award = award_confer(
            actor=request.user,
            competition=obj,
            code=data["code"],
            entry=data["entry"],
            coach_staff_no=data["coach_staff_no"],
            college=data["college"],
            recipient=data["recipient"],
            reason=data["reason"],
        )
        return _("已评定：%(recipient)s %(label)s。") % {"recipient": award.recipient, "label": award.label}


class AwardWithdrawView(OfficeAction):
    form_class = forms.AwardWithdrawForm

    def target(self, request, pk):
        award = Award.objects.select_related("competition").filter(pk=pk).first()
        if award is None or selectors.competition_get(user=request.user, pk=award.competition_id) is None:
            raise Http404
        office_require(request.user)
        return award

    def back(self, obj) -> str:
        return awards_page(obj.competition)

    def act(self, request, obj, data):
        recipient, label = obj.recipient, obj.label
        award_withdraw(actor=request.user, award=obj, reason=data["reason"])
        return _("已撤销：%(recipient)s %(label)s。") % {"recipient": recipient, "label": label}


# --- the award notice ----------------------------------------------------------------------------


@dataclass
class NoticeSection:
    title: str
    awards: list[Award]


def notice_sections(awards: list[Award]) -> list[NoticeSection]:
    """Rank prizes group by group, then the single awards, coach awards and organisation awards."""
    sections: dict[str, NoticeSection] = {}
    kinds = [AwardKind.RANK, AwardKind.SPECIAL, AwardKind.COACH, AwardKind.ORGANISATION]
    awards = sorted(awards, key=lambda a: kinds.index(AwardKind(a.kind)))  # stable: each kind keeps its order
    for award in awards:
        if award.kind == AwardKind.RANK:
            key, title = f"rank-{award.group_id}", str(award.group or AwardKind.RANK.label)
        else:
            key, title = award.kind, str(AwardKind(award.kind).label)
        sections.setdefault(key, NoticeSection(title, [])).awards.append(award)
    return list(sections.values())


class NoticeView(LoginRequiredMixin, View):
    """The award notice (获奖名单公示): during the publicity with its last day, then the final
    results. Every signed-in user's once it is out; before, not there."""

    def get(self, request, pk):
        competition = competition_or_404(request.user, pk)
        if competition.status not in NOTICE_FROM:
            raise Http404
        awards = list(_awards(competition, request.user))
        return render(
            request,
            "competitions/office/notice.html",
            {
                "competition": competition,
                "sections": notice_sections(awards),
                "count": len(awards),
                "publicity": competition.status == CompetitionStatus.PUBLICITY,
            },
        )


# --- results of an edition the university does not run -----------------------------------------


@dataclass
class RecordRow:
    entry: Entry
    awards: list[Award]


def result_codes(competition: Competition) -> list[tuple[str, str]]:
    """What a contestant's result may be: a rank prize of the rules, or a single award."""
    if competition.rules is None:
        return []
    prizes = [(p.code, p.label) for p in competition.rules.prizes.all()]
    specials = [(s.code, s.label) for s in competition.rules.specials.all() if s.kind == AwardKind.SPECIAL]
    return prizes + specials


class RecordView(LoginRequiredMixin, View):
    """Enter a Beijing or national edition's results: each contestant's prize and single
    awards, the coach and organisation awards, then confirm them."""

    def get(self, request, pk):
        competition = competition_or_404(request.user, pk)
        office_require(request.user)
        if competition.hosted:
            raise Http404
        entries = list(
            competition.entries.exclude(status=EntryStatus.WITHDRAWN)
            .select_related("person", "college", "group", "coach", "recommended_from__competition")
            .order_by("group__position", "college__sort_key", "person__name_pinyin", "pk")
        )
        awards = list(_awards(competition, request.user))
        by_entry: dict[int, list[Award]] = {}
        for award in awards:
            if award.entry_id:
                by_entry.setdefault(award.entry_id, []).append(award)
        open_ = competition.status == CompetitionStatus.DRAFT
        codes = result_codes(competition)
        return render(
            request,
            "competitions/office/record.html",
            {
                "competition": competition,
                "rows": [RecordRow(entry, by_entry.get(entry.pk, [])) for entry in entries],
                "others": [a for a in awards if not a.entry_id],
                "open": open_,
                "entry_form": forms.EntryRecordForm(groups=competition.rules.groups.all())
                if open_ and competition.rules
                else None,
                "codes": codes,
                "confer_form": forms.AwardConferForm(
                    specials=[s for s in competition.rules.specials.all() if s.kind != AwardKind.SPECIAL]
                )
                if open_ and competition.rules
                else None,
                "steps": step_buttons(competition, request.user),
            },
        )


class EntryRecordView(OfficeAction):
    """A contestant of a Beijing or national edition entered from the record (the archive, the
    host's list), not recommended from a school round of the system."""

    form_class = forms.EntryRecordForm

    def back(self, obj) -> str:
        if obj.hosted:
            return reverse("competitions:detail", args=[obj.pk])
        return reverse("competitions:record", args=[obj.pk])

    def form_kwargs(self, obj) -> dict:
        return {"groups": obj.rules.groups.all() if obj.rules else CompetitionGroup.objects.none()}

    def act(self, request, obj, data):
        entry = entry_record(
            actor=request.user,
            competition=obj,
            staff_no=data["staff_no"],
            group=data["group"],
            course=data.get("course") or "",
            coach_staff_no=data.get("coach_staff_no") or "",
        )
        return _("已录入参赛教师：%(name)s。") % {"name": entry.person.name}


class ResultRecordView(OfficeAction):
    form_class = forms.ResultRecordForm

    def back(self, obj) -> str:
        if obj.hosted:  # no results entry: the refusal is shown on the edition's page
            return reverse("competitions:detail", args=[obj.pk])
        return reverse("competitions:record", args=[obj.pk])

    def form_kwargs(self, obj) -> dict:
        return {"entries": obj.entries.all(), "codes": result_codes(obj)}

    def act(self, request, obj, data):
        award = result_record(actor=request.user, competition=obj, entry=data["entry"], code=data["code"])
        return _("已录入：%(recipient)s %(label)s。") % {"recipient": award.recipient, "label": award.label}

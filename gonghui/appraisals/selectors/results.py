"""Turnout and results, through the report kit.

- Turnout per unit: the union office, auditors, the organisation department, and a college's
  own officer for their college (`reads_turnout`).
- Results (per cadre and team, the summary across units, each cadre's sheet and year on year):
  the organisation department alone, once it has released them. Everyone else is refused with
  PermissionDenied, whatever their global reading.

Nothing here reads a ballot: results come from the stored tally (`AppraisalResult`), turnout
from `UnitTurnout`, both written once at the count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.appraisals.choices import BallotKind, RoundStatus
from gonghui.appraisals.models import AppraisalResult, AppraisalRound, Cadre, RoundUnit, UnitTurnout, reads_results
from gonghui.appraisals.selectors.rounds import round_is_insider, unit_list
from gonghui.core.excel import Sheet, xlsx_book_bytes
from gonghui.core.reports import Chart, Ratio, Report, RowsBuilder, percent, rate

# --- turnout ----------------------------------------------------------------------------------


def reads_turnout(user, appraisal_round: AppraisalRound) -> bool:
    """Who reads a round's turnout: those who run or read the whole round (the union office,
    auditors, an administrator, the organisation department) and the officer of a college in
    the round. Not its voters, cadres or tellers as such."""
    if round_is_insider(user, appraisal_round):
        return True
    access = get_access(user)
    return (
        Role.SUB_UNION_OFFICER in access.roles
        and bool(access.sub_union_ids)
        and RoundUnit.objects.filter(round=appraisal_round, sub_union_id__in=access.sub_union_ids).exists()
    )


def turnout_rows(*, user, appraisal_round: AppraisalRound) -> list[UnitTurnout]:
    units = unit_list(user=user, appraisal_round=appraisal_round)
    if not round_is_insider(user, appraisal_round):
        # a college's officer: their own college's units only (not others they vote in)
        units = units.filter(sub_union_id__in=get_access(user).sub_union_ids)
    return list(
        UnitTurnout.objects.filter(round_unit__in=units.values("pk"))
        .select_related("round_unit__sub_union")
        .order_by("round_unit__sub_union__sort_key", "round_unit__sub_union__code")
    )


def turnout_report(*, user, appraisal_round: AppraisalRound) -> Report:
    rows = turnout_rows(user=user, appraisal_round=appraisal_round)
    units = []
    builder = RowsBuilder()
    for t in rows:
        name = t.round_unit.sub_union.name
        units.append(
            {
                "unit": name,
                "unit_id": t.round_unit_id,
                "eligible": t.eligible,
                "quorum_base": t.quorum_base,
                "quorum_needed": t.quorum_needed,
                "quorum_counted": t.quorum_counted,
                "took_part": t.took_part,
                "online": t.online,
                "paper": t.paper,
                "spoilt": t.spoilt,
                "rate": rate(t.quorum_counted, t.quorum_base),
                "quorum_met": t.quorum_met,
            }
        )
        builder.section(name)
        builder.add(_("应参评"), t.eligible).add(_("实参评"), t.took_part)
        builder.add(_("网上投票"), t.online).add(_("纸质选票"), t.paper).add(_("其中废票"), t.spoilt)
        builder.add(_("参评比例基数"), t.quorum_base).add(_("至少参评"), t.quorum_needed)
        builder.add(_("计入参评比例的实参评"), t.quorum_counted)
        builder.add(_("达到参评比例"), _("是") if t.quorum_met else _("否（结果无效）"))
    figures = {
        "round": appraisal_round.pk,
        "title": appraisal_round.title,
        "year": appraisal_round.year,
        "status": appraisal_round.status,
        "counted": appraisal_round.tallied_at is not None,
        "units": units,
        "units_under_quorum": sum(1 for u in units if not u["quorum_met"]),
        "eligible": sum(t.eligible for t in rows),
        "took_part": sum(t.took_part for t in rows),
    }
    charts = {}
    if units:
        charts["turnout"] = Chart.bars(
            _("各单位参评率"),
            [(u["unit"], u["rate"]) for u in units],
            value_format="percent",
        )
    return Report(
        title=_("参评情况"),
        figures=figures,
        rows=builder.rows,
        headers=(_("单位"), _("项目"), _("数值")),
        charts=charts,
    )


def year_turnout(*, user, year: int) -> dict | None:
    """The turnout of the rounds of `year` summed, in two aggregate queries: the rounds (and how
    many were counted) and their units; who could vote and who took part, online and on paper,
    in the counted ones (`UnitTurnout`, written at the count: nothing before it). Turnout only:
    nothing of a result. None for a user who does not read every round's turnout (a college's
    officer reads their own college's alone)."""
    access = get_access(user)
    if not (access.reads_everything or reads_results(access)):
        return None
    rounds = AppraisalRound.objects.restrict(user).filter(year=year)
    counts = rounds.aggregate(
        rounds=Count("pk", distinct=True),
        counted=Count("pk", distinct=True, filter=Q(tallied_at__isnull=False)),
        units=Count("units", distinct=True),
    )
    turnout = UnitTurnout.objects.filter(round_unit__round__in=rounds.values("pk")).aggregate(
        eligible=Sum("eligible", default=0), online=Sum("online", default=0), paper=Sum("paper", default=0)
    )
    took_part = turnout["online"] + turnout["paper"]
    return {
        **counts,
        **turnout,
        "took_part": took_part,
        "rate": rate(took_part, turnout["eligible"]),
    }


# --- results ----------------------------------------------------------------------------------


def results_require(*, user, appraisal_round: AppraisalRound) -> None:
    """Only the organisation department, only once released."""
    if not reads_results(get_access(user)):
        raise PermissionDenied
    if appraisal_round.status != RoundStatus.RELEASED:
        raise PermissionDenied


def result_rows(*, user, appraisal_round: AppraisalRound) -> QuerySet[AppraisalResult]:
    return (
        AppraisalResult.objects.restrict(user)
        .filter(round_unit__round=appraisal_round)
        .select_related("round_unit__sub_union", "cadre__person", "round_unit__turnout")
        .order_by("round_unit__sub_union__sort_key", "round_unit__sub_union__code", "kind", "cadre__position", "pk")
    )


@dataclass(frozen=True)
class CategoryLine:
    """One voter category's ballots on one cadre (or the team): per grade, the count and its
    share of the category's valid ballots."""

    name: str
    weight: int
    cells: list[tuple[int, Ratio | None]]  # in the scale's order
    valid: int


@dataclass(frozen=True)
class ResultLine:
    result: AppraisalResult
    unit: str
    subject: str
    post: str
    shares: list[tuple[str, Decimal]]  # (grade label, weighted share) in the scale's order
    by_category: list[tuple[str, list[int], int]]  # (category name, counts in scale order, valid)
    flags: list[str]
    categories: list[CategoryLine] = field(default_factory=list)

    @property
    def grades(self) -> list[str]:
        return [label for label, _share in self.shares]

    @property
    def ratios(self) -> list[Ratio]:
        """The weighted shares as `Ratio`s (0.8000 → 80.00% on a page, a % cell in Excel)."""
        return [Ratio(share) for _label, share in self.shares]

    @property
    def is_team(self) -> bool:
        return self.result.kind == BallotKind.TEAM

    @property
    def cadre_id(self) -> int | None:
        return self.result.cadre_id

    @property
    def person_id(self) -> int | None:
        return self.result.cadre.person_id if self.result.cadre_id else None

    @property
    def unit_id(self) -> int:
        return self.result.round_unit_id

    @property
    def score(self) -> Decimal:
        return self.result.score

    @property
    def final(self) -> bool:
        return self.result.final

    @property
    def valid(self) -> int:
        return sum(valid for _name, _counts, valid in self.by_category)

    @property
    def title(self) -> str:
        return f"{self.subject}（{self.post}）" if self.post else self.subject


def result_lines(
    *, user, appraisal_round: AppraisalRound, unit_id: int | None = None, cadre_id: int | None = None
) -> list[ResultLine]:
    results_require(user=user, appraisal_round=appraisal_round)
    rules = appraisal_round.rules
    scales = {kind: rules.scale(kind) for kind in BallotKind.values}
    categories = list(rules.categories.all())
    flag_labels = {f.code: f.label for f in rules.flags.all()}
    rows = result_rows(user=user, appraisal_round=appraisal_round)
    if unit_id is not None:
        rows = rows.filter(round_unit_id=unit_id)
    if cadre_id is not None:
        rows = rows.filter(cadre_id=cadre_id)
    lines = []
    for r in rows:
        scale = scales[r.kind]
        by_category = [
            (c.name, [r.counts.get(c.code, {}).get(g.code, 0) for g in scale], r.valid.get(c.code, 0))
            for c in categories
        ]
        lines.append(
            ResultLine(
                result=r,
                unit=r.round_unit.sub_union.name,
                subject=r.cadre.person.name if r.cadre_id else _("领导班子"),
                post=r.cadre.post if r.cadre_id else "",
                shares=[(g.label, Decimal(r.shares.get(g.code, "0"))) for g in scale],
                by_category=by_category,
                flags=[flag_labels.get(code, code) for code in r.flags],
                categories=[
                    CategoryLine(
                        name=name,
                        weight=c.weight,
                        cells=[(n, rate(n, valid)) for n in counts],
                        valid=valid,
                    )
                    for c, (name, counts, valid) in zip(categories, by_category, strict=True)
                ],
            )
        )
    return lines


@dataclass(frozen=True)
class UnitResults:
    """A unit's sheet: its turnout, its cadres' results and its team's."""

    unit_id: int
    name: str
    turnout: UnitTurnout | None
    cadres: list[ResultLine]
    team: ResultLine | None

    @property
    def final(self) -> bool:
        return bool(self.turnout and self.turnout.quorum_met)

    @property
    def rate(self) -> Ratio | None:
        return rate(self.turnout.quorum_counted, self.turnout.quorum_base) if self.turnout else None

    @property
    def cadre_grades(self) -> list[str]:
        return self.cadres[0].grades if self.cadres else []

    @property
    def lines(self) -> list[ResultLine]:
        return self.cadres + ([self.team] if self.team else [])


@dataclass(frozen=True)
class RankLine:
    """A cadre in the ranking by weighted score; `rank` is None for a result that is not final
    (its unit missed the quorum): it is listed after the ranked ones, not ranked."""

    rank: int | None
    line: ResultLine
    previous: tuple[int, Decimal] | None  # (year, score) of the cadre's latest earlier result

    @property
    def change(self) -> Decimal | None:
        return self.line.score - self.previous[1] if self.previous else None


@dataclass(frozen=True)
class ResultsSummary:
    ranking: list[RankLine]
    flagged: list[ResultLine]
    teams: list[ResultLine]

    @property
    def flagged_count(self) -> int:
        return len(self.flagged)


@dataclass(frozen=True)
class ResultsPage:
    round: AppraisalRound
    units: list[UnitResults]
    summary: ResultsSummary

    @property
    def lines(self) -> list[ResultLine]:
        return [line for unit in self.units for line in unit.lines]

    @property
    def units_under_quorum(self) -> int:
        return sum(1 for unit in self.units if not unit.final)

    @property
    def eligible(self) -> int:
        return sum(unit.turnout.eligible for unit in self.units if unit.turnout)

    @property
    def took_part(self) -> int:
        return sum(unit.turnout.took_part for unit in self.units if unit.turnout)


def previous_scores(*, user, appraisal_round: AppraisalRound, person_ids) -> dict[int, tuple[int, Decimal]]:
    """Each person's latest cadre score in an earlier released year: {person: (year, score)}."""
    rows = (
        AppraisalResult.objects.restrict(user)
        .filter(
            kind=BallotKind.CADRE,
            cadre__person_id__in=list(person_ids),
            round_unit__round__year__lt=appraisal_round.year,
        )
        .order_by("cadre__person_id", "-round_unit__round__year", "-round_unit__round__pk")
        .values_list("cadre__person_id", "round_unit__round__year", "score")
    )
    found: dict[int, tuple[int, Decimal]] = {}
    for person_id, year, score in rows:
        found.setdefault(person_id, (year, score))
    return found


def results_summary(*, user, appraisal_round: AppraisalRound, lines: list[ResultLine]) -> ResultsSummary:
    """Across units: the cadres ranked by weighted score (equal scores share a rank; results of a
    unit under quorum follow, unranked), the flagged cadres, and the teams by score."""
    cadres = [line for line in lines if not line.is_team]
    previous = previous_scores(user=user, appraisal_round=appraisal_round, person_ids={c.person_id for c in cadres})
    ordered = sorted(cadres, key=lambda line: (not line.final, -line.score))
    ranking = []
    rank, last = 0, None
    for position, line in enumerate(ordered, 1):
        if line.final:
            if line.score != last:
                rank, last = position, line.score
            ranking.append(RankLine(rank=rank, line=line, previous=previous.get(line.person_id)))
        else:
            ranking.append(RankLine(rank=None, line=line, previous=previous.get(line.person_id)))
    teams = sorted((line for line in lines if line.is_team), key=lambda line: (not line.final, -line.score))
    return ResultsSummary(ranking=ranking, flagged=[line for line in cadres if line.flags], teams=teams)


def results_page(*, user, appraisal_round: AppraisalRound, unit_id: int | None = None) -> ResultsPage:
    """What the results pages show (the whole round, or one unit): every unit with its turnout,
    cadres and team, and the summary across units."""
    lines = result_lines(user=user, appraisal_round=appraisal_round, unit_id=unit_id)
    turnout = turnout_rows(user=user, appraisal_round=appraisal_round)
    if unit_id is not None:
        turnout = [t for t in turnout if t.round_unit_id == unit_id]
    by_unit: dict[int, list[ResultLine]] = {}
    for line in lines:
        by_unit.setdefault(line.unit_id, []).append(line)
    units = []
    for t in turnout:
        members = by_unit.pop(t.round_unit_id, [])
        units.append(_unit_results(t.round_unit_id, t.round_unit.sub_union.name, t, members))
    for leftover_id, members in by_unit.items():  # no turnout row (cannot happen after a count)
        units.append(_unit_results(leftover_id, members[0].unit, None, members))
    return ResultsPage(
        round=appraisal_round,
        units=units,
        summary=results_summary(user=user, appraisal_round=appraisal_round, lines=lines),
    )


def _unit_results(unit_id: int, name: str, turnout: UnitTurnout | None, lines: list[ResultLine]) -> UnitResults:
    return UnitResults(
        unit_id=unit_id,
        name=name,
        turnout=turnout,
        cadres=[line for line in lines if not line.is_team],
        team=next((line for line in lines if line.is_team), None),
    )


def cadre_get(*, user, pk: int) -> Cadre | None:
    """A cadre of a round the user may see (the organisation department sees every round)."""
    return (
        Cadre.objects.restrict(user)
        .select_related("person", "round_unit__sub_union", "round_unit__round__rules")
        .filter(pk=pk)
        .first()
    )


def cadre_line(*, user, cadre: Cadre) -> ResultLine | None:
    """A cadre's result in their round (released, organisation department only)."""
    lines = result_lines(user=user, appraisal_round=cadre.round_unit.round, cadre_id=cadre.pk)
    return lines[0] if lines else None


def results_report(*, user, appraisal_round: AppraisalRound) -> Report:
    """Every cadre's and team's result: counts and % per grade and category, the weighted
    shares and score, the flags, and whether the unit met its quorum."""
    lines = result_lines(user=user, appraisal_round=appraisal_round)
    turnout = turnout_report(user=user, appraisal_round=appraisal_round)
    builder = RowsBuilder()
    cadres = []
    for line in lines:
        r = line.result
        builder.section(f"{line.unit} · {line.subject}" + (f"（{line.post}）" if line.post else ""))
        for label, share in line.shares:
            builder.add(_("加权比例：%(grade)s") % {"grade": label}, f"{percent(share, 1, 1)}%")
        for category, counts, valid in line.by_category:
            for (label, _share), n in zip(line.shares, counts, strict=True):
                builder.add(f"{category} · {label}", f"{n}（{percent(n, valid) or 0}%）" if valid else "0")
        builder.add(_("加权得分"), r.score)
        builder.add(_("提示"), "、".join(line.flags) or "—")
        builder.add(_("结果有效"), _("是") if r.final else _("否：未达参评比例"))
        cadres.append(
            {
                "unit": line.unit,
                "unit_id": line.unit_id,
                "kind": r.kind,
                "cadre": r.cadre_id,
                "name": line.subject,
                "post": line.post,
                "counts": r.counts,
                "valid": r.valid,
                "shares": r.shares,
                "score": r.score,
                "flags": r.flags,
                "flag_labels": line.flags,
                "final": r.final,
            }
        )
    figures = {**turnout.figures, "results": cadres, "flagged": sum(1 for c in cadres if c["flags"])}
    return Report(
        title=_("测评结果"),
        figures=figures,
        rows=turnout.rows + builder.rows,
        headers=(_("单位/干部"), _("项目"), _("数值")),
        charts=turnout.charts,
    )


def results_xlsx(*, user, appraisal_round: AppraisalRound) -> bytes:
    """The results as a workbook (every cell through core.excel, formulas neutralised): the
    turnout per unit, the cadres' results ranked, the teams', and the counts per category and
    grade, one row each."""
    page = results_page(user=user, appraisal_round=appraisal_round)
    yes, no = _("是"), _("否（未达参评比例，结果不作为最终结果）")
    turnout_sheet = Sheet(
        title=_("参评情况"),
        headers=[
            _("单位"),
            _("应参评"),
            _("实参评"),
            _("网上投票"),
            _("纸质选票"),
            _("其中废票"),
            _("参评比例基数"),
            _("至少参评"),
            _("计入参评比例的实参评"),
            _("参评率"),
            _("达到参评比例"),
        ],
        rows=[
            [
                unit.name,
                t.eligible,
                t.took_part,
                t.online,
                t.paper,
                t.spoilt,
                t.quorum_base,
                t.quorum_needed,
                t.quorum_counted,
                unit.rate,
                yes if t.quorum_met else no,
            ]
            for unit in page.units
            if (t := unit.turnout) is not None
        ],
    )
    cadre_grades = next((unit.cadre_grades for unit in page.units if unit.cadres), [])
    cadre_sheet = Sheet(
        title=_("干部个人"),
        headers=[
            _("排名"),
            _("单位"),
            _("干部"),
            _("职务"),
            *cadre_grades,
            _("加权得分"),
            _("提示"),
            _("结果有效"),
            _("上一年度得分"),
        ],
        rows=[
            [
                item.rank if item.rank is not None else "—",
                item.line.unit,
                item.line.subject,
                item.line.post,
                *item.line.ratios,
                item.line.score,
                "、".join(item.line.flags),
                yes if item.line.final else no,
                item.previous[1] if item.previous else None,
            ]
            for item in page.summary.ranking
        ],
    )
    team_grades = page.summary.teams[0].grades if page.summary.teams else []
    team_sheet = Sheet(
        title=_("领导班子"),
        headers=[_("单位"), *team_grades, _("加权得分"), _("提示"), _("结果有效")],
        rows=[
            [line.unit, *line.ratios, line.score, "、".join(line.flags), yes if line.final else no]
            for line in page.summary.teams
        ],
    )
    count_rows = []
    for line in page.lines:
        for category in line.categories:
            for grade, (n, share) in zip(line.grades, category.cells, strict=True):
                count_rows.append(
                    [
                        line.unit,
                        line.subject,
                        line.post,
                        category.name,
                        category.weight,
                        grade,
                        n,
                        category.valid,
                        share,
                    ]
                )
    counts_sheet = Sheet(
        title=_("各类别计票"),
        headers=[
            _("单位"),
            _("测评对象"),
            _("职务"),
            _("投票人类别"),
            _("权重"),
            _("等次"),
            _("票数"),
            _("本类别有效票"),
            _("占本类别有效票"),
        ],
        rows=count_rows,
    )
    return xlsx_book_bytes([turnout_sheet, cadre_sheet, team_sheet, counts_sheet])


@dataclass(frozen=True)
class HistoryLine:
    year: int
    round_title: str
    unit: str
    post: str
    score: Decimal
    shares: list[tuple[str, Decimal]]
    flags: list[str]
    final: bool
    round_id: int = 0

    @property
    def ratios(self) -> list[tuple[str, Ratio]]:
        return [(label, Ratio(share)) for label, share in self.shares]


def cadre_history(*, user, person_id: int) -> list[HistoryLine]:
    """A cadre's results year on year, across every released round (the organisation
    department's reading)."""
    if not reads_results(get_access(user)):
        raise PermissionDenied
    history = []
    rows = (
        AppraisalResult.objects.restrict(user)
        .filter(cadre__person_id=person_id)
        .select_related("round_unit__round__rules", "round_unit__sub_union", "cadre")
        .order_by("-round_unit__round__year", "-round_unit__round__pk")
    )
    for r in rows:
        rules = r.round_unit.round.rules
        flag_labels = {f.code: f.label for f in rules.flags.all()}
        history.append(
            HistoryLine(
                year=r.round_unit.round.year,
                round_title=r.round_unit.round.title,
                unit=r.round_unit.sub_union.name,
                post=r.cadre.post if r.cadre else "",
                score=r.score,
                shares=[(g.label, Decimal(r.shares.get(g.code, "0"))) for g in rules.scale(r.kind)],
                flags=[flag_labels.get(c, c) for c in r.flags],
                final=r.final,
                round_id=r.round_unit.round_id,
            )
        )
    return history


def results_pdf(*, user, appraisal_round: AppraisalRound, unit_id: int | None = None) -> bytes:
    """The results (or one unit's) as the organisation department files them: the turnout, the
    ranking (the whole round), then one sheet per cadre and team, signed 党委组织部."""
    from weasyprint import HTML

    page = results_page(user=user, appraisal_round=appraisal_round, unit_id=unit_id)
    html = render_to_string(
        "appraisals/results_pdf.html",
        {
            "round": appraisal_round,
            "page": page,
            "whole": unit_id is None,
            "lines": page.lines,
            "turnout": {unit.unit_id: unit.turnout for unit in page.units},
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()

"""Turnout and results, through the report kit.

- Turnout per unit: the union office, auditors, the organisation department, and a college's
  own officer for their college.
- Results (per cadre and team, the summary across units, each cadre's sheet and year on year):
  the organisation department alone, once it has released them. Everyone else is refused with
  PermissionDenied, whatever their global reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import BallotKind, RoundStatus
from gonghui.appraisals.models import AppraisalResult, AppraisalRound, UnitTurnout, reads_results
from gonghui.appraisals.selectors.rounds import unit_list
from gonghui.core.reports import Chart, Report, RowsBuilder, percent, rate


def turnout_rows(*, user, appraisal_round: AppraisalRound) -> list[UnitTurnout]:
    units = unit_list(user=user, appraisal_round=appraisal_round).values("pk")
    return list(
        UnitTurnout.objects.filter(round_unit__in=units)
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
class ResultLine:
    result: AppraisalResult
    unit: str
    subject: str
    post: str
    shares: list[tuple[str, Decimal]]  # (grade label, weighted share) in the scale's order
    by_category: list[tuple[str, list[int], int]]  # (category name, counts in scale order, valid)
    flags: list[str]


def result_lines(*, user, appraisal_round: AppraisalRound, unit_id: int | None = None) -> list[ResultLine]:
    results_require(user=user, appraisal_round=appraisal_round)
    rules = appraisal_round.rules
    scales = {kind: rules.scale(kind) for kind in BallotKind.values}
    categories = list(rules.categories.all())
    flag_labels = {f.code: f.label for f in rules.flags.all()}
    rows = result_rows(user=user, appraisal_round=appraisal_round)
    if unit_id is not None:
        rows = rows.filter(round_unit_id=unit_id)
    lines = []
    for r in rows:
        scale = scales[r.kind]
        lines.append(
            ResultLine(
                result=r,
                unit=r.round_unit.sub_union.name,
                subject=r.cadre.person.name if r.cadre_id else _("领导班子"),
                post=r.cadre.post if r.cadre_id else "",
                shares=[(g.label, Decimal(r.shares.get(g.code, "0"))) for g in scale],
                by_category=[
                    (c.name, [r.counts.get(c.code, {}).get(g.code, 0) for g in scale], r.valid.get(c.code, 0))
                    for c in categories
                ],
                flags=[flag_labels.get(code, code) for code in r.flags],
            )
        )
    return lines


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
                "kind": r.kind,
                "name": line.subject,
                "post": line.post,
                "counts": r.counts,
                "valid": r.valid,
                "shares": r.shares,
                "score": r.score,
                "flags": r.flags,
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
            )
        )
    return history


def results_pdf(*, user, appraisal_round: AppraisalRound, unit_id: int | None = None) -> bytes:
    """The results (or one unit's) as the organisation department files them: per-cadre sheets."""
    from weasyprint import HTML

    lines = result_lines(user=user, appraisal_round=appraisal_round, unit_id=unit_id)
    turnout = {t.round_unit_id: t for t in turnout_rows(user=user, appraisal_round=appraisal_round)}
    html = render_to_string(
        "appraisals/results_pdf.html",
        {
            "round": appraisal_round,
            "lines": lines,
            "turnout": turnout,
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()

"""The organisation department's pages: a round's results (turnout, each unit's cadres and team,
the summary across units; `?format=xlsx|pdf`), one unit's sheet (`?format=pdf`) and one
cadre's sheet with their results year on year.

Access: anyone but the organisation department — the union office, auditors, an administrator,
a superuser without the role, the round's voters — gets 403, whatever round they ask for; the
organisation department gets 404 for a round or cadre that does not exist. Before the release, the organisation department sees
that the results are sealed (with the release button once the round is counted) and nothing
of them; the exports answer 404 until then. Every export is in the audit trail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import RoundStatus
from gonghui.appraisals.models import AppraisalRound, RoundUnit, reads_results
from gonghui.appraisals.selectors import results as selectors
from gonghui.appraisals.selectors.rounds import round_get
from gonghui.appraisals.workflow import AppraisalRoundWorkflow
from gonghui.core.excel import XLSX_CONTENT_TYPE, file_response
from gonghui.core.history import export_record
from gonghui.core.pages import MemberPageMixin
from gonghui.core.workflow import available_steps

PDF_CONTENT_TYPE = "application/pdf"


def results_round_or_404(user, pk) -> AppraisalRound:
    """The round, for the organisation department (403 for anyone else, 404 when there is none)."""
    if not reads_results(get_access(user)):
        raise PermissionDenied
    appraisal_round = round_get(user=user, pk=pk)
    if appraisal_round is None:
        raise Http404
    return appraisal_round


def _sealed(request, template: str, appraisal_round: AppraisalRound, context: dict):
    """Before the release: the page says the results are sealed, with the release step when the
    round is counted and the user may take it; no figure of the results."""
    steps = {s.name for s in available_steps(AppraisalRoundWorkflow, appraisal_round, request.user)}
    return render(
        request,
        template,
        {**context, "round": appraisal_round, "sealed": True, "can_release": "release" in steps},
    )


def _export(request, appraisal_round: AppraisalRound, fmt: str, *, what: str, query: str, name: str, data):
    export_record(request.user, what=what, obj=appraisal_round, query=query)
    content_type = XLSX_CONTENT_TYPE if fmt == "xlsx" else PDF_CONTENT_TYPE
    return file_response(data(), filename=f"{name}.{fmt}", content_type=content_type)


class ResultsView(MemberPageMixin, View):
    """Turnout per unit, each unit's cadres and team, the summary across units."""

    def get(self, request, pk):
        appraisal_round = results_round_or_404(request.user, pk)
        fmt = request.GET.get("format")
        if appraisal_round.status != RoundStatus.RELEASED:
            if fmt:
                raise Http404
            return _sealed(request, "appraisals/results.html", appraisal_round, {})
        if fmt in ("xlsx", "pdf"):
            maker = selectors.results_xlsx if fmt == "xlsx" else selectors.results_pdf
            return _export(
                request,
                appraisal_round,
                fmt,
                what=_("导出干部民主测评结果"),
                query=f"round={appraisal_round.pk}&format={fmt}",
                name=f"{appraisal_round.title}-测评结果",
                data=lambda: maker(user=request.user, appraisal_round=appraisal_round),
            )
        page = selectors.results_page(user=request.user, appraisal_round=appraisal_round)
        return render(request, "appraisals/results.html", {"round": appraisal_round, "page": page, "sealed": False})


class UnitResultsView(MemberPageMixin, View):
    """One unit's sheet: its turnout, its cadres' and team's results with the counts per
    category and grade; `?format=pdf`."""

    def get(self, request, pk, unit_pk):
        appraisal_round = results_round_or_404(request.user, pk)
        unit = (
            RoundUnit.objects.restrict(request.user)
            .select_related("sub_union")
            .filter(pk=unit_pk, round=appraisal_round)
            .first()
        )
        if unit is None:
            raise Http404
        fmt = request.GET.get("format")
        context = {"unit": unit}
        if appraisal_round.status != RoundStatus.RELEASED:
            if fmt:
                raise Http404
            return _sealed(request, "appraisals/unit_results.html", appraisal_round, context)
        if fmt == "pdf":
            return _export(
                request,
                appraisal_round,
                fmt,
                what=_("导出干部民主测评单位结果"),
                query=f"round={appraisal_round.pk}&unit={unit.pk}&format=pdf",
                name=f"{appraisal_round.title}-{unit.sub_union.name}-测评结果",
                data=lambda: selectors.results_pdf(user=request.user, appraisal_round=appraisal_round, unit_id=unit.pk),
            )
        page = selectors.results_page(user=request.user, appraisal_round=appraisal_round, unit_id=unit.pk)
        return render(
            request,
            "appraisals/unit_results.html",
            {**context, "round": appraisal_round, "page": page, "sheet": page.units[0] if page.units else None},
        )


class CadreSheetView(MemberPageMixin, View):
    """One cadre's result in the round (per category, weighted shares, score, flags) and their
    results year on year across the released rounds."""

    def get(self, request, pk):
        if not reads_results(get_access(request.user)):
            raise PermissionDenied
        cadre = selectors.cadre_get(user=request.user, pk=pk)
        if cadre is None:
            raise Http404
        appraisal_round = cadre.round_unit.round
        released = appraisal_round.status == RoundStatus.RELEASED
        history = selectors.cadre_history(user=request.user, person_id=cadre.person_id)
        chart = _history_chart(history)
        context = {
            "cadre": cadre,
            "unit": cadre.round_unit,
            "history": history,
            "chart": chart,
            "charts": [chart] if chart else [],
        }
        if not released:
            return _sealed(request, "appraisals/cadre_sheet.html", appraisal_round, context)
        return render(
            request,
            "appraisals/cadre_sheet.html",
            {
                **context,
                "round": appraisal_round,
                "sealed": False,
                "line": selectors.cadre_line(user=request.user, cadre=cadre),
            },
        )


def _history_chart(history):
    """The weighted score year on year, when there are two years or more to compare."""
    from gonghui.core.reports import Chart

    years = sorted({h.year for h in history})
    if len(years) < 2:
        return None
    by_year = {}
    for h in sorted(history, key=lambda h: (h.year, h.round_id)):
        by_year[h.year] = h.score
    return Chart.line(
        _("历年加权得分"), [(str(year), by_year[year]) for year in years], names=[_("加权得分")], key="history"
    )

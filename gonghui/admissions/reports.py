"""The year's admissions report (`python manage.py admissions_report --year Y`, and the
report page): a core `Report` whose figures are the JSON, whose rows are the text and the
.xlsx, with its charts.

- **campaign**: the year's campaign and rules (windows, deadline);
- **survey**: lines pre-filled, answered, and the answers (需要 / 不需要 / 未确定);
- **demand**: demand, requests, placed, not placed, self-arranged, unmet and places, in all
  and by stage, school, district and sub-union (`selectors.demand`'s definitions);
- **outcomes**: the year's requests by status, and how many came after the deadline;
- **answers**: each school's answer rate (answered / referred) and the year's;
- **shortages**: where demand exceeded places, and the shortages the office acted on with
  their proposals;
- **history**: every year up to this one: demand, places, placed, unmet, in all and for
  nursery places (入托入园), where the 2020 co-built kindergarten shows.

Figures only: no child, no name. The union office, the admissions officer and the auditors
read them alike; the command runs as the system actor."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gonghui.admissions.choices import Need, RequestStatus, Stage
from gonghui.admissions.models import AdmissionRequest, AdmissionRules, Campaign, ShortageAction, SurveyLine
from gonghui.admissions.selectors.demand import (
    DemandFigures,
    answer_rates,
    demand_by_year,
    history,
    shortages,
)
from gonghui.core.editions import EditionStatus
from gonghui.core.reports import Chart, Report, RowsBuilder, rate


def _campaign(user, year: int) -> dict | None:
    campaign = Campaign.objects.restrict(user).select_related("rules").filter(year=year).first()
    rules = (
        campaign.rules
        if campaign is not None
        else AdmissionRules.objects.filter(year=year, status=EditionStatus.ADOPTED).first()
    )
    if campaign is None and rules is None:
        return None
    data: dict = {"name": campaign.name if campaign else "", "status": campaign.status if campaign else ""}
    if rules is not None:
        data.update(
            {
                "rules": rules.name,
                "adopted_on": rules.adopted_on,
                "survey_opens": rules.survey_opens,
                "survey_closes": rules.survey_closes,
                "requests_open": rules.requests_open,
                "requests_deadline": rules.requests_deadline,
            }
        )
    return data


def _survey(year: int) -> dict:
    counts = SurveyLine.objects.filter(campaign__year=year).aggregate(
        lines=Count("pk"),
        answered=Count("pk", filter=~Q(need="")),
        **{str(need): Count("pk", filter=Q(need=need)) for need in Need},
    )
    return {
        "lines": counts["lines"],
        "answered": counts["answered"],
        "answered_rate": rate(counts["answered"], counts["lines"]),
        "need": {str(need): counts[str(need)] for need in Need},
    }


def _outcomes(year: int) -> dict:
    by_status = dict(
        AdmissionRequest.objects.filter(campaign__year=year).values_list("status").annotate(n=Count("pk")).order_by()
    )
    late = AdmissionRequest.objects.filter(campaign__year=year, late=True).count()
    return {"by_status": {str(status): by_status.get(status, 0) for status in RequestStatus}, "late": late}


def _history_line(figures: DemandFigures) -> dict:
    return {
        "year": figures.year,
        "demand": figures.demand,
        "places": figures.places or 0,
        "placed": figures.placed,
        "unmet": figures.unmet,
        "shortfall": figures.shortfall or 0,
    }


def admissions_report(*, user, year: int) -> Report:
    """The report of one year, as figures."""
    table = demand_by_year()
    total = table.total(year=year)
    by_stage = table.by("year", "stage", year=year)
    stages = {f.stage: f for f in by_stage}
    by_school = [f for f in table.by("year", "stage", "school", year=year) if f.school is not None]
    by_district = [f for f in table.by("year", "district", year=year) if f.district]
    by_sub_union = [f for f in table.by("year", "sub_union", year=year) if f.sub_union is not None]
    rates = answer_rates(years=[year])
    referred = sum(r.referred for r in rates)
    answered = sum(r.answered for r in rates)
    found = shortages(year, table=table)
    acted = list(ShortageAction.objects.filter(year=year).select_related("school", "proposal").order_by("pk"))
    years = [y for y in table.years if y <= year]
    all_history = [line for line in history(table=table) if line.year in years]
    nursery_history = [line for line in history(stages=[Stage.NURSERY], table=table) if line.year in years]
    outcomes = _outcomes(year)
    survey = _survey(year)

    figures = {
        "year": year,
        "campaign": _campaign(user, year),
        "survey": survey,
        "demand": {
            "total": total.as_dict(),
            "by_stage": [f.as_dict() for f in by_stage],
            "by_school": [f.as_dict() for f in by_school],
            "by_district": [f.as_dict() for f in by_district],
            "by_sub_union": [f.as_dict() for f in by_sub_union],
        },
        "outcomes": outcomes,
        "answers": {
            "referred": referred,
            "answered": answered,
            "rate": rate(answered, referred),
            "by_school": [r.as_dict() for r in rates],
        },
        "shortages": [s.as_dict() for s in found],
        "actions": [
            {
                "title": action.title,
                "stage": action.stage,
                "school": action.school.code if action.school else None,
                "district": action.district,
                "demand": action.demand,
                "places": action.places,
                "proposal": action.proposal.title if action.proposal else None,
            }
            for action in acted
        ],
        "history": [_history_line(line) for line in all_history],
        "history_nursery": [_history_line(line) for line in nursery_history],
    }

    rows = RowsBuilder()
    rows.section(_("概况"))
    campaign = figures["campaign"] or {}
    rows.add(_("年度"), year)
    if campaign.get("name"):
        rows.add(_("年度工作"), campaign["name"])
    if campaign.get("rules"):
        rows.add(_("规则"), campaign["rules"])
        rows.add(_("申请截止"), campaign["requests_deadline"].isoformat())
    rows.section(_("需求摸底"))
    rows.add(_("摸底人数"), survey["lines"])
    rows.add(_("已填报"), survey["answered"])
    for need in Need:
        rows.add(str(need.label), survey["need"][need])
    rows.section(_("需求与学位"))
    for label, name in (
        (_("需求"), "demand"),
        (_("学位"), "places"),
        (_("申请"), "requests"),
        (_("录取"), "placed"),
        (_("未录取"), "not_placed"),
        (_("视为自行解决"), "self_arranged"),
        (_("未满足需求"), "unmet"),
    ):
        rows.add(label, getattr(total, name) or 0)
    for stage in Stage:
        f = stages.get(stage)
        if f is None:
            continue
        rows.section(str(stage.label))
        rows.add(_("需求"), f.demand)
        rows.add(_("学位"), f.places or 0)
        rows.add(_("录取"), f.placed)
        rows.add(_("未满足需求"), f.unmet)
    rows.section(_("各学校需求与学位"))
    for f in by_school:
        assert f.school is not None
        rows.add(_("%(school)s 需求/学位/录取") % {"school": f.school.name}, f"{f.demand}/{f.places or 0}/{f.placed}")
    rows.section(_("各分工会需求"))
    for f in by_sub_union:
        assert f.sub_union is not None
        rows.add(f.sub_union.name, f.demand)
    rows.section(_("申请结果"))
    for status in RequestStatus:
        if outcomes["by_status"][status]:
            rows.add(str(status.label), outcomes["by_status"][status])
    rows.add(_("逾期提交"), outcomes["late"])
    rows.section(_("学校答复率"))
    for r in rates:
        rows.add(_("%(school)s（已答复/已报送）") % {"school": r.school.name}, f"{r.answered}/{r.referred}")
    rows.add(_("合计答复率"), figures["answers"]["rate"])
    if found:
        rows.section(_("学位缺口"))
        for s in found:
            where = s.school.name if s.school else s.stage_label
            rows.add(_("%(where)s 缺口") % {"where": where}, s.shortfall)
    if acted:
        rows.section(_("缺口处置"))
        for action in acted:
            rows.add(action.title, action.proposal.title if action.proposal else _("未关联提案"))
    rows.section(_("历年入托入园需求与学位"))
    for line in nursery_history:
        rows.add(
            _("%(year)s年 需求/学位/录取/未满足") % {"year": line.year},
            f"{line.demand}/{line.places or 0}/{line.placed}/{line.unmet}",
        )

    charts = {
        "stages": Chart.grouped(
            _("%(year)s年各学段需求与学位") % {"year": year},
            [(f.stage_label, f.demand, f.places or 0, f.placed) for f in by_stage],
            names=[_("需求"), _("学位"), _("录取")],
        ),
        "nursery": Chart.line(
            _("历年入托入园需求、学位与未满足需求"),
            [(str(line.year), line.demand, line.places or 0, line.unmet) for line in nursery_history],
            names=[_("需求"), _("学位"), _("未满足")],
        ),
        "outcomes": Chart.pie(
            _("申请结果"),
            [
                (status.label, outcomes["by_status"][status])
                for status in RequestStatus
                if outcomes["by_status"][status]
            ],
        ),
        "answers": Chart.bars(
            _("学校答复率"), [(r.school.name, r.rate) for r in rates], name=_("答复率"), value_format="percent"
        ),
    }
    return Report(
        title=_("%(year)s年教职工子女入托入学统计") % {"year": year},
        figures=figures,
        rows=rows.rows,
        headers=(_("类别"), _("项目"), _("数值")),
        charts=charts,
    )


def report_years() -> list[int]:
    """The years the report has figures for (the page's pick)."""
    from gonghui.admissions.selectors.demand import campaign_years

    return campaign_years()

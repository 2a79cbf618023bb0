"""The teaching competition's part of the union's annual report for a year (and the figures a
bulletin may quote), from `selectors.report.year_figures`: the Beijing (市) editions held and
entered up to the year and their participants; when a Beijing edition falls in the year, its
prizes by kind and the award list as one sentence (a text figure). None when no edition of any
level falls in the year; a year with editions but no Beijing one has no prize figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gonghui.competitions.choices import AwardKind
from gonghui.competitions.selectors.history import edition_number_label
from gonghui.competitions.selectors.report import year_figures
from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart


def competitions_annual_section(actor, year: int) -> AnnualSection | None:
    figures = year_figures(user=actor, year=year)
    if figures is None:
        return None
    found = [
        AnnualFigure("competitions.editions_held", _("北京高校青教赛已举办"), figures["held"], "届"),
        AnnualFigure("competitions.editions_entered", _("我校参加北京市比赛"), figures["entered"], "次"),
        AnnualFigure("competitions.participants_total", _("历届参赛青年教师"), figures["participants"], "人次"),
    ]
    charts = [
        Chart.line(
            _("北京高校青教赛历届我校参赛人数"),
            [
                (edition_number_label(line["number"]) if line["number"] else str(line["year"]), line["participants"])
                for line in figures["editions"]
            ],
            names=[_("参赛人数")],
        )
    ]
    prizes = figures["prizes"]
    if prizes is not None:
        counts = (
            ("awards_first", _("一等奖"), prizes["first"]),
            ("awards_second", _("二等奖"), prizes["second"]),
            ("awards_third", _("三等奖"), prizes["third"]),
            ("awards_rank", _("名次奖合计"), prizes[AwardKind.RANK]),
            ("awards_special", _("单项奖"), prizes[AwardKind.SPECIAL]),
            ("awards_coach", _("优秀指导教师奖"), prizes[AwardKind.COACH]),
            ("awards_organisation", _("优秀组织奖"), prizes[AwardKind.ORGANISATION]),
        )
        found += [AnnualFigure(f"competitions.{name}", label, value, "项") for name, label, value in counts]
        found.append(AnnualFigure("competitions.award_list", _("获奖名单"), prizes["sentence"], ""))
        charts.append(
            Chart.bars(
                _("%(year)s年北京市比赛获奖（项）") % {"year": year},
                [(label, value) for name, label, value in counts if name != "awards_rank"],
                name=_("获奖"),
            )
        )
    return AnnualSection(
        key="competitions", title=_("青年教师教学基本功比赛"), figures=tuple(found), charts=tuple(charts)
    )

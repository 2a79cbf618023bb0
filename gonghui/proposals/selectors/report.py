"""The handling report for the next session (Art. 7(5)): generated from the data as a core
`Report` (its figures are the JSON of the command and the API; its rows the text output),
with the charts of the page, a three-sheet .xlsx and a PDF."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gonghui.core.excel import Sheet, xlsx_book_bytes
from gonghui.core.reports import Chart, Report, RowsBuilder, percent, rate
from gonghui.proposals.choices import AssignmentRole, ProposalKind, ProposalStatus, ReplyCategory
from gonghui.proposals.models import (
    HandlingAssignment,
    Proposal,
    ProposalProposer,
    ProposalReply,
    SatisfactionRating,
)
from gonghui.proposals.selectors.proposals import unit_statistics_for

S = ProposalStatus


def _proposal_rows(qs):
    rows = []
    rules_by_session: dict = {}  # each session's rules, read once: they name the satisfaction levels
    qs = qs.select_related("category", "session__term__congress").prefetch_related(
        "proposers__delegate__person",
        Prefetch("assignments", queryset=HandlingAssignment.objects.select_related("unit")),
        Prefetch("replies", queryset=ProposalReply.objects.filter(released_at__isnull=False).order_by("round")),
        "ratings",
        "milestones",
    )
    for p in qs:
        replies = list(p.replies.all())
        last = replies[-1] if replies else None
        proposer_ids = {pp.delegate_id for pp in p.proposers.all()}
        ratings = [r for r in p.ratings.all() if r.rater_id in proposer_ids]
        latest = max(ratings, key=lambda r: (r.round, r.at)) if ratings else None
        lead = next((a for a in p.assignments.all() if a.role == AssignmentRole.LEAD), None)
        satisfaction = ""
        if latest:
            if p.session_id not in rules_by_session:
                rules_by_session[p.session_id] = p.session.rules_in_force()
            rules = rules_by_session[p.session_id]
            satisfaction = rules.level_label(latest.level) if rules else latest.level
        rows.append(
            {
                "id": p.pk,
                "session": str(p.session),
                "number": p.number,
                "title": p.title,
                "category": p.category.name if p.category else "",
                "proposers": "、".join(pp.delegate.person.name for pp in p.proposers.all()),
                "lead_unit": lead.unit.name if lead else "",
                "co_units": "、".join(a.unit.name for a in p.assignments.all() if a.role == AssignmentRole.CO),
                "deadline": lead.deadline.isoformat() if lead and lead.deadline else "",
                "status": str(p.get_status_display()),
                "status_code": p.status,
                "rounds": p.round,
                "reply_category": str(last.get_category_display()) if last else "",
                "reply": last.body if last else "",
                "target_date": last.target_date.isoformat() if last and last.target_date else "",
                "on_time": (replies[0].on_time if replies else None),
                "satisfaction": satisfaction,
                "satisfaction_code": latest.level if latest else "",
                "progress": p.progress,
                "milestones": [
                    {
                        "title": m.title,
                        "due_on": m.due_on.isoformat() if m.due_on else "",
                        "done_on": m.done_on.isoformat() if m.done_on else "",
                    }
                    for m in p.milestones.all()
                ],
            }
        )
    return rows


def year_counts(*, year: int) -> dict:
    """Proposals registered and answered of the sessions opening in `year`, counted as the
    handling report counts them (registered: given a number; answered: a first-round reply
    released), with the sessions' ids (the report is per session)."""
    registered = Proposal.objects.filter(session__opens_on__year=year, number__isnull=False).count()
    replied = ProposalReply.objects.filter(
        proposal__session__opens_on__year=year, round=1, released_at__isnull=False
    ).count()
    from gonghui.congress.models import CongressSession

    sessions = list(
        CongressSession.objects.filter(opens_on__year=year).order_by("opens_on").values_list("pk", flat=True)
    )
    return {"registered": registered, "replied": replied, "sessions": sessions}


def _proposer_rated():
    """A rating given by one of the proposal's proposers (a co-signer's or anyone else's does
    not count in the report)."""
    return Exists(
        ProposalProposer.objects.filter(proposal_id=OuterRef("proposal_id"), delegate_id=OuterRef("rater_id"))
    )


def year_figures(*, user, year: int) -> dict:
    """The handling report's figures summed over the sessions opening in `year` (the proposals
    `user` may read), in four aggregate queries: what reached the committee and how it was
    decided (`counts`, as the report counts them; drafts and proposals still gathering
    co-signers are the delegates' own and are not counted), the first-round replies released
    and on time, the proposers' ratings (every round) by level with those accepting the reply,
    and the satisfaction levels of the sessions' scales in order, each with its label."""
    from gonghui.congress.models import SessionRules
    from gonghui.core.editions import EditionStatus

    proposals = Proposal.objects.restrict(user, "view").filter(session__opens_on__year=year)
    items = proposals.exclude(status__in=[S.DRAFT, S.AWAITING_CO_SIGNERS])
    counts = items.aggregate(
        received=Count("pk", filter=~Q(status=S.WITHDRAWN)),
        registered=Count("pk", filter=Q(number__isnull=False)),
        opinions=Count("pk", filter=Q(kind=ProposalKind.OPINION)),
        not_registered=Count("pk", filter=Q(status=S.NOT_REGISTERED)),
        merged=Count("pk", filter=Q(status=S.MERGED)),
        withdrawn=Count("pk", filter=Q(status=S.WITHDRAWN)),
        under_review=Count("pk", filter=Q(status__in=[S.SUBMITTED, S.UNDER_REVIEW, S.REFERRED])),
    )
    replies = ProposalReply.objects.filter(
        proposal__in=proposals.values("pk"), round=1, released_at__isnull=False
    ).aggregate(replied=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
    by_level = {
        level: (n, accepting)
        for level, n, accepting in SatisfactionRating.objects.filter(proposal__in=proposals.values("pk"))
        .filter(_proposer_rated())
        .values_list("level")
        .annotate(n=Count("pk"), accepting=Count("pk", filter=Q(accepts=True)))
        .values_list("level", "n", "accepting")
        .order_by()
    }
    levels: dict[str, dict] = {}
    scales = SessionRules.objects.filter(session__opens_on__year=year, status=EditionStatus.ADOPTED).order_by(
        "session__opens_on", "session_id"
    )
    for scale in scales.values_list("satisfaction_scale", flat=True):
        for level in scale:
            levels.setdefault(level["code"], {"code": level["code"], "label": level["label"], "count": 0})
    for code, (n, _accepting) in by_level.items():
        levels.setdefault(code, {"code": code, "label": code, "count": 0})["count"] = n
    ratings = sum(n for n, _accepting in by_level.values())
    accepting = sum(a for _n, a in by_level.values())
    return {
        "year": year,
        "counts": counts,
        "replied": replies["replied"],
        "on_time": replies["on_time"],
        "on_time_rate": rate(replies["on_time"], replies["replied"]),
        "ratings": ratings,
        "accepting": accepting,
        "not_accepting": ratings - accepting,
        "satisfaction": list(levels.values()),
        "satisfaction_rate": rate(accepting, ratings),
    }


def handling_report(*, session) -> HandlingReport:
    """Everything the handling report says, computed from the rows."""
    all_items = Proposal.objects.filter(session=session).exclude(status__in=[S.DRAFT, S.AWAITING_CO_SIGNERS])
    counts = {
        "received": all_items.exclude(status=S.WITHDRAWN).count(),
        "registered": all_items.filter(number__isnull=False).count(),
        "opinions": all_items.filter(kind=ProposalKind.OPINION).count(),
        "not_registered": all_items.filter(status=S.NOT_REGISTERED).count(),
        "merged": all_items.filter(status=S.MERGED).count(),
        "withdrawn": all_items.filter(status=S.WITHDRAWN).count(),
        "under_review": all_items.filter(status__in=[S.SUBMITTED, S.UNDER_REVIEW, S.REFERRED]).count(),
    }
    registered = Proposal.objects.filter(session=session, number__isnull=False).order_by("number")
    rows = _proposal_rows(registered)
    by_category = {}
    for row in rows:
        c = by_category.setdefault(
            row["category"] or _("未分类"),
            {
                "category": row["category"] or _("未分类"),
                "registered": 0,
                "closed": 0,
                "follow_up": 0,
                "in_handling": 0,
            },
        )
        c["registered"] += 1
        if row["status_code"] == S.CLOSED:
            c["closed"] += 1
        elif row["status_code"] == S.FOLLOW_UP:
            c["follow_up"] += 1
        else:
            c["in_handling"] += 1
    lead = HandlingAssignment.objects.filter(proposal__session=session, role=AssignmentRole.LEAD).select_related(
        "unit", "proposal"
    )
    units = [{**row, "unit": row["unit"].name} for row in unit_statistics_for(lead)]
    first_replies = ProposalReply.objects.filter(proposal__session=session, round=1, released_at__isnull=False)
    replied = first_replies.count()
    on_time = first_replies.filter(on_time=True).count()
    # the proposers' own ratings (a co-signer's or anyone else's do not count), in one query
    proposer_ratings = list(SatisfactionRating.objects.filter(proposal__session=session).filter(_proposer_rated()))
    rules = session.rules_in_force()
    levels = rules.satisfaction_scale if rules else []
    scale = {level["code"]: {"label": level["label"], "count": 0} for level in levels}
    for r in proposer_ratings:
        if r.level in scale:
            scale[r.level]["count"] += 1
    by_reply = {c.value: 0 for c in ReplyCategory}
    for row in rows:
        for c in ReplyCategory:
            if row["reply_category"] == str(c.label):
                by_reply[c.value] += 1
    carried = Proposal.objects.filter(
        session__term__congress=session.term.congress, session__opens_on__lt=session.opens_on, status=S.FOLLOW_UP
    ).order_by("session__opens_on", "number")
    figures = {
        "session": {"id": session.pk, "name": str(session), "opens_on": session.opens_on.isoformat()},
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "counts": counts,
        "by_category": sorted(by_category.values(), key=lambda c: c["category"]),
        "by_unit": units,
        "by_reply_category": {str(ReplyCategory(k).label): v for k, v in by_reply.items()},
        "replied": replied,
        "on_time": on_time,
        "on_time_rate": percent(on_time, replied),
        "ratings": len(proposer_ratings),
        "satisfaction": [{"code": code, **v} for code, v in scale.items()],
        "satisfaction_rate": percent(sum(1 for r in proposer_ratings if r.accepts), len(proposer_ratings)),
        "proposals": rows,
        "carried_over": _proposal_rows(carried),
    }
    return HandlingReport(
        title=_("提案办理情况报告"),
        figures=figures,
        rows=_summary_rows(figures),
        charts=handling_report_charts(figures),
    )


COUNT_LABELS = (
    ("received", _l("收到")),
    ("registered", _l("立案")),
    ("opinions", _l("意见建议")),
    ("not_registered", _l("不予立案")),
    ("merged", _l("并案")),
    ("withdrawn", _l("撤回")),
)


def _summary_rows(figures: dict) -> list:
    rows = RowsBuilder().section(_("收到和立案"))
    for key, label in COUNT_LABELS:
        rows.add(str(label), figures["counts"][key])
    rows.section(_("答复"))
    rows.add(_("已答复"), figures["replied"]).add(_("按期"), figures["on_time"])
    rows.add(_("按期答复率(%)"), figures["on_time_rate"]).add(_("满意率(%)"), figures["satisfaction_rate"])
    rows.section(_("评价"))
    for level in figures["satisfaction"]:
        rows.add(level["label"], level["count"])
    for c in figures["by_category"]:
        rows.section(_("类别：%(name)s") % {"name": c["category"]})
        rows.add(_("立案"), c["registered"]).add(_("办结"), c["closed"])
        rows.add(_("持续跟踪"), c["follow_up"]).add(_("办理中"), c["in_handling"])
    for u in figures["by_unit"]:
        rows.section(_("承办单位：%(name)s") % {"name": u["unit"]})
        rows.add(_("主办提案"), u["proposals"]).add(_("已答复"), u["replied"])
        rows.add(_("按期率(%)"), u["on_time_rate"]).add(_("满意率(%)"), u["satisfaction_rate"])
        rows.add(_("重新办理率(%)"), u["rehandling_rate"])
    return rows.rows


def handling_report_charts(figures: dict) -> dict[str, Chart]:
    """The report's charts (`Report.charts`): the registered proposals by category (with how
    many are closed) and the proposers' ratings by level."""
    return {
        "categories": Chart.grouped(
            _("各类别立案与办结"),
            [(c["category"], c["registered"], c["closed"]) for c in figures["by_category"]],
            names=[_("立案"), _("办结")],
        ),
        "satisfaction": Chart.pie(
            _("提案人评价"), [(level["label"], level["count"]) for level in figures["satisfaction"]]
        ),
    }


class HandlingReport(Report):
    """The handling report; its .xlsx has three sheets: the summary, the units, and every
    proposal (with those carried over)."""

    def xlsx(self) -> bytes:
        f = self.figures
        summary: list[list] = [[f["session"]["name"], _("提案办理情况报告")]]
        summary += [[str(label), f["counts"][key]] for key, label in COUNT_LABELS]
        summary += [[_("按期答复率(%)"), f["on_time_rate"]], [_("满意率(%)"), f["satisfaction_rate"]], []]
        summary.append([_("类别"), _("立案"), _("办结"), _("持续跟踪"), _("办理中")])
        summary += [
            [c["category"], c["registered"], c["closed"], c["follow_up"], c["in_handling"]] for c in f["by_category"]
        ]
        summary += [[], [_("评价"), _("人次")]]
        summary += [[level["label"], level["count"]] for level in f["satisfaction"]]
        items = []
        for row in f["proposals"] + f["carried_over"]:
            values = [row[key] for key, _label in REPORT_COLUMNS]
            on_time = row["on_time"]
            values[ON_TIME_COLUMN] = "" if on_time is None else (_("是") if on_time else _("否"))
            items.append([row["session"], *values])
        return xlsx_book_bytes(
            [
                Sheet(title=_("汇总"), rows=summary),
                Sheet(
                    title=_("承办单位"),
                    headers=[str(label) for _key, label in UNIT_COLUMNS],
                    rows=[[u[key] for key, _label in UNIT_COLUMNS] for u in f["by_unit"]],
                ),
                Sheet(
                    title=_("提案"), headers=[_("会议")] + [str(label) for _key, label in REPORT_COLUMNS], rows=items
                ),
            ]
        )


UNIT_COLUMNS = [
    ("unit", _l("单位")),
    ("proposals", _l("主办提案")),
    ("replied", _l("已答复")),
    ("on_time", _l("按期")),
    ("on_time_rate", _l("按期率(%)")),
    ("ratings", _l("评价人次")),
    ("satisfaction_rate", _l("满意率(%)")),
    ("rehandling_rate", _l("重新办理率(%)")),
]
REPORT_COLUMNS = [
    ("number", _l("编号")),
    ("title", _l("案由")),
    ("category", _l("类别")),
    ("proposers", _l("提案人")),
    ("lead_unit", _l("主办单位")),
    ("co_units", _l("协办单位")),
    ("deadline", _l("答复期限")),
    ("status", _l("状态")),
    ("reply_category", _l("答复类别")),
    ("reply", _l("答复")),
    ("target_date", _l("计划完成")),
    ("on_time", _l("按期")),
    ("satisfaction", _l("评价")),
    ("rounds", _l("轮次")),
]
ON_TIME_COLUMN = [key for key, _label in REPORT_COLUMNS].index("on_time")


def handling_report_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string("proposals/report_pdf.html", {"report": report.figures})
    return HTML(string=html).write_pdf()


def catalogue_pdf(*, session, published_only: bool = False) -> bytes:
    """The session's printable catalogue of registered proposals (提案汇编); for staff at
    large only what has been published."""
    from weasyprint import HTML

    proposals = Proposal.objects.filter(session=session, number__isnull=False)
    if published_only:
        proposals = proposals.filter(published_at__isnull=False)
    proposals = (
        proposals.select_related("category", "suggested_unit")
        .prefetch_related("proposers__delegate__person", "co_signatures__delegate__person")
        .order_by("number")
    )
    html = render_to_string("proposals/catalogue_pdf.html", {"session": session, "proposals": proposals})
    return HTML(string=html).write_pdf()

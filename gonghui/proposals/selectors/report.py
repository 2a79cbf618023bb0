"""The handling report for the next session (Art. 7(5)): generated from the data, as a
plain dict (JSON for the command and API), .xlsx and PDF."""

import io

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.proposals.choices import AssignmentRole, ProposalKind, ProposalStatus, ReplyCategory
from gonghui.proposals.models import HandlingAssignment, Proposal, ProposalReply, SatisfactionRating
from gonghui.proposals.selectors.proposals import _rate, unit_statistics_for

S = ProposalStatus


def _proposal_rows(qs):
    rows = []
    qs = qs.select_related("category", "session__term").prefetch_related(
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
                "satisfaction": latest.level if latest else "",
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


def handling_report(*, session) -> dict:
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
    proposer_ratings = [
        r
        for r in SatisfactionRating.objects.filter(proposal__session=session).select_related("proposal")
        if r.proposal.proposers.filter(delegate_id=r.rater_id).exists()
    ]
    scale = {level["code"]: {"label": level["label"], "count": 0} for level in session.satisfaction_scale}
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
    return {
        "session": {"id": session.pk, "name": str(session), "opens_on": session.opens_on.isoformat()},
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "counts": counts,
        "by_category": sorted(by_category.values(), key=lambda c: c["category"]),
        "by_unit": units,
        "by_reply_category": {str(ReplyCategory(k).label): v for k, v in by_reply.items()},
        "replied": replied,
        "on_time": on_time,
        "on_time_rate": _rate(on_time, replied),
        "ratings": len(proposer_ratings),
        "satisfaction": [{"code": code, **v} for code, v in scale.items()],
        "satisfaction_rate": _rate(sum(1 for r in proposer_ratings if r.accepts), len(proposer_ratings)),
        "proposals": rows,
        "carried_over": _proposal_rows(carried),
    }


REPORT_COLUMNS = [
    ("number", "编号"),
    ("title", "案由"),
    ("category", "类别"),
    ("proposers", "提案人"),
    ("lead_unit", "主办单位"),
    ("co_units", "协办单位"),
    ("deadline", "答复期限"),
    ("status", "状态"),
    ("reply_category", "答复类别"),
    ("reply", "答复"),
    ("target_date", "计划完成"),
    ("on_time", "按期"),
    ("satisfaction", "评价"),
    ("rounds", "轮次"),
]


def handling_report_xlsx(report: dict) -> bytes:
    """Three sheets: summary, by unit, every proposal (with those carried over)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([report["session"]["name"], "提案办理情况报告"])
    for key, label in (
        ("received", "收到"),
        ("registered", "立案"),
        ("opinions", "意见建议"),
        ("not_registered", "不予立案"),
        ("merged", "并案"),
        ("withdrawn", "撤回"),
    ):
        ws.append([label, report["counts"][key]])
    ws.append(["按期答复率(%)", report["on_time_rate"]])
    ws.append(["满意率(%)", report["satisfaction_rate"]])
    ws.append([])
    ws.append(["类别", "立案", "办结", "持续跟踪", "办理中"])
    for c in report["by_category"]:
        ws.append([c["category"], c["registered"], c["closed"], c["follow_up"], c["in_handling"]])
    ws.append([])
    ws.append(["评价", "人次"])
    for s in report["satisfaction"]:
        ws.append([s["label"], s["count"]])
    units = wb.create_sheet("承办单位")
    units.append(["单位", "主办提案", "已答复", "按期", "按期率(%)", "评价人次", "满意率(%)", "重新办理率(%)"])
    for u in report["by_unit"]:
        units.append(
            [
                u["unit"],
                u["proposals"],
                u["replied"],
                u["on_time"],
                u["on_time_rate"],
                u["ratings"],
                u["satisfaction_rate"],
                u["rehandling_rate"],
            ]
        )
    items = wb.create_sheet("提案")
    items.append(["会议"] + [label for _key, label in REPORT_COLUMNS])
    for row in report["proposals"] + report["carried_over"]:
        values = []
        for key, _label in REPORT_COLUMNS:
            value = row[key]
            if key == "on_time":
                value = "" if value is None else ("是" if value else "否")
            values.append(value)
        items.append([row["session"]] + values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def handling_report_pdf(report: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("proposals/report_pdf.html", {"report": report})
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

"""A deliberation's report (issue 13 §6) through core's report kit: opinions by college and by
article, participation per college, the time from each round's close to the drafting unit's
answer, the answers, and the vote; the roll-up sent to the drafting unit as .xlsx and PDF; the
full history as a page and a PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.core.excel import Sheet, xlsx_book_bytes
from gonghui.core.reports import Chart, Report, RowsBuilder, rate
from gonghui.core.workdays import working_days_between
from gonghui.deliberations.choices import AnswerStatus, DeliberationStatus, OpinionChannel
from gonghui.deliberations.models import Deliberation, Opinion, OpinionGroup, OpinionRound, Vote
from gonghui.deliberations.selectors.deliberations import colleges_overview, groups_with_opinions, rollup_groups


def _days(start, end) -> dict | None:
    if not (start and end):
        return None
    start, end = timezone.localdate(start), timezone.localdate(end)
    return {"days": (end - start).days, "working_days": working_days_between(start, end)}


def round_figures(opinion_round: OpinionRound) -> dict:
    opinions = Opinion.objects.filter(round=opinion_round)
    colleges = colleges_overview(opinion_round=opinion_round)
    by_article = [
        {"article": label or _("总体意见"), "opinions": n}
        for label, n in opinions.values_list("article__label")
        .annotate(n=Count("id"))
        .order_by(F("article__position").asc(nulls_first=True))
        .values_list("article__label", "n")
    ]
    matrix = {}
    for college, label, n in (
        opinions.values_list("sub_union__name", "article__label")
        .annotate(n=Count("id"))
        .values_list("sub_union__name", "article__label", "n")
    ):
        matrix.setdefault(college, {})[label or _("总体意见")] = n
    answers = dict(
        OpinionGroup.objects.filter(round=opinion_round)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {
        "round": opinion_round.number,
        "version": str(opinion_round.version),
        "opens_at": timezone.localtime(opinion_round.opens_at),
        "closes_at": timezone.localtime(opinion_round.ends_at),
        "audience": opinion_round.get_audience_display(),
        "anonymous": opinion_round.anonymous,
        "opinions": sum(c.opinions for c in colleges),
        "authors": sum(c.authors for c in colleges),
        "staff": sum(c.staff for c in colleges),
        "participation": rate(sum(c.authors for c in colleges), sum(c.staff for c in colleges)),
        "groups": sum(answers.values()),
        "answers": {str(AnswerStatus(s).label): answers.get(s, 0) for s in AnswerStatus.values},
        "close_to_sent": _days(opinion_round.ends_at, opinion_round.sent_at),
        "close_to_answer": _days(opinion_round.ends_at, opinion_round.answered_at),
        "by_college": [
            {
                "college": c.college,
                "opinions": c.opinions,
                "authors": c.authors,
                "staff": c.staff,
                "participation": c.participation,
            }
            for c in colleges
        ],
        "by_article": by_article,
        "college_article": matrix,
    }


def vote_figures(vote) -> dict:
    """A vote's counts and outcome, as the report and the API give them."""
    return {
        "version": str(vote.version),
        "method": vote.get_method_display(),
        "held_on": vote.held_on,
        "delegates": vote.delegates,
        "present": vote.present,
        "for": vote.votes_for,
        "against": vote.votes_against,
        "abstain": vote.abstentions,
        "adopted": vote.adopted,
    }


def deliberation_report(deliberation: Deliberation) -> Report:
    rounds = list(deliberation.rounds.select_related("version", "deliberation__session").order_by("number"))
    votes = list(deliberation.votes.select_related("version").order_by("recorded_at"))
    figures = {
        "deliberation": deliberation.pk,
        "topic": deliberation.topic,
        "drafting_unit": deliberation.drafting_unit.name,
        "session": str(deliberation.session),
        "status": deliberation.get_status_display(),
        "versions": deliberation.versions.filter(status="published").count(),
        "rounds": [round_figures(r) for r in rounds],
        "votes": [vote_figures(v) for v in votes],
        "generated_at": timezone.localtime(),
    }
    rows = RowsBuilder()
    for r in figures["rounds"]:
        rows.section(_("第%(n)s轮（%(version)s）") % {"n": r["round"], "version": r["version"]})
        rows.add(_("意见条数"), r["opinions"]).add(_("提出意见人数"), r["authors"]).add(_("征求对象人数"), r["staff"])
        rows.add(_("参与率"), r["participation"]).add(_("归并后意见组"), r["groups"])
        for label, n in r["answers"].items():
            rows.add(label, n)
        if r["close_to_answer"]:
            rows.add(_("截止至答复（工作日）"), r["close_to_answer"]["working_days"])
        for c in r["by_college"]:
            rows.add(
                _("%(college)s：意见/人数/参与率") % {"college": c["college"]},
                f"{c['opinions']}/{c['authors']}/{c['participation'] if c['participation'] is not None else '—'}",
            )
        for a in r["by_article"]:
            rows.add(_("%(article)s 意见") % {"article": a["article"]}, a["opinions"])
    for v in figures["votes"]:
        rows.section(_("表决（%(version)s）") % {"version": v["version"]})
        rows.add(_("应到/实到"), f"{v['delegates']}/{v['present']}")
        rows.add(_("赞成"), v["for"]).add(_("反对"), v["against"]).add(_("弃权"), v["abstain"])
        rows.add(_("结果"), _("通过") if v["adopted"] else _("未通过"))
    charts = {}
    if rounds:
        last = figures["rounds"][-1]
        charts["colleges"] = Chart.bars(
            _("第%(n)s轮各学院意见条数") % {"n": last["round"]},
            [(c["college"], c["opinions"]) for c in last["by_college"]],
            name=_("意见条数"),
        )
        charts["answers"] = Chart.pie(_("第%(n)s轮答复情况") % {"n": last["round"]}, list(last["answers"].items()))
    return Report(
        title=_("专题审议报告"),
        figures=figures,
        rows=rows.rows,
        headers=(_("轮次"), _("项目"), _("数值")),
        charts=charts,
    )


def year_figures(*, user, year: int) -> dict:
    """The deliberations of the sessions opening in `year` that `user` may read, summed as
    their reports count them, in four aggregate queries: the drafts put out for opinions (a
    round opened on them), put to the vote and adopted; the rounds; the opinions and the people
    who gave them (a college's collective opinion has no author); the groups the opinions were
    rolled up into, by the drafting unit's answer."""
    deliberations = Deliberation.objects.restrict(user, "view").filter(session__opens_on__year=year)
    ids = deliberations.values("pk")
    counts = deliberations.aggregate(
        drafts=Count("pk", filter=Q(Exists(OpinionRound.objects.filter(deliberation=OuterRef("pk"))))),
        voted=Count("pk", filter=Q(Exists(Vote.objects.filter(deliberation=OuterRef("pk"))))),
        adopted=Count("pk", filter=Q(status=DeliberationStatus.ADOPTED)),
    )
    rounds = OpinionRound.objects.filter(deliberation__in=ids).count()
    opinions = Opinion.objects.filter(round__deliberation__in=ids).aggregate(
        opinions=Count("pk"), authors=Count("author", distinct=True)
    )
    answers = dict(
        OpinionGroup.objects.filter(round__deliberation__in=ids)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by()
    )
    return {
        "year": year,
        **counts,
        "rounds": rounds,
        **opinions,
        "groups": sum(answers.values()),
        "answers": {status: answers.get(status, 0) for status in AnswerStatus.values},
    }


# --- the roll-up as files for the drafting unit -------------------------------------------------


def _author(opinion: Opinion, shown: bool) -> str:
    if not shown:
        return _("（匿名）")
    return opinion.author.name if opinion.author else _("（学院集体意见）")


def rollup_xlsx(*, user, opinion_round: OpinionRound) -> bytes:
    """The roll-up as a workbook for the drafting unit: the groups, then every opinion with its
    college (and its author, unless the round hides authors from the reader). Read as plain
    values: a round may hold thousands of opinions."""
    from gonghui.deliberations.models import on_presidium

    access = get_access(user)
    hide = opinion_round.anonymous and not (
        access.reads_everything or on_presidium(access, opinion_round.deliberation.session_id)
    )
    general = _("总体意见")
    groups = rollup_groups(user=user, opinion_round=opinion_round)
    group_rows = list(
        groups.values_list("pk", "number", "article__label", "summary", "size", "colleges", "status", "reason")
    )
    opinions = (
        Opinion.objects.filter(group__in=[row[0] for row in group_rows])
        .order_by("group__number", "id")
        .values_list(
            "group_id", "group__number", "article__label", "sub_union__name", "author__name", "channel", "text"
        )
    )
    colleges: dict[int, list[str]] = {}
    detail_rows = []
    channels = dict(OpinionChannel.choices)
    for group_id, number, label, college, author, channel, text in opinions.iterator(chunk_size=2000):
        colleges.setdefault(group_id, [])
        if college not in colleges[group_id]:
            colleges[group_id].append(college)
        shown = _("（匿名）") if hide else (author or _("（学院集体意见）"))
        detail_rows.append([number, label or general, college, shown, str(channels[channel]), text])
    statuses = dict(AnswerStatus.choices)
    summary = Sheet(
        title=_("意见汇总"),
        headers=[_("序号"), _("条款"), _("意见摘要"), _("条数"), _("学院数"), _("学院"), _("答复"), _("理由")],
        rows=[
            [
                number,
                label or general,
                text,
                size,
                count,
                "、".join(colleges.get(pk, [])),
                str(statuses[status]),
                reason,
            ]
            for pk, number, label, text, size, count, status, reason in group_rows
        ],
    )
    detail = Sheet(
        title=_("意见明细"),
        headers=[_("意见组"), _("条款"), _("学院"), _("提出人"), _("方式"), _("意见")],
        rows=detail_rows,
    )
    return xlsx_book_bytes([summary, detail])


def rollup_pdf(*, user, opinion_round: OpinionRound) -> bytes:
    from weasyprint import HTML

    groups = rollup_groups(user=user, opinion_round=opinion_round)
    html = render_to_string(
        "deliberations/rollup_pdf.html",
        {
            "round": opinion_round,
            "deliberation": opinion_round.deliberation,
            "rows": [
                (g, [(o, _author(o, shown)) for o, shown in members], colleges)
                for g, members, colleges in groups_with_opinions(user=user, groups=groups)
            ],
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


# --- the full history -------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    at: object
    what: str
    detail: str
    actor: str


def deliberation_history(*, user, deliberation: Deliberation) -> list[HistoryEntry]:
    """Every step of the deliberation, its versions and its answers, in time order. Who
    answered is shown; a group's opinions are not (the roll-up has them, scoped)."""
    access = get_access(user)
    entries: list[HistoryEntry] = []

    def add(events, prefix: str = "") -> None:
        for e in events.select_related("actor__person"):
            label = e.to_label if e.is_state_change else _step_label(e)
            entries.append(
                HistoryEntry(
                    at=e.at,
                    what=f"{prefix}{label}",
                    detail=e.message,
                    actor=(str(e.actor) if e.actor and access.is_back_office else ""),
                )
            )

    add(deliberation.events.all())
    for version in deliberation.versions.filter(status="published"):
        add(version.events.filter(to_state="published"), f"{version} ")
    entries.sort(key=lambda entry: entry.at)  # type: ignore[arg-type, return-value]
    return entries


def _step_label(event) -> str:
    from django.utils.translation import gettext

    labels = {
        "created": gettext("设立"),
        "version_drafted": gettext("起草稿本"),
        "version_published": gettext("发布稿本"),
        "regrouped": gettext("调整意见归并"),
        "edited": gettext("修改"),
    }
    return labels.get(event.step, event.step)


def history_pdf(*, user, deliberation: Deliberation) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "deliberations/history_pdf.html",
        {
            "deliberation": deliberation,
            "entries": deliberation_history(user=user, deliberation=deliberation),
            "report": deliberation_report(deliberation).figures,
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()

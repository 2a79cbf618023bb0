"""One cohort's report (`python manage.py mentorship_report --cohort N`, and the report page):
a core `Report` whose figures are the JSON, whose rows are the text and the .xlsx, with its
charts.

- **summary**: the pairs by status and by source, how many signed their agreement (`agreed`:
  an agreement date) and how many are active now; mentees, mentors and colleges.
- **duties**: for each college and each cycle year, how many pairs met each requirement (the
  confirmed duties of a kind in that year at least the rules' number) and all of them, and
  the confirmed duties by kind. A pair is counted once its mentoring started; a mentee whose
  mentor changed is one pair (the duties of the chain count for the last pair, as the
  counters do). Duties waiting for the college are shown apart (`pending`).
- **outcomes**: the end-of-cycle grades (as the rules name them), the extensions' results and
  those still waiting.
- **stipends**: the ledger summed by kind (payments, reversals) and in all, exactly to the cent;
  what is due and not yet paid.

Everything comes through the scoped querysets (`restrict(user)`): a college's officer sees
their college's pairs, duties and grades, the office, auditors and the system actor all."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.utils.translation import gettext as _

from gonghui.core.money import money
from gonghui.core.reports import Chart, Report, RowsBuilder
from gonghui.mentorship.choices import (
    AssessmentStage,
    DutyKind,
    DutyStatus,
    Outcome,
    PairSource,
    PairStatus,
    StipendKind,
)
from gonghui.mentorship.models import Assessment, Cohort, DutyLog, Pair, StipendEntry
from gonghui.mentorship.services.stipends import stipends_due

ZERO = Decimal("0.00")


def _heads(pairs: list[Pair]) -> dict[int, int]:
    """Each pair → the last pair of its mentee's chain (a mentor change starts a new pair)."""
    following = {p.previous_id: p.pk for p in pairs if p.previous_id}
    heads = {}
    for pair in pairs:
        head = pair.pk
        while head in following:
            head = following[head]
        heads[pair.pk] = head
    return heads


def _duties(user, cohort: Cohort, pairs: list[Pair], requirements: dict[str, int]) -> dict:
    heads = _heads(pairs)
    by_pk = {p.pk: p for p in pairs}
    counted = [p for p in pairs if p.started_on is not None and heads[p.pk] == p.pk]
    bounds = cohort.year_bounds()
    kinds = [kind for kind in DutyKind if requirements[kind]]
    confirmed: dict[tuple[int, int, str], int] = Counter()  # (head, year, kind)
    by_college_kind: dict[tuple[int, str], int] = Counter()
    totals: dict[str, int] = Counter()
    pending: dict[str, int] = Counter()
    # Counted in the database, by pair, kind, status and cycle year (None: outside the cycle).
    year_of_duty = Case(
        *(When(held_on__range=(start, end), then=Value(index)) for index, (start, end) in enumerate(bounds, start=1)),
        default=Value(None),
        output_field=IntegerField(),
    )
    rows = (
        DutyLog.objects.restrict(user)
        .filter(pair__cohort=cohort)
        .exclude(status=DutyStatus.RETURNED)
        .annotate(year=year_of_duty)
        .values_list("pair_id", "kind", "status", "year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pair_id, kind, status, year, n in rows:
        if status != DutyStatus.CONFIRMED:
            pending[kind] += n
            continue
        totals[kind] += n
        head = heads.get(pair_id)
        if head is None:  # a pair the user may not see (cannot happen: same scope)
            continue
        by_college_kind[(by_pk[head].college_id, kind)] += n
        if year is not None:
            confirmed[(head, year, kind)] += n
    colleges: dict[int, dict] = {}
    for pair in sorted(counted, key=lambda p: (p.college.code, p.pk)):
        college = colleges.setdefault(
            pair.college_id,
            {
                "college": pair.college.name,
                "pairs": 0,
                "years": [
                    {"year": index, "starts_on": start, "ends_on": end, "met": dict.fromkeys(kinds, 0), "all": 0}
                    for index, (start, end) in enumerate(bounds, start=1)
                ],
                "confirmed": {str(kind): by_college_kind[(pair.college_id, kind)] for kind in DutyKind},
            },
        )
        college["pairs"] += 1
        for year in college["years"]:
            met = [kind for kind in kinds if confirmed[(pair.pk, year["year"], kind)] >= requirements[kind]]
            for kind in met:
                year["met"][kind] += 1
            if len(met) == len(kinds):
                year["all"] += 1
    for college in colleges.values():
        for year in college["years"]:
            year["met"] = {str(kind): count for kind, count in year["met"].items()}
    return {
        "requirements": {str(kind): requirements[kind] for kind in DutyKind},
        "years": [
            {"year": index, "starts_on": start, "ends_on": end} for index, (start, end) in enumerate(bounds, start=1)
        ],
        "pairs": len(counted),
        "confirmed": {str(kind): totals[kind] for kind in DutyKind},
        "pending": {str(kind): pending[kind] for kind in DutyKind},
        "by_college": list(colleges.values()),
    }


def _outcomes(user, cohort: Cohort, pairs: list[Pair]) -> dict:
    assessments = list(
        Assessment.objects.restrict(user).filter(pair__cohort=cohort).exclude(grade_code="").order_by("pk")
    )
    cycle = Counter(a.grade_code for a in assessments if a.stage == AssessmentStage.CYCLE)
    extension = Counter(a.outcome for a in assessments if a.stage == AssessmentStage.EXTENSION)
    grades = [
        {"code": grade.code, "label": grade.label, "outcome": grade.outcome, "count": cycle.get(grade.code, 0)}
        for grade in cohort.rules.grades.all()
    ]
    waiting = sum(1 for p in pairs if p.status in (PairStatus.BASICALLY_PASSED, PairStatus.EXTENDED))
    return {
        "assessed": sum(cycle.values()),
        "grades": grades,
        "extension": {
            "passed": extension.get(Outcome.PASSED, 0),
            "failed": extension.get(Outcome.FAILED, 0),
            "waiting": waiting,
        },
        "not_assessed": sum(1 for p in pairs if p.status == PairStatus.NOT_ASSESSED),
    }


def _stipends(user, cohort: Cohort) -> dict:
    entries = StipendEntry.objects.restrict(user).filter(pair__cohort=cohort)
    sums = {row["kind"]: row for row in entries.values("kind").annotate(total=Sum("amount"), n=Count("pk"))}
    by_stage = {
        row["assessment__stage"]: money(row["total"])
        for row in entries.values("assessment__stage").annotate(total=Sum("amount"))
    }
    payment = money(sums.get(StipendKind.PAYMENT, {}).get("total") or ZERO)
    reversal = money(sums.get(StipendKind.REVERSAL, {}).get("total") or ZERO)
    due = stipends_due(cohort).filter(pk__in=Assessment.objects.restrict(user).values("pk"))
    return {
        "payment": payment,
        "reversal": reversal,
        "paid": money(payment + reversal),
        "entries": entries.count(),
        "mentors": entries.values("person_id").distinct().count(),
        "by_stage": {str(stage): by_stage.get(stage, ZERO) for stage in AssessmentStage},
        "due": money(sum((a.stipend for a in due), ZERO)),
    }


def cohort_report(*, user, cohort: Cohort) -> Report:
    """The report of one cohort, as `user` may read it."""
    rules = cohort.rules
    requirements = rules.requirements()
    pairs = list(Pair.objects.restrict(user).filter(cohort=cohort).select_related("college").order_by("pk"))
    live = [p for p in pairs if p.status != PairStatus.WITHDRAWN]
    statuses = Counter(p.status for p in pairs)
    sources = Counter(p.source for p in live)
    duties = _duties(user, cohort, pairs, requirements)
    outcomes = _outcomes(user, cohort, pairs)
    stipends = _stipends(user, cohort)
    summary = {
        "pairs": len(live),
        "by_status": {str(s): statuses.get(s, 0) for s in PairStatus},
        "by_source": {str(s): sources.get(s, 0) for s in PairSource},
        "agreed": sum(1 for p in live if p.agreement_signed_on is not None),
        "active": statuses.get(PairStatus.ACTIVE, 0),
        "mentees": len({p.mentee_id for p in live}),
        "mentors": len({p.mentor_id for p in live}),
        "colleges": len({p.college_id for p in live}),
    }
    figures = {
        "cohort": {
            "number": cohort.number,
            "name": cohort.name,
            "status": cohort.status,
            "starts_on": cohort.starts_on,
            "ends_on": cohort.ends_on,
            "ceremony_on": cohort.ceremony_on,
            "ceremony_place": cohort.ceremony_place,
            "rules": rules.name,
            "pairs_recorded": cohort.pairs_recorded,
        },
        "summary": summary,
        "duties": duties,
        "outcomes": outcomes,
        "stipends": stipends,
    }

    rows = RowsBuilder()
    rows.section(_("概况"))
    rows.add(_("期次"), cohort.name)
    rows.add(_("培养期"), f"{cohort.starts_on.isoformat()} — {cohort.ends_on.isoformat()}")
    rows.add(_("拜师仪式"), cohort.ceremony_on.isoformat() if cohort.ceremony_on else "—")
    rows.add(_("状态"), cohort.get_status_display())
    if cohort.pairs_recorded is not None:
        rows.add(_("结对数（档案记载）"), cohort.pairs_recorded)
    rows.add(_("结对数"), summary["pairs"])
    rows.add(_("已签协议"), summary["agreed"])
    rows.add(_("培养中"), summary["active"])
    rows.add(_("涉及单位"), summary["colleges"])
    rows.section(_("结对状态"))
    for status in PairStatus:
        if statuses.get(status):
            rows.add(str(status.label), statuses[status])
    rows.section(_("结对来源"))
    for source in PairSource:
        if sources.get(source):
            rows.add(str(source.label), sources[source])
    rows.section(_("履职（已确认）"))
    for kind in DutyKind:
        rows.add(str(kind.label), duties["confirmed"][kind])
    for kind in DutyKind:
        if duties["pending"][kind]:
            rows.add(_("%(kind)s待确认") % {"kind": kind.label}, duties["pending"][kind])
    for college in duties["by_college"]:
        rows.section(_("%(college)s履职达标") % {"college": college["college"]})
        rows.add(_("结对数"), college["pairs"])
        for year in college["years"]:
            for kind, count in year["met"].items():
                rows.add(
                    _("第%(year)s年 %(kind)s达标（≥%(n)s次）")
                    % {"year": year["year"], "kind": DutyKind(kind).label, "n": requirements[kind]},
                    count,
                )
            rows.add(_("第%(year)s年 全部达标") % {"year": year["year"]}, year["all"])
    rows.section(_("考核结果"))
    for grade in outcomes["grades"]:
        rows.add(grade["label"], grade["count"])
    rows.add(_("延期考核合格"), outcomes["extension"]["passed"])
    rows.add(_("延期考核不合格"), outcomes["extension"]["failed"])
    rows.add(_("等待延期考核"), outcomes["extension"]["waiting"])
    rows.section(_("导师津贴（元）"))
    rows.add(_("发放"), stipends["payment"])
    rows.add(_("冲销"), stipends["reversal"])
    rows.add(_("实发合计"), stipends["paid"])
    rows.add(_("发放人次"), stipends["entries"])
    rows.add(_("待发放"), stipends["due"])

    charts = {
        "status": Chart.pie(
            _("结对状态"), [(status.label, statuses[status]) for status in PairStatus if statuses.get(status)]
        ),
        "duties": Chart.grouped(
            _("各单位已确认履职（次）"),
            [
                (college["college"], *(college["confirmed"][kind] for kind in DutyKind if requirements[kind]))
                for college in duties["by_college"]
            ],
            names=[str(kind.label) for kind in DutyKind if requirements[kind]],
        ),
        "grades": Chart.bars(
            _("期满考核等次（对）"), [(grade["label"], grade["count"]) for grade in outcomes["grades"]], name=_("对数")
        ),
        "stipends": Chart.bars(
            _("已发放导师津贴（元）"),
            [(stage.label, stipends["by_stage"][stage]) for stage in AssessmentStage],
            name=_("金额"),
            value_format="yuan",
        ),
    }
    return Report(
        title=_("%(name)s统计") % {"name": cohort.name},
        figures=figures,
        rows=rows.rows,
        headers=(_("类别"), _("项目"), _("数值")),
        charts=charts,
    )


def report_cohort_years(*, user) -> list[int]:
    """The years cohorts started in, of the cohorts the user may see (the report page's pick)."""
    return sorted({c.year for c in Cohort.objects.restrict(user).exclude(status="draft").dates("starts_on", "year")})


def cohort_of_year(*, user, year: int) -> Cohort | None:
    """The cohort that started in `year` (the latest-numbered, should two)."""
    return (
        Cohort.objects.restrict(user)
        .exclude(status="draft")
        .filter(starts_on__year=year)
        .select_related("rules")
        .order_by("-number")
        .first()
    )

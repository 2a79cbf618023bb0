"""The history of mentorship pairing across all cohorts (DOMAIN §3.8 "history across
cohorts"; the bulletin's "seven cohorts, 300+ pairs"): every cohort with its number, years,
ceremony, pairs and outcomes, and the totals.

**Pairs** of a cohort older than the system are the archive's figure (`pairs_recorded`); of a
cohort run in the system, its mentees with a pair (a mentee whose mentor changed counts once;
a withdrawn proposal does not count). **Outcomes** are the final states of those pairs (the
last pair of each mentee); the archive records none.

Access: the cohorts are those `Cohort.objects.restrict(user)` lets the user see (everyone
signed in sees the announced ones); the pairs and outcomes are figures of those cohorts (no
names), counted over all their pairs, as competitions' history counts participants.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gonghui.core.reports import Chart, Report, RowsBuilder
from gonghui.mentorship.choices import CohortStatus, PairStatus
from gonghui.mentorship.models import Cohort, Pair

FROM_ARCHIVE, FROM_PAIRS = "recorded", "counted"
# The outcomes the history shows, in order (a pair's final or current state).
OUTCOMES = (
    PairStatus.PASSED,
    PairStatus.BASICALLY_PASSED,
    PairStatus.EXTENDED,
    PairStatus.FAILED,
    PairStatus.NOT_ASSESSED,
    PairStatus.ENDED_EARLY,
    PairStatus.ACTIVE,
    PairStatus.AGREED,
    PairStatus.PROPOSED,
)


@dataclass
class CohortLine:
    cohort: Cohort
    pairs: int
    source: str  # FROM_ARCHIVE or FROM_PAIRS
    outcomes: dict[str, int] = field(default_factory=dict)  # empty for the archive's cohorts

    @property
    def number(self) -> int:
        return self.cohort.number

    @property
    def year(self) -> int:
        return self.cohort.starts_on.year

    @property
    def label(self) -> str:
        return _("第%(n)s期（%(year)s）") % {"n": self.number, "year": self.year}


@dataclass
class History:
    lines: list[CohortLine]
    until_year: int | None = None

    @property
    def cohorts(self) -> int:
        return len(self.lines)

    @property
    def pairs(self) -> int:
        return sum(line.pairs for line in self.lines)

    @property
    def recorded_pairs(self) -> int:
        return sum(line.pairs for line in self.lines if line.source == FROM_ARCHIVE)

    @property
    def counted_pairs(self) -> int:
        return sum(line.pairs for line in self.lines if line.source == FROM_PAIRS)

    def outcome_total(self, status: str) -> int:
        return sum(line.outcomes.get(status, 0) for line in self.lines)


def _final_pairs(cohort_ids) -> dict[int, list[tuple[int, str]]]:
    """Each cohort's (mentee, status) of the last pair of each mentee (withdrawn left out)."""
    rows = (
        Pair.objects.filter(cohort_id__in=cohort_ids)
        .exclude(status=PairStatus.WITHDRAWN)
        .order_by("cohort_id", "mentee_id", "pk")
        .values_list("cohort_id", "mentee_id", "status")
    )
    last: dict[tuple[int, int], str] = {}
    for cohort_id, mentee_id, status in rows:
        last[(cohort_id, mentee_id)] = status  # the latest pair (a mentor change) wins
    result: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for (cohort_id, mentee_id), status in last.items():
        result[cohort_id].append((mentee_id, status))
    return result


def cohort_history(*, user, until_year: int | None = None) -> History:
    """Every cohort the user may see, by number; up to the cohorts starting in `until_year`."""
    cohorts = Cohort.objects.restrict(user).exclude(status=CohortStatus.DRAFT).order_by("number")
    if until_year is not None:
        cohorts = cohorts.filter(starts_on__lte=datetime.date(until_year, 12, 31))
    cohorts = list(cohorts)
    finals = _final_pairs([c.pk for c in cohorts])
    lines = []
    for cohort in cohorts:
        pairs = finals.get(cohort.pk, [])
        if cohort.pairs_recorded is not None and not pairs:
            lines.append(CohortLine(cohort, cohort.pairs_recorded, FROM_ARCHIVE))
            continue
        outcomes = Counter(status for _mentee, status in pairs)
        lines.append(
            CohortLine(
                cohort, len(pairs), FROM_PAIRS, {str(s): outcomes.get(s, 0) for s in OUTCOMES if outcomes.get(s)}
            )
        )
    return History(lines, until_year)


def history_report(*, user, until_year: int | None = None) -> Report:
    """The history as a core `Report`: the figures (JSON), the rows (text, .xlsx) and a chart
    of the pairs per cohort."""
    history = cohort_history(user=user, until_year=until_year)
    outcome_totals = {str(s): history.outcome_total(s) for s in OUTCOMES if history.outcome_total(s)}
    figures = {
        "until_year": until_year,
        "cohorts": history.cohorts,
        "pairs": history.pairs,
        "pairs_recorded": history.recorded_pairs,
        "pairs_counted": history.counted_pairs,
        "outcomes": outcome_totals,
        "lines": [
            {
                "number": line.number,
                "name": line.cohort.name,
                "status": line.cohort.status,
                "starts_on": line.cohort.starts_on,
                "ends_on": line.cohort.ends_on,
                "ceremony_on": line.cohort.ceremony_on,
                "ceremony_place": line.cohort.ceremony_place,
                "pairs": line.pairs,
                "source": line.source,
                "outcomes": line.outcomes,
            }
            for line in history.lines
        ],
    }
    rows = RowsBuilder()
    rows.section(_("合计"))
    rows.add(_("期数"), history.cohorts)
    rows.add(_("结对数"), history.pairs)
    rows.add(_("其中档案记载"), history.recorded_pairs)
    for status, count in outcome_totals.items():
        rows.add(str(PairStatus(status).label), count)
    for line in history.lines:
        rows.section(line.label)
        rows.add(_("名称"), line.cohort.name)
        rows.add(_("培养期"), f"{line.cohort.starts_on.isoformat()} — {line.cohort.ends_on.isoformat()}")
        rows.add(_("拜师仪式"), line.cohort.ceremony_on.isoformat() if line.cohort.ceremony_on else "—")
        rows.add(_("结对数（档案记载）") if line.source == FROM_ARCHIVE else _("结对数"), line.pairs)
        for status, count in line.outcomes.items():
            rows.add(str(PairStatus(status).label), count)
    title = (
        _("青年教师拜师结对历届（至%(year)s年）") % {"year": until_year}
        if until_year is not None
        else _("青年教师拜师结对历届")
    )
    charts = {
        "pairs": Chart.line(_("历届结对数"), [(line.label, line.pairs) for line in history.lines], names=[_("结对数")]),
    }
    return Report(
        title=title, figures=figures, rows=rows.rows, headers=(_("期次"), _("项目"), _("数值")), charts=charts
    )

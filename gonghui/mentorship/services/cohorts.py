"""Cohorts (期): created under an adopted edition of the rules, opened for candidates and
proposals, started at the ceremony (agreed pairs become active), assessed when the cycle
ends, closed when every pair has its final grade. Cohorts older than the system are recorded
from the archive with their number of pairs."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, create_or_refuse
from gonghui.core.workflow import transition, transition_bulk
from gonghui.mentorship.choices import PairStatus
from gonghui.mentorship.models import Cohort, MentorshipRules, Pair
from gonghui.mentorship.workflow import CohortWorkflow, PairWorkflow


def cycle_end(rules: MentorshipRules, starts_on: datetime.date) -> datetime.date:
    """The last day of a cycle of the rules' months from `starts_on`."""
    return starts_on + relativedelta(months=rules.cycle_months) - datetime.timedelta(days=1)


@transaction.atomic
def cohort_create(
    *,
    actor,
    number: int,
    rules: MentorshipRules,
    starts_on: datetime.date,
    name: str = "",
    ends_on: datetime.date | None = None,
    ceremony_on: datetime.date | None = None,
    ceremony_place: str = "",
    proposals_close: datetime.date | None = None,
    pairs_recorded: int | None = None,
    note: str = "",
) -> Cohort:
    """A new cohort under adopted rules; its cycle ends after the rules' months unless given."""
    permission_require(actor, "mentorship.add_cohort")
    if rules.status == EditionStatus.DRAFT:
        raise ApplicationError(_("所选实施办法尚未通过。"), extra={"field": "rules"})
    if number < 1:
        raise ApplicationError(_("期数须大于 0。"), extra={"field": "number"})
    ends_on = ends_on or cycle_end(rules, starts_on)
    if ends_on <= starts_on:
        raise ApplicationError(_("培养期结束须晚于开始。"), extra={"field": "ends_on"})
    if proposals_close and proposals_close > ends_on:
        raise ApplicationError(_("推荐截止不能晚于培养期结束。"), extra={"field": "proposals_close"})
    if Cohort.objects.filter(number=number).exists():
        raise ApplicationError(_("第 %(n)s 期已经存在。") % {"n": number}, extra={"field": "number"})
    cohort = create_or_refuse(
        Cohort,
        ApplicationError(_("第 %(n)s 期已经存在。") % {"n": number}, extra={"field": "number"}),
        number=number,
        name=(name or "").strip() or _("第%(n)s期青年教师拜师结对") % {"n": number},
        rules=rules,
        starts_on=starts_on,
        ends_on=ends_on,
        ceremony_on=ceremony_on,
        ceremony_place=(ceremony_place or "").strip(),
        proposals_close=proposals_close,
        pairs_recorded=pairs_recorded,
        note=(note or "").strip(),
        created_by=actor,
    )
    audit(actor, cohort, AuditAction.CREATED, _("新建%(name)s") % {"name": cohort.name})
    return cohort


@transaction.atomic
def cohort_open(*, actor, cohort: Cohort) -> Cohort:
    """Open the cohort for candidates, proposals and matchings."""
    return transition(CohortWorkflow, cohort, step="open_matching", actor=actor)


@transaction.atomic
def cohort_start(*, actor, cohort: Cohort, ceremony_on: datetime.date | None = None) -> Cohort:
    """The ceremony (拜师仪式): the cohort runs and every agreed pair becomes active. Pairs
    still only proposed stay so, and start once they sign."""
    values = {"ceremony_on": ceremony_on} if ceremony_on else {}
    cohort = transition(CohortWorkflow, cohort, step="start", actor=actor, values=values)
    pairs_activate(actor=actor, cohort=cohort)
    return cohort


def pairs_activate(*, actor, cohort: Cohort) -> int:
    """Every agreed pair of a running cohort → active, from the cohort's start (or today)."""
    agreed = Pair.objects.filter(cohort=cohort, status=PairStatus.AGREED)
    count = transition_bulk(
        PairWorkflow, agreed, to=PairStatus.ACTIVE, actor=actor, message=_("拜师结对开始培养。")
    ).moved
    Pair.objects.filter(cohort=cohort, status=PairStatus.ACTIVE, started_on__isnull=True).update(
        started_on=max(cohort.starts_on, cohort.ceremony_on or cohort.starts_on)
    )
    return count


@transaction.atomic
def cohort_open_assessment(*, actor, cohort: Cohort) -> Cohort:
    return transition(CohortWorkflow, cohort, step="open_assessment", actor=actor)


@transaction.atomic
def cohort_close(*, actor, cohort: Cohort) -> Cohort:
    return transition(CohortWorkflow, cohort, step="close", actor=actor)


@transaction.atomic
def cohort_record(*, actor, cohort: Cohort) -> Cohort:
    """A cohort older than the system: closed as the archive records it."""
    return transition(CohortWorkflow, cohort, step="record", actor=actor)

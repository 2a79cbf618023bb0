"""The mentorship's due work, for a day (default today), run by the `mentorship_due` command
from cron and by the `mentorship_due_run` task, as the system actor: running cohorts whose
cycle ended before the day open their assessment (CohortWorkflow `open_assessment`), and
pairs behind on their duties before a term ends are reminded (`notices.duties_remind`, once
per term end). Running it twice the same day does nothing more."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gonghui.core.workflow import transition
from gonghui.mentorship.choices import CohortStatus
from gonghui.mentorship.models import Cohort
from gonghui.mentorship.services.notices import duties_remind
from gonghui.mentorship.workflow import CohortWorkflow


@dataclass(frozen=True)
class DueResult:
    assessments_opened: int
    pairs_reminded: int


def mentorship_due(*, actor, day: datetime.date | None = None) -> DueResult:
    """The due work of `day`: today, or a day missed (not later than today: the cycle's guard
    reads today's date)."""
    day = day or timezone.localdate()
    opened = 0
    for cohort in Cohort.objects.filter(status=CohortStatus.RUNNING, ends_on__lt=day).order_by("number"):
        with transaction.atomic():
            transition(CohortWorkflow, cohort, step="open_assessment", actor=actor)
        opened += 1
    return DueResult(assessments_opened=opened, pairs_reminded=duties_remind(today=day))

"""python manage.py mentorship_due [--date YYYY-MM-DD] — run from cron once a day: opens the
assessment of running cohorts whose cycle has ended, and reminds the pairs behind on their
duties before a term ends, as the system actor. The task worker does the same
(`mentorship_due_run`)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gonghui.accounts.system import system_actor
from gonghui.mentorship.services.due import mentorship_due


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Open the assessment of mentorship cohorts whose cycle has ended and remind pairs behind on their duties."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, default=None, help="the day to run for (default today; not later)")

    def handle(self, *args, date=None, **options):
        if date is not None and date > timezone.localdate():
            raise CommandError(f"--date {date.isoformat()} is after today")
        result = mentorship_due(actor=system_actor(), day=date)
        self.stdout.write(f"assessments opened: {result.assessments_opened}\npairs reminded: {result.pairs_reminded}")

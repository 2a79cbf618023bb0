"""python manage.py admissions_due [--date YYYY-MM-DD] — run from cron once a day: requests
still drafts after their year's deadline are taken as 视为自行解决 and the parents told, as
the system actor."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gonghui.accounts.system import system_actor
from gonghui.admissions.services.due import drafts_past_deadline_close


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Take admission requests still drafts after the deadline as self-arranged (视为自行解决)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, default=None, help="the day to run for (default today; not later)")

    def handle(self, *args, date=None, **options):
        if date is not None and date > timezone.localdate():
            raise CommandError(f"--date {date.isoformat()} is after today")
        moved = drafts_past_deadline_close(actor=system_actor(), day=date)
        self.stdout.write(f"drafts taken as self-arranged: {moved}")

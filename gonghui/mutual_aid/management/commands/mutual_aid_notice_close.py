"""Daily (cron): end public notices whose period is over (applications → payable) and close
paid applications whose query period is over."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from gonghui.accounts.system import system_actor
from gonghui.mutual_aid.services.committee import notices_end_due
from gonghui.mutual_aid.services.payments import payment_batches_close_due


class Command(BaseCommand):
    help = "End notices past their period and close paid subsidies past their query period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="run as of this date (YYYY-MM-DD); default: today",
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        actor = system_actor()
        payable = notices_end_due(today=today, actor=actor)
        closed = payment_batches_close_due(today=today, actor=actor)
        self.stdout.write(f"payable: {payable}; closed: {closed}")

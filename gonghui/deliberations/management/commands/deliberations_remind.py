"""python manage.py deliberations_remind — run daily from cron: close the opinion rounds past
their closing time (their opinions are grouped for the roll-up) and remind the staff of rounds
closing within a day (once per round)."""

from django.core.management.base import BaseCommand

from gonghui.accounts.system import system_actor
from gonghui.deliberations.services.rounds import rounds_due


class Command(BaseCommand):
    help = "Close opinion rounds past their closing time; remind of rounds closing within a day."

    def handle(self, *args, **options):
        done = rounds_due(actor=system_actor())
        self.stdout.write(f"closed: {done['closed']}, reminded: {done['reminded']}")

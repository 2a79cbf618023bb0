"""python manage.py appraisals_due — run from cron every few minutes on appraisal days: opens
the rounds whose voting time has come and closes those past their closing time."""

from django.core.management.base import BaseCommand

from gonghui.accounts.system import system_actor
from gonghui.appraisals.services.rounds import rounds_due


class Command(BaseCommand):
    help = "Open appraisal rounds whose voting time has come; close those past their closing time."

    def handle(self, *args, **options):
        done = rounds_due(actor=system_actor())
        self.stdout.write(f"opened: {done['opened']}, closed: {done['closed']}")

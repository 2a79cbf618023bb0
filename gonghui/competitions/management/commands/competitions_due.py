"""python manage.py competitions_due — run from cron every few minutes while nominations are
open: closes the nominations of the editions whose nomination deadline has passed (推荐截止),
as the system actor. The task worker does the same (`competitions_nominations_due`)."""

from django.core.management.base import BaseCommand

from gonghui.accounts.system import system_actor
from gonghui.competitions.services.competitions import competitions_due


class Command(BaseCommand):
    help = "Close the nominations of teaching-competition editions whose nomination deadline has passed."

    def handle(self, *args, **options):
        closed = competitions_due(actor=system_actor())
        self.stdout.write(f"nominations closed: {closed}")

"""python manage.py proposals_remind — run daily from cron: remind lead units of replies
due within the session's reminder lead time (once per deadline)."""

from django.core.management.base import BaseCommand

from gonghui.proposals.services.handling import reminders_send


class Command(BaseCommand):
    help = "Remind handling units of proposal replies coming due."

    def handle(self, *args, **options):
        count = reminders_send()
        self.stdout.write(f"reminded: {count}")

"""`python manage.py mutual_aid_fee_run --year YEAR`: what the fee runs page does, synchronously."""

from django.core.management.base import BaseCommand, CommandError

from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ApplicationError
from gonghui.mutual_aid.services.fees import fee_run_execute


class Command(BaseCommand):
    help = "Charge the year's mutual-aid fee to every member not yet charged (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options):
        try:
            result = fee_run_execute(year=year, actor=system_actor())
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"members: {result['members']}")
        self.stdout.write(f"new lines: {result['new_lines']}")
        self.stdout.write(f"already charged: {result['already_charged']}")
        self.stdout.write(f"total amount: {result['total_amount']}")

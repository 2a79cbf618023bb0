"""Run the group enrollment for every adopted edition starting in a year (what the page does)."""

from django.core.management.base import BaseCommand, CommandError

from gonghui.accounts.models import User
from gonghui.accounts.system import system_actor
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.insurance.models import PlanEdition
from gonghui.insurance.services.enrollment import enrollment_run


class Command(BaseCommand):
    help = "Enroll everyone eligible under each adopted plan edition starting in --year (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--user", default="", help="username recorded as the actor (default: the system actor)")

    def handle(self, *args, year: int, user: str, **options):
        actor = User.objects.filter(username=user).first() if user else system_actor()
        if actor is None:
            raise CommandError(f"No user {user!r}; pass --user with a union-office account, or omit it.")
        editions = PlanEdition.objects.filter(status=EditionStatus.ADOPTED, start_date__year=year).select_related(
            "plan"
        )
        if not editions:
            raise CommandError(f"No adopted plan edition starts in {year}.")
        for edition in editions:
            try:
                run = enrollment_run(actor=actor, edition=edition)
            except ApplicationError as error:
                raise CommandError(str(error.message)) from None
            self.stdout.write(
                f"{edition.plan.name} {edition.start_date}: eligible {run.eligible}, "
                f"opted out {run.opted_out}, new {run.created}, already {run.already}"
            )

"""Build the demo university (示范大学): sub-unions, about 2,900 people, one sign-in per role,
then each module's demo (the builders modules register in gonghui.core.registry)."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from gonghui.core.registry import demo_builders
from gonghui.people.demo import DEMO_UNION_NAME, demo_university_build


class Command(BaseCommand):
    help = "Load the deterministic demo university (idempotent; --reset rebuilds it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="EMPTY THE WHOLE DATABASE (manage.py flush) and build the demo again; refused in production",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="fraction of the full size (1,800 active staff and 1,100 retirees); tests use a small one",
        )

    def handle(self, *args, reset: bool, scale: float, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be between 0 and 10")
        started = time.monotonic()
        if reset:
            # Every module's demo records refer to the demo people, so a rebuild starts from
            # an empty database rather than unpicking each module's rows.
            if settings.SETTINGS_MODULE.endswith("production"):
                raise CommandError("--reset empties the database and is refused with production settings.")
            call_command("flush", interactive=False, verbosity=0)
        try:
            result = demo_university_build(scale=scale)
        except ProtectedError as error:
            raise CommandError(
                f"Other records still refer to the demo people ({error.args[0]}); "
                "empty the database with `manage.py flush` and run demo_university again."
            ) from None
        for builder in demo_builders():  # each module's demo, idempotent, in their order
            line = builder.build()
            if line:
                self.stdout.write(line)
        if not result.created:
            self.stdout.write(f"{DEMO_UNION_NAME} already exists: nothing changed (use --reset to rebuild it).")
            return
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"{DEMO_UNION_NAME}: {counts['sub_unions']} sub-unions and groups, {counts['active']} active staff, "
                f"{counts['retired']} retirees, {counts['children']} children, {counts['users']} demo sign-ins "
                f"({time.monotonic() - started:.1f} s)."
            )
        )
        if options["verbosity"] >= 2:
            call_command("demo_logins", stdout=self.stdout)

"""Draft a year's plan editions from the Workers' Insurance Mutual's presets (what the presets
page does, through the same service), and optionally adopt them."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gonghui.accounts.models import User
from gonghui.accounts.system import system_actor
from gonghui.core.editions import EditionStatus, edition_adopt
from gonghui.core.exceptions import ApplicationError
from gonghui.insurance.services.presets import PRESET_CODES, preset_start


class Command(BaseCommand):
    help = (
        "Draft the plan editions of --year (term from 1 July) from the Workers' Insurance Mutual's presets "
        "(ZYJT 住院津贴, ZDJB 重大疾病, NGTJ 女工特疾), as the presets page does; --adopt adopts them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--plan", action="append", choices=PRESET_CODES, help="only this preset (repeatable)")
        parser.add_argument("--adopt", action="store_true", help="adopt the drafts (needs --adopted-on, --resolution)")
        parser.add_argument("--adopted-on", type=datetime.date.fromisoformat, help="adoption date, YYYY-MM-DD")
        parser.add_argument("--resolution", default="", help="the act adopting them, e.g. 校工会办公会议")
        parser.add_argument("--user", default="", help="username recorded as the actor (default: the system actor)")

    def handle(self, *args, year: int, plan, adopt: bool, adopted_on, resolution: str, user: str, **options):
        actor = User.objects.filter(username=user).first() if user else system_actor()
        if actor is None:
            raise CommandError(f"No user {user!r}; pass --user with a union-office account, or omit it.")
        if adopt and (adopted_on is None or not resolution.strip()):
            raise CommandError("--adopt needs --adopted-on and --resolution (the date and the act of adoption).")
        try:
            with transaction.atomic():  # all the presets or none
                for code in plan or PRESET_CODES:
                    edition = preset_start(actor=actor, code=code, year=year)
                    if adopt:
                        edition = edition_adopt(
                            actor=actor, edition=edition, adopted_on=adopted_on, resolution=resolution.strip()
                        )
                    state = "adopted" if edition.status == EditionStatus.ADOPTED else "draft"
                    self.stdout.write(f"{edition.plan.code} {edition.name}: {state} (#{edition.pk})")
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None

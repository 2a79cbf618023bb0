"""python manage.py mentorship_report --cohort N [--format json|text|xlsx] [--output FILE]
python manage.py mentorship_report --history [--until-year YEAR] …

One cohort's report, as the system actor: the pairs by status and source, agreed and active;
duties fulfilled by college (pairs meeting each requirement in each cycle year, confirmed
duties by kind); the grades; the stipends paid (the ledger by kind, to the cent). Or the
history across all cohorts (`--history`): every cohort with its years, ceremony, pairs and
outcomes, and the totals; `--until-year 2021` gives the bulletin's "7 cohorts, 300+ pairs".
The figures are `gonghui.mentorship.selectors.report`'s and `.history`'s."""

from django.core.management.base import CommandError

from gonghui.core.reports import Report, ReportCommand
from gonghui.mentorship.models import Cohort
from gonghui.mentorship.selectors.history import history_report
from gonghui.mentorship.selectors.report import cohort_report


class Command(ReportCommand):
    help = (
        "Print or write a mentorship cohort's report (pairs, duties, grades, stipends), or the history of all cohorts."
    )

    def add_report_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--cohort", type=int, help="the cohort's number (期数)")
        which.add_argument("--history", action="store_true", help="every cohort, with the totals")
        parser.add_argument("--until-year", type=int, help="with --history: the cohorts that started by this year")

    def build_report(self, *, actor, **options) -> Report:
        if options["history"]:
            return history_report(user=actor, until_year=options.get("until_year"))
        if options.get("until_year") is not None:
            raise CommandError("--until-year goes with --history")
        number = options["cohort"]
        cohort = Cohort.objects.restrict(actor).select_related("rules").filter(number=number).first()
        if cohort is None:
            raise CommandError(f"no cohort {number}")
        return cohort_report(user=actor, cohort=cohort)

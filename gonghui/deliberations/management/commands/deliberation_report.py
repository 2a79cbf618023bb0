"""python manage.py deliberation_report --deliberation ID [--format json|text|xlsx|pdf] [--output FILE]

A deliberation's report from its data (opinions by college and article, participation per
college, the time from each round's close to the answers, the answers, the vote), as the
system actor; `pdf` writes its full history."""

from django.core.management.base import CommandError

from gonghui.core.reports import Report, ReportCommand
from gonghui.deliberations.models import Deliberation
from gonghui.deliberations.selectors.report import deliberation_report, history_pdf


class Command(ReportCommand):
    help = "Print or write the report of a draft deliberation."
    formats = ("json", "text", "xlsx", "pdf")

    def add_report_arguments(self, parser):
        parser.add_argument("--deliberation", type=int, required=True)

    def build_report(self, *, actor, deliberation, **options) -> Report:
        found = Deliberation.objects.restrict(actor).select_related("drafting_unit", "session").filter(pk=deliberation)
        self.actor, self.deliberation = actor, found.first()
        if self.deliberation is None:
            raise CommandError(f"no deliberation {deliberation}")
        return deliberation_report(self.deliberation)

    def write_other(self, report: Report, format: str) -> bytes:
        if format == "pdf":
            return history_pdf(user=self.actor, deliberation=self.deliberation)
        return super().write_other(report, format)

"""python manage.py proposals_report --session ID [--format json|text|xlsx|pdf] [--output FILE]

The handling report of a session, generated from the data (counts by category and unit,
on-time rate, satisfaction, each proposal's status and reply, follow-ups carried over), as
the system actor."""

from django.core.management.base import CommandError

from gonghui.congress.models import CongressSession
from gonghui.core.reports import Report, ReportCommand
from gonghui.proposals.selectors.report import handling_report, handling_report_pdf


class Command(ReportCommand):
    help = "Print or write the proposals handling report of a congress session."
    formats = ("json", "text", "xlsx", "pdf")

    def add_report_arguments(self, parser):
        parser.add_argument("--session", type=int, required=True)

    def build_report(self, *, actor, session, **options) -> Report:
        found = CongressSession.objects.restrict(actor).select_related("term__congress").filter(pk=session).first()
        if found is None:
            raise CommandError(f"no congress session {session}")
        return handling_report(session=found)

    def write_other(self, report: Report, format: str) -> bytes:
        if format == "pdf":
            return handling_report_pdf(report)
        return super().write_other(report, format)

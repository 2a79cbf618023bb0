"""python manage.py proposals_report --session ID [--format json|xlsx|pdf] [--output FILE]

The handling report of a session, generated from the data (counts by category and unit,
on-time rate, satisfaction, each proposal's status and reply, follow-ups carried over)."""

import json

from django.core.management.base import BaseCommand, CommandError

from gonghui.congress.models import CongressSession
from gonghui.proposals.selectors.report import handling_report, handling_report_pdf, handling_report_xlsx


class Command(BaseCommand):
    help = "Print or write the proposals handling report of a congress session."

    def add_arguments(self, parser):
        parser.add_argument("--session", type=int, required=True)
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", help="file to write (required for xlsx and pdf)")

    def handle(self, *args, session, format, output, **options):
        try:
            session_obj = CongressSession.objects.select_related("term__congress").get(pk=session)
        except CongressSession.DoesNotExist as exc:
            raise CommandError(f"no congress session {session}") from exc
        report = handling_report(session=session_obj)
        if format == "json":
            text = json.dumps(report, ensure_ascii=False, indent=2)
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                self.stdout.write(text)
            return
        if not output:
            raise CommandError("--output is required for xlsx and pdf")
        data = handling_report_xlsx(report) if format == "xlsx" else handling_report_pdf(report)
        with open(output, "wb") as fh:
            fh.write(data)
        self.stdout.write(f"{output}: {len(data)} bytes")

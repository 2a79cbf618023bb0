"""python manage.py appraisal_report --round ID [--format json|text|xlsx|pdf] [--output FILE] [--user USERNAME]

A round's report. Without --user it runs as the system actor and prints the turnout per unit
only, as the union office sees it. With --user naming an account of the organisation department
(组织部), once the round's results are released, it prints everything: the turnout and every
cadre's and team's results (and writes the results PDF); that output is an export, recorded in
the audit trail under that account. Any other account gets what it may read of the turnout, or
an error; so does an unknown user or round."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import RoundStatus
from gonghui.appraisals.models import reads_results
from gonghui.appraisals.selectors.results import (
    reads_turnout,
    results_pdf,
    results_report,
    results_xlsx,
    turnout_report,
)
from gonghui.appraisals.selectors.rounds import round_get
from gonghui.core.history import export_record
from gonghui.core.reports import Report, ReportCommand, command_text_write


class Command(ReportCommand):
    help = (
        "Print or write a cadre appraisal round's report: turnout only, or everything with "
        "--user naming an account of the organisation department (released rounds)."
    )
    formats = ("json", "text", "xlsx", "pdf")

    def add_report_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, dest="round_id")
        parser.add_argument(
            "--user", help="the account to read as; results need one of the organisation department (组织部)"
        )

    def actor_for(self, username: str | None):
        from gonghui.accounts.models import User
        from gonghui.accounts.system import system_actor

        if not username:
            return system_actor()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        return user

    def build_report(self, *, actor, round_id, **options) -> Report:
        self.actor = actor
        self.round = round_get(user=actor, pk=round_id)
        if self.round is None:
            raise CommandError(f"no appraisal round {round_id}")
        self.with_results = reads_results(get_access(actor)) and self.round.status == RoundStatus.RELEASED
        if self.with_results:
            return results_report(user=actor, appraisal_round=self.round)
        if reads_results(get_access(actor)):
            self.stderr.write("the results are sealed until the organisation department releases them: turnout only")
        if not reads_turnout(actor, self.round):
            raise CommandError(f"{actor.username} may not read round {round_id}")
        return turnout_report(user=actor, appraisal_round=self.round)

    def handle(self, *args, format: str, output: str | None, user: str | None = None, **options):
        actor = self.actor_for(user)
        report = self.build_report(actor=actor, **options)
        if format == "pdf" and not self.with_results:
            raise CommandError(
                "the PDF holds the results: it needs --user naming an account of the organisation "
                "department, and a released round"
            )
        if format in ("json", "text"):
            text = report.json() if format == "json" else report.text()
            self.record(format)
            command_text_write(self, text, output, summary=f"{len(text)} characters")
            return
        if not output:
            raise CommandError("--output is required for binary formats")
        if format == "xlsx":
            data = results_xlsx(user=actor, appraisal_round=self.round) if self.with_results else report.xlsx()
        else:
            data = self.write_other(report, format)
        self.record(format)
        with open(output, "wb") as fh:
            fh.write(data)
        self.stdout.write(f"{output}: {len(data)} bytes")

    def record(self, format: str) -> None:
        """Results leaving the system are an export: in the audit trail, under the account."""
        if self.with_results:
            export_record(
                self.actor,
                what=_("命令行导出干部民主测评结果"),
                obj=self.round,
                query=f"round={self.round.pk}&format={format}",
            )

    def write_other(self, report: Report, format: str) -> bytes:
        if format == "pdf":
            return results_pdf(user=self.actor, appraisal_round=self.round)
        return super().write_other(report, format)

"""python manage.py competition_report --edition ID [--format json|text|xlsx] [--output FILE]

One edition's report, as the system actor: its entries, colleges, judges, score sheets, prizes
by kind and certificates; each group's ranking with the final scores and awards; the award
list; each college's entries and prizes; and the Beijing editions' history (held, entered,
participants per edition). The figures are `gonghui.competitions.selectors.report`'s."""

from django.core.management.base import CommandError

from gonghui.competitions.models import Competition
from gonghui.competitions.selectors.report import edition_report
from gonghui.core.reports import Report, ReportCommand


class Command(ReportCommand):
    help = "Print or write a teaching-competition edition's report (entries, scores, awards, history)."

    def add_report_arguments(self, parser):
        parser.add_argument("--edition", type=int, required=True, help="the edition's id (比赛编号)")

    def build_report(self, *, actor, **options) -> Report:
        edition = options["edition"]
        competition = (
            Competition.objects.restrict(actor).select_related("rules", "feeds_into").filter(pk=edition).first()
        )
        if competition is None:
            raise CommandError(f"no competition edition {edition}")
        return edition_report(user=actor, competition=competition)

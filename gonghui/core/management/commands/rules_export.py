"""python manage.py rules_export --module mutual_aid --year 2021 [--status adopted] [--output FILE]

The year's rules as JSON documents (one per edition), checked against their schema: what a
union keeps under version control or sends to another university."""

import json

from django.core.management.base import BaseCommand, CommandError

from gonghui.core.editions import EditionStatus, document_check, edition_document, edition_models_of
from gonghui.core.reports import command_text_write


class Command(BaseCommand):
    help = "Print a module's rule editions of a year as JSON documents (gonghui.rules/1)."

    def add_arguments(self, parser):
        parser.add_argument("--module", required=True, help="e.g. mutual_aid, insurance, drives, congress")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--status", choices=EditionStatus.values, help="only editions in this state")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, module: str, year: int, status: str | None, output: str | None, **options):
        models = edition_models_of(module)
        if not models:
            raise CommandError(f"no rules for module {module!r}")
        documents = []
        for model in models:
            editions = model._default_manager.filter(**{model.document.year_lookup: year})
            if status:
                editions = editions.filter(status=status)
            for edition in editions.order_by("pk"):
                document = edition_document(edition)
                document_check(document)  # what leaves here always reads back in
                documents.append(document)
        if not documents:
            raise CommandError(f"no {module} rules for {year}")
        text = json.dumps(documents if len(documents) > 1 else documents[0], ensure_ascii=False, indent=2)
        command_text_write(self, text, output, summary=f"{len(documents)} edition(s)")

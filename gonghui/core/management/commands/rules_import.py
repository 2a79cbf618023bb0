"""python manage.py rules_import FILE [--dry-run] [--adopt]

Read rule documents (one, or a list) made by rules_export here or at another university:
each becomes a draft edition, or with --adopt an adopted one (the document must carry the
date and the act). All documents in one transaction: a problem in any writes nothing.
--dry-run checks everything and writes nothing."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gonghui.accounts.system import system_actor
from gonghui.core.editions import EditionStatus, edition_from_document
from gonghui.core.exceptions import ApplicationError


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Create rule editions from JSON documents (gonghui.rules/1); --dry-run only checks."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        parser.add_argument("--adopt", action="store_true", help="adopt with the document's date and act")

    def handle(self, *args, file: str, dry_run: bool, adopt: bool, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                loaded = json.load(fh)
        except (OSError, ValueError) as error:
            raise CommandError(f"{file}: {error}") from None
        documents = loaded if isinstance(loaded, list) else [loaded]
        lines = []
        try:
            with transaction.atomic():
                for index, document in enumerate(documents, start=1):
                    try:
                        edition = edition_from_document(actor=system_actor(), document=document, adopt=adopt)
                    except ApplicationError as error:
                        raise CommandError(f"document {index}: {error.message}") from None
                    lines.append(f"{edition._meta.verbose_name}: {edition} ({EditionStatus(edition.status).label})")
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("dry run: nothing written")
        for line in lines:
            self.stdout.write(line)

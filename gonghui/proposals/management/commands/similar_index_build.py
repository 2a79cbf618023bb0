"""python manage.py similar_index_build [--force] — build the similar-proposals index now
(after restoring a database, or to check how long a build takes); the task worker builds it
by itself whenever a proposal is submitted or withdrawn."""

from django.core.management.base import BaseCommand

from gonghui.proposals.services.similar_index import similar_index_build


class Command(BaseCommand):
    help = "Build the shared similar-proposals index (skipped when it already holds the submitted proposals)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="build even if nothing changed")

    def handle(self, *args, **options):
        build = similar_index_build(force=options["force"])
        if build is None:
            self.stdout.write("unchanged")
        else:
            self.stdout.write(f"built: {build.documents} proposals, {build.seconds:.1f} s, {len(build.data)} bytes")

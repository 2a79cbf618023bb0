"""The similar-proposals index: built once, in the task worker, and shared (ADR 0012).

A proposal enters the search when it is submitted and leaves it when withdrawn; its text no
longer changes after that. `ProposalWorkflow.effects` enqueues `similar_index_rebuild` on such
a step, and only then (a progress note, a reply or a hand-over does not). The task builds the
index of every proposal in the search (a few seconds at 10,000) and stores it as one
`SimilarIndexBuild`; the web workers keep serving the build they have until they see a newer
one. One build at a time: a second task waits for the first and then finds nothing to do.
"""

import hashlib
import logging
import time

from django.db import connection, transaction

from gonghui.proposals.choices import SIMILARITY_VISIBLE
from gonghui.proposals.models import Proposal, SimilarIndexBuild
from gonghui.proposals.similarity import BM25Index, document_text

log = logging.getLogger(__name__)

# pg_advisory_xact_lock's key: "similar" in ASCII.
_LOCK = 0x73696D696C6172
KEPT_BUILDS = 2


def _scope_digest(ids) -> str:
    digest = hashlib.sha256()
    for pk in ids:
        digest.update(b"%d," % pk)
    return digest.hexdigest()


@transaction.atomic
def similar_index_build(*, force: bool = False) -> SimilarIndexBuild | None:
    """Build the index of the proposals in the search, unless the newest build already holds
    exactly them (`force`: build anyway). Returns the new build, or None when skipped."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
    started = time.perf_counter()
    scope = Proposal.objects.filter(status__in=SIMILARITY_VISIBLE).order_by("pk")
    digest = _scope_digest(scope.values_list("pk", flat=True).iterator(chunk_size=5000))
    newest = SimilarIndexBuild.objects.order_by("-pk").only("scope_digest").first()
    if not force and newest is not None and newest.scope_digest == digest:
        return None
    rows = list(scope.values_list("pk", "session_id", "title", "grounds", "suggestions"))
    index = BM25Index(
        [
            (pk, document_text(title, grounds, suggestions, title_times=1))
            for pk, _s, title, grounds, suggestions in rows
        ],
        groups=[session_id for _pk, session_id, *_text in rows],
    )
    build = SimilarIndexBuild.objects.create(
        scope_digest=digest, documents=len(rows), seconds=time.perf_counter() - started, data=index.to_bytes()
    )
    stale = SimilarIndexBuild.objects.order_by("-pk").values_list("pk", flat=True)[KEPT_BUILDS:]
    SimilarIndexBuild.objects.filter(pk__in=list(stale)).delete()
    log.info("similar-proposals index: %s proposals, %.1f s, %s bytes", len(rows), build.seconds, len(build.data))
    return build


def similar_index_rebuild_later() -> None:
    """Ask the task worker for a build once this transaction commits."""
    from gonghui.proposals.tasks import similar_index_rebuild

    transaction.on_commit(similar_index_rebuild.enqueue)

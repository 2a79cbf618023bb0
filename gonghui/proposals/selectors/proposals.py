"""Reads: scoped lists, the delegate's own proposals and co-signing requests, similar
proposals, the unit board, the overdue board, unit statistics and the public register."""

import datetime
import threading

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.congress.selectors import sessions_up_to
from gonghui.core.editions import EditionStatus
from gonghui.core.reports import percent
from gonghui.core.selector_kit import filters_apply
from gonghui.proposals.choices import SIMILARITY_VISIBLE, AssignmentRole, ProposalKind, ProposalStatus
from gonghui.proposals.models import CoSignature, HandlingAssignment, Proposal, ProposalReply, SimilarIndexBuild
from gonghui.proposals.similarity import BM25Index, shown_matches
from gonghui.proposals.workflow import REPLYABLE, WITH_UNITS

S = ProposalStatus


def _with_related(qs):
    return qs.select_related("session__term__congress", "category", "suggested_unit", "delegation").prefetch_related(
        "proposers__delegate__person",
        Prefetch("assignments", queryset=HandlingAssignment.objects.select_related("unit")),
    )


PROPOSAL_FILTERS = {
    "session": "session_id",
    "status": "status",
    "kind": "kind",
    "category": "category_id",
    "unit": "assignments__unit_id",
    "year": "session__opens_on__year",
}


def proposal_list(*, user, filters: dict | None = None) -> QuerySet[Proposal]:
    """Proposals `user` may see, filtered by session, status, kind, category, unit, q."""
    qs = Proposal.objects.restrict(user, "view")
    filters = filters or {}
    qs = filters_apply(qs, filters, PROPOSAL_FILTERS)
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(title__icontains=q) | Q(grounds__icontains=q) | Q(suggestions__icontains=q))
    if filters.get("drafts") is not True:
        access = get_access(user)
        if not access.person_id:
            qs = qs.exclude(status__in=[S.DRAFT, S.AWAITING_CO_SIGNERS])
    return _with_related(qs.distinct()).order_by("-session__opens_on", "number", "pk")


def proposal_get(*, user, pk) -> Proposal:
    return _with_related(Proposal.objects.restrict(user, "view")).get(pk=pk)


def my_proposals(*, user) -> QuerySet[Proposal]:
    access = get_access(user)
    if not access.person_id:
        return Proposal.objects.none()
    return _with_related(Proposal.objects.filter(proposers__delegate__person_id=access.person_id).distinct()).order_by(
        "-created_at"
    )


def co_sign_requests(*, user) -> QuerySet[CoSignature]:
    access = get_access(user)
    if not access.person_id:
        return CoSignature.objects.none()
    return (
        CoSignature.objects.filter(
            delegate__person_id=access.person_id, proposal__status__in=[S.DRAFT, S.AWAITING_CO_SIGNERS]
        )
        .select_related("proposal")
        .order_by("-invited_at")
    )


# --- similar proposals -------------------------------------------------------------------

# What is shown of the best 5 (`similarity.shown_matches`), chosen on the development set of short
# colloquial drafts (bench/similar_scorers.py, docs/modules/proposals.md): the best, when its score
# reaches the floor, and the others scoring at least 0.9 of it.
SIMILAR_SHOWN_RATIO = 0.9
SIMILAR_SHOWN_FLOOR = 0.1
# A draft's first characters say what it is about; a pasted 10,000-character text is not read whole.
SIMILAR_QUERY_CHARS = 500
# The build of the shared index this worker has read (ADR 0012): (build id, index).
_loaded: tuple[int, BM25Index] | None = None
_loading = threading.Lock()


def similar_index_current() -> BM25Index | None:
    """The newest build of the similar-proposals index: one look at the newest build's id per
    call, its bytes read only when this worker has not read them yet. Never builds: with no
    build yet (a fresh install's first proposals), the task worker is asked for one and the
    search finds nothing meanwhile."""
    global _loaded
    newest = SimilarIndexBuild.objects.order_by("-pk").values_list("pk", flat=True).first()
    held = _loaded
    if newest is None:
        if (
            cache.add("proposals:similar-index-asked", True, 300)
            and Proposal.objects.filter(status__in=SIMILARITY_VISIBLE).exists()
        ):
            from gonghui.proposals.tasks import similar_index_rebuild

            similar_index_rebuild.enqueue()
        return None
    if held is not None and held[0] == newest:
        return held[1]
    with _loading:  # one read of the new bytes per worker, however many requests wait
        held = _loaded
        if held is not None and held[0] >= newest:
            return held[1]
        data = SimilarIndexBuild.objects.filter(pk=newest).values_list("data", flat=True).first()
        if data is None:  # deleted by a newer build meanwhile: the next call reads that one
            return held[1] if held is not None else None
        index = BM25Index.from_bytes(bytes(data))
        _loaded = (newest, index)
        return index


def similar_index_forget() -> None:
    """Drop this worker's copy (tests; a restored database)."""
    global _loaded
    with _loading:
        _loaded = None


def proposals_similar(*, text: str, session, k: int = 5, exclude=(), min_score: float | None = None):
    """[(proposal, score)] most similar to `text` among this and earlier sessions' submitted
    proposals of the same congress, best first: of the best `k`, those the delegate is shown
    (`SIMILAR_SHOWN_RATIO`, `SIMILAR_SHOWN_FLOOR`), or those scoring at least `min_score`."""
    text = (text or "")[:SIMILAR_QUERY_CHARS]
    if not text.strip():
        return []
    index = similar_index_current()
    if index is None:
        return []
    sessions = sessions_up_to(session=session).values_list("pk", flat=True)
    matches = index.query(text, k=k, exclude=exclude, groups=list(sessions))
    if min_score is None:
        matches = shown_matches(matches, ratio=SIMILAR_SHOWN_RATIO, floor=SIMILAR_SHOWN_FLOOR)
    else:
        matches = [m for m in matches if m.score >= min_score]
    # A proposal withdrawn since the build is no longer shown.
    shown = Proposal.objects.filter(status__in=SIMILARITY_VISIBLE).select_related("session__term", "category")
    by_pk = shown.in_bulk([m.key for m in matches])
    return [(by_pk[m.key], m.score) for m in matches if m.key in by_pk]


def duplicate_candidates(*, proposal: Proposal, k: int = 5):
    """Candidate duplicates shown to the committee during triage."""
    return proposals_similar(text=proposal.text, session=proposal.session, k=k, exclude=[proposal.pk])


# --- units, boards, statistics -----------------------------------------------------------


def unit_assignments(*, user, today: datetime.date | None = None) -> QuerySet[HandlingAssignment]:
    """The assignments of the user's units (a handling-unit officer sees only theirs)."""
    access = get_access(user)
    qs = HandlingAssignment.objects.filter(proposal__status__in=WITH_UNITS)
    if not access.reads_everything:
        if Role.HANDLING_UNIT_OFFICER in access.roles:
            qs = qs.filter(unit_id__in=access.unit_ids)
        elif Role.PROPOSALS_COMMITTEE not in access.roles:
            return qs.none()
    return qs.select_related("proposal__session", "proposal__category", "unit").order_by("deadline", "proposal_id")


def awaiting_reply(*, user) -> QuerySet[HandlingAssignment]:
    """The user's units' lead assignments whose proposal waits for their reply (the unit
    board's `?awaiting=1`, and the unit's to-do queue)."""
    return unit_assignments(user=user).filter(role=AssignmentRole.LEAD, proposal__status__in=REPLYABLE)


def overdue_board(*, user, today: datetime.date | None = None) -> QuerySet[HandlingAssignment]:
    """Lead assignments past their deadline without a released reply in the current round."""
    today = today or timezone.localdate()
    return unit_assignments(user=user).filter(
        role=AssignmentRole.LEAD, deadline__lt=today, proposal__status__in=REPLYABLE
    )


def unit_statistics(*, user, session=None) -> list[dict]:
    """Per lead unit: proposals, replied, on time, on-time rate, satisfaction rate
    (accepting proposer ratings / proposer ratings) and re-handling rate."""
    assignments = unit_assignments(user=user).filter(role=AssignmentRole.LEAD)
    if session is not None:
        assignments = assignments.filter(proposal__session=session)
    return unit_statistics_for(assignments)


def unit_statistics_for(assignments) -> list[dict]:
    rows = {}
    for a in assignments.select_related("unit"):
        row = rows.setdefault(
            a.unit_id,
            {
                "unit": a.unit,
                "proposals": 0,
                "replied": 0,
                "on_time": 0,
                "ratings": 0,
                "satisfied": 0,
                "rehandled": 0,
                "overdue": 0,
            },
        )
        row["proposals"] += 1
        if a.proposal.round > 1:
            row["rehandled"] += 1
        if a.proposal.status in REPLYABLE and a.deadline and a.deadline < timezone.localdate():
            row["overdue"] += 1
    proposal_unit = dict(assignments.values_list("proposal_id", "unit_id"))
    for reply in ProposalReply.objects.filter(proposal_id__in=proposal_unit, round=1, released_at__isnull=False):
        row = rows[proposal_unit[reply.proposal_id]]
        row["replied"] += 1
        row["on_time"] += 1 if reply.on_time else 0
    from gonghui.proposals.models import SatisfactionRating

    ratings = SatisfactionRating.objects.filter(proposal_id__in=proposal_unit)
    proposer_pairs = set()
    for proposal_id, delegate_id in Proposal.objects.filter(pk__in=proposal_unit).values_list(
        "pk", "proposers__delegate_id"
    ):
        proposer_pairs.add((proposal_id, delegate_id))
    for rating in ratings:
        if (rating.proposal_id, rating.rater_id) not in proposer_pairs:
            continue
        row = rows[proposal_unit[rating.proposal_id]]
        row["ratings"] += 1
        row["satisfied"] += 1 if rating.accepts else 0
    out = []
    for row in rows.values():
        row["on_time_rate"] = percent(row["on_time"], row["replied"])
        row["satisfaction_rate"] = percent(row["satisfied"], row["ratings"])
        row["rehandling_rate"] = percent(row["rehandled"], row["proposals"])
        out.append(row)
    return sorted(out, key=lambda r: (r["unit"].sort_key, r["unit"].name))


def public_register(*, filters: dict | None = None) -> QuerySet[Proposal]:
    """Published proposals, for every signed-in member (公示)."""
    filters = dict(filters or {})
    qs = Proposal.objects.published().filter(kind=ProposalKind.PROPOSAL)
    for key, lookup in (
        ("session", "session_id"),
        ("status", "status"),
        ("category", "category_id"),
        ("unit", "assignments__unit_id"),
        ("year", "session__opens_on__year"),
    ):
        if filters.get(key):
            qs = qs.filter(**{lookup: filters[key]})
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(title__icontains=q) | Q(suggestions__icontains=q))
    return (
        _with_related(qs.distinct())
        .prefetch_related(Prefetch("replies", queryset=ProposalReply.objects.filter(released_at__isnull=False)))
        .order_by("-session__opens_on", "number")
    )


def proposals_actionable(*, user, as_role: str) -> QuerySet[Proposal]:
    """Proposals `user` may take a step on as proposer, co_signer, committee, presidium,
    office or unit. Pages and the API look objects up here, so a user with no business
    on a proposal gets 404 whatever they can read."""
    from gonghui.congress.choices import CommitteeKind
    from gonghui.congress.models import CommitteeMember

    access = get_access(user)
    qs = Proposal.objects.all()
    if as_role == "proposer":
        if not access.person_id:
            return qs.none()
        return qs.filter(
            Q(proposers__delegate__person_id=access.person_id) | Q(delegation__head_id=access.person_id)
        ).distinct()
    if as_role == "co_signer":
        if not access.person_id:
            return qs.none()
        return qs.filter(co_signatures__delegate__person_id=access.person_id).distinct()
    if as_role == "rater":
        if not access.person_id:
            return qs.none()
        return qs.filter(
            Q(proposers__delegate__person_id=access.person_id)
            | Q(
                co_signatures__delegate__person_id=access.person_id,
                session__rules__status=EditionStatus.ADOPTED,
                session__rules__co_signers_rate=True,
            )
        ).distinct()
    if access.writes_everything:
        return qs
    if as_role == "committee" and Role.PROPOSALS_COMMITTEE in access.roles:
        return Proposal.objects.restrict(user, "view")
    if as_role == "presidium" and access.person_id:
        terms = CommitteeMember.objects.filter(kind=CommitteeKind.PRESIDIUM, person_id=access.person_id)
        return qs.filter(session__term__in=terms.values("term"))
    if as_role == "unit" and Role.HANDLING_UNIT_OFFICER in access.roles:
        return qs.filter(assignments__unit_id__in=access.unit_ids, status__in=WITH_UNITS).distinct()
    return qs.none()

"""Reads of the congress structure, for this app's pages and for proposals (and, later,
deliberations and appraisals)."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from gonghui.congress.choices import CommitteeKind
from gonghui.congress.models import CommitteeMember, CongressSession, Delegate


def delegate_for(*, person, session: CongressSession):
    """The person's delegate row for the session's term, if they are a serving delegate."""
    if person is None:
        return None
    return (
        Delegate.objects.current()
        .filter(person=person, term_id=session.term_id)
        .select_related("person", "delegation")
        .first()
    )


def session_list(*, user) -> QuerySet[CongressSession]:
    return CongressSession.objects.restrict(user, "view").select_related("term__congress")


def session_current(*, user=None, congress=None):
    """The latest session whose solicitation has opened (the one proposals go to)."""
    qs = CongressSession.objects.filter(solicitation_opens_at__lte=timezone.now()).select_related("term__congress")
    if congress is not None:
        qs = qs.filter(term__congress=congress)
    return qs.order_by("-solicitation_opens_at").first()


def is_presidium_member(*, person_id, session) -> bool:
    """A member of the session's presidium (or of a presidium named for the whole term)."""
    if not person_id:
        return False
    return CommitteeMember.objects.filter(
        Q(session=session) | Q(session__isnull=True),
        kind=CommitteeKind.PRESIDIUM,
        term_id=session.term_id,
        person_id=person_id,
    ).exists()


def sessions_up_to(*, session) -> QuerySet[CongressSession]:
    """This session and the earlier ones of the same congress (for similar proposals)."""
    return CongressSession.objects.filter(term__congress_id=session.term.congress_id, opens_on__lte=session.opens_on)

"""Reads of the congress structure and the sessions' rules, for this app's pages and for
proposals (and, later, deliberations and appraisals)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.congress.choices import CommitteeKind
from gonghui.congress.models import CommitteeMember, CongressSession, Delegate, SessionRules
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError


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
    """The latest session whose solicitation has opened under adopted rules (the one
    proposals go to). A session without adopted rules has not opened its solicitation."""
    rules = SessionRules.objects.filter(status=EditionStatus.ADOPTED, solicitation_opens_at__lte=timezone.now())
    if congress is not None:
        rules = rules.filter(session__term__congress=congress)
    current = rules.select_related("session__term__congress").order_by("-solicitation_opens_at", "-pk").first()
    return current.session if current else None


def session_rules(session: CongressSession) -> SessionRules:
    """The rules in force for `session`; refused while none are adopted."""
    rules = session.rules_in_force()
    if rules is None:
        raise ApplicationError(
            _("%(session)s的提案工作规则尚未通过，提案征集尚未开始。") % {"session": session},
            extra={"session": session.pk},
        )
    return rules


def rules_by_session(session_ids) -> dict[int, SessionRules]:
    """The rules in force of several sessions at once (for lists: one query)."""
    rows = SessionRules.objects.filter(session_id__in=set(session_ids), status=EditionStatus.ADOPTED)
    return {rules.session_id: rules for rules in rows}


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

"""Whom a deliberation's steps tell (issue 13 §7): a round opens or is about to close (the
staff asked, and the sub-union officers who collect paper opinions); the roll-up is sent
(the drafting unit's officers); answers are published (the authors and the delegates); the
version is adopted or rejected (the delegates)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.roles import Role
from gonghui.deliberations.choices import RoundAudience


def _users():
    from gonghui.accounts.models import User

    return User.objects.filter(is_active=True)


def delegates_users(deliberation) -> QuerySet:
    today = timezone.localdate()
    return _users().filter(
        Q(person__delegacies__ended_on__isnull=True) | Q(person__delegacies__ended_on__gte=today),
        person__delegacies__term_id=deliberation.session.term_id,
    )


def audience_users(opinion_round) -> QuerySet:
    """The staff asked for opinions in a round: the delegates, or every serving member of staff."""
    from gonghui.people.choices import EmploymentStatus

    if opinion_round.audience == RoundAudience.DELEGATES:
        return delegates_users(opinion_round.deliberation)
    return _users().filter(person__employment_status=EmploymentStatus.ACTIVE)


def collectors() -> QuerySet:
    return _users().filter(role_assignments__role=Role.SUB_UNION_OFFICER)


def unit_officers(deliberation) -> QuerySet:
    return _users().filter(
        role_assignments__role=Role.HANDLING_UNIT_OFFICER,
        role_assignments__university_unit_id=deliberation.drafting_unit_id,
    )


def _send(recipients, *, title: str, url: str, kind: str, body: str = "") -> None:
    from gonghui.notifications.services import notification_send

    notification_send(recipients=recipients.distinct().iterator(), title=title, body=body, url=url, kind=kind)


def round_open_tell(opinion_round) -> None:
    deliberation = opinion_round.deliberation
    url = reverse("deliberations:version", args=[opinion_round.version_id])
    values = {
        "topic": deliberation.topic[:40],
        "version": opinion_round.version,
        "closes": timezone.localtime(opinion_round.closes_at).strftime("%Y-%m-%d %H:%M"),
    }
    _send(
        audience_users(opinion_round),
        title=_("征求意见：%(topic)s（%(version)s），%(closes)s 截止") % values,
        url=url,
        kind="deliberations.round_opened",
    )
    _send(
        collectors(),
        title=_("请组织本学院对“%(topic)s”（%(version)s）提出意见，%(closes)s 截止") % values,
        url=reverse("deliberations:round", args=[opinion_round.pk]),
        kind="deliberations.round_opened",
    )


def round_closing_tell(opinion_round) -> None:
    deliberation = opinion_round.deliberation
    values = {
        "topic": deliberation.topic[:40],
        "closes": timezone.localtime(opinion_round.closes_at).strftime("%Y-%m-%d %H:%M"),
    }
    _send(
        audience_users(opinion_round) | collectors(),
        title=_("“%(topic)s”征求意见将于 %(closes)s 截止") % values,
        url=reverse("deliberations:version", args=[opinion_round.version_id]),
        kind="deliberations.round_closing",
    )


def deliberation_step_tell(deliberation, event, actor) -> None:
    """After a committed step: the roll-up sent, answers published, the vote's outcome."""
    url = reverse("deliberations:detail", args=[deliberation.pk])
    topic = deliberation.topic[:40]
    if event.step == "send":
        round_pk = event.parameters.get("round")
        _send(
            unit_officers(deliberation),
            title=_("“%(topic)s”的意见汇总已送达，请逐条答复") % {"topic": topic},
            url=reverse("deliberations:rollup", args=[round_pk]) + "?status=pending" if round_pk else url,
            kind="deliberations.sent",
        )
    elif event.step == "respond":
        from gonghui.deliberations.models import Opinion

        authors = _users().filter(
            person__in=Opinion.objects.filter(round_id=event.parameters.get("round")).values("author_id")
        )
        _send(
            authors | delegates_users(deliberation),
            title=_("“%(topic)s”的意见答复已公布") % {"topic": topic},
            url=url,
            kind="deliberations.answered",
        )
    elif event.step in ("adopt", "reject"):
        title = (
            _("“%(topic)s”已经教代会表决通过") if event.step == "adopt" else _("“%(topic)s”未获教代会表决通过")
        ) % {"topic": topic}
        _send(delegates_users(deliberation), title=title, url=url, kind="deliberations.decided")


def ballot_open_tell(deliberation) -> None:
    _send(
        delegates_users(deliberation),
        title=_("请对“%(topic)s”进行无记名投票") % {"topic": deliberation.topic[:40]},
        url=reverse("deliberations:detail", args=[deliberation.pk]) + "#vote-title",
        kind="deliberations.ballot",
    )

"""Opinion rounds: the union office opens a round on a published version; members give
opinions online (per article or in general), colleges enter paper ones for their members;
the round closes (by the office, or by the daily command at its closing time) and its
opinions are grouped for the roll-up; the office sends the roll-up to the drafting unit."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.service_kit import required_text
from gonghui.core.workflow import transition
from gonghui.deliberations.choices import (
    DeliberationStatus,
    OpinionChannel,
    RoundAudience,
)
from gonghui.deliberations.models import Deliberation, Opinion, OpinionGroup, OpinionRound
from gonghui.deliberations.workflow import OFFICE, DeliberationWorkflow, deliberation_relations

logger = logging.getLogger(__name__)

OPINION_MAX_CHARS = 2_000
# Opinions on the same article at least this similar (character-bigram cosine, as the
# proposals' similarity search) are rolled up as one group; the office can still move one.
GROUP_MIN_SCORE = 0.5


def _local(at: datetime.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def round_open(
    *,
    actor,
    deliberation: Deliberation,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    audience: str = RoundAudience.ALL_STAFF,
    online: bool = True,
    anonymous: bool = False,
) -> OpinionRound:
    """Open a round of opinions on the latest published version (one round per version)."""
    if OFFICE not in deliberation_relations(deliberation, actor):
        raise PermissionDenied
    deliberation = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    version = deliberation.latest_version()
    if version is None:
        raise ApplicationError(_("还没有发布的稿本：请先发布一稿，再征求意见。"))
    if deliberation.rounds.filter(version=version).exists():
        raise ApplicationError(
            _("%(version)s已征求过意见：请根据答复起草并发布新稿后再开始新一轮。") % {"version": version}
        )
    if closes_at <= opens_at:
        raise ApplicationError(_("截止时间应晚于开始时间。"), extra={"field": "closes_at"})
    if closes_at <= timezone.now():
        raise ApplicationError(_("截止时间已过，请重新选择。"), extra={"field": "closes_at"})
    number = (deliberation.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    opinion_round = OpinionRound.objects.create(
        deliberation=deliberation,
        version=version,
        number=number,
        opens_at=opens_at,
        closes_at=closes_at,
        audience=audience,
        online=online,
        anonymous=anonymous,
    )
    transition(
        DeliberationWorkflow,
        deliberation,
        step="open_round",
        actor=actor,
        message=str(opinion_round),
        parameters={"round": opinion_round.pk, "opens_at": _local(opens_at), "closes_at": _local(closes_at)},
    )
    from gonghui.deliberations.services import notices

    transaction.on_commit(lambda: notices.round_open_tell(opinion_round))
    return opinion_round


def college_of(sub_union):
    """The college a sub-union or union group belongs to: the top of its tree."""
    while sub_union.parent_id is not None:
        sub_union = sub_union.parent
    return sub_union


def _accepting(opinion_round: OpinionRound, at: datetime.datetime) -> None:
    if opinion_round.deliberation.status != DeliberationStatus.OPEN or at >= opinion_round.ends_at:
        raise ApplicationError(
            _("本轮征求意见已于 %(closes)s 截止，不再接收意见。") % {"closes": _local(opinion_round.ends_at)},
            extra={"field": "text"},
        )
    if at < opinion_round.opens_at:
        raise ApplicationError(
            _("本轮征求意见 %(opens)s 开始，请届时再提。") % {"opens": _local(opinion_round.opens_at)},
            extra={"field": "text"},
        )


def _article(opinion_round: OpinionRound, article_id):
    if not article_id:
        return None
    article = opinion_round.version.articles.filter(pk=article_id).first()
    if article is None:
        raise ApplicationError(
            _("所选条款不在%(version)s中，请重新选择。") % {"version": opinion_round.version},
            extra={"field": "article"},
        )
    return article


def _asked(opinion_round: OpinionRound, person) -> str:
    """Why `person` is not asked in this round ("" when they are)."""
    from gonghui.congress.models import Delegate
    from gonghui.people.choices import EmploymentStatus

    if opinion_round.audience == RoundAudience.DELEGATES:
        term = opinion_round.deliberation.session.term_id
        if not Delegate.objects.current().filter(person=person, term_id=term).exists():
            return _("本轮只征求教代会代表的意见；您可以通过所在学院（分工会）反映。")
    elif person.employment_status != EmploymentStatus.ACTIVE:
        return _("本轮征求在职教职工的意见。")
    return ""


def _is_delegate(opinion_round: OpinionRound, person) -> bool:
    from gonghui.congress.models import Delegate

    term = opinion_round.deliberation.session.term_id
    return Delegate.objects.current().filter(person=person, term_id=term).exists()


def _text(text: str) -> str:
    text = required_text(text, _("请填写意见。"), field="text")
    if len(text) > OPINION_MAX_CHARS:
        raise ApplicationError(
            _("意见不能超过 %(n)s 字，请精简或分条提出。") % {"n": OPINION_MAX_CHARS}, extra={"field": "text"}
        )
    return text


@transaction.atomic
def opinion_give(*, actor, opinion_round: OpinionRound, text: str, article_id=None) -> Opinion:
    """A member's own opinion, online, on one article of the round's version or in general."""
    person = getattr(actor, "person", None)
    if person is None:  # an account of no member of staff (a unit's, the office's) gives no opinion
        raise PermissionDenied
    opinion_round = OpinionRound.objects.select_related("deliberation__session", "version").get(pk=opinion_round.pk)
    _accepting(opinion_round, timezone.now())
    if not opinion_round.online:
        raise ApplicationError(_("本轮意见由各学院（分工会）收集，请交给所在学院。"))
    refusal = _asked(opinion_round, person)
    if refusal:
        raise ApplicationError(refusal)
    return Opinion.objects.create(
        round=opinion_round,
        article=_article(opinion_round, article_id),
        author=person,
        sub_union=college_of(person.sub_union),
        is_delegate=_is_delegate(opinion_round, person),
        text=_text(text),
        channel=OpinionChannel.ONLINE,
        entered_by=actor,
    )


@transaction.atomic
def opinion_enter(*, actor, opinion_round: OpinionRound, sub_union, text: str, author=None, article_id=None) -> Opinion:
    """A college officer enters a paper opinion for a member of their college (or the
    college's collective opinion, without an author)."""
    access = get_access(actor)
    if not actor.has_perm("deliberations.collect_opinion"):
        raise PermissionDenied
    if not access.writes_everything and sub_union.pk not in access.sub_union_ids:
        raise PermissionDenied
    opinion_round = OpinionRound.objects.select_related("deliberation__session", "version").get(pk=opinion_round.pk)
    _accepting(opinion_round, timezone.now())
    college = college_of(sub_union)
    if author is not None:
        from gonghui.people.models import SubUnion

        within = SubUnion.objects.with_descendants({college.pk})
        if not access.writes_everything:  # an officer enters for the people of their own sub-unions
            within &= set(access.sub_union_ids)
        if author.sub_union_id not in within:
            raise ApplicationError(
                _("%(name)s不是%(college)s的教职工。") % {"name": author.name, "college": college},
                extra={"field": "author"},
            )
        refusal = _asked(opinion_round, author)
        if refusal:
            raise ApplicationError(refusal, extra={"field": "author"})
    elif opinion_round.audience == RoundAudience.DELEGATES:
        raise ApplicationError(_("本轮只征求代表意见，请选择提出意见的代表。"), extra={"field": "author"})
    return Opinion.objects.create(
        round=opinion_round,
        article=_article(opinion_round, article_id),
        author=author,
        sub_union=college,
        is_delegate=bool(author and _is_delegate(opinion_round, author)),
        text=_text(text),
        channel=OpinionChannel.PAPER,
        entered_by=actor,
    )


# --- closing and grouping ------------------------------------------------------------------


def opinions_group(opinion_round: OpinionRound) -> int:
    """Group the round's opinions, article by article: an opinion joins the first earlier
    one it is near-identical to (GROUP_MIN_SCORE). Returns how many groups were made."""
    from gonghui.proposals.similarity import SimilarityIndex

    opinions = list(
        Opinion.objects.filter(round=opinion_round)
        .select_related("article")
        .order_by(F("article__position").asc(nulls_first=True), "id")
        .only("id", "text", "article_id", "sub_union_id", "article__position")
    )
    by_article: dict[int | None, list[Opinion]] = {}
    for opinion in opinions:
        by_article.setdefault(opinion.article_id, []).append(opinion)
    groups: list[tuple[int | None, list[Opinion]]] = []
    for article_id, members in by_article.items():
        index = SimilarityIndex([(i, o.text) for i, o in enumerate(members)])
        taken: set[int] = set()
        for i, opinion in enumerate(members):
            if i in taken:
                continue
            near = [int(m.key) for m in index.query(opinion.text, k=len(members), min_score=GROUP_MIN_SCORE)]  # type: ignore[call-overload]
            chosen = [j for j in sorted({i, *near}) if j not in taken]
            taken.update(chosen)
            groups.append((article_id, [members[j] for j in chosen]))
    made = OpinionGroup.objects.bulk_create(
        OpinionGroup(
            round=opinion_round,
            article_id=article_id,
            number=n,
            summary=members[0].text,
            size=len(members),
            colleges=len({o.sub_union_id for o in members}),
        )
        for n, (article_id, members) in enumerate(groups, start=1)
    )
    if made and made[0].pk is None:  # backends that do not return keys from bulk_create
        made = list(opinion_round.groups.order_by("number"))
    # one UPDATE per group (a few hundred): a bulk_update's CASE of thousands of branches is slower
    for group, (_article_id, members) in zip(made, groups, strict=True):
        Opinion.objects.filter(pk__in=[o.pk for o in members]).update(group_id=group.pk)
    return len(made)


@transaction.atomic
def round_close(*, actor, opinion_round: OpinionRound, at: datetime.datetime | None = None) -> OpinionRound:
    """Stop taking opinions (early, or at the closing time) and group them for the roll-up."""
    at = at or timezone.now()
    opinion_round = OpinionRound.objects.select_for_update().get(pk=opinion_round.pk)
    deliberation = opinion_round.deliberation
    if deliberation.current_round() != opinion_round:
        raise ApplicationError(_("只能截止当前一轮。"))
    closed_at = min(at, opinion_round.closes_at)
    transition(
        DeliberationWorkflow,
        deliberation,
        step="close_round",
        actor=actor,
        message=str(opinion_round),
        parameters={"round": opinion_round.pk, "opinions": opinion_round.opinions.count()},
    )
    from gonghui.deliberations.selectors.deliberations import staff_asked

    opinion_round.closed_at = closed_at
    opinion_round.staff_asked = {str(pk): n for pk, n in staff_asked(opinion_round).items()}
    opinion_round.save(update_fields=["closed_at", "staff_asked", "updated_at"])
    opinions_group(opinion_round)
    return opinion_round


@transaction.atomic
def opinion_regroup(*, actor, opinion: Opinion, group: OpinionGroup | None) -> Opinion:
    """The office moves an opinion into another group of the same article, or out into a
    group of its own, before the roll-up is sent."""
    opinion = (
        Opinion.objects.select_for_update(of=("self",))
        .select_related("round__deliberation", "group")
        .get(pk=opinion.pk)
    )
    opinion_round = opinion.round
    if OFFICE not in deliberation_relations(opinion_round.deliberation, actor):
        raise PermissionDenied
    if opinion_round.deliberation.status != DeliberationStatus.SUMMARISING:
        raise ApplicationError(_("汇总已送起草单位，不能再调整归并。"))
    if group is not None and (group.round_id != opinion_round.pk or group.article_id != opinion.article_id):
        raise ApplicationError(_("只能归入同一轮、同一条款的意见组。"), extra={"field": "group"})
    old = opinion.group
    if group is None:
        number = (opinion_round.groups.aggregate(n=Max("number"))["n"] or 0) + 1
        group = OpinionGroup.objects.create(
            round=opinion_round, article_id=opinion.article_id, number=number, summary=opinion.text
        )
    opinion.group = group
    opinion.save(update_fields=["group"])
    for touched in filter(None, {old, group}):
        _group_counts(touched)
    DeliberationWorkflow.record(
        opinion_round.deliberation,
        "regrouped",
        actor,
        parameters={"opinion": opinion.pk, "from": old.number if old else None, "to": group.number},
    )
    return opinion


def _group_counts(group: OpinionGroup) -> None:
    counts = group.opinions.aggregate(size=Count("id"), colleges=Count("sub_union", distinct=True))
    if not counts["size"]:
        group.delete()  # emptied before the roll-up was sent: it has no answer and no events
        return
    first = group.opinions.order_by("id").first()
    OpinionGroup.objects.filter(pk=group.pk).update(
        size=counts["size"], colleges=counts["colleges"], summary=first.text if first else group.summary
    )


@transaction.atomic
def rollup_send(*, actor, opinion_round: OpinionRound) -> OpinionRound:
    """Send the round's roll-up to the drafting unit (its officers are told)."""
    opinion_round = OpinionRound.objects.select_for_update().get(pk=opinion_round.pk)
    transition(
        DeliberationWorkflow,
        opinion_round.deliberation,
        step="send",
        actor=actor,
        message=str(opinion_round),
        parameters={"round": opinion_round.pk, "groups": opinion_round.groups.count()},
    )
    opinion_round.sent_at = timezone.now()
    opinion_round.save(update_fields=["sent_at", "updated_at"])
    return opinion_round


def rounds_due(*, actor, now: datetime.datetime | None = None) -> dict:
    """The daily command: close the rounds past their closing time, and remind the staff of
    rounds closing within a day (once)."""
    from gonghui.deliberations.services import notices

    now = now or timezone.now()
    open_rounds = OpinionRound.objects.filter(
        deliberation__status=DeliberationStatus.OPEN, closed_at__isnull=True
    ).select_related("deliberation__session", "version")
    closed = reminded = 0
    for opinion_round in open_rounds.filter(closes_at__lte=now):
        try:  # one round refused (its state changed meanwhile) does not stop the others
            round_close(actor=actor, opinion_round=opinion_round, at=now)
        except ApplicationError:
            logger.exception("round %s could not be closed", opinion_round.pk)
            continue
        closed += 1
    for opinion_round in open_rounds.filter(
        closes_at__gt=now, closes_at__lte=now + datetime.timedelta(days=1), reminded_at__isnull=True
    ):
        with transaction.atomic():
            if OpinionRound.objects.filter(pk=opinion_round.pk, reminded_at__isnull=True).update(reminded_at=now):
                notices.round_closing_tell(opinion_round)
                reminded += 1
    return {"closed": closed, "reminded": reminded}

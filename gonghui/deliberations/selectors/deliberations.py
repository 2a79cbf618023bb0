"""Reads of deliberations for pages, the API and exports; every read starts from a scoped
queryset (`restrict`), so each role sees what it may and nothing more."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.deliberations.choices import ANSWERED, AnswerStatus, VersionStatus
from gonghui.deliberations.models import (
    Article,
    Deliberation,
    DraftVersion,
    Opinion,
    OpinionGroup,
    OpinionRound,
    on_presidium,
)


def deliberation_list(*, user) -> QuerySet[Deliberation]:
    return (
        Deliberation.objects.restrict(user, "view")
        .select_related("session__term__congress", "drafting_unit")
        .order_by("-created_at", "-id")
    )


def deliberation_get(*, user, pk: int) -> Deliberation:
    return deliberation_list(user=user).get(pk=pk)


def version_get(*, user, pk: int) -> DraftVersion:
    return (
        DraftVersion.objects.restrict(user, "view")
        .select_related("deliberation__session__term__congress", "deliberation__drafting_unit")
        .get(pk=pk)
    )


def round_get(*, user, pk: int) -> OpinionRound:
    return (
        OpinionRound.objects.restrict(user, "view")
        .select_related("deliberation__session__term", "deliberation__drafting_unit", "version")
        .get(pk=pk)
    )


def versions_of(*, user, deliberation: Deliberation) -> QuerySet[DraftVersion]:
    return (
        DraftVersion.objects.restrict(user, "view")
        .filter(deliberation=deliberation)
        .annotate(article_count=Count("articles"))
        .order_by("number")
    )


def my_opinions(*, user, deliberation: Deliberation | None = None) -> QuerySet[Opinion]:
    """The member's own opinions with their fate (the group's answer once published)."""
    person_id = get_access(user).person_id
    if person_id is None:
        return Opinion.objects.none()
    qs = Opinion.objects.filter(author_id=person_id)
    if deliberation is not None:
        qs = qs.filter(round__deliberation=deliberation)
    return qs.select_related("round__deliberation", "round__version", "article", "group").order_by(
        "-round__opens_at", "article__position", "id"
    )


def answer_shown(opinion: Opinion) -> bool:
    """An opinion's answer is shown to its author once the round's answers are published."""
    return bool(opinion.group_id and opinion.round.answered_at and opinion.group.status in ANSWERED)


def opinions_with_fate(opinions) -> list[tuple[Opinion, bool, DraftVersion | None]]:
    """Each opinion with whether its answer is published, and the next published version of
    its draft (where the member sees the change its answer led to)."""
    opinions = list(opinions)
    deliberation_ids = {o.round.deliberation_id for o in opinions}
    published = DraftVersion.objects.filter(deliberation_id__in=deliberation_ids, status=VersionStatus.PUBLISHED)
    by_deliberation: dict[int, list[DraftVersion]] = {}
    for version in published.order_by("number"):
        by_deliberation.setdefault(version.deliberation_id, []).append(version)

    def next_of(opinion: Opinion) -> DraftVersion | None:
        later = [
            v for v in by_deliberation.get(opinion.round.deliberation_id, []) if v.number > opinion.round.version.number
        ]
        return later[0] if later else None

    return [(o, answer_shown(o), next_of(o)) for o in opinions]


# --- a college's summary, the office's roll-up ----------------------------------------------


@dataclass
class ArticleCount:
    article: Article | None
    opinions: int
    groups: int = 0
    items: list = field(default_factory=list)


def _article_counts(opinions: QuerySet[Opinion], version: DraftVersion) -> list[ArticleCount]:
    counts: dict[int | None, int] = dict(
        opinions.values_list("article_id").annotate(n=Count("id")).values_list("article_id", "n")
    )
    rows = [ArticleCount(article=None, opinions=counts.get(None, 0))] if counts.get(None) else []
    for article in version.articles.order_by("position"):
        if counts.get(article.pk):
            rows.append(ArticleCount(article=article, opinions=counts[article.pk]))
    return rows


def college_summary(*, user, opinion_round: OpinionRound, college) -> list[ArticleCount]:
    """A college's opinions grouped by article, with counts (the college officer's view)."""
    opinions = Opinion.objects.restrict(user, "view").filter(round=opinion_round, sub_union=college)
    rows = _article_counts(opinions, opinion_round.version)
    by_article: dict = {}
    for opinion in opinions.select_related("author").order_by("id"):
        by_article.setdefault(opinion.article_id, []).append(opinion)
    for row in rows:
        row.items = by_article.get(row.article.pk if row.article else None, [])
    return rows


@dataclass
class CollegeRow:
    college_id: int
    college: str
    opinions: int
    authors: int
    staff: int

    @property
    def participation(self):
        from gonghui.core.reports import rate

        return rate(self.authors, self.staff)


def staff_asked(opinion_round: OpinionRound) -> dict[int, int]:
    """How many members of staff the round asks, per college (a college's union groups count
    with it): the session's serving delegates, or every active member of staff. One grouped
    query. A closed round keeps the figures of its closing (`OpinionRound.staff_asked`)."""
    from gonghui.congress.models import Delegate
    from gonghui.deliberations.choices import RoundAudience
    from gonghui.people.choices import EmploymentStatus
    from gonghui.people.models import Person, SubUnion

    parent_of = dict(SubUnion.objects.values_list("pk", "parent_id"))

    def top(pk):
        while parent_of.get(pk):
            pk = parent_of[pk]
        return pk

    people = Person.objects.all()
    if opinion_round.audience == RoundAudience.DELEGATES:
        people = people.filter(
            pk__in=Delegate.objects.current()
            .filter(term_id=opinion_round.deliberation.session.term_id)
            .values("person_id")
        )
    else:
        people = people.filter(employment_status=EmploymentStatus.ACTIVE)
    staff: dict[int, int] = {}
    for sub_union_id, n in people.values_list("sub_union_id").annotate(n=Count("id")).values_list("sub_union_id", "n"):
        staff[top(sub_union_id)] = staff.get(top(sub_union_id), 0) + n
    return staff


def colleges_overview(*, opinion_round: OpinionRound, college_ids=None) -> list[CollegeRow]:
    """Per college: opinions, members who gave one, and the staff asked (for participation):
    as they were when the round closed, or as they are while it is open."""
    from gonghui.core.text import sort_key
    from gonghui.people.models import SubUnion

    colleges = SubUnion.objects.filter(parent__isnull=True, merged_into__isnull=True)
    if college_ids is not None:
        colleges = colleges.filter(pk__in=college_ids)
    names = dict(colleges.values_list("pk", "name"))
    given: dict[int, Any] = {
        row["sub_union_id"]: row
        for row in Opinion.objects.filter(round=opinion_round)
        .values("sub_union_id")
        .annotate(n=Count("id"), authors=Count("author", distinct=True))
    }
    if opinion_round.closed_at is not None and opinion_round.staff_asked:
        staff = {int(pk): n for pk, n in opinion_round.staff_asked.items()}
    else:
        staff = staff_asked(opinion_round)
    rows = [
        CollegeRow(
            college_id=pk,
            college=name,
            opinions=given.get(pk, {}).get("n", 0),
            authors=given.get(pk, {}).get("authors", 0),
            staff=staff.get(pk, 0),
        )
        for pk, name in names.items()
        if pk in given or staff.get(pk)
    ]
    return sorted(rows, key=lambda r: sort_key(r.college))


def rollup_groups(*, user, opinion_round: OpinionRound, article=None, status: str = "") -> QuerySet[OpinionGroup]:
    """The round's groups in roll-up order, each with its article."""
    qs = OpinionGroup.objects.filter(round=opinion_round).select_related("article", "answered_by")
    access = get_access(user)
    if not access.reads_everything:
        qs = qs.filter(pk__in=OpinionGroup.objects.restrict(user, "view").values("pk"))
    if article == "general":
        qs = qs.filter(article__isnull=True)
    elif article:
        qs = qs.filter(article_id=article)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("number")


def groups_with_opinions(*, user, groups) -> list[tuple[OpinionGroup, list[tuple[Opinion, bool]], list[str]]]:
    """For one page of groups: each group's opinions (with whether `user` may see the author)
    and its colleges' names, in two queries."""
    access = get_access(user)
    groups = list(groups)
    if not groups:
        return []
    opinion_round = groups[0].round
    presidium = on_presidium(access, opinion_round.deliberation.session_id)
    opinions = Opinion.objects.filter(group__in=groups).select_related("author", "sub_union").order_by("group_id", "id")
    by_group: dict[int | None, list] = {}
    for opinion in opinions:
        opinion.round = opinion_round  # every group of a page is of one round
        by_group.setdefault(opinion.group_id, []).append(
            (opinion, opinion.author_shown_to(access, presidium=presidium))
        )
    rows = []
    for group in groups:
        members = by_group.get(group.pk, [])
        colleges = list(dict.fromkeys(o.sub_union.name for o, _shown in members))
        rows.append((group, members, colleges))
    return rows


def rollup_counts(*, opinion_round: OpinionRound) -> dict:
    groups = OpinionGroup.objects.filter(round=opinion_round)
    by_status = dict(groups.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "opinions": Opinion.objects.filter(round=opinion_round).count(),
        "groups": sum(by_status.values()),
        "colleges": Opinion.objects.filter(round=opinion_round).values("sub_union").distinct().count(),
        "by_status": {status: by_status.get(status, 0) for status in AnswerStatus.values},
        "pending": by_status.get(AnswerStatus.PENDING, 0),
    }


def article_choices(opinion_round: OpinionRound) -> list[tuple[str, str]]:
    return [("general", _("总体意见"))] + [
        (str(a.pk), f"{a.label} {a.text[:24]}") for a in opinion_round.version.articles.order_by("position")
    ]


# --- the diff between versions ----------------------------------------------------------------


@dataclass
class DiffRow:
    kind: str  # "same", "changed", "added", "removed"
    old: Article | None
    new: Article | None
    segments: list[tuple[str, str]] = field(default_factory=list)  # (equal|insert|delete, text)
    causes: list[OpinionGroup] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.old and self.new and self.old.label != self.new.label:
            return f"{self.old.label} → {self.new.label}"
        return (self.new or self.old).label  # type: ignore[union-attr]


def _segments(old: str, new: str) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            out.append(("delete", old[i1:i2]))
        if tag in ("insert", "replace"):
            out.append(("insert", new[j1:j2]))
    return out


def version_diff(*, old: DraftVersion, new: DraftVersion) -> tuple[list[DiffRow], list[OpinionGroup]]:
    """The articles of `old` and `new` aligned (unchanged, changed, added, removed), each
    changed or removed article with the adopted or partly adopted opinions on it in `old`'s
    round; and the adopted general opinions."""
    old_articles = list(old.articles.order_by("position"))
    new_articles = list(new.articles.order_by("position"))
    adopted = list(
        OpinionGroup.objects.filter(
            round__version=old, status__in=(AnswerStatus.ADOPTED, AnswerStatus.PARTLY), round__answered_at__isnull=False
        ).order_by("number")
    )
    causes: dict[int | None, list[OpinionGroup]] = {}
    for group in adopted:
        causes.setdefault(group.article_id, []).append(group)
    matcher = difflib.SequenceMatcher(
        a=[a.text for a in old_articles], b=[a.text for a in new_articles], autojunk=False
    )
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow("same", o, n) for o, n in zip(old_articles[i1:i2], new_articles[j1:j2], strict=True))
            continue
        olds, news = old_articles[i1:i2], new_articles[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o and n:
                rows.append(DiffRow("changed", o, n, _segments(o.text, n.text), causes.get(o.pk, [])))
            elif o:
                rows.append(DiffRow("removed", o, None, [("delete", o.text)], causes.get(o.pk, [])))
            elif n:
                rows.append(DiffRow("added", None, n, [("insert", n.text)]))
    return rows, causes.get(None, [])


def previous_version(version: DraftVersion) -> DraftVersion | None:
    return (
        DraftVersion.objects.filter(
            deliberation_id=version.deliberation_id, number__lt=version.number, status=VersionStatus.PUBLISHED
        )
        .order_by("-number")
        .first()
    )


def answers_published(*, user, deliberation: Deliberation) -> QuerySet[OpinionRound]:
    """Rounds whose answers are published, each with its groups (the answer table)."""
    groups = OpinionGroup.objects.restrict(user, "view").select_related("article").order_by("number")
    return (
        OpinionRound.objects.filter(deliberation=deliberation, answered_at__isnull=False)
        .select_related("version")
        .prefetch_related(Prefetch("groups", queryset=groups, to_attr="answered_groups"))
        .order_by("number")
    )

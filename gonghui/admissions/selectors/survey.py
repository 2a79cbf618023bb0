"""The demand survey as each user may see it: its lines (a parent their own children's, an
officer their sub-union's, the admissions officer everyone's; nobody else any), and the
progress board per sub-union on the shared board (`gonghui.people.boards`).

The shared board counts PEOPLE (its queryset is of Person: one row per person, grouped by
their sub-union), so the survey's board counts parents: a parent is eligible when a child of
theirs has a line, answered when every one of their children's lines is answered; of the
answered, "yes" when any child needs a place, "undecided" when none does but one is
undecided, "no" otherwise. Two more columns add up the children: lines and places needed."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import get_access
from gonghui.admissions.choices import Need
from gonghui.admissions.models import Campaign, SurveyLine
from gonghui.people.boards import BoardColumn, board_totals, sub_union_board
from gonghui.people.models import Person, SubUnion

# The survey board's columns (templates/components/sub_union_board.html), in the order shown.
SURVEY_BOARD_COLUMNS = (
    BoardColumn("eligible", gettext_lazy("应填")),
    BoardColumn("answered", gettext_lazy("已填"), with_pct=True),
    BoardColumn("yes", gettext_lazy("需要")),
    BoardColumn("no", gettext_lazy("不需要")),
    BoardColumn("undecided", gettext_lazy("未确定")),
    BoardColumn("pending", gettext_lazy("未填")),
    BoardColumn("children", gettext_lazy("子女数")),
    BoardColumn("children_yes", gettext_lazy("需要学位的子女")),
)
SURVEY_BOARD_KEYS = [column.key for column in SURVEY_BOARD_COLUMNS]


def visible_lines(user, campaign: Campaign) -> QuerySet[SurveyLine]:
    return SurveyLine.objects.restrict(user).filter(campaign=campaign)


def _count(lines: QuerySet[SurveyLine], **condition):
    """Per parent (OuterRef), how many of their lines meet the condition."""
    return Coalesce(
        Subquery(
            lines.filter(parent_id=OuterRef("pk"), **condition)
            .order_by()
            .values("parent_id")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def survey_board(*, campaign: Campaign, user) -> list[dict]:
    """Per top-level sub-union (groups roll up), counting parents: eligible, answered, yes, no,
    undecided, pending; and children: lines, places needed. One grouped query over the
    lines the user may see (an officer: their sub-union's row; the admissions officer: every
    row; anyone else: no rows)."""
    lines = visible_lines(user, campaign)
    people = Person.objects.filter(pk__in=lines.values("parent_id")).annotate(
        lines_all=_count(lines),
        lines_open=_count(lines, answered_at__isnull=True),
        lines_yes=_count(lines, need=Need.YES),
        lines_undecided=_count(lines, need=Need.UNDECIDED),
    )
    done = Q(lines_open=0)
    return sub_union_board(
        people,
        counts={
            "answered": Count("pk", filter=done),
            "yes": Count("pk", filter=done & Q(lines_yes__gt=0)),
            "undecided": Count("pk", filter=done & Q(lines_yes=0, lines_undecided__gt=0)),
            "no": Count("pk", filter=done & Q(lines_yes=0, lines_undecided=0)),
            "children": Coalesce(Sum("lines_all"), Value(0)),
            "children_yes": Coalesce(Sum("lines_yes"), Value(0)),
        },
    )


def survey_board_totals(rows: list[dict]) -> dict[str, int]:
    return board_totals(rows, SURVEY_BOARD_KEYS)


def survey_lines(
    *, campaign: Campaign, user, pending: bool = False, sub_union: SubUnion | int | None = None
) -> QuerySet[SurveyLine]:
    """The campaign's lines `user` may see, by sub-union, parent and child; with `pending`,
    only those not yet answered; optionally one sub-union (with its groups)."""
    lines = visible_lines(user, campaign).select_related(
        "child", "parent__sub_union", "school", "alternative", "answered_by"
    )
    if pending:
        lines = lines.filter(answered_at__isnull=True)
    if sub_union is not None:
        pk = sub_union.pk if isinstance(sub_union, SubUnion) else int(sub_union)
        lines = lines.filter(parent__sub_union_id__in=SubUnion.objects.with_descendants([pk]))
    return lines.order_by("parent__sub_union__sort_key", "parent__name_pinyin", "parent__staff_no", "child__birth_date")


def own_lines(user, campaign: Campaign) -> QuerySet[SurveyLine]:
    """The user's own children's lines (as a parent)."""
    person_id = get_access(user).person_id
    if not person_id:
        return SurveyLine.objects.none()
    return (
        visible_lines(user, campaign)
        .filter(parent_id=person_id)
        .select_related("child", "school", "alternative")
        .order_by("child__birth_date", "pk")
    )


def survey_line_get(user, pk) -> SurveyLine | None:
    return (
        SurveyLine.objects.restrict(user)
        .select_related("campaign__rules", "child", "parent__sub_union", "school", "alternative")
        .filter(pk=pk)
        .first()
    )

"""The survey's population, the progress board per sub-union, an officer's people."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from gonghui.drives.choices import Intent
from gonghui.drives.eligibility import eligible_people
from gonghui.drives.models import IntentAnswer
from gonghui.people.boards import BoardColumn, sub_union_board
from gonghui.people.models import Person


def pending_people(drive):
    """Eligible staff without an answer."""
    answered = IntentAnswer.objects.filter(drive=drive, person=OuterRef("pk"))
    return eligible_people(drive).filter(~Exists(answered))


def survey_people(*, drive, user, pending: bool = False):
    """The eligible staff `user` may see (an officer: their sub-union's), with their answer;
    with `pending`, only those who have not answered."""
    answers = IntentAnswer.objects.filter(drive=drive, person=OuterRef("pk"))
    people = pending_people(drive) if pending else eligible_people(drive)
    return (
        people.filter(pk__in=Person.objects.restrict(user, "view").values("pk"))
        .select_related("sub_union")
        .annotate(
            intent=Subquery(answers.values("intent")[:1]),
            relatives_count=Subquery(answers.values("relatives_count")[:1]),
        )
        .order_by("sub_union__sort_key", "name_pinyin", "staff_no")
    )


# The survey board's columns (templates/components/sub_union_board.html), in the order shown.
SURVEY_BOARD_COLUMNS = (
    BoardColumn("eligible", gettext_lazy("应填")),
    BoardColumn("answered", gettext_lazy("已填"), with_pct=True),
    BoardColumn("yes", gettext_lazy("参加")),
    BoardColumn("no", gettext_lazy("不参加")),
    BoardColumn("undecided", gettext_lazy("未决定")),
    BoardColumn("pending", gettext_lazy("未填")),
    BoardColumn("relatives_intended", gettext_lazy("家属")),
)


def survey_board(*, drive, user) -> list[dict]:
    """Per top-level sub-union (groups roll up): eligible, answered, yes, no, undecided,
    pending, relatives intended (`people.boards.sub_union_board`). One grouped query;
    officers see their own rows only."""
    answers = IntentAnswer.objects.filter(drive=drive, person=OuterRef("pk"))
    people = (
        eligible_people(drive)
        .filter(pk__in=Person.objects.restrict(user, "view").values("pk"))
        .annotate(
            intent=Subquery(answers.values("intent")[:1]),
            relatives=Subquery(answers.values("relatives_count")[:1], output_field=IntegerField()),
        )
    )
    return sub_union_board(
        people,
        counts={
            "answered": Count("pk", filter=Q(intent__isnull=False)),
            "yes": Count("pk", filter=Q(intent=Intent.YES)),
            "no": Count("pk", filter=Q(intent=Intent.NO)),
            "undecided": Count("pk", filter=Q(intent=Intent.UNDECIDED)),
            "relatives_intended": Coalesce(Sum("relatives"), Value(0)),
        },
    )

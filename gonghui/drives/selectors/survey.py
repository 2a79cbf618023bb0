"""The survey's population, the progress board per sub-union, an officer's people."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from gonghui.drives.choices import Intent
from gonghui.drives.eligibility import eligible_people
from gonghui.drives.models import IntentAnswer
from gonghui.people.models import Person, SubUnion


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


def survey_board(*, drive, user) -> list[dict]:
    """Per top-level sub-union (groups roll up): eligible, answered, yes, no, undecided,
    pending, relatives intended. One grouped query; officers see their own rows only."""
    answers = IntentAnswer.objects.filter(drive=drive, person=OuterRef("pk"))
    people = (
        eligible_people(drive)
        .filter(pk__in=Person.objects.restrict(user, "view").values("pk"))
        .annotate(
            top=Coalesce("sub_union__parent_id", "sub_union_id"),
            intent=Subquery(answers.values("intent")[:1]),
            relatives=Subquery(answers.values("relatives_count")[:1], output_field=IntegerField()),
        )
    )
    rows = (
        people.values("top")
        .annotate(
            eligible=Count("pk"),
            answered=Count("pk", filter=Q(intent__isnull=False)),
            yes=Count("pk", filter=Q(intent=Intent.YES)),
            no=Count("pk", filter=Q(intent=Intent.NO)),
            undecided=Count("pk", filter=Q(intent=Intent.UNDECIDED)),
            relatives_intended=Coalesce(Sum("relatives"), Value(0)),
        )
        .order_by()
    )
    names = {s.pk: s for s in SubUnion.objects.filter(pk__in=[r["top"] for r in rows])}
    board = []
    for row in rows:
        sub_union = names[row["top"]]
        board.append(
            {
                **row,
                "sub_union": sub_union,
                "pending": row["eligible"] - row["answered"],
                "answered_pct": round(100 * row["answered"] / row["eligible"]) if row["eligible"] else 0,
            }
        )
    board.sort(key=lambda r: (r["answered_pct"], r["sub_union"].sort_key))
    return board

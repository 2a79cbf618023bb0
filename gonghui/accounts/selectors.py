"""Reads of sign-in accounts."""

from django.db.models import Exists, OuterRef, QuerySet

from gonghui.accounts.models import User
from gonghui.people.models import Person


def _activated_account():
    # Django marks an unusable password with a leading "!": such an account is not activated.
    return User.objects.filter(person=OuterRef("pk"), is_active=True).exclude(password__startswith="!")


def people_with_activation(actor, *, sub_union_id: int | None = None) -> QuerySet[Person]:
    """The people `actor` may see, each annotated `activated`, in roster order."""
    people = Person.objects.restrict(actor, "view").select_related("sub_union")
    if sub_union_id:
        people = people.filter(sub_union_id=sub_union_id)
    return people.annotate(activated=Exists(_activated_account())).order_by("sub_union__name_pinyin", "staff_no")

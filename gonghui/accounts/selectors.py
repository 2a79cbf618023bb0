"""Reads of sign-in accounts: who has activated, the users' list and an account's history."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import get_access
from gonghui.accounts.models import RoleAssignment, User
from gonghui.accounts.roles import Role
from gonghui.core.models import AuditEvent
from gonghui.core.text import record_id
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, SubUnion

# Django marks an unusable password with a leading "!": such an account is not activated.
_NO_PASSWORD = Q(password__startswith="!")


def _activated_account():
    return User.objects.filter(person=OuterRef("pk"), is_active=True).exclude(_NO_PASSWORD)


def _deactivated_account():
    return User.objects.filter(person=OuterRef("pk"), is_active=False)


def people_with_activation(actor, *, sub_union_id: int | None = None) -> QuerySet[Person]:
    """The people `actor` may see who can have an account (not those who left or died), each
    annotated `activated` and `deactivated` (their account was stopped), in roster order. A
    sub-union includes its groups."""
    people = (
        Person.objects.restrict(actor, "view")
        .select_related("sub_union")
        .exclude(employment_status__in=[EmploymentStatus.LEFT, EmploymentStatus.DECEASED])
    )
    if sub_union_id:
        people = people.filter(sub_union_id__in=SubUnion.objects.with_descendants({sub_union_id}))
    return people.annotate(activated=Exists(_activated_account()), deactivated=Exists(_deactivated_account())).order_by(
        "sub_union__sort_key", "sub_union__name", "staff_no"
    )


def people_waiting_for_activation(actor, *, sub_union_id: int | None = None) -> QuerySet[Person]:
    """Of `people_with_activation`, those who have not activated (a stopped account is not waiting)."""
    return people_with_activation(actor, sub_union_id=sub_union_id).filter(activated=False, deactivated=False)


# The users' list: its state filter.
USER_STATES = {
    "activated": (_("已开通"), Q(is_active=True) & ~_NO_PASSWORD),
    "waiting": (_("未开通"), Q(is_active=True) & _NO_PASSWORD),
    "inactive": (_("已停用"), Q(is_active=False)),
}


def user_list(*, user, filters) -> QuerySet[User]:
    """The accounts `user` may see, with their person and roles, filtered by `q` (username, staff
    number or name), `role`, `state` (USER_STATES) and `sub_union` (the account's person or a
    role there, groups included); ordered by username."""
    assignments = RoleAssignment.objects.select_related("sub_union", "university_unit").order_by("role", "pk")
    users = (
        User.objects.restrict(user, "view")
        .select_related("person__sub_union")
        .prefetch_related(Prefetch("role_assignments", queryset=assignments))
        .order_by("username")
    )
    text = (filters.get("q") or "").strip()
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(first_name__contains=text)
            | Q(last_name__contains=text)
            | Q(person__staff_no=text)
            | Q(person__name__contains=text)
        )
    role = filters.get("role") or ""
    if role in Role.values:
        holds = Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=role))
        users = users.filter(holds | Q(person__isnull=False)) if role == Role.MEMBER else users.filter(holds)
    state = USER_STATES.get(filters.get("state") or "")
    if state is not None:
        users = users.filter(state[1])
    if sub_union_id := record_id(filters.get("sub_union")):
        ids = SubUnion.objects.with_descendants({sub_union_id})
        officer_there = Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), sub_union_id__in=ids))
        users = users.filter(Q(person__sub_union_id__in=ids) | officer_there)
    return users


def user_get(*, user, pk: int) -> User:
    """One account `user` may see (User.DoesNotExist otherwise)."""
    return user_list(user=user, filters={}).get(pk=pk)


def user_history(*, account: User) -> QuerySet[AuditEvent]:
    """What happened to the account: created, roles given and taken back, codes issued,
    password set, stopped and started again; newest first."""
    return AuditEvent.objects.filter(object_type=User._meta.label_lower, object_id=str(account.pk)).select_related(
        "actor"
    )


def role_assignment_get(*, user, pk: int) -> RoleAssignment:
    """A role of an account `user` may see (RoleAssignment.DoesNotExist otherwise)."""
    visible = User.objects.restrict(user, "view").values("pk")
    return RoleAssignment.objects.select_related("user", "sub_union", "university_unit").get(pk=pk, user__in=visible)


def user_greeting(user) -> tuple[str, str]:
    """(name, roles) for the home page's greeting: the person's name (or the account holder's
    name, the username last), and the roles as people read them — “校工会工作人员”,
    “经济学院分工会·分工会干部” — joined by “、”; “会员” for a member with no other role."""
    person = getattr(user, "person", None)
    name = person.name if person is not None else (user.get_full_name() or user.username)
    labels = []
    # a member and nothing else (most users) has no assignment to name: no query
    assignments = user.role_assignments.none() if get_access(user).roles <= {Role.MEMBER} else user.role_assignments
    for assignment in assignments.select_related("sub_union", "university_unit").order_by("pk"):
        if assignment.role == Role.SYSTEM:
            continue
        scope = assignment.sub_union or assignment.university_unit
        label = str(Role(assignment.role).label)
        labels.append(f"{scope.name}·{label}" if scope is not None else label)
    if not labels and person is not None:
        labels.append(str(Role.MEMBER.label))
    return name, "、".join(dict.fromkeys(labels))

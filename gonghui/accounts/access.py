"""What a signed-in user may see and do: roles and scope, computed once per request.

- `get_access(user)`: the user's roles, scopes and permissions.
- `ScopedQuerySet`: the one base of every `Model.objects.restrict(user, action)`. The union
  office, administrators and the system actor see and change everything, auditors see
  everything; anyone else gets what the model's `scope(access, action)` allows. Every list,
  detail page, API call and export goes through it, so no view has to remember to filter.
- `permission_require(actor, permission, obj=None)`: the one permission check of services:
  the actor holds the permission and, with `obj`, has it in their scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from gonghui.accounts.roles import GLOBAL_READ_ROLES, GLOBAL_WRITE_ROLES, Role, role_permissions

if TYPE_CHECKING:
    from gonghui.accounts.models import User

# The acting user of a service: a signed-in person, or the system actor (commands, tasks).
Actor: TypeAlias = "User"

_CACHE_ATTR = "_gonghui_access"


@dataclass(frozen=True)
class Access:
    user_id: int | None = None
    person_id: int | None = None
    roles: frozenset = frozenset()
    sub_union_ids: frozenset = frozenset()  # scoped sub-unions with every descendant
    unit_ids: frozenset = frozenset()
    is_superuser: bool = False
    permissions: frozenset = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def reads_everything(self) -> bool:
        return self.is_superuser or bool(self.roles & GLOBAL_READ_ROLES)

    @property
    def writes_everything(self) -> bool:
        return self.is_superuser or bool(self.roles & GLOBAL_WRITE_ROLES)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_back_office(self) -> bool:
        return self.reads_everything or Role.SUB_UNION_OFFICER in self.roles

    def sees_everything(self, action: str) -> bool:
        return self.writes_everything or (action == "view" and self.reads_everything)


ANONYMOUS = Access()


def get_access(user) -> Access:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from gonghui.people.models import SubUnion

    roles, sub_union_ids, unit_ids = set(), set(), set()
    for role, sub_union_id, unit_id in user.role_assignments.values_list("role", "sub_union_id", "university_unit_id"):
        roles.add(role)
        if role == Role.SUB_UNION_OFFICER and sub_union_id:
            sub_union_ids.add(sub_union_id)
        if role == Role.HANDLING_UNIT_OFFICER and unit_id:
            unit_ids.add(unit_id)
    if user.person_id:
        roles.add(Role.MEMBER)
    permissions: set[str] = set()
    for role in roles:
        permissions |= role_permissions(role)
    access = Access(
        user_id=user.pk,
        person_id=user.person_id,
        roles=frozenset(roles),
        sub_union_ids=frozenset(SubUnion.objects.with_descendants(sub_union_ids)) if sub_union_ids else frozenset(),
        unit_ids=frozenset(unit_ids),
        is_superuser=user.is_superuser,
        permissions=frozenset(permissions),
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class ScopedQuerySet(models.QuerySet):
    """`restrict(user, action)`: the rows `user` may see (action "view") or act on (any
    other action). Models say what the scoped roles get in `scope()`."""

    def restrict(self, user, action: str = "view"):
        return self.restrict_access(get_access(user), action)

    def restrict_access(self, access: Access, action: str = "view"):
        """`restrict` for an `Access` already in hand (a scope built on another model's scope)."""
        if not access.is_authenticated:
            return self.none()
        if access.sees_everything(action):
            return self
        condition = self.scope(access, action)
        return self.none() if condition is None else self.filter(condition)

    def scope(self, access: Access, action: str) -> Q | None:
        """What roles without a global view get: a condition, or None for nothing."""
        return None


def person_condition(access: Access, prefix: str = "") -> Q | None:
    """Rows of the people `access` may see: themselves, and a sub-union officer's people.
    `prefix` leads from the row to the person ("" for Person itself, "person__" …)."""
    condition = Q(**{f"{prefix}pk": access.person_id}) if access.person_id else None
    if Role.SUB_UNION_OFFICER in access.roles and access.sub_union_ids:
        officer = Q(**{f"{prefix}sub_union_id__in": access.sub_union_ids})
        condition = officer if condition is None else condition | officer
    return condition


def officer_condition(access: Access, field: str) -> Q | None:
    """Rows of a sub-union officer's sub-unions: `field` leads from the row to the sub-union's id
    ("college_id", "pair__college_id" …); None for anyone else."""
    if Role.SUB_UNION_OFFICER in access.roles and access.sub_union_ids:
        return Q(**{f"{field}__in": access.sub_union_ids})
    return None


def any_of(*conditions: Q | None) -> Q | None:
    """The rows any of the conditions admits (None ones left out); None when none is given."""
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    combined = present[0]
    for condition in present[1:]:
        combined |= condition
    return combined


def permission_require(actor, permission: str, obj: models.Model | None = None, action: str = "change") -> None:
    """The one permission check of services: `actor` holds `permission` and, given `obj`,
    may `action` it (it is in their scoped queryset). Refused with PermissionDenied."""
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        raise PermissionDenied
    if obj is not None:
        manager: Any = type(obj)._default_manager
        if not manager.restrict(actor, action).filter(pk=obj.pk).exists():
            raise PermissionDenied

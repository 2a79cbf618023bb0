"""What a signed-in user may see: roles and scope, computed once per request.

Every selector narrows its queryset with this (`Model.objects.restrict(user, action)`),
so no page or API view has to remember to filter.
"""

from dataclasses import dataclass, field

from gonghui.accounts.roles import GLOBAL_READ_ROLES, GLOBAL_WRITE_ROLES, ROLE_PERMISSIONS, Role

_CACHE_ATTR = "_gonghui_access"


@dataclass(frozen=True)
class Access:
    person_id: int | None = None
    roles: frozenset = frozenset()
    sub_union_ids: frozenset = frozenset()  # scoped sub-unions with every descendant
    unit_ids: frozenset = frozenset()
    is_superuser: bool = False
    permissions: frozenset = field(default_factory=frozenset)

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
    permissions = set()
    for role in roles:
        permissions |= ROLE_PERMISSIONS.get(role, frozenset())
    access = Access(
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

"""The union office manages its sub-unions (分工会) and union groups (工会小组): create, change
kind and parent, rename with history, merge one into another. Every write is atomic, checks
the actor's permission, refuses bad input before writing anything and leaves an audit event
on the sub-union's page (the people it moves get theirs on their own pages).

The tree: colleges, offices and the retirees' sub-union, optionally under another non-group
sub-union; groups always under a non-group sub-union, never above anything. No cycles, one
union. A merged sub-union is kept (its page and history stay readable) but is no longer offered
anywhere (`SubUnion.objects.current()`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.accounts.models import RoleAssignment
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, audit_event_build, changes_between, snapshot
from gonghui.core.models import AuditEvent
from gonghui.core.service_kit import audit
from gonghui.people.choices import MembershipStatus, SubUnionKind
from gonghui.people.models import MembershipEvent, Person, SubUnion, Union, UnionMembership
from gonghui.people.pinyin import name_initials, name_pinyin
from gonghui.people.roster import bulk
from gonghui.people.roster.services import EVENT_FIELDS, STEP_FIELDS, _Closed
from gonghui.people.roster.validation import unit_key

SUB_UNION_AUDITED_FIELDS = ["code", "name", "kind", "parent"]
_CODE = re.compile(r"^[A-Za-z0-9_-]+$")
_CODE_LENGTH: int = SubUnion._meta.get_field("code").max_length or 32
_NAME_LENGTH: int = SubUnion._meta.get_field("name").max_length or 100


# --- checks shared by the services ----------------------------------------------------


def _union() -> Union:
    union = Union.objects.order_by("pk").first()
    if union is None:
        raise ApplicationError(
            _("尚未完成工会首次设置：请先在“首次设置”页面或用 union_setup 命令创建校工会，再新建分工会。")
        )
    return union


def _name_checked(name: str | None, *, exclude_pk: int | None = None) -> str:
    """The stripped name; refused when empty, too long, or already the name or an alias of
    another current sub-union (the roster import could no longer tell them apart)."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写名称"), extra={"field": "name"})
    if len(name) > _NAME_LENGTH:
        raise ApplicationError(_("名称不能超过 %(limit)d 个字符") % {"limit": _NAME_LENGTH}, extra={"field": "name"})
    key = unit_key(name)
    for other in SubUnion.objects.current().exclude(pk=exclude_pk).only("name", "aliases"):
        if key == unit_key(other.name) or key in {unit_key(str(a)) for a in other.aliases or []}:
            raise ApplicationError(
                _("名称“%(name)s”已被分工会“%(other)s”使用（名称或别名）") % {"name": name, "other": other.name},
                extra={"field": "name"},
            )
    return name


def _code_checked(code: str) -> str:
    if len(code) > _CODE_LENGTH or not _CODE.match(code):
        raise ApplicationError(
            _("代码只能包含字母、数字、连字符和下划线，最多 %(limit)d 个字符") % {"limit": _CODE_LENGTH},
            extra={"field": "code"},
        )
    clash = SubUnion.objects.filter(code__iexact=code).first()
    if clash is not None:
        raise ApplicationError(
            _("代码 %(code)s 已被分工会“%(other)s”使用") % {"code": code, "other": clash.name},
            extra={"field": "code"},
        )
    return code


def sub_union_code_suggest(name: str) -> str:
    """A free code from the name's pinyin initials (经济学院分工会 → JJXYFGH, then JJXYFGH2 …)."""
    base = (name_initials(name or "").upper() or "SU")[: _CODE_LENGTH - 3]
    base = re.sub(r"[^A-Z0-9]", "", base) or "SU"
    taken = {c.upper() for c in SubUnion.objects.filter(code__istartswith=base).values_list("code", flat=True)}
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def _tree_checked(*, sub_union: SubUnion | None, kind: str, parent: SubUnion | None, union: Union) -> None:
    """The tree's rules for `sub_union` (None: a new one) of `kind` under `parent`."""
    if kind not in SubUnionKind.values:
        raise ApplicationError(_("未知的分工会类型“%(kind)s”") % {"kind": kind}, extra={"field": "kind"})
    if kind == SubUnionKind.GROUP and parent is None:
        raise ApplicationError(_("工会小组必须有上级分工会"), extra={"field": "parent"})
    if parent is not None:
        if parent.is_merged:
            raise ApplicationError(
                _("“%(parent)s”已合并，不能作为上级") % {"parent": parent.name}, extra={"field": "parent"}
            )
        if parent.kind == SubUnionKind.GROUP:
            raise ApplicationError(_("工会小组不能作为上级"), extra={"field": "parent"})
        if parent.union_id != union.pk:
            raise ApplicationError(_("上级分工会不属于本校工会"), extra={"field": "parent"})
        if sub_union is not None and parent.pk in SubUnion.objects.with_descendants({sub_union.pk}):
            raise ApplicationError(_("上级不能是本分工会或它的下级（会形成循环）"), extra={"field": "parent"})
    if (
        sub_union is not None
        and kind == SubUnionKind.GROUP
        and SubUnion.objects.current().filter(parent=sub_union).exists()
    ):
        raise ApplicationError(_("该分工会下还有工会小组，不能改为工会小组"), extra={"field": "kind"})


def _not_merged(sub_union: SubUnion) -> None:
    if sub_union.is_merged:
        raise ApplicationError(
            _("“%(name)s”已并入“%(into)s”，不能再修改") % {"name": sub_union.name, "into": sub_union.merged_into}
        )


def _locked(sub_union: SubUnion) -> SubUnion:
    return SubUnion.objects.select_for_update(of=("self",)).select_related("parent", "merged_into").get(pk=sub_union.pk)


# --- create, edit, rename -----------------------------------------------------------------


@transaction.atomic
def sub_union_create(*, actor: Actor, name: str, kind: str, code: str = "", parent: SubUnion | None = None) -> SubUnion:
    """A new sub-union or group; an empty `code` gets one from the name's initials."""
    permission_require(actor, "people.add_subunion")
    union = _union()
    name = _name_checked(name)
    code = (code or "").strip()
    code = _code_checked(code) if code else sub_union_code_suggest(name)
    _tree_checked(sub_union=None, kind=kind, parent=parent, union=union)
    sub_union = SubUnion.objects.create(
        union=union, code=code, name=name, kind=kind, parent=parent, name_pinyin=name_pinyin(name)
    )
    audit(
        actor,
        sub_union,
        AuditAction.CREATED,
        _("新建分工会"),
        changes=changes_between({}, snapshot(sub_union, SUB_UNION_AUDITED_FIELDS)),
    )
    return sub_union


@transaction.atomic
def sub_union_update(*, actor: Actor, sub_union: SubUnion, kind: str, parent: SubUnion | None) -> SubUnion:
    """Change the kind and the parent (the tree's rules hold afterwards)."""
    permission_require(actor, "people.change_subunion", sub_union)
    sub_union = _locked(sub_union)
    _not_merged(sub_union)
    _tree_checked(sub_union=sub_union, kind=kind, parent=parent, union=sub_union.union)
    before = snapshot(sub_union, SUB_UNION_AUDITED_FIELDS)
    sub_union.kind, sub_union.parent = kind, parent
    changes = changes_between(before, snapshot(sub_union, SUB_UNION_AUDITED_FIELDS))
    if changes:
        sub_union.save(update_fields=["kind", "parent"])
        audit(actor, sub_union, AuditAction.UPDATED, _("修改类型或上级"), changes=changes)
    return sub_union


@transaction.atomic
def sub_union_rename(*, actor: Actor, sub_union: SubUnion, name: str) -> SubUnion:
    """A new name; the old one becomes an alias, so HR's roster still matches it. The history
    keeps old → new with date and actor."""
    permission_require(actor, "people.change_subunion", sub_union)
    sub_union = _locked(sub_union)
    _not_merged(sub_union)
    name = _name_checked(name, exclude_pk=sub_union.pk)
    old = sub_union.name
    if name == old:
        raise ApplicationError(_("新名称与当前名称相同"), extra={"field": "name"})
    before_aliases = list(sub_union.aliases or [])
    aliases = [a for a in before_aliases if unit_key(str(a)) != unit_key(name)]
    if unit_key(old) not in {unit_key(str(a)) for a in aliases}:
        aliases.append(old)
    sub_union.name, sub_union.name_pinyin, sub_union.aliases = name, name_pinyin(name), aliases
    sub_union.save(update_fields=["name", "name_pinyin", "aliases"])
    changes = {"name": [old, name]}
    if aliases != before_aliases:
        changes["aliases"] = ["、".join(before_aliases), "、".join(aliases)]
    audit(actor, sub_union, AuditAction.UPDATED, _("更名"), changes=changes)
    return sub_union


# --- merge ---------------------------------------------------------------------------------

# Links to a sub-union that the merge moves; every other one (a module's row, e.g. an
# insurance enrolment's sub-union "when enrolled") stays with the merged sub-union as history.
_MOVED_LINKS = {
    ("people", "person", "sub_union"),
    ("people", "unionmembership", "sub_union"),
    ("people", "subunion", "parent"),
    ("people", "subunion", "merged_into"),
    ("accounts", "roleassignment", "sub_union"),
}


@dataclass
class MergePlan:
    """What merging `source` into `target` moves, counted before anything is written."""

    source: SubUnion
    target: SubUnion
    people: int = 0
    memberships: int = 0  # current active memberships: transferred (closed here, opened there)
    applications: int = 0  # memberships applied for: moved to the target as they are
    groups: list[str] = field(default_factory=list)
    roles: int = 0
    aliases: list[str] = field(default_factory=list)  # names the target gains
    kept: list[tuple[str, int]] = field(default_factory=list)  # (records, count) that stay as history

    @property
    def summary(self) -> str:
        return _(
            "人员 %(people)d 人，转会 %(memberships)d 条，入会申请 %(applications)d 条，"
            "工会小组 %(groups)d 个，角色 %(roles)d 个"
        ) % {
            "people": self.people,
            "memberships": self.memberships,
            "applications": self.applications,
            "groups": len(self.groups),
            "roles": self.roles,
        }


def _merge_checked(source: SubUnion, target: SubUnion) -> None:
    if source.pk == target.pk:
        raise ApplicationError(_("不能把分工会并入它自己"), extra={"field": "into"})
    if source.is_merged:
        raise ApplicationError(
            _("“%(name)s”已并入“%(into)s”") % {"name": source.name, "into": source.merged_into}, extra={"field": "into"}
        )
    if target.is_merged:
        raise ApplicationError(
            _("“%(name)s”已并入“%(into)s”，不能再并入其他分工会") % {"name": target.name, "into": target.merged_into},
            extra={"field": "into"},
        )
    if target.union_id != source.union_id:
        raise ApplicationError(_("两个分工会不属于同一校工会"), extra={"field": "into"})
    if target.pk in SubUnion.objects.with_descendants({source.pk}):
        raise ApplicationError(_("不能并入本分工会的下级"), extra={"field": "into"})
    if target.kind == SubUnionKind.GROUP and SubUnion.objects.current().filter(parent=source).exists():
        raise ApplicationError(
            _("“%(name)s”下有工会小组，不能并入工会小组") % {"name": source.name}, extra={"field": "into"}
        )


def _new_aliases(source: SubUnion, target: SubUnion) -> list[str]:
    have = {unit_key(target.name)} | {unit_key(str(a)) for a in target.aliases or []}
    added = []
    for name in [source.name, *(str(a) for a in source.aliases or [])]:
        if unit_key(name) not in have:
            have.add(unit_key(name))
            added.append(name)
    return added


def sub_union_merge_plan(*, actor: Actor, source: SubUnion, target: SubUnion) -> MergePlan:
    """The preview of a merge: what moves and what stays. Refused as the merge would be."""
    permission_require(actor, "people.change_subunion", source)
    _merge_checked(source, target)
    today = timezone.localdate()
    current = UnionMembership.objects.current().filter(sub_union=source)
    plan = MergePlan(
        source=source,
        target=target,
        people=Person.objects.filter(sub_union=source).count(),
        memberships=current.filter(status=MembershipStatus.ACTIVE, joined_on__lte=today).count(),
        applications=current.exclude(status=MembershipStatus.ACTIVE, joined_on__lte=today).count(),
        groups=list(SubUnion.objects.current().filter(parent=source).values_list("name", flat=True)),
        roles=RoleAssignment.objects.filter(sub_union=source).count(),
        aliases=_new_aliases(source, target),
    )
    for relation in SubUnion._meta.related_objects:
        model = relation.related_model
        key = (model._meta.app_label, model._meta.model_name, relation.field.name)
        if key in _MOVED_LINKS:
            continue
        n = model._default_manager.filter(**{relation.field.name: source}).count()
        if n:
            plan.kept.append((str(model._meta.verbose_name_plural), n))
    past = UnionMembership.objects.filter(sub_union=source).exclude(
        status__in=[MembershipStatus.ACTIVE, MembershipStatus.APPLIED]
    )
    if past.exists():
        plan.kept.append((_("已结束的会籍"), past.count()))
    return plan


@transaction.atomic
def sub_union_merge(*, actor: Actor, source: SubUnion, target: SubUnion) -> MergePlan:
    """Merge `source` into `target`, all or nothing, on today's date:

    - its people move to the target; their active memberships are transferred as
      MembershipWorkflow's "transfer" step records it (the row closes as 转出 today, a row with
      the same member number opens at the target), applications move as they are;
    - its groups go under the target; role assignments scoped to it move to the target (one
      the user already holds there is dropped);
    - its name and aliases become the target's aliases, so HR's roster still matches;
    - it is kept, marked merged (merged_into, ended_on), out of every picker and list.

    Other records that name it (a module's rows) keep it: they are history (docs/modules/people.md)."""
    permission_require(actor, "people.change_subunion", source)
    permission_require(actor, "people.change_subunion", target)
    permission_require(actor, "people.change_person")
    permission_require(actor, "people.change_unionmembership")
    first, second = sorted([source, target], key=lambda s: s.pk)
    first, second = _locked(first), _locked(second)
    source, target = (first, second) if first.pk == source.pk else (second, first)
    plan = sub_union_merge_plan(actor=actor, source=source, target=target)

    today, now = timezone.localdate(), timezone.now()
    actor_id = actor.pk if actor.is_authenticated else None
    note = _("分工会合并：“%(source)s”并入“%(target)s”") % {"source": source.name, "target": target.name}
    events: list[AuditEvent] = []

    def event(**kwargs):
        events.append(audit_event_build(actor=actor, **kwargs))

    # Memberships: active ones are transferred, as the workflow's "transfer" step records it.
    current = UnionMembership.objects.current().filter(sub_union=source).select_for_update()
    transferring = current.filter(status=MembershipStatus.ACTIVE, joined_on__lte=today)
    closed = _Closed(now=now, actor_id=actor_id, today=today)
    opened = [
        UnionMembership(
            person_id=m["person_id"],
            sub_union=target,
            member_no=m["member_no"],
            joined_on=today,
            status=MembershipStatus.ACTIVE,
            reason=note,
        )
        for m in closed.close(transferring, to=MembershipStatus.TRANSFERRED, reason=note)
    ]
    bulk.insert(MembershipEvent, STEP_FIELDS, closed.events)
    bulk.insert(AuditEvent, EVENT_FIELDS, closed.audits)
    for m in UnionMembership.objects.bulk_create(opened):
        event(
            obj=m,
            action=AuditAction.MEMBERSHIP,
            person_id=m.person_id,
            message=_("转入（分工会合并）"),
            changes={"sub_union": [source.name, target.name], "status": [None, str(MembershipStatus.ACTIVE.label)]},
        )
    # Applications (and any membership dated after today) move as they are.
    remaining = UnionMembership.objects.current().filter(sub_union=source)
    for m in remaining.values("pk", "person_id"):
        event(
            object_type="people.unionmembership",
            object_id=m["pk"],
            action=AuditAction.MEMBERSHIP,
            person_id=m["person_id"],
            message=note,
            changes={"sub_union": [source.name, target.name]},
        )
    remaining.update(sub_union=target, updated_at=now)

    # People.
    people = Person.objects.filter(sub_union=source)
    for pk in people.values_list("pk", flat=True):
        event(
            object_type="people.person",
            object_id=pk,
            action=AuditAction.UPDATED,
            person_id=pk,
            message=note,
            changes={"sub_union": [source.name, target.name]},
        )
    people.update(sub_union=target, updated_at=now)

    # Groups.
    groups = SubUnion.objects.current().filter(parent=source)
    for pk in groups.values_list("pk", flat=True):
        event(
            object_type="people.subunion",
            object_id=pk,
            action=AuditAction.UPDATED,
            message=note,
            changes={"parent": [source.name, target.name]},
        )
    groups.update(parent=target)

    # Role assignments scoped to the source.
    held: set[tuple] = set(
        RoleAssignment.objects.filter(sub_union=target).values_list("user_id", "role", "university_unit_id")
    )
    for assignment in RoleAssignment.objects.filter(sub_union=source).select_related("user"):
        key = (assignment.user_id, assignment.role, assignment.university_unit_id)
        role = assignment.get_role_display()
        if key in held:
            assignment.delete()
            message = _("%(note)s；已在“%(target)s”有%(role)s角色，原角色撤销") % {
                "note": note,
                "target": target.name,
                "role": role,
            }
        else:
            assignment.sub_union = target
            assignment.save(update_fields=["sub_union"])
            held.add(key)
            message = _("%(note)s；%(role)s角色范围改为“%(target)s”") % {
                "note": note,
                "role": role,
                "target": target.name,
            }
        event(
            obj=assignment.user,
            action=AuditAction.ROLE_CHANGED,
            person_id=assignment.user.person_id,
            message=message,
        )

    # Names, and the source marked merged.
    if plan.aliases:
        before = list(target.aliases or [])
        target.aliases = [*before, *plan.aliases]
        target.save(update_fields=["aliases"])
        aliases_change = {"aliases": ["、".join(before), "、".join(target.aliases)]}
    else:
        aliases_change = {}
    event(
        obj=target,
        action=AuditAction.UPDATED,
        message=_("“%(source)s”并入本分工会：%(summary)s") % {"source": source.name, "summary": plan.summary},
        changes=aliases_change,
    )
    source.merged_into, source.ended_on = target, today
    source.save(update_fields=["merged_into", "ended_on"])
    event(
        obj=source,
        action=AuditAction.UPDATED,
        message=_("并入“%(target)s”：%(summary)s") % {"target": target.name, "summary": plan.summary},
        changes={"merged_into": [None, target.name], "ended_on": [None, today.isoformat()]},
    )
    AuditEvent.objects.bulk_create(events)
    return plan


__all__ = [
    "MergePlan",
    "sub_union_code_suggest",
    "sub_union_create",
    "sub_union_merge",
    "sub_union_merge_plan",
    "sub_union_rename",
    "sub_union_update",
]

"""First run: the union record, the university's name and the first administrator, on an
empty install, without the Django admin or a shell (`union_setup` command, /setup/ page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.models import CodeChannel, CodePurpose, RoleAssignment, User
from gonghui.accounts.roles import Role
from gonghui.accounts.services import code_display, one_time_code_issue
from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, audit_event_record, changes_of
from gonghui.people.models import Union


@dataclass(frozen=True)
class UnionSetUp:
    union: Union
    administrator: User
    setup_code: str  # in clear when no password was given (shown once), else ""


def union_is_set_up() -> bool:
    return Union.objects.exists()


def union_set_up(*, name: str, university: str, admin_username: str, admin_password: str = "") -> UnionSetUp:
    """Create the union and its first administrator (who also works as the union office).
    Without a password the administrator gets a one-time setup code instead. Refused, with
    nothing written, once a union exists."""
    name, university, admin_username = name.strip(), university.strip(), admin_username.strip()
    if not (name and university and admin_username):
        raise ApplicationError(_("请填写工会名称、学校名称和管理员用户名。"))
    with transaction.atomic():
        actor = system_actor()
        if Union.objects.exists():
            raise ApplicationError(
                _("工会已完成首次设置，不能重复设置。请以管理员身份登录后在“用户与角色”中管理账号。")
            )
        if User.objects.filter(username=admin_username).exists():
            raise ApplicationError(_("用户名 %(username)s 已被占用。") % {"username": admin_username})
        union = Union.objects.create(name=name, university=university)
        administrator = User(username=admin_username, is_staff=True)
        if admin_password:
            try:
                validate_password(admin_password, administrator)
            except ValidationError as error:
                raise ApplicationError(" ".join(error.messages)) from error
            administrator.set_password(admin_password)
        else:
            administrator.set_unusable_password()
        administrator.save()
        for role in (Role.ADMINISTRATOR, Role.UNION_OFFICE):
            RoleAssignment.objects.create(user=administrator, role=role, granted_by=actor)
        audit_event_record(
            actor=actor,
            obj=union,
            action=AuditAction.CREATED,
            message=_("首次设置"),
            changes=changes_of(name=name, university=university, administrator=admin_username),
        )
        audit_event_record(
            actor=actor,
            obj=administrator,
            action=AuditAction.ROLE_CHANGED,
            message=_("首次设置：授予系统管理员与校工会工作人员角色"),
        )
        setup_code = ""
        if not admin_password:
            code, _record = one_time_code_issue(
                user=administrator, purpose=CodePurpose.SETUP, channel=CodeChannel.LINK, actor=actor
            )
            setup_code = code_display(code)
    return UnionSetUp(union=union, administrator=administrator, setup_code=setup_code)

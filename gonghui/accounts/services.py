"""Sign-in accounts: one-time codes that let people set their password (activation by their
sub-union officer, a forgotten password, the first administrator); accounts created,
deactivated and reactivated on the users' pages; roles given and taken back (`role_grant`,
`role_revoke`: who may give which role over which scope).

Codes are short enough to type from paper (8 letters and digits, no look-alikes) and are
stored only as a keyed digest. A code expires, works once, and is void after
MAX_FAILED_ATTEMPTS wrong tries; issuing a new code voids the earlier ones of its purpose."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, get_access
from gonghui.accounts.models import CodeChannel, CodePurpose, OneTimeCode, RoleAssignment, User, role_label
from gonghui.accounts.roles import SCOPED_ROLES, Role
from gonghui.accounts.system import SYSTEM_USERNAME
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.service_kit import audit, create_or_refuse, required_text
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, SubUnion, UniversityUnit

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off paper
CODE_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5
CODE_LIFETIMES = {
    CodePurpose.SETUP: timedelta(days=1),
    CodePurpose.ACTIVATION: timedelta(days=30),
    CodePurpose.RESET: timedelta(minutes=30),
}


class CodeRefused(ApplicationError):
    """A code that is wrong, expired, used or void: nothing is changed."""


@dataclass(frozen=True)
class IssuedCode:
    person: Person | None  # None for an office account that is not on the roster
    user: User
    code: str  # in clear, shown once on the issuing page and never stored
    expires_at: object


def code_normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _digest(user_id: int, code: str) -> str:
    return salted_hmac("gonghui.accounts.one_time_code", f"{user_id}:{code}", algorithm="sha256").hexdigest()


def one_time_code_issue(*, user: User, purpose: str, channel: str, actor: Actor | None) -> tuple[str, OneTimeCode]:
    """A new code for `user` (earlier unused codes of the purpose become void). Returns the
    code in clear, for the caller to show or send once."""
    now = timezone.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))
    with transaction.atomic():
        OneTimeCode.objects.filter(user=user, purpose=purpose, used_at=None, voided_at=None).update(voided_at=now)
        record = OneTimeCode.objects.create(
            user=user,
            purpose=purpose,
            channel=channel,
            digest=_digest(user.pk, code),
            issued_by=actor if actor is not None and actor.is_authenticated else None,
            expires_at=now + CODE_LIFETIMES[CodePurpose(purpose)],
        )
        audit(
            actor,
            user,
            AuditAction.UPDATED,
            _("发放一次性验证码（%(purpose)s，%(channel)s）")
            % {"purpose": record.get_purpose_display(), "channel": record.get_channel_display()},
            person_id=user.person_id,
        )
    return code, record


def account_for_person(person: Person) -> User:
    """The person's sign-in account, created without a usable password when missing (its
    username is the staff number; the person sets a password with a code)."""
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    user = User(username=person.staff_no, first_name=person.name, person=person)
    user.set_unusable_password()
    user.save()
    return user


def activation_codes_issue(*, actor: Actor, person_ids: list[int]) -> list[IssuedCode]:
    """Activation codes for people in the actor's scope who have not activated yet, to hand
    out on paper. People outside the scope refuse the whole batch; people who already
    activated, or whose account was stopped, are passed over."""
    if not actor.has_perm("accounts.issue_codes"):
        raise PermissionDenied
    wanted = set(person_ids)
    people = list(
        Person.objects.restrict(actor, "view")
        .filter(pk__in=wanted)
        .order_by("sub_union__sort_key", "name_pinyin", "staff_no")
    )
    if len(people) != len(wanted):
        raise PermissionDenied
    issued = []
    with transaction.atomic():
        for person in people:
            user = account_for_person(person)
            if user.has_usable_password() or not user.is_active:
                continue
            code, record = one_time_code_issue(
                user=user, purpose=CodePurpose.ACTIVATION, channel=CodeChannel.PAPER, actor=actor
            )
            issued.append(IssuedCode(person=person, user=user, code=code_display(code), expires_at=record.expires_at))
    return issued


def password_set_with_code(*, username: str, code: str, purpose: str, password: str) -> User:
    """Set `username`'s password with a one-time code. An unknown username and a wrong code
    get the same message; a wrong code counts against the user's live code."""
    wrong = CodeRefused(_("工号或验证码不正确。"))
    user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None:
        raise wrong
    refusal: CodeRefused | None = None
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, voided_at=None)
            .order_by("-issued_at")
            .first()
        )
        now = timezone.now()
        if record is None:
            refusal = wrong
        elif not constant_time_compare(record.digest, _digest(user.pk, code_normalise(code))):
            # Counted (and committed) even though the request fails: guessing is bounded.
            record.failed_attempts += 1
            if record.failed_attempts >= MAX_FAILED_ATTEMPTS:
                record.voided_at = now
            record.save(update_fields=["failed_attempts", "voided_at"])
            refusal = wrong
        elif record.used_at is not None:
            refusal = CodeRefused(_("该验证码已使用过。如需再次设置密码，请重新获取验证码。"))
        elif record.expires_at <= now:
            refusal = CodeRefused(_("该验证码已过期，请重新获取。"))
        else:
            try:
                validate_password(password, user)
            except ValidationError as error:
                refusal = CodeRefused(" ".join(error.messages))
        if refusal is None and record is not None:
            record.used_at = now
            record.save(update_fields=["used_at"])
            user.set_password(password)
            user.save(update_fields=["password"])
            audit(
                user,
                user,
                AuditAction.UPDATED,
                _("以一次性验证码设置密码（%(purpose)s）") % {"purpose": record.get_purpose_display()},
                person_id=user.person_id,
            )
    if refusal is not None:
        raise refusal
    return user


def password_reset_request(*, username: str) -> None:
    """Send a reset code to the channels that reach `username` (e-mail, SMS …). Says nothing
    either way: the page answers the same whether or not the account exists."""
    user = User.objects.filter(username=(username or "").strip(), is_active=True, person__isnull=False).first()
    if user is None or not user.has_usable_password():
        return
    channels = [import_string(dotted)() for dotted in settings.NOTIFICATION_CHANNELS]
    reachable = [channel for channel in channels if channel.can_reach(user)]
    if not reachable:
        return
    channel_names = {channel.name for channel in reachable}
    recorded = next((c for c in (CodeChannel.EMAIL, CodeChannel.SMS, CodeChannel.WECOM) if c in channel_names), "")
    code, _record = one_time_code_issue(
        user=user, purpose=CodePurpose.RESET, channel=recorded or CodeChannel.EMAIL, actor=None
    )
    message = SimpleNamespace(
        title=_("工会服务平台重设密码验证码：%(code)s，30 分钟内有效。") % {"code": code_display(code)},
        body=_("如非本人操作，请忽略本消息。"),
        url="",
        recipient=user,
    )
    for channel in reachable:
        try:
            channel.deliver(message)
        except Exception:  # noqa: BLE001 — one channel failing must not stop the others
            continue


# --- accounts: created, deactivated and reactivated on the users' pages ---------------------

# People who have left or died get no new account.
_GONE = (EmploymentStatus.LEFT, EmploymentStatus.DECEASED)


def _not_the_system_account(user: User) -> None:
    if user.username == SYSTEM_USERNAME:
        raise ApplicationError(_("系统账号供命令和定时任务使用，不能在页面上更改。"))


def member_account_create(*, actor: Actor, staff_no: str) -> User:
    """A sign-in account for the person with `staff_no` (their staff number is the username; no
    password until they activate it with a code). Refused when the person is not on the roster
    in the actor's scope, has left or died, or already has an account."""
    if not actor.has_perm("accounts.add_user"):
        raise PermissionDenied
    staff_no = required_text(staff_no, _("请填写工号。"), field="staff_no")
    person = Person.objects.restrict(actor, "view").filter(staff_no=staff_no).first()
    if person is None:
        raise ApplicationError(
            _("工号 %(staff_no)s 不在人员名单中。") % {"staff_no": staff_no}, extra={"field": "staff_no"}
        )
    if person.employment_status in _GONE:
        raise ApplicationError(
            _("%(name)s 的人员状态为“%(status)s”，不能开通账号。")
            % {"name": person.name, "status": person.get_employment_status_display()},
            extra={"field": "staff_no"},
        )
    existing = User.objects.filter(person=person).first()
    if existing is not None:
        raise ApplicationError(
            _("%(name)s 已有账号（%(username)s）。") % {"name": person.name, "username": existing.username},
            extra={"field": "staff_no"},
        )
    if User.objects.filter(username__iexact=person.staff_no).exists():
        raise ApplicationError(
            _("用户名 %(username)s 已被其他账号占用。") % {"username": person.staff_no}, extra={"field": "staff_no"}
        )
    with transaction.atomic():
        user = account_for_person(person)
        audit(
            actor,
            user,
            AuditAction.CREATED,
            _("开通人员账号"),
            person_id=person.pk,
            changes=changes_of(username=user.username, person=person),
        )
    return user


def office_account_create(*, actor: Actor, username: str, name: str) -> User:
    """A sign-in account for someone who is not on the roster (union office staff, an auditor),
    without a password until they set one with a code."""
    if not actor.has_perm("accounts.add_user"):
        raise PermissionDenied
    username = required_text(username, _("请填写用户名。"), field="username")
    name = required_text(name, _("请填写姓名。"), field="name")
    try:
        User.username_validator(username)
    except ValidationError:
        raise ApplicationError(_("用户名只能包含字母、数字和 @ . + - _。"), extra={"field": "username"}) from None
    if len(username) > 150 or len(name) > 150:
        raise ApplicationError(_("用户名和姓名不能超过 150 个字符。"))
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            _("用户名 %(username)s 已被占用。") % {"username": username}, extra={"field": "username"}
        )
    if Person.objects.filter(staff_no__iexact=username).exists():
        raise ApplicationError(
            _("%(username)s 是人员名单中的工号：请按工号为该人员开通账号。") % {"username": username},
            extra={"field": "username"},
        )
    with transaction.atomic():
        user = User(username=username, first_name=name)
        user.set_unusable_password()
        user.save()
        audit(
            actor, user, AuditAction.CREATED, _("开通工作账号"), changes=changes_of(username=username, first_name=name)
        )
    return user


def _last_active_administrator(user: User) -> bool:
    others = RoleAssignment.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True).exclude(user=user)
    return user.role_assignments.filter(role=Role.ADMINISTRATOR).exists() and not others.exists()


def account_active_set(*, actor: Actor, user: User, active: bool) -> User:
    """Deactivate an account (it can no longer sign in, its live codes are void) or reactivate
    it. Nobody deactivates their own account, the system account or the last administrator;
    only an administrator deactivates an administrator."""
    if not actor.has_perm("accounts.change_user"):
        raise PermissionDenied
    if not User.objects.restrict(actor, "change").filter(pk=user.pk).exists():
        raise PermissionDenied
    _not_the_system_account(user)
    if user.is_active == active:
        raise ApplicationError(_("该账号已是启用状态。") if active else _("该账号已停用。"))
    if not active:
        if user.pk == actor.pk:
            raise ApplicationError(_("不能停用自己的账号。"))
        access = get_access(actor)
        holds_administrator = user.role_assignments.filter(role__in=[Role.ADMINISTRATOR, Role.SYSTEM]).exists()
        if holds_administrator and not (access.is_superuser or access.has(Role.ADMINISTRATOR)):
            raise ApplicationError(_("只有系统管理员能停用系统管理员的账号。"))
        if _last_active_administrator(user):
            raise ApplicationError(_("这是最后一个启用的系统管理员账号，不能停用。"))
    labels = {True: str(_("启用")), False: str(_("停用"))}
    with transaction.atomic():
        if not active:
            now = timezone.now()
            OneTimeCode.objects.filter(user=user, used_at=None, voided_at=None).update(voided_at=now)
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit(
            actor,
            user,
            AuditAction.STATUS_CHANGED,
            _("启用账号") if active else _("停用账号"),
            person_id=user.person_id,
            changes={"is_active": [labels[not active], labels[active]]},
        )
    return user


def account_activation_code_issue(*, actor: Actor, user: User) -> IssuedCode:
    """A paper activation code for one account in the actor's scope that has no password yet
    (a member's, or an office account's)."""
    if not actor.has_perm("accounts.issue_codes"):
        raise PermissionDenied
    if not User.objects.restrict(actor, "view").filter(pk=user.pk).exists():
        raise PermissionDenied
    _not_the_system_account(user)
    if not user.is_active:
        raise ApplicationError(_("该账号已停用，请先启用。"))
    if user.has_usable_password():
        raise ApplicationError(_("该账号已开通，无需验证码；忘记密码可在登录页重设。"))
    code, record = one_time_code_issue(
        user=user, purpose=CodePurpose.ACTIVATION, channel=CodeChannel.PAPER, actor=actor
    )
    return IssuedCode(person=user.person, user=user, code=code_display(code), expires_at=record.expires_at)


# --- roles: who may give which role, over which scope ---------------------------------------

# The roles the union office may not give or take back, and the only ones a sub-union officer may.
# The union office gives no role that reads more than it does: not the administrator's, and not
# the organisation department's, which alone reads the cadre appraisal's results, and not the
# admissions officer's, which alone reads children's data.
OFFICE_WITHHELD_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.SYSTEM, Role.ORGANISATION_DEPARTMENT, Role.ADMISSIONS_OFFICER}
)
OFFICER_GIVEN_ROLES = frozenset({Role.SUB_UNION_OFFICER, Role.MEMBER})


def roles_grantable(actor: Actor) -> list[str]:
    """The roles `actor` may give (and take back), in the order of `Role`."""
    if not actor.has_perm("accounts.manage_roles"):
        return []
    access = get_access(actor)
    if access.is_superuser or access.has(Role.ADMINISTRATOR) or access.has(Role.SYSTEM):
        # The system role holds every permission: it belongs to the system account alone.
        return [role for role in Role if role != Role.SYSTEM]
    if access.has(Role.UNION_OFFICE):
        return [role for role in Role if role not in OFFICE_WITHHELD_ROLES]
    if access.has(Role.SUB_UNION_OFFICER):
        return [role for role in Role if role in OFFICER_GIVEN_ROLES]
    return []


def _role_refusal(
    actor: Actor, user: User, role: str, sub_union: SubUnion | None, university_unit: UniversityUnit | None
) -> ApplicationError | None:
    """Why `actor` may not give or take back `role` over this scope for `user`; None if they may."""
    if role not in Role.values:
        return ApplicationError(_("未知的角色。"), extra={"field": "role"})
    label = Role(role).label
    scope_field = SCOPED_ROLES.get(Role(role))
    if scope_field == "sub_union" and (sub_union is None or university_unit is not None):
        return ApplicationError(_("“%(role)s”需要指定一个分工会。") % {"role": label}, extra={"field": "sub_union"})
    if scope_field == "university_unit" and (university_unit is None or sub_union is not None):
        return ApplicationError(
            _("“%(role)s”需要指定一个承办单位。") % {"role": label}, extra={"field": "university_unit"}
        )
    if scope_field is None and (sub_union is not None or university_unit is not None):
        return ApplicationError(
            _("“%(role)s”是全校范围的角色，不能指定分工会或承办单位。") % {"role": label}, extra={"field": "role"}
        )
    if user.username == SYSTEM_USERNAME:
        return ApplicationError(_("系统账号供命令和定时任务使用，不能在页面上更改。"))
    if role == Role.SYSTEM:
        return ApplicationError(_("“系统”角色只属于系统账号，不能授予或收回。"), extra={"field": "role"})
    if role not in roles_grantable(actor):
        access = get_access(actor)
        if access.has(Role.UNION_OFFICE):
            return ApplicationError(
                _("校工会工作人员不能授予或收回“%(role)s”角色，请联系系统管理员。") % {"role": label},
                extra={"field": "role"},
            )
        return ApplicationError(_("分工会干部只能授予或收回“分工会干部”和“会员”角色。"), extra={"field": "role"})
    access = get_access(actor)
    if access.writes_everything:
        return None
    # A sub-union officer: their own sub-union or its groups, and their people only.
    if sub_union is not None and sub_union.pk not in access.sub_union_ids:
        return ApplicationError(
            _("只能在本分工会及其工会小组范围内授予或收回角色：%(sub_union)s 不在您的范围内。")
            % {"sub_union": sub_union.name},
            extra={"field": "sub_union"},
        )
    if not User.objects.restrict(actor, "manage_roles").filter(pk=user.pk).exists():
        return ApplicationError(_("只能为本分工会及其工会小组的人员授予或收回角色。"))
    return None


def role_grant(
    *,
    actor: Actor,
    user: User,
    role: str,
    sub_union: SubUnion | None = None,
    university_unit: UniversityUnit | None = None,
) -> RoleAssignment:
    """Give `user` the role over its scope. The administrator gives any role; the union office
    any but administrator and system, over any scope; a sub-union officer only 分工会干部 (over
    their own sub-union or its groups) and 会员, to their own people. A scoped role needs its
    scope and an unscoped one takes none. Anything else is refused, with nothing written."""
    if not actor.has_perm("accounts.manage_roles"):
        raise PermissionDenied
    refusal = _role_refusal(actor, user, role, sub_union, university_unit)
    if refusal is not None:
        raise refusal
    if not user.is_active:
        raise ApplicationError(_("该账号已停用，请先启用再授予角色。"))
    label = role_label(role, sub_union, university_unit)
    duplicate = ApplicationError(_("该账号已有角色 %(role)s。") % {"role": label}, extra={"field": "role"})
    scope = {"sub_union": sub_union, "university_unit": university_unit}
    if RoleAssignment.objects.filter(user=user, role=role, **scope).exists():
        raise duplicate
    with transaction.atomic():
        assignment = create_or_refuse(
            RoleAssignment,
            duplicate,
            user=user,
            role=role,
            granted_by=actor if actor.is_authenticated else None,
            **scope,
        )
        audit(
            actor,
            user,
            AuditAction.ROLE_CHANGED,
            _("授予角色：%(role)s") % {"role": label},
            person_id=user.person_id,
        )
    return assignment


def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    """Take a role back, under the rule of `role_grant` (who may give it may take it back). The
    last active administrator keeps the role."""
    if not actor.has_perm("accounts.manage_roles"):
        raise PermissionDenied
    user = assignment.user
    refusal = _role_refusal(actor, user, assignment.role, assignment.sub_union, assignment.university_unit)
    if refusal is not None:
        raise refusal
    if assignment.role == Role.ADMINISTRATOR and _last_active_administrator(user) and user.is_active:
        raise ApplicationError(_("这是最后一个启用的系统管理员，不能收回其角色。"))
    label = role_label(assignment.role, assignment.sub_union, assignment.university_unit)
    with transaction.atomic():
        assignment.delete()
        audit(
            actor,
            user,
            AuditAction.ROLE_CHANGED,
            _("收回角色：%(role)s") % {"role": label},
            person_id=user.person_id,
        )

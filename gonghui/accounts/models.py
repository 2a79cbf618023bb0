from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet
from gonghui.accounts.roles import Role
from gonghui.core.models import actor_field, optional_link


class UserQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """A sub-union officer sees and manages the accounts of their sub-unions' people and of
        whoever holds a role there; anyone sees their own account."""
        condition = Q(pk=access.user_id) if action == "view" else None
        if Role.SUB_UNION_OFFICER in access.roles and access.sub_union_ids:
            officers = RoleAssignment.objects.filter(user=OuterRef("pk"), sub_union_id__in=access.sub_union_ids)
            theirs = Q(person__sub_union_id__in=access.sub_union_ids) | Q(Exists(officers))
            condition = theirs if condition is None else condition | theirs
        return condition


class GonghuiUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (create_user …) with `restrict(user, action)`."""


class User(AbstractUser):
    """A sign-in account. Staff sign in as their staff number; `person` links the account
    to their record (set by the demo, the roster, or CAS matching by staff number)."""

    person = optional_link("people.Person", _("人员"), on_delete=models.SET_NULL, related_name="user", one_to_one=True)

    objects: ClassVar[GonghuiUserManager] = GonghuiUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        if self.person is not None:
            return f"{self.person.name}（{self.username}）"
        return self.get_full_name() or self.username


def role_label(role: str, sub_union=None, university_unit=None) -> str:
    """“分工会干部（经济学院分工会）”, “校工会工作人员（全校）”: a role with its scope, as people read it."""
    scope = sub_union or university_unit
    return str(_("%(role)s（%(scope)s）")) % {
        "role": Role(role).label,
        "scope": scope.name if scope is not None else _("全校"),
    }


class RoleAssignment(models.Model):
    """Grants `role` to `user` over a scope: a sub-union (with its groups) for sub-union
    officers, a university unit for handling-unit officers, the whole union otherwise."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    sub_union = optional_link("people.SubUnion", _("分工会"), on_delete=models.CASCADE)
    university_unit = optional_link("people.UniversityUnit", _("承办单位"), on_delete=models.CASCADE)
    granted_by = actor_field(_("授予人"), blank=True)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        permissions = [("manage_roles", _("授予和收回角色"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "sub_union", "university_unit"],
                name="unique_role_assignment",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        scope = self.sub_union or self.university_unit or _("全校")
        return f"{self.user} · {self.get_role_display()} · {scope}"

    @property
    def label(self) -> str:
        return role_label(self.role, self.sub_union, self.university_unit)


class CodePurpose(models.TextChoices):
    SETUP = "setup", _("首次设置管理员")
    ACTIVATION = "activation", _("开通账号")
    RESET = "reset", _("重设密码")


class CodeChannel(models.TextChoices):
    PAPER = "paper", _("纸质发放")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信")
    LINK = "link", _("一次性链接")


class OneTimeCode(models.Model):
    """A one-time code that lets a person set their password: activation, a forgotten
    password, or the first administrator. Only a keyed digest is stored (the code is shown
    once, when issued); a code expires, is used once, and dies after a few wrong tries."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="one_time_codes"
    )
    purpose = models.CharField(_("用途"), max_length=16, choices=CodePurpose.choices)
    channel = models.CharField(_("发放方式"), max_length=16, choices=CodeChannel.choices)
    digest = models.CharField(_("摘要"), max_length=64)
    issued_by = actor_field(_("发放人"), blank=True)
    issued_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("一次性验证码")
        ordering = ["-issued_at"]
        permissions = [("issue_codes", _("发放开通账号的验证码"))]
        indexes = [models.Index(fields=["user", "purpose", "used_at"], name="one_time_code_lookup_idx")]

    def __str__(self):
        return f"{self.user} · {self.get_purpose_display()}"

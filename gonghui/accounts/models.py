from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role


class User(AbstractUser):
    """A sign-in account. Staff sign in as their staff number; `person` links the account
    to their record (set by the demo, the roster, or CAS matching by staff number)."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        if self.person is not None:
            return f"{self.person.name}（{self.username}）"
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """Grants `role` to `user` over a scope: a sub-union (with its groups) for sub-union
    officers, a university unit for handling-unit officers, the whole union otherwise."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    sub_union = models.ForeignKey(
        "people.SubUnion", verbose_name=_("分工会"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    university_unit = models.ForeignKey(
        "people.UniversityUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授予人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
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

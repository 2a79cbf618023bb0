"""The system actor: who acts when a command or a scheduled task changes records.

One real account (`system`) with the system role: it holds every permission, cannot sign
in (no usable password, refused by the sign-in form) and appears as 系统 in every history.
Commands and tasks pass `system_actor()` as the actor; nothing fakes a superuser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

if TYPE_CHECKING:
    from gonghui.accounts.models import User

SYSTEM_USERNAME = "system"


def system_actor() -> User:
    from gonghui.accounts.models import RoleAssignment, User
    from gonghui.accounts.roles import Role

    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User(username=SYSTEM_USERNAME, first_name="系统")
                user.set_unusable_password()
                user.save()
                RoleAssignment.objects.create(user=user, role=Role.SYSTEM)
        except IntegrityError:  # created by another process at the same moment
            user = User.objects.get(username=SYSTEM_USERNAME)
    return user

"""What waits in accounts (a to-do queue of the workbench): the people in the officer's or the
office's scope who have not activated their account, to print activation codes for."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.accounts.selectors import people_waiting_for_activation
from gonghui.core.registry import TodoQueue
from gonghui.core.workbench import queue_count


def accounts_todos(user) -> list[TodoQueue]:
    if not user.has_perm("accounts.issue_codes"):
        return []
    access = get_access(user)
    role = Role.UNION_OFFICE if access.writes_everything else Role.SUB_UNION_OFFICER
    return [
        queue_count(
            people_waiting_for_activation(user),
            key="accounts.activation",
            title=_("教职工尚未开通账号（可打印开通码）"),
            url=reverse("accounts:activation_sheet"),
            role=role.label,
        )
    ]

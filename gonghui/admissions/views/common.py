"""What the admissions pages share: who the user is to the module, the records they may see
(a 404 otherwise), and the button base of the record pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.admissions.models import AdmissionRequest, Campaign, sees_children
from gonghui.core.text import name_mask
from gonghui.core.views_kit import RecordAction

MANAGE = "admissions.manage_campaign"


def is_office(user) -> bool:
    """Runs the year's work: the union office, its admissions officer, the administrator."""
    return user.has_perm(MANAGE)


def is_admissions(user) -> bool:
    """Sees every child's rows (the admissions officer)."""
    return sees_children(get_access(user))


def is_sub_union_officer(user) -> bool:
    access = get_access(user)
    return Role.SUB_UNION_OFFICER in access.roles and bool(access.sub_union_ids)


def sees_child_rows(user) -> bool:
    """The pages with children's rows: the admissions officer and sub-union officers."""
    return is_admissions(user) or is_sub_union_officer(user)


def campaign_or_404(user, pk) -> Campaign:
    return get_object_or_404(Campaign.objects.restrict(user).select_related("rules"), pk=pk)


def request_or_404(user, pk) -> AdmissionRequest:
    rows = AdmissionRequest.objects.restrict(user).select_related(
        "campaign__rules", "child", "parent__sub_union", "school", "alternative", "placed_school"
    )
    return get_object_or_404(rows, pk=pk)


def masked(name: str) -> str:
    return name_mask(name)


class Action(RecordAction):
    """A button on an admissions record's page (core's RecordAction): a refusal is a message,
    a step the user may not take a 404."""

    model: Any = None
    office_only = False

    def target(self, request, pk):
        if self.model is None:  # pragma: no cover - every subclass names its record
            raise Http404
        obj = get_object_or_404(self.model.objects.restrict(request.user), pk=pk)
        if self.office_only and not is_office(request.user):
            raise Http404
        return obj

"""Reads for the committee sitting, the public notice and payment batches."""

from decimal import Decimal, InvalidOperation

from django.db.models import Q

from gonghui.core.selector_kit import filters_apply
from gonghui.core.text import name_mask
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.models import (
    CommitteeSitting,
    NoticeObjection,
    PaymentBatch,
    PublicNotice,
    SubsidyApplication,
)

SORTS = {
    "amount": ("computed_subsidy", "id"),
    "-amount": ("-computed_subsidy", "id"),
    "sub_union": ("person__sub_union__sort_key", "person__name_pinyin", "id"),
    "name": ("person__name_pinyin", "id"),
    "kind": ("kind", "person__name_pinyin", "id"),
}


def sitting_list(*, user):
    return CommitteeSitting.objects.all().prefetch_related("members").order_by("-held_on", "-id")


def sitting_get(*, user, pk: int) -> CommitteeSitting:
    return sitting_list(user=user).get(pk=pk)


def sitting_applications(*, user, sitting: CommitteeSitting, filters=None):
    """The sitting's list: applications of its cost year waiting for the committee
    (office_checked) and those this sitting decided. Filters: sub_union, kind, min/max
    amount (computed subsidy), decided (yes/no); sort: see SORTS."""
    filters = filters or {}
    queryset = (
        SubsidyApplication.objects.restrict(user)
        .filter(cost_year=sitting.year)
        .filter(Q(status=S.OFFICE_CHECKED, decision__isnull=True) | Q(decision__sitting=sitting))
        .select_related("person", "person__sub_union", "disease_category", "decision")
        .prefetch_related("documents__attachment", "documents__required_document")
    )
    queryset = filters_apply(queryset, filters, {"sub_union": "person__sub_union_id", "kind": "kind"})
    for key, lookup in (("min_amount", "computed_subsidy__gte"), ("max_amount", "computed_subsidy__lte")):
        if filters.get(key):
            try:
                queryset = queryset.filter(**{lookup: Decimal(str(filters[key]))})
            except (InvalidOperation, ValueError):
                pass
    if filters.get("decided") == "no":
        queryset = queryset.filter(decision__isnull=True)
    elif filters.get("decided") == "yes":
        queryset = queryset.filter(decision__isnull=False)
    return queryset.order_by(*SORTS.get(filters.get("sort") or "", SORTS["sub_union"]))


def notice_list(*, user):
    """Every signed-in user may read the notices (their content is masked)."""
    return PublicNotice.objects.select_related("sitting").order_by("-starts_on", "-id")


def notice_rows(*, notice: PublicNotice) -> list[dict]:
    """The public list: masked name, sub-union, amount. Never ID numbers or diagnoses.
    Items on hold or rejected after an objection are left out."""
    applications = (
        SubsidyApplication.objects.filter(decision__sitting_id=notice.sitting_id)
        .exclude(status__in=[S.REJECTED, S.ON_HOLD, S.OFFICE_CHECKED, S.RETURNED])
        .select_related("person__sub_union")
        .order_by("person__sub_union__sort_key", "person__name_pinyin", "id")
    )
    return [
        {"name": name_mask(a.person.name), "sub_union": a.person.sub_union.name, "amount": a.approved_amount}
        for a in applications
    ]


def objection_list(*, user, notice: PublicNotice | None = None):
    queryset = NoticeObjection.objects.select_related("application__person", "notice").order_by("-received_on", "-id")
    if notice is not None:
        queryset = queryset.filter(notice=notice)
    return queryset


def payment_batch_list(*, user):
    return PaymentBatch.objects.prefetch_related("applications").order_by("-created_at", "-id")

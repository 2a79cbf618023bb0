"""Requests as each user may see them (the parent, the parent's sub-union officer, the
admissions officer; nobody else), and the documents a request must carry by its housing."""

from __future__ import annotations

from django.db.models import F, QuerySet

from gonghui.accounts.access import get_access
from gonghui.admissions.models import AdmissionRequest, DocumentRule, RequestDocument
from gonghui.people.models import SubUnion

_RELATED = ("campaign__rules", "child", "parent__sub_union", "school", "alternative", "placed_school")


def documents_required(request: AdmissionRequest) -> list[DocumentRule]:
    """The documents the year's rules ask of this request: the required ones for every
    housing and those for the request's housing (the deed when owned, the lease when rented)."""
    rules = request.campaign.rules
    return [rule for rule in rules.documents.all() if rule.required and rule.applies_to(request.housing)]


def documents_offered(request: AdmissionRequest) -> list[DocumentRule]:
    """Every document of the rules that applies to the request's housing (optional ones too)."""
    return [rule for rule in request.campaign.rules.documents.all() if rule.applies_to(request.housing)]


def documents_missing(request: AdmissionRequest) -> list[str]:
    """The labels of the required documents with no upload yet, in the rules' order."""
    uploaded = set(RequestDocument.objects.filter(request_id=request.pk).values_list("code", flat=True))
    return [rule.label for rule in documents_required(request) if rule.code not in uploaded]


def request_documents(user, request: AdmissionRequest) -> QuerySet[RequestDocument]:
    """The request's uploaded documents as `user` may see them."""
    return (
        RequestDocument.objects.restrict(user)
        .filter(request_id=request.pk)
        .select_related("attachment", "checked_by", "uploaded_by")
    )


def request_list(*, user, campaign, status: str | None = None, sub_union: SubUnion | int | None = None):
    """The campaign's requests `user` may see, by batch and submission; optionally one status,
    one sub-union (with its groups)."""
    requests = AdmissionRequest.objects.restrict(user).filter(campaign=campaign).select_related(*_RELATED)
    if status:
        requests = requests.filter(status=status)
    if sub_union is not None:
        pk = sub_union.pk if isinstance(sub_union, SubUnion) else int(sub_union)
        requests = requests.filter(parent__sub_union_id__in=SubUnion.objects.with_descendants([pk]))
    # drafts (no batch yet) last on every database: SQLite sorts NULL first, PostgreSQL last
    return requests.order_by(
        F("batch_position").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "number", "pk"
    )


def own_requests(user) -> QuerySet[AdmissionRequest]:
    """The user's own requests (as a parent), newest year first."""
    person_id = get_access(user).person_id
    if not person_id:
        return AdmissionRequest.objects.none()
    return (
        AdmissionRequest.objects.restrict(user)
        .filter(parent_id=person_id)
        .select_related(*_RELATED)
        .order_by("-campaign__year", "number")
    )


def request_get(user, pk) -> AdmissionRequest | None:
    """A request `user` may see, or None."""
    return AdmissionRequest.objects.restrict(user).select_related(*_RELATED).filter(pk=pk).first()


def document_get(user, pk) -> RequestDocument | None:
    return RequestDocument.objects.restrict(user).select_related("request__campaign__rules").filter(pk=pk).first()

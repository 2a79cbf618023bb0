"""Reads for subsidy applications, always narrowed by SubsidyApplication.objects.restrict."""

import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from gonghui.core.text import record_id
from gonghui.mutual_aid.calculator import Cost, Formula, subsidy_compute
from gonghui.mutual_aid.choices import ApplicationStatus, DecisionOutcome, EditionStatus
from gonghui.mutual_aid.models import (
    ApplicationDocument,
    Decision,
    FeeLine,
    SchemeEdition,
    SchemeMembership,
    SubsidyApplication,
)
from gonghui.people.models import Person, SubUnion

ZERO = Decimal("0.00")

# Applications that no longer count: a bill in one of these may be claimed again.
DEAD_STATUSES = [ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED]
EDITABLE_STATUSES = [ApplicationStatus.DRAFT, ApplicationStatus.RETURNED]


def _base(qs) -> QuerySet[SubsidyApplication]:
    return qs.select_related("person", "person__sub_union", "edition", "disease_category", "submitted_by")


def application_list(*, user, filters: dict | None = None) -> QuerySet[SubsidyApplication]:
    """Applications the user may see, filtered by cost_year, status, sub_union, kind and
    employment_status (active / retired)."""
    filters = filters or {}
    qs = _base(SubsidyApplication.objects.restrict(user, "view")).order_by("-cost_year", "-id")
    cost_year = record_id(filters.get("cost_year"))
    if cost_year and cost_year <= 9999:
        qs = qs.filter(cost_year=cost_year)
    if filters.get("status") in ApplicationStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if sub_union_id := record_id(filters.get("sub_union")):
        qs = qs.filter(person__sub_union_id__in=SubUnion.objects.with_descendants({sub_union_id}))
    if filters.get("employment_status"):
        qs = qs.filter(person__employment_status=filters["employment_status"])
    return qs


def application_get(*, user, pk: int, action: str = "view") -> SubsidyApplication:
    """Raises SubsidyApplication.DoesNotExist for anything out of the user's scope."""
    return (
        _base(SubsidyApplication.objects.restrict(user, action))
        .prefetch_related(
            "cost_items",
            Prefetch(
                "documents", queryset=ApplicationDocument.objects.select_related("attachment", "required_document")
            ),
            "events__actor__person",
        )
        .get(pk=pk)
    )


def my_applications(*, user, status: str = "") -> QuerySet[SubsidyApplication]:
    """The user's own applications (one `status` only, when it is one; anything else is ignored)."""
    if not getattr(user, "person_id", None):
        return SubsidyApplication.objects.none()
    qs = SubsidyApplication.objects.filter(person_id=user.person_id)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    return _base(qs).prefetch_related("events__actor__person")


def edition_for_cost_year(cost_year: int) -> SchemeEdition | None:
    """The adopted edition of the cost year: the rules every application is computed under."""
    return SchemeEdition.objects.filter(year=cost_year, status=EditionStatus.ADOPTED).first()


def application_window_open(edition: SchemeEdition | None, today: datetime.date | None = None) -> bool:
    if edition is None:
        return False
    today = today or timezone.localdate()
    return edition.application_window_start <= today <= edition.application_window_end


def open_cost_year(today: datetime.date | None = None) -> int:
    """Applications are for the previous year's costs."""
    return (today or timezone.localdate()).year - 1


def people_for_proxy(*, user, search: str = "") -> QuerySet[Person]:
    """People the user may apply for on their behalf (their sub-unions' people; office: all)."""
    return Person.objects.restrict(user, "view").select_related("sub_union").search(search)


def granted_amounts(*, person, cost_year: int, exclude=None) -> tuple[Decimal, Decimal]:
    """(granted for cost_year, granted in all years) to `person` on other applications: the
    committee's approved or adjusted amounts of applications still alive."""
    decisions = Decision.objects.filter(
        application__person=person, outcome__in=[DecisionOutcome.APPROVED, DecisionOutcome.ADJUSTED]
    ).exclude(application__status__in=DEAD_STATUSES + [ApplicationStatus.ON_HOLD])
    if exclude is not None and exclude.pk:
        decisions = decisions.exclude(application_id=exclude.pk)
    this_year = decisions.filter(application__cost_year=cost_year).aggregate(s=Sum("amount"))["s"] or ZERO
    lifetime = decisions.aggregate(s=Sum("amount"))["s"] or ZERO
    return this_year, lifetime


def subsidy_preview(*, application, items) -> tuple[Decimal, dict]:
    """The subsidy of `application` for cost `items` (objects with out_of_pocket, inpatient,
    covered), computed by the calculator under the edition of the cost year."""
    formula = Formula.from_edition(application.edition)
    paid_this_year, paid_lifetime = granted_amounts(
        person=application.person, cost_year=application.cost_year, exclude=application
    )
    costs = [Cost(out_of_pocket=i.out_of_pocket, inpatient=i.inpatient, covered=i.covered) for i in items]
    return subsidy_compute(formula=formula, costs=costs, paid_this_year=paid_this_year, paid_lifetime=paid_lifetime)


def missing_documents(application) -> list[str]:
    """The names of the required documents of the application's kind not uploaded yet."""
    present = set(application.documents.values_list("required_document_id", flat=True))
    return [
        doc.name
        for doc in application.edition.required_documents.filter(kind=application.kind, required=True)
        if doc.pk not in present
    ]


def document_checklist(*, application) -> list[dict]:
    """Each document the edition asks for this kind, with what has been uploaded for it."""
    documents = list(application.documents.select_related("attachment", "required_document"))
    rows = []
    for required in application.edition.required_documents.filter(kind=application.kind):
        rows.append(
            {
                "required": required,
                "documents": [d for d in documents if d.required_document_id == required.pk],
            }
        )
    return rows


def membership_for(*, person) -> SchemeMembership | None:
    return SchemeMembership.objects.filter(person=person).first()


def fee_line_for(*, person, year: int) -> FeeLine | None:
    return FeeLine.objects.filter(person=person, year=year).first()

"""Read-only mutual-aid API: the same scoping as the pages (restrict() querysets)."""

import django_filters
from rest_framework import generics

from gonghui.core.api import HasRolePermission
from gonghui.mutual_aid.api.serializers import ApplicationSerializer, EditionSerializer, FeeLineSerializer
from gonghui.mutual_aid.choices import ApplicationKind, ApplicationStatus
from gonghui.mutual_aid.models import FeeLine, SchemeEdition, SubsidyApplication
from gonghui.people.choices import EmploymentStatus


class ApplicationFilter(django_filters.FilterSet):
    cost_year = django_filters.NumberFilter()
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ApplicationKind.choices)
    sub_union = django_filters.NumberFilter(field_name="person__sub_union")
    retired = django_filters.BooleanFilter(method="filter_retired", label="retired")

    class Meta:
        model = SubsidyApplication
        fields = ["cost_year", "status", "kind", "sub_union", "retired"]

    def filter_retired(self, queryset, name, value):
        if value is None:
            return queryset
        retired = queryset.filter(person__employment_status=EmploymentStatus.RETIRED)
        return retired if value else queryset.exclude(pk__in=retired.values("pk"))


def _applications(queryset):
    return queryset.select_related("person", "person__sub_union").order_by("-cost_year", "-id")


class MyApplicationListApi(generics.ListAPIView):
    """My own subsidy applications (any signed-in member; none if the account has no person)."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self):
        person_id = getattr(self.request.user, "person_id", None)
        if person_id is None:
            return SubsidyApplication.objects.none()
        return _applications(SubsidyApplication.objects.filter(person_id=person_id))


class ApplicationListApi(generics.ListAPIView):
    """Applications the caller may see (office: all; sub-union officer: their people;
    welfare committee: from office-checked on), with the back-office list's filters."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    permission_classes = [HasRolePermission]
    permission_required = "mutual_aid.view_subsidyapplication"

    def get_queryset(self):
        return _applications(SubsidyApplication.objects.restrict(self.request.user, "view"))


class EditionListApi(generics.ListAPIView):
    """Editions of the rules: adopted ones for everyone; drafts and superseded ones too for
    holders of view_schemeedition."""

    serializer_class = EditionSerializer
    filterset_fields = ["year", "status"]

    def get_queryset(self):
        return SchemeEdition.objects.restrict(self.request.user, "view").order_by("-year", "-id")


class MyFeeLineListApi(generics.ListAPIView):
    """My own fee lines, newest year first."""

    serializer_class = FeeLineSerializer
    filterset_fields = ["year", "status"]

    def get_queryset(self):
        person_id = getattr(self.request.user, "person_id", None)
        if person_id is None:
            return FeeLine.objects.none()
        return FeeLine.objects.filter(person_id=person_id).order_by("-year", "-id")

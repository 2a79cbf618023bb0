"""One FilterSet for the people page, its export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import FastSelect
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus
from gonghui.people.models import EmploymentCategory, Person, SubUnion, UnionMembership


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    # Each select's "all" option is its empty_label: django-filter adds it to the choices itself.
    sub_union = django_filters.ModelChoiceFilter(
        label=_("分工会"),
        queryset=SubUnion.objects.current(),
        method="filter_sub_union",
        empty_label=_("全部分工会"),
        widget=FastSelect,
    )
    employment_status = django_filters.ChoiceFilter(
        label=_("人员状态"), choices=EmploymentStatus.choices, empty_label=_("全部人员状态"), widget=FastSelect
    )
    employment_category = django_filters.ModelChoiceFilter(
        label=_("人员类别"),
        queryset=EmploymentCategory.objects.all(),
        empty_label=_("全部人员类别"),
        widget=FastSelect,
    )
    coverage_type = django_filters.ChoiceFilter(
        label=_("医疗类别"), choices=CoverageType.choices, empty_label=_("全部医疗类别"), widget=FastSelect
    )
    gender = django_filters.ChoiceFilter(
        label=_("性别"), choices=Gender.choices, empty_label=_("全部性别"), widget=FastSelect
    )
    membership = django_filters.ChoiceFilter(
        label=_("会籍状态"),
        choices=MembershipStatus.choices,
        method="filter_membership",
        empty_label=_("全部会籍状态"),
        widget=FastSelect,
    )

    class Meta:
        model = Person
        fields = ["q", "sub_union", "employment_status", "employment_category", "coverage_type", "gender", "membership"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_membership(self, queryset, name, value):
        # people with a union membership in that status (入会申请中, 在会 …)
        return queryset.filter(pk__in=UnionMembership.objects.filter(status=value).values("person_id"))

    def filter_sub_union(self, queryset, name, value):
        # A sub-union includes its groups.
        return queryset.filter(sub_union_id__in=SubUnion.objects.with_descendants({value.pk}))

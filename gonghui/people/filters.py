"""One FilterSet for the people page, its export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.models import EmploymentCategory, Person, SubUnion


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    # Each select's "all" option is its empty_label: django-filter adds it to the choices itself.
    sub_union = django_filters.ModelChoiceFilter(
        label=_("分工会"), queryset=SubUnion.objects.current(), method="filter_sub_union", empty_label=_("全部分工会")
    )
    employment_status = django_filters.ChoiceFilter(
        label=_("人员状态"), choices=EmploymentStatus.choices, empty_label=_("全部人员状态")
    )
    employment_category = django_filters.ModelChoiceFilter(
        label=_("人员类别"), queryset=EmploymentCategory.objects.all(), empty_label=_("全部人员类别")
    )
    coverage_type = django_filters.ChoiceFilter(
        label=_("医疗类别"), choices=CoverageType.choices, empty_label=_("全部医疗类别")
    )
    gender = django_filters.ChoiceFilter(label=_("性别"), choices=Gender.choices, empty_label=_("全部性别"))

    class Meta:
        model = Person
        fields = ["q", "sub_union", "employment_status", "employment_category", "coverage_type", "gender"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_sub_union(self, queryset, name, value):
        # A sub-union includes its groups.
        return queryset.filter(sub_union_id__in=SubUnion.objects.with_descendants({value.pk}))

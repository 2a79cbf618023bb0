"""People API: the same scoping (selectors) and filters (PersonFilter) as the pages."""

from rest_framework import viewsets

from gonghui.core.api import HasRolePermission
from gonghui.people import selectors
from gonghui.people.api.serializers import PersonSerializer, SubUnionSerializer
from gonghui.people.filters import PersonFilter
from gonghui.people.models import SubUnion


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People the caller may see, sorted by pinyin; filter with the same parameters as the
    people page (`q` finds characters, pinyin, initials or a staff number; `id_number` is
    matched exactly through its keyed digest and never stored or shown in clear)."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    permission_classes = [HasRolePermission]
    permission_required = "people.view_person"

    def get_queryset(self):
        # person_list selects sub_union and employment_category: a page costs the same
        # number of queries whatever its size.
        return selectors.person_list(user=self.request.user)


class SubUnionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sub-unions and union groups the caller may see. The list leaves out merged ones unless
    `?merged=1`; a merged one is still found by its id (`merged_into`, `ended_on`)."""

    serializer_class = SubUnionSerializer
    permission_classes = [HasRolePermission]
    permission_required = "people.view_subunion"

    def get_queryset(self):
        qs = SubUnion.objects.restrict(self.request.user).select_related("parent")
        if self.action == "list" and self.request.query_params.get("merged") != "1":
            qs = qs.current()
        return qs

"""People API: the same scoping (selectors) and filters (PersonFilter) as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action

from gonghui.core.api import EstimatingPagination, HasRolePermission, body_values, query_values
from gonghui.people import selectors
from gonghui.people.api.serializers import PersonSerializer, SubUnionSerializer
from gonghui.people.filters import PersonFilter
from gonghui.people.models import SubUnion


class IdNumberSearch(serializers.Serializer):
    id_number = serializers.CharField(max_length=40)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People the caller may see, sorted by pinyin; filter with the same parameters as the
    people page (`q` finds characters, pinyin, initials or a staff number). A 身份证号 is
    never a query parameter (URLs end up in access logs): POST it to /api/people/search/,
    where it is matched exactly through its keyed digest, never stored or shown in clear."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    pagination_class = EstimatingPagination  # `count` above 1,000 is the planner's estimate
    permission_classes = [HasRolePermission]
    permission_required = "people.view_person"

    def get_queryset(self):
        # person_list selects sub_union and employment_category: a page costs the same
        # number of queries whatever its size.
        return selectors.person_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        if "id_number" in request.query_params:
            raise exceptions.ValidationError(
                {"id_number": [_("身份证号不能放在网址中（网址会记入访问日志）：请用 POST /api/people/search/ 提交。")]}
            )
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IdNumberSearch, responses=PersonSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="search", url_name="search")
    def search(self, request):
        """The person in scope with this 身份证号, sent in the body: {"id_number": "..."}."""
        id_number = body_values(request, IdNumberSearch)["id_number"]
        page = self.paginate_queryset(selectors.person_list(user=request.user, id_number=id_number))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SubUnionFilters(serializers.Serializer):
    merged = serializers.BooleanField(required=False, help_text="1 or true: merged sub-unions too")


@extend_schema_view(list=extend_schema(parameters=[SubUnionFilters]))
class SubUnionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sub-unions and union groups the caller may see. The list leaves out merged ones unless
    `?merged=1`; a merged one is still found by its id (`merged_into`, `ended_on`)."""

    serializer_class = SubUnionSerializer
    permission_classes = [HasRolePermission]
    permission_required = "people.view_subunion"

    def get_queryset(self):
        qs = SubUnion.objects.restrict(self.request.user).select_related("parent")
        if self.action == "list" and not query_values(self.request, SubUnionFilters).get("merged", False):
            qs = qs.current()
        return qs

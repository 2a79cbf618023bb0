from rest_framework import viewsets

from gonghui.people import selectors
from gonghui.people.api.serializers import PersonSerializer, SubUnionSerializer
from gonghui.people.filters import PersonFilter
from gonghui.people.models import SubUnion


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People the caller may see; filter with the same parameters as the people page."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)


class SubUnionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SubUnionSerializer

    def get_queryset(self):
        return SubUnion.objects.restrict(self.request.user).select_related("parent")

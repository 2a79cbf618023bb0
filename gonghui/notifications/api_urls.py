"""GET /api/notifications/ (own only, paginated; ?unread=1 for unread only),
POST /api/notifications/<id>/read/, POST /api/notifications/read-all/."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from gonghui.core.api import query_values
from gonghui.notifications.models import Notification
from gonghui.notifications.selectors import notification_list
from gonghui.notifications.services import notification_mark_all_read, notification_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "kind", "created_at", "read_at", "is_read"]


class NotificationFilters(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text="1 or true: unread ones only")


@extend_schema(parameters=[NotificationFilters])
class NotificationListApi(ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no query to check
            return Notification.objects.none()
        unread_only = query_values(self.request, NotificationFilters).get("unread", False)
        return notification_list(user=self.request.user, unread_only=unread_only)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="how many notifications were marked read")


class NotificationReadApi(GenericAPIView):
    """Mark one of the caller's notifications read; anyone else's is 404."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return notification_list(user=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk):
        notification = notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(GenericAPIView):
    serializer_class = MarkedSerializer

    @extend_schema(request=None, responses=MarkedSerializer)
    def post(self, request):
        return Response({"marked": notification_mark_all_read(user=request.user)})


urlpatterns = [
    path("notifications/", NotificationListApi.as_view(), name="api-notification-list"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="api-notification-read-all"),
    path("notifications/<int:pk>/read/", NotificationReadApi.as_view(), name="api-notification-read"),
]

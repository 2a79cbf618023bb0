from django.contrib import admin

from gonghui.notifications.models import NotificationDelivery


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(admin.ModelAdmin):
    """Read-only: lets administrators see which copies failed and why."""

    list_display = ["notification", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    readonly_fields = ["notification", "channel", "status", "attempts", "sent_at", "error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

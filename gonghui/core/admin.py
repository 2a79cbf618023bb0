from django.contrib import admin

from gonghui.core.admin_kit import ReadOnlyAdmin
from gonghui.core.models import AuditEvent, Job


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is read-only, even for administrators."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "person_id", "message"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "message"]
    date_hierarchy = "at"


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False

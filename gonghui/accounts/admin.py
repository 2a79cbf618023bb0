from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from gonghui.accounts.models import RoleAssignment, User
from gonghui.core.history import AuditAction, audit_event_record


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["sub_union", "university_unit"]
    exclude = ["granted_by"]


@admin.register(User)
class GonghuiUserAdmin(UserAdmin):
    list_display = ["username", "person", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "person__name", "person__staff_no"]
    autocomplete_fields = ["person"]
    fieldsets = UserAdmin.fieldsets + (("gonghui", {"fields": ["person"]}),)
    inlines = [RoleAssignmentInline]

    def save_formset(self, request, form, formset, change):
        """Role grants and withdrawals are recorded with who and when."""
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            audit_event_record(
                actor=request.user,
                obj=deleted,
                action=AuditAction.ROLE_CHANGED,
                person_id=form.instance.person_id,
                changes={"role": [str(deleted), None]},
            )
            deleted.delete()
        for assignment in instances:
            is_new = assignment.pk is None
            if is_new:
                assignment.granted_by = request.user
            assignment.save()
            audit_event_record(
                actor=request.user,
                obj=assignment,
                action=AuditAction.ROLE_CHANGED,
                person_id=form.instance.person_id,
                changes={"role": [None if is_new else "…", str(assignment)]},
            )
        formset.save_m2m()

"""Raw, read-only views of the insurance records for administrators' maintenance. Every
change goes through the back office's services (adopted editions are immutable, premium
changes are adjustment rows, history is kept in the event tables)."""

from django.contrib import admin

from gonghui.insurance import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (
    models.Plan,
    models.PlanEdition,
    models.EnrollmentRun,
    models.PlanEnrollment,
    models.OptOut,
    models.PremiumAdjustment,
    models.RosterExport,
    models.RosterLine,
    models.PlanClaim,
    models.ClaimDocument,
    models.ClaimEvent,
    models.PlanEditionEvent,
    models.PlanEnrollmentEvent,
):
    admin.site.register(model, ReadOnlyAdmin)

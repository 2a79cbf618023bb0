from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from gonghui.congress.models import (
    CommitteeMember,
    Congress,
    CongressSession,
    CongressTerm,
    Delegate,
    Delegation,
    SessionRules,
)
from gonghui.core.editions import edition_adopt, edition_revise
from gonghui.core.exceptions import ApplicationError


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "sub_union"]


@admin.register(CongressTerm)
class CongressTermAdmin(admin.ModelAdmin):
    list_display = ["congress", "number", "starts_on", "ends_on"]


@admin.register(CongressSession)
class CongressSessionAdmin(admin.ModelAdmin):
    list_display = ["term", "number", "opens_on", "closes_on"]


@admin.register(SessionRules)
class SessionRulesAdmin(admin.ModelAdmin):
    """A draft is edited here; filling in the date and the act of adoption adopts it (the
    rules in force for the session are superseded). Adopted rules are read-only: revise."""

    list_display = ["session", "status", "adopted_on", "resolution", "solicitation_closes_at", "min_co_signers"]
    list_filter = ["status"]
    readonly_fields = ["status", "based_on", "created_by"]
    raw_id_fields = ["leader_in_charge"]
    actions = ["revise"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [f.name for f in self.model._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        adopted_on, resolution = obj.adopted_on, (obj.resolution or "").strip()
        obj.adopted_on, obj.resolution = None, ""
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if adopted_on or resolution:
            try:
                edition_adopt(actor=request.user, edition=obj, adopted_on=adopted_on, resolution=resolution)
            except ApplicationError as error:
                messages.error(request, error.message)

    @admin.action(description=_("修订（复制为草案）"))
    def revise(self, request, queryset):
        for edition in queryset:
            edition_revise(actor=request.user, source=edition)


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "term", "sub_union", "head"]


@admin.register(Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["person", "term", "delegation", "is_teacher", "ended_on"]
    list_filter = ["term", "delegation"]
    raw_id_fields = ["person"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["kind", "term", "session", "person", "title"]

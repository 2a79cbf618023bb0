"""Admin pieces shared by the apps.

Most records are raw, read-only views for administrators' maintenance: every change goes
through the back office's services, which keep the rules and the history. These bases say so
once instead of in every app."""

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that administrators may look at but never add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A read-only table of a record's parts, shown on its (read-only) admin page."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def read_only_inlines(*models) -> list[type[InlineModelAdmin]]:
    """One `ReadOnlyInline` per model, for an admin's `inlines` (nothing to say but the model)."""
    return [type(f"{model.__name__}Inline", (ReadOnlyInline,), {"model": model}) for model in models]


def register_read_only(*models):
    """Register each model with a plain `ReadOnlyAdmin` (no list columns of its own)."""
    for model in models:
        admin.site.register(model, ReadOnlyAdmin)

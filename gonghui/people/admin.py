from django.contrib import admin

from gonghui.core.admin_kit import ReadOnlyAdmin
from gonghui.people.models import EmploymentCategory, Person, SubUnion, Union, UniversityUnit


@admin.register(Union)
class UnionAdmin(admin.ModelAdmin):
    list_display = ["name", "university"]


@admin.register(SubUnion)
class SubUnionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "name_pinyin"]


@admin.register(UniversityUnit)
class UniversityUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(EmploymentCategory)
class EmploymentCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Read-only here: people change through the back office, which keeps their history."""

    list_display = ["staff_no", "name", "sub_union", "employment_status"]
    list_filter = ["employment_status", "sub_union"]
    search_fields = ["staff_no", "name", "name_pinyin", "name_initials"]
    exclude = ["id_number_encrypted", "id_number_digest"]

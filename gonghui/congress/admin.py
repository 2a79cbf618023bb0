from django.contrib import admin

from gonghui.congress.models import CommitteeMember, Congress, CongressSession, CongressTerm, Delegate, Delegation


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "sub_union"]


@admin.register(CongressTerm)
class CongressTermAdmin(admin.ModelAdmin):
    list_display = ["congress", "number", "starts_on", "ends_on"]


@admin.register(CongressSession)
class CongressSessionAdmin(admin.ModelAdmin):
    list_display = ["term", "number", "opens_on", "solicitation_closes_at", "min_co_signers", "reply_working_days"]


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

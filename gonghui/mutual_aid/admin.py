"""Raw, read-only views of the mutual-aid records for administrators' maintenance.

Every change goes through the back office, whose services keep the rules (adopted editions
are immutable, money is a ledger) and the history: nothing here can be added, changed or
deleted — ledger entries least of all."""

from django.contrib import admin

from gonghui.core.admin_kit import ReadOnlyAdmin, read_only_inlines
from gonghui.mutual_aid import models


class PersonRecordAdmin(ReadOnlyAdmin):
    """A record of one person: found by their staff number or name, the person shown by id
    (a select of every person would not load)."""

    search_fields = ["person__staff_no", "person__name"]
    raw_id_fields = ["person"]


@admin.register(models.SchemeEdition)
class SchemeEditionAdmin(ReadOnlyAdmin):
    list_display = ["year", "name", "status", "adopted_on", "resolution"]
    list_filter = ["status", "year"]
    inlines = read_only_inlines(models.SubsidyRule, models.DiseaseCategory, models.RequiredDocument)


@admin.register(models.SubsidyBand)
class SubsidyBandAdmin(ReadOnlyAdmin):
    list_display = ["rule", "lower", "upper", "rate"]


@admin.register(models.SchemeMembership)
class SchemeMembershipAdmin(PersonRecordAdmin):
    list_display = ["person", "joined_on", "eligible_from", "fee_channel", "status"]
    list_filter = ["status", "fee_channel"]


@admin.register(models.FeeRun)
class FeeRunAdmin(ReadOnlyAdmin):
    list_display = ["year", "edition", "created_by", "created_at"]


@admin.register(models.FeeLine)
class FeeLineAdmin(PersonRecordAdmin):
    list_display = ["year", "person", "amount", "channel", "status"]
    list_filter = ["year", "status", "channel"]
    raw_id_fields = [*PersonRecordAdmin.raw_id_fields, "run"]


@admin.register(models.LedgerEntry)
class LedgerEntryAdmin(PersonRecordAdmin):
    """Ledger entries are never edited or deleted: corrections are new entries."""

    list_display = ["at", "year", "person", "kind", "amount", "memo"]
    list_filter = ["year", "kind"]
    search_fields = [*PersonRecordAdmin.search_fields, "memo"]
    raw_id_fields = [*PersonRecordAdmin.raw_id_fields, "fee_line", "application"]


@admin.register(models.SubsidyApplication)
class SubsidyApplicationAdmin(PersonRecordAdmin):
    list_display = ["cost_year", "person", "kind", "status", "computed_subsidy", "approved_amount"]
    list_filter = ["cost_year", "status", "kind"]
    inlines = read_only_inlines(models.CostItem, models.ApplicationEvent)


@admin.register(models.CommitteeSitting)
class CommitteeSittingAdmin(ReadOnlyAdmin):
    list_display = ["year", "held_on", "place", "fund_amount", "closed_at"]


@admin.register(models.Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "sitting", "outcome", "amount", "decided_at"]
    list_filter = ["outcome"]


@admin.register(models.PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ["sitting", "starts_on", "ends_on", "status"]


@admin.register(models.NoticeObjection)
class NoticeObjectionAdmin(ReadOnlyAdmin):
    list_display = ["notice", "application", "received_on", "resolved_at"]


@admin.register(models.PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "paid_on", "created_at"]

"""Raw, read-only views of the insurance records for administrators' maintenance. Every
change goes through the back office's services (adopted editions are immutable, premium
changes are adjustment rows, history is kept in the event tables)."""

from gonghui.core.admin_kit import register_read_only
from gonghui.insurance import models

register_read_only(
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
)

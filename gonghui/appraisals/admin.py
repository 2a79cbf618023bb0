"""Raw, read-only views for administrators of the round's setup. Ballots, participation, paper
entries and results are deliberately not registered (docs/adr/0009-cadre-appraisal-secrecy.md)."""

from gonghui.appraisals.models import AppraisalRound, AppraisalRules, RoundUnit
from gonghui.core.admin_kit import register_read_only

register_read_only(AppraisalRules, AppraisalRound, RoundUnit)

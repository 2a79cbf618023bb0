"""The lifecycle of a session's rules (ADR 0005): draft → adopted (date and act, by the
union office recording the presidium's or the congress's decision) → superseded."""

from __future__ import annotations

from gonghui.congress.models import SessionRules, SessionRulesEvent
from gonghui.core.editions import edition_workflow

SessionRulesWorkflow = edition_workflow(SessionRules, SessionRulesEvent, permission="congress.change_sessionrules")

"""Raw, read-only views for administrators: every change goes through the pages' services."""

from gonghui.core.admin_kit import register_read_only
from gonghui.deliberations.models import (
    Deliberation,
    DraftVersion,
    Opinion,
    OpinionGroup,
    OpinionRound,
    Vote,
    VoteRules,
)

register_read_only(Deliberation, DraftVersion, OpinionRound, Opinion, OpinionGroup, Vote, VoteRules)

"""The one place that says which proposal status may follow which (DOMAIN §3.4)."""

from gonghui.proposals.choices import ProposalStatus as S

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.AWAITING_CO_SIGNERS, S.SUBMITTED, S.WITHDRAWN},
    S.AWAITING_CO_SIGNERS: {S.SUBMITTED, S.DRAFT, S.WITHDRAWN},
    S.SUBMITTED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.REGISTERED, S.MERGED, S.OPINION, S.NOT_REGISTERED, S.REFERRED},
    S.REFERRED: {S.REGISTERED, S.OPINION, S.NOT_REGISTERED},
    S.REGISTERED: {S.ASSIGNED},
    S.OPINION: {S.ASSIGNED},
    S.ASSIGNED: {S.IN_HANDLING},
    S.IN_HANDLING: {S.REPLIED},
    S.REPLIED: {S.CLOSED, S.REHANDLING, S.FOLLOW_UP},
    S.REHANDLING: {S.REPLIED},
    S.FOLLOW_UP: {S.CLOSED},
    S.MERGED: set(),
    S.NOT_REGISTERED: set(),
    S.WITHDRAWN: set(),
    S.CLOSED: set(),
}

# Who may take each step: "proposer", "committee", "presidium", "office", "unit", "system".
ACTORS: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.AWAITING_CO_SIGNERS): frozenset({"proposer"}),
    (S.DRAFT, S.SUBMITTED): frozenset({"proposer"}),
    (S.AWAITING_CO_SIGNERS, S.SUBMITTED): frozenset({"proposer"}),
    (S.AWAITING_CO_SIGNERS, S.DRAFT): frozenset({"proposer"}),
    (S.DRAFT, S.WITHDRAWN): frozenset({"proposer"}),
    (S.AWAITING_CO_SIGNERS, S.WITHDRAWN): frozenset({"proposer"}),
    (S.SUBMITTED, S.WITHDRAWN): frozenset({"proposer"}),
    (S.SUBMITTED, S.UNDER_REVIEW): frozenset({"committee"}),
    (S.UNDER_REVIEW, S.REGISTERED): frozenset({"committee"}),
    (S.UNDER_REVIEW, S.MERGED): frozenset({"committee"}),
    (S.UNDER_REVIEW, S.OPINION): frozenset({"committee"}),
    (S.UNDER_REVIEW, S.NOT_REGISTERED): frozenset({"committee"}),
    (S.UNDER_REVIEW, S.REFERRED): frozenset({"committee"}),
    (S.REFERRED, S.REGISTERED): frozenset({"presidium"}),
    (S.REFERRED, S.OPINION): frozenset({"presidium"}),
    (S.REFERRED, S.NOT_REGISTERED): frozenset({"presidium"}),
    (S.REGISTERED, S.ASSIGNED): frozenset({"office"}),
    (S.OPINION, S.ASSIGNED): frozenset({"office"}),
    (S.ASSIGNED, S.IN_HANDLING): frozenset({"unit"}),
    (S.IN_HANDLING, S.REPLIED): frozenset({"unit"}),
    (S.REHANDLING, S.REPLIED): frozenset({"unit"}),
    (S.REPLIED, S.CLOSED): frozenset({"proposer"}),
    (S.REPLIED, S.REHANDLING): frozenset({"proposer"}),
    (S.REPLIED, S.FOLLOW_UP): frozenset({"proposer"}),
    (S.FOLLOW_UP, S.CLOSED): frozenset({"committee"}),
}

# States in which the proposal is before the committee or later (what it may see).
BEFORE_COMMITTEE = frozenset(set(S) - {S.DRAFT, S.AWAITING_CO_SIGNERS})
# States in which a unit has it.
WITH_UNITS = frozenset({S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING, S.FOLLOW_UP, S.CLOSED})
# States counted as registered in the register and the report.
REGISTERED_OR_LATER = WITH_UNITS | {S.REGISTERED}
# Reply may be written in these states.
REPLYABLE = frozenset({S.ASSIGNED, S.IN_HANDLING, S.REHANDLING})


def can_transition(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, set())


def actors_for(source: str, target: str) -> frozenset[str]:
    return ACTORS.get((source, target), frozenset())

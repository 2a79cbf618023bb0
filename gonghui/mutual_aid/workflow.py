"""The one place that says which application status may follow which."""

from gonghui.mutual_aid.choices import ApplicationStatus as S

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.SUB_UNION_CHECKED, S.RETURNED, S.WITHDRAWN},
    S.SUB_UNION_CHECKED: {S.OFFICE_CHECKED, S.RETURNED},
    S.RETURNED: {S.SUBMITTED, S.WITHDRAWN},
    S.OFFICE_CHECKED: {S.APPROVED, S.ADJUSTED, S.REJECTED, S.RETURNED},
    S.APPROVED: {S.ON_NOTICE},
    S.ADJUSTED: {S.ON_NOTICE},
    S.ON_NOTICE: {S.PAYABLE, S.ON_HOLD},
    S.ON_HOLD: {S.ON_NOTICE, S.REJECTED},
    S.PAYABLE: {S.PAID},
    S.PAID: {S.CLOSED},
    S.REJECTED: set(),
    S.CLOSED: set(),
    S.WITHDRAWN: set(),
}


def can_transition(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, set())

"""What may follow what: the one place that says it (DOMAIN §3.2)."""

from gonghui.insurance.choices import ClaimStatus as S
from gonghui.insurance.choices import EnrollmentStatus as E

ENROLLMENT_TRANSITIONS = {
    E.ENROLLED: {E.ON_ROSTER, E.ENDED},
    E.ON_ROSTER: {E.ACCEPTED, E.REJECTED, E.ENDED},
    E.ACCEPTED: {E.ENDED},
    E.REJECTED: set(),
    E.ENDED: set(),
}

CLAIM_TRANSITIONS = {
    S.REPORTED: {S.DOCUMENTS_PENDING, S.READY, S.WITHDRAWN},
    S.DOCUMENTS_PENDING: {S.READY, S.WITHDRAWN},
    S.READY: {S.SUBMITTED, S.DOCUMENTS_PENDING, S.WITHDRAWN},
    S.SUBMITTED: {S.RETURNED, S.PAID, S.REFUSED},
    S.RETURNED: {S.SUBMITTED, S.DOCUMENTS_PENDING},
    S.PAID: set(),
    S.REFUSED: set(),
    S.WITHDRAWN: set(),
}

# Statuses in which the claim still counts as open.
CLAIM_OPEN = {S.REPORTED, S.DOCUMENTS_PENDING, S.READY, S.SUBMITTED, S.RETURNED}
# Enrollments that count as insured (on the figures and the portal).
INSURED = {E.ENROLLED, E.ON_ROSTER, E.ACCEPTED, E.ENDED}

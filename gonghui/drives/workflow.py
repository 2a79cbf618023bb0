"""The one place that says what may follow what: drive phases, registrations, bookings."""

from gonghui.drives.choices import BookingStatus as B
from gonghui.drives.choices import DrivePhase as P
from gonghui.drives.choices import RegistrationStatus as R

PHASE_ORDER = [P.PREPARATION, P.INFO_SESSIONS, P.SURVEY, P.REGISTRATION, P.ROSTER, P.ON_SITE, P.DONE]

# A drive moves forward only; it may skip a phase a drive does not use (no sessions, no survey).
PHASE_TRANSITIONS: dict[str, set[str]] = {
    phase: set(PHASE_ORDER[index + 1 :]) for index, phase in enumerate(PHASE_ORDER)
}

REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    R.REGISTERED: {R.WITHDRAWN, R.ON_ROSTER},
    R.ON_ROSTER: {R.ENROLLED, R.REJECTED, R.PAID},
    R.ENROLLED: {R.PAID, R.REJECTED},
    R.REJECTED: {R.ENROLLED, R.PAID},  # a corrected result from the provider
    R.PAID: set(),
    R.WITHDRAWN: set(),
}

BOOKING_TRANSITIONS: dict[str, set[str]] = {
    B.BOOKED: {B.CHECKED_IN, B.CANCELLED, B.NO_SHOW},
    B.CHECKED_IN: {B.SERVED},
    B.SERVED: set(),
    B.CANCELLED: set(),
    B.NO_SHOW: set(),
}
# Leaving these statuses gives the place back.
FREES_PLACE = {B.CANCELLED, B.NO_SHOW}


def can_transition(table: dict, source: str, target: str) -> bool:
    return target in table.get(source, set())

"""Reading certificates: a signed-in user's own (the winner, the coach, the college's officer for
their college's awards, and whoever reads the whole union), and the public check of one by the
token its QR code carries (nothing but what the certificate itself says)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from gonghui.accounts.access import get_access
from gonghui.competitions.models import FINAL_STATUSES, Award, Certificate
from gonghui.people.models import Union


def _own_awards(user):
    """The awards `user` may hold the certificate of: theirs (as contestant or coach), their
    colleges' (an officer), or any (the office, auditors)."""
    access = get_access(user)
    awards = Award.objects.restrict(user).filter(competition__status__in=FINAL_STATUSES)
    if access.reads_everything:
        return awards
    condition = Q(pk__in=[])
    if access.person_id:
        condition |= Q(person_id=access.person_id) | Q(entry__person_id=access.person_id)
    if access.sub_union_ids:
        condition |= Q(college_id__in=access.sub_union_ids) | Q(entry__college_id__in=access.sub_union_ids)
    return awards.filter(condition)


def certificates_for_user(user):
    """The certificates of the awards `user` holds or looks after, newest edition first."""
    return (
        Certificate.objects.filter(award__in=_own_awards(user))
        .select_related("award__competition", "award__entry__person", "award__group")
        .order_by("-award__competition__year", "serial")
    )


def certificate_for_user(user, pk: int) -> Certificate | None:
    """One certificate `user` may download (None: none such, or not theirs)."""
    return certificates_for_user(user).filter(pk=pk).first()


@dataclass(frozen=True)
class Verification:
    """What the public check of a certificate shows: exactly what is printed on it."""

    serial: str
    recipient: str
    award: str
    edition: str
    issued_on: object
    issuer: str


def issuer_name() -> str:
    """The body that issues the certificates: the union (校工会)."""
    union = Union.objects.order_by("pk").first()
    return union.name if union is not None else ""


def certificate_verify(token: str) -> Verification | None:
    """The certificate carrying `token` (public: no sign-in), or None. Only an edition whose
    results are final has valid certificates."""
    token = (token or "").strip()
    if not token:
        return None
    certificate = (
        Certificate.objects.select_related("award__competition")
        .filter(token=token, award__competition__status__in=FINAL_STATUSES)
        .first()
    )
    if certificate is None:
        return None
    award = certificate.award
    return Verification(
        serial=certificate.serial,
        recipient=award.recipient,
        award=award.label,
        edition=award.competition.title,
        issued_on=certificate.issued_on,
        issuer=issuer_name(),
    )

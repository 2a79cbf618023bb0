"""The member portal's drive cards: one per open drive, with what the member did so far."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.core.registry import ServiceCard
from gonghui.drives.choices import DrivePhase
from gonghui.drives.models import DriveRegistration
from gonghui.drives.selectors.drives import my_answer, my_booking, open_drives


def drive_cards(user) -> list:
    if getattr(user, "person_id", None) is None:
        return []
    cards = []
    for drive in open_drives(user=user)[:3]:
        lines = [
            _("%(product)s · 每人 %(price)s 元 · %(phase)s")
            % {"product": drive.product, "price": drive.rules.price_per_person, "phase": drive.get_phase_display()}
        ]
        registrations = list(
            DriveRegistration.objects.filter(drive=drive, person_id=user.person_id).only(
                "name", "relationship", "status"
            )
        )
        for registration in registrations:
            lines.append(
                _("%(name)s（%(relationship)s）：%(status)s")
                % {
                    "name": registration.name,
                    "relationship": registration.get_relationship_display(),
                    "status": registration.get_status_display(),
                }
            )
        answer = my_answer(user=user, drive=drive)
        if drive.phase == DrivePhase.SURVEY and answer is None:
            action = _("填写参保意向")
        elif drive.phase == DrivePhase.REGISTRATION and not registrations:
            action = _("报名")
        else:
            booking = my_booking(user=user, drive=drive)
            if booking:
                lines.append(
                    _("现场服务：%(slot)s %(status)s") % {"slot": booking.slot, "status": booking.get_status_display()}
                )
            action = _("查看")
        cards.append(
            ServiceCard(
                title=drive.name,
                lines=tuple(lines),
                url=reverse("drives:portal_drive", args=[drive.pk]),
                action=action,
                icon="calendar-event",
            )
        )
    return cards

"""The "my services" cards on the member portal. Each module contributes one provider:
a function (user) -> list[ServiceCard]. Later modules add their provider to PROVIDERS."""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ServiceCard:
    title: str
    lines: tuple[str, ...]
    url: str = ""
    action: str = ""


PROVIDERS = [
    "gonghui.people.cards.membership_cards",
    "gonghui.notifications.cards.inbox_cards",
    "gonghui.mutual_aid.cards.mutual_aid_cards",
    "gonghui.proposals.cards.proposals_cards",
    "gonghui.insurance.cards.insurance_cards",
    "gonghui.drives.cards.drive_cards",
]


def service_cards(user) -> list[ServiceCard]:
    cards = []
    for dotted in PROVIDERS:
        cards.extend(import_string(dotted)(user))
    return cards

"""What notifications adds to the portal: the inbox card."""

from gonghui.core.registry import portal_card_register
from gonghui.notifications.cards import inbox_cards

portal_card_register(inbox_cards, order=20)

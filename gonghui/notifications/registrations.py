"""What notifications adds to the portal: the inbox card."""

from gonghui.core.registry import module_register
from gonghui.notifications.cards import inbox_cards

module_register("notifications", order=20, portal_cards=inbox_cards)

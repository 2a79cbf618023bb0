"""The "my services" cards on the member portal: each app registers a provider (user) ->
list[ServiceCard] in its registrations (gonghui.core.registry)."""

from gonghui.core.registry import ServiceCard, service_cards

__all__ = ["ServiceCard", "service_cards"]

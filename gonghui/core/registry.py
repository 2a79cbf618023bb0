"""What modules add to the shared pages and commands, registered when each app is ready.

The lower apps (core, accounts, people, attachments, notifications, portal) read these
registries and never import a module: a module's `AppConfig.ready()` calls `module_ready`,
which registers its role grants (`<app>/roles.py`) and runs its `<app>/registrations.py`,
where it declares, in one `module_register(...)` call, its portal cards and links, its
workspace section, its attachment access and its demo builder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import AppConfig
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ServiceCard:
    """A card on the member's "my services": a few lines and where to go next."""

    title: str
    lines: tuple[str, ...]
    url: str = ""
    action: str = ""
    icon: str = "chevron-right"  # a Tabler icon of the sprite (tools/icon_sprite.py)
    badge: int = 0  # how many things wait for the member's action (shown on the card)


@dataclass(frozen=True)
class WorkspaceLink:
    """A link on the back-office workspace, shown to holders of `permission` (any of them)."""

    label: str
    url_name: str
    permissions: tuple[str, ...] = ()
    testid: str = ""
    members_only: bool = False  # only for users linked to a person on the roster
    icon: str = "chevron-right"  # a Tabler icon of the sprite (tools/icon_sprite.py)


@dataclass(frozen=True)
class WorkspaceSection:
    key: str
    title: str
    order: int
    links: tuple[WorkspaceLink, ...]


@dataclass(frozen=True)
class DemoBuilder:
    """Builds a module's demo data on top of the demo university; idempotent. Returns a
    line for the command's output, or "" when it changed nothing."""

    name: str
    order: int
    build: Callable[[], str]


@dataclass
class Registry:
    portal_cards: list[tuple[int, Callable[[Any], list]]] = field(default_factory=list)
    workspace: dict[str, WorkspaceSection] = field(default_factory=dict)
    portal_links: list[tuple[int, WorkspaceLink]] = field(default_factory=list)
    attachment_access: list[Callable[[Any], Any]] = field(default_factory=list)
    demo_builders: dict[str, DemoBuilder] = field(default_factory=dict)


registry = Registry()


def portal_card_register(provider: Callable[[Any], list], *, order: int) -> None:
    """`provider(user) -> list[ServiceCard]` for the member's "my services", in `order`."""
    if all(existing is not provider for _order, existing in registry.portal_cards):
        registry.portal_cards.append((order, provider))
        registry.portal_cards.sort(key=lambda item: item[0])


def service_cards(user) -> list[ServiceCard]:
    return [card for _order, provider in registry.portal_cards for card in provider(user)]


def workspace_section_register(section: WorkspaceSection) -> None:
    registry.workspace[section.key] = section


def portal_link_register(link: WorkspaceLink, *, order: int) -> None:
    """A link on the member's home ("我的互助会", "提案公示" …), for everyone signed in or for
    holders of one of its permissions."""
    if all(existing != link for _order, existing in registry.portal_links):
        registry.portal_links.append((order, link))
        registry.portal_links.sort(key=lambda item: item[0])


def _visible(link: WorkspaceLink, user) -> bool:
    if link.members_only and not getattr(user, "person_id", None):
        return False
    return not link.permissions or any(user.has_perm(p) for p in link.permissions)


def workspace_for(user) -> list[tuple[WorkspaceSection, list[WorkspaceLink]]]:
    """The workspace sections with the links `user` may follow (sections with none left out)."""
    sections = []
    for section in workspace_sections():
        links = [link for link in section.links if _visible(link, user)]
        if links:
            sections.append((section, links))
    return sections


def portal_links_for(user) -> list[WorkspaceLink]:
    return [link for _order, link in registry.portal_links if _visible(link, user)]


def attachment_access_register(rule: Callable[[Any], Any]) -> None:
    """`rule(user)` returns a queryset of attachment ids the user may open because of the
    module's records (e.g. the documents of the applications they may see)."""
    if rule not in registry.attachment_access:
        registry.attachment_access.append(rule)


def demo_builder_register(builder: DemoBuilder) -> None:
    registry.demo_builders[builder.name] = builder


def workspace_sections() -> list[WorkspaceSection]:
    return sorted(registry.workspace.values(), key=lambda section: section.order)


def demo_builders() -> list[DemoBuilder]:
    return sorted(registry.demo_builders.values(), key=lambda builder: builder.order)


def module_register(
    key: str,
    *,
    order: int,
    title: str = "",
    workspace: tuple[WorkspaceLink, ...] = (),
    portal_order: int | None = None,
    portal_cards: Callable[[Any], list] | None = None,
    portal_links: tuple[WorkspaceLink, ...] = (),
    attachment_access: Callable[[Any], Any] | None = None,
    demo: tuple[str, Callable[[Any], str]] | None = None,
) -> None:
    """What one app adds to the shared pages and the demo, declared in one place.

    `order` places its workspace section (`title`, `workspace` links) and its demo builder;
    `portal_order` (default `order`) places its portal cards, and its portal links one after
    another from there. `demo` is the dotted path of the app's demo builder and how its result
    reads in the command's output ("" when it changed nothing); the builder is imported only
    when the demo is built, so serving pages never loads the demo code."""
    portal_order = order if portal_order is None else portal_order
    if portal_cards is not None:
        portal_card_register(portal_cards, order=portal_order)
    for offset, link in enumerate(portal_links):
        portal_link_register(link, order=portal_order + offset)
    if workspace:
        workspace_section_register(WorkspaceSection(key=key, title=title, order=order, links=workspace))
    if attachment_access is not None:
        attachment_access_register(attachment_access)
    if demo is not None:
        builder_path, summary = demo
        demo_builder_register(DemoBuilder(key, order, lambda: summary(import_string(builder_path)())))


def module_ready(app_name: str) -> None:
    """Register an app's role grants and run its registrations (each only if present)."""
    if find_spec(f"{app_name}.roles") is not None:
        from gonghui.accounts.roles import role_grants_register

        role_grants_register(import_module(f"{app_name}.roles").ROLE_GRANTS)
    if find_spec(f"{app_name}.registrations") is not None:
        import_module(f"{app_name}.registrations")


class GonghuiAppConfig(AppConfig):
    """Every gonghui app: when ready, its role grants and registrations take effect.

    Subclass it as `registry.GonghuiAppConfig` (module attribute): a second AppConfig class
    imported into an apps.py by name would stop Django from choosing the app's own."""

    def ready(self) -> None:
        module_ready(self.name)

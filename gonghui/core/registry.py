"""What modules add to the shared pages and commands, registered when each app is ready.

The lower apps (core, accounts, people, attachments, notifications, portal) read these
registries and never import a module: a module's `AppConfig.ready()` calls `module_ready`,
which registers its role grants (`<app>/roles.py`) and runs its `<app>/registrations.py`,
where it declares, in one `module_register(...)` call, its portal cards and links, its
workspace section, its to-do queues and year figures (the workbench), its attachment access,
the attachments it stores (purposes and the roles that upload them) and its demo builder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
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


@dataclass(frozen=True)
class AttachmentPurpose:
    """Files a module stores under one purpose code, and the roles whose work is to upload
    them (role values of `gonghui.accounts.roles.Role`; the union office's uploads are the
    administrator's too). `gonghui.attachments` refuses any other uploader, and any code no
    module registered.

    `types`: the accepted content types (None: PDF and images). `direct`: the shared upload
    endpoint (`attachments:upload`) may store it on its own; otherwise only the module's
    services do, linking the file to their record in the same transaction. `private`: the
    files open only through the module's access rule (and to whoever uploaded them), not to
    the roles that read everything: a child's birth certificate is for the parent, their
    sub-union officer and the admissions officer alone (PIPL Art. 28)."""

    code: str
    roles: frozenset[str]
    types: frozenset[str] | None = None
    direct: bool = False
    private: bool = False


@dataclass(frozen=True)
class TodoQueue:
    """What waits for a user in one place: how many, since when, by when, and the list page
    filtered to exactly those rows (one click from the list that clears it).

    `role` names whom the queue serves ("校工会工作人员", "分工会干部", "会员" …); `oldest` is
    when the longest-waiting item started waiting (a date or a datetime); `deadline` the
    nearest deadline among the items, and `overdue` how many are past theirs."""

    key: str
    title: str
    count: int
    url: str
    role: str
    oldest: Any = None
    deadline: Any = None
    overdue: int = 0

    @property
    def is_overdue(self) -> bool:
        return self.overdue > 0


@dataclass(frozen=True)
class YearFigure:
    """One figure of the year at a glance (members, fees deducted …) with a link to the
    report it comes from; `value` is a number (or Decimal yuan when `money`)."""

    key: str
    label: str
    value: Any
    url: str = ""
    money: bool = False
    detail: str = ""


@dataclass(frozen=True)
class PersonSectionRow:
    """One row of a module's section on a person's page: its cells (text), the first one a
    link to `url` when given."""

    cells: tuple[str, ...]
    url: str = ""


@dataclass(frozen=True)
class PersonSection:
    """What a module shows on a person's page (people's person detail): a titled table of
    the person's records the viewer may see (`columns` and `rows`), or, for more than a table,
    a `template` rendered with `context` (`section` is the section itself there). A section
    with no rows says `empty`."""

    key: str
    title: str
    columns: tuple[str, ...] = ()
    rows: tuple[PersonSectionRow, ...] = ()
    empty: str = ""
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class AnnualFigure:
    """One figure of the union's year that a module vouches for: the annual report prints it
    and a bulletin may quote it (`key`, e.g. "insurance.premium", is how a bulletin refers to
    it). `value` is an int or Decimal yuan (`money`); `unit` is how a sentence counts it
    ("人", "元", "件" …)."""

    key: str
    label: str
    value: Any
    unit: str = ""
    money: bool = False


@dataclass(frozen=True)
class AnnualSection:
    """A module's part of the annual report for one year: its figures, and the charts
    (`gonghui.core.reports.Chart`) drawn from them."""

    key: str
    title: str
    figures: tuple[AnnualFigure, ...]
    charts: tuple[Any, ...] = ()
    order: int = 0

    def figure(self, key: str) -> AnnualFigure | None:
        return next((figure for figure in self.figures if figure.key == key), None)


@dataclass
class Registry:
    portal_cards: list[tuple[int, Callable[[Any], list]]] = field(default_factory=list)
    workspace: dict[str, WorkspaceSection] = field(default_factory=dict)
    portal_links: list[tuple[int, WorkspaceLink]] = field(default_factory=list)
    attachment_access: list[Callable[[Any], Any]] = field(default_factory=list)
    attachment_purposes: dict[str, AttachmentPurpose] = field(default_factory=dict)
    demo_builders: dict[str, DemoBuilder] = field(default_factory=dict)
    todos: list[tuple[int, Callable[[Any], list]]] = field(default_factory=list)
    year_figures: list[tuple[int, Callable[[Any, int], list]]] = field(default_factory=list)
    person_sections: list[tuple[int, Callable[[Any, Any], list]]] = field(default_factory=list)
    annual_sections: dict[str, tuple[int, Callable[[Any, int], AnnualSection | None]]] = field(default_factory=dict)


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


def attachment_purpose_register(purpose: AttachmentPurpose) -> None:
    """Declare which roles upload files under `purpose.code` (one module owns a code)."""
    existing = registry.attachment_purposes.get(purpose.code)
    if existing is not None and existing != purpose:
        raise ValueError(f"attachment purpose {purpose.code!r} is already registered")
    registry.attachment_purposes[purpose.code] = purpose


def attachment_purpose(code: str) -> AttachmentPurpose | None:
    return registry.attachment_purposes.get(code)


def private_attachment_purposes() -> list[str]:
    return sorted(code for code, purpose in registry.attachment_purposes.items() if purpose.private)


def demo_builder_register(builder: DemoBuilder) -> None:
    registry.demo_builders[builder.name] = builder


def todo_register(provider: Callable[[Any], list], *, order: int) -> None:
    """`provider(user) -> list[TodoQueue]`: what waits for `user` in the module, from its
    scoped selectors (each queue one count-and-min query, whatever the number of rows)."""
    if all(existing is not provider for _order, existing in registry.todos):
        registry.todos.append((order, provider))
        registry.todos.sort(key=lambda item: item[0])


def todos_for(user) -> list[TodoQueue]:
    """Every module's queues for `user`, in module order (empty ones included)."""
    return [queue for _order, provider in registry.todos for queue in provider(user)]


def year_figures_register(provider: Callable[[Any, int], list], *, order: int) -> None:
    """`provider(user, year) -> list[YearFigure]` for the year at a glance, from the
    module's report selectors (an empty list for a user who may not read them)."""
    if all(existing is not provider for _order, existing in registry.year_figures):
        registry.year_figures.append((order, provider))
        registry.year_figures.sort(key=lambda item: item[0])


def year_figures_for(user, year: int) -> list[YearFigure]:
    return [figure for _order, provider in registry.year_figures for figure in provider(user, year)]


def person_sections_register(provider: Callable[[Any, Any], list], *, order: int) -> None:
    """`provider(viewer, person) -> list[PersonSection]`: the module's sections on the
    person's page, from its scoped querysets (only what the viewer may see; an empty list
    when there is nothing)."""
    if all(existing is not provider for _order, existing in registry.person_sections):
        registry.person_sections.append((order, provider))
        registry.person_sections.sort(key=lambda item: item[0])


def person_sections_for(viewer, person) -> list[PersonSection]:
    """Every module's sections on `person`'s page for `viewer`, in module order."""
    return [section for _order, provider in registry.person_sections for section in provider(viewer, person)]


def annual_section_register(key: str, provider: Callable[[Any, int], AnnualSection | None], *, order: int) -> None:
    """`provider(actor, year) -> AnnualSection | None`: the module's figures of `year` for the
    annual report and the bulletins, from its report selectors (None: nothing of the module's
    happened that year, so none of its figures exist for it). Every figure key starts with
    the module's `key` and a dot."""
    registry.annual_sections[key] = (order, provider)


def annual_sections_for(actor, year: int) -> list[AnnualSection]:
    """Every module's section of `year` that exists, in module order."""
    sections = []
    for key, (order, provider) in sorted(registry.annual_sections.items(), key=lambda item: item[1][0]):
        section = provider(actor, year)
        if section is not None:
            sections.append(replace(section, key=key, order=order))
    return sections


def annual_section(actor, key: str, year: int) -> AnnualSection | None:
    """One module's section of `year` (None when the module or its year does not exist)."""
    entry = registry.annual_sections.get(key)
    if entry is None:
        return None
    section = entry[1](actor, year)
    return None if section is None else replace(section, key=key, order=entry[0])


def annual_figure(actor, key: str, year: int) -> AnnualFigure | None:
    """The figure `key` ("insurance.premium") of `year`, or None when no module vouches for it
    that year; only the module named by the key's first part is asked."""
    section = annual_section(actor, key.split(".", 1)[0], year)
    return None if section is None else section.figure(key)


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
    attachment_purposes: tuple[AttachmentPurpose, ...] = (),
    demo: tuple[str, Callable[[Any], str]] | None = None,
    todos: Callable[[Any], list] | None = None,
    year_figures: Callable[[Any, int], list] | None = None,
    person_sections: Callable[[Any, Any], list] | None = None,
    annual: Callable[[Any, int], AnnualSection | None] | None = None,
) -> None:
    """What one app adds to the shared pages and the demo, declared in one place.

    `order` places its workspace section (`title`, `workspace` links) and its demo builder;
    `portal_order` (default `order`) places its portal cards, and its portal links one after
    another from there. `demo` is the dotted path of the app's demo builder and how its result
    reads in the command's output ("" when it changed nothing); the builder is imported only
    when the demo is built, so serving pages never loads the demo code. `todos` gives the
    user's to-do queues, `year_figures` the module's figures of the year at a glance and
    `person_sections` its sections on a person's page and `annual` its section of the annual
    report (all placed by `order`)."""
    portal_order = order if portal_order is None else portal_order
    if portal_cards is not None:
        portal_card_register(portal_cards, order=portal_order)
    for offset, link in enumerate(portal_links):
        portal_link_register(link, order=portal_order + offset)
    if workspace:
        workspace_section_register(WorkspaceSection(key=key, title=title, order=order, links=workspace))
    if attachment_access is not None:
        attachment_access_register(attachment_access)
    for purpose in attachment_purposes:
        attachment_purpose_register(purpose)
    if todos is not None:
        todo_register(todos, order=order)
    if year_figures is not None:
        year_figures_register(year_figures, order=order)
    if person_sections is not None:
        person_sections_register(person_sections, order=order)
    if annual is not None:
        annual_section_register(key, annual, order=order)
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

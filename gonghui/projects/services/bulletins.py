"""Composing and publishing bulletins (简报).

The office opens an issue of a series (its number, date, title and the year its figures are
of), writes its sections from progress entries and live figures (`{{ insurance.premium }}`),
and publishes it: every reference is resolved then, as the system actor, and frozen into the
issue (`BulletinFigure`). A published issue never changes; a figure that moves on afterwards
shows as out of date to the office (selectors.bulletins.stale_figures). The same issue number
is published once per series."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.registry import AnnualFigure, AnnualSection, annual_section
from gonghui.core.reports import Ratio
from gonghui.core.service_kit import audit, create_or_refuse, required_text
from gonghui.core.workflow import transition
from gonghui.projects.choices import BulletinStatus
from gonghui.projects.figures import exact, malformed_references, references
from gonghui.projects.models import Bulletin, BulletinFigure, BulletinSection, BulletinSeries
from gonghui.projects.workflow import BulletinWorkflow

EDIT = "projects.publish_bulletin"


@transaction.atomic
def series_create(*, actor, name: str, publisher: str, masthead: str = "") -> BulletinSeries:
    permission_require(actor, EDIT)
    name = required_text(name, _("请填写简报系列名称。"), field="name")
    series = create_or_refuse(
        BulletinSeries,
        ApplicationError(_("简报系列“%(name)s”已经存在。") % {"name": name}, extra={"field": "name"}),
        name=name,
        publisher=required_text(publisher, _("请填写编发单位。"), field="publisher"),
        masthead=(masthead or "").strip(),
    )
    audit(actor, series, AuditAction.CREATED, _("新建简报系列：%(name)s") % {"name": series.name})
    return series


def _issue_check(series: BulletinSeries, issue_no: int, *, exclude: int | None = None) -> None:
    if int(issue_no) < 1:
        raise ApplicationError(_("期号须为正整数。"), extra={"field": "issue_no"})
    taken = Bulletin.objects.filter(series=series, issue_no=issue_no, status=BulletinStatus.PUBLISHED)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ApplicationError(
            _("%(series)s第 %(no)s 期已经发布过，不能重复发布同一期号。") % {"series": series.name, "no": issue_no},
            extra={"field": "issue_no"},
        )


@transaction.atomic
def bulletin_create(
    *,
    actor,
    series: BulletinSeries,
    issue_no: int | None = None,
    date: datetime.date,
    title: str,
    figures_year: int,
    subtitle: str = "",
    column: str = "",
) -> Bulletin:
    """A draft issue; numbered after the series' last issue unless `issue_no` is given."""
    permission_require(actor, EDIT)
    if issue_no is None:
        last = Bulletin.objects.filter(series=series).order_by("-issue_no").values_list("issue_no", flat=True).first()
        issue_no = (last or 0) + 1
    _issue_check(series, issue_no)
    if date is None:
        raise ApplicationError(_("请填写日期。"), extra={"field": "date"})
    bulletin = Bulletin.objects.create(
        series=series,
        issue_no=issue_no,
        date=date,
        title=required_text(title, _("请填写标题。"), field="title"),
        subtitle=(subtitle or "").strip(),
        column=(column or "").strip(),
        figures_year=figures_year,
        created_by=actor,
    )
    audit(actor, bulletin, AuditAction.CREATED, _("新建简报：%(title)s") % {"title": str(bulletin)})
    return bulletin


def _draft(bulletin: Bulletin) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().select_related("series").get(pk=bulletin.pk)
    if bulletin.status != BulletinStatus.DRAFT:
        raise ApplicationError(_("简报%(status)s，不能修改。") % {"status": bulletin.get_status_display()})
    return bulletin


@transaction.atomic
def bulletin_update(
    *,
    actor,
    bulletin: Bulletin,
    issue_no: int,
    date: datetime.date,
    title: str,
    figures_year: int,
    subtitle: str = "",
    column: str = "",
) -> Bulletin:
    permission_require(actor, EDIT)
    bulletin = _draft(bulletin)
    _issue_check(bulletin.series, issue_no, exclude=bulletin.pk)
    year_changed = int(figures_year) != bulletin.figures_year
    bulletin.issue_no = issue_no
    bulletin.date = date
    bulletin.title = required_text(title, _("请填写标题。"), field="title")
    bulletin.subtitle = (subtitle or "").strip()
    bulletin.column = (column or "").strip()
    bulletin.figures_year = figures_year
    if year_changed:
        for section in bulletin.sections.all():
            _references_check(section.body, bulletin.figures_year)
    bulletin.save()
    audit(actor, bulletin, AuditAction.UPDATED, _("修改简报：%(title)s") % {"title": str(bulletin)})
    return bulletin


def figures_resolve(keys, year: int) -> dict[str, AnnualFigure | None]:
    """The figures `keys` name in `year` (None for those no module vouches for), each module's
    section built once, as the system actor: a bulletin is the same for every reader."""
    from gonghui.accounts.system import system_actor

    actor = system_actor()
    sections: dict[str, AnnualSection | None] = {}
    resolved = {}
    for key in keys:
        module = key.split(".", 1)[0]
        if module not in sections:
            sections[module] = annual_section(actor, module, year)
        section = sections[module]
        resolved[key] = None if section is None else section.figure(key)
    return resolved


def unresolvable(keys, year: int) -> list[str]:
    """The keys no module vouches for in `year`."""
    return [key for key, figure in figures_resolve(keys, year).items() if figure is None]


def _references_check(body: str, year: int) -> None:
    malformed = malformed_references(body)
    if malformed:
        raise ApplicationError(
            _("引用格式不正确：%(refs)s。数据引用的写法是 {{ 模块.数据项 }}，如 {{ insurance.premium }}。")
            % {"refs": "、".join(malformed)},
            extra={"field": "body"},
        )
    missing = unresolvable(references(body), year)
    if missing:
        raise ApplicationError(
            _("引用的数据在 %(year)s 年度不存在：%(keys)s。") % {"year": year, "keys": "、".join(missing)},
            extra={"field": "body"},
        )


@transaction.atomic
def section_save(
    *,
    actor,
    bulletin: Bulletin,
    body: str,
    heading: str = "",
    section: BulletinSection | None = None,
    projects=(),
    progress=(),
) -> BulletinSection:
    """Add a section at the end (or change `section`): its figure references must exist for the
    bulletin's year."""
    permission_require(actor, EDIT)
    bulletin = _draft(bulletin)
    body = required_text(body, _("请填写正文。"), field="body")
    _references_check(body, bulletin.figures_year)
    if section is None:
        last = bulletin.sections.order_by("-position").values_list("position", flat=True).first()
        section = BulletinSection(bulletin=bulletin, position=(last or 0) + 1)
    elif section.bulletin_id != bulletin.pk:
        raise ApplicationError(_("栏目不属于这期简报。"))
    section.heading = (heading or "").strip()
    section.body = body
    section.save()
    section.projects.set(projects)
    section.progress.set(progress)
    audit(actor, bulletin, AuditAction.UPDATED, _("编辑简报栏目：%(heading)s") % {"heading": section.heading or "—"})
    return section


@transaction.atomic
def section_delete(*, actor, section: BulletinSection) -> None:
    permission_require(actor, EDIT)
    bulletin = _draft(section.bulletin)
    heading = section.heading
    section.delete()
    audit(actor, bulletin, AuditAction.UPDATED, _("删除简报栏目：%(heading)s") % {"heading": heading or "—"})


def bulletin_references(bulletin: Bulletin) -> list[str]:
    keys: dict[str, None] = {}
    for body in bulletin.sections.values_list("body", flat=True):
        keys.update(dict.fromkeys(references(body)))
    return list(keys)


def unresolved_references(bulletin: Bulletin) -> list[str]:
    return unresolvable(bulletin_references(bulletin), bulletin.figures_year)


@transaction.atomic
def bulletin_publish(*, actor, bulletin: Bulletin) -> Bulletin:
    """Publish the issue: each figure it quotes is resolved now and frozen with it."""
    bulletin = transition(BulletinWorkflow, bulletin, step="publish", actor=actor)
    bulletin.figures.all().delete()  # a withdrawn issue published again is frozen again
    frozen = []
    for key, figure in figures_resolve(bulletin_references(bulletin), bulletin.figures_year).items():
        if figure is None:  # the guard has just resolved it: only a concurrent change gets here
            raise ApplicationError(
                _("引用的数据在 %(year)s 年度不存在：%(keys)s。") % {"year": bulletin.figures_year, "keys": key}
            )
        frozen.append(
            BulletinFigure(
                bulletin=bulletin,
                key=key,
                year=bulletin.figures_year,
                label=str(figure.label)[:200],
                value=exact(figure.value)[:1000],
                unit="%" if isinstance(figure.value, Ratio) else str(figure.unit or "")[:10],
                money=figure.money,
            )
        )
    BulletinFigure.objects.bulk_create(frozen)
    return bulletin


@transaction.atomic
def bulletin_withdraw(*, actor, bulletin: Bulletin, message: str) -> Bulletin:
    return transition(BulletinWorkflow, bulletin, step="withdraw", actor=actor, message=message)


@transaction.atomic
def bulletin_redraft(*, actor, bulletin: Bulletin) -> Bulletin:
    bulletin = transition(BulletinWorkflow, bulletin, step="redraft", actor=actor)
    bulletin.figures.all().delete()
    return bulletin

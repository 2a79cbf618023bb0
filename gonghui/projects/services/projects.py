"""Registering practical projects and moving them along (DOMAIN §3.10).

The union office registers a batch's projects with their origin (a proposal, a survey, a
revision of the mutual-aid rules, a leader's instruction), lead unit, person responsible and
cooperating units. The lead unit's contact person or the office moves a project on; only the
office ticks it off (销号), with results and evidence."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.attachments.services import attachment_store
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, create_or_refuse, required_text
from gonghui.core.workflow import transition
from gonghui.projects.choices import Origin, ProjectStatus, ProjectType
from gonghui.projects.models import Batch, PracticalProject
from gonghui.projects.workflow import ProjectWorkflow

EVIDENCE_PURPOSE = "projects_evidence"

# The link each origin needs (a leader's instruction and "other" are described in words).
ORIGIN_LINKS = {
    Origin.PROPOSAL: ("origin_proposal", _("请选择项目来源的教代会提案。")),
    Origin.SURVEY: ("origin_campaign", _("请选择项目来源的调研（子女入学需求摸底）。")),
    Origin.RULES_REVISION: ("origin_edition", _("请选择项目来源的互助会管理办法版本。")),
}
LINK_FIELDS = ("origin_proposal", "origin_campaign", "origin_edition")


@transaction.atomic
def batch_create(*, actor, year: int, number: int, name: str = "") -> Batch:
    permission_require(actor, "projects.add_practicalproject")
    if not 2000 <= int(year) <= 2100 or int(number) < 1:
        raise ApplicationError(_("年度或批次不正确。"))
    name = (name or "").strip() or _("%(year)s年第%(number)s批") % {"year": year, "number": number}
    batch = create_or_refuse(
        Batch,
        ApplicationError(_("%(year)s 年第 %(number)s 批已经存在。") % {"year": year, "number": number}),
        year=year,
        number=number,
        name=name,
    )
    audit(actor, batch, AuditAction.CREATED, _("新建项目批次：%(name)s") % {"name": batch.name})
    return batch


def _origin_clean(origin: str, links: dict, note: str) -> dict:
    if origin not in Origin.values:
        raise ApplicationError(_("请选择项目来源。"), extra={"field": "origin"})
    needed = ORIGIN_LINKS.get(Origin(origin))
    cleaned = {name: links.get(name) for name in LINK_FIELDS}
    if needed is not None:
        field, refusal = needed
        if cleaned[field] is None:
            raise ApplicationError(refusal, extra={"field": field})
        # a project has one origin: the other links are dropped
        cleaned = {name: (value if name == field else None) for name, value in cleaned.items()}
    else:
        cleaned = dict.fromkeys(LINK_FIELDS)
        if not (note or "").strip():
            raise ApplicationError(_("请说明项目来源（如领导批示的内容）。"), extra={"field": "origin_note"})
    return cleaned


@transaction.atomic
def project_create(
    *,
    actor,
    batch: Batch,
    title: str,
    category: str,
    origin: str,
    lead_unit,
    responsible,
    project_type: str,
    deadline: datetime.date,
    cooperating_units=(),
    description: str = "",
    origin_note: str = "",
    number: int | None = None,
    **links,
) -> PracticalProject:
    """Register a project in `batch` (numbered after the batch's last one unless given)."""
    permission_require(actor, "projects.add_practicalproject")
    if project_type not in ProjectType.values:
        raise ApplicationError(_("请选择办理方式。"), extra={"field": "project_type"})
    if deadline is None:
        raise ApplicationError(_("请填写完成时限。"), extra={"field": "deadline"})
    if lead_unit is None or responsible is None:
        raise ApplicationError(_("请选择牵头单位和责任人。"), extra={"field": "lead_unit"})
    cooperating = [unit for unit in cooperating_units if unit.pk != lead_unit.pk]
    origin_links = _origin_clean(origin, links, origin_note)
    if number is None:
        last = PracticalProject.objects.filter(batch=batch).order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    project = create_or_refuse(
        PracticalProject,
        ApplicationError(_("本批次已有序号 %(number)s 的项目。") % {"number": number}, extra={"field": "number"}),
        batch=batch,
        number=number,
        title=required_text(title, _("请填写工作内容。"), field="title"),
        description=(description or "").strip(),
        category=required_text(category, _("请填写项目类别。"), field="category"),
        origin=origin,
        origin_note=(origin_note or "").strip(),
        lead_unit=lead_unit,
        responsible=responsible,
        project_type=project_type,
        deadline=deadline,
        created_by=actor,
        **origin_links,
    )
    project.cooperating_units.set(cooperating)
    audit(actor, project, AuditAction.CREATED, _("登记实事项目：%(title)s") % {"title": project.title})
    return project


def _locked(project: PracticalProject) -> PracticalProject:
    return PracticalProject.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def project_step(
    *,
    actor,
    project: PracticalProject,
    step: str,
    message: str = "",
    done_on: datetime.date | None = None,
) -> PracticalProject:
    """Move a project on by `step` (start, partly_done, resume, done, not_done). Done records
    the completion date (today unless given); not done requires the reason."""
    values: dict = {}
    if step == "done":
        values["done_on"] = done_on or timezone.localdate()
    if step == "not_done":
        reason = (message or "").strip()
        if not reason:
            raise ApplicationError(_("未完成须说明原因。"), extra={"field": "message"})
        values["reason"] = reason
    if step == "close_off":
        raise ApplicationError(_("销号请使用销号操作，并填写工作成效、上传佐证材料。"))
    project = transition(ProjectWorkflow, project, step=step, actor=actor, message=message, values=values)
    if step == "done":
        from gonghui.projects.services.ratings import rating_open

        rating_open(project, actor=actor)
    return project


@transaction.atomic
def project_close_off(
    *,
    actor,
    project: PracticalProject,
    results: str,
    evidence_files=(),
    closed_off_on: datetime.date | None = None,
) -> PracticalProject:
    """销号: the office records the results and evidence (new files here, or the photos and
    documents of its progress entries) and ticks the project off; its satisfaction rating
    closes and is counted."""
    project = _locked(project)
    results = (results or "").strip()
    if not results:
        raise ApplicationError(_("销号须填写工作成效。"), extra={"field": "results"})
    if project.status != ProjectStatus.DONE:
        # the workflow refuses it too; say it before any file is stored
        raise ApplicationError(
            _("项目%(status)s，完成后才能销号。") % {"status": project.get_status_display()}, extra={"field": "status"}
        )
    permission_require(actor, "projects.manage_practicalproject")
    for uploaded in evidence_files:
        attachment = attachment_store(uploaded_file=uploaded, uploaded_by=actor, purpose=EVIDENCE_PURPOSE)
        project.closing_evidence.add(attachment)
    project = transition(
        ProjectWorkflow,
        project,
        step="close_off",
        actor=actor,
        values={"results": results, "closed_off_on": closed_off_on or timezone.localdate()},
    )
    from gonghui.projects.services.ratings import rating_close

    rating_close(project, actor=actor)
    return project


def funds_total(project: PracticalProject) -> Decimal:
    from django.db.models import Sum

    return project.progress.aggregate(total=Sum("funds"))["total"] or Decimal("0.00")

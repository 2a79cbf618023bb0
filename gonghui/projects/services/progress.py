"""Progress entries (一事一记): the lead unit (or the office) records each development of a
project with its date, text, the money it spent and its photos and documents, from a phone
or a desk. Entries are never edited: a correction is another entry. A project's first entry
starts it; a closed-off or abandoned project takes no more."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.attachments.services import attachment_store
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.projects.choices import ProjectStatus
from gonghui.projects.models import PracticalProject, ProgressEntry
from gonghui.projects.services.projects import EVIDENCE_PURPOSE
from gonghui.projects.workflow import ProjectWorkflow

# Max files one entry carries (photos from a phone).
MAX_EVIDENCE = 9


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("使用经费须为金额，如 1200.50。"), extra={"field": "funds"}) from None
    if amount < 0:
        raise ApplicationError(_("使用经费不能为负数。"), extra={"field": "funds"})
    return amount


@transaction.atomic
def progress_add(
    *,
    actor,
    project: PracticalProject,
    text: str,
    date: datetime.date | None = None,
    funds=None,
    evidence_files=(),
) -> ProgressEntry:
    """Record one development of `project`."""
    project = PracticalProject.objects.select_for_update().get(pk=project.pk)
    if not PracticalProject.objects.restrict(actor, "change").filter(pk=project.pk).exists():
        raise PermissionDenied(_("只有牵头单位和校工会可以填报项目进展。"))
    if project.status == ProjectStatus.CLOSED_OFF:
        raise ApplicationError(_("项目已销号，不能再填报进展。"))
    if project.status == ProjectStatus.NOT_DONE:
        raise ApplicationError(_("项目已确认未完成，如需继续推进请先“继续推进”。"))
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ApplicationError(_("进展日期不能晚于今天。"), extra={"field": "date"})
    files = list(evidence_files)
    if len(files) > MAX_EVIDENCE:
        raise ApplicationError(
            _("每条进展最多上传 %(count)s 个文件。") % {"count": MAX_EVIDENCE}, extra={"field": "evidence"}
        )
    entry = ProgressEntry.objects.create(
        project=project,
        date=date,
        text=required_text(text, _("请填写进展情况。"), field="text"),
        funds=_amount(funds),
        created_by=actor,
    )
    for uploaded in files:
        entry.evidence.add(attachment_store(uploaded_file=uploaded, uploaded_by=actor, purpose=EVIDENCE_PURPOSE))
    if project.status == ProjectStatus.NOT_STARTED:
        transition(ProjectWorkflow, project, step="start", actor=actor, message=_("填报第一条进展"))
    ProjectWorkflow.record(
        project,
        "progress",
        actor,
        message=entry.text[:200],
        parameters={"entry": entry.pk, "files": len(files), "funds": str(entry.funds)},
    )
    audit(actor, entry, AuditAction.CREATED, _("填报项目进展：%(title)s") % {"title": project.title})
    return entry

"""Configuring a drive and drafting its rules, moving it through its phases, attaching its
documents. The rules are adopted with core's `edition_adopt` (date and act); once adopted
core keeps them unchanged (`EditionLocked`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.attachments.services import attachment_store
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_between, snapshot
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition
from gonghui.drives.models import PHASE_DATES, Drive, DriveRules
from gonghui.drives.workflow import DriveWorkflow

DRIVE_FIELDS = ["name", "product", "provider", "description", *PHASE_DATES, "contacts"]
RULE_FIELDS = list(DriveRules.document.fields)


def _split(values: dict) -> tuple[dict, dict]:
    unknown = set(values) - set(DRIVE_FIELDS) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown drive fields: {sorted(unknown)}")
    return (
        {k: v for k, v in values.items() if k in DRIVE_FIELDS},
        {k: v for k, v in values.items() if k in RULE_FIELDS},
    )


def _check(drive: Drive, rules: DriveRules) -> None:
    start, until = drive.registration_from, drive.registration_until
    if start and until and start > until:
        raise ApplicationError(_("报名开始日期不能晚于截止日期"))
    problems = rules.problems()
    if problems:
        raise ApplicationError(problems[0])


def _rules_snapshot(rules: DriveRules) -> dict:
    values = snapshot(rules, RULE_FIELDS)
    values["eligible_categories"] = sorted(rules.eligible_categories.values_list("name", flat=True))
    return values


@transaction.atomic
def drive_create(*, actor: Actor, categories=(), **values) -> Drive:
    """A new drive in preparation with its draft rules. `values` are Drive fields
    (DRIVE_FIELDS) and rule fields (RULE_FIELDS)."""
    permission_require(actor, "drives.add_drive")
    drive_values, rule_values = _split(values)
    drive = Drive(created_by=actor, **drive_values)
    rules = DriveRules(created_by=actor, **rule_values)
    _check(drive, rules)
    drive.save()
    rules.drive = drive
    rules.save()
    rules.eligible_categories.set(categories)
    DriveWorkflow.record(drive, "created", actor)
    audit(actor, drive, AuditAction.CREATED, _("创建参保活动：%(name)s") % {"name": drive.name})
    return drive


@transaction.atomic
def drive_update(*, drive: Drive, actor: Actor, categories=None, **values) -> Drive:
    """Change the drive, and its rules while they are a draft (adopted rules refuse any
    change: core.editions.EditionLocked, nothing written)."""
    permission_require(actor, "drives.change_drive", drive)
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    rules = drive.rules
    drive_values, rule_values = _split(values)
    before = snapshot(drive, DRIVE_FIELDS) | _rules_snapshot(rules)
    for name, value in drive_values.items():
        setattr(drive, name, value)
    changed = {name: value for name, value in rule_values.items() if getattr(rules, name) != value}
    for name, value in changed.items():
        setattr(rules, name, value)
    _check(drive, rules)
    drive.save()
    category_ids = None if categories is None else {c.pk for c in categories}
    if changed or (
        category_ids is not None and category_ids != set(rules.eligible_categories.values_list("pk", flat=True))
    ):
        rules.save()
        if category_ids is not None:
            rules.eligible_categories.set(category_ids)
    changes = changes_between(before, snapshot(drive, DRIVE_FIELDS) | _rules_snapshot(rules))
    if changes:
        audit(actor, drive, AuditAction.UPDATED, _("修改参保活动设置"), changes=changes)
    return drive


def drive_advance(*, drive: Drive, actor: Actor, to_phase: str) -> Drive:
    """Move the drive forward to `to_phase` (DriveWorkflow: forward only, unused phases may
    be skipped; registration opens only under adopted rules)."""
    return transition(DriveWorkflow, drive, to=to_phase, actor=actor)


@transaction.atomic
def drive_document_attach(*, drive: Drive, actor: Actor, kind: str, uploaded_file) -> Drive:
    """Store the leaflet or the terms (PDF or image) through gonghui.attachments."""
    permission_require(actor, "drives.change_drive", drive)
    labels = {"leaflet": _("宣传单"), "terms": _("保险条款")}
    if kind not in labels:
        raise ApplicationError(_("未知的文件类型"))
    attachment = attachment_store(uploaded_file=uploaded_file, uploaded_by=actor, purpose=f"drive_{kind}")
    before = snapshot(drive, [kind])
    setattr(drive, kind, attachment)
    drive.save(update_fields=[kind, "updated_at"])
    message = _("上传%(kind)s：%(name)s") % {"kind": labels[kind], "name": attachment.original_name}
    DriveWorkflow.record(drive, f"document_{kind}", actor, message=message)
    audit(actor, drive, AuditAction.UPDATED, message, changes=changes_between(before, snapshot(drive, [kind])))
    return drive

"""Configuring a drive, moving it through its phases, attaching its documents."""

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.attachments.services import attachment_store
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_record, changes_between, snapshot
from gonghui.drives.choices import DrivePhase
from gonghui.drives.models import Drive, PhaseChange
from gonghui.drives.workflow import PHASE_TRANSITIONS, can_transition

CONFIG_FIELDS = [
    "name",
    "product",
    "provider",
    "price_per_person",
    "description",
    "policy_start",
    "eligible_statuses",
    "eligible_coverage_types",
    "min_age",
    "max_age",
    "relatives_allowed",
    "relative_relationships",
    "group_only_coverage_types",
    "consent_text",
    "research_from",
    "info_sessions_from",
    "survey_from",
    "survey_until",
    "registration_from",
    "registration_until",
    "roster_due",
    "on_site_from",
    "on_site_until",
    "done_on",
    "contacts",
]


def _require(actor, permission: str):
    if not actor.has_perm(permission):
        raise PermissionDenied(_("无权执行此操作"))


def _check_config(values: dict):
    if (
        values.get("min_age") is not None
        and values.get("max_age") is not None
        and values["min_age"] > values["max_age"]
    ):
        raise ApplicationError(_("最低年龄不能高于最高年龄"))
    start, until = values.get("registration_from"), values.get("registration_until")
    if start and until and start > until:
        raise ApplicationError(_("报名开始日期不能晚于截止日期"))
    if values.get("relatives_allowed") and not values.get("relative_relationships"):
        raise ApplicationError(_("允许家属参加时，请选择可参加的家属关系"))


@transaction.atomic
def drive_create(*, actor, categories=(), **values) -> Drive:
    """A new drive in preparation. `values` are Drive fields (CONFIG_FIELDS)."""
    _require(actor, "drives.add_drive")
    unknown = set(values) - set(CONFIG_FIELDS)
    if unknown:
        raise TypeError(f"unknown drive fields: {sorted(unknown)}")
    _check_config(values)
    drive = Drive.objects.create(created_by=actor, **values)
    drive.eligible_categories.set(categories)
    audit_event_record(
        actor=actor, obj=drive, action=AuditAction.CREATED, message=_("创建参保活动：%(name)s") % {"name": drive.name}
    )
    return drive


@transaction.atomic
def drive_update(*, drive: Drive, actor, categories=None, **values) -> Drive:
    """Change the configuration. Eligibility, price and the policy start are fixed once
    registration has opened: registrations were checked against them."""
    _require(actor, "drives.change_drive")
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    locked = {
        "price_per_person",
        "policy_start",
        "eligible_statuses",
        "eligible_coverage_types",
        "min_age",
        "max_age",
        "relatives_allowed",
        "relative_relationships",
        "group_only_coverage_types",
        "consent_text",
    }
    before = snapshot(drive, CONFIG_FIELDS)
    if drive.registrations.exists():
        changed = {name for name in locked if name in values and values[name] != getattr(drive, name)}
        if changed or (
            categories is not None
            and set(c.pk for c in categories) != set(drive.eligible_categories.values_list("pk", flat=True))
        ):
            raise ApplicationError(_("已有报名，参保条件、价格、保障起始日和授权说明不能再修改"))
    merged = {name: getattr(drive, name) for name in CONFIG_FIELDS} | values
    _check_config(merged)
    for name, value in values.items():
        if name not in CONFIG_FIELDS:
            raise TypeError(name)
        setattr(drive, name, value)
    drive.save()
    if categories is not None:
        drive.eligible_categories.set(categories)
    changes = changes_between(before, snapshot(drive, CONFIG_FIELDS))
    if changes:
        audit_event_record(
            actor=actor, obj=drive, action=AuditAction.UPDATED, changes=changes, message=_("修改参保活动设置")
        )
    return drive


@transaction.atomic
def drive_advance(*, drive: Drive, actor, to_phase: str) -> Drive:
    """Move the drive forward to `to_phase` (forward only; phases a drive does not use may
    be skipped). Every move is a PhaseChange row and an audit event."""
    _require(actor, "drives.advance_drive")
    given, drive = drive, Drive.objects.select_for_update().get(pk=drive.pk)
    if not can_transition(PHASE_TRANSITIONS, drive.phase, to_phase):
        raise InvalidTransition(
            _("参保活动处于“%(from)s”阶段，不能转到“%(to)s”")
            % {"from": drive.get_phase_display(), "to": DrivePhase(to_phase).label}
        )
    before = drive.phase
    drive.phase = to_phase
    drive.save(update_fields=["phase", "updated_at"])
    given.phase = to_phase  # the caller's instance follows
    PhaseChange.objects.create(drive=drive, from_phase=before, to_phase=to_phase, by=actor)
    audit_event_record(
        actor=actor,
        obj=drive,
        action=AuditAction.STATUS_CHANGED,
        changes={"phase": [str(DrivePhase(before).label), str(DrivePhase(to_phase).label)]},
        message=_("参保活动进入“%(phase)s”阶段") % {"phase": DrivePhase(to_phase).label},
    )
    return drive


@transaction.atomic
def drive_document_attach(*, drive: Drive, actor, kind: str, uploaded_file) -> Drive:
    """Store the leaflet or the terms (PDF or image) through gonghui.attachments."""
    _require(actor, "drives.change_drive")
    if kind not in ("leaflet", "terms"):
        raise ApplicationError(_("未知的文件类型"))
    attachment = attachment_store(uploaded_file=uploaded_file, uploaded_by=actor, purpose=f"drive_{kind}")
    setattr(drive, kind, attachment)
    drive.save(update_fields=[kind, "updated_at"])
    audit_event_record(
        actor=actor,
        obj=drive,
        action=AuditAction.UPDATED,
        message=_("上传%(kind)s：%(name)s")
        % {"kind": Drive._meta.get_field(kind).verbose_name, "name": attachment.original_name},
    )
    return drive

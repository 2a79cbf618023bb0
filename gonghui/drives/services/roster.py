"""The roster sent to the provider (.xlsx in its template, every version kept). Its new
registrations move to "on roster" in one bulk step (RegistrationWorkflow) and can no longer
be withdrawn. The provider's result comes back through `services.results`.

ID numbers appear in clear only in the roster file; making or downloading it is logged as
AuditAction.EXPORTED_CLEAR. The stored copy of what was sent is Fernet-encrypted."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.crypto import _fernet
from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition_bulk
from gonghui.drives.choices import DrivePhase, RegistrationStatus
from gonghui.drives.models import DriveRegistration, RosterExport
from gonghui.drives.workflow import RegistrationWorkflow

# The provider's roster template (北京普惠健康保 团体投保清单 shape). Column order is the provider's.
ROSTER_HEADERS = [
    "序号",
    "姓名",
    "证件类型",
    "证件号码",
    "性别",
    "出生日期",
    "手机号",
    "医疗类别",
    "与职工关系",
    "职工姓名",
    "职工工号",
    "参保方式",
    "所在分工会",
    "本版新增",
]
ID_COLUMN = 3
ROSTER_STATUSES = [
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ON_ROSTER,
    RegistrationStatus.ENROLLED,
    RegistrationStatus.PAID,
]


def _encrypt_bytes(content: bytes) -> bytes:
    from django.conf import settings

    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(content)


def roster_content(roster: RosterExport) -> bytes:
    from django.conf import settings

    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(bytes(roster.content_encrypted))


@transaction.atomic
def roster_export_create(*, drive, actor: Actor) -> RosterExport:
    """Make the next roster version: every live registration (new ones marked), registered
    ones move to on_roster and can no longer be withdrawn. Returns the stored version."""
    permission_require(actor, "drives.export_roster", drive)
    if drive.phase not in (DrivePhase.REGISTRATION, DrivePhase.ROSTER, DrivePhase.ON_SITE):
        raise ApplicationError(_("当前阶段不能报送名单"))
    drive.__class__.objects.select_for_update().get(pk=drive.pk)  # one version at a time
    lines = list(
        DriveRegistration.objects.filter(drive=drive, status__in=ROSTER_STATUSES)
        .select_related("person", "person__sub_union")
        .order_by("person__sub_union__sort_key", "person_id", "id")
    )
    if not lines:
        raise ApplicationError(_("没有可报送的报名"))
    version = (drive.rosters.aggregate(v=Max("version"))["v"] or 0) + 1
    new = [r for r in lines if r.status == RegistrationStatus.REGISTERED]
    rows = []
    for index, r in enumerate(lines, start=1):
        rows.append(
            [
                index,
                r.name,
                "居民身份证",
                r.id_number_clear(),
                r.get_gender_display(),
                r.birth_date,
                r.phone,
                r.get_coverage_type_display(),
                r.get_relationship_display(),
                r.person.name,
                r.person.staff_no,
                r.get_channel_display(),
                r.person.sub_union.name,
                "是" if r.status == RegistrationStatus.REGISTERED else "",
            ]
        )
    content = xlsx_bytes(headers=ROSTER_HEADERS, rows=rows, sheet_title="参保名单", text_columns={ID_COLUMN, 6})
    file_name = f"{drive.name}-报送名单-v{version}-{timezone.localdate():%Y%m%d}.xlsx"
    roster = RosterExport.objects.create(
        drive=drive,
        version=version,
        created_by=actor,
        line_count=len(lines),
        new_count=len(new),
        file_name=file_name,
        content_encrypted=_encrypt_bytes(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    DriveRegistration.objects.filter(pk__in=[r.pk for r in new]).update(first_roster=roster)
    transition_bulk(
        RegistrationWorkflow,
        DriveRegistration.objects.filter(first_roster=roster),
        to=RegistrationStatus.ON_ROSTER,
        actor=actor,
        message=_("报送名单第 %(version)d 版") % {"version": version},
        parameters={"roster": roster.pk},
    )
    audit(
        actor,
        roster,
        AuditAction.EXPORTED_CLEAR,
        _("报送名单第 %(version)d 版（%(count)d 人，含明文身份证号）") % {"version": version, "count": len(lines)},
        changes=changes_of(**{"version": version, "lines": len(lines), "new": len(new), "sha256": roster.sha256}),
    )
    return roster


def roster_download_record(*, roster: RosterExport, actor: Actor) -> bytes:
    """The stored file, once more; logged as a clear export."""
    permission_require(actor, "drives.export_roster", roster.drive)
    audit(
        actor,
        roster,
        AuditAction.EXPORTED_CLEAR,
        _("下载报送名单第 %(version)d 版（含明文身份证号）") % {"version": roster.version},
    )
    return roster_content(roster)

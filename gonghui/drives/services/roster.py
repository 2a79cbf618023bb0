"""The roster sent to the provider (.xlsx in its template, every version kept) and the
provider's result, line by line (enrolled with a policy number, paid, rejected with a reason).

ID numbers appear in clear only in the roster file; making or downloading it is logged as
AuditAction.EXPORTED_CLEAR. The stored copy of what was sent is Fernet-encrypted."""

import hashlib
import io

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.crypto import _fernet, keyed_digest
from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError, ImportFileError, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_record, changes_of
from gonghui.drives.choices import DrivePhase, RegistrationStatus, ResultOutcome
from gonghui.drives.models import DriveRegistration, ProviderResultImport, ProviderResultLine, RosterExport
from gonghui.drives.services.registrations import registration_transition
from gonghui.drives.workflow import REGISTRATION_TRANSITIONS, can_transition
from gonghui.people.idnumbers import id_number_normalise

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

# Result file headers (any order); several spellings accepted.
RESULT_HEADERS = {
    "id_number": ("证件号码", "身份证号", "身份证号码"),
    "name": ("姓名", "被保险人姓名"),
    "outcome": ("结果", "参保结果", "状态"),
    "policy_no": ("保单号", "保单号码"),
    "reason": ("原因", "未通过原因", "备注"),
}
OUTCOME_WORDS = {
    "参保成功": ResultOutcome.ENROLLED,
    "成功": ResultOutcome.ENROLLED,
    "enrolled": ResultOutcome.ENROLLED,
    "已缴费": ResultOutcome.PAID,
    "缴费成功": ResultOutcome.PAID,
    "paid": ResultOutcome.PAID,
    "未通过": ResultOutcome.REJECTED,
    "失败": ResultOutcome.REJECTED,
    "拒保": ResultOutcome.REJECTED,
    "rejected": ResultOutcome.REJECTED,
}


def _encrypt_bytes(content: bytes) -> bytes:
    from django.conf import settings

    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(content)


def roster_content(roster: RosterExport) -> bytes:
    from django.conf import settings

    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(bytes(roster.content_encrypted))


@transaction.atomic
def roster_export_create(*, drive, actor) -> RosterExport:
    """Make the next roster version: every live registration (new ones marked), registered
    ones move to on_roster and can no longer be withdrawn. Returns the stored version."""
    if not actor.has_perm("drives.export_roster"):
        raise PermissionDenied(_("无权报送名单"))
    if drive.phase not in (DrivePhase.REGISTRATION, DrivePhase.ROSTER, DrivePhase.ON_SITE):
        raise ApplicationError(_("当前阶段不能报送名单"))
    drive.__class__.objects.select_for_update().get(pk=drive.pk)  # one version at a time
    lines = list(
        DriveRegistration.objects.filter(drive=drive, status__in=ROSTER_STATUSES)
        .select_related("person", "person__sub_union")
        .order_by("person__sub_union__name_pinyin", "person_id", "id")
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
    DriveRegistration.objects.filter(pk__in=[r.pk for r in new]).update(
        status=RegistrationStatus.ON_ROSTER, first_roster=roster, updated_at=timezone.now()
    )
    audit_event_record(
        actor=actor,
        obj=roster,
        action=AuditAction.EXPORTED_CLEAR,
        changes=changes_of(**{"version": version, "lines": len(lines), "new": len(new), "sha256": roster.sha256}),
        message=_("报送名单第 %(version)d 版（%(count)d 人，含明文身份证号）")
        % {"version": version, "count": len(lines)},
    )
    return roster


def roster_download_record(*, roster: RosterExport, actor) -> bytes:
    """The stored file, once more; logged as a clear export."""
    if not actor.has_perm("drives.export_roster"):
        raise PermissionDenied(_("无权下载报送名单"))
    audit_event_record(
        actor=actor,
        obj=roster,
        action=AuditAction.EXPORTED_CLEAR,
        message=_("下载报送名单第 %(version)d 版（含明文身份证号）") % {"version": roster.version},
    )
    return roster_content(roster)


def _read_result_rows(content: bytes) -> list[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("无法读取文件：请上传 Excel（.xlsx）文件")) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise ImportFileError(_("文件为空"))
    names = [str(h or "").strip() for h in header]
    positions = {}
    for key, spellings in RESULT_HEADERS.items():
        for index, text in enumerate(names):
            if text in spellings:
                positions[key] = index
                break
    missing = [RESULT_HEADERS[k][0] for k in ("id_number", "name", "outcome") if k not in positions]
    if missing:
        raise ImportFileError(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    result = []
    for row_no, row in enumerate(rows, start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        values = {
            key: str(row[i]).strip() if i < len(row) and row[i] is not None else "" for key, i in positions.items()
        }
        result.append((row_no, values))
    book.close()
    return result


def result_check(*, drive, content: bytes) -> tuple[list[dict], list[dict]]:
    """Match each line to a registration sent to the provider. Returns (planned, problems):
    planned [{row, registration, outcome, policy_no, reason, changed}], problems [{row, name, reason}]."""
    sent = {
        r.id_number_digest: r
        for r in DriveRegistration.objects.filter(drive=drive, first_roster__isnull=False).exclude(
            status=RegistrationStatus.WITHDRAWN
        )
    }
    planned, problems, seen = [], [], set()
    for row_no, values in _read_result_rows(content):
        name = values.get("name", "")

        def refuse(reason, row_no=row_no, name=name):
            problems.append({"row": row_no, "name": name, "reason": str(reason)})

        number = id_number_normalise(values.get("id_number", ""))
        registration = sent.get(keyed_digest(number)) if number else None
        if registration is None:
            refuse(_("与报送名单中的任何人都不匹配"))
            continue
        if registration.name != name:
            refuse(_("姓名与报送名单不一致（名单中为 %(name)s）") % {"name": registration.name})
            continue
        if registration.pk in seen:
            refuse(_("同一人在文件中出现多次"))
            continue
        seen.add(registration.pk)
        outcome = OUTCOME_WORDS.get(values.get("outcome", "").strip().lower()) or OUTCOME_WORDS.get(
            values.get("outcome", "").strip()
        )
        if outcome is None:
            refuse(_("无法识别的结果：%(value)s") % {"value": values.get("outcome", "")})
            continue
        policy_no, reason = values.get("policy_no", ""), values.get("reason", "")
        if outcome in (ResultOutcome.ENROLLED, ResultOutcome.PAID) and not (policy_no or registration.policy_no):
            refuse(_("参保成功须有保单号"))
            continue
        if outcome == ResultOutcome.REJECTED and not reason:
            refuse(_("未通过须注明原因"))
            continue
        target = {
            ResultOutcome.ENROLLED: RegistrationStatus.ENROLLED,
            ResultOutcome.PAID: RegistrationStatus.PAID,
            ResultOutcome.REJECTED: RegistrationStatus.REJECTED,
        }[outcome]
        changed = registration.status != target or (policy_no and policy_no != registration.policy_no)
        if registration.status != target and not can_transition(REGISTRATION_TRANSITIONS, registration.status, target):
            refuse(
                _("报名状态为“%(from)s”，不能变为“%(to)s”")
                % {"from": registration.get_status_display(), "to": RegistrationStatus(target).label}
            )
            continue
        planned.append(
            {
                "row": row_no,
                "registration": registration,
                "outcome": outcome,
                "target": target,
                "policy_no": policy_no or registration.policy_no,
                "reason": reason,
                "changed": bool(changed),
            }
        )
    return planned, problems


@transaction.atomic
def result_import(*, drive, actor, content: bytes, file_name: str) -> ProviderResultImport:
    """Apply the provider's result. A file with any line that matches nobody (or is
    otherwise wrong) is refused whole, with every such line listed, and nothing is written.
    Importing the same file again changes nothing (lines are marked unchanged)."""
    if not actor.has_perm("drives.import_result"):
        raise PermissionDenied(_("无权导入结果"))
    planned, problems = result_check(drive=drive, content=content)
    if problems:
        raise ApplicationError(
            _("结果文件有 %(count)d 行无法导入，未做任何修改") % {"count": len(problems)},
            extra={"problems": problems},
        )
    if not planned:
        raise ImportFileError(_("文件中没有结果行"))
    counts = {outcome: 0 for outcome in ResultOutcome.values} | {"unchanged": 0}
    result = ProviderResultImport.objects.create(drive=drive, file_name=file_name[:200], imported_by=actor)
    lines = []
    for item in planned:
        registration = item["registration"]
        lines.append(
            ProviderResultLine(
                result=result,
                row_no=item["row"],
                registration=registration,
                outcome=item["outcome"],
                policy_no=item["policy_no"],
                reason=item["reason"],
                changed=item["changed"],
            )
        )
        if not item["changed"]:
            counts["unchanged"] += 1
            continue
        counts[item["outcome"]] += 1
        fields = {
            "policy_no": item["policy_no"],
            "reject_reason": item["reason"] if item["target"] == RegistrationStatus.REJECTED else "",
        }
        if registration.status == item["target"]:
            for name, value in fields.items():
                setattr(registration, name, value)
            registration.save()
            continue
        registration_transition(
            registration=registration,
            actor=actor,
            to_status=item["target"],
            message=_("承办机构结果：%(outcome)s") % {"outcome": ResultOutcome(item["outcome"]).label},
            **fields,
        )
    ProviderResultLine.objects.bulk_create(lines)
    result.counts = counts
    result.save(update_fields=["counts"])
    audit_event_record(
        actor=actor,
        obj=result,
        action=AuditAction.IMPORTED,
        changes=changes_of(**counts),
        message=_("导入承办机构结果：%(name)s") % {"name": file_name},
    )
    return result

"""Rosters filed with the insurer and its acceptance file (DOMAIN §3.2, §4.3, §4.7).

A roster version lists every enrollment not yet filed; the .xlsx in the insurer's template is
the only place ID numbers appear in clear, and every download is logged (exported_clear).
The acceptance file is read into a preview (accepted / rejected with reason / lines that
match nobody / invalid lines) and written only on confirmation, in one transaction.
"""

import os

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.crypto import keyed_digest, mask_id_number
from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.core.history import AuditAction, audit_event_record, changes_of
from gonghui.core.models import Job, JobStatus
from gonghui.core.tabular import cell_text, table_read
from gonghui.insurance.choices import EnrollmentStatus, RosterLineResult
from gonghui.insurance.models import PlanEdition, PlanEnrollment, RosterExport, RosterLine
from gonghui.insurance.services.editions import require
from gonghui.people.idnumbers import id_number_normalise

ROSTER_HEADERS = [
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "出生日期",
    "份数",
    "保费",
    "工号",
    "分工会",
    "保障起始日",
    "保障截止日",
]
ID_COLUMN = 3
ACCEPTANCE_KIND = "insurance.acceptance"
RESULT_MAX_BYTES = 10 * 1024 * 1024
ACCEPT_WORDS = {"承保", "接受", "通过", "已承保", "同意", "accepted"}
REJECT_WORDS = {"拒保", "拒绝", "不予承保", "未承保", "不通过", "rejected"}


@transaction.atomic
def roster_export_create(*, actor, edition: PlanEdition) -> RosterExport:
    """A new roster version with every enrollment of `edition` not yet filed; they are now
    on the roster, awaiting the insurer's answer."""
    require(actor, "insurance.add_rosterexport")
    edition = PlanEdition.objects.select_for_update().select_related("plan").get(pk=edition.pk)
    pending = list(
        PlanEnrollment.objects.select_for_update(of=("self",))
        .filter(edition=edition, status=EnrollmentStatus.ENROLLED)
        .order_by("sub_union_id", "person__name_pinyin", "person_id")
        .values_list("pk", flat=True)
    )
    if not pending:
        raise ApplicationError(_("%(plan)s 没有待报送的参保人员") % {"plan": edition.plan.name})
    version = (edition.rosters.aggregate(v=Max("version"))["v"] or 0) + 1
    roster = RosterExport.objects.create(edition=edition, version=version, created_by=actor)
    RosterLine.objects.bulk_create(
        (RosterLine(roster=roster, enrollment_id=pk, seq=seq) for seq, pk in enumerate(pending, start=1)),
        batch_size=5000,
    )
    PlanEnrollment.objects.filter(pk__in=pending).update(status=EnrollmentStatus.ON_ROSTER)
    audit_event_record(
        actor=actor,
        obj=roster,
        action=AuditAction.CREATED,
        message=_("%(plan)s 参保名单第 %(version)s 版：%(count)s 人")
        % {"plan": edition.plan.name, "version": version, "count": len(pending)},
        changes=changes_of(**{"lines": len(pending)}),
    )
    return roster


def roster_xlsx(*, actor, roster: RosterExport) -> bytes:
    """The roster in the insurer's template, ID numbers in clear (text cells). Logged."""
    require(actor, "insurance.add_rosterexport")
    lines = roster.lines.select_related("enrollment__person", "enrollment__sub_union").order_by("seq")
    rows = []
    for line in lines:
        enrollment, person = line.enrollment, line.enrollment.person
        rows.append(
            [
                line.seq,
                person.name,
                person.get_gender_display(),
                person.id_number_clear(),
                person.birth_date,
                enrollment.shares,
                f"{enrollment.premium:.2f}",
                person.staff_no,
                enrollment.sub_union.name,
                enrollment.starts_on,
                enrollment.ends_on,
            ]
        )
    data = xlsx_bytes(headers=ROSTER_HEADERS, rows=rows, sheet_title=roster.edition.plan.name, text_columns={ID_COLUMN})
    audit_event_record(
        actor=actor,
        obj=roster,
        action=AuditAction.EXPORTED_CLEAR,
        message=_("导出参保名单（含明文身份证号）：%(plan)s 第 %(version)s 版，%(count)s 人")
        % {"plan": roster.edition.plan.name, "version": roster.version, "count": len(rows)},
        changes=changes_of(**{"count": len(rows)}),
    )
    return data


def roster_filename(roster: RosterExport) -> str:
    return _("%(plan)s参保名单_%(start)s_第%(version)s版.xlsx") % {
        "plan": roster.edition.plan.name,
        "start": roster.edition.start_date.isoformat(),
        "version": roster.version,
    }


# --- the insurer's acceptance file -----------------------------------------------------------


def acceptance_classify(*, roster: RosterExport, data: bytes, filename: str) -> dict:
    """Read the insurer's answer: columns 身份证号 and 结果 (承保 / 拒保), 原因 for a
    rejection, 姓名 optional; headers in any order. Writes nothing."""
    table = [
        [cell_text(v) for v in row] for row in table_read(data=data, filename=filename, max_bytes=RESULT_MAX_BYTES)
    ]
    table = [row for row in table if any(row)]
    if not table:
        raise ImportFileError(_("文件是空的"))
    header = table[0]
    index = {name: header.index(name) for name in header if name}
    reason_column = next((index[n] for n in ("原因", "拒保原因", "备注") if n in index), None)
    missing = [n for n in ("身份证号", "结果") if n not in index]
    if missing:
        raise ImportFileError(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    lines = {
        line.enrollment.person.id_number_digest: line for line in roster.lines.select_related("enrollment__person")
    }
    seen: dict[str, int] = {}
    out = {"accepted": [], "rejected": [], "unmatched": [], "invalid": []}
    rows = []
    for number, row in enumerate(table[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        raw_id = id_number_normalise(row[index["身份证号"]])
        name = row[index["姓名"]] if "姓名" in index else ""
        word = row[index["结果"]]
        reason = row[reason_column] if reason_column is not None else ""
        item = {"row": number, "name": name, "id_masked": mask_id_number(raw_id), "reason": reason}
        digest = keyed_digest(raw_id) if raw_id else ""
        rows.append((item, digest, word))
        if digest:
            seen[digest] = seen.get(digest, 0) + 1
    for item, digest, word in rows:
        if not digest:
            out["invalid"].append({**item, "reason": _("缺少身份证号")})
        elif seen[digest] > 1:
            out["invalid"].append({**item, "reason": _("身份证号在文件中重复出现")})
        elif digest not in lines:
            out["unmatched"].append({**item, "reason": _("本名单中没有此身份证号")})
        elif word in ACCEPT_WORDS:
            out["accepted"].append({**item, "line": lines[digest].pk, "reason": ""})
        elif word in REJECT_WORDS:
            if not item["reason"]:
                out["invalid"].append({**item, "reason": _("拒保须注明原因")})
            else:
                out["rejected"].append({**item, "line": lines[digest].pk})
        else:
            out["invalid"].append({**item, "reason": _("无法识别的结果：%(word)s") % {"word": word or "—"}})
    out["counts"] = {key: len(out[key]) for key in ("accepted", "rejected", "unmatched", "invalid")}
    out["not_answered"] = len(lines) - out["counts"]["accepted"] - out["counts"]["rejected"]
    return out


@transaction.atomic
def acceptance_preview(*, actor, roster: RosterExport, data: bytes, filename: str) -> Job:
    """Classify the file and keep the outcome as a preview to confirm (nothing else written)."""
    require(actor, "insurance.add_rosterexport")
    classified = acceptance_classify(roster=roster, data=data, filename=filename)
    return Job.objects.create(
        kind=ACCEPTANCE_KIND,
        title=_("承保回执：%(plan)s 第 %(version)s 版") % {"plan": roster.edition.plan.name, "version": roster.version},
        created_by=actor,
        parameters={"roster": roster.pk, "file": os.path.basename(filename)[:200]},
        result=classified,
        progress_total=sum(classified["counts"].values()),
    )


def acceptance_confirm(*, actor, preview: Job) -> dict:
    """Write the previewed answers in one transaction: accepted lines and their enrollments,
    rejected ones with the insurer's reason. A preview is confirmed once."""
    require(actor, "insurance.add_rosterexport")
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=preview.pk, kind=ACCEPTANCE_KIND)
        if job.status != JobStatus.QUEUED:
            raise ApplicationError(_("该回执已确认过，不会重复导入"))
        roster = RosterExport.objects.select_related("edition__plan").get(pk=job.parameters["roster"])
        answers = [(r, RosterLineResult.ACCEPTED) for r in job.result["accepted"]]
        answers += [(r, RosterLineResult.REJECTED) for r in job.result["rejected"]]
        lines = {
            line.pk: line
            for line in RosterLine.objects.select_for_update(of=("self",))
            .select_related("enrollment")
            .filter(roster=roster, pk__in=[r["line"] for r, _result in answers])
        }
        changed_lines, changed_enrollments = [], []
        for row, result in answers:
            line = lines.get(row["line"])
            if line is None:
                continue
            line.result, line.reason = result, row["reason"] if result == RosterLineResult.REJECTED else ""
            changed_lines.append(line)
            enrollment = line.enrollment
            if enrollment.status in (EnrollmentStatus.ON_ROSTER, EnrollmentStatus.ACCEPTED, EnrollmentStatus.REJECTED):
                if result == RosterLineResult.ACCEPTED:
                    enrollment.status, enrollment.rejection_reason = EnrollmentStatus.ACCEPTED, ""
                else:
                    enrollment.status, enrollment.rejection_reason = EnrollmentStatus.REJECTED, line.reason
                changed_enrollments.append(enrollment)
        RosterLine.objects.bulk_update(changed_lines, ["result", "reason"], batch_size=2000)
        PlanEnrollment.objects.bulk_update(changed_enrollments, ["status", "rejection_reason"], batch_size=2000)
        now = timezone.now()
        roster.result_imported_at = now
        roster.save(update_fields=["result_imported_at"])
        outcome = {
            "accepted": len(job.result["accepted"]),
            "rejected": len(job.result["rejected"]),
            "unmatched": len(job.result["unmatched"]),
            "invalid": len(job.result["invalid"]),
        }
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.SUCCEEDED,
            started_at=now,
            finished_at=now,
            progress_done=job.progress_total,
            parameters={**job.parameters, "outcome": outcome},
        )
        audit_event_record(
            actor=actor,
            obj=roster,
            action=AuditAction.IMPORTED,
            message=_("导入承保回执：承保 %(accepted)s 人，拒保 %(rejected)s 人，未匹配 %(unmatched)s 行") % outcome,
            changes=changes_of(**outcome),
        )
    return outcome

"""Rosters filed with the insurer and its acceptance file (DOMAIN §3.2, §4.3, §4.7).

A roster version lists every enrollment not yet filed and moves them onto the roster in one
bulk step; the .xlsx in the insurer's template is the only place ID numbers appear in clear,
and every download is logged (exported_clear). The insurer's acceptance file is a core
import (`AcceptanceImport`): read into a preview record (accepted / rejected with reason /
lines that match nobody / invalid lines), written only on confirmation — once, in one
transaction, each answer a bulk step of the enrollments' workflow. An answer that differs
from one the insurer gave before is the declared correction step (更正承保结果), with its
reason, never a silent change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.crypto import keyed_digest, mask_id_number
from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.imports import ImportKind, import_kind_register, preview_bytes
from gonghui.core.models import ImportPreview
from gonghui.core.service_kit import audit
from gonghui.core.tabular import ReadLimits, Table, table_read
from gonghui.core.workflow import transition_bulk
from gonghui.insurance.choices import EnrollmentStatus, RosterLineResult
from gonghui.insurance.models import PlanEdition, PlanEnrollment, RosterExport, RosterLine
from gonghui.insurance.workflow import CORRECTION, EnrollmentWorkflow
from gonghui.people.idnumbers import id_number_normalise

ROSTER = "insurance.add_rosterexport"
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


@transaction.atomic
def roster_export_create(*, actor: Actor, edition: PlanEdition) -> RosterExport:
    """A new roster version with every enrollment of `edition` not yet filed; they are now
    on the roster (one bulk step), awaiting the insurer's answer."""
    permission_require(actor, ROSTER)
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
    transition_bulk(
        EnrollmentWorkflow,
        PlanEnrollment.objects.filter(pk__in=pending),
        to=EnrollmentStatus.ON_ROSTER,
        actor=actor,
        message=_("%(plan)s 参保名单第 %(version)s 版") % {"plan": edition.plan.name, "version": version},
        parameters={"roster": roster.pk, "version": version},
    )
    audit(
        actor,
        roster,
        AuditAction.CREATED,
        _("%(plan)s 参保名单第 %(version)s 版：%(count)s 人")
        % {"plan": edition.plan.name, "version": version, "count": len(pending)},
        changes=changes_of(**{"lines": len(pending)}),
    )
    return roster


def roster_xlsx(*, actor: Actor, roster: RosterExport) -> bytes:
    """The roster in the insurer's template, ID numbers in clear (text cells). Logged."""
    permission_require(actor, ROSTER, roster)
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
                enrollment.premium,
                person.staff_no,
                enrollment.sub_union.name,
                enrollment.starts_on,
                enrollment.ends_on,
            ]
        )
    data = xlsx_bytes(headers=ROSTER_HEADERS, rows=rows, sheet_title=roster.edition.plan.name, text_columns={ID_COLUMN})
    audit(
        actor,
        roster,
        AuditAction.EXPORTED_CLEAR,
        _("导出参保名单（含明文身份证号）：%(plan)s 第 %(version)s 版，%(count)s 人")
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

COLUMNS = {
    "id_number": ("身份证号", "证件号码"),
    "result": ("结果", "承保结果"),
    "reason": ("原因", "拒保原因", "备注"),
    "name": ("姓名",),
}
ACCEPT_WORDS = {"承保", "接受", "通过", "已承保", "同意", "accepted"}
REJECT_WORDS = {"拒保", "拒绝", "不予承保", "未承保", "不通过", "rejected"}
OUTCOMES = ("accepted", "rejected", "unmatched", "invalid")


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return row[index] if index is not None and index < len(row) else ""


def acceptance_classify(*, roster: RosterExport, data: bytes, filename: str, limits: ReadLimits) -> dict:
    """Read the insurer's answer: columns 身份证号 and 结果 (承保 / 拒保), 原因 for a
    rejection, 姓名 optional; headers in any order. Writes nothing; keeps masked ID numbers only."""
    table = Table.of(table_read(data=data, filename=filename, limits=limits))
    columns = table.columns(COLUMNS, required=("id_number", "result"))
    lines = {
        line.enrollment.person.id_number_digest: line for line in roster.lines.select_related("enrollment__person")
    }
    rows = []
    seen: dict[str, int] = defaultdict(int)
    for number, row in table.rows:
        raw_id = id_number_normalise(_cell(row, columns, "id_number"))
        item = {
            "row": number,
            "name": _cell(row, columns, "name"),
            "id_masked": mask_id_number(raw_id),
            "reason": _cell(row, columns, "reason"),
        }
        digest = keyed_digest(raw_id) if raw_id else ""
        rows.append((item, digest, _cell(row, columns, "result")))
        seen[digest] += 1
    out: dict[str, list[dict]] = {key: [] for key in OUTCOMES}
    for item, digest, word in rows:
        if not digest:
            out["invalid"].append({**item, "reason": _("缺少身份证号")})
        elif seen[digest] > 1:
            out["invalid"].append({**item, "reason": _("身份证号在文件中重复出现")})
        elif digest not in lines:
            out["unmatched"].append({**item, "reason": _("本名单中没有此身份证号")})
        elif word in ACCEPT_WORDS:
            out["accepted"].append({**item, "line": lines[digest].pk, "reason": ""})
        elif word not in REJECT_WORDS:
            out["invalid"].append({**item, "reason": _("无法识别的结果：%(word)s") % {"word": word or "—"}})
        elif not item["reason"]:
            out["invalid"].append({**item, "reason": _("拒保须注明原因")})
        else:
            out["rejected"].append({**item, "line": lines[digest].pk})
    counts = {key: len(out[key]) for key in OUTCOMES}
    return {
        **out,
        "counts": counts,
        "not_answered": len(lines) - counts["accepted"] - counts["rejected"],
        "roster": roster.pk,
        "title": _("承保回执：%(plan)s 第 %(version)s 版")
        % {"plan": roster.edition.plan.name, "version": roster.version},
    }


def _answer_step(status: str, result: str, reason: str) -> str | None:
    """The message of the step an answer takes an enrollment by (None: no step)."""
    if result == RosterLineResult.ACCEPTED:
        if status == EnrollmentStatus.ON_ROSTER:
            return ""
        if status == EnrollmentStatus.REJECTED:
            return _("%(correction)s：承保") % {"correction": CORRECTION}
    else:
        if status == EnrollmentStatus.ON_ROSTER:
            return reason
        if status == EnrollmentStatus.ACCEPTED:
            return _("%(correction)s：%(reason)s") % {"correction": CORRECTION, "reason": reason}
    return None  # already so, or no longer on cover (ended): the roster line keeps the answer


def acceptance_apply(*, preview: ImportPreview, actor: Actor) -> dict:
    """Write the previewed answers: the roster lines, and each enrollment's step — accepted,
    rejected with the insurer's reason, or a correction of an earlier answer — in bulk, one
    step per reason. Runs inside the import's transaction."""
    roster = RosterExport.objects.select_for_update().select_related("edition__plan").get(pk=int(preview.target))
    summary = preview.summary
    answers = [(r, RosterLineResult.ACCEPTED) for r in summary["accepted"]]
    answers += [(r, RosterLineResult.REJECTED) for r in summary["rejected"]]
    lines = {
        line.pk: line
        for line in RosterLine.objects.select_for_update(of=("self",))
        .select_related("enrollment")
        .filter(roster=roster, pk__in=[r["line"] for r, _result in answers])
    }
    changed_lines = []
    steps: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # (target, message, reason) → enrollments
    for row, result in answers:
        line = lines.get(row["line"])
        if line is None:
            continue
        line.result, line.reason = result, row["reason"] if result == RosterLineResult.REJECTED else ""
        changed_lines.append(line)
        enrollment = line.enrollment
        message = _answer_step(enrollment.status, result, line.reason)
        if message is not None:
            steps[(str(result), message, line.reason)].append(enrollment.pk)
        elif enrollment.status == result == EnrollmentStatus.REJECTED and enrollment.rejection_reason != line.reason:
            PlanEnrollment.objects.filter(pk=enrollment.pk).update(rejection_reason=line.reason)
    RosterLine.objects.bulk_update(changed_lines, ["result", "reason"], batch_size=2000)
    corrected = 0
    parameters = {"roster": roster.pk, "version": roster.version, "import": preview.pk}
    for (target, message, reason), ids in steps.items():
        enrollments = PlanEnrollment.objects.filter(pk__in=ids)
        moved = transition_bulk(
            EnrollmentWorkflow, enrollments, to=target, actor=actor, message=message, parameters=parameters
        )
        corrected += moved.by_source.get(EnrollmentStatus.ACCEPTED, 0) + moved.by_source.get(
            EnrollmentStatus.REJECTED, 0
        )
        enrollments.update(rejection_reason=reason)
    roster.result_imported_at = timezone.now()
    roster.save(update_fields=["result_imported_at"])
    outcome = {key: len(summary[key]) for key in OUTCOMES}
    outcome["corrected"] = corrected
    audit(
        actor,
        roster,
        AuditAction.IMPORTED,
        _("导入承保回执：承保 %(accepted)s 人，拒保 %(rejected)s 人，未匹配 %(unmatched)s 行，更正 %(corrected)s 人")
        % outcome,
        changes=changes_of(**outcome),
    )
    return outcome


@import_kind_register
class AcceptanceImport(ImportKind):
    """The insurer's acceptance file for one roster (the preview's target)."""

    name = "insurance.acceptance"
    title = gettext_lazy("承保回执")  # type: ignore[assignment]
    permission = ROSTER
    limits = ReadLimits(max_bytes=10 * 1024 * 1024, max_rows=100_000, max_columns=32, max_cell_chars=200)

    def classify(self, preview: ImportPreview) -> dict:
        roster = RosterExport.objects.select_related("edition__plan").get(pk=int(preview.target))
        return acceptance_classify(
            roster=roster, data=preview_bytes(preview), filename=preview.original_name, limits=self.limits
        )

    def apply(self, preview: ImportPreview, *, actor: Actor, progress: Callable[[int, int], None]) -> dict:
        return acceptance_apply(preview=preview, actor=actor)

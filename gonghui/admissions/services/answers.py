"""The school's answer list (录取名单), line by line, as a core import (`gonghui.core.imports`).

Columns, Chinese headers in any order: 申请编号 (or 子女姓名 + 出生日期), 结果 (录取 / 未录取),
学校 (the school that placed the child: the intended one by default, or the alternative),
备注. Each line is matched to a request of the campaign that was referred to a school
(`classify`: the counts — placed, not placed, unchanged — and every invalid line with its row
and reason are shown before anything is written). A file with any invalid line cannot be
confirmed: it is refused whole. Confirmed, every answer is recorded in one transaction
through the request workflow (source: the school's list); importing the same file again
changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor, permission_require
from gonghui.admissions.choices import AnswerSource, RequestStatus
from gonghui.admissions.models import AdmissionRequest, Campaign, School
from gonghui.admissions.selectors.children import child_label
from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.imports import ImportKind, Upload, import_confirm, import_kind_register, import_start, preview_bytes
from gonghui.core.models import ImportPreview
from gonghui.core.service_kit import audit
from gonghui.core.tabular import ReadLimits, Table, table_read

KIND = "admissions.school_answers"

ANSWER_HEADERS = {
    "number": ("申请编号", "编号"),
    "name": ("子女姓名", "姓名", "学生姓名"),
    "birth_date": ("出生日期", "出生年月日"),
    "outcome": ("结果", "录取结果", "是否录取"),
    "school": ("学校", "录取学校"),
    "note": ("备注", "说明"),
}
PLACED_WORDS = {"录取", "已录取", "是", "placed"}
NOT_PLACED_WORDS = {"未录取", "不录取", "否", "not placed", "not_placed"}
# The states a request's answer may come to: referred, or answered already (unchanged).
ANSWERABLE = (RequestStatus.REFERRED, RequestStatus.PLACED, RequestStatus.NOT_PLACED)


def _lines(preview: ImportPreview, limits: ReadLimits) -> list[tuple[int, dict]]:
    table = Table.of(table_read(data=preview_bytes(preview), filename=preview.original_name, limits=limits))
    columns = table.columns(ANSWER_HEADERS, required=("outcome",))
    if "number" not in columns and not ("name" in columns and "birth_date" in columns):
        raise ImportFileError(_("缺少列：申请编号（或子女姓名和出生日期）"))
    return [
        (number, {key: (row[index] if index < len(row) else "").strip() for key, index in columns.items()})
        for number, row in table.rows
    ]


def _date(text: str) -> datetime.date | None:
    text = (text or "").strip().replace("/", "-").replace(".", "-")
    text = text.replace("年", "-").replace("月", "-").replace("日", "")
    try:
        year, month, day = (int(part) for part in text.split(" ")[0].split("-")[:3])
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        return None


def _outcome(word: str) -> bool | None:
    word = (word or "").strip().lower()
    if word in PLACED_WORDS:
        return True
    if word in NOT_PLACED_WORDS:
        return False
    return None


def answers_check(*, campaign: Campaign, lines: list[tuple[int, dict]]) -> tuple[list[dict], list[dict]]:
    """Match each line to a referred request of the campaign. Returns (planned, problems):
    planned [{row, request, number, placed, school, note, changed}], problems [{row, name,
    reason}] (the child's name masked)."""
    requests = list(
        AdmissionRequest.objects.filter(campaign=campaign, status__in=ANSWERABLE).select_related(
            "child", "school", "alternative", "placed_school"
        )
    )
    by_number = {r.number: r for r in requests}
    by_child: dict[tuple[str, datetime.date], list[AdmissionRequest]] = {}
    for r in requests:
        by_child.setdefault((r.child.name, r.child.birth_date), []).append(r)
    schools = {s.name: s for s in School.objects.all()} | {s.code: s for s in School.objects.all()}
    planned: list[dict] = []
    problems: list[dict] = []
    seen: set[int] = set()
    for row_no, values in lines:
        name = values.get("name", "")
        number = values.get("number", "")
        request: AdmissionRequest | None = None
        problem = ""
        if number:
            request = by_number.get(number)
            if request is None:
                problem = _("申请编号 %(number)s 与本年度报送学校的申请都不匹配") % {"number": number}
        else:
            born = _date(values.get("birth_date", ""))
            if not name or born is None:
                problem = _("缺少申请编号，也没有子女姓名和出生日期")
            else:
                found = by_child.get((name, born), [])
                if not found:
                    problem = _("与本年度报送学校的申请都不匹配")
                elif len(found) > 1:
                    problem = _("姓名和出生日期对应多份申请，请填写申请编号")
                else:
                    request = found[0]
        placed = _outcome(values.get("outcome", ""))
        school = None
        if not problem and request is not None:
            if request.pk in seen:
                problem = _("同一申请在文件中出现多次")
            elif name and request.child.name != name:
                problem = _("子女姓名与申请不一致（申请中为 %(name)s）") % {"name": child_label(request.child)}
            elif placed is None:
                problem = _("无法识别的结果：%(value)s（应为“录取”或“未录取”）") % {"value": values.get("outcome", "")}
            elif placed:
                school_text = values.get("school", "")
                school = schools.get(school_text) if school_text else request.school
                if school is None or school.pk not in (request.school_id, request.alternative_id):
                    problem = _("录取学校“%(school)s”不是该申请的意向学校或备选学校") % {"school": school_text}
            if not problem and request.status != RequestStatus.REFERRED:
                already = request.status == RequestStatus.PLACED
                if already != placed or (placed and school and request.placed_school_id != school.pk):
                    problem = _("该申请已登记为“%(status)s”，不能改为“%(new)s”") % {
                        "status": request.get_status_display(),
                        "new": RequestStatus.PLACED.label if placed else RequestStatus.NOT_PLACED.label,
                    }
        if problem or request is None:
            problems.append({"row": row_no, "name": name and child_label_text(name), "reason": str(problem)})
            continue
        seen.add(request.pk)
        planned.append(
            {
                "row": row_no,
                "request": request.pk,
                "number": request.number,
                "placed": bool(placed),
                "school": school.pk if school else None,
                "note": values.get("note", "")[:200],
                "changed": request.status == RequestStatus.REFERRED,
            }
        )
    return planned, problems


def child_label_text(name: str) -> str:
    from gonghui.core.text import name_mask

    return name_mask(name)


def _counts(planned: list[dict], problems: list[dict]) -> dict:
    return {
        "placed": sum(1 for p in planned if p["changed"] and p["placed"]),
        "not_placed": sum(1 for p in planned if p["changed"] and not p["placed"]),
        "unchanged": sum(1 for p in planned if not p["changed"]),
        "invalid": len(problems),
    }


def _refusal(problems: list[dict]) -> str:
    return _("学校答复名单有 %(count)d 行无法匹配或有误，未做任何修改") % {"count": len(problems)}


@import_kind_register
class SchoolAnswersKind(ImportKind):
    """A school's answer list for one campaign (the preview's `target` is the campaign's id)."""

    name = KIND
    title = cast(str, gettext_lazy("学校录取名单"))
    permission = "admissions.refer_admissionrequest"
    limits = ReadLimits(max_rows=20_000, max_columns=32, max_cell_chars=200)

    def classify(self, preview: ImportPreview) -> dict:
        campaign = Campaign.objects.get(pk=int(preview.target))
        lines = _lines(preview, self.limits)
        if not lines:
            raise ImportFileError(_("文件中没有答复行"))
        planned, problems = answers_check(campaign=campaign, lines=lines)
        return {"counts": _counts(planned, problems), "problems": problems, "total_rows": len(lines)}

    def confirmable(self, preview: ImportPreview) -> str:
        problems = preview.summary.get("problems") or []
        return _refusal(problems) if problems else ""

    def apply(self, preview: ImportPreview, *, actor: Actor, progress: Callable[[int, int], None]) -> dict:
        campaign = Campaign.objects.get(pk=int(preview.target))
        planned, problems = answers_check(campaign=campaign, lines=_lines(preview, self.limits))
        if problems:  # the requests changed since the preview
            raise ApplicationError(_refusal(problems), extra={"problems": problems})
        return _apply(campaign=campaign, actor=actor, planned=planned, preview=preview)


def _apply(*, campaign: Campaign, actor: Actor, planned: list[dict], preview: ImportPreview) -> dict:
    from gonghui.admissions.services.requests import request_answer

    requests = AdmissionRequest.objects.in_bulk([p["request"] for p in planned])
    schools = School.objects.in_bulk([p["school"] for p in planned if p["school"]])
    for item in planned:
        if not item["changed"]:
            continue
        request_answer(
            actor=actor,
            request=requests[item["request"]],
            placed=item["placed"],
            note=item["note"],
            source=AnswerSource.IMPORT,
            school=schools.get(item["school"]) if item["school"] else None,
        )
    counts = _counts(planned, [])
    audit(
        actor,
        campaign,
        AuditAction.IMPORTED,
        _("导入学校录取名单：%(name)s") % {"name": preview.original_name},
        changes=changes_of(**counts),
    )
    return {"campaign": campaign.pk, "counts": counts}


def answers_preview_start(*, campaign: Campaign, actor: Actor, upload: Upload) -> ImportPreview:
    """Read and match the school's list; only the preview is written."""
    permission_require(actor, "admissions.refer_admissionrequest")
    return import_start(KIND, actor=actor, upload=upload, target=str(campaign.pk))


def answers_confirm(*, preview: ImportPreview, actor: Actor) -> dict:
    """Confirm a preview once and apply it; refused whole while any line is invalid."""
    confirmed = import_confirm(preview, actor=actor)
    return confirmed.result


def answers_import(*, campaign: Campaign, actor: Actor, content: bytes, file_name: str) -> dict:
    """Preview and confirm in one go (commands, the demo, tests). A list with invalid lines is
    refused with every such line (`extra["problems"]`) and nothing applied."""
    preview = answers_preview_start(campaign=campaign, actor=actor, upload=Upload(data=content, filename=file_name))
    problems = preview.summary["problems"]
    if problems:
        raise ApplicationError(_refusal(problems), extra={"problems": problems})
    return answers_confirm(preview=preview, actor=actor)

"""Teacher profiles (教师档案): what matching and eligibility need to know of a teacher that the
HR roster does not carry — title and its rank, discipline, research field, campus, hire date and
since when they teach.

- `TeacherProfileImport`: HR's / the teacher development centre's spreadsheet as a core import
  kind (gonghui.core.imports): Chinese headers in any order, 工号 required, the rest optional.
  `classify` reads the file with core's reader within the kind's limits (a large file is read
  by the task worker, as every kind's) and sorts each row: new / changed / unchanged / invalid
  (with its row and every reason). The valid rows' values are kept on the preview; `apply`
  writes them against the database as it is when the preview is confirmed, in the confirming
  transaction, set-based (one bulk insert, one bulk update, the audit rows in bulk).
- `profile_save`: one profile edited on its page, by the office or the teacher's college.

A cell left empty keeps what is stored (a new profile gets nothing there); a column the file
does not have is not touched. 职称级别 is 正高级 / 副高级 / 中级 / 初级 / 无, or, when empty,
derived from 职称 (教授 → 正高级 …). 从事教学工作起始日期 may be given as 教龄起始年份 (a year):
the stored date stays when it is in that year, else the year's 1 January.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.core.history import AuditAction, audit_event_build, changes_between, changes_of
from gonghui.core.imports import ImportKind, import_kind_register, preview_bytes
from gonghui.core.models import AuditEvent, ImportPreview
from gonghui.core.service_kit import audit
from gonghui.core.tabular import ReadLimits, Table, table_read
from gonghui.mentorship.choices import TitleRank
from gonghui.mentorship.models import TeacherProfile
from gonghui.mentorship.selectors.profiles import teacher_people
from gonghui.people.models import Person
from gonghui.people.roster.validation import parse_date

PROFILE_KIND = "mentorship.teacher_profiles"
IMPORT = "mentorship.add_teacherprofile"
CHANGE = "mentorship.change_teacherprofile"

# field key → accepted header spellings (core's Table folds spaces, "*" and full-width
# brackets); the first spelling is the one the template and the messages use.
HEADERS: dict[str, tuple[str, ...]] = {
    "staff_no": ("工号", "职工号", "教职工号", "人员编号"),
    "title": ("职称", "专业技术职务"),
    "title_rank": ("职称级别", "职称等级"),
    "discipline": ("学科", "所属学科"),
    "research_field": ("研究方向",),
    "campus": ("校区", "所在校区"),
    "hired_on": ("入职日期", "来校日期"),
    "teaching_since": ("从事教学工作起始日期", "教学工作起始日期"),
    "teaching_since_year": ("教龄起始年份", "从教起始年份"),
}
TEMPLATE_COLUMNS = (
    "staff_no",
    "title",
    "title_rank",
    "discipline",
    "research_field",
    "campus",
    "hired_on",
    "teaching_since",
)
TEXT_FIELDS = ("title", "discipline", "research_field", "campus")
DATE_FIELDS = ("hired_on", "teaching_since")
FIELDS = ("title", "title_rank", "discipline", "research_field", "campus", "hired_on", "teaching_since")
EMPTY: dict[str, Any] = {
    "title": "",
    "title_rank": TitleRank.NONE.value,
    "discipline": "",
    "research_field": "",
    "campus": "",
    "hired_on": None,
    "teaching_since": None,
}

# 职称级别 as HR writes it (the labels of TitleRank, in Chinese whatever the page's language).
RANK_WORDS = {
    "正高级": TitleRank.SENIOR,
    "正高": TitleRank.SENIOR,
    "副高级": TitleRank.ASSOCIATE,
    "副高": TitleRank.ASSOCIATE,
    "中级": TitleRank.INTERMEDIATE,
    "初级": TitleRank.JUNIOR,
    "无": TitleRank.NONE,
}
# The rank a title carries, when the file gives no 职称级别.
TITLE_RANKS = {
    "教授": TitleRank.SENIOR,
    "研究员": TitleRank.SENIOR,
    "副教授": TitleRank.ASSOCIATE,
    "副研究员": TitleRank.ASSOCIATE,
    "高级工程师": TitleRank.ASSOCIATE,
    "讲师": TitleRank.INTERMEDIATE,
    "助理研究员": TitleRank.INTERMEDIATE,
    "工程师": TitleRank.INTERMEDIATE,
    "助教": TitleRank.JUNIOR,
}
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_YEAR = re.compile(r"(19|20)\d\d", re.ASCII)

PREVIEW_LIMIT = 200  # new and changed rows listed on the preview page (the counts are exact)
INVALID_LIMIT = 500
CHUNK = 2000


def header_label(key: str) -> str:
    return HEADERS[key][0]


def _model_field(name: str) -> Field:
    return cast(Field, TeacherProfile._meta.get_field(name))


def max_length(field: str) -> int:
    return int(_model_field(field).max_length or 0)


def field_label(name: str) -> str:
    return str(_model_field(name).verbose_name)


def rank_of_title(title: str) -> str | None:
    """The rank a title carries (教授 → 正高级; "教授（二级）" as 教授), None when unknown."""
    text = "".join(_BRACKETED.sub("", title or "").split())
    rank = TITLE_RANKS.get(text)
    return rank.value if rank is not None else None


def template_xlsx() -> bytes:
    """The empty list to fill in: the import's columns, 工号 as text so that Excel keeps it."""
    return xlsx_bytes(
        headers=[header_label(key) for key in TEMPLATE_COLUMNS], rows=[], sheet_title=_("教师档案"), text_columns={0}
    )


# --- one profile -------------------------------------------------------------------------------


def _display(values: dict) -> dict:
    """A profile's values as the history shows them: the rank's label, ISO dates."""
    shown = {}
    for name in FIELDS:
        value = values.get(name)
        if name == "title_rank":
            value = str(TitleRank(str(value)).label)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        shown[name] = value if value is not None else ""
    return shown


def _stored(profile: TeacherProfile | None) -> dict | None:
    return {name: getattr(profile, name) for name in FIELDS} if profile is not None else None


def _refuse(message: str, field: str):
    raise ApplicationError(message, extra={"field": field})


@transaction.atomic
def profile_save(
    *,
    actor: Actor,
    person: Person,
    title: str = "",
    title_rank: str = "",
    discipline: str = "",
    research_field: str = "",
    campus: str = "",
    hired_on: datetime.date | None = None,
    teaching_since: datetime.date | None = None,
) -> TeacherProfile:
    """Create or change `person`'s profile, with an audit row of what changed (nothing is
    written when nothing changes). An empty `title_rank` is derived from the title (none when
    there is no title). The office edits anyone's; a college's officer only their college's."""
    permission_require(actor, CHANGE)
    if not teacher_people(actor, "change").filter(pk=person.pk).exists():
        raise PermissionDenied(_("只能修改本单位教师的档案。"))
    texts = {"title": title, "discipline": discipline, "research_field": research_field, "campus": campus}
    after: dict[str, Any] = {}
    for name, value in texts.items():
        text = (value or "").strip()
        if len(text) > max_length(name):
            _refuse(
                _("%(field)s过长（最多 %(limit)s 字）。") % {"field": field_label(name), "limit": max_length(name)},
                name,
            )
        after[name] = text
    rank = (title_rank or "").strip()
    if not rank:
        derived = rank_of_title(after["title"]) if after["title"] else TitleRank.NONE.value
        if derived is None:
            _refuse(_("无法由职称“%(title)s”确定职称级别，请选择职称级别。") % {"title": after["title"]}, "title_rank")
        rank = str(derived)
    elif rank not in TitleRank.values:
        _refuse(_("职称级别“%(value)s”无法识别。") % {"value": rank}, "title_rank")
    after["title_rank"] = rank
    after["hired_on"], after["teaching_since"] = hired_on, teaching_since

    profile = TeacherProfile.objects.select_for_update().filter(person=person).first()
    before = _stored(profile)
    if before == after:
        assert profile is not None
        return profile
    if profile is None:
        profile = TeacherProfile.objects.create(person=person, updated_by=actor, **after)
        audit(
            actor,
            profile,
            AuditAction.CREATED,
            _("建立%(name)s的教师档案") % {"name": person.name},
            person_id=person.pk,
            changes=changes_of(**_display(after)),
        )
        return profile
    for name, value in after.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.save(update_fields=[*FIELDS, "updated_by", "updated_at"])
    audit(
        actor,
        profile,
        AuditAction.UPDATED,
        _("修改%(name)s的教师档案") % {"name": person.name},
        person_id=person.pk,
        changes=changes_between(_display(before or EMPTY), _display(after)),
    )
    return profile


# --- the import: reading and sorting ------------------------------------------------------------


def _row_values(row: list[str], columns: dict[str, int]) -> tuple[str, dict, list[str]]:
    """One row's 工号, the values it sets ({field: value}, dates ISO; `teaching_since_year`
    an int) and the reasons it cannot be imported."""
    raw = {key: (row[index] if index < len(row) else "") for key, index in columns.items()}
    reasons: list[str] = []
    formulas = [key for key, text in raw.items() if text.startswith("=") and len(text) > 1]
    if formulas:
        reasons.append(
            _("单元格含公式（%(columns)s），请粘贴为数值后再导入")
            % {"columns": "、".join(header_label(key) for key in formulas)}
        )
        raw = {key: ("" if key in formulas else text) for key, text in raw.items()}
    staff_no = raw.get("staff_no", "")
    if not staff_no and "staff_no" not in formulas:
        reasons.append(_("工号为空"))
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        text = raw.get(name, "")
        if not text:
            continue
        if len(text) > max_length(name):
            reasons.append(
                _("%(column)s过长（最多 %(limit)s 字）") % {"column": header_label(name), "limit": max_length(name)}
            )
        else:
            values[name] = text
    rank_text = "".join(raw.get("title_rank", "").split())
    if rank_text:
        rank = RANK_WORDS.get(rank_text)
        if rank is None:
            reasons.append(_("职称级别“%(value)s”无法识别，应为正高级、副高级、中级、初级或无") % {"value": rank_text})
        else:
            values["title_rank"] = rank.value
    elif values.get("title"):
        derived = rank_of_title(values["title"])
        if derived is None:
            reasons.append(_("无法由职称“%(title)s”确定职称级别，请填写职称级别") % {"title": values["title"]})
        else:
            values["title_rank"] = derived
    for name in DATE_FIELDS:
        text = raw.get(name, "")
        if not text:
            continue
        day = parse_date(text)
        if day is None:
            reasons.append(
                _("%(column)s“%(value)s”不是日期，请写作 2020-07-01") % {"column": header_label(name), "value": text}
            )
        else:
            values[name] = day.isoformat()
    year_text = raw.get("teaching_since_year", "")
    if year_text and "teaching_since" not in values and not raw.get("teaching_since"):
        if _YEAR.fullmatch(year_text):
            values["teaching_since_year"] = int(year_text)
        elif (day := parse_date(year_text)) is not None:
            values["teaching_since"] = day.isoformat()
        else:
            reasons.append(_("教龄起始年份“%(value)s”不是年份，请写作 2008") % {"value": year_text})
    return staff_no, values, reasons


def _planned(stored: dict | None, values: dict) -> dict:
    """The profile's fields after a row: the stored ones (a new profile's are empty) with the
    row's on top."""
    after = dict(stored) if stored is not None else dict(EMPTY)
    for name in FIELDS:
        if name not in values:
            continue
        value = values[name]
        after[name] = datetime.date.fromisoformat(value) if name in DATE_FIELDS else value
    year = values.get("teaching_since_year")
    if year and (after["teaching_since"] is None or after["teaching_since"].year != year):
        after["teaching_since"] = datetime.date(year, 1, 1)
    return after


def _changes_text(before: dict, after: dict) -> str:
    shown_before, shown_after = _display(before), _display(after)
    labels = {name: field_label(name) for name in FIELDS}
    return "；".join(
        f"{labels[name]} {shown_before[name] or '—'} → {shown_after[name] or '—'}"
        for name in FIELDS
        if shown_before[name] != shown_after[name]
    )


def _new_text(after: dict) -> str:
    shown = _display(after)
    parts = [f"{shown['title']}（{shown['title_rank']}）" if shown["title"] else shown["title_rank"]]
    parts += [shown[name] for name in ("discipline", "research_field", "campus") if shown[name]]
    if shown["hired_on"]:
        parts.append(_("%(day)s 入职") % {"day": shown["hired_on"]})
    if shown["teaching_since"]:
        parts.append(_("%(day)s 起从事教学") % {"day": shown["teaching_since"]})
    return " · ".join(parts)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _people(staff_nos: Iterable[str]) -> dict[str, dict]:
    """{工号: {id, name, sub_union}} of the roster's people among `staff_nos`."""
    found: dict[str, dict] = {}
    for chunk in _chunks(sorted(set(staff_nos))):
        for row in Person.objects.filter(staff_no__in=chunk).values("id", "staff_no", "name", "sub_union__name"):
            found[row["staff_no"]] = dict(row)
    return found


def _profiles(person_ids: list[int], *, lock: bool = False) -> dict[int, TeacherProfile]:
    found: dict[int, TeacherProfile] = {}
    for chunk in _chunks(person_ids):
        rows = TeacherProfile.objects.filter(person_id__in=chunk)
        if lock:
            rows = rows.select_for_update()
        found.update({profile.person_id: profile for profile in rows})
    return found


def _plan(rows: list[tuple[str, dict]], *, lock: bool = False) -> tuple[list, list, list, list[str]]:
    """Sort valid rows against the database as it is: (new, changed, unchanged, unknown) with
    new [(person, after)], changed [(person, profile, before, after)], unchanged [person] and
    the 工号 no longer on the roster."""
    people = _people(staff_no for staff_no, _values in rows)
    profiles = _profiles([people[s]["id"] for s, _v in rows if s in people], lock=lock)
    new, changed, unchanged, unknown = [], [], [], []
    for staff_no, values in rows:
        person = people.get(staff_no)
        if person is None:
            unknown.append(staff_no)
            continue
        profile = profiles.get(person["id"])
        before = _stored(profile)
        after = _planned(before, values)
        if profile is None:
            new.append((person, after))
        elif after != before:
            changed.append((person, profile, before, after))
        else:
            unchanged.append(person)
    return new, changed, unchanged, unknown


def profiles_classify(*, data: bytes, filename: str, limits: ReadLimits) -> dict:
    """Read the file and sort each row: new, changed, unchanged or invalid (its row number and
    every reason). Writes nothing. The summary keeps every valid row's values (`rows`, what
    `profiles_write` takes) and lists at most PREVIEW_LIMIT new and changed rows and
    INVALID_LIMIT invalid ones; the counts are exact."""
    table = Table.of(table_read(data=data, filename=filename, limits=limits))
    columns = table.columns(HEADERS, required=("staff_no",))
    lines = [(number, *_row_values(row, columns)) for number, row in table.rows]
    if not lines:
        raise ImportFileError(_("文件中没有数据行"))
    people = _people(staff_no for _n, staff_no, _v, _r in lines if staff_no)
    seen: dict[str, list[int]] = {}
    for number, staff_no, _values, _reasons in lines:
        if staff_no:
            seen.setdefault(staff_no, []).append(number)
    invalid: list[dict] = []
    valid: list[tuple[int, str, dict]] = []
    for number, staff_no, values, reasons in lines:
        if staff_no and len(seen[staff_no]) > 1:
            reasons.insert(
                0,
                _("工号 %(staff_no)s 在文件中出现多次（第 %(rows)s 行）")
                % {"staff_no": staff_no, "rows": "、".join(str(n) for n in seen[staff_no])},
            )
        elif staff_no and staff_no not in people:
            reasons.insert(0, _("工号 %(staff_no)s 不在名册中") % {"staff_no": staff_no})
        if reasons:
            person = people.get(staff_no, {})
            invalid.append(
                {
                    "row": number,
                    "staff_no": staff_no,
                    "name": person.get("name", ""),
                    "sub_union": person.get("sub_union__name", ""),
                    "reason": "；".join(reasons),
                }
            )
        else:
            valid.append((number, staff_no, values))
    new, changed, unchanged, _unknown = _plan([(staff_no, values) for _n, staff_no, values in valid])
    row_of = {staff_no: number for number, staff_no, _values in valid}

    def listed(person: dict, reason: str) -> dict:
        return {
            "row": row_of[person["staff_no"]],
            "staff_no": person["staff_no"],
            "name": person["name"],
            "sub_union": person["sub_union__name"],
            "reason": reason,
        }

    return {
        "counts": {"new": len(new), "changed": len(changed), "unchanged": len(unchanged), "invalid": len(invalid)},
        "total_rows": len(lines),
        "columns": [header_label(key) for key in HEADERS if key in columns],
        "rows": [[staff_no, values] for _n, staff_no, values in valid],
        "new": [listed(person, _new_text(after)) for person, after in new[:PREVIEW_LIMIT]],
        "changed": [
            listed(person, _changes_text(before, after)) for person, _p, before, after in changed[:PREVIEW_LIMIT]
        ],
        "invalid": invalid[:INVALID_LIMIT],
    }


# --- the import: writing --------------------------------------------------------------------------


def profiles_write(*, rows: list, actor: Actor, source: str) -> dict:
    """Write the valid rows (`[[工号, values], …]` of a classification) against the database as
    it is now: new profiles in one bulk insert, changed ones in one bulk update, an audit row
    for each profile and one for the import. Runs inside the caller's transaction."""
    pairs = [(str(staff_no), dict(values)) for staff_no, values in rows]
    new, changed, unchanged, unknown = _plan(pairs, lock=True)
    message = _("导入教师档案（%(source)s）") % {"source": source}
    created = TeacherProfile.objects.bulk_create(
        (TeacherProfile(person_id=person["id"], updated_by=actor, **after) for person, after in new),
        batch_size=CHUNK,
    )
    updated, now = [], timezone.now()
    for _person, profile, _before, after in changed:
        for name, value in after.items():
            setattr(profile, name, value)
        profile.updated_by, profile.updated_at = actor, now  # bulk_update does not stamp auto_now
        updated.append(profile)
    TeacherProfile.objects.bulk_update(updated, [*FIELDS, "updated_by", "updated_at"], batch_size=CHUNK)
    events = [
        audit_event_build(
            actor=actor,
            obj=profile,
            action=AuditAction.CREATED,
            person_id=person["id"],
            message=message,
            changes=changes_of(**_display(after)),
        )
        for profile, (person, after) in zip(created, new, strict=True)
    ]
    events += [
        audit_event_build(
            actor=actor,
            obj=profile,
            action=AuditAction.UPDATED,
            person_id=person["id"],
            message=message,
            changes=changes_between(_display(before), _display(after)),
        )
        for person, profile, before, after in changed
    ]
    AuditEvent.objects.bulk_create(events, batch_size=CHUNK)
    result = {"new": len(new), "changed": len(changed), "unchanged": len(unchanged), "unknown": len(unknown)}
    audit_event_build(
        actor=actor,
        object_type="mentorship.teacherprofile",
        object_id="import",
        action=AuditAction.IMPORTED,
        message=_("%(message)s：新增 %(new)s，变更 %(changed)s，未变 %(unchanged)s") % {"message": message, **result},
        changes=changes_of(**result),
    ).save()
    return result


RESULT_LABELS = {
    "new": gettext_lazy("新增"),
    "changed": gettext_lazy("变更"),
    "unchanged": gettext_lazy("未变"),
    "unknown": gettext_lazy("已不在名册中"),
}


@import_kind_register
class TeacherProfileImport(ImportKind):
    """HR's / the teacher development centre's list of teachers' titles, disciplines, campuses
    and dates. Confirmed once by the office; written at once from the preview's valid rows."""

    name = PROFILE_KIND
    title = gettext_lazy("教师档案导入")  # type: ignore[assignment]  # translated when shown
    permission = IMPORT
    limits = ReadLimits(max_bytes=10 * 1024 * 1024, max_rows=50_000, max_columns=64, max_cell_chars=500)

    def read(self, *, data: bytes, filename: str) -> dict:
        """The classification of a file (the preview's summary); the command reads through it too."""
        return profiles_classify(data=data, filename=filename, limits=self.limits)

    def classify(self, preview: ImportPreview) -> dict:
        return self.read(data=preview_bytes(preview), filename=preview.original_name)

    def confirmable(self, preview: ImportPreview) -> str:
        counts = preview.summary.get("counts", {})
        if counts.get("new", 0) or counts.get("changed", 0):
            return ""
        return _("文件中没有新增或变更的教师档案")

    def write(self, *, rows: list, actor: Actor, source: str) -> dict:
        result = profiles_write(rows=rows, actor=actor, source=source)
        return {**result, "labels": {str(RESULT_LABELS[key]): value for key, value in result.items()}}

    def apply(self, preview: ImportPreview, *, actor: Actor, progress: Callable[[int, int], None]) -> dict:
        return self.write(rows=preview.summary.get("rows", []), actor=actor, source=preview.original_name)


def profiles_import_file(*, path: str, actor: Actor, dry_run: bool = False) -> tuple[dict, dict | None]:
    """The command's path through the same kind: refuse the file by name and size, classify
    it and, unless `dry_run`, write its valid rows in one transaction."""
    from gonghui.core.imports import import_kind, upload_check

    kind = import_kind(PROFILE_KIND)
    assert isinstance(kind, TeacherProfileImport)
    upload_check(kind=kind, filename=path, size=os.path.getsize(path))
    with open(path, "rb") as stream:
        data = stream.read()
    summary = kind.read(data=data, filename=path)
    if dry_run:
        return summary, None
    with transaction.atomic():
        result = kind.write(rows=summary["rows"], actor=actor, source=os.path.basename(path))
    return summary, result

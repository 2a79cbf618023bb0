"""Batches of per-person steps: what an office would otherwise click through one person at a
time (enrol many members in the mutual-aid society, record many insurance opt-outs).

A batch is a list of staff numbers: a file with a 工号 column, pasted text, or people chosen
in the product (a sub-union, a filter), which the page turns into the same kind of file
(`staff_numbers_upload`). It goes through the import kit like any file from outside: read
within limits, sorted person by person, previewed, confirmed once, applied in the task
worker. A module declares a `PersonBatchKind`: how to find the people (in the actor's
scope), how to sort each one, and how to write the ready ones. Sorting is done again when
the confirmed batch is applied, against the database as it is then, so a batch run twice
does nothing twice: whoever is done already is skipped.

Each person lands in one outcome:

- ready: will be done on confirmation;
- skipped: done already (already a member, already recorded);
- ineligible: the rules say no, with the reason;
- unknown: no such staff number, or not in the actor's scope (the same message for both:
  a sub-union officer does not learn who exists elsewhere);
- invalid: a row that names a staff number already named above.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.excel import csv_writer
from gonghui.core.exceptions import ImportFileError
from gonghui.core.imports import ImportKind, Upload, preview_bytes
from gonghui.core.tabular import ReadLimits, cell_text, table_read

if TYPE_CHECKING:
    from gonghui.accounts.models import User
    from gonghui.core.models import ImportPreview

STAFF_NO_HEADERS = ("工号", "职工号", "人员编号")
OUTCOMES = ("ready", "skipped", "ineligible", "unknown", "invalid")
OUTCOME_LABELS = {
    "ready": gettext_lazy("将办理"),
    "skipped": gettext_lazy("已办理（跳过）"),
    "ineligible": gettext_lazy("不符合条件"),
    "unknown": gettext_lazy("工号不存在或不在管理范围内"),
    "invalid": gettext_lazy("重复的行"),
}
LIST_LIMIT = 2000  # rows kept per outcome for the preview page (the counts are exact)
BATCH_LIMITS = ReadLimits(max_bytes=5 * 1024 * 1024, max_rows=50_000)
LOOKUP_CHUNK = 900  # staff numbers per IN (...) query
_SEPARATORS = re.compile(r"[\s,，;；、]+")


@dataclass(frozen=True)
class BatchRow:
    """One row of a batch: its row number in the file, the staff number, and the values of
    the kind's extra columns (e.g. a reason)."""

    row: int
    staff_no: str
    extra: dict = field(default_factory=dict)


def _header_key(value) -> str:
    return "".join(cell_text(value).replace("*", "").split())


def batch_rows_read(
    *, data: bytes, filename: str, limits: ReadLimits = BATCH_LIMITS, extra_headers: dict | None = None
) -> list[BatchRow]:
    """The rows of a batch file: a 工号 column (any column; 职工号 and 人员编号 are read too)
    and the kind's optional extra columns ({key: spellings}). Blank rows are left out.
    ImportFileError (with the reason) for a file that cannot be read or has no 工号 column."""
    table = table_read(data=data, filename=filename, limits=limits)
    if not table:
        raise ImportFileError(_("文件是空的"))
    spellings = {"staff_no": STAFF_NO_HEADERS, **(extra_headers or {})}
    lookup = {spelling: key for key, names in spellings.items() for spelling in names}
    columns: dict[str, int] = {}
    for index, header in enumerate(table[0]):
        key = lookup.get(_header_key(header))
        if key and key not in columns:
            columns[key] = index
    if "staff_no" not in columns:
        raise ImportFileError(_("缺少列：%(columns)s") % {"columns": STAFF_NO_HEADERS[0]})

    def value(row, key):
        index = columns.get(key)
        return cell_text(row[index]) if index is not None and index < len(row) else ""

    rows = []
    for number, row in enumerate(table[1:], start=2):
        staff_no = value(row, "staff_no")
        if staff_no:
            rows.append(BatchRow(number, staff_no, {key: value(row, key) for key in extra_headers or {}}))
    return rows


def staff_numbers_parse(text: str) -> list[str]:
    """Staff numbers typed or pasted: separated by lines, spaces, commas or 、; a 工号 header
    pasted along with them is dropped."""
    return [token for token in _SEPARATORS.split(text or "") if token and token not in STAFF_NO_HEADERS]


def staff_numbers_upload(staff_nos: Iterable[str], *, name: str) -> Upload:
    """A batch file (.csv with a 工号 column) of the given staff numbers: how pasted text and
    people chosen in the product go through the same import path as an uploaded file."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([STAFF_NO_HEADERS[0]])
    for staff_no in staff_nos:
        writer.writerow([staff_no])
    safe = re.sub(r'[\\/:*?"<>|\s]+', "-", name).strip("-") or "batch"
    return Upload(data=buffer.getvalue().encode("utf-8"), filename=f"{safe[:150]}.csv")


@dataclass
class BatchSort:
    """Where each row of a batch landed: `people` are the ready ones (what `write` gets),
    `rows` what the preview lists."""

    total_rows: int = 0
    people: list = field(default_factory=list)
    rows_of: dict = field(default_factory=dict)  # person pk -> BatchRow
    counts: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rows: dict = field(default_factory=lambda: {outcome: [] for outcome in OUTCOMES})

    def add(self, outcome: str, row: BatchRow, *, person=None, describe=None, reason: str = "") -> None:
        self.counts[outcome] += 1
        if len(self.rows[outcome]) < LIST_LIMIT:
            entry = {"row": row.row, "staff_no": row.staff_no, "reason": str(reason)}
            if person is not None and describe is not None:
                entry.update(describe(person))
            self.rows[outcome].append(entry)

    def summary(self) -> dict:
        return {"total_rows": self.total_rows, "counts": dict(self.counts), "rows": self.rows}


class PersonBatchKind(ImportKind):
    """A module's batch of one per-person step. Implement `people`, `sort` and `write`."""

    runs_in_worker = True
    limits = BATCH_LIMITS
    extra_headers: ClassVar[dict[str, tuple[str, ...]]] = {}
    result_labels: ClassVar[dict[str, Any]] = {}  # result key -> label, for the job page

    def people(self, preview: ImportPreview, *, actor: User, staff_nos: list[str]) -> dict[str, Any]:
        """{staff number: person} of the given numbers that `actor` may act for."""
        raise NotImplementedError

    def sort(self, preview: ImportPreview, people: list, rows_of: dict) -> dict[Any, tuple[str, str]]:
        """{person pk: (outcome, reason)} with outcome "ready", "skipped" or "ineligible".
        Reads only."""
        raise NotImplementedError

    def write(
        self, preview: ImportPreview, *, actor: User, people: list, rows_of: dict, progress: Callable[[int, int], None]
    ) -> dict:
        """Do the step for the ready people (all or nothing); the result's counts."""
        raise NotImplementedError

    def describe(self, person) -> dict:
        """What the preview shows of a person besides the staff number."""
        sub_union = getattr(person, "sub_union", None)
        return {"name": person.name, "sub_union": getattr(sub_union, "name", "")}

    def batch_sort(self, preview: ImportPreview, *, actor: User) -> BatchSort:
        rows = batch_rows_read(
            data=preview_bytes(preview),
            filename=preview.original_name,
            limits=self.limits,
            extra_headers=self.extra_headers,
        )
        result = BatchSort(total_rows=len(rows))
        numbers = list(dict.fromkeys(row.staff_no for row in rows))
        found: dict[str, Any] = {}
        for start in range(0, len(numbers), LOOKUP_CHUNK):
            found.update(self.people(preview, actor=actor, staff_nos=numbers[start : start + LOOKUP_CHUNK]))
        first: dict[str, int] = {}
        kept: list[tuple[BatchRow, Any]] = []
        for row in rows:
            if row.staff_no in first:
                result.add("invalid", row, reason=_("工号在第 %(row)s 行已出现") % {"row": first[row.staff_no]})
                continue
            first[row.staff_no] = row.row
            person = found.get(row.staff_no)
            if person is None:
                result.add("unknown", row, reason=_("找不到该工号，或不在您的管理范围内"))
                continue
            kept.append((row, person))
        rows_of = {person.pk: row for row, person in kept}
        verdicts = self.sort(preview, [person for _row, person in kept], rows_of)
        for row, person in kept:
            outcome, reason = verdicts[person.pk]
            result.add(outcome, row, person=person, describe=self.describe, reason=reason)
            if outcome == "ready":
                result.people.append(person)
                result.rows_of[person.pk] = row
        return result

    def classify(self, preview: ImportPreview) -> dict:
        actor = preview.created_by
        assert actor is not None  # import_start has just checked who uploads
        return self.batch_sort(preview, actor=actor).summary()

    def confirmable(self, preview: ImportPreview) -> str:
        return "" if preview.summary.get("counts", {}).get("ready") else _("本批没有可以办理的人员")

    def apply(self, preview: ImportPreview, *, actor: User, progress: Callable[[int, int], None]) -> dict:
        """Sort the batch again as it stands now (in the confirming actor's scope), then write."""
        sorted_now = self.batch_sort(preview, actor=actor)
        written = self.write(
            preview, actor=actor, people=sorted_now.people, rows_of=sorted_now.rows_of, progress=progress
        )
        result = {**written, "counts": sorted_now.counts, "total": len(sorted_now.people)}
        labels = {str(label): written[key] for key, label in self.result_labels.items() if key in written}
        for outcome in ("skipped", "ineligible", "unknown", "invalid"):
            if sorted_now.counts[outcome]:
                labels[str(OUTCOME_LABELS[outcome])] = sorted_now.counts[outcome]
        result["labels"] = labels
        return result


__all__ = [
    "BATCH_LIMITS",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "STAFF_NO_HEADERS",
    "BatchRow",
    "BatchSort",
    "PersonBatchKind",
    "batch_rows_read",
    "staff_numbers_parse",
    "staff_numbers_upload",
]

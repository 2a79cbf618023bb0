"""Roster import: classify (write nothing), write (one transaction); the page's flow is
core's import kit (people.roster.kind: preview record, units mapping, confirm once, apply in
the worker), the command's is `roster_import_file`.

The file is read twice: once for the preview, and again when the confirmed import runs,
so that the import is classified against the database as it is then. Both passes use the
same `roster_classify`, which makes a fixed number of queries per 2,000 rows.

Status changes are written set-based in the shape `core.workflow.transition` writes them:
a PersonEvent per person whose employment status moves (refused in the preview when the
workflow has no such step), and for each membership a transfer or a departure closes a
MembershipEvent plus an audit row with its before/after values.
"""

from __future__ import annotations

import datetime
import gc
import os
import re
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.crypto import encrypt_text, mask_id_number
from gonghui.core.exceptions import ApplicationError, ImportFileError, InvalidTransition
from gonghui.core.history import AuditAction, audit_event_record, changes_between
from gonghui.core.imports import import_kind, import_reclassify, upload_check
from gonghui.core.models import AuditEvent, ImportPreview, ImportStatus
from gonghui.core.tabular import ReadLimits
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus, SubUnionKind
from gonghui.people.models import (
    EmploymentCategory,
    MembershipEvent,
    Person,
    PersonEvent,
    SubUnion,
    Union,
    UnionMembership,
)
from gonghui.people.pinyin import name_pinyin
from gonghui.people.roster import bulk
from gonghui.people.roster.reading import roster_file_open, roster_limits
from gonghui.people.roster.units import UnitTarget, sub_union_kind_guess
from gonghui.people.roster.validation import CleanRow, InvalidRow, SubUnionMatcher, row_validate
from gonghui.people.workflow import MembershipWorkflow, PersonWorkflow

ROSTER_KIND = "people.roster"
CHUNK = 2000
PREVIEW_LIST_LIMIT = 500  # rows of each kind kept for the preview page (counts are exact)
INVALID_LIST_LIMIT = 5000

# Compared and written; keys match people.services.PERSON_AUDITED_FIELDS.
COMPARED = [
    "name",
    "gender",
    "birth_date",
    "id_number_masked",
    "phone",
    "employment_category",
    "employment_status",
    "coverage_type",
    "sub_union",
    "jingka_no",
]
UPDATE_FIELDS = [
    "name",
    "name_pinyin",
    "name_initials",
    "gender",
    "birth_date",
    "id_number_encrypted",
    "id_number_digest",
    "id_number_masked",
    "phone",
    "employment_category",
    "employment_status",
    "status_changed_on",
    "status_reason",
    "coverage_type",
    "sub_union",
    "jingka_no",
    "updated_at",
]
EXISTING_VALUES = [
    "id",
    "staff_no",
    "name",
    "name_pinyin",
    "name_initials",
    "gender",
    "birth_date",
    "id_number_encrypted",
    "id_number_digest",
    "id_number_masked",
    "phone",
    "employment_category_id",
    "employment_status",
    "status_changed_on",
    "status_reason",
    "coverage_type",
    "sub_union_id",
    "jingka_no",
]
ENDING_STATUSES = (EmploymentStatus.LEFT, EmploymentStatus.DECEASED)


@lru_cache(maxsize=100_000)
def _pinyin(name: str) -> tuple[str, str]:
    """(name_pinyin(name), name_initials(name)) from one pypinyin call: the initials are the
    first letters of the plain syllables (checked equal for every CJK character, see tests)."""
    syllables = lazy_pinyin(name, errors="ignore")
    return "".join(syllables).lower(), "".join(s[:1] for s in syllables).lower()


@dataclass
class Classification:
    total_rows: int = 0
    new: list[CleanRow] = field(default_factory=list)
    changed: list[tuple[CleanRow, dict, dict]] = field(default_factory=list)  # (row, existing, changes)
    unchanged: int = 0
    invalid: list[InvalidRow] = field(default_factory=list)
    unknown_units: Counter = field(default_factory=Counter)
    new_categories: set = field(default_factory=set)
    categories: dict = field(default_factory=dict)  # name → id
    sub_union_names: dict = field(default_factory=dict)  # id → name
    joined_on_column: bool = False  # the file dates memberships (入会日期)
    by_unit: dict = field(default_factory=lambda: defaultdict(Counter))  # unit → outcome → rows
    unit_plan: list = field(default_factory=list)  # the command's UnitPlans

    @property
    def counts(self) -> dict:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "invalid": len(self.invalid),
        }


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector: with 100,000 rows alive, each of its runs
    (triggered by the many small dicts and tuples made per row) scans them all again,
    which cost about as much as building the audit events. Rows make no reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunks(items, size=CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- classification ---------------------------------------------------------------------


def _display(key: str, value, c: Classification):
    if value is None or value == "":
        return ""
    if key == "gender":
        return str(Gender(value).label)
    if key == "employment_status":
        return str(EmploymentStatus(value).label)
    if key == "coverage_type":
        return str(CoverageType(value).label)
    if key == "employment_category":
        return value  # already a name
    if key == "sub_union":
        return c.sub_union_names.get(value, str(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _existing_view(existing: dict, c: Classification, category_names: dict) -> dict:
    return {
        "name": existing["name"],
        "gender": existing["gender"],
        "birth_date": existing["birth_date"],
        "id_number_masked": existing["id_number_masked"],
        "phone": existing["phone"],
        "employment_category": category_names.get(existing["employment_category_id"]),
        "employment_status": existing["employment_status"],
        "coverage_type": existing["coverage_type"],
        "sub_union": existing["sub_union_id"],
        "jingka_no": existing["jingka_no"],
    }


def _row_view(row: CleanRow, existing_view: dict) -> dict:
    """The row's values in the comparison shape; columns the file leaves empty keep the old value."""
    view = {
        "name": row.name,
        "gender": row.gender,
        "birth_date": row.birth_date,
        "id_number_masked": row.id_masked or mask_id_number(row.id_number),
        "sub_union": row.sub_union_id,
    }
    for key in ("phone", "employment_category", "employment_status", "coverage_type", "jingka_no"):
        value = getattr(row, key)
        view[key] = existing_view.get(key) if value is None else value
    return view


def roster_classify(stream, *, ext: str, progress=None, limits: ReadLimits | None = None) -> Classification:
    """Read the whole file and sort every row into new / changed / unchanged / invalid."""
    with _gc_paused():
        return _classify(stream, ext=ext, progress=progress, limits=limits or roster_limits())


def _status_problem(before: str, after: str) -> str:
    """Why the roster may not move a person from status `before` to `after` ("" if it may)."""
    if before == after or PersonWorkflow.can_follow(before, after):
        return ""
    return _("人员状态不能从“%(before)s”变更为“%(after)s”") % {
        "before": EmploymentStatus(before).label,
        "after": EmploymentStatus(after).label,
    }


def _masked_id_kept(row: CleanRow, before: dict | None) -> str:
    """A row whose ID number is masked (as the people export writes it) keeps the stored number:
    then its digest and, without 出生日期, its birth date are the stored ones and "" is returned.
    Otherwise why the row is refused: a masked number cannot create or change anyone's."""
    if before is None:
        return _("身份证号“%(value)s”是脱敏的：新增人员须填写完整的身份证号") % {"value": row.id_masked}
    if before["id_number_masked"] != row.id_masked:
        return _("身份证号“%(value)s”是脱敏的，且与已存的不一致：请填写完整的身份证号") % {"value": row.id_masked}
    if row.birth_date is not None and row.birth_date != before["birth_date"]:
        return _("身份证号是脱敏的，出生日期不能改为与已存的不同：请填写完整的身份证号")
    row.id_digest = before["id_number_digest"]
    row.birth_date = before["birth_date"]
    return ""


def _repeated(values) -> dict[str, list[int]]:
    """{value: its rows} for the non-empty values of (value, row) pairs that occur more than
    once (a dict for the few repeated ones only, not a list for every value)."""
    first: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for value, row in values:
        if value:
            seen = first.setdefault(value, row)
            if seen != row:
                repeated.setdefault(value, [seen]).append(row)
    return repeated


def _classify(stream, *, ext: str, progress=None, limits: ReadLimits) -> Classification:
    c = Classification()
    sub_unions = list(SubUnion.objects.current().values("id", "name", "code", "aliases"))
    matcher = SubUnionMatcher(sub_unions)
    c.sub_union_names = matcher.names
    c.categories = dict(EmploymentCategory.objects.values_list("name", "id"))
    category_names = {pk: name for name, pk in c.categories.items()}

    roster = roster_file_open(stream, ext=ext, limits=limits)
    c.joined_on_column = "joined_on" in roster.columns
    parsed: list = []
    try:
        for number, cells in roster.rows:  # within the limits: core's reader counts the rows
            parsed.append(row_validate(number, cells, roster.columns, matcher))
            if progress and len(parsed) % CHUNK == 0:
                progress(len(parsed))
    except (UnicodeDecodeError, KeyError, ValueError, OSError) as error:
        raise ImportFileError(
            _("文件在第 %(row)d 行之后无法读取：%(error)s")
            % {"row": len(parsed) + 1, "error": error.__class__.__name__}
        ) from None
    finally:
        if callable(roster.close):
            roster.close()
    if not parsed:
        raise ImportFileError(_("文件只有表头，没有数据行"))
    c.total_rows = len(parsed)

    # Duplicates within the file: every row of a duplicated staff number or ID number is invalid.
    by_staff = _repeated((item.staff_no, item.row) for item in parsed)
    by_digest = _repeated((item.id_digest, item.row) for item in parsed)
    for index, item in enumerate(parsed if by_staff or by_digest else ()):
        reasons = []
        rows = by_staff.get(item.staff_no, ())
        if rows:
            reasons.append(
                _("工号 %(staff_no)s 在文件中重复（第 %(rows)s 行）")
                % {"staff_no": item.staff_no, "rows": "、".join(map(str, rows))}
            )
        rows = by_digest.get(item.id_digest, ())
        if rows:
            reasons.append(_("身份证号在文件中重复（第 %(rows)s 行）") % {"rows": "、".join(map(str, rows))})
        if reasons:
            if isinstance(item, CleanRow):
                parsed[index] = InvalidRow(
                    row=item.row, staff_no=item.staff_no, reasons=reasons, unit=matcher.names[item.sub_union_id]
                )
            else:
                item.reasons.extend(reasons)

    valid = [item for item in parsed if isinstance(item, CleanRow)]
    for item in parsed:
        if isinstance(item, InvalidRow):
            c.invalid.append(item)
            if item.unknown_unit:
                c.unknown_units[item.unknown_unit] += 1

    # Compare with the database, 2,000 rows at a time.
    lookup = bulk.Lookup(
        Person,
        match="staff_no",
        owner="id_number_digest",
        keys=[(r.staff_no, r.id_digest) for r in valid],
        fields=EXISTING_VALUES,
        chunk=CHUNK,
    )
    for chunk, (existing, owners) in zip(_chunks(valid, CHUNK), lookup.chunks(), strict=True):
        for row in chunk:
            if row.id_masked:
                problem = _masked_id_kept(row, existing.get(row.staff_no))
                if problem:
                    c.invalid.append(
                        InvalidRow(
                            row=row.row,
                            staff_no=row.staff_no,
                            reasons=[problem],
                            unit=c.sub_union_names[row.sub_union_id],
                        )
                    )
                    continue
            owner = owners.get(row.id_digest)
            if owner is not None and owner != row.staff_no:
                c.invalid.append(
                    InvalidRow(
                        row=row.row,
                        staff_no=row.staff_no,
                        reasons=[_("该身份证号已属于工号 %(staff_no)s") % {"staff_no": owner}],
                        unit=c.sub_union_names[row.sub_union_id],
                    )
                )
                continue
            if row.employment_category and row.employment_category not in c.categories:
                c.new_categories.add(row.employment_category)
            before = existing.get(row.staff_no)
            unit_counts = c.by_unit[c.sub_union_names[row.sub_union_id]]
            if before is None:
                c.new.append(row)
                unit_counts["new"] += 1
                continue
            before_view = _existing_view(before, c, category_names)
            after_view = _row_view(row, before_view)
            problem = _status_problem(before_view["employment_status"], after_view["employment_status"])
            if problem:
                c.invalid.append(
                    InvalidRow(
                        row=row.row, staff_no=row.staff_no, reasons=[problem], unit=c.sub_union_names[row.sub_union_id]
                    )
                )
                continue
            changes = {}
            for key in COMPARED:
                if key == "id_number_masked":
                    if row.id_digest != before["id_number_digest"]:
                        changes[key] = [before_view[key], after_view[key]]
                elif before_view[key] != after_view[key] and not (
                    before_view[key] in ("", None) and after_view[key] in ("", None)
                ):
                    changes[key] = [_display(key, before_view[key], c), _display(key, after_view[key], c)]
            if changes:
                c.changed.append((row, before, changes))
                unit_counts["changed"] += 1
            else:
                c.unchanged += 1
                unit_counts["unchanged"] += 1
    c.invalid.sort(key=lambda item: item.row)
    for item in c.invalid:
        c.by_unit[item.unit or "—"]["invalid"] += 1
    return c


_QUOTED = re.compile(r"“[^”]*”")
_NUMBERS = re.compile(r"\d+(、\d+)*")


def reason_kind(reason: str) -> str:
    """A reason with its row's own values left out, so like reasons count together."""
    return _NUMBERS.sub("…", _QUOTED.sub("“…”", reason))


def roster_summary(c: Classification, *, limit: int | None = PREVIEW_LIST_LIMIT) -> dict:
    """JSON for the preview page and the command. Counts are exact; lists are capped by `limit`.

    `by_unit`: [unit, {outcome: rows}] by unit name (only the outcomes that occur);
    `by_reason`: [reason kind, rows] most frequent first (`reason_kind`: the row's own values
    left out). Both are lists of pairs so that their order survives a JSON column."""
    labels = {f.name: str(f.verbose_name) for f in Person._meta.get_fields() if hasattr(f, "verbose_name")}
    invalid_limit = None if limit is None else INVALID_LIST_LIMIT
    return {
        "total_rows": c.total_rows,
        "counts": c.counts,
        "valid": len(c.new) + len(c.changed) + c.unchanged,
        "invalid_rows": [{"row": i.row, "staff_no": i.staff_no, "reason": i.reason} for i in c.invalid[:invalid_limit]],
        "new_rows": [
            {
                "row": r.row,
                "staff_no": r.staff_no,
                "name": r.name,
                "sub_union": c.sub_union_names.get(r.sub_union_id, ""),
            }
            for r in c.new[:limit]
        ],
        "changed_rows": [
            {
                "row": r.row,
                "staff_no": r.staff_no,
                "name": r.name,
                "changes": [[labels.get(k, k), v[0], v[1]] for k, v in changes.items()],
            }
            for r, _before, changes in c.changed[:limit]
        ],
        "joined_on_column": c.joined_on_column,
        "unknown_units": [
            {"name": name, "rows": n, "kind": sub_union_kind_guess(name).value}
            for name, n in sorted(c.unknown_units.items())
        ],
        "new_categories": sorted(c.new_categories),
        "by_unit": [[unit, dict(outcomes)] for unit, outcomes in sorted(c.by_unit.items())],
        "by_reason": [
            [reason, n] for reason, n in Counter(reason_kind(r) for row in c.invalid for r in row.reasons).most_common()
        ],
    }


# --- writing ----------------------------------------------------------------------------


def _category_id(name, c: Classification):
    return c.categories.get(name) if name else None


PERSON_FIELDS = (
    "staff_no",
    "name",
    "name_pinyin",
    "name_initials",
    "gender",
    "birth_date",
    "id_number_encrypted",
    "id_number_digest",
    "id_number_masked",
    "phone",
    "employment_category_id",
    "employment_status",
    "status_changed_on",
    "status_reason",
    "coverage_type",
    "sub_union_id",
    "jingka_no",
    "created_at",
    "updated_at",
)
_ATTNAMES = {f.name: f.attname for f in Person._meta.concrete_fields}
PERSON_UPDATE = tuple(_ATTNAMES[name] for name in UPDATE_FIELDS)
MEMBERSHIP_FIELDS = (
    "person_id",
    "sub_union_id",
    "member_no",
    "joined_on",
    "status",
    "reason",
    "created_at",
    "updated_at",
)
EVENT_FIELDS = ("at", "actor_id", "action", "object_type", "object_id", "person_id", "message", "changes")
# A workflow event (core.models.WorkflowEvent), as `transition` writes it.
STEP_FIELDS = ("subject_id", "at", "actor_id", "from_state", "to_state", "step", "message", "parameters")


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def roster_write(c: Classification, *, actor: Actor, today: datetime.date, progress=None, source: str = "") -> dict:
    """Write the valid rows of a classification. Call inside one transaction.

    Rows are streamed to the database as tuples (COPY on PostgreSQL, `bulk_create` in
    batches elsewhere, see bulk.py): people first, then their audit events, status events
    and memberships, then transfers and endings (with their workflow events), then one
    summary event."""
    with _gc_paused():
        return _write(c, actor=actor, today=today, progress=progress, source=source)


def _step_name(workflow, source: str, target: str) -> str:
    """The workflow's step from `source` to `target` (the classification refuses any other)."""
    step = workflow.step_for(source, target)
    if step is None:
        raise InvalidTransition(
            _("%(noun)s状态不能从“%(before)s”变更为“%(after)s”")
            % {"noun": workflow.noun, "before": workflow.state_label(source), "after": workflow.state_label(target)}
        )
    return step.name


class _Closed:
    """Memberships the import closes, as `transition` would record each: a MembershipEvent
    and a STATUS_CHANGED audit row with the before/after values of what the step sets."""

    def __init__(self, *, now: datetime.datetime, actor_id, today: datetime.date):
        self.now, self.actor_id, self.today = now, actor_id, today
        self.on = {"on": today.isoformat()}  # the step's effective date, as the services record it
        self.events: list[tuple] = []
        self.audits: list[tuple] = []

    def close(self, rows, *, to: str, reason: str) -> list[dict]:
        """Close `rows` (a queryset of memberships) to status `to` on the import's day."""
        current = list(rows.values("id", "person_id", "member_no", "status", "ended_on", "reason"))
        UnionMembership.objects.filter(pk__in=[m["id"] for m in current]).update(
            status=to, ended_on=self.today, reason=reason, updated_at=self.now
        )
        after = {"status": MembershipWorkflow.state_label(to), "ended_on": self.today.isoformat(), "reason": reason}
        for m in current:
            step = _step_name(MembershipWorkflow, m["status"], to)
            self.events.append((m["id"], self.now, self.actor_id, m["status"], to, step, reason, self.on))
            before = {
                "status": MembershipWorkflow.state_label(m["status"]),
                "ended_on": m["ended_on"].isoformat() if m["ended_on"] else None,
                "reason": m["reason"],
            }
            self.audits.append(
                (
                    self.now,
                    self.actor_id,
                    str(AuditAction.STATUS_CHANGED),
                    "people.unionmembership",
                    str(m["id"]),
                    m["person_id"],
                    reason,
                    changes_between(before, after),
                )
            )
        return current


def _write(c: Classification, *, actor: Actor, today: datetime.date, progress=None, source: str = "") -> dict:
    actor = actor if (actor is not None and actor.is_authenticated) else None
    actor_id = actor.pk if actor is not None else None
    now = timezone.now()
    message = _("名册导入")
    if c.new_categories:
        EmploymentCategory.objects.bulk_create(
            [EmploymentCategory(name=name) for name in sorted(c.new_categories)], ignore_conflicts=True
        )
        c.categories = dict(EmploymentCategory.objects.values_list("name", "id"))
    categories = c.categories
    active = str(EmploymentStatus.ACTIVE)
    total = len(c.new) + len(c.changed)

    written = 0

    def batch_written(n):
        nonlocal written
        written += n
        if progress:
            progress(written, total)

    def new_people():
        for row in c.new:
            py, initials = _pinyin(row.name)
            yield (
                row.staff_no,
                row.name,
                py,
                initials,
                str(row.gender),
                row.birth_date,
                encrypt_text(row.id_number),
                row.id_digest,
                mask_id_number(row.id_number),
                row.phone or "",
                categories.get(row.employment_category) if row.employment_category else None,
                str(row.employment_status or active),
                None,
                "",
                str(row.coverage_type or ""),
                row.sub_union_id,
                row.jingka_no or "",
                now,
                now,
            )

    def changed_people():
        for row, before, changes in c.changed:
            if row.name == before["name"]:
                py, initials = before["name_pinyin"], before["name_initials"]
            else:
                py, initials = _pinyin(row.name)
            id_changed = row.id_digest != before["id_number_digest"]
            status = row.employment_status or before["employment_status"]
            status_changed = status != before["employment_status"]
            if status_changed:
                changes["status_changed_on"] = [_display("d", before["status_changed_on"], c), today.isoformat()]
                if before["status_reason"] != message:
                    changes["status_reason"] = [before["status_reason"], message]
            yield (
                row.staff_no,
                row.name,
                py,
                initials,
                str(row.gender),
                row.birth_date,
                encrypt_text(row.id_number) if id_changed else before["id_number_encrypted"],
                row.id_digest,
                mask_id_number(row.id_number) if id_changed else before["id_number_masked"],
                before["phone"] if row.phone is None else row.phone,
                (
                    before["employment_category_id"]
                    if row.employment_category is None
                    else _category_id(row.employment_category, c)
                ),
                str(status),
                today if status_changed else before["status_changed_on"],
                message if status_changed else before["status_reason"],
                before["coverage_type"] if row.coverage_type is None else str(row.coverage_type),
                row.sub_union_id,
                before["jingka_no"] if row.jingka_no is None else row.jingka_no,
                now,
                now,
            )

    # New people are inserted (a staff number taken meanwhile by another import fails the
    # whole import: nothing is written), changed ones updated by staff number.
    person_ids = bulk.insert(
        Person, PERSON_FIELDS, new_people(), ids_for="staff_no", count=len(c.new), on_batch=batch_written
    )
    if c.changed:
        bulk.update(
            Person, PERSON_FIELDS, changed_people(), key="staff_no", update=PERSON_UPDATE, on_batch=batch_written
        )

    gender_labels = _labels(Gender)
    status_labels = _labels(EmploymentStatus)
    coverage_labels = _labels(CoverageType)
    created, updated, membership = str(AuditAction.CREATED), str(AuditAction.UPDATED), str(AuditAction.MEMBERSHIP)
    transferred = {}  # person id → (row, old sub-union name)
    ending = defaultdict(list)  # status → person ids
    status_steps: list[tuple] = []  # PersonEvent rows
    on = {"on": today.isoformat()}  # their effective date (people.eligibility reads it)

    def person_events():
        for row in c.new:
            pk = person_ids[row.staff_no]
            after = {
                "staff_no": row.staff_no,
                "name": row.name,
                "gender": gender_labels.get(row.gender, ""),
                "birth_date": row.birth_date.isoformat() if row.birth_date else "",
                "id_number_masked": mask_id_number(row.id_number),
                "phone": row.phone or "",
                "employment_category": row.employment_category or "",
                "employment_status": status_labels.get(row.employment_status or active, ""),
                "coverage_type": coverage_labels.get(row.coverage_type, ""),
                "sub_union": c.sub_union_names.get(row.sub_union_id, ""),
                "jingka_no": row.jingka_no or "",
            }
            yield (
                now,
                actor_id,
                created,
                "people.person",
                str(pk),
                pk,
                message,
                {k: [None, v] for k, v in after.items() if v not in ("", None)},
            )
        for row, before, changes in c.changed:
            pk = before["id"]
            yield now, actor_id, updated, "people.person", str(pk), pk, message, changes
            status = row.employment_status or before["employment_status"]
            if status != before["employment_status"]:
                step = _step_name(PersonWorkflow, before["employment_status"], status)
                status_steps.append((pk, now, actor_id, before["employment_status"], status, step, message, on))
            if status != before["employment_status"] and status in ENDING_STATUSES:
                ending[status].append(pk)
            elif "sub_union" in changes:
                transferred[pk] = (row, changes["sub_union"][0])

    bulk.insert(AuditEvent, EVENT_FIELDS, person_events())
    bulk.insert(PersonEvent, STEP_FIELDS, status_steps)
    bulk.insert(
        UnionMembership,
        MEMBERSHIP_FIELDS,
        (
            (
                person_ids[row.staff_no],
                row.sub_union_id,
                row.staff_no,
                row.joined_on or today,
                str(MembershipStatus.ACTIVE),
                message,
                now,
                now,
            )
            for row in c.new
            if (row.employment_status or active) not in ENDING_STATUSES
        ),
    )

    # Transfers: close the current active membership, open one at the new sub-union.
    events: list[tuple] = []
    memberships: list[tuple] = []
    closed = _Closed(now=now, actor_id=actor_id, today=today)
    transfer_ids = list(transferred)
    transfer_reason = _("名册导入：所在单位变更")
    for chunk in _chunks(transfer_ids):
        rows = UnionMembership.objects.filter(person_id__in=chunk, status=MembershipStatus.ACTIVE)
        for m in closed.close(rows, to=MembershipStatus.TRANSFERRED, reason=transfer_reason):
            row, old_name = transferred[m["person_id"]]
            memberships.append(
                (
                    m["person_id"],
                    row.sub_union_id,
                    m["member_no"],
                    today,
                    str(MembershipStatus.ACTIVE),
                    transfer_reason,
                    now,
                    now,
                )
            )
            events.append(
                (
                    now,
                    actor_id,
                    membership,
                    "people.person",
                    str(m["person_id"]),
                    m["person_id"],
                    _("转会（名册导入）"),
                    {"sub_union": [old_name, c.sub_union_names.get(row.sub_union_id, "")]},
                )
            )
    # Leaving and death end the current membership.
    ended = 0
    for status, ids in ending.items():
        reason = _("名册导入：人员状态变为%(status)s") % {"status": EmploymentStatus(status).label}
        for chunk in _chunks(ids):
            rows = UnionMembership.objects.filter(person_id__in=chunk).current()
            ended += len(closed.close(rows, to=MembershipStatus.ENDED, reason=reason))

    bulk.insert(UnionMembership, MEMBERSHIP_FIELDS, memberships)
    bulk.insert(MembershipEvent, STEP_FIELDS, closed.events)
    events.extend(closed.audits)
    result = {**c.counts, "transferred": len(transfer_ids), "memberships_ended": ended}
    events.append(
        (
            now,
            actor_id,
            str(AuditAction.IMPORTED),
            "people.roster",
            source or "-",
            None,
            _("名册导入：新增 %(new)d，变更 %(changed)d，未变 %(unchanged)d，无效 %(invalid)d") % c.counts,
            {},
        )
    )
    bulk.insert(AuditEvent, EVENT_FIELDS, events)
    return result


# --- the page's flow (people.roster.kind) and the command's -------------------------------


@transaction.atomic
def roster_import_units_map(*, actor: Actor, preview: ImportPreview, mapping: dict[str, str]) -> ImportPreview:
    """Map unknown 所在单位 names: to an existing sub-union (its id; saved as its alias, so
    later imports match) or to a new sub-union of that name ("new", of the kind its name
    suggests, or "new:<kind>"). Then classify the file again."""
    permission_require(actor, "people.import_roster")
    if not preview.is_pending:
        status = ImportStatus.EXPIRED if preview.status == ImportStatus.PENDING else ImportStatus(preview.status)
        raise ApplicationError(_("该导入预览的状态为“%(status)s”，不能再修改") % {"status": status.label})
    for unit_name, target in mapping.items():
        if not target:
            continue
        if target == "new" or target.startswith("new:"):
            sub_union_for_unit_create(actor=actor, unit_name=unit_name, kind=target.partition(":")[2])
            continue
        sub_union_alias_add(actor=actor, sub_union_id=int(target), unit_name=unit_name)
    return import_reclassify(preview, actor=actor)


def sub_union_alias_add(*, actor: Actor, sub_union_id: int, unit_name: str) -> SubUnion:
    """Keep a roster unit's name as the sub-union's alias, so later imports match it."""
    permission_require(actor, "people.change_subunion")
    sub_union = SubUnion.objects.select_for_update().get(pk=sub_union_id)
    if unit_name not in sub_union.aliases:
        before = list(sub_union.aliases)
        sub_union.aliases = [*before, unit_name]
        sub_union.save(update_fields=["aliases"])
        audit_event_record(
            actor=actor,
            obj=sub_union,
            action=AuditAction.UPDATED,
            message=_("名册导入：添加别名"),
            changes={"aliases": ["、".join(before), "、".join(sub_union.aliases)]},
        )
    return sub_union


def sub_union_for_unit_create(
    *, actor: Actor, unit_name: str, kind: str = "", parent: SubUnion | None = None
) -> SubUnion:
    """A new sub-union for a roster unit; `kind` defaults to the one its name suggests."""
    permission_require(actor, "people.add_subunion")
    union = Union.objects.order_by("pk").first()
    if union is None:
        raise ApplicationError(
            _("尚未完成工会首次设置：请先在“首次设置”页面或用 union_setup 命令创建校工会，再新建分工会。")
        )
    if kind and kind not in SubUnionKind.values:
        raise ApplicationError(_("未知的分工会类型“%(kind)s”") % {"kind": kind})
    sub_union = SubUnion.objects.create(
        union=union,
        code=f"IMP-{uuid.uuid4().hex[:8].upper()}",
        name=unit_name,
        kind=kind or sub_union_kind_guess(unit_name),
        parent=parent,
        name_pinyin=name_pinyin(unit_name),
    )
    audit_event_record(
        actor=actor,
        obj=sub_union,
        action=AuditAction.CREATED,
        message=_("名册导入时新建"),
        changes={"name": [None, unit_name], "kind": [None, str(SubUnionKind(sub_union.kind).label)]},
    )
    return sub_union


@dataclass(frozen=True)
class UnitPlan:
    """What the command does with one unknown 所在单位: "create" a sub-union, add it as an
    "alias" of an existing one, or leave it "missing" (its rows stay invalid)."""

    unit: str
    action: str
    rows: int = 0
    sub_union_id: int | None = None
    sub_union_name: str = ""
    kind: str = ""
    parent_id: int | None = None
    parent_name: str = ""

    @property
    def kind_label(self) -> str:
        return str(SubUnionKind(self.kind).label) if self.kind else ""


def roster_units_plan(unknown_units: Counter, *, unit_map: dict[str, UnitTarget], create_units: bool) -> list[UnitPlan]:
    """Each unknown unit's fate under `--unit-map` and `--create-units` (the map wins); an
    ApplicationError when the map names a sub-union or parent that does not exist."""
    matcher = SubUnionMatcher(list(SubUnion.objects.current().values("id", "name", "code", "aliases")))
    new_units = {
        unit
        for unit in unknown_units
        if (create_units and unit not in unit_map) or (unit in unit_map and not unit_map[unit].sub_union)
    }
    plans = []
    for unit, rows in sorted(unknown_units.items()):
        target = unit_map.get(unit)
        if target is None and not create_units:
            plans.append(UnitPlan(unit, "missing", rows))
            continue
        target = target or UnitTarget()
        if target.sub_union:
            pk = matcher.match(target.sub_union)
            if pk is None:
                raise ApplicationError(
                    _("单位对应表：“%(unit)s”对应的分工会“%(target)s”不存在")
                    % {"unit": unit, "target": target.sub_union}
                )
            plans.append(UnitPlan(unit, "alias", rows, sub_union_id=pk, sub_union_name=matcher.names[pk]))
            continue
        parent_id = matcher.match(target.parent) if target.parent else None
        if target.parent and parent_id is None and target.parent not in new_units:
            raise ApplicationError(
                _("单位对应表：“%(unit)s”的上级分工会“%(parent)s”不存在") % {"unit": unit, "parent": target.parent}
            )
        plans.append(
            UnitPlan(
                unit,
                "create",
                rows,
                kind=target.kind or sub_union_kind_guess(unit).value,
                parent_id=parent_id,
                parent_name=matcher.names[parent_id] if parent_id else target.parent,
            )
        )
    return plans


def roster_units_apply(plans: list[UnitPlan], *, actor: Actor) -> None:
    """Create and alias as planned; units whose parent is created here come after it."""
    created: dict[str, SubUnion] = {}
    for plan in sorted(plans, key=lambda p: bool(p.parent_name and p.parent_id is None)):
        if plan.action == "alias" and plan.sub_union_id is not None:
            sub_union_alias_add(actor=actor, sub_union_id=plan.sub_union_id, unit_name=plan.unit)
        elif plan.action == "create":
            parent = SubUnion.objects.get(pk=plan.parent_id) if plan.parent_id else created.get(plan.parent_name)
            created[plan.unit] = sub_union_for_unit_create(
                actor=actor, unit_name=plan.unit, kind=plan.kind, parent=parent
            )


def roster_import_file(
    *,
    path: str,
    actor: Actor,
    dry_run: bool = False,
    unit_map: dict[str, UnitTarget] | None = None,
    create_units: bool = False,
) -> tuple[Classification, dict | None]:
    """The command's path: classify a local file and, unless dry_run, create or alias its
    unknown units as `unit_map`/`create_units` say and write it, all in one transaction.
    The plan for the units is `c.unit_plan` either way."""
    ext = upload_check(kind=import_kind(ROSTER_KIND), filename=path, size=os.path.getsize(path))
    with open(path, "rb") as stream:
        c = roster_classify(stream, ext=ext)
        plan = roster_units_plan(c.unknown_units, unit_map=unit_map or {}, create_units=create_units)
        c.unit_plan = plan
        if dry_run:
            return c, None
        with transaction.atomic():
            if any(p.action != "missing" for p in plan):
                roster_units_apply(plan, actor=actor)
                stream.seek(0)
                c = roster_classify(stream, ext=ext)  # against the units as they now are
                c.unit_plan = plan
            result = roster_write(c, actor=actor, today=timezone.localdate(), source=os.path.basename(path))
        return c, result

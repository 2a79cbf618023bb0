"""The people list as a roster the import reads back: the import's columns, with its header
names, in its order (`reading.ROSTER_COLUMNS`), and its words for genders, statuses and
coverage (`validation`), so that export → edit → re-import round-trips.

- `roster_export_people`: the listed people with what the export needs (current membership's
  join date) in a fixed number of queries.
- `roster_export_columns`: [(header, person -> value)] in the import's order; ID numbers masked
  (the list page's logged export), or in clear.
- `roster_export_clear`: the export with ID numbers in clear, for the roles that may reveal
  them (the permission of the one-person reveal), logged as `AuditAction.EXPORTED_CLEAR`:
  who, when, how many rows and which filter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.crypto import mask_id_number
from gonghui.core.excel import xlsx_bytes
from gonghui.core.history import AuditAction, audit_event_record, changes_of
from gonghui.people.filters import PersonFilter
from gonghui.people.idnumbers import id_number_normalise
from gonghui.people.models import Person, SubUnion, UnionMembership
from gonghui.people.roster.reading import ROSTER_COLUMNS, TEXT_COLUMNS, header_label
from gonghui.people.roster.validation import COVERAGES, GENDERS, STATUSES, SubUnionMatcher
from gonghui.people.selectors import person_list

EXPORT_TEXT_COLUMNS = frozenset(ROSTER_COLUMNS.index(key) for key in TEXT_COLUMNS)


def _first_words(words: dict) -> dict:
    """value → the first word the import reads as that value (男, 离退休, 公费医疗 …): never the
    display label, which follows the user's language."""
    first: dict = {}
    for word, value in words.items():
        first.setdefault(str(value), word)
    return first


_GENDER_WORDS = _first_words(GENDERS)
_STATUS_WORDS = _first_words(STATUSES)
_COVERAGE_WORDS = _first_words(COVERAGES)


def unit_names() -> dict[int, str]:
    """Sub-union id → the 所在单位 the import matches back to that sub-union: its name, else its
    code or an alias (the import lets names win over codes and codes over aliases)."""
    sub_unions = list(SubUnion.objects.values("id", "name", "code", "aliases"))
    matcher = SubUnionMatcher(sub_unions)
    names = {}
    for su in sub_unions:
        candidates = [su["name"], su["code"], *(str(alias) for alias in su["aliases"] or [])]
        names[su["id"]] = next((c for c in candidates if matcher.match(c) == su["id"]), su["name"])
    return names


def roster_export_people(people: QuerySet[Person]) -> QuerySet[Person]:
    """`people` with their sub-union, category and current membership's join date."""
    current = UnionMembership.objects.current().filter(person=OuterRef("pk")).order_by("-joined_on", "-pk")
    return people.select_related("sub_union", "employment_category").annotate(
        current_joined_on=Subquery(current.values("joined_on")[:1])
    )


def roster_export_columns(*, clear_ids: bool = False) -> list[tuple[str, Callable[[Person], object]]]:
    """The export's columns: header (the import's) and value, in the import's order. The
    所在单位 names are read when the columns are made (one query)."""
    units = unit_names()
    values: dict[str, Callable[[Person], object]] = {
        "staff_no": lambda p: p.staff_no,
        "name": lambda p: p.name,
        "gender": lambda p: _GENDER_WORDS.get(p.gender, ""),
        "id_number": (lambda p: p.id_number_clear()) if clear_ids else (lambda p: p.id_number_masked),
        "sub_union": lambda p: units.get(p.sub_union_id, ""),
        "employment_category": lambda p: p.employment_category.name if p.employment_category else "",
        "employment_status": lambda p: _STATUS_WORDS.get(p.employment_status, ""),
        "phone": lambda p: p.phone,
        "coverage_type": lambda p: _COVERAGE_WORDS.get(p.coverage_type, ""),
        "birth_date": lambda p: p.birth_date,
        "jingka_no": lambda p: p.jingka_no,
        "joined_on": lambda p: getattr(p, "current_joined_on", None),
    }
    return [(header_label(key), values[key]) for key in ROSTER_COLUMNS]


def filters_described(filters, id_number: str = "") -> str:
    """The list's filters as people read them (分工会：经济学院分工会；人员状态：在职); an ID number
    searched for is masked."""
    form = PersonFilter(filters, queryset=Person.objects.none()).form
    if not form.is_valid():
        return ""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "queryset"):
            shown = str(value)
        elif getattr(field, "choices", None):
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(value)
        parts.append(f"{field.label}：{shown}")
    if id_number:
        parts.append(f"{_('身份证号')}：{mask_id_number(id_number_normalise(id_number))}")
    return "；".join(parts)


def roster_export_xlsx(people, *, clear_ids: bool = False) -> tuple[bytes, int]:
    """The workbook of `people` (as `roster_export_people` gives them) and its number of rows."""
    columns = roster_export_columns(clear_ids=clear_ids)
    count = 0

    def rows():
        nonlocal count
        for person in people.iterator(2000):
            count += 1
            yield [value(person) for _header, value in columns]

    data = xlsx_bytes(
        headers=[header for header, _value in columns],
        rows=rows(),
        sheet_title=_("名册"),
        text_columns=EXPORT_TEXT_COLUMNS,
    )
    return data, count


@transaction.atomic
def roster_export_clear(*, actor: Actor, filters, id_number: str = "") -> tuple[bytes, int]:
    """The people `actor` may see, filtered as the list is (and by a 身份证号 posted with the
    confirmation), with ID numbers in clear. Only for the permission that reveals one person's
    number; logged with who, how many rows and which filter (never a number in clear)."""
    permission_require(actor, "people.reveal_id_number")
    people = person_list(user=actor, filters=filters, id_number=id_number)
    data, count = roster_export_xlsx(roster_export_people(people), clear_ids=True)
    described = filters_described(filters, id_number)
    audit_event_record(
        actor=actor,
        object_type="people.person",
        object_id="list",
        action=AuditAction.EXPORTED_CLEAR,
        message=_("导出人员名单（含明文身份证号）：%(count)d 人；筛选：%(filters)s")
        % {"count": count, "filters": described or _("无")},
        changes=changes_of(rows=count, filters=described),
    )
    return data, count

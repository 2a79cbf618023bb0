"""The competition's history (DOMAIN §3.7 "edition history"): every edition by level and year —
whether the university entered, how many of its teachers took part, the prizes won — and the
same per college and per person, with a person's later achievements (a past contestant who
later coaches or judges).

**Participants** of an edition are the university's teachers who took part in the selection
for it, each counted once:

- at a level the university runs (college, university): the teachers entered in the edition or
  in an edition feeding it (a college round feeding the school round);
- at Beijing or national level, when an edition of the system feeds it (the school round that
  recommends to it): the teachers entered in the whole selection — that round, the rounds
  feeding it, and the edition itself;
- when none does (an edition older than the system): the archive's figure
  (`participants_recorded`), or, where the archive has none, the edition's own entries;
- an edition the university did not enter has none (`None`).

Withdrawn entries do not count. A level's **teachers in all** is the sum over its editions (a
teacher who took part in two selections counts twice: the archive's figures cannot be told
apart by name).

Access: the editions are those `Competition.objects.restrict(user)` lets the user see; the
participant counts are figures of those editions (no names); the prizes come from
`Award.objects.restrict(user)`, the entries named per college and per person from
`Entry.objects.restrict(user)` and the judgeships from `Judge.objects.restrict(user)`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from gonghui.competitions.choices import HOSTED_LEVELS, LEVEL_ORDER, AwardKind, EntryStatus, Level
from gonghui.competitions.models import Award, Competition, Entry, Judge
from gonghui.competitions.selectors.entries import college_id_of
from gonghui.core.text import sort_key
from gonghui.people.models import Person, SubUnion

CONTESTANT, COACH, JUDGE = "contestant", "coach", "judge"
ROLE_LABELS = {CONTESTANT: _("参赛"), COACH: _("指导教师"), JUDGE: _("评委")}
ROLE_ORDER = {CONTESTANT: 0, COACH: 1, JUDGE: 2}
# Where participants come from (`EditionLine.source`).
FROM_ENTRIES, FROM_ARCHIVE = "entries", "recorded"


AWARD_KINDS = (AwardKind.RANK, AwardKind.SPECIAL, AwardKind.COACH, AwardKind.ORGANISATION)
_DIGITS = "零一二三四五六七八九"


def edition_number_label(number: int) -> str:
    """第十二届: an edition's number (届) in Chinese numerals (1–99); in English, in figures."""
    if not 0 < number < 100 or not (get_language() or "zh").startswith("zh"):
        return gettext("第%(n)s届") % {"n": number}
    tens, ones = divmod(number, 10)
    text = ("" if tens < 2 else _DIGITS[tens]) + ("十" if tens else "") + (_DIGITS[ones] if ones else "")
    return gettext("第%(n)s届") % {"n": text}


def award_order(award: Award) -> tuple:
    """Rank prizes first, then single, coach and organisation awards; by group, then rank."""
    last = 10**6
    return (
        AWARD_KINDS.index(AwardKind(award.kind)),
        award.group.position if award.group_id else last,
        award.entry.rank if award.entry_id and award.entry.rank else last,
        award.pk,
    )


def _edition_order(competition: Competition) -> tuple:
    return (competition.year, LEVEL_ORDER[Level(competition.level)], competition.number or 0, competition.pk)


@dataclass
class PrizeLine:
    """A prize won in an edition: the award's label, to whom, and their college (its name)."""

    award: Award
    label: str
    recipient: str
    college: str
    kind: str


@dataclass
class EditionLine:
    competition: Competition
    participants: int | None  # None: the university did not enter
    source: str  # FROM_ENTRIES, FROM_ARCHIVE, or "" when not entered
    prizes: list[PrizeLine] = field(default_factory=list)

    @property
    def number(self) -> int | None:
        return self.competition.number

    @property
    def year(self) -> int:
        return self.competition.year

    @property
    def entered(self) -> bool:
        return self.competition.entered


@dataclass
class LevelHistory:
    """One level's editions in year order, with its totals."""

    level: str
    editions: list[EditionLine]

    @property
    def label(self) -> str:
        return str(Level(self.level).label)

    @property
    def held(self) -> int:
        return len(self.editions)

    @property
    def entered(self) -> int:
        return sum(1 for line in self.editions if line.entered)

    @property
    def teachers(self) -> int:
        return sum(line.participants or 0 for line in self.editions)

    @property
    def prizes(self) -> int:
        return sum(len(line.prizes) for line in self.editions)


def _people_by_edition(edition_ids) -> dict[int, set[int]]:
    people: dict[int, set[int]] = defaultdict(set)
    rows = (
        Entry.objects.filter(competition_id__in=edition_ids)
        .exclude(status=EntryStatus.WITHDRAWN)
        .values_list("competition_id", "person_id")
    )
    for competition_id, person_id in rows:
        people[competition_id].add(person_id)
    return people


def _feeders(competitions: list[Competition]) -> dict[int, set[int]]:
    """Each edition's editions feeding it, directly or through another (college → university →
    Beijing), among `competitions`."""
    fed_by: dict[int, set[int]] = defaultdict(set)
    for competition in competitions:
        if competition.feeds_into_id:
            fed_by[competition.feeds_into_id].add(competition.pk)
    closed: dict[int, set[int]] = {}

    def walk(pk: int, seen: frozenset) -> set[int]:
        if pk in closed:
            return closed[pk]
        found: set[int] = set()
        for feeder in fed_by.get(pk, ()):
            if feeder not in seen:
                found |= {feeder} | walk(feeder, seen | {feeder})
        closed[pk] = found
        return found

    return {c.pk: walk(c.pk, frozenset({c.pk})) for c in competitions}


def participants_of(competitions: list[Competition]) -> dict[int, tuple[int | None, str]]:
    """Each edition's participants and where the figure comes from (see the module's
    docstring)."""
    feeders = _feeders(competitions)
    people = _people_by_edition([c.pk for c in competitions])
    figures: dict[int, tuple[int | None, str]] = {}
    for competition in competitions:
        if not competition.entered:
            figures[competition.pk] = (None, "")
            continue
        chain = feeders[competition.pk]
        if competition.level in HOSTED_LEVELS or chain or competition.participants_recorded is None:
            selected = set(people.get(competition.pk, ()))
            for feeder in chain:
                selected |= people.get(feeder, set())
            figures[competition.pk] = (len(selected), FROM_ENTRIES)
        else:
            figures[competition.pk] = (competition.participants_recorded, FROM_ARCHIVE)
    return figures


def college_names() -> tuple[dict[int, int | None], dict[int, str]]:
    parents: dict[int, int | None] = dict(SubUnion.objects.values_list("pk", "parent_id"))
    names: dict[int, str] = dict(SubUnion.objects.values_list("pk", "name"))
    return parents, names


def award_college_id(award: Award, parents: dict[int, int | None]) -> int | None:
    """The college an award counts for: the contestant's nominating college, the college
    given the organisation award, or a coach's own college (from the roster)."""
    if award.entry_id is not None:
        return award.entry.college_id
    if award.college_id is not None:
        return college_id_of(award.college_id, parents)
    if award.person_id is not None:
        return college_id_of(award.person.sub_union_id, parents)
    return None


def _awards(user, **filters) -> list[Award]:
    found = Award.objects.restrict(user).filter(**filters)
    return sorted(
        found.select_related("entry", "person", "college", "group", "competition"),
        key=lambda award: (_edition_order(award.competition), *award_order(award)),
    )


def _prize_line(award: Award, parents, names) -> PrizeLine:
    college_id = award_college_id(award, parents)
    return PrizeLine(award, award.label, award.recipient, names.get(college_id, "") if college_id else "", award.kind)


def edition_history(*, user, level: str | None = None) -> list[LevelHistory]:
    """Every edition the user may see, by level (college, university, Beijing, national) and
    year, with its participants and prizes; a level with no edition is left out."""
    editions = Competition.objects.restrict(user)
    all_visible = list(editions.only("pk", "level", "year", "number", "entered", "participants_recorded", "feeds_into"))
    figures = participants_of(all_visible)
    shown = editions.filter(level=level) if level else editions
    competitions = sorted(shown.select_related("rules"), key=_edition_order)
    parents, names = college_names()
    prizes: dict[int, list[PrizeLine]] = defaultdict(list)
    for award in _awards(user, competition__in=[c.pk for c in competitions]):
        prizes[award.competition_id].append(_prize_line(award, parents, names))
    by_level: dict[str, list[EditionLine]] = defaultdict(list)
    for competition in competitions:
        participants, source = figures[competition.pk]
        by_level[competition.level].append(EditionLine(competition, participants, source, prizes[competition.pk]))
    return [LevelHistory(code, by_level[code]) for code in sorted(by_level, key=lambda code: LEVEL_ORDER[Level(code)])]


def level_history(*, user, level: str = Level.BEIJING) -> LevelHistory:
    """One level's history (the Beijing editions by default: "12 editions, entered 8, 400+")."""
    found = edition_history(user=user, level=level)
    return found[0] if found else LevelHistory(level, [])


# --- per college ---------------------------------------------------------------------------------


@dataclass
class CollegeEdition:
    competition: Competition
    entries: list[Entry]
    prizes: list[Award]


@dataclass
class CollegeHistory:
    """A college's entries and prizes, edition by edition (year order)."""

    college: SubUnion
    editions: list[CollegeEdition]

    @property
    def entries(self) -> int:
        return sum(len(e.entries) for e in self.editions)

    @property
    def prizes(self) -> int:
        return sum(len(e.prizes) for e in self.editions)

    def prizes_by_level(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for edition in self.editions:
            counts[edition.competition.level] += len(edition.prizes)
        return dict(counts)


def college_history(*, user, college_id: int | None = None) -> list[CollegeHistory]:
    """Each college's entries (the ones the user may see, withdrawn left out) and prizes, by
    edition in year order; colleges with neither are left out."""
    visible = Competition.objects.restrict(user)
    entries = (
        Entry.objects.restrict(user)
        .filter(competition__in=visible)
        .exclude(status=EntryStatus.WITHDRAWN)
        .select_related("competition", "person", "college", "group", "coach")
        .order_by("competition__year", "group__position", F("rank").asc(nulls_last=True), "person__name_pinyin", "pk")
    )
    if college_id is not None:
        entries = entries.filter(college_id=college_id)
    parents, _names = college_names()
    cells: dict[int, dict[int, CollegeEdition]] = defaultdict(dict)

    def cell(college: int, competition: Competition) -> CollegeEdition:
        return cells[college].setdefault(competition.pk, CollegeEdition(competition, [], []))

    for entry in entries:
        cell(entry.college_id, entry.competition).entries.append(entry)
    for award in _awards(user, competition__in=visible):
        college = award_college_id(award, parents)
        if college is not None and (college_id is None or college == college_id):
            cell(college, award.competition).prizes.append(award)
    colleges = {c.pk: c for c in SubUnion.objects.filter(pk__in=cells)}
    return [
        CollegeHistory(colleges[pk], sorted(cells[pk].values(), key=lambda e: _edition_order(e.competition)))
        for pk in sorted(cells, key=lambda pk: (colleges[pk].sort_key, pk))
    ]


# --- per person ----------------------------------------------------------------------------------


@dataclass
class PersonLine:
    """One part a person took in an edition: contestant (with their group, score, rank),
    coach of a contestant, or judge; with the awards that part won."""

    competition: Competition
    role: str
    entry: Entry | None = None
    judge: Judge | None = None
    awards: list[Award] = field(default_factory=list)
    later: bool = False  # coach or judge after having been a contestant

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])

    @property
    def year(self) -> int:
        return self.competition.year


@dataclass
class PersonHistory:
    person: Person
    lines: list[PersonLine]

    @property
    def first_contest(self) -> PersonLine | None:
        return next((line for line in self.lines if line.role == CONTESTANT), None)

    @property
    def later_lines(self) -> list[PersonLine]:
        return [line for line in self.lines if line.later]

    @property
    def awards(self) -> list[Award]:
        return [award for line in self.lines for award in line.awards]


def _person_lines(user, person_ids) -> dict[int, list[PersonLine]]:
    visible = Competition.objects.restrict(user)
    lines: dict[int, list[PersonLine]] = defaultdict(list)
    related = ("competition", "person", "college", "group", "coach")
    contests = (
        Entry.objects.restrict(user)
        .filter(competition__in=visible, person_id__in=person_ids)
        .exclude(status=EntryStatus.WITHDRAWN)
        .select_related(*related)
    )
    coached = (
        Entry.objects.restrict(user)
        .filter(competition__in=visible, coach_id__in=person_ids)
        .exclude(status=EntryStatus.WITHDRAWN)
        .select_related(*related)
    )
    awards = _awards(user, competition__in=visible, person_id__in=person_ids)
    by_entry: dict[int, list[Award]] = defaultdict(list)
    coach_awards: dict[tuple[int | None, int], list[Award]] = defaultdict(list)
    for award in awards:
        if award.entry_id is not None:
            by_entry[award.entry_id].append(award)
        elif award.kind == AwardKind.COACH:
            coach_awards[(award.person_id, award.competition_id)].append(award)
    for entry in contests:
        lines[entry.person_id].append(PersonLine(entry.competition, CONTESTANT, entry=entry, awards=by_entry[entry.pk]))
    seen_coaching: set[tuple[int, int]] = set()
    for entry in coached.order_by("competition__year", "pk"):
        key = (entry.coach_id, entry.competition_id)
        line = PersonLine(entry.competition, COACH, entry=entry)
        if key not in seen_coaching:  # the edition's coach award goes with the first line
            line.awards = coach_awards[key]
            seen_coaching.add(key)
        lines[entry.coach_id].append(line)
    judges = (
        Judge.objects.restrict(user)
        .filter(competition__in=visible, user__person_id__in=person_ids)
        .select_related("competition", "group", "user")
    )
    for judge in judges:
        lines[judge.user.person_id].append(PersonLine(judge.competition, JUDGE, judge=judge))
    for person_lines in lines.values():
        person_lines.sort(key=lambda line: (*_edition_order(line.competition), ROLE_ORDER[line.role]))
        first = next((line.year for line in person_lines if line.role == CONTESTANT), None)
        for line in person_lines:
            line.later = first is not None and line.role != CONTESTANT and line.year > first
    return lines


def person_history(*, user, person: Person) -> PersonHistory:
    """Everything a person did in the competition that the user may see, in year order: their
    entries as contestant (awards with them), the contestants they coached (with the coach
    award), their places on judging panels; lines after their first contest as coach or
    judge are marked `later`."""
    return PersonHistory(person, _person_lines(user, [person.pk]).get(person.pk, []))


def later_achievements(*, user) -> list[PersonHistory]:
    """The past contestants who later coached or judged (as far as the user may see), by the
    year of their first contest."""
    contestants = set(
        Entry.objects.restrict(user)
        .filter(competition__in=Competition.objects.restrict(user))
        .exclude(status=EntryStatus.WITHDRAWN)
        .values_list("person_id", flat=True)
    )
    lines = _person_lines(user, contestants)
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[pk for pk, found in lines.items() if any(line.later for line in found)])
    }
    histories = [PersonHistory(people[pk], lines[pk]) for pk in people]
    histories.sort(key=lambda h: (h.first_contest.year if h.first_contest else 0, sort_key(h.person.name)))
    return histories

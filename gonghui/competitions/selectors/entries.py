"""Reading entries: who may enter (with every reason why not), each college's seats, whose
materials are missing, and the lists the pages show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from gonghui.competitions.choices import AwardKind, EntryStatus, MaterialKind, PastWinnerRule, TeachingPost
from gonghui.competitions.models import Award, Competition, Entry, EntryMaterial, PrizeTier
from gonghui.people.choices import EmploymentStatus, MembershipStatus, SubUnionKind
from gonghui.people.models import Person, SubUnion, UnionMembership

# Entries that hold a seat (a withdrawn entry gives its seat back).
ACTIVE_ENTRY = ~Q(status=EntryStatus.WITHDRAWN)


def _young_teachers(competition: Competition) -> QuerySet[Person]:
    """The roster's young teachers for the edition: serving, born on or after the cut-off,
    and union members when the rules ask for it."""
    rules = competition.rules
    people = Person.objects.filter(employment_status=EmploymentStatus.ACTIVE)
    if rules is not None and rules.born_on_or_after:
        people = people.filter(birth_date__gte=rules.born_on_or_after)
    if rules is not None and rules.member_required:
        people = people.filter(
            Exists(UnionMembership.objects.filter(person=OuterRef("pk"), status=MembershipStatus.ACTIVE))
        )
    return people


@dataclass
class CollegeSeats:
    college: SubUnion
    young_teachers: int
    seats: int | None  # None: no quota
    used: int

    @property
    def left(self) -> int | None:
        return None if self.seats is None else max(self.seats - self.used, 0)


def college_seats(competition: Competition, *, college_ids: set[int] | None = None) -> list[CollegeSeats]:
    """Each college's seats: one per `quota_per` young teachers (rounded down) plus
    `quota_bonus`, counted from the roster; and the seats its entries take."""
    rules = competition.rules
    parents = dict(SubUnion.objects.values_list("pk", "parent_id"))
    colleges = SubUnion.objects.filter(parent__isnull=True, ended_on__isnull=True).exclude(kind=SubUnionKind.RETIREES)
    if college_ids is not None:
        colleges = colleges.filter(pk__in=college_ids)
    counts: Counter[int] = Counter()
    young = _young_teachers(competition).values("sub_union_id").annotate(n=Count("pk")).values_list("sub_union_id", "n")
    for sub_union_id, n in young:
        counts[college_id_of(sub_union_id, parents)] += n
    used = Counter(
        dict(
            competition.entries.filter(ACTIVE_ENTRY)
            .values("college_id")
            .annotate(n=Count("pk"))
            .values_list("college_id", "n")
        )
    )
    rows = []
    for college in colleges.order_by("sort_key", "pk"):
        young_count = counts.get(college.pk, 0)
        seats = None
        if rules is not None and rules.quota_per:
            seats = young_count // rules.quota_per + rules.quota_bonus
        rows.append(CollegeSeats(college, young_count, seats, used.get(college.pk, 0)))
    return rows


def college_id_of(sub_union_id: int, parents: Mapping[int, int | None]) -> int:
    """The college-level sub-union of a sub-union (a group's top ancestor)."""
    current = sub_union_id
    while parents.get(current):
        current = parents[current]  # type: ignore[assignment]
    return current


@dataclass
class Eligibility:
    person: Person
    college_id: int
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _first_prize_codes(competition_ids) -> dict[int, str]:
    """Each edition's first prize (its rules' top rank prize)."""
    rules_of = dict(Competition.objects.filter(pk__in=competition_ids).values_list("pk", "rules_id"))
    firsts_by_rules: dict[int, str] = {}
    for rules_id, code in (
        PrizeTier.objects.filter(edition_id__in=set(rules_of.values()))
        .order_by("position", "id")
        .values_list("edition_id", "code")
    ):
        firsts_by_rules.setdefault(rules_id, code)
    return {pk: firsts_by_rules[rules_id] for pk, rules_id in rules_of.items() if rules_id in firsts_by_rules}


def past_wins(competition: Competition, person_ids) -> dict[int, list[Award]]:
    """Rank prizes the people won at the same level in earlier editions."""
    awards = list(
        Award.objects.filter(
            kind=AwardKind.RANK,
            entry__person_id__in=person_ids,
            competition__level=competition.level,
            competition__year__lt=competition.year,
        ).select_related("competition", "entry")
    )
    by_person: dict[int, list[Award]] = {}
    for award in awards:
        by_person.setdefault(award.entry.person_id, []).append(award)
    return by_person


def eligibility(
    competition: Competition, people: list[Person], *, teaching_post: str | None = None
) -> list[Eligibility]:
    """Whether each person may enter the edition, with every reason they may not (the
    quota is the nominating college's, counted separately)."""
    rules = competition.rules
    parents = dict(SubUnion.objects.values_list("pk", "parent_id"))
    ids = [p.pk for p in people]
    members = set(
        UnionMembership.objects.filter(person_id__in=ids, status=MembershipStatus.ACTIVE).values_list(
            "person_id", flat=True
        )
    )
    entered = set(competition.entries.filter(person_id__in=ids).values_list("person_id", flat=True))
    wins = past_wins(competition, ids) if rules and rules.past_winner_rule != PastWinnerRule.NONE else {}
    firsts = _first_prize_codes({a.competition_id for awards in wins.values() for a in awards})
    results = []
    for person in people:
        result = Eligibility(person, college_id_of(person.sub_union_id, parents))
        reasons = result.reasons
        if person.pk in entered:
            reasons.append(_("已报名本届比赛。"))
        if person.employment_status != EmploymentStatus.ACTIVE:
            reasons.append(_("不是在职教职工。"))
        if rules is not None:
            if rules.born_on_or_after and person.birth_date < rules.born_on_or_after:
                reasons.append(
                    _("出生日期 %(born)s 早于 %(cutoff)s（年龄超出）。")
                    % {"born": person.birth_date.isoformat(), "cutoff": rules.born_on_or_after.isoformat()}
                )
            if rules.member_required and person.pk not in members:
                reasons.append(_("不是在会的工会会员。"))
            if teaching_post is not None and rules.eligible_posts and teaching_post not in rules.eligible_posts:
                allowed = "、".join(str(TeachingPost(p).label) for p in rules.eligible_posts)
                reasons.append(_("岗位不符：本届限%(posts)s。") % {"posts": allowed})
            for award in wins.get(person.pk, []):
                first = firsts.get(award.competition_id)
                if rules.past_winner_rule == PastWinnerRule.ANY_PRIZE or award.code == first:
                    reasons.append(
                        _("已在%(edition)s获%(prize)s，不再参加同级比赛。")
                        % {"edition": award.competition.title, "prize": award.label}
                    )
                    break
        results.append(result)
    return results


def entries_without_materials(competition: Competition) -> list[str]:
    """Names of the contestants still in the edition whose materials are not complete."""
    return list(
        competition.entries.filter(status=EntryStatus.NOMINATED)
        .order_by("person__name_pinyin", "person__name", "pk")
        .values_list("person__name", flat=True)
    )


def materials_missing(entry: Entry) -> list[str]:
    """What an entry still has to upload (the rules' lesson plans and the slides)."""
    rules = entry.competition.rules
    present = set(EntryMaterial.objects.filter(entry=entry).values_list("kind", "number"))
    missing = []
    required = rules.lesson_plans_required if rules is not None else 0
    for number in range(1, required + 1):
        if (MaterialKind.LESSON_PLAN, number) not in present:
            missing.append(_("教案 %(n)s") % {"n": number})
    if required and (MaterialKind.SLIDES, 1) not in present:
        missing.append(str(MaterialKind.SLIDES.label))
    return missing


def current_materials(entry: Entry) -> list[tuple[EntryMaterial, int]]:
    """Each material's newest version, with how many versions there are."""
    rows = list(
        EntryMaterial.objects.filter(entry=entry).select_related("attachment").order_by("kind", "number", "-version")
    )
    newest: dict[tuple[str, int], tuple[EntryMaterial, int]] = {}
    for row in rows:
        key = (row.kind, row.number)
        if key not in newest:
            newest[key] = (row, row.version)
    return list(newest.values())


def entry_list(user, competition: Competition) -> QuerySet[Entry]:
    return (
        Entry.objects.restrict(user)
        .filter(competition=competition)
        .select_related("person", "college", "group", "coach")
        .prefetch_related(Prefetch("awards", queryset=Award.objects.restrict(user)))
        .order_by("group__position", "appearance", "college__sort_key", "person__name_pinyin", "pk")
    )

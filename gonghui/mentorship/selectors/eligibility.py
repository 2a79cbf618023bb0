"""Who may mentor and who is a new teacher in a cohort, by its rules, with every reason not
(DOMAIN §3.8: a mentor associate professor or above with 5+ years teaching, of the same
discipline, with a place left; a new teacher a recent hire under 40)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from gonghui.mentorship.choices import LIVE_PAIR_STATUSES, RANK_ORDER, TitleRank
from gonghui.mentorship.models import Cohort, MentorshipRules, Pair, TeacherProfile
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person


def years_between(start: datetime.date, end: datetime.date) -> int:
    """Whole years from `start` to `end` (an age, a seniority)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


@dataclass
class Check:
    person: Person
    profile: TeacherProfile | None
    reasons: list[str] = field(default_factory=list)
    load: int = 0  # live pairs held as a mentor in this cohort
    places: int = 0  # how many more mentees they may take

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _profiles(people: Iterable[Person]) -> dict[int, TeacherProfile]:
    return {p.person_id: p for p in TeacherProfile.objects.filter(person__in=[x.pk for x in people])}


def mentor_loads(cohort: Cohort, person_ids: Iterable[int]) -> dict[int, int]:
    """Live pairs each person holds as a mentor in the cohort."""
    rows = (
        Pair.objects.filter(cohort=cohort, mentor_id__in=list(person_ids), status__in=LIVE_PAIR_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("pk"))
    )
    return {row["mentor_id"]: row["n"] for row in rows}


def mentor_checks(cohort: Cohort, people: list[Person]) -> list[Check]:
    rules: MentorshipRules = cohort.rules
    on = cohort.starts_on
    profiles = _profiles(people)
    loads = mentor_loads(cohort, [p.pk for p in people])
    results = []
    for person in people:
        profile = profiles.get(person.pk)
        check = Check(person, profile, load=loads.get(person.pk, 0))
        if person.employment_status != EmploymentStatus.ACTIVE:
            check.reasons.append(_("不是在职教职工。"))
        if profile is None:
            check.reasons.append(_("没有教师档案（职称、学科、教龄）。"))
        else:
            if RANK_ORDER[TitleRank(profile.title_rank)] < RANK_ORDER[TitleRank(rules.mentor_min_rank)]:
                check.reasons.append(
                    _("职称%(title)s低于%(rank)s。")
                    % {
                        "title": profile.title or profile.get_title_rank_display(),
                        "rank": TitleRank(rules.mentor_min_rank).label,
                    }
                )
            if profile.teaching_since is None:
                check.reasons.append(_("教师档案没有从事教学工作的起始日期。"))
            elif years_between(profile.teaching_since, on) < rules.mentor_min_teaching_years:
                check.reasons.append(
                    _("教龄 %(years)s 年，不足 %(min)s 年。")
                    % {"years": years_between(profile.teaching_since, on), "min": rules.mentor_min_teaching_years}
                )
        check.places = max(rules.mentor_max_mentees - check.load, 0)
        if not check.reasons and check.places == 0:
            check.reasons.append(
                _("本期已带 %(load)s 人，达到上限 %(max)s 人。") % {"load": check.load, "max": rules.mentor_max_mentees}
            )
        results.append(check)
    return results


def mentee_checks(cohort: Cohort, people: list[Person]) -> list[Check]:
    rules: MentorshipRules = cohort.rules
    on = cohort.starts_on
    profiles = _profiles(people)
    paired = set(
        Pair.objects.filter(
            cohort=cohort, mentee__in=[p.pk for p in people], status__in=LIVE_PAIR_STATUSES
        ).values_list("mentee_id", flat=True)
    )
    results = []
    for person in people:
        profile = profiles.get(person.pk)
        check = Check(person, profile)
        if person.employment_status != EmploymentStatus.ACTIVE:
            check.reasons.append(_("不是在职教职工。"))
        age = years_between(person.birth_date, on)
        if rules.mentee_max_age and age >= rules.mentee_max_age:
            check.reasons.append(
                _("本期开始时已满 %(age)s 周岁（须不满 %(max)s 周岁）。") % {"age": age, "max": rules.mentee_max_age}
            )
        if rules.mentee_hired_within_years:
            if profile is None or profile.hired_on is None:
                check.reasons.append(_("教师档案没有入职日期。"))
            elif years_between(profile.hired_on, on) >= rules.mentee_hired_within_years or profile.hired_on > on:
                check.reasons.append(
                    _("入职日期 %(hired)s，不是本期的新入职教师（%(years)s 年内）。")
                    % {"hired": profile.hired_on.isoformat(), "years": rules.mentee_hired_within_years}
                )
        if person.pk in paired:
            check.reasons.append(_("本期已有结对。"))
        results.append(check)
    return results

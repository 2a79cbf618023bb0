"""Mentorship's section on a person's page (core `person_sections`): the person's pairs as a
mentor and as a mentee, with the cohort, the other teacher, the status and the grade; and,
for a mentor, the competition entries of their mentees that they coached ("a mentor who
coached a contestant"), when the competition module is installed. Everything through the
scoped querysets: only what the viewer may see."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.core.registry import PersonSection, PersonSectionRow
from gonghui.mentorship.choices import AssessmentStage, PairStatus, Side
from gonghui.mentorship.models import Assessment, Pair


def pair_grade(assessments: list[Assessment]) -> str:
    """The pair's grade as it stands: the end-of-cycle grade, and the extension's result."""
    by_stage = {a.stage: a for a in assessments if a.grade_label}
    cycle, extension = by_stage.get(AssessmentStage.CYCLE), by_stage.get(AssessmentStage.EXTENSION)
    if cycle is None:
        return ""
    if extension is None:
        return cycle.grade_label
    return _("%(cycle)s，延期考核%(result)s") % {"cycle": cycle.grade_label, "result": extension.grade_label}


def _pairs_section(viewer, person) -> tuple[PersonSection | None, list[int]]:
    pairs = list(
        Pair.objects.restrict(viewer)
        .filter(Q(mentor=person) | Q(mentee=person))
        .exclude(status=PairStatus.WITHDRAWN)
        .select_related("cohort", "mentor", "mentee", "college")
        .order_by("cohort__number", "pk")
    )
    if not pairs:
        return None, []
    grades: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.restrict(viewer).filter(pair__in=pairs):
        grades[assessment.pair_id].append(assessment)
    rows = []
    for pair in pairs:
        as_mentor = pair.mentor_id == person.pk
        other = pair.mentee if as_mentor else pair.mentor
        rows.append(
            PersonSectionRow(
                cells=(
                    pair.cohort.name,
                    str(Side.MENTOR.label if as_mentor else Side.MENTEE.label),
                    f"{other.name}（{other.staff_no}）",
                    pair.college.name,
                    pair.get_status_display(),
                    pair_grade(grades[pair.pk]),
                )
            )
        )
    mentees = [pair.mentee_id for pair in pairs if pair.mentor_id == person.pk]
    section = PersonSection(
        key="mentorship",
        title=_("青年教师拜师结对"),
        columns=(_("期次"), _("身份"), _("结对教师"), _("单位"), _("状态"), _("考核等次")),
        rows=tuple(rows),
    )
    return section, mentees


def _coached_section(viewer, person, mentees: list[int]) -> PersonSection | None:
    """The competition entries of the person's mentees that the person coached."""
    if not mentees or not apps.is_installed("gonghui.competitions"):
        return None
    from gonghui.competitions.choices import EntryStatus
    from gonghui.competitions.models import Award, Entry

    entries = list(
        Entry.objects.restrict(viewer)
        .filter(coach=person, person_id__in=mentees)
        .exclude(status=EntryStatus.WITHDRAWN)
        .select_related("competition", "person", "group")
        .order_by("competition__year", "pk")
    )
    if not entries:
        return None
    awards: dict[int, list[str]] = defaultdict(list)
    for award in Award.objects.restrict(viewer).filter(entry__in=entries).order_by("pk"):
        awards[award.entry_id].append(award.label)
    rows = tuple(
        PersonSectionRow(
            cells=(
                _("%(title)s（%(year)s）") % {"title": e.competition.title, "year": e.competition.year},
                e.person.name,
                str(e.group),
                "、".join(awards[e.pk]),
            )
        )
        for e in entries
    )
    return PersonSection(
        key="mentorship-coached",
        title=_("指导的青年教师参加青教赛"),
        columns=(_("比赛"), pgettext("mentorship", "青年教师"), _("组别"), _("奖项")),
        rows=rows,
    )


def mentorship_person_sections(viewer, person) -> list[PersonSection]:
    """The person's pairs (none when the viewer sees none), then the entries they coached."""
    pairs, mentees = _pairs_section(viewer, person)
    coached = _coached_section(viewer, person, mentees)
    return [section for section in (pairs, coached) if section is not None]

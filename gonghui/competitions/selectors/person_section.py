"""The competition's section on a person's page (core `person_sections`): the person's
entries as a contestant and the contestants they coached, each with its edition, group and
awards, as far as the viewer may see them (`selectors.history.person_history`, which reads
through the scoped querysets)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.competitions.selectors.history import COACH, CONTESTANT, person_history
from gonghui.core.registry import PersonSection, PersonSectionRow


def competitions_person_sections(viewer, person) -> list[PersonSection]:
    """One section, "青教赛", when the viewer may see any entry of the person's or coached by
    them; none otherwise."""
    lines = [line for line in person_history(user=viewer, person=person).lines if line.role in (CONTESTANT, COACH)]
    if not lines:
        return []
    rows = []
    for line in lines:
        entry = line.entry
        rows.append(
            PersonSectionRow(
                cells=(
                    _("%(title)s（%(year)s）") % {"title": line.competition.title, "year": line.year},
                    line.role_label,
                    entry.person.name if line.role == COACH else "",
                    str(entry.group),
                    "、".join(award.label for award in line.awards),
                ),
                url=reverse("competitions:entry", args=[entry.pk]),
            )
        )
    return [
        PersonSection(
            key="competitions",
            title=_("青年教师教学基本功比赛"),
            columns=(_("比赛"), _("身份"), _("参赛教师"), _("组别"), _("奖项")),
            rows=tuple(rows),
        )
    ]

"""A cohort's rules (拜师结对实施办法): a core rule edition, adopted with its act.

The office writes the assessment grades as a few lines, as the 办法 lists them, and adopts
the rules at once; `rules_import` / `rules_export` read and write the same rules as JSON."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.core.editions import EditionStatus, edition_adopt
from gonghui.core.exceptions import ApplicationError
from gonghui.mentorship.choices import Outcome, TitleRank
from gonghui.mentorship.models import GradeRule, MentorshipRules

# The example of DOMAIN §3.8: 1,200 yuan if 合格; 600 first if 基本合格 and the rest after a
# passed 6-month extension.
DEFAULT_GRADES = "passed 合格 passed 1200\nbasic 基本合格 basically_passed 600 600\nfailed 不合格 failed 0"

_GRADE_LINE = re.compile(
    r"^([a-z][a-z0-9_-]{0,31})\s+(\S+)\s+([a-z_]+)\s+(\d+(?:\.\d{1,2})?)(?:\s+(\d+(?:\.\d{1,2})?))?$"
)


@dataclass(frozen=True)
class RulesSettings:
    """The rules' single values (the examples of DOMAIN §3.8 by default)."""

    year: int
    name: str
    mentor_min_rank: str = TitleRank.ASSOCIATE
    mentor_min_teaching_years: int = 5
    same_discipline: bool = True
    mentor_max_mentees: int = 1
    mentee_max_age: int = 40
    mentee_hired_within_years: int = 3
    cycle_months: int = 24
    demonstrations_per_year: int = 4
    observations_per_year: int = 8
    meetings_per_year: int = 0
    term_ends: tuple[str, ...] = field(default=("01-15", "07-05"))
    remind_days: int = 21
    extension_months: int = 6
    weight_discipline: int = 40
    weight_college: int = 20
    weight_field: int = 20
    weight_campus: int = 10
    weight_load: int = 10


def grades_parse(text: str) -> list[dict]:
    """The grades the lines describe (`code 等次 outcome 津贴 [延期后补发]`), or the first wrong line."""
    rows = []
    lines = [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), 1) if line.strip()]
    for position, (n, line) in enumerate(lines):
        match = _GRADE_LINE.match(line)
        if not match or match.group(3) not in Outcome.values:
            raise ApplicationError(
                _("第 %(n)s 行“%(line)s”看不懂，应写成：%(example)s")
                % {"n": n, "line": line, "example": "basic 基本合格 basically_passed 600 600"},
                extra={"field": "grades"},
            )
        code, label, outcome, stipend, after = match.groups()
        try:
            rows.append(
                {
                    "code": code,
                    "label": label,
                    "outcome": outcome,
                    "stipend": Decimal(stipend).quantize(Decimal("0.01")),
                    "stipend_after_extension": Decimal(after or "0").quantize(Decimal("0.01")),
                    "position": position,
                }
            )
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
            raise ApplicationError(_("金额看不懂。"), extra={"field": "grades"}) from error
    codes = [row["code"] for row in rows]
    if len(codes) != len(set(codes)):
        raise ApplicationError(_("代码不能重复。"), extra={"field": "grades"})
    return rows


def grades_text(edition: MentorshipRules | None) -> str:
    if edition is None:
        return DEFAULT_GRADES
    return "\n".join(
        f"{g.code} {g.label} {g.outcome} {g.stipend}"
        + (f" {g.stipend_after_extension}" if g.stipend_after_extension else "")
        for g in edition.grades.all()
    )


def rules_in_force(year: int) -> MentorshipRules | None:
    return MentorshipRules.objects.filter(year=year, status=EditionStatus.ADOPTED).prefetch_related("grades").first()


@transaction.atomic
def rules_adopt(
    *, actor, settings: RulesSettings, grades: str, adopted_on: datetime.date, resolution: str
) -> MentorshipRules:
    """A new edition of the rules for a year, adopted at once (the one in force for that year
    is superseded; cohorts under way keep the rules they started under)."""
    permission_require(actor, "mentorship.add_mentorshiprules")
    permission_require(actor, "mentorship.adopt_mentorshiprules")
    if not (settings.name or "").strip():
        raise ApplicationError(_("请填写办法名称。"), extra={"field": "name"})
    if settings.mentor_min_rank not in TitleRank.values:
        raise ApplicationError(_("请选择指导教师最低职称。"), extra={"field": "mentor_min_rank"})
    if settings.mentor_max_mentees < 1:
        raise ApplicationError(_("每位指导教师至少带 1 人。"), extra={"field": "mentor_max_mentees"})
    rows = grades_parse(grades)
    edition = MentorshipRules.objects.create(
        year=settings.year,
        name=settings.name.strip(),
        mentor_min_rank=settings.mentor_min_rank,
        mentor_min_teaching_years=settings.mentor_min_teaching_years,
        same_discipline=settings.same_discipline,
        mentor_max_mentees=settings.mentor_max_mentees,
        mentee_max_age=settings.mentee_max_age,
        mentee_hired_within_years=settings.mentee_hired_within_years,
        cycle_months=settings.cycle_months,
        demonstrations_per_year=settings.demonstrations_per_year,
        observations_per_year=settings.observations_per_year,
        meetings_per_year=settings.meetings_per_year,
        term_ends=list(settings.term_ends),
        remind_days=settings.remind_days,
        extension_months=settings.extension_months,
        weight_discipline=settings.weight_discipline,
        weight_college=settings.weight_college,
        weight_field=settings.weight_field,
        weight_campus=settings.weight_campus,
        weight_load=settings.weight_load,
        created_by=actor,
    )
    GradeRule.objects.bulk_create(GradeRule(edition=edition, **row) for row in rows)
    edition_adopt(actor=actor, edition=edition, adopted_on=adopted_on, resolution=resolution)
    edition.refresh_from_db()
    return edition

"""The year's appraisal rules: a core rule edition, adopted with its act (e.g. 组织部文件).

The office or the organisation department writes the rules as a few lines (one category, grade
or flag per line, as the 考核办法 lists them) and adopts them at once; `rules_import` /
`rules_export` read and write the same rules as a JSON document."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.appraisals.choices import BallotKind, Comparison, VotingMode
from gonghui.appraisals.models import AppraisalRules, FlagRule, Grade, VoterCategory
from gonghui.core.editions import EditionStatus, edition_adopt
from gonghui.core.exceptions import ApplicationError

# The example rules of DOMAIN §3.6, offered to a new year's form.
DEFAULT_CATEGORIES = "leader 校领导 30\ncadre 中层干部 30\nstaff 教职工 40 参评"
DEFAULT_CADRE_GRADES = "excellent 优秀 100\ncompetent 称职 80\nbasic 基本称职 60\nincompetent 不称职 0"
DEFAULT_TEAM_GRADES = "good 好 100\nfair 较好 80\naverage 一般 60\npoor 差 0"
DEFAULT_FLAGS = "admonition 诫勉谈话 excellent+competent < 2/3\nremoval 考虑调整 incompetent > 1/3"

_CODE = r"[a-z][a-z0-9_-]{0,31}"
_CATEGORY_LINE = re.compile(rf"^({_CODE})\s+(\S+)\s+(\d{{1,3}})(\s+参评|\s+quorum)?$")
_GRADE_LINE = re.compile(rf"^({_CODE})\s+(\S+)\s+(\d{{1,3}})$")
_FLAG_LINE = re.compile(rf"^(?:(team)\s+)?({_CODE})\s+(\S+)\s+({_CODE}(?:\+{_CODE})*)\s*([<>])\s*(\d+)/(\d+)$")


@dataclass(frozen=True)
class RulesText:
    """The rules as the form writes them, one line per entry."""

    categories: str
    cadre_grades: str
    team_grades: str
    flags: str


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), 1) if line.strip()]


def _bad_line(field: str, number: int, line: str, example: str) -> ApplicationError:
    return ApplicationError(
        _("第 %(n)s 行“%(line)s”看不懂，应写成：%(example)s") % {"n": number, "line": line, "example": example},
        extra={"field": field},
    )


def rules_parse(text: RulesText, *, team_ballot: bool) -> tuple[list[dict], list[dict], list[dict]]:
    """The categories, grades and flags the lines describe, or the first line that is wrong."""
    categories = []
    for position, (n, line) in enumerate(_lines(text.categories)):
        match = _CATEGORY_LINE.match(line)
        if not match:
            raise _bad_line("categories", n, line, "staff 教职工 40 参评")
        code, name, weight, quorum = match.groups()
        categories.append(
            {"code": code, "name": name, "weight": int(weight), "counts_for_quorum": bool(quorum), "position": position}
        )
    grades = []
    scales = [(BallotKind.CADRE, "cadre_grades", text.cadre_grades)]
    if team_ballot:
        scales.append((BallotKind.TEAM, "team_grades", text.team_grades))
    for kind, field, lines in scales:
        for position, (n, line) in enumerate(_lines(lines)):
            match = _GRADE_LINE.match(line)
            if not match:
                raise _bad_line(field, n, line, "excellent 优秀 100")
            code, label, score = match.groups()
            grades.append({"kind": kind, "code": code, "label": label, "score": int(score), "position": position})
    flags = []
    for n, line in _lines(text.flags):
        match = _FLAG_LINE.match(line)
        if not match:
            raise _bad_line("flags", n, line, "admonition 诫勉谈话 excellent+competent < 2/3")
        team, code, label, codes, sign, numerator, denominator = match.groups()
        flags.append(
            {
                "kind": BallotKind.TEAM if team else BallotKind.CADRE,
                "code": code,
                "label": label,
                "grades": codes.split("+"),
                "comparison": Comparison.BELOW if sign == "<" else Comparison.ABOVE,
                "numerator": int(numerator),
                "denominator": int(denominator),
            }
        )
    for rows, field in ((categories, "categories"), (flags, "flags")):
        codes = [row["code"] for row in rows]
        if len(codes) != len(set(codes)):
            raise ApplicationError(_("代码不能重复。"), extra={"field": field})
    for scale_kind in {g["kind"] for g in grades}:
        codes = [g["code"] for g in grades if g["kind"] == scale_kind]
        if len(codes) != len(set(codes)):
            field = "team_grades" if scale_kind == BallotKind.TEAM else "cadre_grades"
            raise ApplicationError(_("同一量表中的等次代码不能重复。"), extra={"field": field})
    return categories, grades, flags


def rules_text(edition: AppraisalRules | None) -> RulesText:
    """An edition's rules as the form's lines (the examples when there is none)."""
    if edition is None:
        return RulesText(DEFAULT_CATEGORIES, DEFAULT_CADRE_GRADES, DEFAULT_TEAM_GRADES, DEFAULT_FLAGS)
    categories = "\n".join(
        f"{c.code} {c.name} {c.weight}" + (" 参评" if c.counts_for_quorum else "") for c in edition.categories.all()
    )

    def scale(kind):
        return "\n".join(f"{g.code} {g.label} {g.score}" for g in edition.scale(kind))

    flags = "\n".join(
        ("team " if f.kind == BallotKind.TEAM else "")
        + f"{f.code} {f.label} {'+'.join(f.grades)} {'<' if f.comparison == Comparison.BELOW else '>'} "
        f"{f.numerator}/{f.denominator}"
        for f in edition.flags.all()
    )
    return RulesText(categories, scale(BallotKind.CADRE), scale(BallotKind.TEAM), flags)


def rules_in_force(year: int) -> AppraisalRules | None:
    return (
        AppraisalRules.objects.filter(year=year, status=EditionStatus.ADOPTED)
        .prefetch_related("categories", "grades", "flags")
        .first()
    )


@transaction.atomic
def rules_adopt(
    *,
    actor,
    year: int,
    name: str,
    quorum_numerator: int,
    quorum_denominator: int,
    report_days: int,
    mode: str,
    team_ballot: bool,
    text: RulesText,
    adopted_on: datetime.date,
    resolution: str,
) -> AppraisalRules:
    """A new edition of the year's rules, adopted at once (the one in force is superseded;
    rounds already under way keep the edition they were published under)."""
    permission_require(actor, "appraisals.adopt_appraisalrules")
    if mode not in VotingMode.values:
        raise ApplicationError(_("请选择投票方式。"), extra={"field": "mode"})
    if not 0 < quorum_numerator <= quorum_denominator:
        raise ApplicationError(_("参评比例须为不大于 1 的分数，如 2/3。"), extra={"field": "quorum_numerator"})
    categories, grades, flags = rules_parse(text, team_ballot=team_ballot)
    edition = AppraisalRules.objects.create(
        year=year,
        name=name.strip() or _("%(year)s年度中层干部民主测评办法") % {"year": year},
        quorum_numerator=quorum_numerator,
        quorum_denominator=quorum_denominator,
        report_days=report_days,
        mode=mode,
        team_ballot=team_ballot,
        based_on=rules_in_force(year),
        created_by=actor,
    )
    VoterCategory.objects.bulk_create(VoterCategory(edition=edition, **row) for row in categories)
    Grade.objects.bulk_create(Grade(edition=edition, **row) for row in grades)
    FlagRule.objects.bulk_create(FlagRule(edition=edition, **row) for row in flags)
    edition_adopt(actor=actor, edition=edition, adopted_on=adopted_on, resolution=resolution)
    return AppraisalRules.objects.get(pk=edition.pk)

"""An edition's rules (比赛方案): a core rule edition, adopted with its act (e.g. 校工会通知).

The office writes the groups, parts, prizes and single awards as a few lines each, as the
方案 lists them, and adopts them at once; `rules_import` / `rules_export` read and write the
same rules as a JSON document."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.competitions.choices import AwardKind, Level, PastWinnerRule, Rounding, SpecialBasis, TeachingPost
from gonghui.competitions.models import CompetitionGroup, CompetitionRules, PrizeTier, ScoringPart, SpecialAward
from gonghui.core.editions import EditionStatus, edition_adopt
from gonghui.core.exceptions import ApplicationError

# The examples of DOMAIN §3.7, offered to a new edition's form.
DEFAULT_GROUPS = "humanities-a 人文科学类 A组\nscience-a 自然科学类 A组"
DEFAULT_PARTS = (
    "design 教学设计 20 20 | 教学目标明确，内容安排合理，方法手段得当\n"
    "classroom 课堂教学 75 75 | 讲授准确清晰，组织有序，启发思维，语言规范\n"
    "reflection 教学反思 5 5 | 结合课堂教学，思路清晰，联系实际"
)
DEFAULT_PRIZES = "first 一等奖 20%\nsecond 二等奖 30%\nthird 三等奖 50%"
DEFAULT_SPECIALS = (
    "best-plan 最佳教案奖 best design\n"
    "best-show 最佳现场展示奖 best classroom\n"
    "coach 优秀指导教师奖 coach\n"
    "organisation 优秀组织奖 organisation"
)

_CODE = r"[a-z][a-z0-9_-]{0,31}"
_GROUP_LINE = re.compile(rf"^({_CODE})\s+(\S+)(?:\s+(\S+))?$")
_PART_LINE = re.compile(rf"^({_CODE})\s+(\S+)\s+(\d{{1,3}})(?:\s+(\d{{1,3}}))?\s*(?:\|\s*(.*))?$")
_PRIZE_LINE = re.compile(rf"^({_CODE})\s+(\S+)\s+(\d{{1,3}})(%?)$")
_SPECIAL_LINE = re.compile(rf"^({_CODE})\s+(\S+)\s+(best\s+{_CODE}|coach|organisation|conferred)$")


@dataclass(frozen=True)
class RulesText:
    """The rules' lists as the form writes them, one line per entry."""

    groups: str
    parts: str
    prizes: str
    specials: str


@dataclass(frozen=True)
class RulesSettings:
    """The rules' single values."""

    level: str
    year: int
    name: str
    born_on_or_after: datetime.date | None = None
    member_required: bool = True
    eligible_posts: tuple[str, ...] = (TeachingPost.FULL_TIME, TeachingPost.LAB)
    past_winner_rule: str = PastWinnerRule.FIRST_PRIZE
    quota_per: int = 20
    quota_bonus: int = 1
    lesson_plans_required: int = 5
    lesson_minutes: int = 50
    trim_highest: int = 1
    trim_lowest: int = 1
    trim_min_scores: int = 5
    places: int = 2
    rounding: str = Rounding.HALF_UP
    tie_break: tuple[str, ...] = field(default=("classroom", "design"))
    judges_per_group: int = 7


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), 1) if line.strip()]


def _bad_line(field_name: str, number: int, line: str, example: str) -> ApplicationError:
    return ApplicationError(
        _("第 %(n)s 行“%(line)s”看不懂，应写成：%(example)s") % {"n": number, "line": line, "example": example},
        extra={"field": field_name},
    )


def _unique(rows: list[dict], field_name: str) -> None:
    codes = [row["code"] for row in rows]
    if len(codes) != len(set(codes)):
        raise ApplicationError(_("代码不能重复。"), extra={"field": field_name})


def rules_parse(text: RulesText) -> dict[str, list[dict]]:
    """The groups, parts, prizes and single awards the lines describe, or the first wrong line."""
    groups = []
    for position, (n, line) in enumerate(_lines(text.groups)):
        match = _GROUP_LINE.match(line)
        if not match:
            raise _bad_line("groups", n, line, "humanities-a 人文科学类 A组")
        code, discipline, tier = match.groups()
        groups.append({"code": code, "discipline": discipline, "tier": tier or "", "position": position})
    parts = []
    for position, (n, line) in enumerate(_lines(text.parts)):
        match = _PART_LINE.match(line)
        if not match:
            raise _bad_line("parts", n, line, "classroom 课堂教学 75 100 | 评分标准")
        code, label, weight, full_marks, criteria = match.groups()
        parts.append(
            {
                "code": code,
                "label": label,
                "weight": int(weight),
                "full_marks": int(full_marks or 100),
                "criteria": (criteria or "").strip(),
                "position": position,
            }
        )
    prizes = []
    for position, (n, line) in enumerate(_lines(text.prizes)):
        match = _PRIZE_LINE.match(line)
        if not match:
            raise _bad_line("prizes", n, line, "first 一等奖 20%")
        code, label, amount, percent = match.groups()
        prizes.append(
            {
                "code": code,
                "label": label,
                "count": None if percent else int(amount),
                "share": int(amount) if percent else None,
                "position": position,
            }
        )
    specials = []
    for position, (n, line) in enumerate(_lines(text.specials)):
        match = _SPECIAL_LINE.match(line)
        if not match:
            raise _bad_line("specials", n, line, "best-plan 最佳教案奖 best design")
        code, label, how = match.groups()
        kind, basis, part_code = AwardKind.SPECIAL, SpecialBasis.CONFERRED, ""
        if how.startswith("best"):
            basis, part_code = SpecialBasis.BEST_PART, how.split()[1]
        elif how in ("coach", "organisation"):
            kind = AwardKind.COACH if how == "coach" else AwardKind.ORGANISATION
        specials.append(
            {"code": code, "label": label, "kind": kind, "basis": basis, "part_code": part_code, "position": position}
        )
    for rows, field_name in ((groups, "groups"), (parts, "parts"), (prizes, "prizes"), (specials, "specials")):
        _unique(rows, field_name)
    if {p["code"] for p in prizes} & {s["code"] for s in specials}:
        raise ApplicationError(_("名次奖与单项奖的代码不能相同。"), extra={"field": "specials"})
    return {"groups": groups, "parts": parts, "prizes": prizes, "specials": specials}


def rules_text(edition: CompetitionRules | None) -> RulesText:
    """An edition's lists as the form's lines (the examples when there is none)."""
    if edition is None:
        return RulesText(DEFAULT_GROUPS, DEFAULT_PARTS, DEFAULT_PRIZES, DEFAULT_SPECIALS)
    groups = "\n".join(f"{g.code} {g.discipline} {g.tier}".rstrip() for g in edition.groups.all())
    parts = "\n".join(
        f"{p.code} {p.label} {p.weight} {p.full_marks}" + (f" | {p.criteria}" if p.criteria else "")
        for p in edition.parts.all()
    )
    prizes = "\n".join(
        f"{p.code} {p.label} " + (f"{p.share}%" if p.share is not None else f"{p.count}") for p in edition.prizes.all()
    )

    def how(special: SpecialAward) -> str:
        if special.basis == SpecialBasis.BEST_PART:
            return f"best {special.part_code}"
        if special.kind in (AwardKind.COACH, AwardKind.ORGANISATION):
            return str(special.kind)
        return "conferred"

    specials = "\n".join(f"{s.code} {s.label} {how(s)}" for s in edition.specials.all())
    return RulesText(groups, parts, prizes, specials)


def rules_in_force(level: str, year: int) -> CompetitionRules | None:
    return (
        CompetitionRules.objects.filter(level=level, year=year, status=EditionStatus.ADOPTED)
        .prefetch_related("groups", "parts", "prizes", "specials")
        .first()
    )


@transaction.atomic
def rules_adopt(
    *, actor, settings: RulesSettings, text: RulesText, adopted_on: datetime.date, resolution: str
) -> CompetitionRules:
    """A new edition of the level's rules for the year, adopted at once (the one in force is
    superseded; editions already under way keep the rules they were announced under)."""
    permission_require(actor, "competitions.add_competitionrules")
    permission_require(actor, "competitions.adopt_competitionrules")
    if settings.level not in Level.values:
        raise ApplicationError(_("未知的级别。"), extra={"field": "level"})
    if not (settings.name or "").strip():
        raise ApplicationError(_("请填写方案名称。"), extra={"field": "name"})
    if settings.trim_min_scores < settings.trim_highest + settings.trim_lowest + 1:
        raise ApplicationError(
            _("去掉最高分和最低分后至少要留一个评分：“至少几个评分”须大于去掉的个数之和。"),
            extra={"field": "trim_min_scores"},
        )
    if settings.places > 3:
        raise ApplicationError(_("总分最多保留 3 位小数。"), extra={"field": "places"})
    rows = rules_parse(text)
    edition = CompetitionRules.objects.create(
        level=settings.level,
        year=settings.year,
        name=settings.name.strip(),
        born_on_or_after=settings.born_on_or_after,
        member_required=settings.member_required,
        eligible_posts=list(settings.eligible_posts),
        past_winner_rule=settings.past_winner_rule,
        quota_per=settings.quota_per,
        quota_bonus=settings.quota_bonus,
        lesson_plans_required=settings.lesson_plans_required,
        lesson_minutes=settings.lesson_minutes,
        trim_highest=settings.trim_highest,
        trim_lowest=settings.trim_lowest,
        trim_min_scores=settings.trim_min_scores,
        places=settings.places,
        rounding=settings.rounding,
        tie_break=list(settings.tie_break),
        judges_per_group=settings.judges_per_group,
        created_by=actor,
    )
    CompetitionGroup.objects.bulk_create(CompetitionGroup(edition=edition, **row) for row in rows["groups"])
    ScoringPart.objects.bulk_create(ScoringPart(edition=edition, **row) for row in rows["parts"])
    PrizeTier.objects.bulk_create(PrizeTier(edition=edition, **row) for row in rows["prizes"])
    SpecialAward.objects.bulk_create(SpecialAward(edition=edition, **row) for row in rows["specials"])
    edition_adopt(actor=actor, edition=edition, adopted_on=adopted_on, resolution=resolution)
    edition.refresh_from_db()
    return edition

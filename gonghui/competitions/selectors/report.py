"""One edition's report (`python manage.py competition_report --edition ID`, and the pages that
show it): a core `Report` whose figures are the JSON — the entries, colleges, judges, score
sheets, prizes by kind and certificates; each group's ranking with the final scores and the
awards; the award list; each college's entries and prizes; and the Beijing editions' history
(participants per edition) — whose rows are the text and the .xlsx, with two charts: prizes
per college and the Beijing history line.

`history_report` is the history of every edition (the page 历届统计 and its .xlsx): per level,
per college and the later achievements, with the Beijing line and the prizes per college.

Everything comes through the scoped querysets: the entries, judges, sheets and awards the user
may see (the office, auditors and the system actor see all)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from gonghui.competitions.choices import AwardKind, EntryStatus, Level, SheetStatus
from gonghui.competitions.models import Award, Certificate, Competition, Entry, Judge, ScoreAmendment, ScoreSheet
from gonghui.competitions.selectors.history import (
    AWARD_KINDS,
    COACH,
    CONTESTANT,
    FROM_ARCHIVE,
    EditionLine,
    LevelHistory,
    PersonLine,
    PrizeLine,
    award_college_id,
    award_order,
    college_history,
    college_names,
    edition_history,
    edition_number_label,
    later_achievements,
    level_history,
    participants_of,
)
from gonghui.core.reports import Chart, Report, RowsBuilder


def edition_label(number: int | None, year: int) -> str:
    """第十一届（2019）: an edition by its number (届) and year; the year alone without a number."""
    if number is None:
        return str(year)
    return _("%(edition)s（%(year)s）") % {"edition": edition_number_label(number), "year": year}


def _winner_text(recipient: str, college: str = "") -> str:
    """郑师（法学院分工会）: to whom a prize went and, when not the recipient, their college."""
    return f"{recipient}（{college}）" if college and college != recipient else recipient


def _edition_figures(line: EditionLine) -> dict:
    """An edition's line of the history: whether the university entered, its participants
    (and where the figure comes from) and the prizes won."""
    return {
        "id": line.competition.pk,
        "number": line.number,
        "year": line.year,
        "title": line.competition.title,
        "entered": line.entered,
        "participants": line.participants,
        "source": line.source,
        "prizes": [prize.label for prize in line.prizes],
    }


def _level_figures(history: LevelHistory) -> dict:
    """A level's history: editions held, entered, teachers in all, and each edition's line."""
    return {
        "level": Level(history.level).value,
        "held": history.held,
        "entered": history.entered,
        "teachers": history.teachers,
        "editions": [_edition_figures(line) for line in history.editions],
    }


def _history(user) -> dict:
    """The Beijing editions: held, entered, teachers in all, and each edition's line."""
    return _level_figures(level_history(user=user, level=Level.BEIJING))


def _beijing_chart(history: dict) -> Chart:
    """The line of the university's participants per Beijing edition (`_level_figures` of the
    Beijing history); an edition the university did not enter has no point."""
    return Chart.line(
        _("北京高校青教赛历届我校参赛人数"),
        [
            (
                edition_label(line["number"], line["year"]),
                Decimal(line["participants"]) if line["entered"] else None,
            )
            for line in history["editions"]
        ],
        names=[_("参赛人数")],
    )


def edition_report(*, user, competition: Competition) -> Report:
    """The report of one edition, as `user` may read it."""
    entries = list(
        Entry.objects.restrict(user)
        .filter(competition=competition)
        .select_related("person", "college", "group", "coach")
        .order_by(
            "group__position",
            F("rank").asc(nulls_last=True),
            F("appearance").asc(nulls_last=True),
            "person__name_pinyin",
            "pk",
        )
    )
    awards = sorted(
        Award.objects.restrict(user)
        .filter(competition=competition)
        .select_related("entry", "person", "college", "group"),
        key=award_order,
    )
    serials = dict(Certificate.objects.filter(award__in=awards).values_list("award_id", "serial"))
    sheets = ScoreSheet.objects.restrict(user).filter(entry__competition=competition)
    judges = Judge.objects.restrict(user).filter(competition=competition)
    parents, names = college_names()
    by_entry: dict[int, list[str]] = defaultdict(list)
    for award in awards:
        if award.entry_id is not None:
            by_entry[award.entry_id].append(award.label)
    kinds = Counter(award.kind for award in awards)
    # an edition with recorded results has no ranks: its contestants in the order of their prizes
    prize_position = {p.code: p.position for p in competition.rules.prizes.all()} if competition.rules_id else {}
    best_prize = {
        award.entry_id: prize_position.get(award.code, len(prize_position))
        for award in reversed(awards)
        if award.kind == AwardKind.RANK and award.entry_id
    }
    active = sorted(
        (e for e in entries if e.status != EntryStatus.WITHDRAWN),
        key=lambda e: (e.group.position, e.rank or 10**6, best_prize.get(e.pk, 10**6)),
    )
    (participants, source) = participants_of(
        list(Competition.objects.restrict(user).only("pk", "level", "entered", "participants_recorded", "feeds_into"))
    ).get(competition.pk, (None, ""))

    groups: dict[int, dict] = {}
    for entry in active:
        group = groups.setdefault(
            entry.group_id,
            {"code": entry.group.code, "group": str(entry.group), "entries": 0, "ranking": []},
        )
        group["entries"] += 1
        group["ranking"].append(
            {
                "rank": entry.rank,
                "name": entry.person.name,
                "college": entry.college.name,
                "course": entry.course,
                "appearance": entry.appearance,
                "final_score": entry.final_score,
                "status": entry.status,
                "awards": by_entry[entry.pk],
            }
        )

    per_college: dict[str, dict] = {}
    for entry in active:
        per_college.setdefault(entry.college.name, {"college": entry.college.name, "entries": 0, "prizes": 0})
        per_college[entry.college.name]["entries"] += 1
    award_rows = []
    for award in awards:
        college_id = award_college_id(award, parents)
        college = names.get(college_id, "") if college_id else ""
        if college:
            per_college.setdefault(college, {"college": college, "entries": 0, "prizes": 0})
            per_college[college]["prizes"] += 1
        award_rows.append(
            {
                "kind": award.kind,
                "code": award.code,
                "label": award.label,
                "recipient": award.recipient,
                "college": college,
                "recorded": award.recorded,
                "certificate": serials.get(award.pk, ""),
            }
        )
    colleges = sorted(per_college.values(), key=lambda row: (-row["prizes"], -row["entries"], row["college"]))
    history = _history(user)

    figures = {
        "edition": {
            "id": competition.pk,
            "level": competition.level,
            "number": competition.number,
            "year": competition.year,
            "title": competition.title,
            "organiser": competition.organiser,
            "status": competition.status,
            "held_on": competition.held_on,
            "entered": competition.entered,
            "feeds_into": competition.feeds_into_id,
            "rules": competition.rules.name if competition.rules_id else None,
            "seed": competition.seed,
        },
        "entries": len(active),
        "withdrawn": len(entries) - len(active),
        "participants": participants,
        "participants_source": source,
        "colleges": len({e.college_id for e in active}),
        "judges": judges.count(),
        "sheets": {
            "submitted": sheets.filter(status=SheetStatus.SUBMITTED).count(),
            "draft": sheets.filter(status=SheetStatus.DRAFT).count(),
            "amendments": ScoreAmendment.objects.filter(sheet__in=sheets).count(),
        },
        "prizes": {**{str(kind): kinds.get(kind, 0) for kind in AWARD_KINDS}, "total": len(awards)},
        "certificates": len(serials),
        "groups": list(groups.values()),
        "awards": award_rows,
        "by_college": colleges,
        "history": history,
    }

    rows = RowsBuilder()
    rows.section(_("概况"))
    rows.add(_("比赛"), competition.title)
    rows.add(_("级别"), str(Level(competition.level).label))
    rows.add(_("年度"), competition.year)
    rows.add(_("状态"), competition.get_status_display())
    rows.add(_("参赛教师"), len(active))
    if participants is not None:
        rows.add(_("参加选拔（含档案记载）") if source == FROM_ARCHIVE else _("参加选拔"), participants)
    rows.add(_("推荐单位"), figures["colleges"])
    rows.add(_("评委"), figures["judges"])
    rows.add(_("已提交评分表"), figures["sheets"]["submitted"])
    rows.add(_("改分"), figures["sheets"]["amendments"])
    rows.add(_("获奖证书"), figures["certificates"])
    rows.section(_("奖项"))
    for kind in AWARD_KINDS:
        rows.add(str(AwardKind(kind).label), kinds.get(kind, 0))
    for group in figures["groups"]:
        rows.section(_("%(group)s排名") % {"group": group["group"]})
        for line in group["ranking"]:
            place = _("第%(rank)s名") % {"rank": line["rank"]} if line["rank"] else "—"
            rows.add(f"{place} {line['name']}（{line['college']}）", line["final_score"] or "、".join(line["awards"]))
    rows.section(_("获奖名单"))
    for row in award_rows:
        rows.add(row["label"], _winner_text(row["recipient"], row["college"]))
    rows.section(_("各单位获奖"))
    for row in colleges:
        rows.add(row["college"], row["prizes"])
    rows.section(_("北京高校青年教师教学基本功比赛历届"))
    for line in history["editions"]:
        rows.add(
            edition_label(line["number"], line["year"]),
            line["participants"] if line["entered"] else _("未参赛"),
        )
    rows.add(
        _("合计"),
        _("举办 %(held)s 届，参赛 %(entered)s 届，%(teachers)s 人次")
        % {"held": history["held"], "entered": history["entered"], "teachers": history["teachers"]},
    )

    charts = {
        "prizes": Chart.bars(
            _("各单位获奖（项）"), [(row["college"], row["prizes"]) for row in colleges], name=_("获奖")
        ),
        "history": _beijing_chart(history),
    }
    return Report(
        title=_("%(title)s报告") % {"title": competition.title},
        figures=figures,
        rows=rows.rows,
        headers=(_("类别"), _("项目"), _("数值")),
        charts=charts,
    )


# --- the history (历届统计) ----------------------------------------------------------------------------


def _level_edition_label(level: str, number: int | None, year: int) -> str:
    """北京市第十一届（2019）: an edition named by its level, number and year."""
    return _("%(level)s%(edition)s") % {"level": Level(level).label, "edition": edition_label(number, year)}


def _prize_figures(prize: PrizeLine) -> dict:
    return {"kind": prize.kind, "label": prize.label, "recipient": prize.recipient, "college": prize.college}


def _part_figures(line: PersonLine) -> dict:
    """One part a person took (`PersonLine`): the edition, the role, the group (a contestant's, a
    judge's panel), the contestant coached, and the awards of that part."""
    competition = line.competition
    group = line.entry.group if line.role == CONTESTANT and line.entry else line.judge.group if line.judge else None
    return {
        "id": competition.pk,
        "level": competition.level,
        "number": competition.number,
        "year": competition.year,
        "title": competition.title,
        "edition": _level_edition_label(competition.level, competition.number, competition.year),
        "role": line.role,
        "role_label": line.role_label,
        "group": str(group) if group else "",
        "coached": line.entry.person.name if line.role == COACH and line.entry else "",
        "chief": bool(line.judge and line.judge.is_chief),
        "later": line.later,
        "awards": [award.label for award in line.awards],
    }


def _part_text(part: dict) -> str:
    """指导教师（赵一）：优秀指导教师奖 — a part as one line of text (the .xlsx)."""
    detail = part["coached"] or part["group"]
    text = f"{part['role_label']}（{detail}）" if detail else part["role_label"]
    if part["awards"]:
        text += _("：%(awards)s") % {"awards": "、".join(part["awards"])}
    return text


def history_report(*, user) -> Report:
    """The history of the competition (历届统计) as `user` may read it, a core `Report`:

    - per level (`edition_history`): editions held, entered, teachers in all, and each
      edition's line — its number, year, whether the university entered, participants (and
      whether the archive's figure), prizes with their winners;
    - per college (`college_history`): its entries and prizes in all, and edition by edition;
    - the later achievements (`later_achievements`): past contestants who later coached or
      judged, with every part they took;

    the rows (text, .xlsx) and two charts: the Beijing editions' participants and the prizes
    per college."""
    levels = edition_history(user=user)
    colleges = college_history(user=user)
    later = later_achievements(user=user)

    level_rows: list[dict[str, Any]] = []
    for level in levels:
        row = _level_figures(level)
        row.update(label=level.label, prizes=level.prizes)
        for line, edition in zip(level.editions, row["editions"], strict=True):
            edition.update(
                edition=edition_number_label(line.number) if line.number else "",
                label=edition_label(line.number, line.year),
                awards=[_prize_figures(prize) for prize in line.prizes],
            )
        level_rows.append(row)
    college_rows: list[dict[str, Any]] = [
        {
            "id": history.college.pk,
            "college": history.college.name,
            "entries": history.entries,
            "prizes": history.prizes,
            "editions": [
                {
                    "id": edition.competition.pk,
                    "level": edition.competition.level,
                    "number": edition.competition.number,
                    "year": edition.competition.year,
                    "title": edition.competition.title,
                    "edition": _level_edition_label(
                        edition.competition.level, edition.competition.number, edition.competition.year
                    ),
                    "entries": [entry.person.name for entry in edition.entries],
                    "prizes": [{"label": award.label, "recipient": award.recipient} for award in edition.prizes],
                }
                for edition in history.editions
            ],
        }
        for history in colleges
    ]
    later_rows: list[dict[str, Any]] = [
        {
            "name": history.person.name,
            "first_year": history.first_contest.year if history.first_contest else None,
            "parts": [_part_figures(line) for line in history.lines],
        }
        for history in later
    ]
    beijing = next(
        (row for row in level_rows if row["level"] == Level.BEIJING),
        _level_figures(LevelHistory(Level.BEIJING, [])),
    )
    figures = {"levels": level_rows, "colleges": college_rows, "later": later_rows}

    rows = RowsBuilder()
    for level_row in level_rows:
        rows.section(level_row["label"])
        rows.add(_("举办届数"), level_row["held"])
        rows.add(_("参赛届数"), level_row["entered"])
        rows.add(_("参赛人次"), level_row["teachers"])
        rows.add(_("获奖（项）"), level_row["prizes"])
        for edition in level_row["editions"]:
            rows.add(edition["label"], edition["participants"] if edition["entered"] else _("未参赛"))
        rows.section(_("%(level)s获奖") % {"level": level_row["label"]})
        for edition in level_row["editions"]:
            for prize in edition["awards"]:
                rows.add(f"{edition['label']} {prize['label']}", _winner_text(prize["recipient"], prize["college"]))
    rows.section(_("各单位参赛（人次）"))
    for college in college_rows:
        rows.add(college["college"], college["entries"])
    rows.section(_("各单位获奖（项）"))
    for college in college_rows:
        rows.add(college["college"], college["prizes"])
    for college in college_rows:
        rows.section(college["college"])
        for edition in college["editions"]:
            if edition["entries"]:
                rows.add(_("%(edition)s参赛") % {"edition": edition["edition"]}, "、".join(edition["entries"]))
            if edition["prizes"]:
                rows.add(
                    _("%(edition)s获奖") % {"edition": edition["edition"]},
                    "、".join(f"{prize['label']} {prize['recipient']}" for prize in edition["prizes"]),
                )
    rows.section(_("参赛后指导或担任评委"))
    for person in later_rows:
        for part in person["parts"]:
            rows.add(f"{person['name']} {part['edition']}", _part_text(part))

    by_prizes = sorted(college_rows, key=lambda row: (-row["prizes"], -row["entries"], row["college"]))
    charts = {
        "history": _beijing_chart(beijing),
        "prizes": Chart.bars(
            _("各单位历届获奖（项）"),
            [(row["college"], row["prizes"]) for row in by_prizes if row["prizes"]],
            name=_("获奖"),
        ),
    }
    return Report(
        title=_("青年教师教学基本功比赛历届统计"),
        figures=figures,
        rows=rows.rows,
        headers=(_("类别"), _("项目"), _("数值")),
        charts=charts,
    )


# --- the year's figures (the annual report) --------------------------------------------------------

# The rank prizes the annual figures name, by their place in an edition's prize scheme.
RANK_PLACES = ("first", "second", "third")


def _joined(items: list[str]) -> str:
    """A、B和C: items as a Chinese sentence lists them."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s和%(last)s") % {"items": "、".join(items[:-1]), "last": items[-1]}


def _winner(prize) -> str:
    """Who won, as the bulletin names them: a person after their college (文学院张三), a college
    or the university by its name (without 分工会)."""
    if prize.award.person_id is None:
        return prize.recipient.removesuffix("分工会")
    return f"{prize.college.removesuffix('分工会')}{prize.recipient}"


def award_sentence(prizes: list) -> str:
    """The prizes (`PrizeLine`s, in order) as one sentence in the bulletin's manner: each
    winner's awards together, winners with the same awards together —
    "文学院甲获得人文科学类A组一等奖、最佳教案奖和最佳现场展示奖，统计学院乙和法学院丙获得人文科学类A组
    二等奖，文学院丁获得优秀指导教师奖"."""
    winners: dict[tuple, tuple[str, list[str]]] = {}
    for prize in prizes:
        award = prize.award
        who = ("person", award.person_id) if award.person_id else ("unit", award.college_id, prize.recipient)
        winners.setdefault(who, (_winner(prize), []))[1].append(prize.label)
    clauses: dict[tuple[str, ...], list[str]] = {}
    for name, labels in winners.values():
        clauses.setdefault(tuple(labels), []).append(name)
    return "，".join(
        _("%(winners)s获得%(awards)s") % {"winners": _joined(names), "awards": _joined(list(labels))}
        for labels, names in clauses.items()
    )


def year_figures(*, user, year: int) -> dict | None:
    """The competition in `year` as the annual report counts it, as `user` may see it; None
    when no edition (of any level) falls in `year`.

    - the Beijing editions up to and including `year` (the bulletin's "举办十二届 … 参加了八次 …
      400余名"): held, entered, and their participants in all (`level_history`'s teachers: a
      teacher of two selections counts twice, the archive's figures having no names);
    - when a Beijing edition falls in `year`, its prizes (`prizes`: None otherwise): the rank
      prizes by their place in the edition's prize scheme (first, second, third, and all of
      them), the single, coach and organisation awards, and the award list as one sentence."""
    if not Competition.objects.restrict(user).filter(year=year).exists():
        return None
    beijing = level_history(user=user, level=Level.BEIJING)
    lines = [line for line in beijing.editions if line.year <= year]
    of_year = [line for line in lines if line.year == year]
    figures: dict = {
        "year": year,
        "held": len(lines),
        "entered": sum(1 for line in lines if line.entered),
        "participants": sum(line.participants or 0 for line in lines),
        "editions": [
            {"number": line.number, "year": line.year, "entered": line.entered, "participants": line.participants}
            for line in lines
        ],
        "prizes": None,
    }
    if not of_year:
        return figures
    places: dict[tuple[int, str], int] = {}
    for line in of_year:
        rules = line.competition.rules
        codes = list(rules.prizes.order_by("position", "pk").values_list("code", flat=True)) if rules else []
        places.update({(line.competition.pk, code): index for index, code in enumerate(codes)})
    last = 10**6

    def order(prize) -> tuple:
        award = prize.award
        return (
            AWARD_KINDS.index(AwardKind(award.kind)),
            award.group.position if award.group_id else last,
            places.get((award.competition_id, award.code), last),
            award.pk,
        )

    prizes = sorted((prize for line in of_year for prize in line.prizes), key=order)
    kinds = Counter(prize.kind for prize in prizes)
    ranks = Counter(
        places.get((prize.award.competition_id, prize.award.code)) for prize in prizes if prize.kind == AwardKind.RANK
    )
    figures["prizes"] = {
        **{place: ranks.get(index, 0) for index, place in enumerate(RANK_PLACES)},
        **{str(kind): kinds.get(kind, 0) for kind in AWARD_KINDS},
        "total": len(prizes),
        "sentence": award_sentence(prizes),
    }
    return figures

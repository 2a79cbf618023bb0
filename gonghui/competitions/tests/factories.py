"""Building a teaching competition for the competition tests.

The world (`competition_world`): the university of the root conftest (at its fixed moment,
2021-03-15 10:00) with the 2021 university-level rules adopted — born on or after 1981-01-01,
members, 专任教师 or 实验教学人员, past first-prize winners barred; one seat per 3 young
teachers plus 1; two groups (humanities-a 人文科学类 A组, science-a 自然科学类 A组); parts 教学设计 20
/ 课堂教学 75 / 教学反思 5 (full marks = weight); drop 1 highest and 1 lowest from 5 scores up;
2 places, half up; ties by classroom then design; prizes 一等奖 1, 二等奖 1, 三等奖 1 per group;
最佳教案奖 (best design), 最佳现场展示奖 (best classroom), 优秀指导教师奖, 优秀组织奖 — and the edition
(第三届, 2021), nominating until 2021-03-20 18:00, materials due 2021-03-25 18:00.

Young teachers: economics 赵一 E1001, 钱二 E1002, 孙三 E1003 and 李娜 (the root conftest's,
born 1985) → 4, so 2 seats; law 周四 L1001, 吴五 L1002 → 2, so 1 seat. 王芳 (law, born 1978) and
张伟 (born 1980) are too old. The coach is 郑师 (law, L0900, born 1970).

Judges of humanities-a: five accounts — judge1 (the chief judge, an outside expert), judge2..
judge4 (outside experts) and 陈静's account (E0099, economics: she may not score economics'
contestants).

Helpers run the real services, one stage after another (`through`; `advance` goes on from a
stage after a test's own changes). `two_groups` adds 孙三 (fourth of four: not placed) and 吴五
(alone in the science group, judged by judge2 and judge3: 95.00); `beijing_edition` the Beijing
2021 edition (第十二届) the school round feeds into; `past_win` a prize of an earlier edition."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.competitions.choices import Level, MaterialKind
from gonghui.competitions.models import Competition
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import draw as draw_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.services import judging as judging_services
from gonghui.competitions.services import results as result_services
from gonghui.competitions.services.rules import RulesSettings, RulesText, rules_adopt
from gonghui.people.tests.factories import person_make, user_make

NOMINATIONS_CLOSE = datetime.datetime(2021, 3, 20, 18, 0)
MATERIALS_DUE = datetime.datetime(2021, 3, 25, 18, 0)
HELD_ON = datetime.date(2021, 4, 10)
SEED = "qjs2021"

RULES_TEXT = RulesText(
    groups="humanities-a 人文科学类 A组\nscience-a 自然科学类 A组",
    parts=(
        "design 教学设计 20 20 | 教学目标明确，内容安排合理\n"
        "classroom 课堂教学 75 75 | 讲授准确清晰，组织有序\n"
        "reflection 教学反思 5 5 | 思路清晰，联系实际"
    ),
    prizes="first 一等奖 1\nsecond 二等奖 1\nthird 三等奖 1",
    specials=(
        "best-plan 最佳教案奖 best design\n"
        "best-show 最佳现场展示奖 best classroom\n"
        "coach 优秀指导教师奖 coach\n"
        "organisation 优秀组织奖 organisation"
    ),
)

# A minimal PDF: attachments read the content, not the name, to decide the type.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)


def pdf(name: str = "教案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def rules_make(u, *, level: str = Level.UNIVERSITY, year: int = 2021, text: RulesText = RULES_TEXT, **fields):
    values = {
        "level": level,
        "year": year,
        "name": f"{year}年青年教师教学基本功比赛方案",
        "born_on_or_after": datetime.date(year - 40, 1, 1),
        "quota_per": 3,
        "quota_bonus": 1,
    }
    values.update(fields)
    return rules_adopt(
        actor=u.users["union_office"],
        settings=RulesSettings(**values),
        text=text,
        adopted_on=datetime.date(year, 1, 10),
        resolution="校工会〔2021〕3号",
    )


def competition_world(u) -> SimpleNamespace:
    office = u.users["union_office"]
    people = {
        "zhao": person_make(staff_no="E1001", name="赵一", birth_date=datetime.date(1988, 2, 1), sub_union=u.econ),
        "qian": person_make(staff_no="E1002", name="钱二", birth_date=datetime.date(1990, 6, 1), sub_union=u.econ),
        "sun": person_make(staff_no="E1003", name="孙三", birth_date=datetime.date(1986, 9, 1), sub_union=u.econ),
        "zhou": person_make(staff_no="L1001", name="周四", birth_date=datetime.date(1989, 4, 1), sub_union=u.law),
        "wu": person_make(staff_no="L1002", name="吴五", birth_date=datetime.date(1991, 8, 1), sub_union=u.law),
        "coach": person_make(staff_no="L0900", name="郑师", birth_date=datetime.date(1970, 3, 1), sub_union=u.law),
    }
    users = dict(u.users)
    users["zhao"] = user_make(username="E1001", person=people["zhao"])
    users["zhou"] = user_make(username="L1001", person=people["zhou"])
    users["coach"] = user_make(username="L0900", person=people["coach"])
    for n in range(1, 5):
        users[f"judge{n}"] = user_make(username=f"judge{n}")
    rules = rules_make(u)
    competition = competition_services.competition_create(
        actor=office,
        level=Level.UNIVERSITY,
        year=2021,
        number=3,
        title="第三届青年教师教学基本功比赛",
        organiser="校工会",
        nominations_close=aware(NOMINATIONS_CLOSE),
        materials_due=aware(MATERIALS_DUE),
        held_on=HELD_ON,
    )
    groups = {g.code: g for g in rules.groups.all()}
    parts = {p.code: p for p in rules.parts.all()}
    return SimpleNamespace(
        u=u, office=office, users=users, people=people, rules=rules, competition=competition, groups=groups, parts=parts
    )


def refresh(w) -> Competition:
    w.competition.refresh_from_db()
    return w.competition


def nominate_all(w) -> dict:
    """Open the nominations and nominate 赵一 and 钱二 (economics, coach 郑师) and 周四 (law)."""
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_nominations")
    group = w.groups["humanities-a"]
    w.entries = {
        "zhao": entry_services.entry_nominate(
            actor=w.office,
            competition=w.competition,
            staff_no="E1001",
            group=group,
            course="微观经济学",
            coach_staff_no="L0900",
        ),
        "qian": entry_services.entry_nominate(
            actor=w.office, competition=w.competition, staff_no="E1002", group=group, course="宏观经济学"
        ),
        "zhou": entry_services.entry_nominate(
            actor=w.office, competition=w.competition, staff_no="L1001", group=group, course="民法总论"
        ),
    }
    return w.entries


def upload_all(w) -> None:
    """Every entry's five lesson plans and slides (a week before the deadline)."""
    for entry in w.entries.values():
        for number in range(1, 6):
            entry_services.material_upload(
                actor=w.office, entry=entry, kind=MaterialKind.LESSON_PLAN, number=number, uploaded_file=pdf()
            )
        entry_services.material_upload(
            actor=w.office, entry=entry, kind=MaterialKind.SLIDES, number=1, uploaded_file=pdf("课件.pdf")
        )
        entry.refresh_from_db()


def judges_add(w) -> dict:
    group = w.groups["humanities-a"]
    w.judges = {
        "judge1": judging_services.judge_add(
            actor=w.office, competition=w.competition, group=group, login="judge1", is_chief=True
        ),
        "judge2": judging_services.judge_add(actor=w.office, competition=w.competition, group=group, login="judge2"),
        "judge3": judging_services.judge_add(actor=w.office, competition=w.competition, group=group, login="judge3"),
        "judge4": judging_services.judge_add(actor=w.office, competition=w.competition, group=group, login="judge4"),
        "chen": judging_services.judge_add(actor=w.office, competition=w.competition, group=group, login="E0099"),
    }
    return w.judges


# Each judge's scores (design, classroom, reflection) per contestant; 陈静 scores only 周四.
SCORES = {
    "zhao": {
        "judge1": ("18", "70", "4.5"),
        "judge2": ("19", "72", "5"),
        "judge3": ("17", "68", "4"),
        "judge4": ("18.5", "71", "4.5"),
    },
    "qian": {
        "judge1": ("16", "65", "4"),
        "judge2": ("17", "66", "4"),
        "judge3": ("15", "60", "3.5"),
        "judge4": ("16.5", "64", "4"),
    },
    "zhou": {
        "judge1": ("17", "69", "4"),
        "judge2": ("18", "70", "4.5"),
        "judge3": ("16", "67", "4"),
        "judge4": ("17.5", "69", "4.5"),
        "chen": ("20", "75", "5"),
    },
}


def score_all(w) -> None:
    for name, by_judge in SCORES.items():
        for judge_name, (design, classroom, reflection) in by_judge.items():
            judging_services.sheet_submit(
                actor=w.users[judge_name if judge_name != "chen" else "sub_union_officer"],
                judge=w.judges[judge_name],
                entry=w.entries[name],
                scores={"design": design, "classroom": classroom, "reflection": reflection},
            )


STAGES = ("nominated", "uploaded", "drawn", "scoring", "scored", "closed", "publicity", "released")


def through(w, clock, stage: str):
    """Run the edition through the services up to `stage` (moving the clock as needed)."""
    order = STAGES.index(stage)
    nominate_all(w)
    if order >= 1:
        upload_all(w)
    if order >= 2:
        judges_add(w)
        clock.move_to(aware(datetime.datetime(2021, 3, 26, 9, 0)))
        competition_services.competition_step(actor=w.office, competition=w.competition, step="close_nominations")
        draw_services.draw_run(actor=w.office, competition=w.competition, seed=SEED)
    if order >= 3:
        competition_services.competition_step(actor=w.office, competition=w.competition, step="open_scoring")
    if order >= 4:
        score_all(w)
    if order >= 5:
        result_services.scoring_close(actor=w.office, competition=w.competition)
    if order >= 6:
        result_services.results_publish(actor=w.office, competition=w.competition)
    if order >= 7:
        clock.move_to(aware(datetime.datetime(2021, 4, 20, 9, 0)))
        result_services.results_release(actor=w.office, competition=w.competition)
    for entry in getattr(w, "entries", {}).values():
        entry.refresh_from_db()
    return refresh(w)


# The expected results of SCORES (five judges only for 周四: trimmed; four for the others: not).
EXPECTED_FINAL = {"zhao": Decimal("92.88"), "qian": Decimal("83.75"), "zhou": Decimal("91.17")}


# --- more helpers (the service tests) ---------------------------------------------------------


def _stage_drawn(w, clock) -> None:
    judges_add(w)
    clock.move_to(aware(datetime.datetime(2021, 3, 26, 9, 0)))
    competition_services.competition_step(actor=w.office, competition=w.competition, step="close_nominations")
    draw_services.draw_run(actor=w.office, competition=w.competition, seed=SEED)


def _stage_released(w, clock) -> None:
    clock.move_to(aware(datetime.datetime(2021, 4, 20, 9, 0)))
    result_services.results_release(actor=w.office, competition=w.competition)


_STAGE_RUN = {
    "uploaded": lambda w, clock: upload_all(w),
    "drawn": _stage_drawn,
    "scoring": lambda w, clock: competition_services.competition_step(
        actor=w.office, competition=w.competition, step="open_scoring"
    ),
    "scored": lambda w, clock: score_all(w),
    "closed": lambda w, clock: result_services.scoring_close(actor=w.office, competition=w.competition),
    "publicity": lambda w, clock: result_services.results_publish(actor=w.office, competition=w.competition),
    "released": _stage_released,
}


def advance(w, clock, start: str, stage: str) -> Competition:
    """Run the stages of `through` after `start` up to `stage`, for a test that changes the
    edition between two stages (`through(w, clock, "uploaded")`, a nomination of its own,
    then `advance(w, clock, "uploaded", "publicity")`)."""
    for name in STAGES[STAGES.index(start) + 1 : STAGES.index(stage) + 1]:
        _STAGE_RUN[name](w, clock)
    for entry in getattr(w, "entries", {}).values():
        entry.refresh_from_db()
    return refresh(w)


def young_teachers_add(w, college, count: int, prefix: str) -> list:
    """`count` more young teachers (born 1992, members) of `college`: more seats for it."""
    return [
        person_make(
            staff_no=f"{prefix}{n:03d}",
            name=f"青年{prefix}{n}",
            birth_date=datetime.date(1992, 1, 1),
            sub_union=college,
        )
        for n in range(1, count + 1)
    ]


def nominate(w, key: str, staff_no: str, group: str = "humanities-a", **fields):
    """One more nomination by the office (the edition nominating), kept as `w.entries[key]`."""
    entry = entry_services.entry_nominate(
        actor=w.office, competition=w.competition, staff_no=staff_no, group=w.groups[group], **fields
    )
    w.entries[key] = entry
    return entry


def materials_complete(w, entry) -> None:
    """One entry's five lesson plans and slides."""
    for number in range(1, 6):
        entry_services.material_upload(
            actor=w.office, entry=entry, kind=MaterialKind.LESSON_PLAN, number=number, uploaded_file=pdf()
        )
    entry_services.material_upload(
        actor=w.office, entry=entry, kind=MaterialKind.SLIDES, number=1, uploaded_file=pdf("课件.pdf")
    )
    entry.refresh_from_db()


def sheets_submit(entry, by_judge: dict) -> None:
    """Submitted sheets of `entry`: {Judge: (design, classroom, reflection)}."""
    for judge, (design, classroom, reflection) in by_judge.items():
        judging_services.sheet_submit(
            actor=judge.user,
            judge=judge,
            entry=entry,
            scores={"design": design, "classroom": classroom, "reflection": reflection},
        )


def past_win(w, staff_no: str, prize: str = "first", *, level: str = Level.UNIVERSITY, year: int = 2019):
    """A rank prize `staff_no` won at an earlier edition (`year`, `level`), written directly
    (the edition's rules adopted for that level and year if they are not)."""
    from gonghui.competitions.choices import AwardKind
    from gonghui.competitions.models import Award, Entry
    from gonghui.competitions.services.rules import rules_in_force
    from gonghui.people.models import Person

    rules = rules_in_force(level, year) or rules_make(w.u, level=level, year=year)
    person = Person.objects.get(staff_no=staff_no)
    college = w.u.econ if level == Level.COLLEGE else None
    competition = Competition.objects.create(
        level=level,
        year=year,
        title=f"{year}年青年教师教学基本功比赛",
        rules=rules,
        college=college,
    )
    group = rules.groups.get(code="humanities-a")
    entry = Entry.objects.create(
        competition=competition, person=person, college=person.sub_union, group=group, status="placed", rank=1
    )
    label = rules.prizes.get(code=prize).label
    return Award.objects.create(
        competition=competition,
        kind=AwardKind.RANK,
        code=prize,
        label=f"{group}{label}",
        group=group,
        entry=entry,
        person=person,
        recipient=person.name,
    )


# The Beijing competition's scheme (北京高校青年教师教学基本功比赛), to record its results by.
BEIJING_TEXT = RulesText(
    groups="humanities-a 人文科学类 A组\nscience-a 自然科学类 A组",
    parts="",
    prizes="first 一等奖 3\nsecond 二等奖 6\nthird 三等奖 9",
    specials=(
        "best-plan 最佳教案奖 conferred\n"
        "best-show 最佳现场展示奖 conferred\n"
        "coach 优秀指导教师奖 coach\n"
        "organisation 优秀组织奖 organisation"
    ),
)


def beijing_edition(w, **fields) -> Competition:
    """The Beijing 2021 edition (第十二届) under Beijing rules, the school round feeding into it."""
    rules_make(w.u, level=Level.BEIJING, text=BEIJING_TEXT, name="第十二届北京高校青年教师教学基本功比赛规程")
    values = {
        "level": Level.BEIJING,
        "year": 2021,
        "number": 12,
        "title": "第十二届北京高校青年教师教学基本功比赛",
        "organiser": "北京市教育工会",
        "held_on": datetime.date(2021, 7, 10),
    }
    values.update(fields)
    beijing = competition_services.competition_create(actor=w.office, **values)
    competition_services.competition_link(actor=w.office, competition=w.competition, feeds_into=beijing)
    w.competition.refresh_from_db()
    return beijing


def two_groups(w, clock, stage: str):
    """The factories' edition with 孙三 (economics) fourth in the humanities group and 吴五 (law)
    alone in the science group, scored by judge2 and judge3 (more young teachers: more seats)."""
    young_teachers_add(w, w.u.econ, 2, "E40")
    young_teachers_add(w, w.u.law, 1, "L40")
    through(w, clock, "uploaded")
    for key, staff_no, group in (("sun", "E1003", "humanities-a"), ("wu", "L1002", "science-a")):
        materials_complete(w, nominate(w, key, staff_no, group=group))
    advance(w, clock, "uploaded", "drawn")
    science = {
        name: judging_services.judge_add(
            actor=w.office, competition=w.competition, group=w.groups["science-a"], login=name
        )
        for name in ("judge2", "judge3")
    }
    w.science_judges = science
    advance(w, clock, "drawn", "scored")
    sheets_submit(w.entries["sun"], {w.judges[f"judge{n}"]: ("15", "60", "3") for n in range(1, 5)})
    # 吴五: (19 + 18) / 2 + (73 + 71) / 2 + (5 + 4) / 2 = 18.5 + 72 + 4.5 = 95
    sheets_submit(w.entries["wu"], {science["judge2"]: ("19", "73", "5"), science["judge3"]: ("18", "71", "4")})
    return advance(w, clock, "scored", stage)

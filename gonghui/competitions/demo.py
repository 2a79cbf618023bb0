"""Demo data for the young teachers' teaching competition (青教赛, DOMAIN §3.7; idempotent).

- The history (the bulletin: "北京高校青年教师教学基本功比赛已举办十二届 … 组织我校教师参加了
  北京市的八次比赛 … 400余名青年教师参加"): twelve Beijing editions, 第一届 1995 … 第十二届 2021
  (`BEIJING_EDITIONS`; nominally biennial, the years are the demo's), entered from the archive
  on 2021-03-01. The university took part in the eight since 第五届 (2005) and not in the four
  before; the seven entered before the system hold the archive's count of participants
  (`participants_recorded`, 392 in all), the 2021 one counts its school round's entries. 第五届's
  rules (groups and prizes) are entered too: a professor of 文学院 competed there as a young
  teacher (人文科学类A组二等奖) — the professor who, in 2021, coaches the winner (a past
  contestant who later coaches). "多次获得优秀组织奖": the university's 优秀组织奖 of 第五届, 第八届
  and 第十一届 (`ORGANISATION_AWARDS`) are entered with those editions' rules.
- The 2021 school round (第八届青年教师教学基本功比赛, 校级, held 2021-05-08) under its adopted rules
  (校工会〔2021〕5号: born on or after 1981-01-01, members, 专任教师/实验教学人员, one seat per 20
  young teachers + 1, five lesson plans of 50 minutes, 教学设计 20 / 课堂教学 75 / 教学反思 5, one
  highest and one lowest score dropped from five up, 一/二/三等奖 20/30/50 %, 最佳教案奖 and
  最佳现场展示奖 by the best part, 优秀指导教师奖, 优秀组织奖): up to sixteen contestants of twelve
  colleges (`SLOTS`, each college within its seats), nominated by the office (经济学院's by its
  officer 100002), their materials uploaded by themselves, nominations closed by the system
  actor at their deadline, drawn from the announced seed, seven judges per group (two of them
  professors of the university, who score no contestant of their own college), one score
  corrected by the chief judge with the reason, published, released after the publicity with
  the certificates.
- Beijing 2021 (第十二届, July 2021, 北京市教育工会、北京市教育委员会): the best placed of 文学院, 统计学院
  and 法学院 in 人文科学类A组 of the school round (the first three; the bulletin's 中国语言文学学院 is
  the demo university's 文学院) are recommended and their results recorded as the bulletin has
  them: the 文学院 teacher 人文科学类A组一等奖, 最佳教案奖 and 最佳现场展示奖, the other two
  人文科学类A组二等奖, their coach, a professor of 文学院, 优秀指导教师奖; then confirmed.
- This year's school round (第九届, `now_year()`), being scored now: six contestants, six judges;
  the chief judge `pw01` has scored nobody yet (a judge's journey for whoever signs in as them).

Everyone is a person of the demo roster (synthetic names; never the bulletin's real ones); the
judges from outside are accounts `pw01` … (the chief judge `pw01` signs in with the demo
password, as does the 文学院 contestant, by staff number). Every step runs through the services at
its date (`time_machine`), as the people who take it; the scores are drawn from
`random.Random(2021)` around a fixed level per contestant, so the same contestants win at any
size of the demo university. The one record no service writes is the archive's entry of the
professor in 第五届 (the system has no service that adds a contestant to an edition the
university did not run but by recommendation from its own round).
"""

from __future__ import annotations

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When

from gonghui.accounts.models import User
from gonghui.competitions.choices import Level, MaterialKind, PastWinnerRule, TeachingPost
from gonghui.competitions.models import Competition, Entry, Judge
from gonghui.people.choices import EmploymentStatus, MembershipStatus
from gonghui.people.models import Person, SubUnion

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
SCHOOL_TITLE = "第八届青年教师教学基本功比赛"
SCHOOL_NUMBER = 8
BEIJING_TITLE = "第%s届北京高校青年教师教学基本功比赛"
BEIJING_ORGANISER = "北京市教育工会、北京市教育委员会"
CN_NUMBERS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
# (届, year, the university entered, its participants in the archive): the demo's schedule.
BEIJING_EDITIONS = (
    (1, 1995, False, None),
    (2, 1997, False, None),
    (3, 1999, False, None),
    (4, 2002, False, None),
    (5, 2005, True, 40),
    (6, 2008, True, 46),
    (7, 2011, True, 53),
    (8, 2013, True, 58),
    (9, 2015, True, 62),
    (10, 2017, True, 64),
    (11, 2019, True, 69),
    (12, 2021, True, None),  # counted from the 2021 school round
)
PAST_EDITION = 5  # where the coach of 2021 once competed
# The editions whose 优秀组织奖 the university won (the bulletin: "多次获得优秀组织奖"), with the
# day their rules were adopted (entered from the archive, to record the award by).
ORGANISATION_AWARDS = {5: datetime.date(2005, 3, 15), 8: datetime.date(2013, 3, 15), 11: datetime.date(2019, 3, 15)}
SEED = "20210507"  # the draw's seed, announced with the notice
DEMO_STAFF = frozenset({"100001", "100002", "100003"})  # the demo sign-ins' people
BULLETIN_NAMES = frozenset({"秦汉", "陈全润", "孔祥稳", "王明辉"})  # real people: never in the demo
GROUPS = "humanities-a 人文科学类 A组\nscience-a 自然科学类 A组"
BEIJING_GROUPS = (
    "humanities-a 人文科学类 A组\nhumanities-b 人文科学类 B组\nscience-a 自然科学类 A组\nscience-b 自然科学类 B组\n"
    "engineering-a 工程技术类 A组\nengineering-b 工程技术类 B组"
)
BEIJING_PRIZES = "first 一等奖 15%\nsecond 二等奖 25%\nthird 三等奖 35%"
BEIJING_SPECIALS = (
    "best-plan 最佳教案奖 conferred\nbest-show 最佳现场展示奖 conferred\n"
    "coach 优秀指导教师奖 coach\norganisation 优秀组织奖 organisation"
)
UNIVERSITY = "示范大学"


@dataclass(frozen=True)
class Slot:
    """A contestant of the 2021 school round: their college, group and course, and the level
    of their lessons (the final score the judges' scores scatter around)."""

    college: str
    group: str
    course: str
    level: float
    coached: bool = False  # coached by a senior colleague of the college


# The first three go on to Beijing (one each of 文学院, 统计学院, 法学院); a college's later slots
# are left out where its seats are taken (a small demo university has one seat a college).
SLOTS = (
    Slot("LIT", "humanities-a", "中国古代文学", 94.2, coached=True),
    Slot("STAT", "humanities-a", "统计学导论", 92.6, coached=True),
    Slot("LAW", "humanities-a", "宪法学", 91.3, coached=True),
    Slot("ECON", "humanities-a", "微观经济学", 88.9),
    Slot("FL", "humanities-a", "综合英语", 87.6),
    Slot("JOUR", "humanities-a", "新闻采访与写作", 86.4),
    Slot("HIST", "humanities-a", "中国近代史纲要", 85.2),
    Slot("FIN", "humanities-a", "金融学", 84.1),
    Slot("MARX", "humanities-a", "马克思主义基本原理概论", 82.8),
    Slot("MGMT", "humanities-a", "管理学原理", 81.5),
    Slot("LIT", "humanities-a", "现代汉语", 87.9),
    Slot("LAW", "humanities-a", "民法总论", 85.8),
    Slot("ECON", "humanities-a", "计量经济学", 83.6),
    Slot("MATH", "science-a", "数学分析", 90.4),
    Slot("CS", "science-a", "数据结构", 88.2),
    Slot("CS", "science-a", "操作系统", 84.9),
)
# Outside experts (accounts with no person): the chief judge first.
EXPERTS = (
    ("pw01", "周立群"),
    ("pw02", "郭文清"),
    ("pw03", "唐海燕"),
    ("pw04", "邹建平"),
    ("pw05", "韩晓梅"),
    ("pw06", "程志远"),
    ("pw07", "叶春华"),
    ("pw08", "罗振东"),
    ("pw09", "魏静怡"),
    ("pw10", "梁国栋"),
    ("pw11", "曹丽君"),
    ("pw12", "彭宏伟"),
)
CHIEF = "pw01"
# Each group's panel: five outside experts and professors of two colleges.
PANELS = {
    "humanities-a": (("pw01", "pw02", "pw03", "pw04", "pw05"), ("ECON", "FL")),
    "science-a": (("pw06", "pw07", "pw08", "pw09", "pw10"), ("MATH", "CS")),
}
# The one score the chief judge corrects: (judge, the slot's course, part, typed, corrected).
AMENDED = ("pw03", "新闻采访与写作", "classroom", Decimal("10"))
PARTS = (("design", 20, Decimal("0.5")), ("classroom", 75, Decimal("0.5")), ("reflection", 5, Decimal("0.1")))
# The part a contestant is strongest in, beside their level (the 文学院 teacher: both).
LEANINGS = {0: {"design": 0.02, "classroom": 0.004}, 1: {"design": -0.01}, 2: {"classroom": -0.004}}


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


@contextmanager
def _on(moment: datetime.datetime):
    """Run a phase at its date (its events and stamps carry it), in its own transaction."""
    import time_machine

    with time_machine.travel(moment, tick=False), transaction.atomic():
        yield


def _beijing_title(number: int) -> str:
    return BEIJING_TITLE % CN_NUMBERS[number]


# --- people ------------------------------------------------------------------------------------


def _staff_of(code: str):
    college = SubUnion.objects.get(code=code)
    return (
        Person.objects.filter(
            sub_union_id__in=SubUnion.objects.with_descendants([college.pk]),
            employment_status=EmploymentStatus.ACTIVE,
        )
        .exclude(staff_no__in=DEMO_STAFF)
        .exclude(name__in=BULLETIN_NAMES)
        .annotate(
            tenured=Case(
                When(employment_category__name="事业编制", then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
    )


def _young_teacher(code: str, taken: set[int], year: int = 2021) -> Person | None:
    """A young teacher of the college who could enter in `year`: born between 40 and 27 years
    before it, a member since before it (the 事业编制 first, then by staff number); at a small
    demo size, anyone born on or after the cut-off."""
    young = _staff_of(code).filter(birth_date__gte=datetime.date(year - 40, 1, 1)).exclude(pk__in=taken)
    settled = young.filter(
        birth_date__lte=datetime.date(year - 27, 12, 31),
        memberships__status=MembershipStatus.ACTIVE,
        memberships__joined_on__lte=datetime.date(year - 1, 12, 31),
    )
    return settled.order_by("tenured", "staff_no").first() or young.order_by("tenured", "staff_no").first()


def _senior(code: str, taken: set[int]) -> Person | None:
    """A professor of the college: 事业编制, born 1970–1976 (the eldest first: a young teacher
    of the early 2000s); at a small demo size, anyone born before 1981."""
    older = _staff_of(code).filter(birth_date__lt=datetime.date(1981, 1, 1)).exclude(pk__in=taken)
    professors = older.filter(birth_date__range=(datetime.date(1970, 1, 1), datetime.date(1976, 12, 31)))
    return (
        professors.order_by("tenured", "birth_date", "staff_no").first()
        or older.order_by("tenured", "birth_date", "staff_no").first()
    )


def _users_of(people: list[Person]) -> dict[int, User]:
    """Each person's account (contestants upload, judges score as themselves): one without a
    usable password is made for those who have none."""
    users = {u.person_id: u for u in User.objects.filter(person__in=people)}
    for person in people:
        if person.pk not in users:
            user = User(username=person.staff_no, person=person)
            user.set_unusable_password()
            user.save()
            users[person.pk] = user
    return users


def _experts() -> dict[str, User]:
    """The outside experts' accounts (no person); the chief judge's signs in with the demo
    password."""
    from gonghui.people.demo import DEMO_PASSWORD

    accounts = {}
    for username, name in EXPERTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=name)
            if username == CHIEF:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
        accounts[username] = user
    return accounts


def _sign_in(user: User) -> None:
    from gonghui.people.demo import DEMO_PASSWORD

    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])


def _pdf(title: str) -> bytes:
    """A one-page PDF saying `title` (ASCII): the stand-in for a lesson plan or the slides."""
    stream = b"BT /F1 16 Tf 72 760 Td (" + title.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- the history ---------------------------------------------------------------------------------


def _rules_beijing(office, year: int, adopted_on: datetime.date, resolution: str):
    from gonghui.competitions.services.rules import DEFAULT_PARTS, RulesSettings, RulesText, rules_adopt

    return rules_adopt(
        actor=office,
        settings=RulesSettings(
            level=Level.BEIJING,
            year=year,
            name=f"{_beijing_title(next(n for n, y, *_ in BEIJING_EDITIONS if y == year))}方案",
            born_on_or_after=datetime.date(year - 40, 1, 1),
            quota_per=0,
            quota_bonus=0,
        ),
        text=RulesText(groups=BEIJING_GROUPS, parts=DEFAULT_PARTS, prizes=BEIJING_PRIZES, specials=BEIJING_SPECIALS),
        adopted_on=adopted_on,
        resolution=resolution,
    )


def _build_history(office) -> dict[int, Competition]:
    """The twelve Beijing editions from the archive; 第五届 with its rules, the professor's
    entry and result; the organisation awards of 第五届, 第八届 and 第十一届 with their rules;
    every one before 2021 confirmed."""
    from gonghui.competitions.services import competitions as competition_services
    from gonghui.competitions.services import entries as entry_services
    from gonghui.competitions.services import results as result_services

    editions = {}
    with _on(_at(2021, 3, 1, 10)):
        for number, adopted_on in ORGANISATION_AWARDS.items():
            _rules_beijing(
                office,
                next(year for n, year, *_rest in BEIJING_EDITIONS if n == number),
                adopted_on,
                f"北京市教育工会关于举办{_beijing_title(number)}的通知",
            )
        _rules_beijing(
            office,
            2021,
            datetime.date(2021, 3, 1),
            "北京市教育工会关于举办第十二届北京高校青年教师教学基本功比赛的通知",
        )
        for number, year, entered, recorded in BEIJING_EDITIONS:
            editions[number] = competition_services.competition_create(
                actor=office,
                level=Level.BEIJING,
                year=year,
                number=number,
                title=_beijing_title(number),
                organiser=BEIJING_ORGANISER,
                held_on=datetime.date(2021, 7, 10) if year == 2021 else None,
                entered=entered,
                participants_recorded=recorded,
                note="" if year == 2021 else "据校工会档案录入。",
            )
    professor = _senior("LIT", set())
    with _on(_at(2021, 3, 1, 11)):
        past = editions[PAST_EDITION]
        if professor is not None:
            entry = entry_services.entry_record(
                actor=office,
                competition=past,
                staff_no=professor.staff_no,
                group=past.rules.groups.get(code="humanities-a"),
                course="中国现代文学",
            )
            result_services.result_record(actor=office, competition=past, entry=entry, code="second")
        for number in ORGANISATION_AWARDS:
            result_services.award_confer(
                actor=office, competition=editions[number], code="organisation", recipient=UNIVERSITY
            )
        for number, *_rest in BEIJING_EDITIONS[:-1]:
            result_services.results_confirm(actor=office, competition=editions[number])
    return editions


# --- the 2021 school round -----------------------------------------------------------------------


def _rules_school(office):
    from gonghui.competitions.services.rules import RulesSettings, RulesText, rules_adopt, rules_text

    defaults = rules_text(None)
    return rules_adopt(
        actor=office,
        settings=RulesSettings(
            level=Level.UNIVERSITY,
            year=2021,
            name="2021年青年教师教学基本功比赛方案",
            born_on_or_after=datetime.date(1981, 1, 1),
            member_required=True,
            eligible_posts=(TeachingPost.FULL_TIME, TeachingPost.LAB),
            past_winner_rule=PastWinnerRule.FIRST_PRIZE,
            quota_per=20,
            quota_bonus=1,
            lesson_plans_required=5,
            lesson_minutes=50,
            judges_per_group=7,
        ),
        text=RulesText(groups=GROUPS, parts=defaults.parts, prizes=defaults.prizes, specials=defaults.specials),
        adopted_on=datetime.date(2021, 3, 10),
        resolution="校工会〔2021〕5号",
    )


def _score(full: int, step: Decimal, fraction: float) -> Decimal:
    value = (Decimal(str(full * fraction)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return min(max(value, Decimal(0)), Decimal(full))


@dataclass
class Nominated:
    slot_index: int
    slot: Slot
    entry: Entry
    user: User


def _nominate(office, officer, competition: Competition) -> list[Nominated]:
    """Each slot whose college has a young teacher and a seat left, nominated on its college's
    day (经济学院's by its own officer), with its coach."""
    from gonghui.competitions.selectors.entries import college_seats
    from gonghui.competitions.services.entries import entry_nominate

    groups = {g.code: g for g in competition.rules.groups.all()}
    taken: set[int] = set()
    coaches: dict[str, Person | None] = {}
    nominated = []
    for index, slot in enumerate(SLOTS):
        college = SubUnion.objects.get(code=slot.college)
        with _on(_at(2021, 3, 22, 10) + datetime.timedelta(days=index % 12, minutes=index)):
            (seats,) = college_seats(competition, college_ids={college.pk})
            person = _young_teacher(slot.college, taken)
            if person is None or (seats.seats is not None and seats.used >= seats.seats):
                continue
            if slot.coached and slot.college not in coaches:
                coaches[slot.college] = _senior(slot.college, taken | {person.pk})
            coach = coaches.get(slot.college) if slot.coached else None
            taken.add(person.pk)
            if coach is not None:
                taken.add(coach.pk)
            entry = entry_nominate(
                actor=officer if slot.college == "ECON" else office,
                competition=competition,
                staff_no=person.staff_no,
                group=groups[slot.group],
                teaching_post=TeachingPost.FULL_TIME,
                course=slot.course,
                coach_staff_no=coach.staff_no if coach else "",
            )
        nominated.append(Nominated(index, slot, entry, _users_of([person])[person.pk]))
    return nominated


def _upload(nominated: list[Nominated]) -> None:
    """Each contestant uploads their five lesson plans and their slides on a day of April
    (the first of them a second version of lesson plan 1, revised)."""
    from gonghui.competitions.services.entries import material_upload

    for k, row in enumerate(nominated):
        staff_no = row.entry.person.staff_no
        with _on(_at(2021, 4, 12, 9) + datetime.timedelta(days=k % 16, minutes=k)):
            for number in range(1, 6):
                material_upload(
                    actor=row.user,
                    entry=row.entry,
                    kind=MaterialKind.LESSON_PLAN,
                    number=number,
                    uploaded_file=SimpleUploadedFile(
                        f"教案{number}.pdf", _pdf(f"Lesson plan {number} - {staff_no}"), "application/pdf"
                    ),
                )
            material_upload(
                actor=row.user,
                entry=row.entry,
                kind=MaterialKind.SLIDES,
                number=1,
                uploaded_file=SimpleUploadedFile("课件.pdf", _pdf(f"Slides - {staff_no}"), "application/pdf"),
            )
            if k == 0:
                material_upload(
                    actor=row.user,
                    entry=row.entry,
                    kind=MaterialKind.LESSON_PLAN,
                    number=1,
                    uploaded_file=SimpleUploadedFile(
                        "教案1（修改稿）.pdf", _pdf(f"Lesson plan 1 (revised) - {staff_no}"), "application/pdf"
                    ),
                )


def _judges(office, competition: Competition, experts: dict[str, User], taken: set[int]) -> dict[str, list[Judge]]:
    """Seven judges a group: five outside experts (the chief judge among them) and two
    professors of the university (an extra expert where a college has none)."""
    from gonghui.competitions.services.judging import judge_add

    groups = {g.code: g for g in competition.rules.groups.all()}
    spare = iter(username for username, _name in EXPERTS[10:])
    panels: dict[str, list[Judge]] = {}
    for code, (outside, colleges) in PANELS.items():
        logins = list(outside)
        for college in colleges:
            professor = _senior(college, taken)
            if professor is None:
                logins.append(next(spare))
                continue
            taken.add(professor.pk)
            _users_of([professor])
            logins.append(professor.staff_no)
        panels[code] = [
            judge_add(actor=office, competition=competition, group=groups[code], login=login, is_chief=login == CHIEF)
            for login in logins
        ]
    return panels


def _sheets(competition: Competition, panels: dict[str, list[Judge]], levels: dict[int, tuple[int, float]], rng):
    """Every judge scores every contestant of their group they may (their own college's they
    may not), after each lesson; the amended score goes in as typed."""
    from gonghui.competitions.selectors.judging import conflict
    from gonghui.competitions.services.judging import sheet_submit

    entries = list(
        competition.entries.select_related("person", "college", "group", "competition").order_by(
            "group__position", "appearance"
        )
    )
    for entry in entries:
        index, level = levels[entry.pk]
        leaning = LEANINGS.get(index, {})
        lesson_ends = _at(2021, 5, 8, 9) + datetime.timedelta(minutes=25 * (entry.appearance or 0))
        for k, judge in enumerate(panels[entry.group.code]):
            scores = {
                part: _score(full, step, level / 100 + leaning.get(part, 0.0) + rng.uniform(-0.025, 0.025))
                for part, full, step in PARTS
            }
            if conflict(judge, entry):
                continue
            if (judge.user.username, entry.course, "classroom") == AMENDED[:3]:
                scores["classroom"] -= AMENDED[3]
            with _on(lesson_ends + datetime.timedelta(minutes=k)):
                sheet_submit(actor=judge.user, judge=judge, entry=entry, scores={p: str(v) for p, v in scores.items()})


def _amend(competition: Competition, experts: dict[str, User]) -> None:
    from gonghui.competitions.models import PartScore, ScoreSheet
    from gonghui.competitions.services.judging import sheet_amend

    judge_name, course, part_code, typo = AMENDED
    sheet = (
        ScoreSheet.objects.filter(
            entry__competition=competition, entry__course=course, judge__user__username=judge_name
        )
        .select_related("entry")
        .first()
    )
    if sheet is None:
        return
    score = PartScore.objects.select_related("part").get(sheet=sheet, part__code=part_code)
    corrected = score.score + typo
    sheet_amend(
        actor=experts[CHIEF],
        sheet=sheet,
        part=score.part,
        score=str(corrected),
        reason=f"评委誊录笔误：纸质评分表为 {corrected}，误录为 {score.score}，经核对更正。",
    )


def _build_school(office, officer, beijing: Competition, experts: dict[str, User], rng) -> Competition:
    from gonghui.accounts.system import system_actor
    from gonghui.competitions.services import competitions as competition_services
    from gonghui.competitions.services import draw as draw_services
    from gonghui.competitions.services import results as result_services

    with _on(_at(2021, 3, 10, 9)):
        _rules_school(office)
    with _on(_at(2021, 3, 15, 10)):
        competition = competition_services.competition_create(
            actor=office,
            level=Level.UNIVERSITY,
            year=2021,
            number=SCHOOL_NUMBER,
            title=SCHOOL_TITLE,
            organiser="校工会、教务处、人事处",
            nominations_close=_at(2021, 4, 9, 17),
            materials_due=_at(2021, 4, 30, 17),
            held_on=datetime.date(2021, 5, 8),
            publicity_days=5,
            feeds_into=beijing,
            note=f"抽签种子 {SEED} 随比赛通知公布。",
        )
        competition_services.competition_step(actor=office, competition=competition, step="open_nominations")
    nominated = _nominate(office, officer, competition)
    with _on(_at(2021, 4, 9, 17, 5)):
        competition_services.competitions_due(actor=system_actor())
    _upload(nominated)
    taken = {row.entry.person_id for row in nominated} | {row.entry.coach_id for row in nominated if row.entry.coach_id}
    with _on(_at(2021, 5, 6, 10)):
        panels = _judges(office, competition, experts, taken)
    with _on(_at(2021, 5, 7, 9)):
        draw_services.draw_run(actor=office, competition=competition, seed=SEED)
    with _on(_at(2021, 5, 8, 8, 30)):
        competition_services.competition_step(actor=office, competition=competition, step="open_scoring")
    levels = {row.entry.pk: (row.slot_index, row.slot.level) for row in nominated}
    _sheets(competition, panels, levels, rng)
    with _on(_at(2021, 5, 8, 17, 30)):
        _amend(competition, experts)
    with _on(_at(2021, 5, 8, 18)):
        result_services.scoring_close(actor=office, competition=competition)
    with _on(_at(2021, 5, 10, 9)):
        result_services.results_publish(actor=office, competition=competition)
    with _on(_at(2021, 5, 10, 10)):
        first = nominated[0].entry if nominated and nominated[0].slot_index == 0 else None
        if first is not None and first.coach is not None:
            result_services.award_confer(
                actor=office, competition=competition, code="coach", coach_staff_no=first.coach.staff_no
            )
        for code in ("LIT", "LAW"):
            result_services.award_confer(
                actor=office, competition=competition, code="organisation", college=SubUnion.objects.get(code=code)
            )
    with _on(_at(2021, 5, 17, 9)):
        result_services.results_release(actor=office, competition=competition)
    competition.refresh_from_db()
    return competition


# --- Beijing 2021 ----------------------------------------------------------------------------------

# What the three recorded (the bulletin): the college, then the codes recorded.
BEIJING_RESULTS = (("LIT", ("first", "best-plan", "best-show")), ("STAT", ("second",)), ("LAW", ("second",)))


def _build_beijing(office, school: Competition, beijing: Competition) -> None:
    """The first prizes of 人文科学类A组 from 文学院, 统计学院 and 法学院 recommended, their results
    and their coach's award recorded, the edition confirmed."""
    from gonghui.competitions.services import results as result_services
    from gonghui.competitions.services.entries import entries_recommend

    placed = list(
        school.entries.filter(group__code="humanities-a", rank__isnull=False)
        .select_related("person", "college", "group", "coach")
        .order_by("rank", "pk")
    )
    going = []
    for code, _codes in BEIJING_RESULTS:
        entry = next((e for e in placed if e.college.code == code), None)
        if entry is not None:
            going.append(entry)
    if not going:
        return
    with _on(_at(2021, 5, 20, 10)):
        entries_recommend(actor=office, competition=school, entries=going)
    recorded = {e.college.code: e for e in beijing.entries.select_related("person", "college", "group", "coach")}
    with _on(_at(2021, 7, 16, 16)):
        for code, codes in BEIJING_RESULTS:
            entry = recorded.get(code)
            if entry is None:
                continue
            for award in codes:
                result_services.result_record(actor=office, competition=beijing, entry=entry, code=award)
            if code == "LIT" and entry.coach is not None:
                result_services.award_confer(
                    actor=office, competition=beijing, code="coach", coach_staff_no=entry.coach.staff_no
                )
    with _on(_at(2021, 7, 19, 10)):
        result_services.results_confirm(actor=office, competition=beijing)


# --- the whole ---------------------------------------------------------------------------------------


def _summary() -> str:
    from gonghui.competitions.models import Award, Certificate, ScoreSheet
    from gonghui.competitions.selectors.history import edition_history

    office = User.objects.get(username="office")
    (beijing,) = [h for h in edition_history(user=office) if h.level == Level.BEIJING]
    school = Competition.objects.get(level=Level.UNIVERSITY, year=2021, number=SCHOOL_NUMBER)
    now = Competition.objects.get(level=Level.UNIVERSITY, number=NOW_NUMBER)
    recorded = Award.objects.filter(competition__level=Level.BEIJING, competition__year=2021).count()
    return (
        f"{beijing.held} Beijing editions, entered {beijing.entered}, {beijing.teachers} teachers; "
        f"2021 school round: {school.entries.count()} contestants, "
        f"{ScoreSheet.objects.filter(entry__competition=school).count()} score sheets, "
        f"{Certificate.objects.filter(award__competition=school).count()} certificates; "
        f"Beijing 2021: {recorded} awards recorded; "
        f"now: {now.title} ({now.year}) being scored, {now.entries.count()} contestants, "
        f"{ScoreSheet.objects.filter(entry__competition=now).count()} sheets in"
    )


# --- the round being scored now ----------------------------------------------------------------

NOW_NUMBER = 9
NOW_COLLEGES = ("LIT", "STAT", "LAW", "ECON", "FL", "JOUR")  # one contestant each, 人文科学类A组
NOW_PANEL = ("pw01", "pw02", "pw03", "pw04", "pw05")  # the chief judge `pw01` has scored nobody yet
NOW_SCORED = 3  # the first three in order of appearance scored by the other judges


def now_year() -> int:
    """The year of the round being scored now (never 2021's, whose rules it would supersede)."""
    from django.utils import timezone

    return max(timezone.localdate().year, 2022)


def _build_now(office, experts: dict[str, User], taken: set[int]) -> Competition:
    """The school round of this year (第九届), its scoring open since this morning: six
    contestants of 人文科学类A组 (none of 2021's), five outside experts and a professor of 历史学院
    on the panel; the other judges have scored the first three, the chief judge `pw01` nobody —
    a judge's journey on a phone, for whoever signs in as `pw01`."""
    from django.utils import timezone

    from gonghui.accounts.system import system_actor
    from gonghui.competitions.services import competitions as competition_services
    from gonghui.competitions.services import draw as draw_services
    from gonghui.competitions.services.entries import entry_nominate, material_upload
    from gonghui.competitions.services.judging import judge_add, sheet_submit
    from gonghui.competitions.services.rules import RulesSettings, RulesText, rules_adopt, rules_text

    now = timezone.now().replace(microsecond=0)
    year = now_year()
    day = datetime.timedelta(days=1)
    defaults = rules_text(None)
    with _on(now - 60 * day):
        rules_adopt(
            actor=office,
            settings=RulesSettings(
                level=Level.UNIVERSITY,
                year=year,
                name=f"{year}年青年教师教学基本功比赛方案",
                born_on_or_after=datetime.date(year - 40, 1, 1),
                judges_per_group=6,
            ),
            text=RulesText(groups=GROUPS, parts=defaults.parts, prizes=defaults.prizes, specials=defaults.specials),
            adopted_on=timezone.localdate(now - 60 * day),
            resolution=f"校工会〔{year}〕5号",
        )
    with _on(now - 45 * day):
        competition = competition_services.competition_create(
            actor=office,
            level=Level.UNIVERSITY,
            year=year,
            number=NOW_NUMBER,
            title=f"第{CN_NUMBERS[NOW_NUMBER]}届青年教师教学基本功比赛",
            organiser="校工会、教务处、人事处",
            nominations_close=now - 20 * day,
            materials_due=now - 10 * day,
            held_on=timezone.localdate(now),
        )
        competition_services.competition_step(actor=office, competition=competition, step="open_nominations")
    group = competition.rules.groups.get(code="humanities-a")
    rows = []
    for index, code in enumerate(NOW_COLLEGES):
        person = _young_teacher(code, taken, year)
        if person is None:
            continue
        taken.add(person.pk)
        with _on(now - 40 * day + datetime.timedelta(hours=index)):
            entry = entry_nominate(
                actor=office,
                competition=competition,
                staff_no=person.staff_no,
                group=group,
                teaching_post=TeachingPost.FULL_TIME,
                course=next(slot.course for slot in SLOTS if slot.college == code),
            )
        rows.append((entry, _users_of([person])[person.pk]))
    with _on(now - 20 * day + datetime.timedelta(minutes=5)):
        competition_services.competitions_due(actor=system_actor())
    for k, (entry, user) in enumerate(rows):
        with _on(now - 15 * day + datetime.timedelta(hours=k)):
            for number in range(1, 6):
                material_upload(
                    actor=user,
                    entry=entry,
                    kind=MaterialKind.LESSON_PLAN,
                    number=number,
                    uploaded_file=SimpleUploadedFile(
                        f"教案{number}.pdf", _pdf(f"Lesson plan {number} - {entry.person.staff_no}"), "application/pdf"
                    ),
                )
            material_upload(
                actor=user,
                entry=entry,
                kind=MaterialKind.SLIDES,
                number=1,
                uploaded_file=SimpleUploadedFile(
                    "课件.pdf", _pdf(f"Slides - {entry.person.staff_no}"), "application/pdf"
                ),
            )
    with _on(now - 5 * day):
        logins = list(NOW_PANEL)
        professor = _senior("HIST", taken)
        if professor is not None:
            _users_of([professor])
            logins.append(professor.staff_no)
        judges = [
            judge_add(actor=office, competition=competition, group=group, login=login, is_chief=login == CHIEF)
            for login in logins
        ]
    with _on(now - day):
        draw_services.draw_run(actor=office, competition=competition, seed=f"qjs{year}")
    start = now - datetime.timedelta(hours=3)
    with _on(start):
        competition_services.competition_step(actor=office, competition=competition, step="open_scoring")
    rng = random.Random(year)
    scored = competition.entries.filter(appearance__lte=NOW_SCORED).select_related("college", "person", "competition")
    for entry in scored.order_by("appearance"):
        level = rng.uniform(0.8, 0.93)
        for k, judge in enumerate(j for j in judges if j.user.username != CHIEF):
            scores = {part: _score(full, step, level + rng.uniform(-0.025, 0.025)) for part, full, step in PARTS}
            with _on(start + datetime.timedelta(minutes=30 * (entry.appearance or 0) + k)):
                sheet_submit(actor=judge.user, judge=judge, entry=entry, scores={p: str(v) for p, v in scores.items()})
    competition.refresh_from_db()
    return competition


def competitions_demo_build() -> str:
    """Build the demo competitions once (later runs change nothing)."""
    if not User.objects.filter(username="office").exists() or not SubUnion.objects.filter(code="LIT").exists():
        return ""
    if Competition.objects.filter(level=Level.BEIJING, number=12).exists():
        return ""
    office = User.objects.get(username="office")
    officer = User.objects.filter(username="100002").first() or office
    rng = random.Random(2021)
    # each phase commits at its date: a run cut short leaves editions to remove by --reset
    editions = _build_history(office)
    experts = _experts()
    school = _build_school(office, officer, editions[12], experts, rng)
    _build_beijing(office, school, editions[12])
    first = school.entries.filter(recommended_to__isnull=False, college__code="LIT").select_related("person").first()
    if first is not None:
        _sign_in(User.objects.get(person=first.person))
    taken = set(Entry.objects.values_list("person_id", flat=True))
    taken |= set(Entry.objects.filter(coach__isnull=False).values_list("coach_id", flat=True))
    taken |= set(Judge.objects.filter(user__person__isnull=False).values_list("user__person_id", flat=True))
    _build_now(office, experts, taken)
    return _summary()

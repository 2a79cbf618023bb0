"""Demo data for mentorship pairing (拜师结对, DOMAIN §3.8; idempotent).

- **Teacher profiles** for the active staff of the demo university's colleges, derived from
  each person (HR's list as the import would bring it): the discipline of the college; the
  title by the year of birth (before 1977 教授, before 1985 副教授, before 1992 讲师, then 助教);
  hired (and teaching since) 1 September of the year they turned 28 to 31 (by staff number),
  never later than last September; the research field and campus by staff number.
- **The history** (the bulletin: "七期，300余对"): cohorts 1–6 (2009, 2011 … 2019) recorded from
  the archive on 2021-09-15 with their pairs (`ARCHIVE`, 267 in all), under the 2009 rules.
- **Cohort 7 (2021)**, run through the services at its dates, as the people who take each
  step: the 2021 rules (the examples of DOMAIN §3.8) adopted 2021-05-10; the cohort opened on
  2021-05-20; up to three new teachers (hired within three years, under 40) and four
  mentors of each college named; 经济学院's officer 100002 proposes two pairs by hand, the office
  runs the optimal matching for the rest and confirms it; agreements signed 2021-09-06;
  the ceremony 2021-09-10 (学术会堂); each year's duties logged by the mentee and the mentor
  and confirmed by the office (every third pair of a college falls short of the observations
  in its second year); assessed 2023-09-05 — 合格, or 基本合格 for those short — and the
  stipends paid in a batch; the extension assessed 2024-03-05 (all passed but one), the rest
  paid; the cohort closed.
- **The current cohort** (第8期), mid-cycle on any date: it started on the first of the month
  eight months ago (`current_start()`); its rules adopted and its pairs proposed, signed and
  started relative to that; two new teachers a college of `CURRENT_COLLEGES`, the demo
  sign-in 100001 (经济学院, 副教授) mentoring one of them (proposed by her college's officer
  100002); the duties of the months so far logged, all confirmed but those of the last three
  weeks (an observation a pair last week), which wait for the college.

Everything runs through the services at its date (`time_machine`), as competitions' demo
does; the profiles are written in one insert (the import service's rows would be the same).
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from gonghui.accounts.models import User
from gonghui.mentorship.choices import DutyKind, DutyStatus, MatchMethod, PairStatus, Side, TitleRank
from gonghui.mentorship.models import Candidate, Cohort, DutyLog, Pair, TeacherProfile
from gonghui.people.choices import EmploymentStatus, SubUnionKind
from gonghui.people.models import Person, SubUnion

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
DEMO_STAFF = frozenset({"100001", "100002", "100003"})  # the demo sign-ins' people
MENTOR_LOGIN = "100001"  # mentors in the current cohort: sign in to see the pair
# (number, year, pairs in the archive): the cohorts before the system.
ARCHIVE = ((1, 2009, 38), (2, 2011, 42), (3, 2013, 45), (4, 2015, 44), (5, 2017, 48), (6, 2019, 50))
COHORT_2021 = 7
CURRENT = 8
MENTEES_A_COLLEGE = 3
MENTORS_A_COLLEGE = 4
CURRENT_COLLEGES = ("ECON", "LAW", "LIT", "CS", "MATH", "FIN")
DISCIPLINES = {
    "ECON": ("经济学", ("宏观经济", "产业经济", "国际贸易")),
    "LAW": ("法学", ("民法", "刑法", "宪法与行政法")),
    "STAT": ("统计学", ("数理统计", "经济统计", "生物统计")),
    "LIT": ("中国语言文学", ("古代文学", "现当代文学", "语言学")),
    "FL": ("外国语言文学", ("英语语言文学", "翻译", "日语语言文学")),
    "MATH": ("数学", ("基础数学", "应用数学", "计算数学")),
    "CS": ("计算机科学与技术", ("人工智能", "软件工程", "网络安全")),
    "MGMT": ("工商管理", ("企业管理", "会计学", "市场营销")),
    "FIN": ("金融学", ("公司金融", "金融工程", "货币银行")),
    "MARX": ("马克思主义理论", ("马克思主义基本原理", "思想政治教育", "党史党建")),
    "JOUR": ("新闻传播学", ("新闻学", "传播学", "广告学")),
    "HIST": ("历史学", ("中国古代史", "中国近现代史", "世界史")),
    "PE": ("体育学", ("体育教育", "运动训练", "民族传统体育")),
}
CAMPUSES = ("海淀校区", "通州校区")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=BEIJING)


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return _at(day.year, day.month, day.day, hour)


@contextmanager
def _on(moment: datetime.datetime):
    """Run a phase at its date (its events and stamps carry it), in its own transaction."""
    import time_machine

    with time_machine.travel(moment, tick=False), transaction.atomic():
        yield


def current_start(today: datetime.date | None = None) -> datetime.date:
    """The current cohort's start: the first of the month eight months before today."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return (today - relativedelta(months=8)).replace(day=1)


# --- teachers ----------------------------------------------------------------------------------


def _title(born: datetime.date) -> tuple[str, str]:
    if born.year < 1977:
        return "教授", TitleRank.SENIOR
    if born.year < 1985:
        return "副教授", TitleRank.ASSOCIATE
    if born.year < 1992:
        return "讲师", TitleRank.INTERMEDIATE
    return "助教", TitleRank.JUNIOR


def _profiles(office) -> int:
    """A profile for every active member of staff of a college (its union groups included)."""
    from django.utils import timezone

    latest = datetime.date(timezone.localdate().year - 1, 9, 1)
    colleges = {s.pk: s for s in SubUnion.objects.filter(kind=SubUnionKind.COLLEGE, code__in=DISCIPLINES)}
    groups = dict(SubUnion.objects.filter(parent_id__in=colleges).values_list("pk", "parent_id"))
    people = Person.objects.filter(
        sub_union_id__in=[*colleges, *groups], employment_status=EmploymentStatus.ACTIVE, teacher_profile__isnull=True
    ).order_by("staff_no")
    profiles = []
    for person in people:
        college = colleges[groups.get(person.sub_union_id, person.sub_union_id)]
        discipline, fields = DISCIPLINES[college.code]
        number = int(person.staff_no) if person.staff_no.isdigit() else sum(map(ord, person.staff_no))
        title, rank = _title(person.birth_date)
        hired = min(datetime.date(person.birth_date.year + 28 + number % 4, 9, 1), latest)
        if person.staff_no == MENTOR_LOGIN and rank not in (TitleRank.SENIOR, TitleRank.ASSOCIATE):
            # The demo's sign-in mentor is one at every scale (the small build's 100001 is young).
            title, rank = "副教授", TitleRank.ASSOCIATE
            hired = min(hired, latest.replace(year=latest.year - 10))
        profiles.append(
            TeacherProfile(
                person=person,
                title=title,
                title_rank=rank,
                discipline=discipline,
                research_field=fields[number // 4 % len(fields)],
                campus=CAMPUSES[number // 16 % len(CAMPUSES)],
                hired_on=hired,
                teaching_since=hired,
                updated_by=office,
            )
        )
    TeacherProfile.objects.bulk_create(profiles)
    return len(profiles)


def _users_of(people) -> dict[int, User]:
    """Each person's account (mentors and mentees log their duties as themselves): one
    without a usable password for those who have none."""
    users = {u.person_id: u for u in User.objects.filter(person__in=people)}
    for person in people:
        if person.pk not in users:
            user = User(username=person.staff_no, person=person)
            user.set_unusable_password()
            user.save()
            users[person.pk] = user
    return users


def _college_teachers(code: str, taken: set[int]):
    college = SubUnion.objects.get(code=code)
    return (
        Person.objects.filter(
            sub_union_id__in=SubUnion.objects.with_descendants([college.pk]),
            employment_status=EmploymentStatus.ACTIVE,
            teacher_profile__isnull=False,
        )
        .exclude(staff_no__in=DEMO_STAFF)
        .exclude(pk__in=taken)
        .select_related("teacher_profile")
        .order_by("staff_no")
    )


def _candidates(cohort: Cohort, code: str, taken: set[int], mentees: int, mentors: int):
    """The college's first eligible new teachers and mentors (by staff number)."""
    from gonghui.mentorship.selectors.eligibility import mentee_checks, mentor_checks

    people = list(_college_teachers(code, taken))
    young = [c.person for c in mentee_checks(cohort, people) if c.eligible][:mentees]
    if not young:
        return [], []
    discipline = DISCIPLINES[code][0]
    seniors = [
        c.person
        for c in mentor_checks(cohort, [p for p in people if p not in young])
        if c.eligible and c.profile.discipline == discipline
    ]
    seniors.sort(key=lambda p: (p.birth_date, p.staff_no))
    return young, seniors[:mentors]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- the rules and the archive ---------------------------------------------------------------


def _rules(office, year: int, adopted_on: datetime.date, resolution: str):
    from gonghui.mentorship.services.rules import DEFAULT_GRADES, RulesSettings, rules_adopt

    with _on(_moment(adopted_on)):
        return rules_adopt(
            actor=office,
            settings=RulesSettings(year=year, name=f"{year}年青年教师拜师结对实施办法"),
            grades=DEFAULT_GRADES,
            adopted_on=adopted_on,
            resolution=resolution,
        )


def _archive(office) -> None:
    """Cohorts 1–6 as the archive records them (under the 2009 rules)."""
    from gonghui.mentorship.services import cohorts as cohort_services

    rules = _rules(office, 2009, datetime.date(2009, 4, 20), "校工会〔2009〕8号")
    with _on(_at(2021, 9, 15)):  # once the sixth cohort's cycle is over
        for number, year, pairs in ARCHIVE:
            cohort = cohort_services.cohort_create(
                actor=office,
                number=number,
                rules=rules,
                starts_on=datetime.date(year, 9, 1),
                ceremony_on=datetime.date(year, 9, 10),
                ceremony_place="学术会堂",
                pairs_recorded=pairs,
                note="按档案录入",
            )
            cohort_services.cohort_record(actor=office, cohort=cohort)


# --- a cohort through the services -------------------------------------------------------------


def _form_pairs(office, officer, cohort: Cohort, colleges, taken: set[int], mentees: int, by_hand: int) -> list[Pair]:
    """Name each college's candidates; the economics officer proposes `by_hand` pairs by hand;
    the office's optimal matching pairs the rest and is confirmed."""
    from gonghui.mentorship.services import matching as matching_services
    from gonghui.mentorship.services import pairs as pair_services

    econ: tuple[list, list] = ([], [])
    for code in colleges:
        young, seniors = _candidates(cohort, code, taken, mentees, MENTORS_A_COLLEGE)
        if not young or not seniors:
            continue
        actor = officer if code == "ECON" else office
        for person in young:
            pair_services.candidate_add(actor=actor, cohort=cohort, person=person, side=Side.MENTEE)
        for person in seniors:
            pair_services.candidate_add(actor=actor, cohort=cohort, person=person, side=Side.MENTOR)
        taken.update(p.pk for p in (*young, *seniors))
        if code == "ECON":
            econ = (young, seniors)
    for mentee, mentor in list(zip(*econ, strict=False))[:by_hand]:
        pair_services.pair_propose(
            actor=officer, cohort=cohort, mentor=mentor, mentee=mentee, reasons=["学院推荐：同一教研室"]
        )
    run = matching_services.matching_run(actor=office, cohort=cohort, method=MatchMethod.ASSIGNMENT)
    matching_services.matching_confirm(actor=office, run=run)
    return list(Pair.objects.filter(cohort=cohort).select_related("mentor", "mentee").order_by("college__code", "pk"))


def _sign(office, officer, pairs: list[Pair], signed_on: datetime.date) -> None:
    from gonghui.mentorship.services import pairs as pair_services

    with _on(_moment(signed_on)):
        for pair in pairs:
            pair_services.pair_agree(
                actor=officer if pair.college.code == "ECON" else office,
                pair=pair,
                signed_on=signed_on,
                uploaded_file=_pdf("拜师协议.pdf"),
                plan="第一年：听课、备课，参加教学沙龙；第二年：独立开课，申报教改项目。",
            )


def _log(users, pair: Pair, kind: str, days: list[datetime.date], course: str) -> list[DutyLog]:
    from gonghui.mentorship.services import duties as duty_services

    # the mentee logs what they observed, the mentor their demonstrations and meetings
    user = users[pair.mentee_id] if kind == DutyKind.OBSERVATION else users[pair.mentor_id]
    return [
        duty_services.duty_log(
            actor=user, pair=pair, kind=kind, held_on=day, course=f"{course}（{day.month}月）", hours=Decimal("2")
        )
        for day in days
    ]


def _spread(start: datetime.date, end: datetime.date, count: int, offset: int) -> list[datetime.date]:
    """`count` days evenly between `start` and `end` (shifted a little by `offset`), in order."""
    span = (end - start).days
    return [start + datetime.timedelta(days=(span * (2 * k + 1)) // (2 * count) + offset % 5) for k in range(count)]


def _build_2021(office, officer, taken: set[int]) -> Cohort:
    from gonghui.mentorship.services import assessments as assessment_services
    from gonghui.mentorship.services import cohorts as cohort_services
    from gonghui.mentorship.services import duties as duty_services
    from gonghui.mentorship.services import stipends as stipend_services

    rules = _rules(office, 2021, datetime.date(2021, 5, 10), "校工会〔2021〕6号")
    with _on(_at(2021, 5, 20)):
        cohort = cohort_services.cohort_create(
            actor=office,
            number=COHORT_2021,
            rules=rules,
            starts_on=datetime.date(2021, 9, 1),
            ceremony_place="学术会堂",
            proposals_close=datetime.date(2021, 6, 30),
        )
        cohort = cohort_services.cohort_open(actor=office, cohort=cohort)
    with _on(_at(2021, 6, 15)):
        colleges = [code for code in DISCIPLINES]
        pairs = _form_pairs(office, officer, cohort, colleges, taken, MENTEES_A_COLLEGE, by_hand=2)
    _sign(office, officer, pairs, datetime.date(2021, 9, 6))
    with _on(_at(2021, 9, 10, 15)):
        cohort = cohort_services.cohort_start(actor=office, cohort=cohort, ceremony_on=datetime.date(2021, 9, 10))
    pairs = list(Pair.objects.filter(cohort=cohort).select_related("mentor", "mentee", "college").order_by("pk"))
    users = _users_of([p.mentor for p in pairs] + [p.mentee for p in pairs])
    # every third pair of a college observes too few lessons in its second year
    short: set[int] = set()
    by_college: dict[int, int] = {}
    for pair in pairs:
        by_college[pair.college_id] = by_college.get(pair.college_id, 0) + 1
        if by_college[pair.college_id] == 3:
            short.add(pair.pk)
    requirements = rules.requirements()
    for index, (start, end) in enumerate(cohort.year_bounds(), start=1):
        logged_on = end - datetime.timedelta(days=10)
        with _on(_moment(logged_on, 16)):
            for n, pair in enumerate(pairs):
                last = min(end - datetime.timedelta(days=20), logged_on)
                first = max(start, pair.started_on or start)
                demos = requirements[DutyKind.DEMONSTRATION]
                observations = requirements[DutyKind.OBSERVATION] - (3 if index == 2 and pair.pk in short else 0)
                _log(
                    users,
                    pair,
                    DutyKind.DEMONSTRATION,
                    _spread(first, last, demos, n),
                    pair.mentor.teacher_profile.research_field,
                )
                _log(
                    users,
                    pair,
                    DutyKind.OBSERVATION,
                    _spread(first, last, observations, n + 2),
                    pair.mentor.teacher_profile.research_field,
                )
            duty_services.duties_confirm(
                actor=office, duties=DutyLog.objects.filter(pair__cohort=cohort, status=DutyStatus.LOGGED)
            )
    with _on(_at(2023, 9, 5)):
        cohort = cohort_services.cohort_open_assessment(actor=office, cohort=cohort)
        for pair in pairs:
            if pair.college.code == "ECON":
                assessment_services.assessment_opinion(
                    actor=officer,
                    pair=pair,
                    opinion="履职认真，完成培养计划。" if pair.pk not in short else "第二年听课不足。",
                )
            assessment_services.pair_assess(
                actor=office, pair=pair, grade_code="basic" if pair.pk in short else "passed"
            )
    with _on(_at(2023, 9, 20)):
        batch = stipend_services.stipend_batch_create(actor=office, cohort=cohort)
        stipend_services.stipend_batch_mark_paid(actor=office, batch=batch, paid_on=datetime.date(2023, 9, 28))
    # One of the extended pairs fails, where there are several (the small demo may have one).
    failing = min(short) if len(short) > 1 else None
    with _on(_at(2024, 3, 5)):
        for pair in Pair.objects.filter(cohort=cohort, status=PairStatus.BASICALLY_PASSED).order_by("pk"):
            assessment_services.pair_reassess(actor=office, pair=pair, passed=pair.pk != failing)
    with _on(_at(2024, 3, 15)):
        if stipend_services.stipends_due(cohort).exists():
            batch = stipend_services.stipend_batch_create(actor=office, cohort=cohort)
            stipend_services.stipend_batch_mark_paid(actor=office, batch=batch, paid_on=datetime.date(2024, 3, 25))
        cohort = cohort_services.cohort_close(actor=office, cohort=cohort)
    return cohort


def _build_current(office, officer, taken: set[int]) -> Cohort:
    """The cohort running now: started eight months ago, its duties of the months so far."""
    from django.utils import timezone

    from gonghui.mentorship.services import cohorts as cohort_services
    from gonghui.mentorship.services import duties as duty_services
    from gonghui.mentorship.services import pairs as pair_services

    today = timezone.localdate()
    start = current_start(today)
    day = datetime.timedelta(days=1)
    rules = _rules(office, start.year, start - 120 * day, f"校工会〔{start.year}〕4号")
    with _on(_moment(start - 100 * day)):
        cohort = cohort_services.cohort_create(
            actor=office,
            number=CURRENT,
            rules=rules,
            starts_on=start,
            ceremony_place="学术会堂",
            proposals_close=start - 30 * day,
        )
        cohort = cohort_services.cohort_open(actor=office, cohort=cohort)
    mentor = Person.objects.get(staff_no=MENTOR_LOGIN)
    with _on(_moment(start - 60 * day)):
        (young, _seniors) = _candidates(cohort, "ECON", taken, 1, 0)
        if young:  # the small build (tests) may have no new teacher in 经济学院
            pair_services.candidate_add(actor=officer, cohort=cohort, person=mentor, side=Side.MENTOR)
            pair_services.candidate_add(actor=officer, cohort=cohort, person=young[0], side=Side.MENTEE)
            taken.update({mentor.pk, young[0].pk})
            pair_services.pair_propose(
                actor=officer, cohort=cohort, mentor=mentor, mentee=young[0], reasons=["学院推荐：同一研究方向"]
            )
        pairs = _form_pairs(office, officer, cohort, CURRENT_COLLEGES, taken, 2, by_hand=0)
    _sign(office, officer, [p for p in pairs if p.status == PairStatus.PROPOSED], start - 10 * day)
    with _on(_moment(start + 5 * day, 15)):
        cohort = cohort_services.cohort_start(actor=office, cohort=cohort, ceremony_on=start + 5 * day)
    pairs = list(Pair.objects.filter(cohort=cohort).select_related("mentor__teacher_profile", "mentee").order_by("pk"))
    users = _users_of([p.mentor for p in pairs] + [p.mentee for p in pairs])
    recent = today - 21 * day
    with _on(_moment(today - 2 * day, 9)):
        for n, pair in enumerate(pairs):
            field = pair.mentor.teacher_profile.research_field
            _log(users, pair, DutyKind.DEMONSTRATION, _spread(pair.started_on, today - 3 * day, 3, n), field)
            _log(users, pair, DutyKind.OBSERVATION, _spread(pair.started_on, today - 30 * day, 5, n + 1), field)
            _log(users, pair, DutyKind.OBSERVATION, [today - (3 + n % 4) * day], field)  # last week's
        duty_services.duties_confirm(
            actor=office,
            duties=DutyLog.objects.filter(pair__cohort=cohort, status=DutyStatus.LOGGED, held_on__lt=recent),
        )
    return cohort


# --- the whole ----------------------------------------------------------------------------------


def _summary() -> str:
    from gonghui.accounts.system import system_actor
    from gonghui.mentorship.selectors.history import cohort_history

    history = cohort_history(user=system_actor(), until_year=2021)
    seven = Cohort.objects.get(number=COHORT_2021)
    current = Cohort.objects.get(number=CURRENT)
    waiting = DutyLog.objects.filter(pair__cohort=current, status=DutyStatus.LOGGED).count()
    return (
        f"{history.cohorts} cohorts by 2021, {history.pairs} pairs; "
        f"cohort {COHORT_2021}: {seven.pairs.count()} pairs, "
        f"{seven.pairs.filter(status=PairStatus.PASSED).count()} passed; "
        f"cohort {CURRENT} ({current.starts_on.isoformat()}): {current.pairs.count()} pairs, "
        f"{DutyLog.objects.filter(pair__cohort=current).count()} duties logged, {waiting} waiting"
    )


def mentorship_demo_build() -> str:
    """Build the demo cohorts once (later runs change nothing)."""
    if not User.objects.filter(username="office").exists() or not SubUnion.objects.filter(code="ECON").exists():
        return ""
    if Cohort.objects.filter(number=COHORT_2021).exists():
        return ""
    office = User.objects.get(username="office")
    officer = User.objects.filter(username="100002").first() or office
    with transaction.atomic():
        _profiles(office)
    # each phase commits at its date: a run cut short leaves cohorts to remove by --reset
    _archive(office)
    taken: set[int] = set(Candidate.objects.values_list("person_id", flat=True))
    _build_2021(office, officer, taken)
    _build_current(office, officer, taken)
    return _summary()

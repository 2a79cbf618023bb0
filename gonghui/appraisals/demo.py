"""Demo data for the cadre democratic appraisal (idempotent).

- 2021 (the bulletin's year-end annual meetings): the rules adopted by 党委组织部 on 2021-11-30
  (党委组织部〔2021〕45号: leaders 30, cadres 30, staff 40, a quorum of 2/3 of the staff, both
  online and paper ballots); one round across eight colleges, each with two to four cadres
  and their reports (述职), voters from the roster plus three university leaders in every
  college, two tellers each. The reports go out on 2021-12-10, voting runs 2021-12-20 09:00 to
  2021-12-24 18:00, each college voting on the day of its annual meeting; 经济学院 also votes
  on paper, entered by its two tellers and agreed. 文学院 and 计算机学院 stay under quorum
  (results not final) and one cadre, 经济学院's 副院长, is flagged for an admonition talk
  (诫勉谈话). Counted on 12-27, released by the organisation department on 12-28.
- 2020: 经济学院 alone, online, released: the organisation department's sheet of each of its
  cadres shows two years.

Every step runs through the services at its date (`time_machine`), as the people who do it
(the union office `office`, the organisation department `zzb`, the tellers, each voter); the
grades are drawn from `random.Random(2021)` in proportions fixed per cadre, so the flags and
the quorum come out the same at any size of the demo university.
"""

from __future__ import annotations

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from gonghui.accounts.models import User
from gonghui.appraisals.choices import BallotKind, VotingMode
from gonghui.appraisals.models import AppraisalRound, EligibleVoter, RoundUnit
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, SubUnion

ROUND_2021 = "2021年度中层干部民主测评"
ROUND_2020 = "2020年度中层干部民主测评（经济学院）"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
MEMBER = "100001"  # the demo member (经济学院): votes online in both years
NOT_CADRES = frozenset({"100001", "100002", "100003"})  # the demo sign-ins' people


@dataclass(frozen=True)
class UnitPlan:
    code: str
    cadres: int
    turnout: float  # the share of the unit's staff who vote
    meeting_day: int  # December 2021
    paper: bool = False  # part of the staff vote on paper at the meeting


UNITS_2021 = (
    UnitPlan("ECON", 4, 0.87, 20, paper=True),
    UnitPlan("LAW", 3, 0.82, 20),
    UnitPlan("STAT", 2, 0.90, 21),
    UnitPlan("LIT", 3, 0.58, 21),  # under quorum
    UnitPlan("FL", 2, 0.80, 22),
    UnitPlan("MATH", 2, 0.91, 22),
    UnitPlan("CS", 3, 0.61, 23),  # under quorum
    UnitPlan("MGMT", 4, 0.85, 23),
)
POSTS = ("院长", "党委书记", "副院长", "党委副书记")
FLAGGED = ("ECON", 2)  # 经济学院's 副院长: 优秀+称职 about half, an admonition talk
LEADERS = 3  # university leaders (from 机关第一分工会) who vote in every college

REPORTS = {
    "院长": (
        "{year}年，本人主持{college}行政全面工作。学院围绕年度重点工作，推进一流专业建设，"
        "全年新增省部级以上科研项目{a}项，本科教学审核评估各项指标达标。"
        "不足之处是青年教师培养投入不够，明年将完善青年教师导师制度，改善教职工工作条件。",
        "本人任{college}院长，负责学院行政、学科和师资队伍建设。一年来引进博士{a}人，"
        "修订学院绩效分配办法并提交二级教代会审议通过，学院办学条件得到改善。"
        "存在的问题是科研平台建设进度偏慢，今后将加强统筹，抓好落实。",
    ),
    "党委书记": (
        "本人全面负责{college}党委工作，落实全面从严治党主体责任，组织开展党史学习教育，"
        "完成基层党支部换届{a}个。坚持二级教代会制度，学院重大事项均听取教职工意见。"
        "今后将进一步加强师德师风建设和思想政治工作。",
        "一年来，本人履行{college}党委书记职责，坚持党政联席会议制度，推进“三全育人”，"
        "发展学生党员{a}名。注重关心教职工，协调解决子女入托、职称评审等实际困难{b}件。"
        "对青年教师思想状况的了解还不够深入，明年将建立定期谈心制度。",
    ),
    "副院长": (
        "本人分管{college}本科教学与专业建设，组织完成{a}门课程的混合式教学改革，"
        "指导学生获省级以上竞赛奖项{b}项。教学管理的精细化还不够，明年将加强课程质量监控。",
        "本人分管{college}科研与研究生工作，全年学院获批国家社科基金项目{a}项，"
        "研究生学位论文抽检全部合格。科研服务还不够主动，今后将改进项目申报辅导。",
    ),
    "党委副书记": (
        "本人协助书记分管{college}学生工作、工会和共青团工作，组织学生参加社会实践{a}项，"
        "学院毕业生就业率保持稳定。工会活动的覆盖面还不够广，明年将更多听取教职工意见。",
    ),
}


def _at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=BEIJING)  # type: ignore[misc]


@contextmanager
def _on(moment: datetime.datetime):
    """Run a phase at its date (its events and stamps carry it), in its own transaction so that
    what it tells people is told at that date too."""
    import time_machine

    with time_machine.travel(moment, tick=False), transaction.atomic():
        yield


def _users_of(people: list[Person]) -> dict[int, User]:
    """Each person's account (voters and tellers act as themselves): one without a usable
    password is made for those who have none, as the congress demos do for delegates."""
    users = {u.person_id: u for u in User.objects.filter(person__in=people)}
    missing = list({p.pk: p for p in people if p.pk not in users}.values())
    taken = set(User.objects.filter(username__in=[p.staff_no for p in missing]).values_list("username", flat=True))
    made = []
    for person in missing:
        if person.staff_no not in taken:
            user = User(username=person.staff_no, person=person)
            user.set_unusable_password()
            made.append(user)
    User.objects.bulk_create(made, batch_size=500)
    users.update({u.person_id: u for u in User.objects.filter(person__in=[u.person for u in made])})
    return users


def _staff_of(college: SubUnion):
    return Person.objects.filter(
        sub_union_id__in=SubUnion.objects.with_descendants([college.pk]), employment_status=EmploymentStatus.ACTIVE
    )


def _cadres_of(college: SubUnion, count: int) -> list[Person]:
    """The college's cadres: its eldest 事业编制 staff (the demo sign-ins' people aside)."""
    people = (
        _staff_of(college)
        .filter(employment_category__name="事业编制")
        .exclude(staff_no__in=NOT_CADRES)
        .order_by("birth_date", "staff_no")
    )
    return list(people[:count])


def _tellers_of(college: SubUnion, cadres: list[Person]) -> list[str]:
    """Two staff numbers: the college's union officer where it is the demo's (100002), then
    the youngest staff who are not cadres."""
    taken = {p.pk for p in cadres}
    staff = _staff_of(college).exclude(pk__in=taken).exclude(staff_no=MEMBER)
    numbers = list(staff.filter(staff_no="100002").values_list("staff_no", flat=True))
    numbers += list(
        staff.exclude(staff_no="100002").order_by("-birth_date", "staff_no").values_list("staff_no", flat=True)[:2]
    )
    if len(numbers) < 2:  # a college this small (a demo at a small scale): anyone serving counts
        others = Person.objects.filter(employment_status=EmploymentStatus.ACTIVE).exclude(staff_no__in=numbers)
        numbers += list(others.exclude(staff_no=MEMBER).order_by("staff_no").values_list("staff_no", flat=True)[:2])
    return numbers[:2]


def _leaders() -> list[Person]:
    admin = SubUnion.objects.get(code="ADM1")
    return list(
        _staff_of(admin)
        .filter(employment_category__name="事业编制")
        .exclude(staff_no__in=NOT_CADRES)
        .order_by("birth_date", "staff_no")[:LEADERS]
    )


# --- grades ------------------------------------------------------------------------------------


def _grades_good(n: int, codes: list[str], rng: random.Random) -> list[str]:
    """A cadre the voters think well of: at most a tenth 基本称职 and a fortieth 不称职, the
    rest 优秀 or 称职 (so never below 2/3 in any category)."""
    basic = int(n * rng.choice((0.0, 0.04, 0.06, 0.08, 0.1)))
    poor = n // 40
    rest = n - basic - poor
    excellent = round(rest * rng.uniform(0.5, 0.8))
    grades = [codes[0]] * excellent + [codes[1]] * (rest - excellent) + [codes[2]] * basic + [codes[3]] * poor
    rng.shuffle(grades)
    return grades


def _grades_flagged(n: int, codes: list[str], rng: random.Random) -> list[str]:
    """The flagged cadre: 优秀+称职 at most half in every category (below 2/3), 不称职 an eighth
    (below 1/3), the rest 基本称职."""
    good = n // 2
    excellent = good // 3
    poor = n // 8
    grades = [codes[0]] * excellent + [codes[1]] * (good - excellent) + [codes[3]] * poor
    grades += [codes[2]] * (n - len(grades))
    rng.shuffle(grades)
    return grades


def _ballots(unit: RoundUnit, valid: dict[str, int], rng: random.Random, flagged: set[int]) -> dict[str, list[dict]]:
    """{category: [choices]}: `valid[category]` full ballots for the unit's cadres and team."""
    rules = unit.round.rules
    cadre_codes = [g.code for g in rules.scale(BallotKind.CADRE)]
    team_codes = [g.code for g in rules.scale(BallotKind.TEAM)]
    items = [(c.item_key, cadre_codes, c.pk in flagged) for c in unit.cadres.order_by("position")]
    if rules.team_ballot:
        items.append(("team", team_codes, False))
    ballots = {}
    for category, n in valid.items():
        columns = {key: (_grades_flagged if low else _grades_good)(n, codes, rng) for key, codes, low in items}
        ballots[category] = [{key: column[i] for key, column in columns.items()} for i in range(n)]
    return ballots


# --- a round -----------------------------------------------------------------------------------


@dataclass
class Participation:
    online: list[tuple[Person, str]]  # (voter, category)
    paper: list[Person]  # staff who take a paper ballot at the meeting
    spoilt: int  # of the paper ballots


def _participation(unit: RoundUnit, plan: UnitPlan, index: int, leaders: list[Person], rng) -> Participation:
    """Who votes in the unit, and how: `plan.turnout` of its staff (at least the quorum, or one
    short of it where the plan is under 2/3), every cadre, and most leaders."""
    rules = unit.round.rules
    voters = list(EligibleVoter.objects.filter(round_unit=unit).select_related("person").order_by("person__staff_no"))
    staff = [v.person for v in voters if v.category == "staff"]
    base = len(staff)
    needed = rules.quorum_for(base)
    wanted = round(plan.turnout * base)
    count = max(needed, wanted) if plan.turnout * 3 >= 2 else min(needed - 1, wanted)
    rng.shuffle(staff)
    voting = staff[:count]
    member = next((p for p in staff if p.staff_no == MEMBER), None)
    if member is not None and member not in voting:
        voting[-1] = member
    paper = [p for k, p in enumerate(voting) if plan.paper and k % 4 == 1 and p.staff_no != MEMBER]
    online = [(p, "staff") for p in voting if p not in paper]
    online += [(v.person, "cadre") for v in voters if v.category == "cadre"]
    online += [(leader, "leader") for j, leader in enumerate(leaders) if (index + j) % 3]
    return Participation(online=online, paper=paper, spoilt=1 if paper else 0)


def _vote(unit: RoundUnit, plan: UnitPlan, part: Participation, rng, flagged: set[int]) -> None:
    from gonghui.appraisals.services import paper as paper_services
    from gonghui.appraisals.services.voting import appraisal_vote, paper_handout

    online_by_category: dict[str, list[Person]] = {}
    for person, category in part.online:
        online_by_category.setdefault(category, []).append(person)
    valid = {c: len(people) for c, people in online_by_category.items()}
    if part.paper:
        valid["staff"] = valid.get("staff", 0) + len(part.paper) - part.spoilt
    ballots = _ballots(unit, valid, rng, flagged)
    meeting = _at(unit.round.year, 12, plan.meeting_day, 14)
    counters = [t.person for t in unit.tellers.select_related("person").order_by("pk")]
    with _on(meeting):
        users = _users_of(counters + [person for person, _category in part.online])
        tellers = [users[person.pk] for person in counters]
        for person in part.paper:  # signing in for a paper ballot at the meeting, with a teller
            paper_handout(actor=tellers[0], unit=unit, staff_no=person.staff_no)
    with _on(meeting + datetime.timedelta(minutes=30)):
        for category, people in online_by_category.items():
            for person, choices in zip(people, ballots[category], strict=False):
                appraisal_vote(actor=users[person.pk], unit=unit, choices=choices)
    if part.paper:
        papers = [(False, choices) for choices in ballots["staff"][len(online_by_category.get("staff", [])) :]]
        papers += [(True, {})] * part.spoilt
        with _on(meeting + datetime.timedelta(hours=3)):
            for teller in tellers:  # each teller reads the whole pile on their own, in their own order
                pile = list(papers)
                rng.shuffle(pile)
                for spoilt, choices in pile:
                    paper_services.paper_ballot_enter(
                        actor=teller, unit=unit, category="staff", spoilt=spoilt, choices=choices
                    )
        with _on(meeting + datetime.timedelta(hours=4)):
            paper_services.paper_count_agree(actor=tellers[0], unit=unit, category="staff")


def _report(year: int, post: str, college: str, rng: random.Random) -> str:
    template = rng.choice(REPORTS[post])
    return template.format(year=year, college=college, a=rng.randint(3, 12), b=rng.randint(2, 9))


def _rules_adopt(zzb, year: int, mode: str, adopted: datetime.datetime, resolution: str) -> None:
    from gonghui.appraisals.services.rules import rules_adopt, rules_text

    with _on(adopted):
        rules_adopt(
            actor=zzb,
            year=year,
            name=f"{year}年度中层干部民主测评办法",
            quorum_numerator=2,
            quorum_denominator=3,
            report_days=3,
            mode=mode,
            team_ballot=True,
            text=rules_text(None),
            adopted_on=adopted.date(),
            resolution=resolution,
        )


def _build(*, year: int, title: str, plans: tuple[UnitPlan, ...], dates: dict, rng, flagged_plan=None) -> dict:
    from gonghui.accounts.system import system_actor
    from gonghui.appraisals.services import rounds as services

    office = User.objects.get(username="office")
    zzb = User.objects.get(username="zzb")
    with _on(dates["created"]):
        appraisal_round = services.round_create(
            actor=office, year=year, title=title, opens_at=dates["opens"], closes_at=dates["closes"]
        )
    leaders = _leaders()
    units, flagged = [], set()
    with _on(dates["setup"]):
        for plan in plans:
            college = SubUnion.objects.get(code=plan.code)
            day = datetime.date(year, 12, plan.meeting_day)
            unit = services.unit_add(actor=office, appraisal_round=appraisal_round, sub_union=college, meeting_on=day)
            name = college.name.removesuffix("分工会")
            people = _cadres_of(college, plan.cadres)
            for position, person in enumerate(people):
                post = POSTS[position]
                cadre = services.cadre_add(actor=office, unit=unit, staff_no=person.staff_no, post=post)
                services.cadre_report_set(actor=office, cadre=cadre, text=_report(year, post, name, rng))
                if flagged_plan == (plan.code, position):
                    flagged.add(cadre.pk)
            services.voters_fill(actor=office, unit=unit, staff_category="staff", cadre_category="cadre")
            services.tellers_set(actor=office, unit=unit, staff_numbers=_tellers_of(college, people))
            units.append((unit, plan))
        services.voters_add(
            actor=office,
            units=[unit for unit, _plan in units],
            staff_numbers=[p.staff_no for p in leaders],
            category="leader",
        )
    with _on(dates["published"]):
        services.reports_publish(actor=office, appraisal_round=appraisal_round)
    with _on(dates["opens"]):
        services.voting_open(actor=system_actor(), appraisal_round=appraisal_round)
    for index, (unit, plan) in enumerate(units):
        unit = RoundUnit.objects.select_related("round__rules", "sub_union", "box").get(pk=unit.pk)
        _vote(unit, plan, _participation(unit, plan, index, leaders, rng), rng, flagged)
    with _on(dates["closes"]):
        services.voting_close(actor=system_actor(), appraisal_round=appraisal_round)
    with _on(dates["tallied"]):
        services.round_tally(actor=office, appraisal_round=appraisal_round)
    with _on(dates["released"]):
        services.results_release(actor=zzb, appraisal_round=appraisal_round)
    return {"units": len(units)}


def _build_2020(rng) -> None:
    zzb = User.objects.get(username="zzb")
    _rules_adopt(zzb, 2020, VotingMode.ONLINE, _at(2020, 11, 27, 10), "党委组织部〔2020〕38号")
    _build(
        year=2020,
        title=ROUND_2020,
        plans=(UnitPlan("ECON", 4, 0.9, 22),),
        dates={
            "created": _at(2020, 12, 1, 10),
            "setup": _at(2020, 12, 3, 10),
            "published": _at(2020, 12, 11, 9),
            "opens": _at(2020, 12, 21, 9),
            "closes": _at(2020, 12, 25, 18),
            "tallied": _at(2020, 12, 28, 10),
            "released": _at(2020, 12, 29, 15),
        },
        rng=rng,
    )


def _build_2021(rng) -> None:
    zzb = User.objects.get(username="zzb")
    _rules_adopt(zzb, 2021, VotingMode.BOTH, _at(2021, 11, 30, 10), "党委组织部〔2021〕45号")
    _build(
        year=2021,
        title=ROUND_2021,
        plans=UNITS_2021,
        dates={
            "created": _at(2021, 12, 1, 10),
            "setup": _at(2021, 12, 3, 10),
            "published": _at(2021, 12, 10, 9),
            "opens": _at(2021, 12, 20, 9),
            "closes": _at(2021, 12, 24, 18),
            "tallied": _at(2021, 12, 27, 10),
            "released": _at(2021, 12, 28, 15),
        },
        rng=rng,
        flagged_plan=FLAGGED,
    )


def _summary(appraisal_round: AppraisalRound) -> str:
    from gonghui.appraisals.models import AppraisalResult, Cadre, UnitTurnout

    turnouts = list(
        UnitTurnout.objects.filter(round_unit__round=appraisal_round).select_related("round_unit__sub_union")
    )
    cadres = Cadre.objects.filter(round_unit__round=appraisal_round).count()
    online = sum(t.online for t in turnouts)
    paper = sum(t.paper for t in turnouts)
    under = sum(1 for t in turnouts if not t.quorum_met)
    flagged = AppraisalResult.objects.filter(round_unit__round=appraisal_round).exclude(flags=[]).count()
    if len(turnouts) == 1:
        units = turnouts[0].round_unit.sub_union.name.removesuffix("分工会")
    else:
        units = f"{len(turnouts)} colleges"
    return (
        f"{appraisal_round.year} ({units}): {cadres} cadres, {online} online and {paper} paper ballots, "
        f"{under} under quorum, {flagged} flagged"
    )


def appraisals_demo_build() -> str:
    """Build the demo appraisals once (later runs change nothing)."""
    if not User.objects.filter(username="zzb").exists() or not SubUnion.objects.filter(code="ADM1").exists():
        return ""
    rng = random.Random(2021)
    lines = []
    # each phase commits at its date: a run cut short leaves a round to remove by --reset
    if not AppraisalRound.objects.filter(title=ROUND_2020).exists():
        _build_2020(rng)
        lines.append(_summary(AppraisalRound.objects.get(title=ROUND_2020)))
    if not AppraisalRound.objects.filter(title=ROUND_2021).exists():
        _build_2021(rng)
        lines.append(_summary(AppraisalRound.objects.get(title=ROUND_2021)))
    return "; ".join(lines)

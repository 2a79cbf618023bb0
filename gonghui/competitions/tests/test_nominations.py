"""Nominations: who may enter (every reason why not, all at once), each college's seats from
the roster, the nomination period, and who may nominate whom. Every refusal writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.accounts.system import system_actor
from gonghui.competitions.choices import CompetitionStatus, EntryStatus, Level, TeachingPost
from gonghui.competitions.models import Entry
from gonghui.competitions.selectors.entries import college_seats, eligibility
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.tests.factories import aware, nominate_all, past_win, refresh, rules_make
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.models import AuditEvent
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person
from gonghui.people.tests.factories import person_make
from tests.tables import changed_tables, table_counts


def open_nominations(w):
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_nominations")
    return refresh(w)


def nominate(w, staff_no: str, actor=None, **fields):
    return entry_services.entry_nominate(
        actor=actor or w.office,
        competition=w.competition,
        staff_no=staff_no,
        group=fields.pop("group", w.groups["humanities-a"]),
        **fields,
    )


def seats(w) -> list[tuple[str, int, int | None, int, int | None]]:
    return [(s.college.code, s.young_teachers, s.seats, s.used, s.left) for s in college_seats(w.competition)]


def refused(w, staff_no: str, actor=None, exception=ApplicationError, **fields):
    """The refusal of a nomination, having checked that nothing was written."""
    before = table_counts()
    with pytest.raises(exception) as raised:
        nominate(w, staff_no, actor=actor, **fields)
    assert changed_tables(before, table_counts()) == {}
    return raised.value


# --- seats -----------------------------------------------------------------------------------


def test_each_college_has_one_seat_per_three_young_teachers_plus_one(w):
    # economics: 赵一, 钱二, 孙三 and 李娜 (in a union group of the college); law: 周四, 吴五
    assert seats(w) == [("LAW", 2, 1, 0, 1), ("ECON", 4, 2, 0, 2)]
    nominate_all(w)
    assert seats(w) == [("LAW", 2, 1, 1, 0), ("ECON", 4, 2, 2, 0)]
    # two more young teachers make six: three seats
    for n in (1, 2):
        person_make(staff_no=f"E30{n:02d}", name=f"新{n}", birth_date=datetime.date(1981, 1, 1), sub_union=w.u.econ)
    # not young, not a member, not serving: not counted
    person_make(staff_no="E3003", name="老师", birth_date=datetime.date(1980, 12, 31), sub_union=w.u.econ)
    person_make(staff_no="E3004", name="非会员", birth_date=datetime.date(1990, 1, 1), sub_union=w.u.econ, member=False)
    person_make(
        staff_no="E3005",
        name="调离者",
        birth_date=datetime.date(1990, 1, 1),
        sub_union=w.u.econ,
        employment_status=EmploymentStatus.LEFT,
    )
    assert seats(w) == [("LAW", 2, 1, 1, 0), ("ECON", 6, 3, 2, 1)]


def test_a_college_over_its_seats_is_refused(w):
    nominate_all(w)
    error = refused(w, "E1003")
    assert error.message == "孙三不能报名：经济学院分工会的名额（2 个）已满。"
    assert error.extra == {"reasons": ["经济学院分工会的名额（2 个）已满。"]}
    error = refused(w, "L1002")
    assert error.message == "吴五不能报名：法学院分工会的名额（1 个）已满。"
    assert Entry.objects.count() == 3


def test_a_withdrawn_entry_gives_its_seat_back(w):
    entries = nominate_all(w)
    before = table_counts()
    with pytest.raises(InvalidTransition) as raised:
        entry_services.entry_withdraw(actor=w.office, entry=entries["zhou"], reason="  ")
    assert raised.value.message == "此操作须填写说明。"
    assert changed_tables(before, table_counts()) == {}

    entry_services.entry_withdraw(actor=w.users["zhou"], entry=entries["zhou"], reason="因病退赛")
    entries["zhou"].refresh_from_db()
    assert entries["zhou"].status == EntryStatus.WITHDRAWN
    event = entries["zhou"].events.get()
    assert (event.step, event.message, event.actor_id) == ("withdraw", "因病退赛", w.users["zhou"].pk)
    assert seats(w)[0] == ("LAW", 2, 1, 0, 1)
    wu = nominate(w, "L1002")
    assert (wu.person.name, wu.college_id, wu.status) == ("吴五", w.u.law.pk, EntryStatus.NOMINATED)
    assert seats(w)[0] == ("LAW", 2, 1, 1, 0)
    # the withdrawn teacher stays entered (once per edition)
    assert refused(w, "L1001").message == "周四不能报名：已报名本届比赛。法学院分工会的名额（1 个）已满。"


def test_without_a_quota_every_eligible_teacher_may_enter(w):
    from gonghui.competitions.models import Competition

    rules = rules_make(w.u, year=2023, quota_per=0, quota_bonus=0)
    competition = Competition.objects.create(
        level=Level.UNIVERSITY,
        year=2023,
        number=4,
        title="第四届",
        rules=rules,
        status=CompetitionStatus.NOMINATING,
        nominations_close=aware(datetime.datetime(2023, 3, 20, 18, 0)),
        materials_due=aware(datetime.datetime(2023, 3, 25, 18, 0)),
    )
    assert [(s.college.code, s.seats, s.left) for s in college_seats(competition)] == [
        ("LAW", None, None),
        ("ECON", None, None),
    ]
    group = rules.groups.get(code="humanities-a")
    for staff_no in ("E1001", "E1002", "E1003", "E0002"):
        entry_services.entry_nominate(actor=w.office, competition=competition, staff_no=staff_no, group=group)
    assert competition.entries.count() == 4


# --- eligibility -----------------------------------------------------------------------------


def _not_member(w):
    person_make(staff_no="E2001", name="冯六", birth_date=datetime.date(1990, 1, 1), sub_union=w.u.econ, member=False)
    return "E2001", {}


def _not_serving(w):
    person_make(
        staff_no="E2002",
        name="褚七",
        birth_date=datetime.date(1990, 1, 1),
        sub_union=w.u.econ,
        employment_status=EmploymentStatus.LEFT,
    )
    return "E2002", {}


def _first_prize(w):
    past_win(w, "E1001", "first")
    return "E1001", {}


def _entered(w):
    nominate(w, "E1001")
    return "E1001", {}


@pytest.mark.parametrize(
    "prepare, message",
    [
        (lambda w: ("L0001", {}), "王芳不能报名：出生日期 1978-01-09 早于 1981-01-01（年龄超出）。"),
        (_not_member, "冯六不能报名：不是在会的工会会员。"),
        (
            lambda w: ("E1001", {"teaching_post": TeachingPost.COUNSELLOR}),
            "赵一不能报名：岗位不符：本届限专任教师、实验教学人员。",
        ),
        (_first_prize, "赵一不能报名：已在2019年青年教师教学基本功比赛获人文科学类A组一等奖，不再参加同级比赛。"),
        (_entered, "赵一不能报名：已报名本届比赛。"),
        (_not_serving, "褚七不能报名：不是在职教职工。"),
    ],
    ids=["too-old", "not-member", "post", "past-first-prize", "entered", "not-serving"],
)
def test_an_ineligible_teacher_is_refused_with_the_reason(w, prepare, message):
    open_nominations(w)
    staff_no, fields = prepare(w)
    entries = Entry.objects.count()
    error = refused(w, staff_no, **fields)
    assert error.message == message
    assert error.extra == {"reasons": [message.split("不能报名：", 1)[1]]}
    assert Entry.objects.count() == entries


def test_every_reason_is_given_at_once(w):
    open_nominations(w)
    nominate(w, "L1001")  # law's one seat
    person_make(
        staff_no="L2001",
        name="卫八",
        birth_date=datetime.date(1979, 6, 1),
        sub_union=w.u.law,
        member=False,
        employment_status=EmploymentStatus.RETIRED,
    )
    error = refused(w, "L2001", teaching_post=TeachingPost.COUNSELLOR)
    reasons = [
        "不是在职教职工。",
        "出生日期 1979-06-01 早于 1981-01-01（年龄超出）。",
        "不是在会的工会会员。",
        "岗位不符：本届限专任教师、实验教学人员。",
        "法学院分工会的名额（1 个）已满。",
    ]
    assert error.extra == {"reasons": reasons}
    assert error.message == "卫八不能报名：" + "".join(reasons)
    assert Entry.objects.count() == 1


def test_the_cut_off_day_itself_is_young_enough(w):
    open_nominations(w)
    person_make(staff_no="E2003", name="蒋九", birth_date=datetime.date(1981, 1, 1), sub_union=w.u.econ)
    person_make(staff_no="E2004", name="沈十", birth_date=datetime.date(1980, 12, 31), sub_union=w.u.econ)
    checks = eligibility(
        w.competition, list(Person.objects.filter(staff_no__in=("E2003", "E2004")).order_by("staff_no"))
    )
    assert [(c.person.name, c.eligible, c.reasons) for c in checks] == [
        ("蒋九", True, []),
        ("沈十", False, ["出生日期 1980-12-31 早于 1981-01-01（年龄超出）。"]),
    ]
    assert nominate(w, "E2003").person.name == "蒋九"


def test_only_a_first_prize_at_the_same_level_bars(w):
    open_nominations(w)
    past_win(w, "E1001", "second")  # a second prize at the university level
    past_win(w, "E1002", "first", level=Level.COLLEGE)  # a first prize at a college's round
    zhao = Person.objects.get(staff_no="E1001")
    qian = Person.objects.get(staff_no="E1002")
    assert [c.reasons for c in eligibility(w.competition, [zhao, qian])] == [[], []]
    assert {nominate(w, "E1001").person.name, nominate(w, "E1002").person.name} == {"赵一", "钱二"}


def test_under_the_any_prize_rule_a_second_prize_bars_too(w):
    from gonghui.competitions.choices import PastWinnerRule
    from gonghui.competitions.models import Competition

    rules = rules_make(w.u, year=2023, past_winner_rule=PastWinnerRule.ANY_PRIZE)
    competition = Competition.objects.create(level=Level.UNIVERSITY, year=2023, number=4, title="第四届", rules=rules)
    past_win(w, "E1001", "second")
    (check,) = eligibility(competition, [Person.objects.get(staff_no="E1001")])
    assert check.reasons == ["已在2019年青年教师教学基本功比赛获人文科学类A组二等奖，不再参加同级比赛。"]


# --- who nominates, when ---------------------------------------------------------------------


def test_an_officer_nominates_their_own_college_only(w):
    open_nominations(w)
    officer = w.users["sub_union_officer"]
    error = refused(w, "L1001", actor=officer, exception=PermissionDenied)
    assert str(error) == "只能推荐本单位的教师。"
    # 李娜 is in a union group of economics: the entry is the college's
    entry = nominate(w, "E0002", actor=officer, course="计量经济学")
    assert (entry.college_id, entry.nominated_by_id, entry.course) == (w.u.econ.pk, officer.pk, "计量经济学")
    refused(w, "E1001", actor=w.users["member"], exception=PermissionDenied)
    assert Entry.objects.count() == 1


def test_a_nomination_is_recorded_in_the_audit_trail(w):
    open_nominations(w)
    entry = nominate(w, "E1001", coach_staff_no="L0900", course="  微观经济学 ")
    assert (entry.coach.name, entry.course, entry.group.code, entry.teaching_post) == (
        "郑师",
        "微观经济学",
        "humanities-a",
        TeachingPost.FULL_TIME,
    )
    row = AuditEvent.objects.get(object_type="competitions.entry", object_id=str(entry.pk))
    assert (row.action, row.message, row.person_id, row.actor_id) == (
        "created",
        "推荐参赛：赵一（人文科学类A组）",
        entry.person_id,
        w.office.pk,
    )


def test_nominations_are_taken_only_while_open(w, clock):
    error = refused(w, "E1001")
    assert error.message == "本届比赛现在不接受推荐报名。"
    open_nominations(w)
    clock.move_to(aware(datetime.datetime(2021, 3, 20, 18, 1)))
    assert refused(w, "E1001").message == "推荐报名已于 2021-03-20 18:00 截止。"
    # the system actor closes the nominations at their time
    assert competition_services.competitions_due(actor=system_actor()) == 1
    assert refresh(w).status == CompetitionStatus.PREPARING
    assert competition_services.competitions_due(actor=system_actor()) == 0
    assert refused(w, "E1001").message == "本届比赛现在不接受推荐报名。"
    assert Entry.objects.count() == 0


def test_competitions_due_leaves_an_edition_before_its_deadline(w, clock):
    open_nominations(w)
    clock.move_to(aware(datetime.datetime(2021, 3, 20, 17, 59)))
    assert competition_services.competitions_due(actor=system_actor()) == 0
    assert refresh(w).status == CompetitionStatus.NOMINATING


@pytest.mark.parametrize(
    "staff_no, fields, message, extra",
    [
        ("E1001", {"coach_staff_no": "E1001"}, "指导教师不能是参赛教师本人。", {"field": "coach_staff_no"}),
        ("E1001", {"coach_staff_no": "X0000"}, "找不到工号“X0000”。", {"field": "coach_staff_no"}),
        (" X9999 ", {}, "找不到工号“X9999”。", {"field": "staff_no"}),
        ("E1001", {"teaching_post": "professor"}, "请选择岗位。", {"field": "teaching_post"}),
    ],
)
def test_a_wrong_nomination_is_refused(w, staff_no, fields, message, extra):
    open_nominations(w)
    error = refused(w, staff_no, **fields)
    assert (error.message, error.extra) == (message, extra)
    assert Entry.objects.count() == 0


def test_a_group_of_other_rules_is_refused(w):
    open_nominations(w)
    other = rules_make(w.u, level=Level.BEIJING)
    error = refused(w, "E1001", group=other.groups.get(code="humanities-a"))
    assert (error.message, error.extra) == ("请选择本届比赛的组别。", {"field": "group"})


def test_nominations_open_only_with_both_deadlines(w):
    from gonghui.competitions.models import Competition

    competition = competition_services.competition_create(
        actor=w.office, level=Level.UNIVERSITY, year=2021, number=9, title="无截止时间"
    )
    before = table_counts()
    with pytest.raises(InvalidTransition) as raised:
        competition_services.competition_step(actor=w.office, competition=competition, step="open_nominations")
    assert raised.value.message == "请先填写推荐截止和材料截止时间。"
    assert changed_tables(before, table_counts()) == {}
    assert Competition.objects.get(pk=competition.pk).status == CompetitionStatus.DRAFT

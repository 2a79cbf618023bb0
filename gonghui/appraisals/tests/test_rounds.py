"""A round's setup and lifecycle (services/rounds.py, workflow.py): created under the year's
rules, set up while a draft (units, cadres and reports, voters, tellers), the reports published
N days ahead, the voting opened (one ballot box per unit) and closed at its times, counted once
the paper tallies agree, and released by the organisation department alone."""

import datetime

import pytest

from gonghui.accounts.models import User
from gonghui.accounts.system import system_actor
from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.appraisals.models import (
    AppraisalResult,
    AppraisalRound,
    AppraisalRoundEvent,
    Cadre,
    EligibleVoter,
    Teller,
    UnitTurnout,
)
from gonghui.appraisals.services import rounds as services
from gonghui.appraisals.services.paper import paper_ballot_enter
from gonghui.appraisals.services.rules import rules_in_force
from gonghui.appraisals.tests.factories import CLOSES, OPENS, aware, rules_make, through
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied, StepNotAllowed
from gonghui.core.models import BallotBox, BallotVoter
from gonghui.people.choices import EmploymentStatus
from gonghui.people.tests.factories import person_make
from tests.tables import changed_tables, table_counts


def _round_state(w) -> tuple:
    r = AppraisalRound.objects.get(pk=w.round.pk)
    return (
        r.status,
        r.rules_id,
        r.reports_published_at,
        r.voting_opened_at,
        r.voting_closed_at,
        r.tallied_at,
        r.released_at,
        AppraisalRoundEvent.objects.filter(subject=r).count(),
    )


def _voters(unit) -> set[tuple[str, str]]:
    return set(EligibleVoter.objects.filter(round_unit=unit).values_list("person__name", "category"))


# --- creating and setting up ------------------------------------------------------------------


def test_a_round_is_created_under_the_years_rules(w):
    r = w.round
    assert (r.year, r.title, r.rules_id, r.status, r.created_by_id) == (
        2021,
        "2021年度中层干部民主测评",
        w.rules.pk,
        RoundStatus.DRAFT,
        w.office.pk,
    )
    assert list(AppraisalRoundEvent.objects.filter(subject=r).values_list("step", "actor")) == [
        ("created", w.office.pk)
    ]


def test_no_round_without_the_years_rules(w):
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        services.round_create(
            actor=w.office, year=2022, title="2022年度测评", opens_at=aware(OPENS), closes_at=aware(CLOSES)
        )
    assert str(refused.value.message) == "2022年度的测评办法尚未通过：请先通过测评办法。"
    with pytest.raises(ApplicationError, match="投票截止时间须晚于开始时间。"):
        services.round_create(actor=w.office, year=2021, title="又一次", opens_at=aware(CLOSES), closes_at=aware(OPENS))
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=w.users["member"], year=2021, title="成员", opens_at=aware(OPENS), closes_at=aware(CLOSES)
        )
    assert changed_tables(before, table_counts()) == {}


def test_the_worlds_setup(w):
    assert _voters(w.econ) == {
        ("张伟", "staff"),
        ("李娜", "staff"),  # in the college's union group
        ("陈静", "staff"),
        ("经济0", "staff"),
        ("经济1", "staff"),
        ("钱院长", "cadre"),
        ("孙书记", "cadre"),
        ("吴校长", "leader"),
    }
    assert _voters(w.law) == {
        ("王芳", "staff"),
        ("郑红", "staff"),
        ("法学0", "staff"),
        ("周院长", "cadre"),
        ("吴校长", "leader"),
    }
    assert list(Cadre.objects.filter(round_unit=w.econ).values_list("person__name", "post", "position")) == [
        ("钱院长", "院长", 0),
        ("孙书记", "书记", 1),
    ]
    assert set(Teller.objects.filter(round_unit=w.econ).values_list("person__name", flat=True)) == {"李娜", "陈静"}


def test_voters_fill_takes_the_serving_staff_of_the_college_and_its_groups_and_adds_none_twice(w):
    u = w.u
    person_make(staff_no="E0301", name="新教师", sub_union=u.econ_group)
    person_make(staff_no="E0302", name="退休教师", sub_union=u.econ, employment_status=EmploymentStatus.RETIRED)
    person_make(staff_no="E0303", name="调离教师", sub_union=u.econ, employment_status=EmploymentStatus.LEFT)
    person_make(staff_no="L0301", name="法学新教师", sub_union=u.law)
    guest = person_make(staff_no="X0002", name="兼任院长", sub_union=w.leader.sub_union)
    services.cadre_add(actor=w.office, unit=w.econ, staff_no="X0002", post="兼职副院长")
    before = _voters(w.econ)
    added = services.voters_fill(actor=w.office, unit=w.econ, staff_category="staff", cadre_category="cadre")
    assert added == 2
    assert _voters(w.econ) - before == {("新教师", "staff"), ("兼任院长", "cadre")}
    assert EligibleVoter.objects.get(round_unit=w.econ, person=guest).category == "cadre"
    assert services.voters_fill(actor=w.office, unit=w.econ, staff_category="staff", cadre_category="cadre") == 0
    assert EligibleVoter.objects.filter(round_unit=w.econ).count() == 10
    # the leader added by hand keeps his category
    assert EligibleVoter.objects.get(round_unit=w.econ, person=w.leader).category == "leader"


def test_voters_fill_refuses_a_category_not_in_the_rules(w):
    before = table_counts()
    with pytest.raises(ApplicationError, match="请选择本年度测评办法中的投票人类别。"):
        services.voters_fill(actor=w.office, unit=w.econ, staff_category="students", cadre_category="cadre")
    assert changed_tables(before, table_counts()) == {}


def test_voters_add_across_units_keeps_a_voters_category(w):
    person_make(staff_no="X0003", name="副校长", sub_union=w.leader.sub_union)
    added = services.voters_add(
        actor=w.office, units=[w.econ, w.law], staff_numbers=["E0001", "L0102", "X0003", "X0003"], category="leader"
    )
    assert added == 4  # 张伟 in law, 郑红 in econ, 副校长 in both
    assert EligibleVoter.objects.get(round_unit=w.econ, person=w.u.zhang).category == "staff"
    assert EligibleVoter.objects.get(round_unit=w.law, person=w.u.zhang).category == "leader"
    assert EligibleVoter.objects.get(round_unit=w.econ, person=w.zheng).category == "leader"
    assert EligibleVoter.objects.get(round_unit=w.law, person=w.zheng).category == "staff"
    assert EligibleVoter.objects.filter(person__staff_no="X0003", category="leader").count() == 2
    assert services.voters_add(actor=w.office, units=[w.econ, w.law], staff_numbers=["X0003"], category="leader") == 0


@pytest.mark.parametrize(
    "units, numbers, category, message",
    [
        ("both", ["X0001", "Z9999", "Z9998"], "leader", "找不到这些工号：Z9999、Z9998。"),
        ("both", ["X0001"], "guest", "请选择本年度测评办法中的投票人类别。"),
        ("both", [" ", ""], "leader", "请填写工号。"),
        ("none", ["X0001"], "leader", "请选择参评单位。"),
    ],
)
def test_voters_add_refusals_write_nothing(w, units, numbers, category, message):
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        services.voters_add(
            actor=w.office, units=[w.econ, w.law] if units == "both" else [], staff_numbers=numbers, category=category
        )
    assert str(refused.value.message) == message
    assert changed_tables(before, table_counts()) == {}


def test_a_member_cannot_set_up_a_round(w):
    before = table_counts()
    member = w.users["member"]
    with pytest.raises(PermissionDenied):
        services.unit_add(actor=member, appraisal_round=w.round, sub_union=w.u.retirees)
    with pytest.raises(PermissionDenied):
        services.voters_fill(actor=member, unit=w.econ, staff_category="staff", cadre_category="cadre")
    with pytest.raises(PermissionDenied):
        services.tellers_set(actor=member, unit=w.econ, staff_numbers=["E0001", "E0002"])
    with pytest.raises(PermissionDenied):
        services.reports_publish(actor=member, appraisal_round=w.round)
    assert changed_tables(before, table_counts()) == {}


def test_nothing_of_the_setup_changes_once_the_reports_are_out(w, clock):
    through(w, "published", clock)
    office = w.office
    voter = EligibleVoter.objects.filter(round_unit=w.econ).first()
    cadre = w.cadres["dean"]
    attempts = [
        lambda: services.unit_add(actor=office, appraisal_round=w.round, sub_union=w.u.retirees),
        lambda: services.unit_remove(actor=office, unit=w.law),
        lambda: services.cadre_add(actor=office, unit=w.econ, staff_no="E0001", post="副院长"),
        lambda: services.cadre_remove(actor=office, cadre=cadre),
        lambda: services.cadre_report_set(actor=office, cadre=cadre, text="改过的述职报告"),
        lambda: services.voters_fill(actor=office, unit=w.econ, staff_category="staff", cadre_category="cadre"),
        lambda: services.voters_add(actor=office, units=[w.econ], staff_numbers=["L0001"], category="leader"),
        lambda: services.voter_remove(actor=office, voter=voter),
    ]
    before = (table_counts(), _round_state(w), Cadre.objects.get(pk=cadre.pk).report_text)
    for attempt in attempts:
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert str(refused.value.message) == "述职报告公开后，参评单位、干部和投票人不能再改。"
    assert (table_counts(), _round_state(w), Cadre.objects.get(pk=cadre.pk).report_text) == before


def test_tellers_may_be_replaced_until_the_voting_closes(w, clock):
    """A teller falling ill on the day is replaced; once closed, the tellers are who counted."""
    through(w, "open", clock)
    services.tellers_set(actor=w.office, unit=w.econ, staff_numbers=["E0002", "E0001"])
    assert set(Teller.objects.filter(round_unit=w.econ).values_list("person__name", flat=True)) == {"李娜", "张伟"}
    through(w, "closed", clock)
    before = table_counts()
    with pytest.raises(ApplicationError, match="投票截止后不能再更换计票人。"):
        services.tellers_set(actor=w.office, unit=w.econ, staff_numbers=["E0002", "E0099"])
    assert changed_tables(before, table_counts()) == {}
    assert set(Teller.objects.filter(round_unit=w.econ).values_list("person__name", flat=True)) == {"李娜", "张伟"}


def test_tellers_are_two(w):
    before = table_counts()
    with pytest.raises(ApplicationError, match="请填写两位计票人的工号。"):
        services.tellers_set(actor=w.office, unit=w.econ, staff_numbers=["E0002"])
    with pytest.raises(ApplicationError, match="请填写两位计票人的工号。"):
        services.tellers_set(actor=w.office, unit=w.econ, staff_numbers=["E0002", "E0002"])
    assert changed_tables(before, table_counts()) == {}


# --- publishing ---------------------------------------------------------------------------------


def test_publishing_the_reports(w, clock):
    through(w, "published")
    r = AppraisalRound.objects.get(pk=w.round.pk)
    assert r.status == RoundStatus.REPORTS_PUBLISHED
    assert r.reports_published_at is not None and r.voting_opened_at is None
    assert list(AppraisalRoundEvent.objects.filter(subject=r).values_list("step", "from_state", "to_state")) == [
        ("created", "", "draft"),
        ("publish_reports", "draft", "reports_published"),
    ]


def test_publishing_takes_the_rules_in_force_then(w, clock):
    revised = rules_make(w.u, mode=VotingMode.BOTH)
    through(w, "published")
    assert AppraisalRound.objects.get(pk=w.round.pk).rules_id == revised.pk
    # a later edition does not change a round under way
    rules_make(w.u, mode=VotingMode.PAPER)
    assert AppraisalRound.objects.get(pk=w.round.pk).rules_id == revised.pk


def _publish_refused(w, message):
    before = (table_counts(), _round_state(w))
    with pytest.raises(InvalidTransition) as refused:
        services.reports_publish(actor=w.office, appraisal_round=w.round)
    assert str(refused.value.message) == message
    assert (table_counts(), _round_state(w)) == before


def test_publishing_is_refused_without_cadres(w, clock):
    services.cadre_remove(actor=w.office, cadre=w.cadres["law_dean"])
    _publish_refused(w, "法学院分工会没有被测评干部")


def test_publishing_is_refused_without_voters(w, clock):
    for voter in EligibleVoter.objects.filter(round_unit=w.law):
        services.voter_remove(actor=w.office, voter=voter)
    _publish_refused(w, "法学院分工会没有投票人")


def test_publishing_is_refused_without_every_report(w, clock):
    services.cadre_add(actor=w.office, unit=w.law, staff_no="L0102", post="副院长")
    _publish_refused(w, "1 位干部还没有述职报告（郑红）")


def test_publishing_is_refused_without_units(w, clock):
    services.unit_remove(actor=w.office, unit=w.econ)
    services.unit_remove(actor=w.office, unit=w.law)
    _publish_refused(w, "还没有参评单位。")


def test_publishing_is_refused_with_paper_ballots_and_not_two_tellers(w, clock):
    paper = rules_make(w.u, mode=VotingMode.PAPER)
    Teller.objects.filter(round_unit=w.law).delete()
    # refused under the paper rules now in force; the round keeps its rules, nothing written
    _publish_refused(w, "法学院分工会须有两位计票人")
    assert AppraisalRound.objects.get(pk=w.round.pk).rules_id == w.rules.pk != paper.pk


def test_publishing_is_refused_too_late_for_the_report_days(w, clock):
    clock.move_to(aware(OPENS) - datetime.timedelta(days=2, hours=23))
    _publish_refused(w, "述职报告须在投票开始前 3 天公开：投票开始时间须推迟，或者提前公开。")


def test_every_setup_problem_at_once(w, clock):
    services.cadre_remove(actor=w.office, cadre=w.cadres["law_dean"])
    services.cadre_add(actor=w.office, unit=w.econ, staff_no="E0001", post="副院长")
    clock.move_to(aware(OPENS) - datetime.timedelta(days=1))
    _publish_refused(
        w,
        "法学院分工会没有被测评干部；1 位干部还没有述职报告（张伟）；"
        "述职报告须在投票开始前 3 天公开：投票开始时间须推迟，或者提前公开。",
    )


# --- opening and closing ---------------------------------------------------------------------------


def test_voting_does_not_open_before_its_time(w, clock):
    through(w, "published")
    system = system_actor()
    before = (table_counts(), _round_state(w))
    with pytest.raises(InvalidTransition) as refused:
        services.voting_open(actor=w.office, appraisal_round=w.round)
    assert str(refused.value.message) == "投票开始时间（2021-03-20 09:00）未到。"
    clock.move_to(aware(OPENS) - datetime.timedelta(seconds=30))
    with pytest.raises(InvalidTransition):
        services.voting_open(actor=system, appraisal_round=w.round)
    assert (table_counts(), _round_state(w)) == before
    assert BallotBox.objects.count() == 0


def test_voting_does_not_open_before_the_reports_have_been_out_long_enough(w, clock):
    through(w, "published")
    AppraisalRound.objects.filter(pk=w.round.pk).update(reports_published_at=aware(OPENS) - datetime.timedelta(days=2))
    clock.move_to(aware(OPENS) + datetime.timedelta(minutes=1))
    before = (table_counts(), _round_state(w))
    with pytest.raises(InvalidTransition) as refused:
        services.voting_open(actor=w.office, appraisal_round=w.round)
    assert str(refused.value.message) == "述职报告须在投票前 3 天公开：现在还不能开始投票。"
    assert (table_counts(), _round_state(w)) == before


def test_opening_gives_each_unit_a_ballot_box_with_its_cadres_team_and_electorate(w, clock):
    through(w, "open", clock)
    assert w.round.status == RoundStatus.VOTING_OPEN and w.round.voting_opened_at is not None
    assert BallotBox.objects.count() == 2
    grades = [["excellent", "优秀"], ["competent", "称职"], ["basic", "基本称职"], ["incompetent", "不称职"]]
    team = [["good", "好"], ["fair", "较好"], ["average", "一般"], ["poor", "差"]]
    econ = w.econ.box
    assert (econ.kind, econ.subject, econ.title, econ.status, econ.closes_at) == (
        "appraisals.unit",
        f"appraisals.unit:{w.econ.pk}",
        "2021年度中层干部民主测评 · 经济学院分工会",
        "open",
        aware(CLOSES),
    )
    assert econ.items == [
        {"key": w.cadres["dean"].item_key, "label": "钱院长（院长）", "options": grades},
        {"key": w.cadres["secretary"].item_key, "label": "孙书记（书记）", "options": grades},
        {"key": "team", "label": "领导班子", "options": team},
    ]
    assert w.law.box.items == [
        {"key": w.cadres["law_dean"].item_key, "label": "周院长（院长）", "options": grades},
        {"key": "team", "label": "领导班子", "options": team},
    ]
    for unit in (w.econ, w.law):
        electorate = set(
            BallotVoter.objects.filter(box=unit.box).values_list("person_id", "category", "unit_id", "voted")
        )
        expected = {
            (p, c, unit.sub_union_id, False)
            for p, c in EligibleVoter.objects.filter(round_unit=unit).values_list("person_id", "category")
        }
        assert electorate == expected
    assert BallotVoter.objects.filter(box=w.econ.box).count() == 8
    assert BallotVoter.objects.filter(box=w.law.box).count() == 5


def test_a_round_without_a_team_ballot_has_none_in_its_boxes(w, clock):
    rules_make(w.u, team_ballot=False)
    through(w, "open", clock)
    assert [item["key"] for item in w.law.box.items] == [w.cadres["law_dean"].item_key]


def test_a_paper_round_opens_without_boxes(w, clock):
    rules_make(w.u, mode=VotingMode.PAPER)
    through(w, "open", clock)
    assert w.round.status == RoundStatus.VOTING_OPEN
    assert (BallotBox.objects.count(), w.econ.box_id, w.law.box_id) == (0, None, None)


def test_the_system_does_not_close_before_the_closing_time_the_office_may(w, clock):
    through(w, "open", clock)
    system = system_actor()
    before = (table_counts(), _round_state(w))
    with pytest.raises(InvalidTransition, match="投票截止时间未到。"):
        services.voting_close(actor=system, appraisal_round=w.round)
    assert (table_counts(), _round_state(w)) == before
    assert BallotBox.objects.filter(status="open").count() == 2
    services.voting_close(actor=w.office, appraisal_round=w.round)
    assert w.round.status == RoundStatus.VOTING_CLOSED
    assert BallotBox.objects.filter(status="closed").count() == 2


def test_rounds_due_opens_and_closes_at_the_times(w, clock):
    through(w, "published")
    system = system_actor()
    assert services.rounds_due(actor=system) == {"opened": 0, "closed": 0}
    clock.move_to(aware(OPENS) + datetime.timedelta(seconds=5))
    assert services.rounds_due(actor=system) == {"opened": 1, "closed": 0}
    assert AppraisalRound.objects.get(pk=w.round.pk).status == RoundStatus.VOTING_OPEN
    assert services.rounds_due(actor=system) == {"opened": 0, "closed": 0}
    clock.move_to(aware(CLOSES) - datetime.timedelta(seconds=30))
    assert services.rounds_due(actor=system) == {"opened": 0, "closed": 0}
    clock.move_to(aware(CLOSES) + datetime.timedelta(seconds=5))
    assert services.rounds_due(actor=system) == {"opened": 0, "closed": 1}
    r = AppraisalRound.objects.get(pk=w.round.pk)
    assert r.status == RoundStatus.VOTING_CLOSED
    assert list(AppraisalRoundEvent.objects.filter(subject=r).values_list("step", "actor")) == [
        ("created", w.office.pk),
        ("publish_reports", w.office.pk),
        ("open_voting", system.pk),
        ("close_voting", system.pk),
    ]


def test_rounds_due_leaves_a_round_whose_reports_are_too_recent(w, clock):
    through(w, "published")
    AppraisalRound.objects.filter(pk=w.round.pk).update(reports_published_at=aware(OPENS) - datetime.timedelta(days=1))
    clock.move_to(aware(OPENS) + datetime.timedelta(minutes=1))
    assert services.rounds_due(actor=system_actor()) == {"opened": 0, "closed": 0}
    assert AppraisalRound.objects.get(pk=w.round.pk).status == RoundStatus.REPORTS_PUBLISHED


# --- counting and releasing ------------------------------------------------------------------------


def test_no_count_while_a_units_paper_entries_are_not_agreed(w, clock):
    rules_make(w.u, mode=VotingMode.BOTH)
    through(w, "open", clock)
    paper_ballot_enter(actor=w.users["li"], unit=w.econ, category="staff", spoilt=True, choices={})
    through(w, "closed", clock)
    before = (table_counts(), _round_state(w))
    with pytest.raises(InvalidTransition) as refused:
        services.round_tally(actor=w.office, appraisal_round=w.round)
    assert str(refused.value.message) == "以下单位的纸质选票两位计票人尚未核对一致：经济学院分工会。"
    assert (table_counts(), _round_state(w)) == before
    assert (UnitTurnout.objects.count(), AppraisalResult.objects.count()) == (0, 0)


def test_a_paper_round_is_counted_only_once_every_unit_has_agreed_counts(w, clock):
    rules_make(w.u, mode=VotingMode.PAPER)
    through(w, "closed", clock)
    with pytest.raises(InvalidTransition) as refused:
        services.round_tally(actor=w.office, appraisal_round=w.round)
    assert str(refused.value.message) == "以下单位的纸质选票两位计票人尚未核对一致：法学院分工会、经济学院分工会。"
    assert AppraisalRound.objects.get(pk=w.round.pk).status == RoundStatus.VOTING_CLOSED


def test_counting_writes_the_turnout_and_the_results(w, clock):
    through(w, "tallied", clock)
    assert w.round.status == RoundStatus.TALLIED and w.round.tallied_at is not None
    assert UnitTurnout.objects.count() == 2
    assert AppraisalResult.objects.count() == 5  # 3 cadres and 2 teams


@pytest.mark.parametrize("stage", ["draft", "published", "open", "closed"])
def test_no_release_before_the_count(w, clock, stage):
    if stage != "draft":
        through(w, stage, clock)
    before = (table_counts(), _round_state(w))
    with pytest.raises(ApplicationError) as refused:
        services.results_release(actor=w.users["zzb"], appraisal_round=w.round)
    assert str(refused.value.message) == "投票截止并计票后才能启封结果。"
    assert (table_counts(), _round_state(w)) == before


@pytest.mark.parametrize("who", ["office", "auditor", "administrator", "superuser", "system", "member"])
def test_only_the_organisation_department_releases(w, clock, who):
    through(w, "tallied", clock)
    actor = {
        "office": w.office,
        "auditor": w.users["auditor"],
        "administrator": w.users["administrator"],
        "superuser": User.objects.create_superuser(username="root", password="pass-1234!"),
        "system": system_actor(),
        "member": w.users["member"],
    }[who]
    before = (table_counts(), _round_state(w))
    with pytest.raises(StepNotAllowed):
        services.results_release(actor=actor, appraisal_round=w.round)
    assert (table_counts(), _round_state(w)) == before
    assert AppraisalRound.objects.get(pk=w.round.pk).status == RoundStatus.TALLIED


def test_every_step_is_a_workflow_event(w, clock):
    through(w, "released", clock)
    assert w.round.status == RoundStatus.RELEASED and w.round.released_at is not None
    system = system_actor()
    assert list(
        AppraisalRoundEvent.objects.filter(subject=w.round)
        .order_by("pk")
        .values_list("step", "from_state", "to_state", "actor")
    ) == [
        ("created", "", "draft", w.office.pk),
        ("publish_reports", "draft", "reports_published", w.office.pk),
        ("open_voting", "reports_published", "voting_open", w.office.pk),
        ("close_voting", "voting_open", "voting_closed", system.pk),
        ("tally", "voting_closed", "tallied", w.office.pk),
        ("release", "tallied", "released", w.users["zzb"].pk),
    ]
    with pytest.raises(InvalidTransition):
        services.results_release(actor=w.users["zzb"], appraisal_round=w.round)
    assert rules_in_force(2021).pk == w.rules.pk

"""Building a congress session and a deliberation for the deliberation tests.

The world (`deliberation_world`): the university of the root conftest, its congress's 7th
term and a session; six delegates (zhang, li, qian, wu of economics; wang, zhou of law),
zhou on the session's presidium; sun (law) and the econ officer's person are active staff
but not delegates; zhao is retired. 人事处 (HR) drafts; its officer is `hr`. The logistics
officer of the root conftest is an officer of another unit.

Helpers run the real services, one stage after another (`through`)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from gonghui.congress.choices import CommitteeKind, CongressLevel
from gonghui.congress.models import CommitteeMember, Congress, CongressSession, CongressTerm, Delegate
from gonghui.deliberations.choices import AnswerStatus, MajorityBase, RoundAudience
from gonghui.people.tests.factories import UniversityUnitFactory, person_make, user_make

TOPIC = "教职工绩效工资改革方案"
SHANGHAI = ZoneInfo("Asia/Shanghai")

DRAFT_V1 = """教职工绩效工资改革方案（征求意见稿）
为建立体现岗位职责和工作业绩的收入分配机制，结合学校实际，制定本方案。
第一章 总则
第一条 绩效工资分为基础性绩效工资和奖励性绩效工资两部分，基础性绩效工资占百分之六十。
第二条 绩效工资分配坚持按劳分配、优绩优酬。
第二章 奖励性绩效工资
第三条 超工作量部分按每学时八十元计发。
第四条 本方案由人事处负责解释。
"""

# 第一条 unchanged, 第二条 changed, 第三条 removed, 第四条 renumbered 第三条, a new 第四条.
DRAFT_V2 = """教职工绩效工资改革方案（第二次征求意见稿）
为建立体现岗位职责和工作业绩的收入分配机制，结合学校实际，制定本方案。
第一章 总则
第一条 绩效工资分为基础性绩效工资和奖励性绩效工资两部分，基础性绩效工资占百分之六十。
第二条 绩效工资分配坚持按劳分配、优绩优酬，向青年教师倾斜。
第二章 奖励性绩效工资
第三条 本方案由人事处负责解释。
第四条 学校每年向教代会报告绩效工资分配情况。
"""

BASE_PAY = "基础性绩效工资比例偏低，建议提高到百分之六十五"


def deliberation_world(u) -> SimpleNamespace:
    congress = Congress.objects.create(name="示范大学教职工代表大会", level=CongressLevel.UNIVERSITY)
    term = CongressTerm.objects.create(congress=congress, number=7, starts_on=datetime.date(2020, 9, 1))
    session = CongressSession.objects.create(
        term=term, number=2, opens_on=datetime.date(2021, 6, 25), closes_on=datetime.date(2021, 6, 26)
    )
    hr = UniversityUnitFactory(code="HR", name="人事处")
    zhou = person_make(staff_no="L0009", name="周敏", sub_union=u.law)
    sun = person_make(staff_no="L0002", name="孙丽", sub_union=u.law)
    qian = person_make(staff_no="E0003", name="钱军", sub_union=u.econ)
    wu = person_make(staff_no="E0004", name="吴刚", sub_union=u.econ)
    people = {
        "zhang": u.zhang,
        "li": u.li,
        "wang": u.wang,
        "zhou": zhou,
        "qian": qian,
        "wu": wu,
        "sun": sun,
        "zhao": u.zhao,
        "chen": u.officer_person,
    }
    delegates = {
        name: Delegate.objects.create(person=people[name], term=term)
        for name in ("zhang", "li", "wang", "zhou", "qian", "wu")
    }
    CommitteeMember.objects.create(
        kind=CommitteeKind.PRESIDIUM, term=term, session=session, person=zhou, title="主席团成员"
    )
    users = dict(u.users)
    users["zhang"] = users["member"]
    users["chen"] = users["sub_union_officer"]
    users["li"] = user_make(username="E0002", person=u.li)
    users["wang"] = user_make(username="L0001", person=u.wang)
    users["zhou"] = user_make(username="L0009", person=zhou)
    users["qian"] = user_make(username="E0003", person=qian)
    users["wu"] = user_make(username="E0004", person=wu)
    users["sun"] = user_make(username="L0002", person=sun)
    users["zhao"] = user_make(username="R0001", person=u.zhao)
    users["hr"] = user_make(username="hr", roles=[("handling_unit_officer", hr)])
    users["law_officer"] = user_make(username="lawofficer", roles=[("sub_union_officer", u.law)])
    return SimpleNamespace(
        u=u,
        congress=congress,
        term=term,
        session=session,
        hr=hr,
        people=people,
        delegates=delegates,
        users=users,
        office=users["union_office"],
    )


def deliberation_make(w, *, topic: str = TOPIC):
    from gonghui.deliberations.services.versions import deliberation_create

    return deliberation_create(
        actor=w.office, session=w.session, topic=topic, drafting_unit=w.hr, description="人事处起草。"
    )


def version_drafted(w, deliberation, text: str = DRAFT_V1, *, by: str = "hr"):
    from gonghui.deliberations.services.versions import version_from_text

    return version_from_text(actor=w.users[by], deliberation=deliberation, text=text)


def version_published(w, deliberation, text: str = DRAFT_V1):
    from gonghui.deliberations.services.versions import version_publish

    version = version_drafted(w, deliberation, text)
    return version_publish(actor=w.office, version=version)


def round_opened(
    w,
    deliberation,
    *,
    audience: str = RoundAudience.ALL_STAFF,
    online: bool = True,
    anonymous: bool = False,
    opens_at=None,
    closes_at=None,
):
    """A round opened an hour ago, closing in a week (unless told otherwise)."""
    from gonghui.deliberations.services.rounds import round_open

    now = timezone.now()
    return round_open(
        actor=w.office,
        deliberation=deliberation,
        opens_at=opens_at or now - datetime.timedelta(hours=1),
        closes_at=closes_at or now + datetime.timedelta(days=7),
        audience=audience,
        online=online,
        anonymous=anonymous,
    )


def article_id(opinion_round, position: int | None):
    if position is None:
        return None
    return opinion_round.version.articles.get(position=position).pk


def give(w, opinion_round, who: str, text: str, position: int | None = None):
    from gonghui.deliberations.services.rounds import opinion_give

    return opinion_give(
        actor=w.users[who], opinion_round=opinion_round, text=text, article_id=article_id(opinion_round, position)
    )


# The opinions of `through`: three near-identical on 第一条 (two colleges), one different on
# 第一条, one on 第三条 entered on paper by the econ officer for wu, one general.
def opinions_give(w, opinion_round) -> dict:
    from gonghui.deliberations.services.rounds import opinion_enter

    return {
        "zhang": give(w, opinion_round, "zhang", BASE_PAY, 1),
        "li": give(w, opinion_round, "li", BASE_PAY + "。谢谢！", 1),
        "wang": give(w, opinion_round, "wang", BASE_PAY + "，请予考虑。", 1),
        "qian": give(w, opinion_round, "qian", "建议增加良好等次", 1),
        "wu": opinion_enter(
            actor=w.users["chen"],
            opinion_round=opinion_round,
            sub_union=w.u.econ,
            author=w.people["wu"],
            article_id=article_id(opinion_round, 3),
            text="超工作量课时费每学时八十元偏低，建议提高到一百元",
        ),
        "zhou": give(w, opinion_round, "zhou", "建议方案出台前召开教职工座谈会"),
    }


STAGES = ("published", "open", "given", "closed", "sent", "answered", "responded")


def through(w, until: str, *, deliberation=None, audience=RoundAudience.ALL_STAFF, anonymous=False, decision=None):
    """A deliberation taken through the stages up to `until` (STAGES); `decision` answers
    every group alike (adopted by default; partly and not adopted with a reason)."""
    from gonghui.deliberations.services.answers import answers_publish, group_answer
    from gonghui.deliberations.services.rounds import rollup_send, round_close

    stop = STAGES.index(until)
    deliberation = deliberation or deliberation_make(w)
    world = SimpleNamespace(deliberation=deliberation, opinion_round=None, opinions={})
    world.version = version_published(w, deliberation)
    if stop >= STAGES.index("open"):
        world.opinion_round = round_opened(w, deliberation, audience=audience, anonymous=anonymous)
    if stop >= STAGES.index("given"):
        world.opinions = opinions_give(w, world.opinion_round)
    if stop >= STAGES.index("closed"):
        round_close(actor=w.office, opinion_round=world.opinion_round)
    if stop >= STAGES.index("sent"):
        rollup_send(actor=w.office, opinion_round=world.opinion_round)
    if stop >= STAGES.index("answered"):
        decision = decision or AnswerStatus.ADOPTED
        for group in world.opinion_round.groups.order_by("number"):
            reason = "" if decision == AnswerStatus.ADOPTED else "已研究，在实施细则中统筹考虑。"
            group_answer(actor=w.users["hr"], group=group, decision=decision, reason=reason)
    if stop >= STAGES.index("responded"):
        answers_publish(actor=w.users["hr"], opinion_round=world.opinion_round)
    deliberation.refresh_from_db()
    if world.opinion_round is not None:
        world.opinion_round.refresh_from_db()
    return world


def rules_adopted(w, *, base: str = MajorityBase.ALL_DELEGATES, numerator: int = 2, denominator: int = 3):
    from gonghui.deliberations.services.votes import vote_rules_adopt as adopt

    return adopt(
        actor=w.office,
        session=w.session,
        quorum_numerator=numerator,
        quorum_denominator=denominator,
        majority_base=base,
        adopted_on=timezone.localdate(),
        resolution="第七届教代会主席团第二次会议决定",
    )


vote_rules_adopt = rules_adopted  # the name test_ballot.py imports

BASE_PAY_ANSWERS = {
    BASE_PAY: (AnswerStatus.ADOPTED, ""),
    "建议增加良好等次": (AnswerStatus.NOT_ADOPTED, "按学校年度考核办法执行。"),
    "超工作量课时费每学时八十元偏低，建议提高到一百元": (AnswerStatus.PARTLY, "另行研究。"),
    "建议方案出台前召开教职工座谈会": (AnswerStatus.ADOPTED, ""),
}


def reform_adopted_in_2021(w, clock):
    """The pay reform through one round at its real dates: open 29 March – 2 April 2021 17:00
    (the six opinions of `opinions_give`), closed that evening, sent on Tuesday 6 April (after
    Qingming), answered on 8 April (four groups: two adopted, one partly, one not) and published
    on Friday 9 April, adopted that day by a show of hands (5 present, 4 for, 1 against)."""
    from gonghui.deliberations.choices import VoteMethod
    from gonghui.deliberations.services.answers import answers_publish, group_answer
    from gonghui.deliberations.services.rounds import rollup_send, round_close
    from gonghui.deliberations.services.votes import vote_call, vote_record

    def at(*parts):
        return datetime.datetime(*parts, tzinfo=SHANGHAI)

    clock.move_to(at(2021, 3, 29, 9))
    deliberation = deliberation_make(w)
    version_published(w, deliberation)
    opinion_round = round_opened(w, deliberation, opens_at=at(2021, 3, 29, 9), closes_at=at(2021, 4, 2, 17))
    opinions_give(w, opinion_round)
    clock.move_to(at(2021, 4, 2, 18, 30))
    round_close(actor=w.office, opinion_round=opinion_round)
    clock.move_to(at(2021, 4, 6, 10))
    rollup_send(actor=w.office, opinion_round=opinion_round)
    clock.move_to(at(2021, 4, 8, 15))
    for group in opinion_round.groups.all():
        decision, reason = BASE_PAY_ANSWERS[group.summary]
        group_answer(actor=w.users["hr"], group=group, decision=decision, reason=reason)
    clock.move_to(at(2021, 4, 9, 16))
    answers_publish(actor=w.users["hr"], opinion_round=opinion_round)
    rules_adopted(w)
    vote_call(actor=w.office, deliberation=deliberation)
    vote_record(
        actor=w.users["zhou"],
        deliberation=deliberation,
        method=VoteMethod.SHOW_OF_HANDS,
        present=5,
        votes_for=4,
        votes_against=1,
        abstentions=0,
        held_on=datetime.date(2021, 4, 9),
    )
    deliberation.refresh_from_db()
    return deliberation

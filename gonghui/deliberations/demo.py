"""Demo data for draft deliberation (idempotent).

- 2021: 教职工绩效工资改革方案, drafted by 人事处, deliberated at the 第六届 congress's
  third session (the bulletin: "反复审议教职工绩效工资改革方案，充分听取各学院一线教师的意见
  建议，汇总反馈给人力资源处"). Three versions; round one asks all staff through their colleges
  (paper opinions entered by the colleges, delegates' online, anonymous to the drafting unit);
  round two asks the delegates; every group is answered; the third version is adopted by a
  show of hands. Each step runs through the services at its 2021 date, so the history, the
  report and the response times read as they happened.
- Now: 教职工年度考核实施办法（修订）, drafted by 人事处, its first version open for opinions
  (all staff, online), where the demo member (100001) can give an opinion.
"""

from __future__ import annotations

import datetime
import random
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.congress.choices import CommitteeKind
from gonghui.congress.models import CommitteeMember, Congress, CongressSession, CongressTerm, Delegate
from gonghui.deliberations.articles import draft_parse, text_paragraphs
from gonghui.deliberations.choices import AnswerStatus, RoundAudience, VoteMethod
from gonghui.deliberations.models import Deliberation, OpinionGroup
from gonghui.people.choices import EmploymentStatus, SubUnionKind
from gonghui.people.models import Person, SubUnion, UniversityUnit
from gonghui.proposals.demo import DEMO_CONGRESS_NAME, _delegate_user

TOPIC_2021 = "教职工绩效工资改革方案"
TOPIC_NOW = "教职工年度考核实施办法（修订）"
TOPIC_AWAITING = "教职工请休假管理办法（修订）"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def _at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=BEIJING)  # type: ignore[misc]


@contextmanager
def _on(moment: datetime.datetime):
    """Run a phase at its date (its events, stamps and notices carry it), in its own
    transaction so that what it tells people is sent at that date too."""
    import time_machine

    with time_machine.travel(moment, tick=False), transaction.atomic():
        yield


# --- the 2021 plan's three versions -------------------------------------------------------------

V1 = """教职工绩效工资改革方案（征求意见稿）
为建立体现岗位职责、工作业绩和实际贡献的收入分配机制，根据国家和北京市事业单位绩效工资有关规定，结合学校实际，制定本方案。
第一章 总则
第一条 绩效工资分为基础性绩效工资和奖励性绩效工资两部分，基础性绩效工资占绩效工资总量的百分之六十。
第二条 绩效工资分配坚持按劳分配、优绩优酬，向教学科研一线和关键岗位倾斜。
第三条 绩效工资总量由学校按上级核定的总量确定，各学院在学校核拨的额度内自主分配。
第二章 基础性绩效工资
第四条 基础性绩效工资按岗位等级确定标准，按月发放。
第五条 新入职教职工自报到之月起按岗位等级发放基础性绩效工资。
第六条 离退休人员不再发放基础性绩效工资。
第三章 奖励性绩效工资
第七条 奖励性绩效工资根据年度考核结果发放，考核为优秀的上浮百分之二十，基本合格的下浮百分之三十。
第八条 教学工作量按学年核算，超工作量部分按每学时八十元计发。
第九条 科研奖励按学校科研奖励办法执行，纳入奖励性绩效工资总额。
第十条 学院奖励性绩效工资分配办法由学院党政联席会议制定，报人事处备案。
第四章 附则
第十一条 本方案自2021年7月1日起实施。
第十二条 本方案由人事处负责解释。
"""

V2 = """教职工绩效工资改革方案（第二次征求意见稿）
为建立体现岗位职责、工作业绩和实际贡献的收入分配机制，根据国家和北京市事业单位绩效工资有关规定，结合学校实际，制定本方案。
第一章 总则
第一条 绩效工资分为基础性绩效工资和奖励性绩效工资两部分，基础性绩效工资占绩效工资总量的百分之六十五。
第二条 绩效工资分配坚持按劳分配、优绩优酬，向教学科研一线、青年教师和关键岗位倾斜。
第三条 绩效工资总量由学校按上级核定的总量确定，各学院在学校核拨的额度内自主分配，分配结果在学院内公示。
第二章 基础性绩效工资
第四条 基础性绩效工资按岗位等级确定标准，按月发放。
第五条 新入职教职工自报到之月起按岗位等级发放基础性绩效工资。
第六条 离退休人员不再发放基础性绩效工资。
第三章 奖励性绩效工资
第七条 奖励性绩效工资根据年度考核结果发放，考核为优秀的上浮百分之二十，基本合格的下浮百分之二十。
第八条 教学工作量按学年核算，超工作量部分按每学时一百元计发，实验和实践教学按同一标准折算学时。
第九条 科研奖励按学校科研奖励办法执行，纳入奖励性绩效工资总额。
第十条 学院奖励性绩效工资分配办法经学院教职工大会或二级教代会讨论通过后，报人事处备案。
第四章 附则
第十一条 本方案自2021年9月1日起实施。
第十二条 本方案由人事处负责解释。
"""

V3 = """教职工绩效工资改革方案（提交教代会审议稿）
为建立体现岗位职责、工作业绩和实际贡献的收入分配机制，根据国家和北京市事业单位绩效工资有关规定，结合学校实际，制定本方案。
第一章 总则
第一条 绩效工资分为基础性绩效工资和奖励性绩效工资两部分，基础性绩效工资占绩效工资总量的百分之六十五。
第二条 绩效工资分配坚持按劳分配、优绩优酬，向教学科研一线、青年教师和关键岗位倾斜。
第三条 绩效工资总量由学校按上级核定的总量确定，各学院在学校核拨的额度内自主分配，分配结果在学院内公示。
第二章 基础性绩效工资
第四条 基础性绩效工资按岗位等级确定标准，按月发放。
第五条 新入职教职工自报到之月起按岗位等级发放基础性绩效工资，试用期内按百分之九十发放。
第六条 离退休人员不再发放基础性绩效工资。
第三章 奖励性绩效工资
第七条 奖励性绩效工资根据年度考核结果发放，考核为优秀的上浮百分之二十，基本合格的下浮百分之二十。
第八条 教学工作量按学年核算，超工作量部分按每学时一百元计发，实验和实践教学按同一标准折算学时。
第九条 科研奖励按学校科研奖励办法执行，纳入奖励性绩效工资总额。
第十条 学院奖励性绩效工资分配办法经学院教职工大会或二级教代会讨论通过后，报人事处备案。
第十一条 学校每年向教代会报告绩效工资总量和分配情况。
第四章 附则
第十二条 本方案自2021年9月1日起实施。
第十三条 本方案由人事处负责解释。
"""

# Opinions by article position (0: general): each theme is (its phrasings, the answer, the reason).
A, P, N = AnswerStatus.ADOPTED, AnswerStatus.PARTLY, AnswerStatus.NOT_ADOPTED
ROUND_1 = {
    0: [
        (["建议方案出台前召开教职工座谈会，充分听取一线教师意见", "希望方案出台前多召开一线教师座谈会听取意见"], A, ""),
        (
            ["建议公布绩效工资测算依据和各类人员的测算结果", "希望公开绩效工资的测算依据"],
            P,
            "测算依据在学校内公开，个人结果由学院反馈本人。",
        ),
    ],
    1: [
        (
            [
                "基础性绩效工资比例偏低，建议提高到百分之六十五以上",
                "建议把基础性绩效比例从百分之六十提高到百分之六十五",
                "基础性绩效占比太低，收入波动大，建议提高比例",
            ],
            A,
            "",
        ),
    ],
    2: [
        (["建议明确向青年教师倾斜", "青年教师收入偏低，分配中应明确向青年教师倾斜"], A, ""),
    ],
    3: [
        (["学院分配结果应在学院内公示", "建议学院绩效分配结果公开透明，在学院内公示"], A, ""),
        (["建议学校统一分配，不要由学院自主分配"], N, "学院自主分配是本次改革的方向，学校通过备案和公示加强监督。"),
    ],
    5: [
        (
            ["新入职教职工试用期的基础性绩效如何发放，建议明确", "建议明确试用期内绩效工资的发放比例"],
            P,
            "试用期按百分之九十发放，已在第三稿明确。",
        ),
    ],
    7: [
        (
            [
                "基本合格下浮百分之三十幅度过大，建议下调",
                "基本合格下浮比例太高，建议改为百分之二十",
                "考核基本合格扣百分之三十太多了",
            ],
            A,
            "",
        ),
        (["建议增加良好等次"], N, "考核等次按学校年度考核办法执行，本方案不另设等次。"),
    ],
    8: [
        (
            [
                "超工作量课时费每学时八十元偏低，建议提高到一百元",
                "课时费标准多年未调整，建议提高到每学时一百元",
                "建议提高超工作量课时费标准",
            ],
            A,
            "",
        ),
        (["实验和实践教学的工作量应按同一标准折算", "建议实验课、实践课与理论课同等计算学时"], A, ""),
    ],
    9: [
        (["科研奖励纳入绩效总额会挤占教学人员收入，建议单列"], N, "按上级规定，科研奖励须纳入绩效工资总量管理。"),
    ],
    10: [
        (
            [
                "学院分配办法应经学院教职工大会或二级教代会讨论通过",
                "建议学院分配办法须经二级教代会审议",
                "学院分配办法不能只由党政联席会议决定，应听取教职工意见",
            ],
            A,
            "",
        ),
    ],
    11: [
        (["实施时间太紧，建议推迟到秋季学期", "建议从9月1日新学年开始实施"], A, ""),
    ],
}
ROUND_2 = {
    0: [
        (["建议学校每年向教代会报告绩效工资总量和分配情况", "希望每年向教代会通报绩效工资分配情况"], A, ""),
        (["第二稿吸收了上一轮大部分意见，表示赞同"], A, ""),
    ],
    1: [(["建议基础性绩效比例进一步提高到百分之七十"], N, "考虑激励作用，第三稿维持百分之六十五。")],
    5: [(["试用期绩效发放比例仍未明确", "建议在第五条写明试用期发放比例"], A, "")],
    8: [(["希望课时费标准建立定期调整机制"], P, "课时费标准将随绩效工资总量调整一并研究，不写入本方案。")],
}


def _opinions(themes: dict, article_ids: dict, rng: random.Random, count: int):
    """`count` opinions spread over the themes: (article id or None, text, theme)."""
    flat = [(position, theme) for position, items in themes.items() for theme in items]
    out = []
    for i in range(count):
        position, theme = flat[i % len(flat)] if i < len(flat) else rng.choice(flat)
        phrasing = rng.choice(theme[0])
        tail = rng.choice(["", "。", "，请予考虑。", "。谢谢！"])
        out.append((article_ids.get(position), phrasing + tail, theme))
    return out


def _answer_all(opinion_round, unit_user, themes: dict) -> None:
    from gonghui.deliberations.services.answers import group_answer

    answers = {}
    for items in themes.values():
        for phrasings, decision, reason in items:
            for phrasing in phrasings:
                answers[phrasing] = (decision, reason)
    for group in OpinionGroup.objects.filter(round=opinion_round).order_by("number"):
        decision, reason = next(
            (answer for phrasing, answer in answers.items() if group.summary.startswith(phrasing)),
            (AnswerStatus.PARTLY, "已研究，在实施细则中统筹考虑。"),
        )
        group_answer(actor=unit_user, group=group, decision=decision, reason=reason or "")


def _term_six(congress) -> tuple[CongressSession, list[Delegate]]:
    """The congress's 第六届 (2019–2024) with its 2021 third session, its presidium, and its
    delegates: the persons who are delegates of the current term, serving until it began."""
    current = congress.terms.order_by("-number").first()
    term = CongressTerm.objects.create(
        congress=congress,
        number=current.number - 1,
        starts_on=datetime.date(2019, 11, 1),
        ends_on=current.starts_on - datetime.timedelta(days=1),
    )
    delegates = [
        Delegate.objects.create(
            person=d.person,
            term=term,
            is_teacher=d.is_teacher,
            elected_on=term.starts_on,
            ended_on=term.ends_on,
        )
        for d in current.delegates.select_related("person").order_by("pk")
    ]
    session = CongressSession.objects.create(
        term=term, number=3, opens_on=datetime.date(2021, 6, 25), closes_on=datetime.date(2021, 6, 25)
    )
    for d in delegates[10:16]:
        CommitteeMember.objects.create(kind=CommitteeKind.PRESIDIUM, term=term, session=session, person=d.person)
    return session, delegates


def _colleges() -> list[tuple[SubUnion, list[Person]]]:
    colleges = []
    active = Person.objects.filter(employment_status=EmploymentStatus.ACTIVE)
    units = (SubUnionKind.COLLEGE, SubUnionKind.OFFICE)  # colleges and the offices' sub-unions
    for college in SubUnion.objects.filter(kind__in=units, parent__isnull=True).order_by("code"):
        people = list(
            active.filter(sub_union__in=SubUnion.objects.with_descendants([college.pk])).order_by("staff_no")[8:40]
        )
        if people:
            colleges.append((college, people))
    return colleges


def _build_2021(congress, office, hr_user, rng) -> dict:
    from gonghui.deliberations.services import answers, rounds, versions, votes

    session, delegates = _term_six(congress)
    hr = UniversityUnit.objects.get(code="HR")
    member = Person.objects.filter(staff_no="100001").first()
    with _on(_at(2021, 2, 22, 9)):
        deliberation = versions.deliberation_create(
            actor=office,
            session=session,
            topic=TOPIC_2021,
            drafting_unit=hr,
            description="人事处起草，校工会组织各学院征求教职工意见，经教代会审议通过后实施。",
        )
        votes.vote_rules_adopt(
            actor=office,
            session=session,
            quorum_numerator=2,
            quorum_denominator=3,
            majority_base="all_delegates",
            adopted_on=datetime.date(2021, 2, 22),
            resolution="第六届教代会主席团第五次会议决定",
        )
    colleges = _colleges()

    def version(text, when, note=""):
        with _on(when):
            made = versions.version_create(
                actor=hr_user, deliberation=deliberation, draft=draft_parse(text_paragraphs(text)), change_note=note
            )
        with _on(when + datetime.timedelta(hours=2)):
            versions.version_publish(actor=office, version=made)
        return made

    def gather(opinion_round, themes, count, *, online_delegates: bool, paper: bool):
        article_ids = {a.position: a.pk for a in opinion_round.version.articles.all()}
        article_ids.pop(0, None)
        items = _opinions(themes, article_ids, rng, count)
        delegate_people = [d.person for d in delegates]
        at = opinion_round.opens_at + datetime.timedelta(hours=3)
        step = (opinion_round.closes_at - opinion_round.opens_at - datetime.timedelta(hours=6)) / max(1, len(items))
        for i, (article_id, text, _theme) in enumerate(items):
            with _on(at + step * i):
                if paper and i % 3:
                    college, people = colleges[i % len(colleges)]
                    rounds.opinion_enter(
                        actor=office,
                        opinion_round=opinion_round,
                        sub_union=college,
                        author=people[(i // len(colleges)) % len(people)],
                        article_id=article_id,
                        text=text,
                    )
                elif online_delegates:
                    person = delegate_people[i % len(delegate_people)]
                    rounds.opinion_give(
                        actor=_delegate_user(person), opinion_round=opinion_round, text=text, article_id=article_id
                    )

    def run_round(version_made, themes, count, *, opens, closes, audience, anonymous, sent, answered, mine):
        with _on(opens):
            opinion_round = rounds.round_open(
                actor=office,
                deliberation=deliberation,
                opens_at=opens,
                closes_at=closes,
                audience=audience,
                anonymous=anonymous,
            )
        gather(opinion_round, themes, count, online_delegates=True, paper=audience == RoundAudience.ALL_STAFF)
        if member is not None:
            with _on(opens + datetime.timedelta(days=2)):
                rounds.opinion_give(
                    actor=_delegate_user(member),
                    opinion_round=opinion_round,
                    text=mine[1],
                    article_id=version_made.articles.get(position=mine[0]).pk if mine[0] else None,
                )
        with _on(closes):
            rounds.round_close(actor=office, opinion_round=opinion_round)
        with _on(sent):
            rounds.rollup_send(actor=office, opinion_round=opinion_round)
        with _on(answered - datetime.timedelta(days=3)):
            _answer_all(opinion_round, hr_user, themes)
        with _on(answered):
            answers.answers_publish(actor=hr_user, opinion_round=opinion_round)
        return opinion_round

    v1 = version(V1, _at(2021, 3, 1, 9))
    first = run_round(
        v1,
        ROUND_1,
        240,
        opens=_at(2021, 3, 8, 8),
        closes=_at(2021, 3, 19, 17),
        audience=RoundAudience.ALL_STAFF,
        anonymous=True,
        sent=_at(2021, 3, 24, 10),
        answered=_at(2021, 4, 16, 16),
        mine=(8, "超工作量课时费每学时八十元偏低，建议提高到一百元"),
    )
    version(
        V2,
        _at(2021, 4, 26, 9),
        note="吸收第一轮意见：提高基础性绩效比例，明确向青年教师倾斜，调整课时费和考核下浮比例。",
    )
    second = run_round(
        deliberation.latest_version(),
        ROUND_2,
        110,
        opens=_at(2021, 5, 10, 8),
        closes=_at(2021, 5, 21, 17),
        audience=RoundAudience.DELEGATES,
        anonymous=False,
        sent=_at(2021, 5, 25, 10),
        answered=_at(2021, 6, 8, 16),
        mine=(0, "建议学校每年向教代会报告绩效工资总量和分配情况"),
    )
    version(V3, _at(2021, 6, 15, 9), note="吸收第二轮意见：明确试用期发放比例，增加向教代会报告的条款。")
    with _on(_at(2021, 6, 25, 15)):
        votes.vote_call(actor=office, deliberation=deliberation)
        serving = votes.delegates_serving(deliberation, datetime.date(2021, 6, 25))
        present = serving - max(1, serving // 12)
        against = max(1, present // 40)
        abstain = max(1, present // 30)
        votes.vote_record(
            actor=office,
            deliberation=deliberation,
            method=VoteMethod.SHOW_OF_HANDS,
            present=present,
            votes_for=present - against - abstain,
            votes_against=against,
            abstentions=abstain,
            held_on=datetime.date(2021, 6, 25),
        )
    return {"rounds": 2, "opinions": first.opinions.count() + second.opinions.count()}


def _build_now(congress, office, hr_user, rng) -> None:
    """The current session's deliberation, open for opinions now."""
    from gonghui.deliberations.services import rounds, versions

    session = CongressSession.objects.filter(term__congress=congress).order_by("-opens_on").first()
    hr = UniversityUnit.objects.get(code="HR")
    now = timezone.now()
    deliberation = versions.deliberation_create(
        actor=office, session=session, topic=TOPIC_NOW, drafting_unit=hr, description="人事处起草的年度考核办法修订稿。"
    )
    draft = draft_parse(
        text_paragraphs(
            """教职工年度考核实施办法（修订征求意见稿）
第一条 年度考核以岗位职责和聘期目标为依据，考核结果分为优秀、合格、基本合格和不合格四个等次。
第二条 优秀等次比例一般不超过本单位参加考核人数的百分之二十。
第三条 教师考核以教学、科研和社会服务为主要内容，教学工作量未完成的不得评为优秀。
第四条 考核结果作为岗位聘用、职称评审和绩效工资分配的依据。
第五条 被考核人对考核结果有异议的，可在结果公示之日起十个工作日内提出复核申请。
第六条 本办法自发布之日起施行。"""
        )
    )
    made = versions.version_create(actor=hr_user, deliberation=deliberation, draft=draft)
    versions.version_publish(actor=office, version=made)
    opinion_round = rounds.round_open(
        actor=office,
        deliberation=deliberation,
        opens_at=now - datetime.timedelta(days=5),
        closes_at=now + datetime.timedelta(days=9),
        audience=RoundAudience.ALL_STAFF,
    )
    delegates = list(Delegate.objects.current().filter(term=session.term).select_related("person")[20:32])
    texts = [
        (2, "优秀比例百分之二十偏低，建议提高到百分之二十五"),
        (3, "教学工作量未完成不得评优秀的规定应考虑产假等特殊情况"),
        (5, "复核申请期限十个工作日偏短，建议延长"),
        (0, "建议考核结果向本人书面反馈"),
    ]
    for i, delegate in enumerate(delegates):
        person = delegate.person
        position, text = texts[i % len(texts)]
        article_id = made.articles.get(position=position).pk if position else None
        rounds.opinion_give(actor=_delegate_user(person), opinion_round=opinion_round, text=text, article_id=article_id)


def _build_awaiting(congress, office, hr_user) -> None:
    """A plan whose round closed last week: the roll-up is with 人事处 (`hr`), to be answered."""
    from gonghui.deliberations.services import rounds, versions

    session = CongressSession.objects.filter(term__congress=congress).order_by("-opens_on").first()
    assert session is not None
    hr = UniversityUnit.objects.get(code="HR")
    now = timezone.now()
    opens, closes = now - datetime.timedelta(days=20), now - datetime.timedelta(days=6)
    with _on(opens - datetime.timedelta(days=1)):
        deliberation = versions.deliberation_create(
            actor=office,
            session=session,
            topic=TOPIC_AWAITING,
            drafting_unit=hr,
            description="人事处起草的请休假办法修订稿。",
        )
        draft = draft_parse(
            text_paragraphs(
                """教职工请休假管理办法（修订征求意见稿）
第一条 教职工请假须提前提出申请，经所在单位负责人批准。
第二条 病假三天以上须提供医疗机构证明。
第三条 年休假原则上在寒暑假期间安排。
第四条 本办法自发布之日起施行。"""
            )
        )
        made = versions.version_create(actor=hr_user, deliberation=deliberation, draft=draft)
        versions.version_publish(actor=office, version=made)
    with _on(opens):
        opinion_round = rounds.round_open(
            actor=office, deliberation=deliberation, opens_at=opens, closes_at=closes, audience=RoundAudience.ALL_STAFF
        )
    delegates = list(Delegate.objects.current().filter(term=session.term).select_related("person")[32:44])
    texts = [
        (2, "病假三天以上须提供证明，建议改为五天以上"),
        (3, "年休假只在寒暑假安排，对行政人员不合理，建议灵活安排"),
        (3, "建议年休假可以在学期中安排，不必局限于寒暑假"),
        (0, "建议开通网上请假审批"),
    ]
    for i, delegate in enumerate(delegates):
        position, text = texts[i % len(texts)]
        with _on(opens + datetime.timedelta(days=1, hours=i)):
            rounds.opinion_give(
                actor=_delegate_user(delegate.person),
                opinion_round=opinion_round,
                text=text,
                article_id=made.articles.get(position=position).pk if position else None,
            )
    with _on(closes):
        rounds.round_close(actor=office, opinion_round=opinion_round)
    with _on(closes + datetime.timedelta(days=1)):
        rounds.rollup_send(actor=office, opinion_round=opinion_round)


def deliberations_demo_build() -> str:
    """Build the demo deliberations once (later runs change nothing)."""
    congress = Congress.objects.filter(name=DEMO_CONGRESS_NAME).first()
    if congress is None:
        return ""
    office = User.objects.get(username="office")
    hr_user = User.objects.get(username="hr")
    rng = random.Random(2021)
    lines = []
    # each phase of 2021 commits at its date: a run cut short leaves a deliberation to remove by --reset
    if not Deliberation.objects.filter(topic=TOPIC_2021).exists():
        built = _build_2021(congress, office, hr_user, rng)
        lines.append(f"{built['opinions']} opinions in {built['rounds']} rounds, adopted")
    if not Deliberation.objects.filter(topic=TOPIC_AWAITING).exists():
        _build_awaiting(congress, office, hr_user)
        lines.append("one roll-up awaiting 人事处's replies")
    if not Deliberation.objects.filter(topic=TOPIC_NOW).exists():
        with transaction.atomic():
            _build_now(congress, office, hr_user, rng)
        lines.append("one plan open for opinions now")
    return "; ".join(lines)

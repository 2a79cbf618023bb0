"""Demo data for the staff congress and its proposals (idempotent).

The university congress (第七届) with a college congress, delegations by college and about
120 delegates, the proposals committee and the presidium. Two sessions, dated from today:
- 第二次会议 (solicitation closed ~50 days ago): 80 submissions, a realistic count
  (DOMAIN §3.4: Shenzhen Polytechnic 126 → 64/31/5): registered, merged, opinions (some
  late), not registered, withdrawn; handed over with working-day deadlines; replies, some
  on time, some overdue, ratings with re-handling, follow-up; published.
- 第三次会议 (solicitation open now), where the demo member (100001) can write a proposal
  and the similar-proposal search finds the second session's.
And one archival session, at its real dates (`time_machine`): 第五届 (2014-11 – 2019-10, the
term before the deliberations demo's 第六届), its 第五次会议 of April 2019, where a delegate's
proposal on kindergarten places (关于与朝阳区教委共建幼儿园、缓解教职工子女入园难的提案) is
registered, handed to 后勤处, answered in May 2019 (列入计划: a kindergarten co-built with
朝阳区教委, to open in September 2020), rated 满意, followed up (the agreement signed in
September 2019, the kindergarten opened on 2020-09-01) and closed: the admissions demo links its
2019 shortage to it.
Everything goes through the services, so every proposal carries its history.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.congress.choices import CommitteeKind, CongressLevel
from gonghui.congress.models import (
    CommitteeMember,
    Congress,
    CongressSession,
    CongressTerm,
    Delegate,
    Delegation,
    SessionRules,
)
from gonghui.core.editions import edition_adopt
from gonghui.people.choices import EmploymentStatus, SubUnionKind
from gonghui.people.models import Person, SubUnion, UniversityUnit
from gonghui.proposals.models import Proposal, ProposalCategory

DEMO_CONGRESS_NAME = "示范大学教职工代表大会"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
KINDERGARTEN_TITLE = "关于与朝阳区教委共建幼儿园、缓解教职工子女入园难的提案"
CATEGORY_UNITS = {"教学科研": "ACAD", "人事薪酬": "HR", "后勤保障": "HQ", "民生福利": "HQ", "校园建设与管理": "BUILD"}
TEXT_CATEGORY = [  # category by keyword, in the order tried
    ("职称", "人事薪酬"),
    ("津贴", "人事薪酬"),
    ("补贴", "人事薪酬"),
    ("课时费", "人事薪酬"),
    ("待遇", "人事薪酬"),
    ("返聘", "人事薪酬"),
    ("博士后", "人事薪酬"),
    ("教学", "教学科研"),
    ("科研", "教学科研"),
    ("图书馆", "教学科研"),
    ("实验", "教学科研"),
    ("食堂", "后勤保障"),
    ("餐", "后勤保障"),
    ("班车", "后勤保障"),
    ("空调", "后勤保障"),
    ("快递", "后勤保障"),
    ("电梯", "后勤保障"),
    ("体检", "民生福利"),
    ("幼儿园", "民生福利"),
    ("托管", "民生福利"),
    ("子女", "民生福利"),
    ("退休", "民生福利"),
    ("慰问", "民生福利"),
    ("心理", "民生福利"),
    ("健身", "民生福利"),
    ("游泳", "民生福利"),
    ("夏令营", "民生福利"),
    ("生日", "民生福利"),
    ("校医院", "民生福利"),
]


@dataclass(frozen=True)
class ProposalsDemoResult:
    created: bool
    counts: dict


def _category(title, categories):
    for word, name in TEXT_CATEGORY:
        if word in title:
            return categories[name]
    return categories["校园建设与管理"]


def _texts():
    from gonghui.proposals.tests.similarity_data import DISTRACTORS, PAIRS

    firsts = [a for a, _b in PAIRS]
    seconds = [b for _a, b in PAIRS]
    extra = [
        (
            "关于完善青年教师导师制的建议",
            "新入职教师缺少指导，建议为每位青年教师配备教学导师。",
            "学院统筹安排导师，纳入考核。",
        ),
        ("关于设立教职工午休室的提案", "不少教师中午没有休息场所，建议在教学楼设立午休室。", "利用闲置房间改造。"),
        ("关于校园夜间照明的建议", "部分道路夜间照明不足，存在安全隐患。", "增设路灯，定期检修。"),
        ("关于规范学院经费使用公开的建议", "学院经费使用情况不够透明。", "每学期向教职工公开经费收支。"),
        ("关于教学楼饮水机更新的建议", "饮水机老旧，水质令人担心。", "更换直饮水设备并定期检测。"),
        ("关于提高工会会员福利标准的提案", "会员节日福利多年未调整。", "按上级工会规定上限执行。"),
        ("关于开设教职工子女寒假托管班的建议", "寒假期间双职工子女无人照看。", "由工会组织寒假托管。"),
        ("关于完善教师教学发展中心培训的建议", "培训形式单一，针对性不强。", "按学科开设教学工作坊。"),
        ("关于增设校内自行车停放区的建议", "自行车乱停乱放影响通行。", "在教学楼周边规划停放区。"),
        ("关于简化出国访学审批手续的提案", "出国访学审批环节多、时间长。", "推行网上审批，减少纸质材料。"),
    ]
    return (
        [(t, g, "建议学校研究解决。") for t, g in firsts + DISTRACTORS] + [(t, g, s) for t, g, s in extra],
        [(t, g, "建议学校研究解决。") for t, g in seconds],
    )


@contextmanager
def _on(day: datetime.date, hour: int = 10):
    """Run a step of the archive at its date (its events and stamps carry it)."""
    import time_machine

    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)
    with time_machine.travel(moment, tick=False), transaction.atomic():
        yield


def _delegate_user(person):
    user = getattr(person, "user", None)
    if user is None:
        user = User.objects.filter(person=person).first()
    if user is None:
        user = User(username=person.staff_no, person=person)
        user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def proposals_demo_build() -> ProposalsDemoResult:
    """Build the congress and its proposals once; later runs leave them as they are."""
    from gonghui.proposals.services import handling, submission, triage
    from gonghui.proposals.services.similar_index import similar_index_build

    if Congress.objects.filter(name=DEMO_CONGRESS_NAME).exists():
        return ProposalsDemoResult(created=False, counts={"proposals": Proposal.objects.count()})
    office = User.objects.get(username="office")
    committee = User.objects.get(username="proposals")
    unit_user = User.objects.get(username="unit")
    today = timezone.localdate()
    now = timezone.now()

    congress = Congress.objects.create(name=DEMO_CONGRESS_NAME, level=CongressLevel.UNIVERSITY)
    econ = SubUnion.objects.filter(code="ECON").first()
    if econ:
        Congress.objects.create(name="经济学院二级教代会", level=CongressLevel.COLLEGE, parent=congress, sub_union=econ)
    term = CongressTerm.objects.create(congress=congress, number=7, starts_on=today - datetime.timedelta(days=800))

    colleges = list(SubUnion.objects.filter(kind=SubUnionKind.COLLEGE, parent__isnull=True).order_by("code"))
    active = Person.objects.filter(employment_status=EmploymentStatus.ACTIVE)
    delegates, delegations = [], []
    for college in colleges:
        people = list(
            active.filter(sub_union__in=SubUnion.objects.with_descendants([college.pk])).order_by("staff_no")[:8]
        )
        if not people:
            continue
        delegation = Delegation.objects.create(
            term=term, name=college.name.replace("分工会", "代表团"), sub_union=college, head=people[0]
        )
        delegations.append(delegation)
        for i, person in enumerate(people):
            delegates.append(
                Delegate.objects.create(person=person, term=term, delegation=delegation, is_teacher=i % 5 != 4)
            )
    member = Person.objects.filter(staff_no="100001").first()
    if member and not Delegate.objects.filter(person=member, term=term).exists():
        delegates.insert(
            0, Delegate.objects.create(person=member, term=term, delegation=delegations[0] if delegations else None)
        )
    users = {d.pk: _delegate_user(d.person) for d in delegates}
    leader = delegates[-1].person
    for d in delegates[1:10]:
        CommitteeMember.objects.create(kind=CommitteeKind.PROPOSALS, term=term, person=d.person, title="委员")

    def session(number, *, closes_days_ago, opens_in):
        """A session whose rules the office drafted and the presidium adopted a week before
        the solicitation opened."""
        created = CongressSession.objects.create(
            term=term,
            number=number,
            opens_on=today + datetime.timedelta(days=opens_in),
            closes_on=today + datetime.timedelta(days=opens_in + 1),
        )
        rules = SessionRules.objects.create(
            session=created,
            created_by=office,
            solicitation_opens_at=now - datetime.timedelta(days=closes_days_ago + 30),
            solicitation_closes_at=now - datetime.timedelta(days=closes_days_ago),
            leader_in_charge=leader,
            reply_working_days=20,
        )
        edition_adopt(
            actor=office,
            edition=rules,
            adopted_on=today - datetime.timedelta(days=closes_days_ago + 37),
            resolution=f"第七届教代会第{number}次会议主席团第一次会议决议",
        )
        return created

    second = session(2, closes_days_ago=50, opens_in=-40)
    third = session(3, closes_days_ago=-25, opens_in=40)
    for s in (second, third):
        for d in delegates[10:16]:
            CommitteeMember.objects.create(kind=CommitteeKind.PRESIDIUM, term=term, session=s, person=d.person)

    categories = {
        name: ProposalCategory.objects.get_or_create(name=name, defaults={"order": i})[0]
        for i, name in enumerate(CATEGORY_UNITS)
    }
    units = {u.code: u for u in UniversityUnit.objects.all()}
    texts, duplicates = _texts()
    closes_at = second.rules_in_force().solicitation_closes_at
    on_time = closes_at - datetime.timedelta(days=3)
    late = closes_at + datetime.timedelta(hours=5)
    n = len(delegates)
    made = []

    def propose(index, title, grounds, suggestions, *, when):
        author = delegates[(index * 7) % n]
        proposal = submission.proposal_draft_create(
            actor=users[author.pk],
            session=second,
            title=title,
            category=_category(title, categories),
            grounds=grounds,
            suggestions=suggestions,
            suggested_unit=units.get(CATEGORY_UNITS[_category(title, categories).name]),
            one_matter=True,
        )
        signers = [delegates[(index * 7 + k) % n] for k in (1, 2, 3)]
        submission.co_signers_invite(proposal=proposal, actor=users[author.pk], delegates=signers)
        for signer in signers[: 2 + index % 2]:
            submission.co_signature_confirm(proposal=proposal, actor=users[signer.pk])
        submission.proposal_submit(proposal=proposal, actor=users[author.pk], now=when)
        return proposal

    # 80 submissions: 60 matters (the last 6 after the deadline: opinions) and 20 near-
    # duplicates of the first 20 by other delegates, 12 of which the committee merges.
    for i, (title, grounds, suggestions) in enumerate(texts):
        made.append(propose(i, title, grounds, suggestions, when=late if i >= len(texts) - 6 else on_time))
    for i, (title, grounds, suggestions) in enumerate(duplicates):
        made.append(propose(100 + i, title, grounds, suggestions, when=on_time))

    outcomes = {}
    for i, proposal in enumerate(made):
        if proposal.kind == "opinion":
            outcomes[proposal.pk] = "opinion"
        elif i >= len(texts) and i - len(texts) < 12 and outcomes[made[i - len(texts)].pk] == "registered":
            outcomes[proposal.pk] = "merged"
        elif i in (3, 17, 33, 51, 71):
            outcomes[proposal.pk] = "not_registered"
        elif i in (9, 41):
            outcomes[proposal.pk] = "withdrawn"
        elif i % 6 == 5:
            outcomes[proposal.pk] = "to_opinion"
        else:
            outcomes[proposal.pk] = "registered"
    for i, proposal in enumerate(made):
        outcome = outcomes[proposal.pk]
        if outcome == "withdrawn":
            author = proposal.proposers.first().delegate
            submission.proposal_withdraw(proposal=proposal, actor=users[author.pk], reason="已通过其他渠道解决")
        elif outcome == "registered":
            triage.proposal_triage(proposal=proposal, actor=committee, outcome="registered")
        elif outcome == "not_registered":
            triage.proposal_triage(
                proposal=proposal,
                actor=committee,
                outcome="not_registered",
                reason="属于个人诉求，不属于提案范围，已转相关部门",
            )
        elif outcome in ("to_opinion", "opinion"):
            triage.proposal_triage(
                proposal=proposal, actor=committee, outcome="opinion", reason="事项具体，作为意见建议转有关单位办理"
            )
        elif outcome == "merged":
            triage.proposal_triage(
                proposal=proposal,
                actor=committee,
                outcome="merged",
                merge_into=made[i - len(texts)],
                reason="内容相同，并案办理",
            )

    handover_day = today - datetime.timedelta(days=40)
    for proposal in Proposal.objects.filter(session=second, status__in=["registered", "opinion"]).order_by("pk"):
        lead = units.get(CATEGORY_UNITS.get(proposal.category.name, "HQ")) or units["HQ"]
        co = [units["FINANCE"]] if proposal.pk % 4 == 0 and "FINANCE" in units else []
        triage.proposal_units_set(proposal=proposal, actor=office, lead_unit=lead, co_units=co)
    triage.session_handover(session=second, actor=office, signed_on=handover_day, note="分管校领导审签")
    triage.session_publish(session=second, actor=office)

    reply_day = handover_day + datetime.timedelta(days=14)
    handled = list(
        Proposal.objects.filter(session=second, status="assigned").order_by(F("number").asc(nulls_last=True), "pk")
    )  # the same order on every database
    for k, proposal in enumerate(handled):
        if k % 9 == 8:
            continue  # not answered yet: on the overdue board once the deadline passes
        lead_unit = proposal.assignments.get(role="lead").unit
        actor = unit_user if lead_unit.code == "HQ" else office
        handling.contact_record(
            proposal=proposal,
            actor=actor,
            contacted_on=handover_day + datetime.timedelta(days=3),
            method="phone",
            summary="电话联系提案人，了解具体情况",
        )
        category = ["solved", "solved", "planned", "cannot"][k % 4]
        handling.reply_draft(
            proposal=proposal,
            actor=actor,
            category=category,
            today=reply_day,
            body="经研究，学校高度重视，已会同有关单位落实。" if category != "cannot" else "经研究，目前条件尚不具备。",
            target_date=today + datetime.timedelta(days=180) if category == "planned" else None,
            reasons="受经费和场地限制，列入下一年度统筹考虑。" if category == "cannot" else "",
        )
        handling.reply_sign_off(proposal=proposal, actor=actor, leader_name=leader.name)
        handling.reply_release(proposal=proposal, actor=actor, today=reply_day)
        proposal.refresh_from_db()
        if k % 7 == 6:
            continue  # not rated yet
        rater = proposal.proposers.first().delegate
        level = "unsatisfied" if k % 10 == 3 else ("basically" if k % 3 == 0 else "satisfied")
        handling.rating_submit(
            proposal=proposal,
            actor=users[rater.pk],
            level=level,
            comment="答复未回应核心诉求" if level == "unsatisfied" else "",
        )
        proposal.refresh_from_db()
        if proposal.status == "follow_up":
            handling.milestone_add(
                proposal=proposal, actor=actor, title="完成方案论证", due_on=today + datetime.timedelta(days=60)
            )
            handling.progress_update(proposal=proposal, actor=actor, progress=30, note="方案论证中")

    # the third session: open now; a draft of the demo member's awaiting co-signers
    if member:
        me = Delegate.objects.get(person=member, term=term)
        draft = submission.proposal_draft_create(
            actor=users[me.pk],
            session=third,
            title="关于延长图书馆周末开放时间的建议",
            category=categories["教学科研"],
            grounds="教师周末才有时间查阅资料，但图书馆周末闭馆早。",
            suggestions="周末开放至晚上九点。",
            suggested_unit=units.get("ACAD"),
            one_matter=True,
        )
        submission.co_signers_invite(proposal=draft, actor=users[me.pk], delegates=[delegates[1], delegates[2]])

    # last, so that the current sessions' rows (and their ids) are as they were without it
    _archive_2019(congress, term, leader=leader, categories=categories, units=units)
    # The similar-proposals index, which the task worker would build after the submissions.
    similar_index_build()
    return ProposalsDemoResult(
        created=True,
        counts={
            "delegates": len(delegates),
            "submissions": Proposal.objects.filter(session=second).count(),
            "registered": Proposal.objects.filter(session=second, number__isnull=False).count(),
        },
    )


def _archive_2019(congress, current_term, *, leader, categories, units) -> Proposal:
    """第五届 (2014-11-01 – 2019-10-31; the persons of the current term's delegates serve in it)
    and its 第五次会议 (April 2019) with the kindergarten proposal, each step at its date: the
    rules adopted in February, the proposal drafted, co-signed and submitted in March,
    registered after the session, handed to 后勤处 in May and answered (列入计划: the
    kindergarten co-built with 朝阳区教委 opens in September 2020), rated 满意, followed up to
    the opening and closed in September 2020."""
    from gonghui.proposals.services import handling, submission, triage

    office = User.objects.get(username="office")
    committee = User.objects.get(username="proposals")
    unit_user = User.objects.get(username="unit")  # 后勤处's officer
    term = CongressTerm.objects.create(
        congress=congress, number=5, starts_on=datetime.date(2014, 11, 1), ends_on=datetime.date(2019, 10, 31)
    )
    delegates = [
        Delegate.objects.create(
            person=d.person, term=term, is_teacher=d.is_teacher, elected_on=term.starts_on, ended_on=term.ends_on
        )
        for d in current_term.delegates.select_related("person").order_by("pk")
    ]
    for d in delegates[1:10]:
        CommitteeMember.objects.create(kind=CommitteeKind.PROPOSALS, term=term, person=d.person, title="委员")
    with _on(datetime.date(2019, 2, 20)):
        session = CongressSession.objects.create(
            term=term, number=5, opens_on=datetime.date(2019, 4, 18), closes_on=datetime.date(2019, 4, 19)
        )
        for d in delegates[10:16]:
            CommitteeMember.objects.create(kind=CommitteeKind.PRESIDIUM, term=term, session=session, person=d.person)
        rules = SessionRules.objects.create(
            session=session,
            created_by=office,
            solicitation_opens_at=datetime.datetime(2019, 3, 1, 8, tzinfo=BEIJING),
            solicitation_closes_at=datetime.datetime(2019, 3, 29, 17, tzinfo=BEIJING),
            leader_in_charge=leader,
            reply_working_days=20,
        )
    with _on(datetime.date(2019, 2, 26)):
        edition_adopt(
            actor=office,
            edition=rules,
            adopted_on=datetime.date(2019, 2, 26),
            resolution="第五届教代会第五次会议主席团第一次会议决议",
        )

    author, signers = delegates[3], delegates[4:7]
    users = {d.pk: _delegate_user(d.person) for d in [author, *signers]}
    with _on(datetime.date(2019, 3, 12)):
        proposal = submission.proposal_draft_create(
            actor=users[author.pk],
            session=session,
            title=KINDERGARTEN_TITLE,
            category=categories["民生福利"],
            grounds=(
                "校工会摸底统计显示，每年需要入园的教职工子女远多于示范大学幼儿园面向教职工子女的学位，"
                "2018年、2019年均有大半未能入园，青年教师只能自行择园，通勤和费用负担很重。"
            ),
            suggestions=(
                "学校与朝阳区教委协商，利用学校在朝阳区的场地共建一所幼儿园，"
                "每年定向提供一定数量的教职工子女学位，由校工会统一报送。"
            ),
            suggested_unit=units.get("HQ"),
            one_matter=True,
        )
        submission.co_signers_invite(proposal=proposal, actor=users[author.pk], delegates=signers)
    with _on(datetime.date(2019, 3, 13)):
        for signer in signers:
            submission.co_signature_confirm(proposal=proposal, actor=users[signer.pk])
    with _on(datetime.date(2019, 3, 15)):
        submission.proposal_submit(proposal=proposal, actor=users[author.pk])
    with _on(datetime.date(2019, 4, 23)):
        triage.proposal_triage(proposal=proposal, actor=committee, outcome="registered")
    with _on(datetime.date(2019, 5, 6)):
        triage.proposal_units_set(proposal=proposal, actor=office, lead_unit=units["HQ"])
    with _on(datetime.date(2019, 5, 8)):
        triage.session_handover(session=session, actor=office, note="分管校领导审签")
        triage.session_publish(session=session, actor=office)
    proposal.refresh_from_db()  # handed over in bulk
    with _on(datetime.date(2019, 5, 15)):
        handling.contact_record(
            proposal=proposal,
            actor=unit_user,
            contacted_on=datetime.date(2019, 5, 15),
            method="meeting",
            summary="与提案人面谈，了解青年教师子女入园需求和朝阳区场地情况",
        )
    with _on(datetime.date(2019, 5, 28)):
        handling.reply_draft(
            proposal=proposal,
            actor=unit_user,
            category="planned",
            body=(
                "学校高度重视教职工子女入园难问题。经与朝阳区教委多次协商，双方拟利用学校在朝阳区的场地"
                "共建幼儿园，每年定向接收教职工子女，计划于2020年9月开园。共建协议签订后，"
                "后勤处将会同资产处做好园舍改造，校工会负责统一报送教职工子女名单。"
            ),
            target_date=datetime.date(2020, 9, 1),
        )
    with _on(datetime.date(2019, 5, 30)):
        handling.reply_sign_off(proposal=proposal, actor=unit_user, leader_name=leader.name)
        handling.reply_release(proposal=proposal, actor=unit_user)
    with _on(datetime.date(2019, 6, 10)):
        proposal.refresh_from_db()
        handling.rating_submit(proposal=proposal, actor=users[author.pk], level="satisfied")
    with _on(datetime.date(2019, 6, 12)):
        proposal.refresh_from_db()
        agreement = handling.milestone_add(
            proposal=proposal, actor=unit_user, title="与朝阳区教委签订共建协议", due_on=datetime.date(2019, 9, 30)
        )
        opening = handling.milestone_add(
            proposal=proposal, actor=unit_user, title="共建幼儿园开园", due_on=datetime.date(2020, 9, 1)
        )
        handling.progress_update(proposal=proposal, actor=unit_user, progress=20, note="共建方案与朝阳区教委商定")
    with _on(datetime.date(2019, 9, 16)):
        handling.progress_update(
            proposal=proposal,
            actor=unit_user,
            progress=50,
            note="学校与朝阳区教委签订共建幼儿园协议",
            milestone=agreement,
            done_on=datetime.date(2019, 9, 16),
        )
    with _on(datetime.date(2020, 9, 1)):
        handling.progress_update(
            proposal=proposal,
            actor=unit_user,
            progress=100,
            note="朝阳区教委共建幼儿园开园，首批教职工子女入园",
            milestone=opening,
            done_on=datetime.date(2020, 9, 1),
        )
    with _on(datetime.date(2020, 9, 15)):
        handling.follow_up_close(proposal=proposal, actor=committee, note="共建幼儿园已开园，提案办结")
    proposal.refresh_from_db()
    return proposal

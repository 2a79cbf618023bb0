"""Demo data for the staff congress and its proposals (idempotent).

The university congress (第七届) with a college congress, delegations by college and about
120 delegates, the proposals committee and the presidium. Two sessions, dated from today:
- 第二次会议 (solicitation closed ~50 days ago): 80 submissions, a realistic count
  (DOMAIN §3.4: Shenzhen Polytechnic 126 → 64/31/5): registered, merged, opinions (some
  late), not registered, withdrawn; handed over with working-day deadlines; replies, some
  on time, some overdue, ratings with re-handling, follow-up; published.
- 第三次会议 (solicitation open now), where the demo member (100001) can write a proposal
  and the similar-proposal search finds the second session's.
Everything goes through the services, so every proposal carries its history.
"""

import datetime
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
    return ProposalsDemoResult(
        created=True,
        counts={
            "delegates": len(delegates),
            "submissions": Proposal.objects.filter(session=second).count(),
            "registered": Proposal.objects.filter(session=second, number__isnull=False).count(),
        },
    )

"""Building a congress and proposals for tests (and the route-access world)."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

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
from gonghui.core.editions import EditionStatus
from gonghui.people.tests.factories import UniversityUnitFactory, person_make, user_make
from gonghui.proposals.models import ProposalCategory


def session_make(term, *, number=1, opens_on=None, window_open=True, **rules):
    """A session with its rules adopted (rows written directly, as adopted before the
    solicitation opened); `rules` are SessionRules values."""
    now = timezone.now()
    opens_on = opens_on or (timezone.localdate() + datetime.timedelta(days=20))
    if window_open:
        starts, ends = now - datetime.timedelta(days=10), now + datetime.timedelta(days=5)
    else:
        starts, ends = now - datetime.timedelta(days=30), now - datetime.timedelta(days=1)
    session = CongressSession.objects.create(
        term=term, number=number, opens_on=opens_on, closes_on=opens_on + datetime.timedelta(days=1)
    )
    SessionRules.objects.create(
        session=session,
        status=EditionStatus.ADOPTED,
        adopted_on=timezone.localdate(starts) - datetime.timedelta(days=7),
        resolution="第七届教代会主席团决议",
        solicitation_opens_at=starts,
        solicitation_closes_at=ends,
        **rules,
    )
    return session


def rules_change(session, **values):
    """The presidium changes the session's rules: a revision of the rules in force with
    `values`, adopted today (the former rules are superseded). Returns the new rules."""
    from gonghui.accounts.system import system_actor
    from gonghui.core.editions import edition_adopt, edition_revise

    actor = system_actor()
    draft = edition_revise(actor=actor, source=session.rules_in_force(), **values)
    return edition_adopt(
        actor=actor, edition=draft, adopted_on=timezone.localdate(), resolution="主席团关于调整提案工作规则的决议"
    )


def congress_world(u):
    """The university congress, its 7th term and a session whose window is open; delegates
    zhang (proposer), li, wang (co-signers), officer_person (presidium member); zhao is not
    a delegate. li heads the economics delegation."""
    congress = Congress.objects.create(name="示范大学教职工代表大会", level=CongressLevel.UNIVERSITY)
    college = Congress.objects.create(
        name="经济学院二级教代会", level=CongressLevel.COLLEGE, parent=congress, sub_union=u.econ
    )
    term = CongressTerm.objects.create(congress=congress, number=7, starts_on=datetime.date(2020, 9, 1))
    leader = person_make(staff_no="LEAD01", name="刘校长", sub_union=u.econ)
    session = session_make(term, number=2, leader_in_charge=leader)
    econ_d = Delegation.objects.create(term=term, name="经济学院代表团", sub_union=u.econ, head=u.li)
    law_d = Delegation.objects.create(term=term, name="法学院代表团", sub_union=u.law, head=u.wang)
    delegates = {
        "zhang": Delegate.objects.create(person=u.zhang, term=term, delegation=econ_d),
        "li": Delegate.objects.create(person=u.li, term=term, delegation=econ_d),
        "wang": Delegate.objects.create(person=u.wang, term=term, delegation=law_d),
        "chen": Delegate.objects.create(person=u.officer_person, term=term, delegation=econ_d, is_teacher=False),
    }
    CommitteeMember.objects.create(
        kind=CommitteeKind.PRESIDIUM, term=term, session=session, person=u.officer_person, title="主席团成员"
    )
    users = dict(u.users)
    users["li"] = user_make(username="E0002", person=u.li)
    users["wang"] = user_make(username="L0001", person=u.wang)
    users["zhao"] = user_make(username="R0001", person=u.zhao)
    users["chen"] = users["sub_union_officer"]
    hr = UniversityUnitFactory(code="HR", name="人事处")
    users["hr_officer"] = user_make(username="hr", roles=[("handling_unit_officer", hr)])
    categories = {
        name: ProposalCategory.objects.create(name=name, order=i)
        for i, name in enumerate(["教学科研", "人事薪酬", "后勤保障", "民生福利"])
    }
    return SimpleNamespace(
        u=u,
        congress=congress,
        college=college,
        term=term,
        session=session,
        leader=leader,
        econ_delegation=econ_d,
        law_delegation=law_d,
        delegates=delegates,
        users=users,
        hr=hr,
        logistics=u.logistics,
        categories=categories,
    )


def draft(
    pw,
    *,
    by="member",
    title="关于延长食堂晚餐供应时间的建议",
    category="后勤保障",
    grounds="不少教师晚上有课，食堂六点半停止供应。",
    suggestions="建议延长到晚上八点。",
    session=None,
    **kw,
):
    from gonghui.proposals.services.submission import proposal_draft_create

    return proposal_draft_create(
        actor=pw.users[by],
        session=session or pw.session,
        title=title,
        category=pw.categories[category],
        grounds=grounds,
        suggestions=suggestions,
        suggested_unit=pw.logistics,
        one_matter=True,
        **kw,
    )


def submitted(pw, **kw):
    """A proposal (by zhang unless `by` says otherwise), co-signed by two other delegates,
    submitted."""
    from gonghui.proposals.services.similar_index import similar_index_build
    from gonghui.proposals.services.submission import co_signature_confirm, co_signers_invite, proposal_submit

    proposal = draft(pw, **kw)
    by = kw.get("by", "member")
    signers = [name for name in ("li", "wang", "member") if name != by][:2]
    delegate_of = {"li": "li", "wang": "wang", "member": "zhang"}
    co_signers_invite(
        proposal=proposal, actor=pw.users[by], delegates=[pw.delegates[delegate_of[name]] for name in signers]
    )
    for name in signers:
        co_signature_confirm(proposal=proposal, actor=pw.users[name])
    proposal_submit(proposal=proposal, actor=pw.users[by])
    proposal.refresh_from_db()
    # The submit asks the task worker for a build once it commits; a test's transaction never
    # commits, so the factory does what the worker would.
    similar_index_build()
    return proposal


def registered(pw, **kw):
    from gonghui.proposals.services.triage import proposal_triage

    proposal = submitted(pw, **kw)
    proposal_triage(proposal=proposal, actor=pw.users["proposals_committee"], outcome="registered")
    proposal.refresh_from_db()
    return proposal


def assigned(pw, *, signed_on=None, co_units=(), **kw):
    from gonghui.proposals.services.triage import proposal_units_set, session_handover

    proposal = registered(pw, **kw)
    proposal_units_set(
        proposal=proposal, actor=pw.users["union_office"], lead_unit=pw.logistics, co_units=list(co_units)
    )
    session_handover(
        session=proposal.session,
        actor=pw.users["union_office"],
        signed_on=signed_on or timezone.localdate(),
        proposals=[proposal],
    )
    proposal.refresh_from_db()
    return proposal


def replied(pw, *, category="solved", target_date=None, reasons="", **kw):
    from gonghui.proposals.services.handling import reply_draft, reply_release, reply_sign_off

    proposal = assigned(pw, **kw)
    unit = pw.users["handling_unit_officer"]
    reply_draft(
        proposal=proposal,
        actor=unit,
        category=category,
        body="已与餐饮中心协商，自下月起晚餐延长至20点。",
        target_date=target_date,
        reasons=reasons,
    )
    reply_sign_off(proposal=proposal, actor=unit, leader_name="刘校长")
    reply_release(proposal=proposal, actor=unit)
    proposal.refresh_from_db()
    return proposal

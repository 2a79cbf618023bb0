"""A shortage of places recorded by the office, turned into a congress proposal (a draft
prefilled from the figures, the delegate's own) or linked to one; refusals write nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.accounts.roles import Role
from gonghui.admissions.choices import SchoolKind, Stage
from gonghui.admissions.models import School, ShortageAction
from gonghui.admissions.services.shortages import (
    shortage_proposal_draft,
    shortage_proposal_link,
    shortage_record,
)
from gonghui.congress.models import Delegate
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditEvent
from gonghui.people.tests.factories import person_make, user_make
from gonghui.proposals.models import Proposal
from gonghui.proposals.tests.factories import congress_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(clock, university):
    cw = congress_world(university)
    kg = School.objects.create(code="KG", name="示范大学幼儿园", kind=SchoolKind.KINDERGARTEN, district="海淀区")
    # an officer of the union office who is also a delegate
    person = person_make(staff_no="A0001", name="周敏", sub_union=university.econ)
    Delegate.objects.create(person=person, term=cw.term, delegation=cw.econ_delegation)
    cw.office_delegate = user_make(username="A0001", person=person, roles=[Role.UNION_OFFICE])
    cw.kg = kg
    return cw


def _record(actor, kg, **overrides):
    fields = {
        "year": 2019,
        "stage": Stage.NURSERY,
        "school": kg,
        "demand": 40,
        "places": 12,
        "title": "2019年入园学位缺口",
        "summary": "附属幼儿园仅有12个学位。",
    }
    return shortage_record(actor=actor, **{**fields, **overrides})


def test_a_shortage_is_recorded(w):
    office = w.users["union_office"]
    shortage = _record(office, w.kg, district="朝阳区")
    # the school's district, not the one given
    assert (shortage.district, shortage.shortfall, shortage.created_by) == ("海淀区", 28, office)
    whole = _record(office, None, district=" 海淀区 ", title="2019年托幼学位缺口")
    assert (whole.school, whole.district) == (None, "海淀区")
    assert AuditEvent.objects.filter(object_type="admissions.shortageaction").count() == 2
    # the auditors read them; members do not
    assert ShortageAction.objects.restrict(w.users["auditor"]).count() == 2
    assert not ShortageAction.objects.restrict(w.users["member"]).exists()


def test_record_refusals_write_nothing(w):
    office = w.users["union_office"]
    with pytest.raises(PermissionDenied):
        _record(w.users["auditor"], w.kg)
    with pytest.raises(ApplicationError, match="需求 12 人未超过学位 12 个，不构成学位缺口"):
        _record(office, w.kg, demand=12)
    with pytest.raises(ApplicationError, match="示范大学幼儿园不招收幼升小阶段的子女"):
        _record(office, w.kg, stage=Stage.PRIMARY)
    with pytest.raises(ApplicationError, match="请填写缺口情况"):
        _record(office, w.kg, summary=" ")
    assert ShortageAction.objects.count() == 0
    _record(office, w.kg)
    with pytest.raises(ApplicationError, match="已经记录过了"):
        _record(office, w.kg, title="又一次")
    assert ShortageAction.objects.count() == 1


def test_a_proposal_drafted_from_the_shortage(w):
    shortage = _record(w.users["union_office"], w.kg)
    proposal = shortage_proposal_draft(actor=w.office_delegate, shortage=shortage, session=w.session)
    shortage.refresh_from_db()
    assert shortage.proposal == proposal
    assert (proposal.status, proposal.title, proposal.category.name, proposal.one_matter) == (
        "draft",
        "关于解决教职工子女入托入园学位不足问题的建议",
        "民生福利",
        True,
    )
    assert proposal.grounds == (
        "2019年校工会教职工子女入学需求摸底显示，有 40 名教职工子女需要入托入园，"
        "而示范大学幼儿园仅能提供 12 个学位，缺口 28 个。\n附属幼儿园仅有12个学位。"
    )
    assert proposal.suggestions.startswith("建议学校与海淀区教委协商共建幼儿园")
    assert proposal.proposers.get().delegate.person.staff_no == "A0001"
    # once linked, not drafted twice
    with pytest.raises(ApplicationError, match="已关联提案“关于解决教职工子女入托入园学位不足问题的建议”"):
        shortage_proposal_draft(actor=w.office_delegate, shortage=shortage, session=w.session)
    assert Proposal.objects.count() == 1


def test_drafting_refused_for_one_not_a_delegate(w):
    shortage = _record(w.users["union_office"], w.kg)
    # the proposals module's own refusal stands
    with pytest.raises(PermissionDenied, match="只有本届教代会代表可以提出提案"):
        shortage_proposal_draft(actor=w.users["union_office"], shortage=shortage, session=w.session)
    # a delegate outside the office may not act on the shortage
    with pytest.raises(PermissionDenied):
        shortage_proposal_draft(actor=w.users["member"], shortage=shortage, session=w.session)
    shortage.refresh_from_db()
    assert shortage.proposal is None
    assert Proposal.objects.count() == 0


def test_a_proposal_is_linked(w):
    from gonghui.proposals.services.submission import proposal_draft_create

    office = w.users["union_office"]
    shortage = _record(office, w.kg)
    proposal = proposal_draft_create(actor=w.users["member"], session=w.session, title="关于扩大附属幼儿园招生的建议")
    other = proposal_draft_create(actor=w.users["li"], session=w.session, title="关于共建幼儿园的建议")
    # a member's draft is theirs: an admissions officer (no global read) may not link it
    with pytest.raises(PermissionDenied, match="您无权查看该提案"):
        shortage_proposal_link(actor=w.users["admissions_officer"], shortage=shortage, proposal=proposal)
    with pytest.raises(PermissionDenied):
        shortage_proposal_link(actor=w.users["member"], shortage=shortage, proposal=proposal)
    shortage.refresh_from_db()
    assert shortage.proposal is None
    shortage_proposal_link(actor=office, shortage=shortage, proposal=proposal)
    shortage_proposal_link(actor=office, shortage=shortage, proposal=proposal)  # again: nothing more
    shortage_proposal_link(actor=office, shortage=shortage, proposal=other)
    shortage.refresh_from_db()
    assert shortage.proposal == other
    changes = list(
        AuditEvent.objects.filter(object_type="admissions.shortageaction", action="updated")
        .order_by("pk")
        .values_list("changes", flat=True)
    )
    assert len(changes) == 2
    assert changes[1]["proposal"] == ["关于扩大附属幼儿园招生的建议", "关于共建幼儿园的建议"]

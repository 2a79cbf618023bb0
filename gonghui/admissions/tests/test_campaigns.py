"""Schools, the year's rules (drafted, revised, adopted with their act) and the campaign's
course: survey, requests, referral, close; each refusal with its message and nothing written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.admissions.choices import CampaignStatus, RequestStatus
from gonghui.admissions.models import AdmissionRules, Campaign, School
from gonghui.admissions.services import requests as svc
from gonghui.admissions.services.campaigns import (
    campaign_close,
    campaign_create,
    campaign_open_requests,
    campaign_open_survey,
    campaign_refer,
)
from gonghui.admissions.services.rules import rules_adopt, rules_draft_create, rules_draft_update, school_save
from gonghui.admissions.tests.conftest import RULES_2021, counts, draft_request, open_requests, upload_all
from gonghui.core.editions import EditionLocked, EditionStatus
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.models import AuditEvent

pytestmark = pytest.mark.django_db

d = datetime.date


def test_schools_added_and_changed(w):
    school = school_save(
        actor=w.office,
        code="gj2",
        name="共建第二幼儿园",
        kind="kindergarten",
        district="朝阳区",
        affiliation="co_built",
    )
    assert (school.takes_requests, school.district) == (True, "朝阳区")
    school = school_save(actor=w.office, school=school, contact_name="刘老师", contact_phone="010-12345678")
    assert school.contact_name == "刘老师"
    audit = AuditEvent.objects.filter(object_type="admissions.school", object_id=str(school.pk)).latest("pk")
    assert audit.changes == {"contact_name": ["", "刘老师"], "contact_phone": ["", "010-12345678"]}
    before = School.objects.count(), AuditEvent.objects.count()
    for fields, message in (
        ({"code": "fx", "name": "新学校", "kind": "primary", "district": "海淀区"}, "学校代码“fx”已被使用。"),
        ({"code": "new", "name": "附属小学", "kind": "primary", "district": "海淀区"}, "已有名为“附属小学”的学校。"),
        ({"code": "new", "name": "新学校", "kind": "college", "district": "海淀区"}, "请选择学校类别。"),
        ({"code": "new", "name": "", "kind": "primary", "district": "海淀区"}, "请填写学校名称。"),
    ):
        with pytest.raises(ApplicationError) as refused:
            school_save(actor=w.office, **fields)
        assert refused.value.message == message
    with pytest.raises(PermissionDenied):
        school_save(actor=w.users["auditor"], code="x", name="x", kind="primary", district="x")
    with pytest.raises(PermissionDenied):
        school_save(actor=w.officer, school=school, note="改")
    assert (School.objects.count(), AuditEvent.objects.count()) == before


def test_rules_drafted_revised_and_adopted(w):
    rules = w.rules
    assert (rules.status, rules.adopted_on, rules.resolution) == (
        EditionStatus.ADOPTED,
        d(2021, 2, 20),
        "校工会〔2021〕5号",
    )
    assert [(b.position, b.label, b.relation, sorted(b.category_names())) for b in rules.batches.all()] == [
        (1, "在编教职工子女", "child", ["事业编制"]),
        (2, "教职工孙子女、外孙子女", "grandchild", []),
        (3, "合同制教职工子女", "child", ["人事代理", "合同制"]),
    ]
    assert [(r.code, r.housing) for r in rules.documents.all()] == [
        ("unit_form", ""),
        ("hukou", ""),
        ("birth_certificate", ""),
        ("vaccination", ""),
        ("deed", "owned"),
        ("lease", "rented"),
        ("housing_proof", "no_deed"),
    ]
    # a revision for 2022 copies the parts; changed, then adopted
    draft = rules_draft_create(actor=w.office, year=2022, based_on=rules, name="2022年教职工子女入托入学工作通知")
    assert (draft.year, draft.status, draft.based_on, draft.batches.count(), draft.places.count()) == (
        2022,
        EditionStatus.DRAFT,
        rules,
        3,
        1,
    )
    draft = rules_draft_update(
        actor=w.office,
        rules=draft,
        survey_opens=d(2022, 3, 1),
        survey_closes=d(2022, 4, 30),
        requests_open=d(2022, 3, 1),
        requests_deadline=d(2022, 5, 31),
        nursery_months=36,
        batches=[{"position": 1, "label": "全体教职工子女", "relation": "child", "categories": ""}],
    )
    assert [b.label for b in draft.batches.all()] == ["全体教职工子女"]
    adopted = rules_adopt(actor=w.office, rules=draft, adopted_on=d(2022, 2, 18), resolution="校工会〔2022〕4号")
    assert (adopted.status, adopted.nursery_months) == (EditionStatus.ADOPTED, 36)
    with pytest.raises(EditionLocked):
        rules_draft_update(actor=w.office, rules=adopted, name="改名")


def test_rules_with_wrong_values_are_refused_whole(w):
    before = AdmissionRules.objects.count(), AuditEvent.objects.count()
    wrong_dates = {**RULES_2021, "survey_closes": d(2021, 6, 30)}
    draft = rules_draft_create(
        actor=w.office,
        year=2024,
        **{k: v.replace(year=2024) if hasattr(v, "year") else v for k, v in wrong_dates.items()},
    )
    with pytest.raises(InvalidTransition) as refused:
        rules_adopt(actor=w.office, rules=draft, adopted_on=d(2024, 2, 1), resolution="校工会〔2024〕1号")
    assert refused.value.message == "摸底截止须在摸底开始之后、申请截止之前。"
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT
    with pytest.raises(ApplicationError) as refused:
        rules_draft_create(
            actor=w.office,
            year=2025,
            **{**RULES_2021, "batches": [{"position": 1, "label": "x", "relation": "cousin", "categories": ""}]},
        )
    assert "relation" in refused.value.message
    with pytest.raises(ApplicationError) as refused:
        rules_draft_create(actor=w.office, year=2025, name="")
    assert refused.value.message == "请填写规则名称。"
    with pytest.raises(PermissionDenied):
        rules_draft_create(actor=w.officer, year=2025, **RULES_2021)
    assert (AdmissionRules.objects.count(), AuditEvent.objects.count()) == (before[0] + 1, before[1] + 1)


def test_one_campaign_a_year_on_that_years_rules(w):
    before = counts(), Campaign.objects.count()
    with pytest.raises(ApplicationError) as refused:
        campaign_create(actor=w.admissions, year=2021, rules=w.rules)
    assert refused.value.message == "2021 年的子女入学工作已经建立。"
    with pytest.raises(ApplicationError) as refused:
        campaign_create(actor=w.admissions, year=2022, rules=w.rules)
    assert refused.value.message == "规则“2021年教职工子女入托入学工作通知”是 2021 年的，不能用于 2022 年。"
    with pytest.raises(PermissionDenied):
        campaign_create(actor=w.officer, year=2022, rules=w.rules)
    assert (counts(), Campaign.objects.count()) == before


def test_a_campaign_on_draft_rules_does_not_open(w):
    draft = rules_draft_create(actor=w.office, year=2022, based_on=w.rules)
    campaign = campaign_create(actor=w.office, year=2022, rules=draft)
    assert campaign.name == "2022年教职工子女入托入学"
    before = counts()
    with pytest.raises(InvalidTransition) as refused:
        campaign_open_survey(actor=w.office, campaign=campaign)
    assert refused.value.message == "本年度的子女入学工作规则尚未通过，不能开始。"
    assert counts() == before


def test_the_course_of_the_year(w):
    campaign = campaign_open_survey(actor=w.office, campaign=w.campaign)  # the office runs the year
    assert campaign.status == CampaignStatus.SURVEY
    campaign = campaign_open_requests(actor=w.office, campaign=campaign)
    request = draft_request(w)
    upload_all(w, request)
    svc.request_submit(actor=w.parent, request=request)
    for document in request.documents.all():
        svc.document_check(actor=w.officer, document=document)
    svc.request_check(actor=w.officer, request=request)
    # the plain union office may not refer children's requests: nothing changes
    before = counts()
    with pytest.raises(PermissionDenied):
        campaign_refer(actor=w.office, campaign=w.campaign)
    assert counts() == before
    campaign = campaign_refer(actor=w.admissions, campaign=w.campaign)
    assert campaign.status == CampaignStatus.REFERRED
    request.refresh_from_db()
    assert request.status == RequestStatus.REFERRED
    before = counts()
    with pytest.raises(InvalidTransition) as refused:
        campaign_close(actor=w.admissions, campaign=campaign)
    assert refused.value.message == "还有 1 份申请没有学校答复。"
    assert counts() == before
    svc.request_answer(actor=w.admissions, request=request, placed=True)
    campaign = campaign_close(actor=w.admissions, campaign=campaign)
    assert campaign.status == CampaignStatus.CLOSED
    steps = list(campaign.events.order_by("pk").values_list("step", flat=True))
    assert steps == ["created", "open_survey", "open_requests", "refer", "close"]


def test_opening_requests_straight_from_the_draft(w):
    campaign = open_requests(w)
    assert campaign.status == CampaignStatus.REQUESTS

"""Admissions' cases for the cross-module workflow contract test: a campaign, a request, a
policy note, a school visit and a rules edition in the step's source state, whose guards
hold at the fixed moment (2021-03-15 10:00).

The rules are adopted with one batch and one required document (户口簿); their request
deadline is 2021-05-31, or 2021-02-28 for the step that takes a draft as 视为自行解决 after
the deadline. A request carries its document, already checked, and is taken by the
admissions officer (子女入学专员); everything else by the union office. Every builder makes
fresh rows (a new year, number and child each call), so it may be called more than once."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from gonghui.core.editions import EditionStatus

d = datetime.date
DEADLINE = d(2021, 5, 31)
LATE_DEADLINE = d(2021, 2, 28)  # before the fixed moment: a draft may become self_arranged


def _kwargs(step) -> dict:
    return {"message": "契约测试说明"} if step.message_required else {}


def _school():
    from gonghui.admissions.choices import Affiliation, SchoolKind
    from gonghui.admissions.models import School

    school, _created = School.objects.get_or_create(
        code="contract-fx",
        defaults={
            "name": "契约测试附属小学",
            "kind": SchoolKind.PRIMARY,
            "district": "海淀区",
            "affiliation": Affiliation.AFFILIATED,
        },
    )
    return school


def _rules(world, *, status: str = EditionStatus.ADOPTED, deadline: datetime.date = DEADLINE):
    from gonghui.admissions.models import AdmissionRules, DocumentRule, PriorityBatch

    year = 2040 + AdmissionRules.objects.count()
    rules = AdmissionRules.objects.create(
        year=year,
        name="契约测试入学通知",
        survey_opens=d(2021, 1, 1),
        survey_closes=min(deadline, d(2021, 2, 1)),
        requests_open=d(2021, 1, 1),
        requests_deadline=deadline,
        created_by=world.users["union_office"],
    )
    PriorityBatch.objects.create(edition=rules, position=1, label="在编教职工子女")
    DocumentRule.objects.create(edition=rules, code="hukou", label="户口簿", position=1)
    if status != EditionStatus.DRAFT:
        AdmissionRules.objects.filter(pk=rules.pk).update(status=status)
        rules.refresh_from_db()
    return rules


def _campaign(world, status: str, *, rules=None):
    from gonghui.admissions.models import Campaign

    year = 2040 + Campaign.objects.count()
    return Campaign.objects.create(
        year=year,
        name=f"{year}年教职工子女入托入学（契约测试）",
        rules=rules or _rules(world),
        status=status,
        created_by=world.users["union_office"],
    )


def _campaign_case(world, step, source):
    return _campaign(world, source), world.users["union_office"], _kwargs(step)


def _request(world, status: str, *, campaign):
    from gonghui.admissions.choices import Housing, Stage
    from gonghui.admissions.models import AdmissionRequest, RequestDocument
    from gonghui.attachments.models import Attachment
    from gonghui.people.models import Child

    number = f"CT{AdmissionRequest.objects.count() + 1:06d}"
    child = Child.objects.create(parent=world.zhang, name="张契约", gender="M", birth_date=d(2015, 6, 10))
    request = AdmissionRequest.objects.create(
        campaign=campaign,
        number=number,
        child=child,
        parent=world.zhang,
        stage=Stage.PRIMARY,
        school=_school(),
        hukou_district="海淀区",
        housing=Housing.OWNED,
        status=status,
        created_by=world.users["admissions_officer"],
    )
    attachment = Attachment.objects.create(
        file="attachments/contract-hukou.pdf",
        original_name="户口簿.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        owner_person_id=world.zhang.pk,
    )
    RequestDocument.objects.create(request=request, code="hukou", label="户口簿", attachment=attachment, checked=True)
    return request


def _request_case(world, step, source):
    from gonghui.admissions.choices import CampaignStatus

    deadline = LATE_DEADLINE if step.name == "arrange_self" else DEADLINE
    campaign = _campaign(world, CampaignStatus.REQUESTS, rules=_rules(world, deadline=deadline))
    return _request(world, source, campaign=campaign), world.users["admissions_officer"], _kwargs(step)


def _policy_note_case(world, step, source):
    from gonghui.admissions.models import PolicyNote

    note = PolicyNote.objects.create(
        year=2021,
        district="海淀区",
        title="2021年海淀区入学政策要点（契约测试）",
        body="契约测试内容",
        status=source,
        created_by=world.users["union_office"],
    )
    return note, world.users["union_office"], _kwargs(step)


def _visit_case(world, step, source):
    from gonghui.admissions.models import SchoolVisit

    visit = SchoolVisit.objects.create(
        school=_school(),
        visit_on=d(2021, 3, 12),
        capacity=30,
        signup_until=d(2021, 3, 10),
        status=source,
        created_by=world.users["union_office"],
    )
    return visit, world.users["union_office"], _kwargs(step)


def _rules_case(world, step, source):
    rules = _rules(world, status=source)
    kwargs: dict = {}
    if step.name == "adopt":
        kwargs["values"] = {"adopted_on": d(2021, 2, 20), "resolution": "校工会〔2021〕5号"}
    return rules, world.users["union_office"], kwargs


CONTRACT: dict[str, Callable] = {
    "admissions.campaign": _campaign_case,
    "admissions.request": _request_case,
    "admissions.policy_note": _policy_note_case,
    "admissions.visit": _visit_case,
    "admissions.admissionrules": _rules_case,
}

__all__ = ["CONTRACT"]

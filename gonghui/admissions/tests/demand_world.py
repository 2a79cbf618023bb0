"""A small admissions history for the figures' tests (demand, shortages, the report), written
straight into the tables: the figures count rows, whatever steps made them.

Schools: KG (示范幼儿园, 海淀区, affiliated kindergarten), CO (共建幼儿园, 朝阳区, co-built
kindergarten), PRI (示范附小, 海淀区, affiliated primary), NEAR (other primary, 海淀区).
Adopted rules: 2019 (KG 1 place, PRI 2), 2020 (KG 1, CO 3, PRI 2); a 2021 draft (KG 9, not
counted). Campaigns 2019 and 2020.

2019 (nursery: need 3 at KG, 1 naming no school; primary: 1 at PRI, 1 at NEAR):
  ECON  zhang c1 nursery KG yes — request placed at KG
        zhang c2 nursery KG yes — request not placed
        li    c3 nursery KG yes — request self-arranged (late)
        li    c4 nursery —  yes (no school)
  LAW   wang  c5 primary PRI yes — request placed at PRI
        wang  c6 primary NEAR yes
        wang  c7 nursery KG no
2020 (nursery: 4 at CO, 1 at KG):
  ECON  zhang d1 nursery CO yes — placed at CO
        zhang d2 nursery CO yes — referred, no answer yet
        li    d3 nursery CO yes — placed at CO
        li    d4 nursery KG yes — placed at CO (the alternative)
  LAW   wang  d5 nursery CO yes — draft (not counted); d6 withdrawn (not counted)
        wang  d7 nursery KG undecided
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from gonghui.admissions.choices import (
    Affiliation,
    CampaignStatus,
    Housing,
    Need,
    RequestStatus,
    SchoolKind,
    Stage,
)
from gonghui.admissions.models import (
    AdmissionRequest,
    AdmissionRules,
    Campaign,
    PriorityBatch,
    School,
    SchoolPlaces,
    SurveyLine,
)
from gonghui.core.editions import EditionStatus
from gonghui.people.choices import Gender
from gonghui.people.models import Child


def _school(code, name, kind, district, affiliation=Affiliation.AFFILIATED):
    return School.objects.create(code=code, name=name, kind=kind, district=district, affiliation=affiliation)


def _rules(year: int, places: dict[str, int], *, adopted: bool = True) -> AdmissionRules:
    rules = AdmissionRules.objects.create(
        year=year,
        name=f"{year}年教职工子女入托入学工作通知",
        survey_opens=datetime.date(year - 1, 11, 1),
        survey_closes=datetime.date(year - 1, 12, 15),
        requests_open=datetime.date(year, 3, 1),
        requests_deadline=datetime.date(year, 4, 30),
    )
    PriorityBatch.objects.create(edition=rules, position=1, label="在编教职工子女")
    for code, number in places.items():
        SchoolPlaces.objects.create(edition=rules, school_code=code, places=number)
    if adopted:
        AdmissionRules.objects.filter(pk=rules.pk).update(
            status=EditionStatus.ADOPTED, adopted_on=datetime.date(year - 1, 10, 20), resolution="校工会文件"
        )
        rules.refresh_from_db()
    return rules


def demand_world(u) -> SimpleNamespace:
    """`u` is the root conftest's `university`."""
    office = u.users["union_office"]
    kg = _school("KG", "示范幼儿园", SchoolKind.KINDERGARTEN, "海淀区")
    co = _school("CO", "共建幼儿园", SchoolKind.KINDERGARTEN, "朝阳区", Affiliation.CO_BUILT)
    pri = _school("PRI", "示范附小", SchoolKind.PRIMARY, "海淀区")
    near = _school("NEAR", "海淀某小学", SchoolKind.PRIMARY, "海淀区", Affiliation.OTHER)
    r2019 = _rules(2019, {"KG": 1, "PRI": 2})
    r2020 = _rules(2020, {"KG": 1, "CO": 3, "PRI": 2})
    _rules(2021, {"KG": 9}, adopted=False)
    c2019 = Campaign.objects.create(
        year=2019, name="2019年教职工子女入托入学", rules=r2019, status=CampaignStatus.CLOSED, created_by=office
    )
    c2020 = Campaign.objects.create(
        year=2020, name="2020年教职工子女入托入学", rules=r2020, status=CampaignStatus.REFERRED, created_by=office
    )
    seq = {"n": 0}

    def child(parent, name):
        return Child.objects.create(
            parent=parent, name=name, gender=Gender.FEMALE, birth_date=datetime.date(2016, 5, 1)
        )

    def line(campaign, parent, name, stage, need, school=None, request=None, placed_at=None, late=False):
        kid = child(parent, name)
        SurveyLine.objects.create(campaign=campaign, child=kid, parent=parent, stage=stage, need=need, school=school)
        if request is None:
            return kid
        seq["n"] += 1
        AdmissionRequest.objects.create(
            campaign=campaign,
            number=f"{campaign.year}-{seq['n']:04d}",
            child=kid,
            parent=parent,
            stage=stage,
            school=school,
            hukou_district="海淀区",
            housing=Housing.OWNED,
            status=request,
            placed_school=placed_at if request == RequestStatus.PLACED else None,
            late=late,
            created_by=office,
        )
        return kid

    zhang, li, wang = u.zhang, u.li, u.wang
    n, p = Stage.NURSERY, Stage.PRIMARY
    line(c2019, zhang, "c1", n, Need.YES, kg, RequestStatus.PLACED, placed_at=kg)
    line(c2019, zhang, "c2", n, Need.YES, kg, RequestStatus.NOT_PLACED)
    line(c2019, li, "c3", n, Need.YES, kg, RequestStatus.SELF_ARRANGED, late=True)
    line(c2019, li, "c4", n, Need.YES)
    line(c2019, wang, "c5", p, Need.YES, pri, RequestStatus.PLACED, placed_at=pri)
    line(c2019, wang, "c6", p, Need.YES, near)
    line(c2019, wang, "c7", n, Need.NO, kg)
    line(c2020, zhang, "d1", n, Need.YES, co, RequestStatus.PLACED, placed_at=co)
    line(c2020, zhang, "d2", n, Need.YES, co, RequestStatus.REFERRED)
    line(c2020, li, "d3", n, Need.YES, co, RequestStatus.PLACED, placed_at=co)
    line(c2020, li, "d4", n, Need.YES, kg, RequestStatus.PLACED, placed_at=co)
    line(c2020, wang, "d5", n, Need.YES, co, RequestStatus.DRAFT)
    line(c2020, wang, "d6", n, Need.YES, co, RequestStatus.WITHDRAWN)
    line(c2020, wang, "d7", n, Need.UNDECIDED, kg)
    return SimpleNamespace(
        u=u, office=office, kg=kg, co=co, pri=pri, near=near, c2019=c2019, c2020=c2020, r2019=r2019, r2020=r2020
    )

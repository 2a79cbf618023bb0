"""The admissions world for the module's tests (`w`), at the root conftest's moment
(2021-03-15 10:00; the clock ticks on).

- Schools: 附属小学 `fx` and 附属第二小学 `fx2` (primary, affiliated), 附属中学 `fz`
  (secondary, affiliated), 共建幼儿园 `gj` (kindergarten, co-built), 附属托儿所 `tr`
  (nursery), 海淀某小学 `hd` (primary, other: takes no requests).
- The 2021 rules, adopted: survey 2021-03-01 … 2021-04-30, requests 2021-03-01 … deadline
  2021-05-31; nursery at 30 months; batches 1 在编教职工子女 (事业编制), 2 孙子女 (any
  category), 3 合同制教职工子女 (合同制, 人事代理); documents 单位盖章的申请表, 户口簿,
  出生医学证明, 预防接种证, and 房产证 (owned) / 租房合同 (rented) / 住房证明 (no deed).
- The 2021 campaign, a draft (`w.campaign`).
- Children: 张小明 (张伟 E0001, 经济学院, born 2015-06-10: primary 2021) and 张小红 (born
  2019-10-01: nursery 2022); 李小雨 (李娜 E0002, 经济学院第一小组, born 2018-01-20:
  kindergarten 2021); 王小军 (王芳 L0001, 法学院, born 2009-05-01: junior 2021); 赵小宝
  (赵强 R0001, retired, born 2015-03-01).
- Accounts (`w.users`): the root conftest's (member = 张伟, sub_union_officer = 陈静 of 经济学院,
  union_office, auditor …) plus `admissions` (子女入学专员), `li` (李娜), `wang` (王芳: another
  parent) and `law_officer` (法学院's officer).
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.accounts.roles import Role
from gonghui.admissions.choices import Affiliation, Housing, SchoolKind
from gonghui.admissions.models import (
    AdmissionRequest,
    AdmissionRequestEvent,
    CampaignEvent,
    ChildRecord,
    RequestDocument,
    SurveyLine,
)
from gonghui.admissions.services.campaigns import campaign_create
from gonghui.admissions.services.rules import rules_adopt, rules_draft_create, school_save
from gonghui.attachments.models import Attachment
from gonghui.core.models import AuditEvent
from gonghui.notifications.models import Notification
from gonghui.people.models import Child
from gonghui.people.tests.factories import user_make

d = datetime.date

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REQUIRED_OWNED = ("unit_form", "hukou", "birth_certificate", "vaccination", "deed")


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


RULES_2021 = {
    "name": "2021年教职工子女入托入学工作通知",
    "survey_opens": d(2021, 3, 1),
    "survey_closes": d(2021, 4, 30),
    "requests_open": d(2021, 3, 1),
    "requests_deadline": d(2021, 5, 31),
}


def rules_for(actor, year: int, **fields):
    """Adopted rules for `year` (the 2021 dates moved to that year unless given)."""
    values = {
        key: (value.replace(year=year) if isinstance(value, datetime.date) else value)
        for key, value in RULES_2021.items()
    }
    values["name"] = f"{year}年教职工子女入托入学工作通知"
    values.update(fields)
    draft = rules_draft_create(actor=actor, year=year, **values)
    return rules_adopt(actor=actor, rules=draft, adopted_on=d(year, 2, 20), resolution=f"校工会〔{year}〕5号")


def admissions_world(university) -> SimpleNamespace:
    users = dict(university.users)
    office = users["union_office"]
    users["admissions"] = user_make(username="admissions", roles=[Role.ADMISSIONS_OFFICER])
    users["li"] = user_make(username="E0002", person=university.li)
    users["wang"] = user_make(username="L0001", person=university.wang)
    users["law_officer"] = user_make(username="L0099", roles=[(Role.SUB_UNION_OFFICER, university.law)])
    schools = {}
    for code, name, kind, affiliation in (
        ("fx", "附属小学", SchoolKind.PRIMARY, Affiliation.AFFILIATED),
        ("fx2", "附属第二小学", SchoolKind.PRIMARY, Affiliation.AFFILIATED),
        ("fz", "附属中学", SchoolKind.SECONDARY, Affiliation.AFFILIATED),
        ("gj", "共建幼儿园", SchoolKind.KINDERGARTEN, Affiliation.CO_BUILT),
        ("tr", "附属托儿所", SchoolKind.NURSERY, Affiliation.AFFILIATED),
        ("hd", "海淀某小学", SchoolKind.PRIMARY, Affiliation.OTHER),
    ):
        schools[code] = school_save(
            actor=office, code=code, name=name, kind=kind, district="海淀区", affiliation=affiliation
        )
    rules = rules_for(office, 2021, places=[{"school_code": "fx", "places": 20, "note": ""}])
    campaign = campaign_create(actor=users["admissions"], year=2021, rules=rules)
    kids = {
        "xiaoming": Child.objects.create(parent=university.zhang, name="张小明", gender="M", birth_date=d(2015, 6, 10)),
        "xiaohong": Child.objects.create(parent=university.zhang, name="张小红", gender="F", birth_date=d(2019, 10, 1)),
        "xiaoyu": Child.objects.create(parent=university.li, name="李小雨", gender="F", birth_date=d(2018, 1, 20)),
        "xiaojun": Child.objects.create(parent=university.wang, name="王小军", gender="M", birth_date=d(2009, 5, 1)),
        "xiaobao": Child.objects.create(parent=university.zhao, name="赵小宝", gender="M", birth_date=d(2015, 3, 1)),
    }
    return SimpleNamespace(
        u=university,
        users=users,
        office=office,
        admissions=users["admissions"],
        parent=users["member"],
        officer=users["sub_union_officer"],
        schools=schools,
        rules=rules,
        campaign=campaign,
        kids=kids,
    )


@pytest.fixture
def w(clock, university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return admissions_world(university)


def counts() -> dict[str, int]:
    """What a refused action must leave as it was."""
    return {
        "requests": AdmissionRequest.objects.count(),
        "request_events": AdmissionRequestEvent.objects.count(),
        "campaign_events": CampaignEvent.objects.count(),
        "documents": RequestDocument.objects.count(),
        "lines": SurveyLine.objects.count(),
        "records": ChildRecord.objects.count(),
        "attachments": Attachment.objects.count(),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def open_requests(w):
    from gonghui.admissions.services.campaigns import campaign_open_requests

    return campaign_open_requests(actor=w.admissions, campaign=w.campaign)


def draft_request(w, *, actor=None, child="xiaoming", school="fx", housing=Housing.OWNED, **extra):
    from gonghui.admissions.services.requests import request_create

    return request_create(
        actor=actor or w.parent,
        campaign=w.campaign,
        child=w.kids[child],
        school=w.schools[school],
        hukou_district="海淀区",
        housing=housing,
        **extra,
    )


def upload_all(w, request, codes=REQUIRED_OWNED, actor=None):
    from gonghui.admissions.services.requests import document_upload

    return [
        document_upload(actor=actor or w.parent, request=request, code=code, uploaded_file=pdf(f"{code}.pdf"))
        for code in codes
    ]

"""The admissions API: schools and rules read by everyone signed in and written by the office;
the year's campaign moved on by the office; survey lines, requests and their documents scoped
to the parent, the parent's sub-union officer and the admissions officer (the plain union
office, the auditor, another parent and another sub-union's officer get none: exact counts,
404 for a record, and a refused write changes nothing); each request step by whom the
workflow allows; policy notes, visits with sign-up, consultations; demand as figures only.

The world: tests/conftest.py (`w`): 张伟 (E0001, 经济学院) with 张小明 (primary 2021) and
张小红; 李娜 (经济学院第一小组) with 李小雨 (kindergarten 2021); 王芳 (法学院) with 王小军
(junior 2021); the 2021 campaign, a draft."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from gonghui.admissions.choices import CampaignStatus, Need, RequestStatus
from gonghui.admissions.models import (
    AdmissionRequest,
    Campaign,
    Consultation,
    PolicyNote,
    RequestDocument,
    School,
    SchoolVisit,
    SurveyLine,
    VisitSignup,
)
from gonghui.admissions.services import advice
from gonghui.admissions.services import requests as svc
from gonghui.admissions.services.campaigns import campaign_open_survey
from gonghui.admissions.tests.conftest import counts, draft_request, open_requests, upload_all
from gonghui.core.models import AuditEvent

pytestmark = pytest.mark.django_db

d = datetime.date
NOT_FOUND = {"message": "未找到。", "extra": {}}
FORBIDDEN = {"message": "您没有执行该操作的权限。", "extra": {}}
# who must never reach a child's row of 经济学院 (张伟's)
OUTSIDERS = ("union_office", "auditor", "administrator", "wang", "law_officer", "welfare_committee")


def url(name: str, *args) -> str:
    return reverse(f"api-admissions-{name}", args=args)


def as_user(client, w, who: str):
    client.force_login(w.users[who])
    return client


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def everything() -> dict:
    return {
        **counts(),
        "schools": School.objects.count(),
        "campaigns": list(Campaign.objects.order_by("pk").values_list("status", flat=True)),
        "statuses": list(AdmissionRequest.objects.order_by("pk").values_list("status", flat=True)),
        "checked": list(RequestDocument.objects.order_by("pk").values_list("checked", flat=True)),
        "notes": list(PolicyNote.objects.order_by("pk").values_list("status", flat=True)),
        "consultations": Consultation.objects.count(),
        "signups": VisitSignup.objects.count(),
        "all_audit": AuditEvent.objects.count(),
    }


def submitted(w, child="xiaoming", actor=None):
    request = draft_request(w, child=child, actor=actor)
    upload_all(w, request, actor=actor)
    return svc.request_submit(actor=actor or w.parent, request=request)


def checked(w, request):
    for document in request.documents.all():
        svc.document_check(actor=w.admissions, document=document)
    return svc.request_check(actor=w.admissions, request=request)


@pytest.fixture
def reqs(w):
    """Requests in the 2021 campaign: 张小明's submitted (经济学院), 李小雨's a draft (经济学院's
    group), 王小军's submitted (法学院)."""
    open_requests(w)
    return {
        "zhang": submitted(w, "xiaoming"),
        "li": draft_request(w, child="xiaoyu", school="gj", actor=w.users["li"]),
        "wang": _wang(w),
    }


def _wang(w):
    """王小军 to 附属中学, submitted by the admissions officer for 王芳."""
    request = draft_request(w, child="xiaojun", school="fz", actor=w.admissions)
    upload_all(w, request, actor=w.admissions)
    return svc.request_submit(actor=w.admissions, request=request)


# --- schools and rules --------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_schools_and_rules(client, w):
    for who in ("member", "auditor", "welfare_committee"):
        as_user(client, w, who)
        data = client.get(url("school-list")).json()
        assert data["count"] == 6
        assert [row["code"] for row in data["results"]] == ["gj", "tr", "fx", "fx2", "hd", "fz"]
        gj = data["results"][0]
        assert (gj["kind"], gj["stage"], gj["affiliation"], gj["takes_requests"]) == (
            "kindergarten",
            "nursery",
            "co_built",
            True,
        )
    assert client.get(url("school-list"), {"kind": "primary"}).json()["count"] == 3
    assert client.get(url("school-list"), {"affiliation": "other"}).json()["count"] == 1
    rules = client.get(url("rules-list")).json()
    assert [(r["year"], r["status"]) for r in rules["results"]] == [(2021, "adopted")]
    detail = client.get(url("rules-detail", w.rules.pk)).json()
    assert [b["label"] for b in detail["batches"]] == ["在编教职工子女", "教职工孙子女、外孙子女", "合同制教职工子女"]
    assert detail["batches"][2]["categories"] == ["人事代理", "合同制"]
    assert [doc["code"] for doc in detail["documents"]][:4] == [
        "unit_form",
        "hukou",
        "birth_certificate",
        "vaccination",
    ]
    assert detail["places"] == [{"school_code": "fx", "places": 20, "note": ""}]
    assert detail["ages"]["primary_months"] == 72
    client.logout()
    assert client.get(url("school-list")).status_code == 401


def test_the_office_adds_and_changes_schools_others_are_refused(client, w):
    body = {
        "code": "gj2",
        "name": "共建第二幼儿园",
        "kind": "kindergarten",
        "district": "朝阳区",
        "affiliation": "co_built",
    }
    for who in ("member", "sub_union_officer", "auditor"):
        before = everything()
        response = post(as_user(client, w, who), url("school-list"), body)
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
        assert everything() == before
    response = post(as_user(client, w, "union_office"), url("school-list"), body)
    assert response.status_code == 201
    made = School.objects.get(code="gj2")
    assert (response.json()["id"], made.district, made.affiliation) == (made.pk, "朝阳区", "co_built")
    # a taken code, an unknown kind: 400, nothing written
    before = everything()
    response = post(client, url("school-list"), {**body, "name": "别的幼儿园"})
    assert (response.status_code, response.json()["message"]) == (400, "学校代码“gj2”已被使用。")
    response = post(client, url("school-list"), {**body, "code": "x", "kind": "university"})
    assert response.status_code == 400 and "kind" in response.json()["extra"]["fields"]
    assert everything() == before
    response = client.put(url("school-detail", made.pk), {"contact_name": "王园长"}, content_type="application/json")
    assert (response.status_code, response.json()["contact_name"], response.json()["name"]) == (
        200,
        "王园长",
        "共建第二幼儿园",
    )
    before = everything()
    as_user(client, w, "auditor")
    response = client.put(url("school-detail", made.pk), {"name": "改名"}, content_type="application/json")
    assert response.status_code == 403
    assert everything() == before and School.objects.get(pk=made.pk).name == "共建第二幼儿园"


# --- campaigns and the survey -------------------------------------------------------------------


def test_a_draft_campaign_is_the_offices_and_only_the_office_moves_it_on(client, w):
    for who in ("member", "sub_union_officer", "welfare_committee"):
        as_user(client, w, who)
        assert client.get(url("campaign-list")).json()["count"] == 0
        assert client.get(url("campaign-detail", w.campaign.pk)).status_code == 404
    # auditors read everything the office does, drafts too
    assert as_user(client, w, "auditor").get(url("campaign-list")).json()["count"] == 1
    for who in ("member", "sub_union_officer", "auditor", "welfare_committee"):
        before = everything()
        response = post(as_user(client, w, who), url("campaign-step", w.campaign.pk, "open_survey"))
        assert response.status_code == 403
        assert everything() == before
    as_user(client, w, "union_office")
    detail = client.get(url("campaign-detail", w.campaign.pk)).json()
    assert [s["step"] for s in detail["next_steps"]] == ["open_survey", "open_requests"]
    response = post(client, url("campaign-step", w.campaign.pk, "open_survey"))
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["next_steps"][0]["step"]) == ("survey", "open_requests")
    # the plain office opened it, yet sees none of its children's lines
    assert (data["survey_lines"], data["survey_answered"]) == (0, 0)
    assert SurveyLine.objects.filter(campaign=w.campaign).count() == 3
    # a step the table has not: 400, nothing written
    before = everything()
    response = post(client, url("campaign-step", w.campaign.pk, "close"))
    assert response.status_code == 400
    assert post(client, url("campaign-step", w.campaign.pk, "nonsense")).status_code == 404
    assert everything() == before
    as_user(client, w, "member")
    assert [c["status"] for c in client.get(url("campaign-list")).json()["results"]] == ["survey"]
    assert client.get(url("campaign-detail", w.campaign.pk)).json()["survey_lines"] == 1


@pytest.fixture
def surveyed(w):
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    return {line.child.name: line for line in SurveyLine.objects.filter(campaign=w.campaign).select_related("child")}


def test_survey_lines_reach_only_the_parent_their_officer_and_the_admissions_officer(client, w, surveyed):
    assert set(surveyed) == {"张小明", "李小雨", "王小军"}
    seen = {
        "admissions": 3,
        "admissions_officer": 3,
        "sub_union_officer": 2,  # 经济学院 with its group: 张小明, 李小雨
        "member": 1,
        "li": 1,
        "wang": 1,
        "law_officer": 1,
        "union_office": 0,
        "auditor": 0,
        "administrator": 0,
        "welfare_committee": 0,
    }
    for who, count in seen.items():
        as_user(client, w, who)
        data = client.get(url("survey-line-list", w.campaign.pk)).json()
        assert data["count"] == count, who
    as_user(client, w, "member")
    (row,) = client.get(url("survey-line-list", w.campaign.pk)).json()["results"]
    assert (row["child_name"], row["stage"], row["need"], row["parent"]["staff_no"]) == (
        "张*明",
        "primary",
        "",
        "E0001",
    )
    body = str(client.get(url("survey-line-list", w.campaign.pk)).content.decode())
    assert "张小明" not in body
    as_user(client, w, "sub_union_officer")
    pending = client.get(url("survey-line-list", w.campaign.pk), {"pending": "true", "sub_union": w.u.econ_group.pk})
    assert [r["child_name"] for r in pending.json()["results"]] == ["李*雨"]


def test_the_survey_board_counts_the_callers_sub_unions(client, w, surveyed):
    svc_answer = {"need": "yes", "school": w.schools["fx"].pk, "alternative": w.schools["fx2"].pk}
    assert (
        post(as_user(client, w, "member"), url("survey-answer", surveyed["张小明"].pk), svc_answer).status_code == 200
    )
    as_user(client, w, "admissions_officer")
    rows = {row["sub_union_name"]: row for row in client.get(url("survey-board", w.campaign.pk)).json()}
    assert {
        name: (r["eligible"], r["answered"], r["yes"], r["children"], r["children_yes"]) for name, r in rows.items()
    } == {
        "经济学院分工会": (2, 1, 1, 2, 1),
        "法学院分工会": (1, 0, 0, 1, 0),
    }
    as_user(client, w, "sub_union_officer")
    assert [r["sub_union_name"] for r in client.get(url("survey-board", w.campaign.pk)).json()] == ["经济学院分工会"]
    for who in ("union_office", "administrator", "auditor", "member"):
        assert as_user(client, w, who).get(url("survey-board", w.campaign.pk)).status_code == 403, who


def test_a_survey_answer_by_the_parent_or_their_officer_not_by_others(client, w, surveyed):
    line = surveyed["张小明"]
    body = {"need": "yes", "school": w.schools["fx"].pk, "alternative": w.schools["fx2"].pk, "housing": "owned"}
    for who in OUTSIDERS:
        before = everything()
        response = post(as_user(client, w, who), url("survey-answer", line.pk), body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), who
        assert everything() == before
    # a school of another stage: 400 with the stage named, nothing written
    before = everything()
    response = post(as_user(client, w, "member"), url("survey-answer", line.pk), {**body, "school": w.schools["gj"].pk})
    assert (response.status_code, response.json()["message"]) == (400, "共建幼儿园（幼儿园）不招收幼升小的子女。")
    response = post(client, url("survey-answer", line.pk), {**body, "school": 999999})
    assert (response.status_code, response.json()["extra"]) == (400, {"field": "school"})
    assert everything() == before
    response = post(client, url("survey-answer", line.pk), body)
    assert response.status_code == 200
    data = response.json()
    assert (data["need"], data["school"]["code"], data["alternative"]["code"], data["housing"]) == (
        "yes",
        "fx",
        "fx2",
        "owned",
    )
    response = post(as_user(client, w, "sub_union_officer"), url("survey-answer", line.pk), {"need": "no"})
    line.refresh_from_db()
    assert (response.status_code, line.need, line.school, line.answered_by) == (200, Need.NO, None, w.officer)


# --- requests -----------------------------------------------------------------------------------


def test_requests_reach_only_the_parent_their_officer_and_the_admissions_officer(client, w, reqs):
    seen = {
        "admissions_officer": 3,
        "sub_union_officer": 2,
        "member": 1,
        "li": 1,
        "wang": 1,
        "law_officer": 1,
        "union_office": 0,
        "auditor": 0,
        "administrator": 0,
        "welfare_committee": 0,
    }
    for who, count in seen.items():
        as_user(client, w, who)
        assert client.get(url("request-list", w.campaign.pk)).json()["count"] == count, who
    as_user(client, w, "admissions_officer")
    rows = client.get(url("request-list", w.campaign.pk), {"status": "submitted"}).json()["results"]
    assert [(r["number"], r["child_name"], r["status"], r["batch_position"]) for r in rows] == [
        ("2021-0001", "张*明", "submitted", 1),
        ("2021-0003", "王*军", "submitted", 1),
    ]
    (draft,) = client.get(url("request-list", w.campaign.pk), {"status": "draft"}).json()["results"]
    assert (draft["number"], draft["child_name"], draft["batch_position"]) == ("2021-0002", "李*雨", None)
    assert client.get(url("request-list", w.campaign.pk), {"sub_union": w.u.law.pk}).json()["count"] == 1
    zhang = reqs["zhang"]
    for who in OUTSIDERS:
        as_user(client, w, who)
        assert client.get(url("request-detail", zhang.pk)).status_code == 404, who
        assert client.get(url("document-list", zhang.pk)).status_code == 404, who
    as_user(client, w, "member")
    data = client.get(url("request-detail", zhang.pk)).json()
    assert (data["child_name"], data["birth_date"], data["missing"]) == ("张小明", "2015-06-10", [])
    assert [(doc["code"], doc["uploaded"], doc["checked"]) for doc in data["documents"]] == [
        ("unit_form", True, False),
        ("hukou", True, False),
        ("birth_certificate", True, False),
        ("vaccination", True, False),
        ("deed", True, False),
    ]
    assert [s["step"] for s in data["next_steps"]] == ["withdraw"]
    as_user(client, w, "sub_union_officer")
    assert [s["step"] for s in client.get(url("request-detail", zhang.pk)).json()["next_steps"]] == ["return"]


def test_a_request_created_for_a_child_the_caller_may_act_for(client, w):
    open_requests(w)
    body = {
        "child": w.kids["xiaoming"].pk,
        "school": w.schools["fx"].pk,
        "hukou_district": "海淀区",
        "housing": "owned",
    }
    for who in OUTSIDERS:
        before = everything()
        response = post(as_user(client, w, who), url("request-list", w.campaign.pk), body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), who
        assert everything() == before
    # the stage does not match the school: the message names the stage and the entry year
    before = everything()
    response = post(
        as_user(client, w, "member"), url("request-list", w.campaign.pk), {**body, "school": w.schools["fz"].pk}
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("张*明（2015-06-10 出生）按 8 月 31 日计算，应于 2027 年小升初")
    assert everything() == before
    response = post(client, url("request-list", w.campaign.pk), body)
    assert response.status_code == 201
    data = response.json()
    assert (data["number"], data["status"], data["child_name"], data["stage"]) == (
        "2021-0001",
        "draft",
        "张小明",
        "primary",
    )
    assert data["missing"] == ["单位盖章的申请表", "户口簿", "出生医学证明", "预防接种证", "房产证"]
    # a duplicate for the same child and year: 400, nothing written
    before = everything()
    response = post(as_user(client, w, "sub_union_officer"), url("request-list", w.campaign.pk), body)
    assert response.status_code == 400 and "不能重复申请" in response.json()["message"]
    assert everything() == before
    # submitting without the documents: 400 listing them
    response = post(as_user(client, w, "member"), url("request-submit", data["id"]))
    assert (response.status_code, response.json()["extra"]["missing"]) == (400, data["missing"])
    assert everything() == before


def test_each_request_step_by_whom_the_workflow_allows(client, w, reqs):
    zhang = reqs["zhang"]
    refused = {
        "check": ("member", *OUTSIDERS),
        "return": ("member", *OUTSIDERS),
        "refer": ("member", "sub_union_officer", *OUTSIDERS),
        "answer": ("member", "sub_union_officer", *OUTSIDERS),
        "withdraw": ("sub_union_officer", *OUTSIDERS),
    }
    bodies = {"return": {"reason": "户口簿不清晰"}, "answer": {"placed": True}}
    for step, whom in refused.items():
        for who in whom:
            before = everything()
            response = post(as_user(client, w, who), url(f"request-{step}", zhang.pk), bodies.get(step))
            assert (response.status_code, response.json()) == (404, NOT_FOUND), (step, who)
            assert everything() == before
    # the officer checks: not before every document is checked off (400, nothing written)
    as_user(client, w, "sub_union_officer")
    before = everything()
    response = post(client, url("request-check", zhang.pk))
    assert (response.status_code, response.json()["message"]) == (400, "还有 5 份材料未核对。")
    assert everything() == before
    # a document of another sub-union's request: 404; the parent may not check: 404
    wang_doc = reqs["wang"].documents.first()
    assert post(client, url("document-check", wang_doc.pk)).status_code == 404
    own_doc = zhang.documents.first()
    assert post(as_user(client, w, "member"), url("document-check", own_doc.pk)).status_code == 404
    assert everything() == before
    as_user(client, w, "sub_union_officer")
    for document in zhang.documents.all():
        response = post(client, url("document-check", document.pk), {"checked": True})
        assert response.status_code == 200
    assert all(doc["checked"] for doc in response.json()["documents"])
    response = post(client, url("request-check", zhang.pk), {"message": "材料齐全"})
    assert (response.status_code, response.json()["status"]) == (200, "checked")
    as_user(client, w, "admissions_officer")
    assert post(client, url("request-refer", zhang.pk)).json()["status"] == "referred"
    # placed at a school it did not ask for: 400
    before = everything()
    response = post(client, url("request-answer", zhang.pk), {"placed": True, "school": w.schools["gj"].pk})
    assert (response.status_code, response.json()["message"]) == (400, "录取学校须为申请的意向学校或备选学校。")
    assert everything() == before
    response = post(client, url("request-answer", zhang.pk), {"placed": True, "note": "9月1日报到"})
    data = response.json()
    assert (data["status"], data["placed_school"]["code"], data["answer_source"], data["answer_note"]) == (
        "placed",
        "fx",
        "manual",
        "9月1日报到",
    )
    # returned by the officer, withdrawn by the parent
    wang = reqs["wang"]
    response = post(as_user(client, w, "law_officer"), url("request-return", wang.pk), {})
    assert response.status_code == 400 and "reason" in response.json()["extra"]["fields"]
    response = post(client, url("request-return", wang.pk), {"reason": "请补充房产证"})
    assert response.json()["status"] == "draft"
    response = post(as_user(client, w, "wang"), url("request-withdraw", wang.pk), {"message": "已自行解决"})
    assert response.json()["status"] == "withdrawn"
    statuses = dict(AdmissionRequest.objects.values_list("number", "status"))
    assert statuses == {"2021-0001": RequestStatus.PLACED, "2021-0002": RequestStatus.DRAFT, "2021-0003": "withdrawn"}


def test_a_late_submission_is_self_arranged_not_an_error(client, w, reqs, clock):
    li = reqs["li"]
    upload_all(w, li, actor=w.users["li"])
    clock.move_to(datetime.datetime(2021, 6, 2, 9, tzinfo=datetime.UTC))
    response = post(as_user(client, w, "li"), url("request-submit", li.pk))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["late"]) == ("self_arranged", True)


# --- notes, visits, consultations, demand -------------------------------------------------------


def test_policy_notes_published_to_all_written_by_the_office(client, w):
    body = {"year": 2021, "district": "海淀区", "title": "2021年海淀区入学政策要点", "body": "多校划片。"}
    for who in ("member", "sub_union_officer", "auditor"):
        before = everything()
        assert post(as_user(client, w, who), url("note-list"), body).status_code == 403
        assert everything() == before
    response = post(as_user(client, w, "union_office"), url("note-list"), body)
    assert (response.status_code, response.json()["status"]) == (201, "draft")
    pk = response.json()["id"]
    assert [s["step"] for s in response.json()["next_steps"]] == ["publish"]
    assert client.get(url("note-list")).json()["count"] == 1
    as_user(client, w, "member")
    assert client.get(url("note-list")).json()["count"] == 0
    before = everything()
    assert post(client, url("note-publish", pk)).status_code == 403
    assert everything() == before
    assert post(as_user(client, w, "admissions_officer"), url("note-publish", pk)).json()["status"] == "published"
    as_user(client, w, "member")
    notes = client.get(url("note-list"), {"district": "海淀区", "year": 2021}).json()
    assert [(n["title"], n["next_steps"]) for n in notes["results"]] == [("2021年海淀区入学政策要点", [])]
    response = post(as_user(client, w, "union_office"), url("note-withdraw", pk), {"reason": "政策调整"})
    assert response.json()["status"] == "withdrawn"
    assert as_user(client, w, "member").get(url("note-list")).json()["count"] == 0


def test_visits_with_sign_up(client, w):
    visit = advice.visit_create(
        actor=w.office, school=w.schools["fx"], visit_on=d(2021, 4, 10), capacity=1, signup_until=d(2021, 4, 1)
    )
    as_user(client, w, "member")
    (row,) = client.get(url("visit-list")).json()["results"]
    assert (row["school"]["code"], row["capacity"], row["places_left"], row["mine"]) == ("fx", 1, 1, False)
    # no person behind the account: refused, nothing written
    before = everything()
    assert post(as_user(client, w, "union_office"), url("visit-signup", visit.pk)).status_code == 403
    assert everything() == before
    response = post(as_user(client, w, "member"), url("visit-signup", visit.pk))
    assert (response.json()["signed_up"], response.json()["places_left"], response.json()["mine"]) == (1, 0, True)
    before = everything()
    response = post(as_user(client, w, "li"), url("visit-signup", visit.pk))
    assert (response.status_code, response.json()["message"]) == (400, "本次参观 1 个名额已满。")
    response = post(client, url("visit-signup-cancel", visit.pk))
    assert (response.status_code, response.json()["message"]) == (400, "您没有报名本次参观。")
    assert everything() == before
    response = post(as_user(client, w, "member"), url("visit-signup-cancel", visit.pk))
    assert (response.json()["signed_up"], response.json()["mine"]) == (0, False)
    assert SchoolVisit.objects.get().status == "open"


def test_consultations_logged_by_the_admissions_officer_read_by_whoever_asked(client, w):
    body = {
        "staff_no": "E0001",
        "asked_on": "2021-03-12",
        "channel": "phone",
        "stage": "primary",
        "district": "海淀区",
        "question": "租房能否入附小？",
        "answer": "须提供租房合同及居住证明。",
    }
    for who in ("union_office", "administrator", "sub_union_officer", "member"):
        before = everything()
        assert post(as_user(client, w, who), url("consultation-list"), body).status_code == 403, who
        assert everything() == before
    as_user(client, w, "admissions_officer")
    before = everything()
    response = post(client, url("consultation-list"), {**body, "staff_no": "X9999"})
    assert (response.status_code, response.json()["extra"]) == (400, {"field": "staff_no"})
    assert everything() == before
    response = post(client, url("consultation-list"), body)
    assert (response.status_code, response.json()["person"]["name"]) == (201, "张伟")
    post(client, url("consultation-list"), {**body, "staff_no": "", "question": "匿名来电"})
    seen = {"admissions_officer": 2, "member": 1, "li": 0, "sub_union_officer": 0, "union_office": 0, "auditor": 0}
    for who, count in seen.items():
        assert as_user(client, w, who).get(url("consultation-list")).json()["count"] == count, who


def test_demand_is_figures_for_the_office_and_auditors(client, w, surveyed):
    as_user(client, w, "member")
    post(client, url("survey-answer", surveyed["张小明"].pk), {"need": "yes", "school": w.schools["fx"].pk})
    post(
        as_user(client, w, "wang"),
        url("survey-answer", surveyed["王小军"].pk),
        {"need": "yes", "school": w.schools["fz"].pk},
    )
    for who in ("member", "sub_union_officer", "welfare_committee"):
        assert as_user(client, w, who).get(url("demand")).status_code == 403
    for who in ("union_office", "admissions_officer", "auditor"):
        data = as_user(client, w, who).get(url("demand"), {"year": 2021}).json()
        assert data["years"] == [2021]
        assert [(r["stage"], r["demand"], r["places"], r["unmet"]) for r in data["rows"]] == [
            ("primary", 1, 20, 1),
            ("junior", 1, 0, 1),
        ]
        body = str(data)
        assert "张" not in body and "王" not in body
    data = client.get(url("demand"), {"year": 2021, "by": "school"}).json()
    assert [(r["school"], r["demand"], r["shortfall"]) for r in data["rows"]] == [("fx", 1, 0), ("fz", 1, 1)]
    assert [(s["stage"], s["school"], s["shortfall"]) for s in data["shortages"]] == [
        ("junior", None, 1),
        ("junior", "fz", 1),
    ]
    assert client.get(url("demand"), {"by": "everything"}).status_code == 400
    assert Campaign.objects.get().status == CampaignStatus.SURVEY

"""The admissions pages through the test client: who gets each page and what it shows
(exactly), that a page or a button of another parent's or another sub-union's child is not
there (404) or refused (403) with nothing written, and that each post does what it says."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from gonghui.admissions.choices import CampaignStatus, Housing, Need, PolicyNoteStatus, RequestStatus, VisitStatus
from gonghui.admissions.models import (
    AdmissionRequest,
    AdmissionRules,
    Campaign,
    Consultation,
    PolicyNote,
    RequestDocument,
    School,
    SchoolVisit,
    SurveyLine,
    VisitSignup,
)
from gonghui.admissions.services.campaigns import campaign_open_survey
from gonghui.admissions.services.requests import document_check, request_check, request_submit
from gonghui.admissions.services.survey import survey_answer
from gonghui.admissions.tests.conftest import REQUIRED_OWNED, draft_request, open_requests, pdf, upload_all
from gonghui.admissions.workbench import admissions_cards, admissions_todos
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db

d = datetime.date


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _refused(client, user, method, url, data=None, status=404):
    """`user` gets `status` and nothing in the database changes."""
    client.force_login(user)
    before = table_counts()
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert changed_tables(before, table_counts()) == {}


def _surveying(w):
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    w.campaign.refresh_from_db()
    return w


def _line(w, child):
    return SurveyLine.objects.get(child=w.kids[child])


def _submitted(w, child="xiaoming"):
    """张小明's request to 附属小学, with the documents, submitted."""
    request = draft_request(w, child=child)
    upload_all(w, request)
    return request_submit(actor=w.parent, request=request)


def _checked(w):
    request = _submitted(w)
    for document in request.documents.all():
        document_check(actor=w.officer, document=document)
    return request_check(actor=w.officer, request=request)


# --- campaigns ---------------------------------------------------------------------------------


def test_the_campaigns_for_the_office_and_the_officer_and_not_a_member(client, w):
    page = _text(_as(client, w.admissions).get(reverse("admissions:campaigns")))
    assert page.count('data-testid="campaign"') == 1 and "2021年教职工子女入托入学" in page
    assert 'data-testid="new-campaign"' in page and 'data-testid="request-count">0 份申请<' in page
    # the plain office runs the year but does not count children's requests here
    office = _text(_as(client, w.office).get(reverse("admissions:campaigns")))
    assert 'data-testid="new-campaign"' in office and 'data-testid="request-count"' not in office
    # a draft is the office's; an officer sees the campaign once it is open
    assert _text(_as(client, w.officer).get(reverse("admissions:campaigns"))).count('data-testid="campaign"') == 0
    _surveying(w)
    officer = _text(client.get(reverse("admissions:campaigns")))
    assert officer.count('data-testid="campaign"') == 1 and 'data-testid="new-campaign"' not in officer
    assert _as(client, w.parent).get(reverse("admissions:campaigns")).status_code == 403


def test_the_office_creates_a_campaign(client, w):
    from gonghui.admissions.tests.conftest import rules_for

    rules = rules_for(w.office, 2022)
    page = _text(_as(client, w.office).get(reverse("admissions:campaign_create")))
    assert 'name="year" value="2022"' in page
    response = client.post(reverse("admissions:campaign_create"), {"year": 2022, "rules": rules.pk, "name": ""})
    campaign = Campaign.objects.get(year=2022)
    assert response.status_code == 302 and response.url == reverse("admissions:campaign", args=[campaign.pk])
    assert (campaign.status, campaign.rules) == (CampaignStatus.DRAFT, rules)
    # the same year again: the service's refusal on the form, nothing written
    before = table_counts()
    again = client.post(reverse("admissions:campaign_create"), {"year": 2022, "rules": rules.pk})
    assert again.status_code == 400 and changed_tables(before, table_counts()) == {}
    _refused(client, w.officer, "get", reverse("admissions:campaign_create"), status=403)


def test_the_campaign_page_steps_and_board(client, w):
    url = reverse("admissions:campaign", args=[w.campaign.pk])
    page = _text(_as(client, w.admissions).get(url))
    assert 'data-testid="step-open_survey"' in page and 'data-testid="step-open_requests"' in page
    assert "本年度还没有摸底名单。" in page
    response = client.post(reverse("admissions:campaign_step", args=[w.campaign.pk, "open_survey"]), follow=True)
    assert _messages(response) == ["已开始需求摸底：摸底名单已生成 3 人。"]
    w.campaign.refresh_from_db()
    assert w.campaign.status == CampaignStatus.SURVEY
    page = _text(client.get(url))
    board = page[page.index('data-testid="survey-board"') :]
    assert board.count("<tr>") == 4  # header, 经济学院, 法学院 … and the footer's
    assert "经济学院分工会" in board and "法学院分工会" in board
    # a step that is not the user's, a step that does not exist: not there, nothing written
    _refused(client, w.officer, "post", reverse("admissions:campaign_step", args=[w.campaign.pk, "open_requests"]))
    _refused(client, w.admissions, "post", reverse("admissions:campaign_step", args=[w.campaign.pk, "nothing"]))
    _refused(client, w.parent, "get", url, status=403)
    # the officer reads the campaign, without the steps, with their own sub-union's row
    officer = _text(_as(client, w.officer).get(url))
    assert 'data-testid="campaign-steps"' not in officer
    board = officer[officer.index('data-testid="survey-board"') :]
    assert "经济学院分工会" in board and "法学院分工会" not in board


# --- the survey ----------------------------------------------------------------------------------


def test_the_survey_lines_by_who_sees_which_child(client, w):
    _surveying(w)
    url = reverse("admissions:survey", args=[w.campaign.pk])
    page = _text(_as(client, w.admissions).get(url))
    assert page.count('data-testid="survey-line"') == 3
    assert "张*明" in page and "李*雨" in page and "王*军" in page and "张小明" not in page
    econ = _text(_as(client, w.officer).get(url))
    assert econ.count('data-testid="survey-line"') == 2 and "王*军" not in econ
    law = _text(_as(client, w.users["law_officer"]).get(url))
    assert law.count('data-testid="survey-line"') == 1 and "王*军" in law
    # the plain office, a parent: no children's rows
    _refused(client, w.office, "get", url, status=403)
    _refused(client, w.parent, "get", url, status=403)


def test_an_officer_answers_for_a_parent_and_not_for_another_sub_unions_child(client, w):
    _surveying(w)
    line = _line(w, "xiaoming")
    url = reverse("admissions:survey_answer", args=[line.pk])
    data = {
        "prefix": f"l{line.pk}",
        f"l{line.pk}-need": Need.YES,
        f"l{line.pk}-school": w.schools["fx"].pk,
        f"l{line.pk}-alternative": w.schools["fx2"].pk,
        f"l{line.pk}-hukou_district": "海淀区",
        f"l{line.pk}-housing": Housing.OWNED,
    }
    _refused(client, w.users["law_officer"], "post", url, data)
    _refused(client, w.users["wang"], "post", url, data)
    response = _as(client, w.officer).post(url, data, follow=True)
    assert _messages(response) == ["已记录张小明的摸底：需要。"]
    line.refresh_from_db()
    assert (line.need, line.school, line.alternative, line.answered_by) == (
        Need.YES, w.schools["fx"], w.schools["fx2"], w.officer
    )  # fmt: skip
    # a school of another stage: the service's refusal as a message, nothing written
    before = table_counts()
    bad = {**data, f"l{line.pk}-school": w.schools["fz"].pk}
    response = client.post(url, bad, follow=True)
    assert len(_messages(response)) == 1 and changed_tables(before, table_counts()) == {}
    pending = _text(client.get(reverse("admissions:survey", args=[w.campaign.pk]), {"pending": "1"}))
    assert pending.count('data-testid="survey-line"') == 1 and "李*雨" in pending


# --- the portal -------------------------------------------------------------------------------


def test_my_children_shows_stages_and_the_survey_to_answer(client, w):
    page = _text(_as(client, w.parent).get(reverse("admissions:mine")))
    assert page.count('data-testid="my-child"') == 2  # the draft campaign is not the member's
    _surveying(w)
    page = _text(client.get(reverse("admissions:mine")))
    assert page.count('data-testid="my-child"') == 2
    assert "幼升小：2021 年入学" in page and "小升初：2027 年入学" in page
    assert "入托入园：2022 年入学" in page
    assert page.count('data-testid="this-year"') == 1 and page.count('data-testid="survey-link"') == 1
    assert 'data-testid="request-new"' not in page
    line = _line(w, "xiaoming")
    form = _text(client.get(reverse("admissions:mine_survey", args=[line.pk])))
    assert "附属小学（小学，海淀区）" in form and "附属中学" not in form
    response = client.post(
        reverse("admissions:survey_answer", args=[line.pk]),
        {"need": Need.YES, "school": w.schools["fx"].pk, "hukou_district": "海淀区", "housing": Housing.OWNED},
    )
    assert response.status_code == 302 and response.url == reverse("admissions:mine")
    line.refresh_from_db()
    assert (line.need, line.school, line.answered_by) == (Need.YES, w.schools["fx"], w.parent)
    # another parent's line: not there
    _refused(client, w.users["wang"], "get", reverse("admissions:mine_survey", args=[line.pk]))


def test_a_parent_requests_uploads_and_submits(client, w):
    _surveying(w)
    open_requests(w)
    child = w.kids["xiaoming"]
    page = _text(_as(client, w.parent).get(reverse("admissions:mine")))
    assert page.count('data-testid="request-new"') == 1
    form = _text(client.get(reverse("admissions:request_new", args=[child.pk])))
    assert "附属小学（小学，海淀区）" in form and "海淀某小学" not in form
    # the sister is not of this year's stage: the form is there only for this year's child
    response = client.post(
        reverse("admissions:request_new", args=[child.pk]),
        {"school": w.schools["fx"].pk, "relation": "child", "hukou_district": "海淀区", "housing": Housing.OWNED},
    )
    request = AdmissionRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admissions:request", args=[request.pk]) + "#documents"
    assert (request.status, request.number, request.school) == (RequestStatus.DRAFT, "2021-0001", w.schools["fx"])
    page = _text(client.get(reverse("admissions:request", args=[request.pk])))
    assert page.count('data-testid="document"') == 5  # four for everyone, the deed for owned housing
    assert "还缺：单位盖章的申请表、户口簿、出生医学证明、预防接种证、房产证" in page
    # submitting before the documents: refused with the list, nothing written
    before = table_counts()
    response = client.post(reverse("admissions:request_submit", args=[request.pk]), follow=True)
    assert _messages(response) == [
        "还缺以下材料，请上传后再提交：单位盖章的申请表、户口簿、出生医学证明、预防接种证、房产证。"
    ]
    assert changed_tables(before, table_counts()) == {}
    for code in REQUIRED_OWNED:
        response = client.post(
            reverse("admissions:document_upload", args=[request.pk]),
            {"code": code, "file": pdf(f"{code}.pdf")},
            follow=True,
        )
        assert _messages(response)[-1].startswith("已上传：")
    assert RequestDocument.objects.filter(request=request).count() == 5
    response = client.post(reverse("admissions:request_submit", args=[request.pk]), follow=True)
    assert _messages(response) == ["申请已提交，等待分工会审核。"]
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    # another parent, another sub-union's officer: the request is not there
    _refused(client, w.users["wang"], "get", reverse("admissions:request", args=[request.pk]))
    _refused(client, w.users["law_officer"], "post", reverse("admissions:request_check", args=[request.pk]))
    _refused(client, w.users["wang"], "post", reverse("admissions:request_withdraw", args=[request.pk]))


def test_the_officer_checks_the_documents_and_the_request_and_the_office_refers(client, w):
    _surveying(w)
    open_requests(w)
    request = _submitted(w)
    url = reverse("admissions:request", args=[request.pk])
    page = _text(_as(client, w.officer).get(url))
    assert page.count('data-testid="check-') == 5 and 'data-testid="refer"' not in page
    # the check before the documents are checked off: refused, nothing written
    before = table_counts()
    response = client.post(reverse("admissions:request_check", args=[request.pk]), follow=True)
    assert _messages(response) == ["还有 5 份材料未核对。"] and changed_tables(before, table_counts()) == {}
    for document in request.documents.all():
        response = client.post(reverse("admissions:document_check", args=[document.pk]), {"checked": "on"}, follow=True)
        assert _messages(response) == [f"已核对：{document.label}。"]
    assert request.documents.filter(checked=True).count() == 5
    response = client.post(reverse("admissions:request_check", args=[request.pk]), follow=True)
    assert _messages(response) == ["已审核通过，等待校工会报送学校。"]
    # the officer may not refer: the button is the admissions officer's
    _refused(client, w.officer, "post", reverse("admissions:request_refer", args=[request.pk]))
    page = _text(_as(client, w.admissions).get(url))
    assert 'data-testid="refer"' in page
    response = client.post(reverse("admissions:request_refer", args=[request.pk]), follow=True)
    assert _messages(response) == ["已报送学校。"]
    request.refresh_from_db()
    assert request.status == RequestStatus.REFERRED
    response = client.post(reverse("admissions:request_answer", args=[request.pk]), {"placed": "1"}, follow=True)
    assert _messages(response) == ["已登记学校答复：录取。"]
    request.refresh_from_db()
    assert (request.status, request.placed_school) == (RequestStatus.PLACED, w.schools["fx"])
    mine = _text(_as(client, w.parent).get(reverse("admissions:mine")))
    assert 'data-testid="request-state"' in mine and "已录取" in mine


def test_an_officer_returns_a_request_with_a_reason(client, w):
    _surveying(w)
    open_requests(w)
    request = _submitted(w)
    url = reverse("admissions:request_return", args=[request.pk])
    before = table_counts()
    response = _as(client, w.officer).post(url, {}, follow=True)
    assert _messages(response) == ["原因：该字段是必填项。"] and changed_tables(before, table_counts()) == {}
    response = client.post(url, {"reason": "户口簿缺户主页"}, follow=True)
    assert _messages(response) == ["已退回家长修改。"]
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT
    assert "户口簿缺户主页" in _text(_as(client, w.parent).get(reverse("admissions:request", args=[request.pk])))


def test_the_requests_list_masks_names_filters_and_exports(client, w):
    _surveying(w)
    open_requests(w)
    _submitted(w)
    li = draft_request(w, actor=w.users["li"], child="xiaoyu", school="gj")
    url = reverse("admissions:requests", args=[w.campaign.pk])
    page = _text(_as(client, w.admissions).get(url))
    assert page.count('data-testid="request-row"') == 2 and "张*明" in page and "张小明" not in page
    assert _text(client.get(url, {"status": RequestStatus.SUBMITTED})).count('data-testid="request-row"') == 1
    partial = _text(client.get(url, {"status": RequestStatus.DRAFT}, HTTP_HX_REQUEST="true"))
    assert "<html" not in partial and partial.count('data-testid="request-row"') == 1 and li.number in partial
    response = client.get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("申请编号", "子女", "出生日期") and len(rows) == 3
    assert {row[1] for row in rows[1:]} == {"张*明", "李*雨"}
    law = _text(_as(client, w.users["law_officer"]).get(url))
    assert law.count('data-testid="request-row"') == 0
    _refused(client, w.office, "get", url, status=403)
    _refused(client, w.parent, "get", url, status=403)


def test_workbench_queues_and_card(w):
    _surveying(w)
    officer = {q.key: q.count for q in admissions_todos(w.officer)}
    assert officer == {f"admissions.survey_pending.{w.campaign.pk}": 2}
    assert {q.key: q.count for q in admissions_todos(w.parent)} == {"admissions.own_survey": 1}
    open_requests(w)
    request = _submitted(w)
    officer = {q.key: q.count for q in admissions_todos(w.officer)}
    assert officer == {f"admissions.to_check.{w.campaign.pk}": 1}
    assert admissions_todos(w.admissions) == []
    for document in request.documents.all():
        document_check(actor=w.officer, document=document)
    request_check(actor=w.officer, request=request)
    assert {q.key: q.count for q in admissions_todos(w.admissions)} == {f"admissions.to_refer.{w.campaign.pk}": 1}
    assert admissions_todos(w.parent) == []  # the survey is closed, the request submitted
    cards = admissions_cards(w.parent)
    assert len(cards) == 1 and cards[0].lines == ("张*明 · 幼升小 · 附属小学 · 分工会已审核",)
    assert admissions_cards(w.users["wang"])[0].lines == ("王*军 · 小升初 · 摸底未填报",)


# --- set-up: schools and rules --------------------------------------------------------------------


def test_schools_list_and_edit(client, w):
    page = _text(_as(client, w.office).get(reverse("admissions:schools")))
    assert page.count('data-testid="school-row"') == 6 and 'data-testid="new-school"' in page
    data = {
        "code": "gj2",
        "name": "共建第二幼儿园",
        "kind": "kindergarten",
        "district": "朝阳区",
        "affiliation": "co_built",
        "active": "on",
    }
    response = client.post(reverse("admissions:school_create"), data)
    assert response.status_code == 302
    school = School.objects.get(code="gj2")
    assert (school.name, school.district, school.affiliation) == ("共建第二幼儿园", "朝阳区", "co_built")
    again = client.post(reverse("admissions:school_create"), data)
    assert again.status_code == 400 and "学校代码“gj2”已被使用。" in again.content.decode()
    response = client.post(reverse("admissions:school_edit", args=[school.pk]), {**data, "district": "海淀区"})
    school.refresh_from_db()
    assert response.status_code == 302 and school.district == "海淀区"
    officer = _text(_as(client, w.officer).get(reverse("admissions:schools")))
    assert 'data-testid="new-school"' not in officer
    _refused(client, w.officer, "post", reverse("admissions:school_create"), data, status=403)
    _refused(client, w.parent, "get", reverse("admissions:schools"), status=403)


def test_rules_draft_edit_and_adopt(client, w):
    page = _text(_as(client, w.office).get(reverse("admissions:rules")))
    assert page.count("2021年教职工子女入托入学工作通知") == 1
    form = _text(client.get(reverse("admissions:rules_create")))
    assert 'name="year" value="2022"' in form and "2022-05-31" in form
    assert "在编教职工子女 | 子女 | 事业编制" in form and "fx | 20" in form
    response = client.post(
        reverse("admissions:rules_create"),
        {
            "year": 2022,
            "name": "2022年教职工子女入托入学工作通知",
            "survey_opens": "2022-03-01",
            "survey_closes": "2022-04-30",
            "requests_open": "2022-03-01",
            "requests_deadline": "2022-05-31",
            "nursery_months": 30,
            "kindergarten_months": 36,
            "primary_months": 72,
            "secondary_months": 144,
            "alternative_allowed": "on",
            "batches": "在编教职工子女 | 子女 | 事业编制\n合同制教职工子女 | 子女 | 合同制、人事代理",
            "documents": "hukou | 户口簿\nlease | 租房合同 | 租房",
            "places": "fx | 25 | 含附属第二小学",
        },
    )
    draft = AdmissionRules.objects.get(year=2022)
    assert response.status_code == 302 and response.url == reverse("admissions:rules_detail", args=[draft.pk])
    assert [(b.label, b.category_names()) for b in draft.batches.all()] == [
        ("在编教职工子女", {"事业编制"}),
        ("合同制教职工子女", {"合同制", "人事代理"}),
    ]
    assert [(x.code, x.housing) for x in draft.documents.all()] == [("hukou", ""), ("lease", Housing.RENTED)]
    assert [(p.school_code, p.places) for p in draft.places.all()] == [("fx", 25)]
    page = _text(client.get(reverse("admissions:rules_detail", args=[draft.pk])))
    assert 'data-testid="adopt"' in page and 'data-testid="rules-edit"' in page
    response = client.post(
        reverse("admissions:rules_adopt", args=[draft.pk]),
        {"adopted_on": "2022-02-20", "resolution": "校工会〔2022〕3号"},
        follow=True,
    )
    assert _messages(response) == ["规则已通过，2022年的子女入学工作按此办理。"]
    draft.refresh_from_db()
    assert draft.status == "adopted"
    _refused(client, w.office, "get", reverse("admissions:rules_edit", args=[draft.pk]))
    _refused(client, w.officer, "get", reverse("admissions:rules_create"), status=403)


# --- advice and visits ---------------------------------------------------------------------------


def test_policy_notes_written_published_and_read_on_the_portal(client, w):
    response = _as(client, w.office).post(
        reverse("admissions:note_create"),
        {"year": 2021, "district": "海淀区", "title": "2021年海淀区入学政策要点", "body": "多校划片。"},
        follow=True,
    )
    note = PolicyNote.objects.get()
    assert _messages(response) == ["政策解读已保存。"] and note.status == PolicyNoteStatus.DRAFT
    # a draft is the office's
    _refused(client, w.parent, "get", reverse("admissions:note", args=[note.pk]))
    _refused(client, w.parent, "post", reverse("admissions:note_publish", args=[note.pk]))
    response = _as(client, w.office).post(reverse("admissions:note_publish", args=[note.pk]), follow=True)
    assert _messages(response) == ["已发布，会员可在门户“子女入学”中查看。"]
    page = _text(_as(client, w.parent).get(reverse("admissions:policy")))
    assert page.count('data-testid="note"') == 1 and "2021年海淀区入学政策要点" in page
    assert "多校划片。" in _text(client.get(reverse("admissions:note", args=[note.pk])))
    response = _as(client, w.office).post(
        reverse("admissions:note_withdraw", args=[note.pk]), {"message": "政策已更新"}
    )
    note.refresh_from_db()
    assert note.status == PolicyNoteStatus.WITHDRAWN
    assert _text(_as(client, w.parent).get(reverse("admissions:policy"))).count('data-testid="note"') == 0


def test_consultations_logged_by_the_admissions_officer_and_read_by_the_asker(client, w):
    url = reverse("admissions:consultations")
    response = _as(client, w.admissions).post(
        url,
        {
            "who": "E0001",
            "asked_on": "2021-03-10",
            "channel": "phone",
            "stage": "primary",
            "district": "海淀区",
            "question": "租房能否入学？",
            "answer": "需租房合同。",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert (consultation.person, consultation.advised_by) == (w.u.zhang, w.admissions)
    assert _text(client.get(url)).count('data-testid="consultation"') == 1
    assert "租房能否入学？" in _text(_as(client, w.parent).get(reverse("admissions:mine")))
    _refused(client, w.office, "get", url, status=403)
    _refused(
        client,
        w.officer,
        "post",
        url,
        {"asked_on": "2021-03-10", "channel": "phone", "question": "x", "answer": "y"},
        status=403,
    )


def test_visits_created_signed_up_held_and_attended(client, w, clock):
    response = _as(client, w.office).post(
        reverse("admissions:visit_create"),
        {
            "school": w.schools["gj"].pk,
            "visit_on": "2021-04-10",
            "capacity": 2,
            "signup_until": "2021-04-05",
            "meeting_point": "东门",
        },
    )
    visit = SchoolVisit.objects.get()
    assert response.status_code == 302 and response.url == reverse("admissions:visit", args=[visit.pk])
    page = _text(_as(client, w.parent).get(reverse("admissions:visits")))
    assert page.count('data-testid="visit"') == 1 and 'data-testid="signup"' in page
    response = client.post(reverse("admissions:visit_signup", args=[visit.pk]), follow=True)
    assert _messages(response) == ["已报名：2021-04-10 参观共建幼儿园。"]
    assert VisitSignup.objects.filter(visit=visit, person=w.u.zhang).count() == 1
    response = client.post(reverse("admissions:visit_signup", args=[visit.pk]), follow=True)
    assert _messages(response) == ["您已报名本次参观。"]
    _refused(client, w.parent, "get", reverse("admissions:visit", args=[visit.pk]), status=403)
    _refused(client, w.parent, "post", reverse("admissions:visit_hold", args=[visit.pk]))
    clock.move_to(datetime.datetime(2021, 4, 10, 18, 0))
    response = _as(client, w.office).post(reverse("admissions:visit_hold", args=[visit.pk]), follow=True)
    assert _messages(response) == ["已记录参观已举行，请登记参加情况。"]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD
    signup = VisitSignup.objects.get()
    response = client.post(
        reverse("admissions:visit_attendance", args=[visit.pk]), {"attended": [signup.pk]}, follow=True
    )
    assert _messages(response) == ["已登记参加情况：1 人参加。"]
    signup.refresh_from_db()
    assert signup.attended is True


# --- demand, shortages, report -------------------------------------------------------------------


def test_demand_shows_shortages_and_links_a_proposal(client, w):
    _surveying(w)
    for child, school in (("xiaoming", "fx"), ("xiaoyu", "gj")):
        line = _line(w, child)
        survey_answer(actor=w.admissions, line=line, need=Need.YES, school=w.schools[school])
    page = _text(_as(client, w.office).get(reverse("admissions:demand"), {"year": 2021}))
    assert 'data-testid="chart"' in page
    assert page.count('data-testid="shortage"') == 2  # 入托入园 as a whole and at 共建幼儿园: no places
    assert 'data-testid="unmet-2021-primary">1<' in page
    # the office's account is no delegate: no draft form, the hint to hand it to one instead
    assert page.count('data-testid="shortage-delegate-hint"') == 2 and 'data-testid="shortage-draft"' not in page
    # no session picked: the form's error, no shortage recorded
    before = table_counts()
    response = client.post(
        reverse("admissions:shortage_proposal"), {"year": 2021, "stage": "nursery", "school": ""}, follow=True
    )
    assert _messages(response) == ["教代会会议：该字段是必填项。"]
    assert changed_tables(before, table_counts()) == {}
    _refused(client, w.parent, "get", reverse("admissions:demand"), status=403)
    _refused(
        client,
        w.officer,
        "post",
        reverse("admissions:shortage_link"),
        {"year": 2021, "stage": "nursery", "school": ""},
        status=403,
    )


def test_the_report_page(client, w):
    _surveying(w)
    open_requests(w)
    _submitted(w)
    page = _text(_as(client, w.office).get(reverse("admissions:report"), {"year": 2021}))
    assert 'data-testid="requests">1<' in page and 'data-testid="demand">0<' in page
    _refused(client, w.parent, "get", reverse("admissions:report"), status=403)

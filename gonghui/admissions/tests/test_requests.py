"""Requests: drafted, documented, submitted in the year's priority batch, checked, referred and
answered; every refusal with its message and nothing written; a late submission taken as
视为自行解决 with a notice; numbers YYYY-0001 per campaign, also when requests arrive at once."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from gonghui.admissions.choices import AnswerSource, Housing, Relation, RequestStatus
from gonghui.admissions.models import AdmissionRequest, AdmissionRequestEvent, RequestDocument
from gonghui.admissions.selectors.requests import documents_missing, documents_required
from gonghui.admissions.services import requests as svc
from gonghui.admissions.services.campaigns import campaign_refer
from gonghui.admissions.tests.conftest import REQUIRED_OWNED, counts, draft_request, open_requests, pdf, upload_all
from gonghui.attachments.models import Attachment
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.notifications.models import Notification
from gonghui.people.models import EmploymentCategory
from tests.concurrency import at_once, postgresql_only  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

d = datetime.date


def _submitted(w, child="xiaoming", actor=None):
    request = draft_request(w, child=child, actor=actor)
    upload_all(w, request, actor=actor)
    return svc.request_submit(actor=actor or w.parent, request=request)


def _checked(w, request, officer=None):
    officer = officer or w.officer
    for document in request.documents.all():
        svc.document_check(actor=officer, document=document)
    return svc.request_check(actor=officer, request=request)


def _parent_notices():
    return list(
        Notification.objects.filter(recipient__username="E0001", kind="admissions.request")
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_the_course_of_a_request(w, django_capture_on_commit_callbacks):
    open_requests(w)
    with django_capture_on_commit_callbacks(execute=True):
        request = draft_request(w)
        assert (request.number, request.status, request.stage) == ("2021-0001", RequestStatus.DRAFT, "primary")
        assert [r.code for r in documents_required(request)] == list(REQUIRED_OWNED)
        upload_all(w, request)
        assert documents_missing(request) == []
        request = svc.request_submit(actor=w.parent, request=request)
        assert (request.status, request.employment_category, request.batch_position, request.batch_label) == (
            RequestStatus.SUBMITTED,
            "事业编制",
            1,
            "在编教职工子女",
        )
        request = _checked(w, request)
        assert request.status == RequestStatus.CHECKED
        request = svc.request_refer(actor=w.admissions, request=request)
        request = svc.request_answer(actor=w.admissions, request=request, placed=True, note="9月1日报到")
    request.refresh_from_db()
    assert (request.status, request.placed_school, request.answer_source, request.answer_note) == (
        RequestStatus.PLACED,
        w.schools["fx"],
        AnswerSource.MANUAL,
        "9月1日报到",
    )
    assert request.submitted_at and request.checked_at and request.referred_at and request.answered_at
    steps = list(AdmissionRequestEvent.objects.filter(subject=request).order_by("pk").values_list("step", flat=True))
    assert steps == ["created"] + ["document"] * 5 + ["submit", "check", "refer", "place"]
    assert _parent_notices() == [
        "入学申请 2021-0001（张*明）：分工会已审核",
        "入学申请 2021-0001（张*明）：已报送学校",
        "入学申请 2021-0001（张*明）：已录取",
    ]


def test_numbers_run_per_campaign(w):
    open_requests(w)
    first = draft_request(w)
    second = draft_request(w, actor=w.users["li"], child="xiaoyu", school="gj")
    assert (first.number, second.number) == ("2021-0001", "2021-0002")
    svc.request_withdraw(actor=w.parent, request=first, reason="改为自行解决")
    again = draft_request(w)  # a withdrawn request no longer holds the child's place
    assert again.number == "2021-0003"


def test_a_duplicate_request_is_refused_and_nothing_written(w):
    open_requests(w)
    first = draft_request(w)
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        draft_request(w, actor=w.officer, school="fx2")
    assert refused.value.message == "张*明在 2021 年已有入学申请（编号 2021-0001，草稿），不能重复申请。"
    assert counts() == before
    # the database refuses it too (the partial unique constraint) ...
    with pytest.raises(IntegrityError), transaction.atomic():
        AdmissionRequest.objects.create(
            campaign=w.campaign,
            number="2021-0999",
            child=first.child,
            parent=first.parent,
            stage=first.stage,
            school=first.school,
            hukou_district="海淀区",
            housing=Housing.OWNED,
        )
    assert counts() == before


def test_a_twin_request_that_passes_the_check_gets_the_message(w, monkeypatch):
    """Two at once: the check passed for both, the constraint refuses the second; the
    IntegrityError is translated to the same refusal, nothing written."""
    open_requests(w)
    draft_request(w)
    monkeypatch.setattr(svc, "_duplicate", lambda campaign, child, exclude_pk=None: None)
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        draft_request(w)
    assert refused.value.message == "张*明在 2021 年已有入学申请，不能重复申请。"
    assert counts() == before


def test_missing_documents_are_listed_and_nothing_written(w):
    open_requests(w)
    request = draft_request(w)
    upload_all(w, request, codes=("unit_form", "hukou"))
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        svc.request_submit(actor=w.parent, request=request)
    assert refused.value.message == "还缺以下材料，请上传后再提交：出生医学证明、预防接种证、房产证。"
    assert refused.value.extra["missing"] == ["出生医学证明", "预防接种证", "房产证"]
    assert counts() == before
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT
    # rented: the lease, not the deed
    request = svc.request_update(actor=w.parent, request=request, housing=Housing.RENTED)
    assert documents_missing(request) == ["出生医学证明", "预防接种证", "租房合同"]


def test_after_the_deadline_a_submission_is_self_arranged_with_a_notice(w, clock, django_capture_on_commit_callbacks):
    open_requests(w)
    request = draft_request(w)  # no documents: after the deadline they are not asked for
    clock.move_to(datetime.datetime(2021, 6, 1, 9, 0))
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        result = svc.request_submit(actor=w.parent, request=request)
    assert (result.status, result.late) == (RequestStatus.SELF_ARRANGED, True)
    event = AdmissionRequestEvent.objects.filter(subject=request).latest("pk")
    assert (event.step, event.message) == ("arrange_self", "2021-05-31 申请截止后提交，视为自行解决。")
    assert _parent_notices() == ["入学申请 2021-0001（张*明）在申请截止后提交，视为自行解决"]
    after = counts()
    assert after["requests"] == before["requests"] and after["request_events"] == before["request_events"] + 1
    # the self-arranged request no longer holds the place: a new one may be drafted (and is late too)
    assert draft_request(w).number == "2021-0002"


def test_a_category_in_no_batch_is_refused_naming_it(w):
    open_requests(w)
    postdoc = EmploymentCategory.objects.create(name="博士后")
    w.u.zhang.employment_category = postdoc
    w.u.zhang.save()
    request = draft_request(w)
    upload_all(w, request)
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        svc.request_submit(actor=w.parent, request=request)
    assert refused.value.message == "人员类别“博士后”不在本年度的优先批次中，不能提交（子女）。"
    assert counts() == before
    # a grandchild goes in the batch for grandchildren, whatever the category (a catch-all batch)
    svc.request_update(actor=w.parent, request=request, relation=Relation.GRANDCHILD)
    request = svc.request_submit(actor=w.parent, request=request)
    assert (request.batch_position, request.batch_label, request.employment_category) == (
        2,
        "教职工孙子女、外孙子女",
        "博士后",
    )


def test_contract_staff_go_in_the_third_batch(w):
    open_requests(w)
    w.u.li.employment_category = EmploymentCategory.objects.create(name="合同制")
    w.u.li.save()
    request = draft_request(w, actor=w.users["li"], child="xiaoyu", school="gj", housing=Housing.RENTED)
    upload_all(
        w, request, codes=("unit_form", "hukou", "birth_certificate", "vaccination", "lease"), actor=w.users["li"]
    )
    request = svc.request_submit(actor=w.users["li"], request=request)
    assert (request.batch_position, request.batch_label) == (3, "合同制教职工子女")


def test_schools_that_take_no_requests_and_a_campaign_not_taking_them(w):
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        draft_request(w)
    assert refused.value.message == "2021年教职工子女入托入学当前为“筹备中”，不受理入学申请。"
    assert counts() == before
    open_requests(w)
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        draft_request(w, school="hd")
    assert refused.value.message == "海淀某小学不是附属学校或共建学校，不受理入学申请。"
    with pytest.raises(ApplicationError) as refused:
        draft_request(w, alternative=w.schools["fx"])
    assert refused.value.message == "备选学校不能与意向学校相同。"
    with pytest.raises(ApplicationError) as refused:
        draft_request(w, alternative=w.schools["fz"])
    assert refused.value.message == "备选学校附属中学不招收幼升小的子女。"
    with pytest.raises(ApplicationError) as refused:
        draft_request(w, housing="castle")
    assert refused.value.message == "请选择住房情况。"
    assert counts() == before
    assert draft_request(w, alternative=w.schools["fx2"]).alternative == w.schools["fx2"]


def test_a_new_upload_replaces_the_file_and_must_be_checked_again(w):
    open_requests(w)
    request = _submitted(w)
    hukou = RequestDocument.objects.get(request=request, code="hukou")
    svc.document_check(actor=w.officer, document=hukou)
    hukou.refresh_from_db()
    assert hukou.checked and hukou.checked_by == w.officer
    old = hukou.attachment_id
    replaced = svc.document_upload(actor=w.parent, request=request, code="hukou", uploaded_file=pdf("户口簿-新.pdf"))
    assert replaced.pk == hukou.pk and replaced.attachment_id != old
    assert (replaced.checked, replaced.checked_by, replaced.checked_at) == (False, None, None)
    assert Attachment.objects.filter(pk=old).exists()  # the old file stays in attachments
    assert RequestDocument.objects.filter(request=request).count() == 5
    assert replaced.attachment.purpose == "admissions_document"


def test_a_document_not_in_the_rules_and_the_check_before_every_document(w):
    open_requests(w)
    request = draft_request(w)
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        svc.document_upload(actor=w.parent, request=request, code="passport", uploaded_file=pdf())
    assert refused.value.message == "本年度的规则中没有这项材料。"
    assert counts() == before
    upload_all(w, request)
    svc.request_submit(actor=w.parent, request=request)
    svc.document_check(actor=w.officer, document=request.documents.get(code="hukou"))
    before = counts()
    with pytest.raises(InvalidTransition) as refused:
        svc.request_check(actor=w.officer, request=request)
    assert refused.value.message == "还有 4 份材料未核对。"
    assert counts() == before


def test_returned_to_the_parent_and_submitted_again(w, django_capture_on_commit_callbacks):
    open_requests(w)
    request = _submitted(w)
    with django_capture_on_commit_callbacks(execute=True):
        request = svc.request_return(actor=w.officer, request=request, reason="户口簿须含首页")
    assert request.status == RequestStatus.DRAFT
    assert _parent_notices() == ["入学申请 2021-0001（张*明）被退回修改"]
    with pytest.raises(InvalidTransition):
        svc.request_return(actor=w.officer, request=request, reason="")
    request = svc.request_submit(actor=w.parent, request=request)
    assert request.status == RequestStatus.SUBMITTED


def test_the_campaign_refers_every_checked_request_at_once(w, django_capture_on_commit_callbacks):
    open_requests(w)
    first = _checked(w, _submitted(w))
    li = w.users["li"]
    request = draft_request(w, actor=li, child="xiaoyu", school="gj")
    upload_all(w, request, actor=li)
    second = svc.request_submit(actor=li, request=request)
    before = counts()
    with pytest.raises(InvalidTransition) as refused:
        campaign_refer(actor=w.admissions, campaign=w.campaign)
    assert refused.value.message == "还有 1 份申请未审核或未报送学校。"
    assert counts() == before
    first.refresh_from_db()
    assert first.status == RequestStatus.CHECKED
    _checked(w, second)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = campaign_refer(actor=w.admissions, campaign=w.campaign)
    assert campaign.status == "referred"
    assert sorted(AdmissionRequest.objects.values_list("number", "status")) == [
        ("2021-0001", RequestStatus.REFERRED),
        ("2021-0002", RequestStatus.REFERRED),
    ]
    assert AdmissionRequestEvent.objects.filter(step="refer").count() == 2
    assert "入学申请 2021-0001（张*明）：已报送学校" in _parent_notices()


def test_answers_by_hand_at_the_alternative_or_not_placed(w):
    open_requests(w)
    request = draft_request(w, alternative=w.schools["fx2"])
    upload_all(w, request)
    request = _checked(w, svc.request_submit(actor=w.parent, request=request))
    request = svc.request_refer(actor=w.admissions, request=request)
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        svc.request_answer(actor=w.admissions, request=request, placed=True, school=w.schools["fz"])
    assert refused.value.message == "录取学校须为申请的意向学校或备选学校。"
    assert counts() == before
    request = svc.request_answer(actor=w.admissions, request=request, placed=True, school=w.schools["fx2"])
    assert (request.status, request.placed_school) == (RequestStatus.PLACED, w.schools["fx2"])

    li = w.users["li"]
    other = draft_request(w, actor=li, child="xiaoyu", school="gj")
    upload_all(w, other, actor=li)
    other = _checked(w, svc.request_submit(actor=li, request=other))
    other = svc.request_refer(actor=w.admissions, request=other)
    other = svc.request_answer(actor=w.admissions, request=other, placed=False, note="学位已满")
    assert (other.status, other.placed_school, other.answer_note) == (RequestStatus.NOT_PLACED, None, "学位已满")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql_only")
def test_requests_at_the_same_instant_get_their_own_numbers_and_no_duplicate(w):
    open_requests(w)
    li = w.users["li"]
    outcomes = at_once(
        lambda: draft_request(w),
        lambda: draft_request(w, actor=li, child="xiaoyu", school="gj"),
    )
    assert outcomes == ["ok", "ok"]
    assert sorted(AdmissionRequest.objects.values_list("number", flat=True)) == ["2021-0001", "2021-0002"]
    # The two ran at once, so either may hold 2021-0001: withdraw 张小明's by his name.
    AdmissionRequest.objects.filter(child=w.kids["xiaoming"]).update(status=RequestStatus.WITHDRAWN)
    # the same child twice at once (the parent and their officer): one request
    outcomes = at_once(lambda: draft_request(w, school="fx2"), lambda: draft_request(w, actor=w.officer))
    assert sorted(outcomes) == ["ok", "张*明在 2021 年已有入学申请（编号 2021-0003，草稿），不能重复申请。"]
    assert AdmissionRequest.objects.filter(child=w.kids["xiaoming"], status=RequestStatus.DRAFT).count() == 1
    assert sorted(AdmissionRequest.objects.values_list("number", flat=True)) == ["2021-0001", "2021-0002", "2021-0003"]

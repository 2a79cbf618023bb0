"""The school's answer list through core's import kit: previewed (placed, not placed,
unchanged, invalid lines with their reason), nothing written until confirmed, all or nothing;
matched by number or by the child's name and birth date; a second import changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.admissions.choices import AnswerSource, RequestStatus
from gonghui.admissions.models import AdmissionRequest
from gonghui.admissions.services import requests as svc
from gonghui.admissions.services.answers import answers_confirm, answers_import, answers_preview_start
from gonghui.admissions.tests.conftest import counts, draft_request, open_requests, upload_all
from gonghui.core.exceptions import ApplicationError
from gonghui.core.imports import Upload, import_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(w):
    """2021-0001 张小明 → 附属小学 (alternative 附属第二小学), 2021-0002 李小雨 → 共建幼儿园,
    both referred."""
    open_requests(w)
    li = w.users["li"]
    made = []
    for actor, kid, school, alternative in ((w.parent, "xiaoming", "fx", w.schools["fx2"]), (li, "xiaoyu", "gj", None)):
        request = draft_request(w, actor=actor, child=kid, school=school, alternative=alternative)
        upload_all(w, request, actor=actor)
        request = svc.request_submit(actor=actor, request=request)
        for document in request.documents.all():
            svc.document_check(actor=w.officer, document=document)
        svc.request_check(actor=w.officer, request=request)
        made.append(svc.request_refer(actor=w.admissions, request=request))
    return w


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _statuses():
    return sorted(AdmissionRequest.objects.values_list("number", "status", "placed_school__code", "answer_source"))


GOOD = _csv("申请编号,结果,学校,备注", "2021-0001,录取,附属第二小学,", "2021-0002,未录取,,学位已满")


def test_a_line_that_matches_no_request_is_invalid_and_nothing_is_written(referred):
    w = referred
    content = _csv(
        "备注,结果,申请编号,学校",  # headers in any order
        ",录取,2021-0001,附属第二小学",
        "学位已满,未录取,2021-0002,",
        ",录取,2021-0099,",
        ",待定,2021-0001,",
    )
    before, statuses = counts(), _statuses()
    preview = answers_preview_start(campaign=w.campaign, actor=w.admissions, upload=Upload(content, "录取名单.csv"))
    assert preview.summary["counts"] == {"placed": 1, "not_placed": 1, "unchanged": 0, "invalid": 2}
    assert preview.summary["problems"] == [
        {"row": 4, "name": "", "reason": "申请编号 2021-0099 与本年度报送学校的申请都不匹配"},
        {"row": 5, "name": "", "reason": "同一申请在文件中出现多次"},
    ]
    assert (counts(), _statuses()) == (before, statuses)  # the preview writes only itself
    with pytest.raises(ApplicationError) as refused:
        import_confirm(preview, actor=w.admissions)
    assert refused.value.message == "学校答复名单有 2 行无法匹配或有误，未做任何修改"
    with pytest.raises(ApplicationError) as refused:
        answers_import(campaign=w.campaign, actor=w.admissions, content=content, file_name="录取名单.csv")
    assert [p["row"] for p in refused.value.extra["problems"]] == [4, 5]
    assert (counts(), _statuses()) == (before, statuses)


def test_confirmed_once_in_one_go_and_a_second_import_changes_nothing(referred):
    w = referred
    preview = answers_preview_start(campaign=w.campaign, actor=w.admissions, upload=Upload(GOOD, "录取名单.csv"))
    assert preview.summary["counts"] == {"placed": 1, "not_placed": 1, "unchanged": 0, "invalid": 0}
    result = answers_confirm(preview=preview, actor=w.admissions)
    assert result["counts"] == {"placed": 1, "not_placed": 1, "unchanged": 0, "invalid": 0}
    assert _statuses() == [
        ("2021-0001", RequestStatus.PLACED, "fx2", AnswerSource.IMPORT),
        ("2021-0002", RequestStatus.NOT_PLACED, None, AnswerSource.IMPORT),
    ]
    assert AdmissionRequest.objects.get(number="2021-0002").answer_note == "学位已满"
    with pytest.raises(ApplicationError):
        import_confirm(preview, actor=w.admissions)  # once
    before = counts()
    again = answers_import(campaign=w.campaign, actor=w.admissions, content=GOOD, file_name="录取名单.csv")
    assert again["counts"] == {"placed": 0, "not_placed": 0, "unchanged": 2, "invalid": 0}
    after = counts()
    assert (after["requests"], after["request_events"]) == (before["requests"], before["request_events"])


def test_matched_by_name_and_birth_date(referred):
    w = referred
    content = _csv(
        "子女姓名,出生日期,结果", "张小明,2015/6/10,录取", "李小雨,2018年1月20日,未录取", "王小军,2009-05-01,录取"
    )
    preview = answers_preview_start(campaign=w.campaign, actor=w.admissions, upload=Upload(content, "名单.csv"))
    assert preview.summary["counts"] == {"placed": 1, "not_placed": 1, "unchanged": 0, "invalid": 1}
    assert preview.summary["problems"] == [{"row": 4, "name": "王*军", "reason": "与本年度报送学校的申请都不匹配"}]
    fixed = _csv("子女姓名,出生日期,结果", "张小明,2015/6/10,录取", "李小雨,2018年1月20日,未录取")
    answers_import(campaign=w.campaign, actor=w.admissions, content=fixed, file_name="名单.csv")
    assert _statuses() == [
        ("2021-0001", RequestStatus.PLACED, "fx", AnswerSource.IMPORT),
        ("2021-0002", RequestStatus.NOT_PLACED, None, AnswerSource.IMPORT),
    ]


def test_an_answer_that_contradicts_the_one_recorded_is_invalid(referred):
    w = referred
    svc.request_answer(actor=w.admissions, request=AdmissionRequest.objects.get(number="2021-0001"), placed=False)
    content = _csv("申请编号,结果,学校", "2021-0001,录取,", "2021-0002,录取,附属小学")
    preview = answers_preview_start(campaign=w.campaign, actor=w.admissions, upload=Upload(content, "名单.csv"))
    assert preview.summary["problems"] == [
        {"row": 2, "name": "", "reason": "该申请已登记为“未录取”，不能改为“已录取”"},
        {"row": 3, "name": "", "reason": "录取学校“附属小学”不是该申请的意向学校或备选学校"},
    ]


def test_only_the_admissions_officer_imports(referred):
    w = referred
    before = counts()
    for user in (w.office, w.officer, w.users["auditor"], w.parent):
        with pytest.raises(PermissionDenied):
            answers_preview_start(campaign=w.campaign, actor=user, upload=Upload(GOOD, "录取名单.csv"))
    assert counts() == before

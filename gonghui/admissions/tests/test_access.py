"""Children's data (PIPL Art. 28): a child's survey lines, requests, documents and records are
seen and acted on by the parent, the parent's sub-union officer and the admissions officer
only. Another parent, another sub-union's officer, the plain union office, the auditor and the
administrator see none of them through the selectors and services, and cannot act: refused
(PermissionDenied), nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.admissions.choices import Need, RequestStatus
from gonghui.admissions.models import AdmissionRequest, ChildRecord, RequestDocument, SurveyLine
from gonghui.admissions.selectors.children import (
    child_record_get,
    own_children_stages,
    parent_children_stages,
    visible_children,
)
from gonghui.admissions.selectors.requests import (
    document_get,
    own_requests,
    request_documents,
    request_get,
    request_list,
)
from gonghui.admissions.selectors.survey import own_lines, survey_board, survey_line_get, survey_lines
from gonghui.admissions.services import requests as svc
from gonghui.admissions.services.campaigns import campaign_open_requests, campaign_open_survey
from gonghui.admissions.services.children import child_record_save
from gonghui.admissions.services.survey import survey_answer
from gonghui.admissions.tests.conftest import counts, draft_request, pdf, upload_all
from gonghui.attachments.selectors import attachment_list

pytestmark = pytest.mark.django_db

OUTSIDERS = ("wang", "law_officer", "union_office", "auditor", "administrator")
INSIDERS = ("member", "sub_union_officer", "admissions")


@pytest.fixture
def zhang(w):
    """张小明's record, survey line (answered) and a submitted request with its documents."""
    child_record_save(
        actor=w.parent, child=w.kids["xiaoming"], relation="child", hukou_district="海淀区", housing="owned"
    )
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    w.line = SurveyLine.objects.get(child=w.kids["xiaoming"])
    survey_answer(actor=w.parent, line=w.line, need=Need.YES, school=w.schools["fx"])
    campaign_open_requests(actor=w.admissions, campaign=w.campaign)
    w.request = draft_request(w)
    upload_all(w, w.request)
    w.request = svc.request_submit(actor=w.parent, request=w.request)
    w.document = RequestDocument.objects.filter(request=w.request).first()
    return w


def _sees(w, user) -> dict[str, int]:
    child = w.kids["xiaoming"]
    return {
        "requests": request_list(user=user, campaign=w.campaign).filter(child=child).count(),
        "request": int(request_get(user, w.request.pk) is not None),
        "own": own_requests(user).filter(child=child).count(),
        "documents": request_documents(user, w.request).count(),
        "document": int(document_get(user, w.document.pk) is not None),
        "lines": survey_lines(campaign=w.campaign, user=user).filter(child=child).count(),
        "line": int(survey_line_get(user, w.line.pk) is not None),
        "own_lines": own_lines(user, w.campaign).filter(child=child).count(),
        "record": int(child_record_get(user, child) is not None),
        # the files themselves, as the download view finds them: a private purpose, so not
        # the office's, the auditor's or the administrator's though they read everything else
        "files": attachment_list(user=user)
        .filter(pk__in=RequestDocument.objects.filter(request=w.request).values("attachment_id"))
        .count(),
        "children": visible_children(user).filter(pk=child.pk).count(),
        "stages": len(parent_children_stages(user, w.u.zhang, 2021)),
        "board": sum(
            row["children"] for row in survey_board(campaign=w.campaign, user=user) if row["sub_union"].code == "ECON"
        ),
        # the models' scoped querysets, every action
        "scoped": sum(
            model.objects.restrict(user, action).filter(**{path: w.u.zhang.pk}).count()
            for model, path in (
                (AdmissionRequest, "parent_id"),
                (SurveyLine, "parent_id"),
                (RequestDocument, "request__parent_id"),
                (ChildRecord, "child__parent_id"),
            )
            for action in ("view", "change")
        ),
    }


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_see_none_of_a_child(zhang, who):
    w = zhang
    assert _sees(w, w.users[who]) == dict.fromkeys(_sees(w, w.parent), 0)


@pytest.mark.parametrize("who", INSIDERS)
def test_the_parent_their_officer_and_the_admissions_officer_see_the_child(zhang, who):
    w = zhang
    seen = _sees(w, w.users[who])
    assert seen["request"] == seen["document"] == seen["line"] == seen["record"] == seen["children"] == 1
    assert seen["documents"] == seen["files"] == 5 and seen["stages"] == 2 and seen["scoped"] == 2 * (1 + 1 + 5 + 1)
    assert seen["own"] == seen["own_lines"] == (1 if who == "member" else 0)


def test_a_parent_sees_their_own_children_stages_only(zhang):
    w = zhang
    mine = own_children_stages(w.parent, 2021)
    assert [(c.masked_name, [(s.stage, s.year) for s in c.stages]) for c in mine] == [
        ("张*明", [("primary", 2021), ("junior", 2027)]),
        ("张*红", [("nursery", 2022), ("primary", 2026), ("junior", 2032)]),
    ]
    assert [c.child.name for c in own_children_stages(w.users["wang"], 2021)] == ["王小军"]
    assert own_children_stages(w.users["union_office"], 2021) == []


def _attempts(w):
    """Every service a stranger might call on 张小明's rows."""
    child = w.kids["xiaoming"]
    return {
        "create": lambda u: draft_request(w, actor=u, school="fx2"),
        "update": lambda u: svc.request_update(actor=u, request=w.request, note="改"),
        "upload": lambda u: svc.document_upload(actor=u, request=w.request, code="hukou", uploaded_file=pdf()),
        "check_document": lambda u: svc.document_check(actor=u, document=w.document),
        "submit": lambda u: svc.request_submit(actor=u, request=w.request),
        "return": lambda u: svc.request_return(actor=u, request=w.request, reason="看看"),
        "check": lambda u: svc.request_check(actor=u, request=w.request),
        "withdraw": lambda u: svc.request_withdraw(actor=u, request=w.request, reason="撤"),
        "answer_survey": lambda u: survey_answer(actor=u, line=w.line, need=Need.NO),
        "record": lambda u: child_record_save(
            actor=u, child=child, relation="child", hukou_district="朝阳区", housing="rented"
        ),
    }


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_cannot_act_and_nothing_changes(zhang, who):
    w = zhang
    user = w.users[who]
    before = counts()
    for name, attempt in _attempts(w).items():
        with pytest.raises(PermissionDenied):
            attempt(user)
            pytest.fail(f"{who} may {name}")
    assert counts() == before, who
    w.request.refresh_from_db()
    w.line.refresh_from_db()
    assert (w.request.status, w.line.need) == (RequestStatus.SUBMITTED, Need.YES)
    assert ChildRecord.objects.get(child=w.kids["xiaoming"]).hukou_district == "海淀区"


def test_each_insider_only_the_steps_that_are_theirs(zhang):
    w = zhang
    before = counts()
    # the parent does not check their own documents, nor their own request
    with pytest.raises(PermissionDenied):
        svc.document_check(actor=w.parent, document=w.document)
    with pytest.raises(PermissionDenied):
        svc.request_check(actor=w.parent, request=w.request)
    # the sub-union officer does not refer to the school, nor record its answer
    for document in w.request.documents.all():
        svc.document_check(actor=w.officer, document=document)
    request = svc.request_check(actor=w.officer, request=w.request)
    before = counts()
    with pytest.raises(PermissionDenied):
        svc.request_refer(actor=w.officer, request=request)
    with pytest.raises(PermissionDenied):
        svc.request_refer(actor=w.users["union_office"], request=request)
    assert counts() == before
    request = svc.request_refer(actor=w.admissions, request=request)
    with pytest.raises(PermissionDenied):
        svc.request_answer(actor=w.officer, request=request, placed=True)
    assert counts()["request_events"] == before["request_events"] + 1

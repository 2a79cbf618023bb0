"""Status tags and step bars are read from the workflow table (core/statuses.py)."""

from django.template import Context, Template

from gonghui.core.statuses import state_tone, step_bar, tone_class, workflow_of
from gonghui.mutual_aid.models import SubsidyApplication
from gonghui.mutual_aid.workflow import ApplicationWorkflow
from gonghui.proposals.models import Proposal
from gonghui.proposals.workflow import ProposalWorkflow

COURSE = ["草稿", "已提交", "分工会已审核", "校工会已审核", "已批准", "公示中", "待发放", "已发放"]


def _bar(status):
    return step_bar(ApplicationWorkflow, SubsidyApplication(status=status))


def test_a_draft_stands_at_the_start_and_the_applicant_acts():
    bar = _bar("draft")
    assert [stop.label for stop in bar.stops] == COURSE
    assert [stop.state for stop in bar.stops] == ["current"] + ["todo"] * 7
    assert (bar.next_label, bar.next_actor) == ("提交", "本人")


def test_a_submitted_application_waits_for_the_sub_union():
    bar = _bar("submitted")
    assert [stop.state for stop in bar.stops][:3] == ["done", "current", "todo"]
    assert (bar.next_label, bar.next_actor, bar.tone) == ("分工会审核", "分工会干部", "info")


def test_a_returned_application_turns_off_the_course_and_goes_back_to_the_applicant():
    bar = _bar("returned")
    assert [stop.label for stop in bar.stops] == COURSE[:2] + ["退回补充材料"] + COURSE[2:]
    assert bar.stops[2].state == "current"
    assert (bar.next_label, bar.next_actor, bar.tone) == ("提交", "本人", "action")


def test_a_rejected_application_ends_the_bar_with_no_next_step():
    bar = _bar("rejected")
    assert [stop.label for stop in bar.stops] == COURSE[:4] + ["未批准"]
    assert (bar.next_label, bar.next_actor, bar.tone) == ("", "", "danger")


def test_a_proposal_under_review_waits_for_the_committee():
    bar = step_bar(ProposalWorkflow, Proposal(status="under_review"))
    assert [stop.state for stop in bar.stops] == ["done", "done", "current"] + ["todo"] * 5
    assert (bar.next_label, bar.next_actor) == ("立案", "提案工作委员会")


def test_tones_come_from_one_mapping():
    assert workflow_of(SubsidyApplication()) is ApplicationWorkflow
    assert workflow_of("paid") is None
    assert [state_tone(ApplicationWorkflow, s) for s in ("draft", "paid", "rejected", "withdrawn")] == [
        "neutral",
        "success",
        "danger",
        "muted",
    ]
    assert tone_class("nonsense") == "bg-secondary-lt"


def test_the_status_tag_and_step_bar_render():
    html = Template(
        '{% load ui %}{% status_tag application testid="status" %}{% step_bar_for application %}{% icon "home" %}'
    ).render(Context({"application": SubsidyApplication(status="rejected")}))
    assert '<span class="badge status-tag bg-red-lt" data-status="rejected" data-testid="status">未批准</span>' in html
    assert html.count('<li class="step-item') == 5
    assert 'aria-current="step">未批准</li>' in html
    assert "已办结，无需再办理。" in html
    assert '<use href="/static/vendor/tabler-icons/sprite.svg#home"></use>' in html

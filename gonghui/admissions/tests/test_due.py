"""The daily run: drafts left after the deadline are taken as 视为自行解决, once."""

import datetime
import io

import pytest
from django.core.management import call_command

from gonghui.accounts.system import system_actor
from gonghui.admissions.choices import RequestStatus
from gonghui.admissions.models import AdmissionRequest, AdmissionRequestEvent
from gonghui.admissions.services import requests as svc
from gonghui.admissions.services.due import drafts_past_deadline_close
from gonghui.admissions.tests.conftest import draft_request, open_requests, upload_all
from gonghui.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_drafts_after_the_deadline_become_self_arranged_once(w, clock, django_capture_on_commit_callbacks):
    open_requests(w)
    left = draft_request(w)
    sent = draft_request(w, child="xiaoyu", actor=w.users["li"], school="gj")
    upload_all(w, sent, actor=w.users["li"])
    sent = svc.request_submit(actor=w.users["li"], request=sent)
    # on the deadline itself nothing is late yet
    assert drafts_past_deadline_close(actor=system_actor(), day=datetime.date(2021, 5, 31)) == 0
    clock.move_to(datetime.datetime(2021, 6, 1, 2, 0))
    notices = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_past_deadline_close(actor=system_actor()) == 1
    left.refresh_from_db()
    sent.refresh_from_db()
    assert (left.status, left.late) == (RequestStatus.SELF_ARRANGED, True)
    assert sent.status == RequestStatus.SUBMITTED  # a submitted request is not touched
    event = AdmissionRequestEvent.objects.filter(subject=left).latest("pk")
    assert (event.step, event.message) == ("arrange_self", "2021-05-31 申请截止时仍未提交，视为自行解决。")
    assert Notification.objects.count() == notices + 1
    events = AdmissionRequestEvent.objects.count()
    out = io.StringIO()
    call_command("admissions_due", stdout=out)
    assert out.getvalue().strip() == "drafts taken as self-arranged: 0"
    assert AdmissionRequestEvent.objects.count() == events
    assert AdmissionRequest.objects.filter(status=RequestStatus.SELF_ARRANGED).count() == 1

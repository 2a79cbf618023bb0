import datetime
from decimal import Decimal

import pytest

from gonghui.core.exceptions import InvalidTransition
from gonghui.core.models import AuditEvent
from gonghui.core.workflow import transition
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.models import ApplicationEvent, SchemeEdition, SubsidyApplication
from gonghui.mutual_aid.services.applications import application_return
from gonghui.mutual_aid.workflow import ApplicationWorkflow
from gonghui.notifications.models import Notification


@pytest.fixture
def application(university):
    edition = SchemeEdition.objects.create(
        year=2024,
        name="2024",
        status="adopted",
        join_window_start=datetime.date(2024, 3, 1),
        join_window_end=datetime.date(2024, 3, 31),
        application_window_start=datetime.date(2025, 3, 1),
        application_window_end=datetime.date(2025, 4, 30),
        fee_active=Decimal("120.00"),
        fee_retired=Decimal("60.00"),
    )
    return SubsidyApplication.objects.create(person=university.zhang, cost_year=2024, edition=edition, kind="inpatient")


def test_transition_records_event_audit_and_tells_the_applicant(
    university, application, django_capture_on_commit_callbacks
):
    officer = university.users["sub_union_officer"]
    application.status = S.SUBMITTED
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        application_return(application=application, actor=officer, message="请补充发票")
    application.refresh_from_db()
    assert application.status == S.RETURNED
    assert application.return_message == "请补充发票"
    assert list(ApplicationEvent.objects.values_list("actor", "from_state", "to_state", "step", "message")) == [
        (officer.pk, S.SUBMITTED, S.RETURNED, "return", "请补充发票")
    ]
    assert (
        AuditEvent.objects.filter(object_type="mutual_aid.subsidyapplication", person_id=university.zhang.pk).count()
        == 1
    )
    notes = Notification.objects.filter(recipient=university.users["member"])
    assert notes.count() == 1
    assert notes.get().body == "请补充发票"


def test_invalid_transition_changes_nothing(university, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        transition(ApplicationWorkflow, application, to=S.APPROVED, actor=university.users["union_office"])
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert ApplicationEvent.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert Notification.objects.count() == 0


def test_return_needs_a_message(university, application):
    application.status = S.SUBMITTED
    application.save()
    with pytest.raises(InvalidTransition):
        transition(ApplicationWorkflow, application, to=S.RETURNED, actor=university.users["union_office"])
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert ApplicationEvent.objects.count() == 0


def test_applicant_acting_themselves_gets_no_notification(university, application, django_capture_on_commit_callbacks):
    member = university.users["member"]
    with django_capture_on_commit_callbacks(execute=True):
        transition(ApplicationWorkflow, application, to=S.SUBMITTED, actor=member, values={"submitted_by": member})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.submitted_by == member
    assert application.submitted_at is not None
    assert Notification.objects.count() == 0

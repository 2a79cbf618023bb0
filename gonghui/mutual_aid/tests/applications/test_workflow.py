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


# --- the sub-union check of an officer's own application (issue 11 policy question) ---------


def _officers_own(university, application):
    """The application made the officer's own (陈静, econ's officer), submitted."""
    application.person = university.officer_person
    application.status = S.SUBMITTED
    application.save()
    return application


def test_officer_may_not_pass_the_sub_union_check_on_their_own_application(university, application):
    from gonghui.mutual_aid.services.applications import application_sub_union_check

    officer = university.users["sub_union_officer"]
    _officers_own(university, application)
    assert application.edition.self_check_allowed is False  # the default: nobody checks their own case
    events, audits, notes = ApplicationEvent.objects.count(), AuditEvent.objects.count(), Notification.objects.count()
    with pytest.raises(InvalidTransition) as refused:
        application_sub_union_check(actor=officer, application=application, message="同意")
    assert str(refused.value.message) == "不能审核本人的申请：请由本分工会其他干部或校工会审核。"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert (ApplicationEvent.objects.count(), AuditEvent.objects.count(), Notification.objects.count()) == (
        events,
        audits,
        notes,
    )
    # and the step is not offered to them
    from gonghui.core.workflow import available_steps

    assert "sub_union_check" not in [step.name for step in available_steps(ApplicationWorkflow, application, officer)]
    assert "return" in [step.name for step in available_steps(ApplicationWorkflow, application, officer)]


def test_the_office_passes_the_check_on_an_officers_application(university, application):
    from gonghui.mutual_aid.services.applications import application_sub_union_check

    _officers_own(university, application)
    application_sub_union_check(actor=university.users["union_office"], application=application)
    application.refresh_from_db()
    assert application.status == S.SUB_UNION_CHECKED
    assert list(ApplicationEvent.objects.values_list("actor", "step")) == [
        (university.users["union_office"].pk, "sub_union_check")
    ]


def test_officer_passes_the_check_on_their_own_application_when_the_edition_allows_it(university, application):
    from gonghui.mutual_aid.services.applications import application_sub_union_check

    officer = university.users["sub_union_officer"]
    SchemeEdition.objects.filter(pk=application.edition_id).update(self_check_allowed=True)
    _officers_own(university, application)
    application = SubsidyApplication.objects.get(pk=application.pk)
    application_sub_union_check(actor=officer, application=application, message="同意")
    application.refresh_from_db()
    assert application.status == S.SUB_UNION_CHECKED
    assert list(ApplicationEvent.objects.values_list("actor", "from_state", "to_state", "step")) == [
        (officer.pk, S.SUBMITTED, S.SUB_UNION_CHECKED, "sub_union_check")
    ]


def test_officer_still_checks_their_members_applications(university, application):
    from gonghui.mutual_aid.services.applications import application_sub_union_check

    officer = university.users["sub_union_officer"]
    application.status = S.SUBMITTED  # zhang's, in the officer's sub-union
    application.save()
    application_sub_union_check(actor=officer, application=application)
    application.refresh_from_db()
    assert application.status == S.SUB_UNION_CHECKED
    assert ApplicationEvent.objects.count() == 1


# --- nobody checks, decides or pays their own case past the sub-union -----------------------


@pytest.mark.parametrize(
    "role, state, step",
    [
        ("union_office", S.SUB_UNION_CHECKED, "office_check"),
        ("welfare_committee", S.OFFICE_CHECKED, "approve"),
        ("welfare_committee", S.OFFICE_CHECKED, "reject"),
    ],
)
def test_nobody_takes_a_step_on_their_own_application(university, application, role, state, step):
    """The office worker or committee member is also a member of staff who applied."""
    from gonghui.core.workflow import available_steps
    from gonghui.people.tests.factories import person_make

    actor = university.users[role]
    actor.person = person_make(staff_no="E0777", name="周敏", sub_union=university.econ)
    actor.save()
    SubsidyApplication.objects.filter(pk=application.pk).update(status=state, person=actor.person)
    application = SubsidyApplication.objects.get(pk=application.pk)
    events, audits, notes = ApplicationEvent.objects.count(), AuditEvent.objects.count(), Notification.objects.count()
    if step != "reject":  # a step that needs a message is offered and refused when taken
        assert step not in [s.name for s in available_steps(ApplicationWorkflow, application, actor)]
    with pytest.raises(InvalidTransition) as refused:
        transition(ApplicationWorkflow, application, step=step, actor=actor, message="同意")
    assert str(refused.value.message) == "不能办理本人的申请：请由其他工作人员或委员办理。"
    application.refresh_from_db()
    assert application.status == state
    assert (ApplicationEvent.objects.count(), AuditEvent.objects.count(), Notification.objects.count()) == (
        events,
        audits,
        notes,
    )

"""Registration rules: window, consent, eligibility, relatives, ID checks, group-only,
duplicates, withdrawal. Every refusal asserts that nothing was written."""

import datetime

import pytest

from gonghui.core.crypto import decrypt_text
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import AuditEvent
from gonghui.drives.choices import DrivePhase, RegistrationChannel, RegistrationStatus, Relationship
from gonghui.drives.models import DriveRegistration
from gonghui.drives.services.registrations import registration_create, registration_withdraw
from gonghui.drives.services.roster import roster_export_create
from gonghui.drives.tests.factories import TODAY, drive_make, relative_data
from gonghui.people.choices import CoverageType, EmploymentStatus
from gonghui.people.tests.factories import person_make, user_make

INDIVIDUAL = RegistrationChannel.INDIVIDUAL


def _counts():
    return DriveRegistration.objects.count(), AuditEvent.objects.count()


def _self(drive, person, user, **kw):
    values = {"channel": INDIVIDUAL, "consent": True, "on": TODAY}
    values.update(kw)
    return registration_create(drive=drive, person=person, actor=user, **values)


def _refused(message, call):
    before = _counts()
    with pytest.raises(ApplicationError) as info:
        call()
    assert message in str(info.value.message)
    assert _counts() == before
    return info.value


@pytest.fixture
def drive(university):
    return drive_make()


def test_member_registers_self_with_the_provider_fields(university, drive):
    zhang, user = university.zhang, university.users["member"]
    registration = _self(drive, zhang, user, phone="13811112222")
    assert registration.status == RegistrationStatus.REGISTERED
    assert (registration.name, registration.gender, registration.birth_date) == (
        zhang.name,
        zhang.gender,
        zhang.birth_date,
    )
    assert decrypt_text(registration.id_number_encrypted) == zhang.id_number_clear()
    assert registration.id_number_digest == zhang.id_number_digest
    assert registration.id_number_masked == zhang.id_number_masked
    assert registration.phone == "13811112222"
    assert registration.age_at_start == 41  # born 1980-05-17, policy starts 2021-10-01
    assert registration.consent_text == drive.rules.consent_text and registration.consent_at is not None
    event = AuditEvent.objects.get(object_type="drives.driveregistration", object_id=str(registration.pk))
    assert event.actor == user and event.person_id == zhang.pk


def test_relative_registered_with_an_encrypted_checked_id_number(university, drive):
    data = relative_data()
    registration = _self(drive, university.zhang, university.users["member"], **data)
    assert registration.relationship == Relationship.SPOUSE
    assert registration.id_number_encrypted != data["id_number"]
    assert registration.id_number_clear() == data["id_number"]
    assert registration.id_number_masked == data["id_number"][:6] + "********" + data["id_number"][-4:]
    assert registration.channel == INDIVIDUAL


def test_registration_after_the_deadline_is_refused(university, drive):
    _refused(
        "报名已于 2021-09-20 截止",
        lambda: _self(drive, university.zhang, university.users["member"], on=datetime.date(2021, 9, 21)),
    )


def test_registration_after_the_registration_phase_is_refused(university):
    drive = drive_make(phase=DrivePhase.ROSTER)
    _refused("报名已截止", lambda: _self(drive, university.zhang, university.users["member"]))


def test_registration_without_consent_is_refused(university, drive):
    _refused("请确认同意", lambda: _self(drive, university.zhang, university.users["member"], consent=False))


def test_ineligible_status_is_refused(university):
    drive = drive_make(eligible_statuses=[EmploymentStatus.ACTIVE])
    officer = university.users["union_office"]
    _refused("离退休人员不在范围内", lambda: _self(drive, university.zhao, officer))


def test_age_on_the_policy_start_is_checked(university):
    drive = drive_make(max_age=70)
    office = university.users["union_office"]
    # zhao was born 1950-07-01: 71 on 2021-10-01
    _refused("年龄 71 岁，超过最高年龄 70 岁", lambda: _self(drive, university.zhao, office))
    # 70 exactly on the start is fine
    seventy = person_make(
        birth_date=datetime.date(1951, 10, 1), sub_union=university.retirees, employment_status=EmploymentStatus.RETIRED
    )
    assert _self(drive, seventy, office).age_at_start == 70


def test_ineligible_relatives_are_refused(university, drive):
    user = university.users["member"]
    _refused(
        "本次活动不接受该关系的家属",
        lambda: _self(drive, university.zhang, user, **relative_data(relationship=Relationship.PARENT_IN_LAW)),
    )
    old = drive_make(name="限龄", max_age=65)
    _refused(
        "超过最高年龄 65 岁",
        lambda: _self(
            old,
            university.zhang,
            user,
            **relative_data(relationship=Relationship.PARENT, birth_date=datetime.date(1950, 2, 2)),
        ),
    )
    closed = drive_make(name="无家属", relatives_allowed=False, relative_relationships=[])
    _refused("本次活动家属不能参加", lambda: _self(closed, university.zhang, user, **relative_data()))


def test_relative_id_number_checksum_and_birth_date_are_checked(university, drive):
    user = university.users["member"]
    data = relative_data()
    wrong = data["id_number"][:17] + ("0" if data["id_number"][17] != "0" else "1")
    _refused("身份证号校验位错误", lambda: _self(drive, university.zhang, user, **{**data, "id_number": wrong}))
    _refused(
        "出生日期不一致",
        lambda: _self(drive, university.zhang, user, **{**data, "birth_date": datetime.date(1982, 4, 4)}),
    )


def test_duplicate_registration_is_refused(university, drive):
    user = university.users["member"]
    _self(drive, university.zhang, user)
    _refused("该身份证号已报名本次活动", lambda: _self(drive, university.zhang, user))
    data = relative_data()
    _self(drive, university.zhang, user, **data)
    # the same relative registered again, by the other parent
    wang_user = user_make(username="L0001", person=university.wang)
    _refused("该身份证号已报名本次活动（刘敏）", lambda: _self(drive, university.wang, wang_user, **data))


def test_withdrawn_registration_may_register_again(university, drive):
    user = university.users["member"]
    first = _self(drive, university.zhang, user)
    registration_withdraw(registration=first, actor=user)
    again = _self(drive, university.zhang, user)
    assert DriveRegistration.objects.filter(drive=drive).count() == 2
    assert again.status == RegistrationStatus.REGISTERED


def test_group_only_coverage_joins_only_through_the_group(university, drive):
    public = person_make(sub_union=university.econ, coverage_type=CoverageType.PUBLIC)
    office = university.users["union_office"]
    _refused("公费医疗人员只能通过学校团体参保", lambda: _self(drive, public, office, channel=INDIVIDUAL))
    registration = _self(drive, public, office, channel=RegistrationChannel.GROUP)
    assert registration.channel == RegistrationChannel.GROUP
    # others choose: zhang (basic insurance) may take either channel
    assert (
        _self(drive, university.zhang, university.users["member"], channel=RegistrationChannel.GROUP).channel
        == RegistrationChannel.GROUP
    )
    # a relative cannot come in as group-only coverage
    _refused(
        "不能作为家属报名",
        lambda: _self(
            drive, university.zhang, university.users["member"], **relative_data(coverage_type=CoverageType.PUBLIC)
        ),
    )


def test_who_may_register_whom(university, drive):
    officer = university.users["sub_union_officer"]  # econ and its group
    assert _self(drive, university.li, officer).registered_by == officer  # li is in econ's group
    before = _counts()
    with pytest.raises(PermissionDenied):
        _self(drive, university.wang, officer)  # law
    with pytest.raises(PermissionDenied):
        _self(drive, university.wang, university.users["member"])
    with pytest.raises(PermissionDenied):
        _self(drive, university.wang, university.users["auditor"])
    assert _counts() == before


def test_withdrawal_only_until_the_roster_is_sent(university, drive):
    user = university.users["member"]
    registration = _self(drive, university.zhang, user)
    relative = _self(drive, university.zhang, user, **relative_data())
    registration_withdraw(registration=relative, actor=user)
    relative.refresh_from_db()
    assert relative.status == RegistrationStatus.WITHDRAWN and relative.withdrawn_at is not None
    roster_export_create(drive=drive, actor=university.users["union_office"])
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ON_ROSTER
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError, match="名单已报送承办机构，不能再撤回"):
        registration_withdraw(registration=registration, actor=user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ON_ROSTER
    assert AuditEvent.objects.count() == events

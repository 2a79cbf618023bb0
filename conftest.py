"""Shared fixtures: a small university with one user per role."""

import copy
import datetime
import os
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.accounts.roles import Role
from gonghui.people.choices import EmploymentStatus, Gender, SubUnionKind
from gonghui.people.tests.factories import SubUnionFactory, UniversityUnitFactory, person_make, user_make

# The moment date-dependent tests run at: mid-March 2021, inside the mutual-aid application
# window of the reference year (DOMAIN §2), on a working day with chinesecalendar's holidays known.
FIXED_NOW = datetime.datetime(2021, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _chinese_again():
    """Every test starts in the site's language. A test-client request in English activates it
    for the thread (LocaleMiddleware) and nothing deactivates it: without this, the next test on
    the same worker would read English refusals where it expects Chinese."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def clock():
    """Pins the clock at FIXED_NOW for a test whose expectations depend on today's date.

    The clock ticks on from there; `clock.move_to(...)` moves it (time-machine's traveller)."""
    with time_machine.travel(FIXED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def university(db):
    """Two colleges (one with a union group), the retirees' sub-union, a handling unit,
    a few people, and a user for every role."""
    return university_build()


@pytest.fixture(scope="module")
def _university_of_module(django_db_setup, django_db_blocker):
    """The `university`, built once per test module (at the pinned clock, as `clock` then
    `university` build it) inside a transaction rolled back when the module is done. Each
    test's `db` transaction nests in it as a savepoint, so every test starts from exactly
    these rows and leaves nothing behind."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(FIXED_NOW, tick=True):
            made = university_build()
        yield made
        transaction.set_rollback(True)


@pytest.fixture
def university_of_module(_university_of_module, db):
    """The `university` for a module of many cheap tests (the route table): the same rows, built
    once per module rather than per test. The objects are the test's own copies, so what a test
    does to them in memory (a password set, a refresh) does not reach the next test."""
    return copy.deepcopy(_university_of_module)


def university_build() -> SimpleNamespace:
    """The `university` fixture's objects, built in the current transaction (tests/test_route_access.py
    builds them once per module and rolls each test back to them)."""
    econ = SubUnionFactory(code="ECON", name="经济学院分工会", name_pinyin="jingjixueyuanfengonghui")
    econ_group = SubUnionFactory(
        code="ECON-G1", name="经济学院第一工会小组", kind=SubUnionKind.GROUP, parent=econ, union=econ.union
    )
    law = SubUnionFactory(code="LAW", name="法学院分工会", name_pinyin="faxueyuanfengonghui", union=econ.union)
    retirees = SubUnionFactory(
        code="RET", name="离退休工作处分工会", kind=SubUnionKind.RETIREES, union=econ.union, name_pinyin="lituixiu"
    )
    logistics = UniversityUnitFactory(code="HQ", name="后勤处")

    zhang = person_make(staff_no="E0001", name="张伟", sub_union=econ)
    li = person_make(
        staff_no="E0002", name="李娜", gender=Gender.FEMALE, birth_date=datetime.date(1985, 3, 2), sub_union=econ_group
    )
    wang = person_make(
        staff_no="L0001", name="王芳", gender=Gender.FEMALE, birth_date=datetime.date(1978, 1, 9), sub_union=law
    )
    zhao = person_make(
        staff_no="R0001",
        name="赵强",
        birth_date=datetime.date(1950, 7, 1),
        sub_union=retirees,
        employment_status=EmploymentStatus.RETIRED,
    )
    officer_person = person_make(
        staff_no="E0099", name="陈静", gender=Gender.FEMALE, birth_date=datetime.date(1975, 11, 30), sub_union=econ
    )

    users = {
        "member": user_make(username="E0001", person=zhang),
        "sub_union_officer": user_make(username="E0099", person=officer_person, roles=[(Role.SUB_UNION_OFFICER, econ)]),
        "union_office": user_make(username="office", roles=[Role.UNION_OFFICE]),
        "welfare_committee": user_make(username="welfare", roles=[Role.WELFARE_COMMITTEE]),
        "proposals_committee": user_make(username="proposals", roles=[Role.PROPOSALS_COMMITTEE]),
        "handling_unit_officer": user_make(username="unit", roles=[(Role.HANDLING_UNIT_OFFICER, logistics)]),
        "organisation_department": user_make(username="org-dept", roles=[Role.ORGANISATION_DEPARTMENT]),
        "admissions_officer": user_make(username="ruxue", roles=[Role.ADMISSIONS_OFFICER]),
        "auditor": user_make(username="auditor", roles=[Role.AUDITOR]),
        "administrator": user_make(username="admin", roles=[Role.ADMINISTRATOR]),
    }
    return SimpleNamespace(
        econ=econ,
        econ_group=econ_group,
        law=law,
        retirees=retirees,
        logistics=logistics,
        zhang=zhang,
        li=li,
        wang=wang,
        zhao=zhao,
        officer_person=officer_person,
        users=users,
    )


def pytest_configure(config):
    """GONGHUI_TEST_TODAY=2030-12-31 runs the whole suite as if it were that day (the clock
    still ticks): the suite must pass whatever today is. Tests whose expectations depend on
    the date pin their own clock with the `clock` fixture."""
    today = os.environ.get("GONGHUI_TEST_TODAY")
    if today:
        time_machine.travel(
            datetime.datetime.fromisoformat(today).replace(hour=9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True
        ).start()

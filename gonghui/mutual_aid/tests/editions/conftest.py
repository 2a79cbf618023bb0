"""Fixtures for the editions tests: the union office, and 2020's decided applications."""

import datetime
from decimal import Decimal

import pytest

from gonghui.mutual_aid.choices import ApplicationKind, ApplicationStatus, DecisionOutcome
from gonghui.mutual_aid.models import CommitteeSitting, CostItem, Decision, SubsidyApplication
from gonghui.mutual_aid.tests.editions.factories import edition_make

D = Decimal


@pytest.fixture
def office(university):
    return university.users["union_office"]


@pytest.fixture
def decided_2020(office, university):
    """2020's decided applications under the adopted 2020 edition:
    zhang (active): 12,000 out of pocket, decided 4,000; he had 148,000 granted for 2019.
    zhao (retired): 50,000 decided 25,000, then a second bill of 5,000 decided 1,000.
    wang: rejected (not in the preview). li: a 2021 application (another year)."""
    e2020 = edition_make(actor=office, year=2020, bands=(("3000", None, "0.4"),), annual_cap=None, lifetime_cap=None)
    sitting = CommitteeSitting.objects.create(year=2020, held_on=datetime.date(2021, 5, 10))
    sitting_2019 = CommitteeSitting.objects.create(year=2019, held_on=datetime.date(2020, 5, 10))

    def application(person, year, out_of_pocket, outcome, amount, sitting=sitting):
        app = SubsidyApplication.objects.create(
            person=person,
            cost_year=year,
            edition=e2020,
            kind=ApplicationKind.INPATIENT,
            status=ApplicationStatus.PAID if outcome != DecisionOutcome.REJECTED else ApplicationStatus.REJECTED,
        )
        CostItem.objects.create(
            application=app,
            incurred_on=datetime.date(year, 6, 1),
            hospital="协和医院",
            bill_no=f"B{app.pk}",
            total=out_of_pocket * 2,
            paid_by_insurance=out_of_pocket,
            out_of_pocket=out_of_pocket,
        )
        Decision.objects.create(sitting=sitting, application=app, outcome=outcome, amount=amount)
        return app

    u = university
    application(u.zhang, 2019, D("300000.00"), DecisionOutcome.APPROVED, D("148000.00"), sitting=sitting_2019)
    application(u.zhang, 2020, D("12000.00"), DecisionOutcome.APPROVED, D("4000.00"))
    application(u.zhao, 2020, D("50000.00"), DecisionOutcome.ADJUSTED, D("25000.00"))
    application(u.zhao, 2020, D("5000.00"), DecisionOutcome.APPROVED, D("1000.00"))
    application(u.wang, 2020, D("40000.00"), DecisionOutcome.REJECTED, D("0.00"))
    application(u.li, 2021, D("40000.00"), DecisionOutcome.APPROVED, D("9000.00"))
    # an undecided 2020 application is not in the preview either
    SubsidyApplication.objects.create(
        person=u.li, cost_year=2020, edition=e2020, kind=ApplicationKind.OUTPATIENT, status=ApplicationStatus.SUBMITTED
    )
    return e2020

import datetime
from decimal import Decimal

import pytest

from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import AuditEvent
from gonghui.mutual_aid.models import SchemeMembership
from gonghui.mutual_aid.services.fees import fee_run_execute
from gonghui.mutual_aid.services.membership import (
    scheme_membership_enroll,
    scheme_membership_lapse_unpaid,
    scheme_membership_opt_out,
)
from gonghui.mutual_aid.tests.fees.conftest import edition_make
from gonghui.people.models import EmploymentCategory

D = datetime.date


def test_enroll_in_window_is_covered_at_once(university, edition, office):
    m = scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 15))
    assert (m.joined_on, m.eligible_from, m.back_pay_due) == (D(2024, 3, 15), D(2024, 3, 15), Decimal("0.00"))
    assert m.fee_channel == "payroll" and m.status == "active" and m.enrolled_by == office
    assert (
        AuditEvent.objects.filter(object_type="mutual_aid.schememembership", person_id=university.zhang.pk).count() == 1
    )


def test_enroll_after_window_yearly_fee_back_pay_and_waiting(university, edition, office):
    m = scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 6, 20))
    assert m.back_pay_due == Decimal("120.00")
    assert m.eligible_from == D(2024, 12, 20)


def test_enroll_after_window_monthly_fee_counts_full_months_since_window_start(university, office):
    edition_make(fee_period="month", fee_active=Decimal("10.50"), fee_retired=Decimal("5.25"), waiting_months=3)
    m = scheme_membership_enroll(person=university.zhao, actor=office, on=D(2024, 6, 20), channel="manual")
    assert m.back_pay_due == Decimal("15.75")  # March, April, May: 3 × 5.25 (retired)
    assert m.eligible_from == D(2024, 9, 20)
    assert m.fee_channel == "manual"


def test_enroll_before_window_waits_but_owes_nothing(university, edition, office):
    m = scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 1, 31))
    assert (m.back_pay_due, m.eligible_from) == (Decimal("0.00"), D(2024, 7, 31))


def _nothing_written():
    return (
        SchemeMembership.objects.count() == 0
        and AuditEvent.objects.filter(object_type="mutual_aid.schememembership").count() == 0
    )


def test_ineligible_status_refused_nothing_written(university, office):
    edition_make(eligible_statuses=["active"])
    with pytest.raises(ApplicationError, match="人员状态"):
        scheme_membership_enroll(person=university.zhao, actor=office, on=D(2024, 3, 5))
    assert _nothing_written()


def test_ineligible_category_refused_nothing_written(university, office):
    edition_make(categories=[EmploymentCategory.objects.create(name="博士后（测试）")])
    with pytest.raises(ApplicationError, match="人员类别"):
        scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5))
    assert _nothing_written()


def test_no_adopted_edition_refused(university, office):
    edition_make(status="draft")
    with pytest.raises(ApplicationError):
        scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5))
    assert _nothing_written()


def test_active_staff_cannot_choose_manual_channel(university, edition, office):
    with pytest.raises(ApplicationError):
        scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5), channel="manual")
    assert _nothing_written()


def test_enroll_twice_refused(university, edition, office):
    scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5))
    with pytest.raises(ApplicationError, match="已是互助会会员"):
        scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 6))
    assert SchemeMembership.objects.get().joined_on == D(2024, 3, 5)


def test_member_enrolls_themselves_but_not_others(university, edition):
    member = university.users["member"]
    scheme_membership_enroll(person=university.zhang, actor=member, on=D(2024, 3, 5))
    with pytest.raises(PermissionDenied):
        scheme_membership_enroll(person=university.li, actor=member, on=D(2024, 3, 5))
    assert list(SchemeMembership.objects.values_list("person__staff_no", flat=True)) == ["E0001"]


def test_sub_union_officer_enrolls_only_their_people(university, edition):
    officer = university.users["sub_union_officer"]
    scheme_membership_enroll(person=university.li, actor=officer, on=D(2024, 3, 5))  # econ's group
    with pytest.raises(PermissionDenied):
        scheme_membership_enroll(person=university.wang, actor=officer, on=D(2024, 3, 5))  # law
    with pytest.raises(PermissionDenied):
        scheme_membership_enroll(person=university.wang, actor=university.users["auditor"], on=D(2024, 3, 5))
    assert list(SchemeMembership.objects.values_list("person__staff_no", flat=True)) == ["E0002"]


def test_opt_out_requires_reason(university, edition, office):
    m = scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5))
    with pytest.raises(ApplicationError, match="原因"):
        scheme_membership_opt_out(membership=m, actor=office, reason="  ")
    m.refresh_from_db()
    assert (m.status, m.ended_on, m.end_reason) == ("active", None, "")


def test_opt_out_takes_effect_for_next_fee_year_and_rejoin(university, office):
    edition_make(2024)
    edition_make(2025)
    m = scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5))
    scheme_membership_enroll(person=university.li, actor=office, on=D(2024, 3, 5))
    scheme_membership_opt_out(membership=m, actor=university.users["member"], reason="调离", on=D(2024, 5, 1))
    assert fee_run_execute(year=2024, actor=office)["members"] == 2  # still charged this year
    assert fee_run_execute(year=2025, actor=office)["members"] == 1  # carried over for li only
    m = scheme_membership_enroll(person=university.zhang, actor=office, on=D(2025, 3, 2))
    assert (m.status, m.ended_on, m.end_reason, m.joined_on) == ("active", None, "", D(2025, 3, 2))
    assert fee_run_execute(year=2025, actor=office)["new_lines"] == 1


def test_opt_out_by_others_refused(university, edition, office):
    m = scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5))
    for role in ("sub_union_officer", "auditor"):
        with pytest.raises(PermissionDenied):
            scheme_membership_opt_out(membership=m, actor=university.users[role], reason="x")
    m.refresh_from_db()
    assert m.status == "active"


def test_lapse_unpaid(university, office):
    edition_make(2024)
    edition_make(2025)
    for p in (university.zhang, university.li):
        scheme_membership_enroll(person=p, actor=office, on=D(2024, 3, 5))
    fee_run_execute(year=2024, actor=office)
    from gonghui.mutual_aid.models import FeeLine
    from gonghui.mutual_aid.services.fees import fee_receipt_record

    fee_receipt_record(fee_line=FeeLine.objects.get(person=university.li), amount="120", actor=office)
    assert scheme_membership_lapse_unpaid(year=2024, actor=office) == 1
    zhang = SchemeMembership.objects.get(person=university.zhang)
    assert (zhang.status, zhang.ended_on) == ("lapsed", D(2024, 12, 31))
    assert list(zhang.events.values_list("from_state", "to_state", "step", "message")) == [
        ("active", "lapsed", "lapse", "2024 年度会费未缴")
    ]
    assert fee_run_execute(year=2025, actor=office)["members"] == 1
    assert scheme_membership_lapse_unpaid(year=2024, actor=office) == 0

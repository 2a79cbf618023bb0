"""The yearly enrollment run and changes during the term."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.editions import edition_adopt
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditEvent
from gonghui.insurance.choices import EnrollmentStatus, PremiumRule
from gonghui.insurance.models import EnrollmentRun, OptOut, PlanEnrollment, PremiumAdjustment
from gonghui.insurance.presets import AGE_LIMITED_HOSPITAL, editions_create
from gonghui.insurance.selectors.figures import participation
from gonghui.insurance.services.editions import edition_update
from gonghui.insurance.services.enrollment import (
    enrollment_add,
    enrollment_changes_apply,
    enrollment_end,
    enrollment_run,
    enrollment_shares_set,
    opt_out_record,
)
from gonghui.people.choices import EmploymentStatus, Gender
from gonghui.people.tests.factories import person_make

pytestmark = pytest.mark.django_db


def enrolled_names(edition):
    return sorted(PlanEnrollment.objects.filter(edition=edition).values_list("person__staff_no", flat=True))


def test_run_enrolls_the_eligible_and_is_idempotent(university, office, editions_2021):
    hospital, female = editions_2021["ZYJT"], editions_2021["NGTJ"]
    # when
    run = enrollment_run(actor=office, edition=hospital)
    # then: the four active members; the retiree zhao is not eligible
    assert (run.eligible, run.created, run.already, run.opted_out) == (4, 4, 0, 0)
    assert enrolled_names(hospital) == ["E0001", "E0002", "E0099", "L0001"]
    assert set(PlanEnrollment.objects.filter(edition=hospital).values_list("premium", "shares", "status")) == {
        (Decimal("50.00"), 1, EnrollmentStatus.ENROLLED)
    }
    enrollment = PlanEnrollment.objects.get(edition=hospital, person=university.li)
    assert enrollment.sub_union == university.econ_group
    assert (enrollment.starts_on, enrollment.ends_on) == (datetime.date(2021, 7, 1), datetime.date(2022, 6, 30))
    # women only for 女工特疾
    enrollment_run(actor=office, edition=female)
    assert enrolled_names(female) == ["E0002", "E0099", "L0001"]
    # running again enrolls nobody twice
    again = enrollment_run(actor=office, edition=hospital)
    assert (again.eligible, again.created, again.already) == (4, 0, 4)
    assert PlanEnrollment.objects.filter(edition=hospital).count() == 4
    assert EnrollmentRun.objects.filter(edition=hospital).count() == 2


def test_age_on_the_start_date(university, office, start):
    # an insurer's 住院津贴 for men under 60 and women under 55 on the start date
    hospital = editions_create(actor=office, year=2021, overrides=AGE_LIMITED_HOSPITAL)[0]
    turns_55_on_start = person_make(
        staff_no="A1", name="甲", gender=Gender.FEMALE, birth_date=datetime.date(1966, 7, 1), sub_union=university.law
    )
    turns_55_next_day = person_make(
        staff_no="A2", name="乙", gender=Gender.FEMALE, birth_date=datetime.date(1966, 7, 2), sub_union=university.law
    )
    man_59 = person_make(
        staff_no="A3", name="丙", gender=Gender.MALE, birth_date=datetime.date(1961, 7, 2), sub_union=university.law
    )
    man_60 = person_make(
        staff_no="A4", name="丁", gender=Gender.MALE, birth_date=datetime.date(1961, 7, 1), sub_union=university.law
    )
    enrollment_run(actor=office, edition=hospital)
    names = enrolled_names(hospital)
    assert turns_55_on_start.staff_no not in names
    assert turns_55_next_day.staff_no in names
    assert man_59.staff_no in names
    assert man_60.staff_no not in names


def test_the_2021_preset_insures_every_active_member_whatever_their_age(university, office, editions_2021):
    """The bulletin's 1,759 of 1,759 active staff: no age limit in the 2021 preset."""
    woman_58 = person_make(
        staff_no="A5", name="戊", gender=Gender.FEMALE, birth_date=datetime.date(1963, 1, 1), sub_union=university.law
    )
    for code in ("ZYJT", "ZDJB", "NGTJ"):
        enrollment_run(actor=office, edition=editions_2021[code])
        assert woman_58.staff_no in enrolled_names(editions_2021[code])


def test_non_members_and_other_categories_are_not_enrolled(university, office, editions_2021):
    person_make(staff_no="N1", name="非会员", sub_union=university.law, member=False)
    run = enrollment_run(actor=office, edition=editions_2021["ZDJB"])
    assert run.created == 4
    assert "N1" not in enrolled_names(editions_2021["ZDJB"])


def test_staff_who_left_during_the_term(university, office, editions_2021, start):
    hospital = editions_2021["ZYJT"]
    left_before = person_make(
        staff_no="B1",
        name="早离",
        sub_union=university.law,
        employment_status=EmploymentStatus.LEFT,
        status_changed_on=datetime.date(2021, 6, 30),
    )
    left_after = person_make(
        staff_no="B2",
        name="晚离",
        sub_union=university.law,
        employment_status=EmploymentStatus.LEFT,
        status_changed_on=datetime.date(2021, 9, 15),
    )
    enrollment_run(actor=office, edition=hospital)
    assert left_before.staff_no not in enrolled_names(hospital)
    # insured from the start date, ended on the day they left (annual premium: no refund)
    ended = PlanEnrollment.objects.get(edition=hospital, person=left_after)
    assert (ended.status, ended.ends_on, ended.premium) == (
        EnrollmentStatus.ENDED,
        datetime.date(2021, 9, 15),
        Decimal("50.00"),
    )
    assert PremiumAdjustment.objects.count() == 0


def test_monthly_rule_refunds_unused_months_and_charges_joiners_pro_rata(university, office, editions_2021):
    from gonghui.insurance.presets import edition_values, plans_ensure
    from gonghui.insurance.services.editions import edition_create

    values = {**edition_values("ZDJB", 2022), "premium_rule": PremiumRule.MONTHLY, "price_per_share": Decimal("60.00")}
    edition = edition_create(actor=office, plan=plans_ensure()["ZDJB"], **values)
    edition = edition_adopt(actor=office, edition=edition, adopted_on=datetime.date(2022, 6, 1), resolution="办公会议")
    enrollment_run(actor=office, edition=edition)
    zhang = PlanEnrollment.objects.get(edition=edition, person=university.zhang)
    # zhang leaves in the 4th month of cover (October): 8 unused months of 12 are refunded
    enrollment_end(actor=office, enrollment=zhang, on=datetime.date(2022, 10, 20), reason="调离")
    assert list(PremiumAdjustment.objects.values_list("amount", flat=True)) == [Decimal("-40.00")]
    # a newcomer joining in January pays the 6 remaining months
    newcomer = person_make(staff_no="C1", name="新人", sub_union=university.law)
    added = enrollment_add(actor=office, edition=edition, person=newcomer, on=datetime.date(2023, 1, 3))
    assert (added.premium, added.added_during_term, added.starts_on) == (
        Decimal("30.00"),
        True,
        datetime.date(2023, 1, 3),
    )


def test_changes_during_the_term(university, office, editions_2021):
    hospital = editions_2021["ZYJT"]
    enrollment_run(actor=office, edition=hospital)
    newcomer = person_make(staff_no="C2", name="新教师", sub_union=university.law)
    university.zhang.employment_status = EmploymentStatus.DECEASED
    university.zhang.status_changed_on = datetime.date(2021, 11, 2)
    university.zhang.save()
    result = enrollment_changes_apply(actor=office, edition=hospital, on=datetime.date(2021, 12, 1))
    assert result == {"added": 1, "ended": 1}
    assert PlanEnrollment.objects.get(edition=hospital, person=newcomer).starts_on == datetime.date(2021, 12, 1)
    zhang = PlanEnrollment.objects.get(edition=hospital, person=university.zhang)
    assert (zhang.status, zhang.ends_on) == (EnrollmentStatus.ENDED, datetime.date(2021, 11, 2))
    # applying again changes nothing
    assert enrollment_changes_apply(actor=office, edition=hospital, on=datetime.date(2021, 12, 1)) == {
        "added": 0,
        "ended": 0,
    }


def test_opt_outs_and_the_participation_warning(university, office, editions_2021):
    hospital = editions_2021["ZYJT"]
    opt_out_record(actor=office, edition=hospital, person=university.zhang, reason="已在其他单位参保")
    run = enrollment_run(actor=office, edition=hospital)
    assert (run.eligible, run.opted_out, run.created) == (4, 1, 3)
    assert "E0001" not in enrolled_names(hospital)
    figures = participation(user=office, edition=hospital)
    rows = {r["sub_union"]: r for r in figures["rows"]}
    econ = rows["经济学院分工会"]  # zhang, li (group), officer: 2 of 3 insured
    assert (econ["eligible"], econ["opted_out"], econ["enrolled"]) == (3, 1, 2)
    assert econ["rate"] == Decimal("0.6667")
    assert econ["warning"] is True
    law = rows["法学院分工会"]
    assert (law["eligible"], law["enrolled"], law["rate"], law["warning"]) == (1, 1, Decimal("1.0000"), False)
    assert econ["premium"] == Decimal("100.00")
    assert figures["total"]["rate"] == Decimal("0.7500")
    assert figures["total"]["warning"] is True
    assert figures["total"]["premium"] == Decimal("150.00")


def test_opt_out_of_someone_enrolled_is_refused(university, office, editions_2021):
    hospital = editions_2021["ZYJT"]
    enrollment_run(actor=office, edition=hospital)
    with pytest.raises(ApplicationError, match="已参保"):
        opt_out_record(actor=office, edition=hospital, person=university.zhang, reason="不想参加")
    with pytest.raises(ApplicationError, match="原因"):
        opt_out_record(actor=office, edition=hospital, person=university.zhao, reason=" ")
    assert OptOut.objects.count() == 0


def test_same_shares_per_unit_and_share_limits(university, office, editions_2021):
    hospital = editions_2021["ZYJT"]
    enrollment_run(actor=office, edition=hospital)
    zhang = PlanEnrollment.objects.get(edition=hospital, person=university.zhang)
    with pytest.raises(ApplicationError, match="统一份数"):
        enrollment_shares_set(actor=office, enrollment=zhang, shares=2)
    zhang.refresh_from_db()
    assert (zhang.shares, zhang.premium) == (1, Decimal("50.00"))


def test_shares_within_limits_when_the_edition_allows(university, office):
    from gonghui.insurance.presets import edition_values, plans_ensure
    from gonghui.insurance.services.editions import edition_create

    values = {
        **edition_values("ZDJB", 2021),
        "same_shares_per_unit": False,
        "max_shares": 3,
        "price_per_share": Decimal("55.00"),
    }
    edition = edition_adopt(
        actor=office,
        edition=edition_create(actor=office, plan=plans_ensure()["ZDJB"], **values),
        adopted_on=datetime.date(2021, 6, 1),
        resolution="办公会议",
    )
    enrollment_run(actor=office, edition=edition)
    zhang = PlanEnrollment.objects.get(edition=edition, person=university.zhang)
    zhang = enrollment_shares_set(actor=office, enrollment=zhang, shares=3)
    assert (zhang.shares, zhang.premium) == (3, Decimal("165.00"))
    with pytest.raises(ApplicationError, match="1 至 3"):
        enrollment_shares_set(actor=office, enrollment=zhang, shares=4)
    zhang.refresh_from_db()
    assert zhang.shares == 3


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "auditor", "welfare_committee"])
def test_only_the_office_runs_enrollment(university, editions_2021, role):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        enrollment_run(actor=university.users[role], edition=editions_2021["ZYJT"])
    assert PlanEnrollment.objects.count() == 0
    assert EnrollmentRun.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_draft_edition_cannot_be_run_and_an_adopted_one_cannot_change(university, office, editions_2021):
    from gonghui.insurance.presets import edition_values, plans_ensure
    from gonghui.insurance.services.editions import edition_create

    draft = edition_create(actor=office, plan=plans_ensure()["ZYJT"], **edition_values("ZYJT", 2022))
    with pytest.raises(ApplicationError, match="尚未采用"):
        enrollment_run(actor=office, edition=draft)
    assert PlanEnrollment.objects.count() == 0
    with pytest.raises(ApplicationError, match="不能修改"):
        edition_update(actor=office, edition=editions_2021["ZYJT"], price_per_share=Decimal("60.00"))
    editions_2021["ZYJT"].refresh_from_db()
    assert editions_2021["ZYJT"].price_per_share == Decimal("50.00")

"""people.eligibility: ages on a date (29 February, limits inclusive, per gender), the
status on a date (changed after it, through the person's steps), category, coverage and
gender; and `people()` admitting exactly whom `problem()` admits."""

import datetime

import pytest

from gonghui.accounts.roles import Role
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.eligibility import Eligibility, age_on, status_on, status_on_condition, years_before
from gonghui.people.models import Child, EmploymentCategory, Person
from gonghui.people.services import child_add, person_status_change
from gonghui.people.tests.factories import person_make, user_make

D = datetime.date
ON = D(2021, 3, 15)
ACTIVE, RETIRED, LEFT, DECEASED = (
    EmploymentStatus.ACTIVE,
    EmploymentStatus.RETIRED,
    EmploymentStatus.LEFT,
    EmploymentStatus.DECEASED,
)
M, F = Gender.MALE, Gender.FEMALE
PUBLIC, INSURANCE = CoverageType.PUBLIC, CoverageType.INSURANCE


# --- ages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "birth, day, age",
    [
        (D(1980, 5, 17), D(2021, 5, 16), 40),  # the day before the birthday
        (D(1980, 5, 17), D(2021, 5, 17), 41),  # on the birthday
        (D(2000, 2, 29), D(2020, 2, 28), 19),
        (D(2000, 2, 29), D(2020, 2, 29), 20),  # a leap year: the birthday itself
        (D(2000, 2, 29), D(2021, 2, 28), 20),  # other years: not yet on 28 February …
        (D(2000, 2, 29), D(2021, 3, 1), 21),  # … but on 1 March
        (D(2021, 3, 15), D(2021, 3, 15), 0),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age


@pytest.mark.parametrize(
    "day, years, earlier",
    [(D(2021, 3, 15), 60, D(1961, 3, 15)), (D(2024, 2, 29), 1, D(2023, 2, 28)), (D(2024, 2, 29), 4, D(2020, 2, 29))],
)
def test_years_before(day, years, earlier):
    assert years_before(day, years) == earlier


def _born(birth: datetime.date, gender=M) -> Person:
    return person_make(birth_date=birth, gender=gender, member=False)


@pytest.mark.parametrize(
    "rule, birth, problem",
    [
        # both limits inclusive: 16 and 60 on the day are in, 15 and 61 are out
        (Eligibility(on=ON, min_age=16, max_age=60), D(2005, 3, 15), ""),
        (Eligibility(on=ON, min_age=16, max_age=60), D(2005, 3, 16), "2021-03-15 年龄 15 岁，低于最低年龄 16 岁"),
        (Eligibility(on=ON, min_age=16, max_age=60), D(1960, 3, 16), ""),
        (Eligibility(on=ON, min_age=16, max_age=60), D(1960, 3, 15), "2021-03-15 年龄 61 岁，超过最高年龄 60 岁"),
        # 29 February: 60 until 28 February 2021, 61 from 1 March
        (Eligibility(on=D(2021, 2, 28), max_age=60), D(1960, 2, 29), ""),
        (Eligibility(on=D(2021, 3, 1), max_age=60), D(1960, 2, 29), "2021-03-01 年龄 61 岁，超过最高年龄 60 岁"),
        (Eligibility(on=D(2018, 2, 28), min_age=18), D(2000, 2, 29), "2018-02-28 年龄 17 岁，低于最低年龄 18 岁"),
        (Eligibility(on=D(2018, 3, 1), min_age=18), D(2000, 2, 29), ""),
        # the rule's date a 29 February, the birthdays in years without one
        (Eligibility(on=D(2024, 2, 29), max_age=60), D(1963, 3, 1), ""),
        (Eligibility(on=D(2024, 2, 29), max_age=60), D(1963, 2, 28), "2024-02-29 年龄 61 岁，超过最高年龄 60 岁"),
        (Eligibility(on=D(2024, 2, 29), min_age=61), D(1963, 2, 28), ""),
        (Eligibility(on=D(2024, 2, 29), min_age=61), D(1963, 3, 1), "2024-02-29 年龄 60 岁，低于最低年龄 61 岁"),
    ],
)
def test_ages_at_the_limits_and_on_29_february(db, rule, birth, problem):
    person = _born(birth)
    assert rule.problem(person) == problem
    assert list(rule.people().values_list("pk", flat=True)) == ([] if problem else [person.pk])


def test_a_limit_per_gender(db):
    rule = Eligibility(on=ON, max_age=60, max_age_by_gender={F: 55})
    woman_55, woman_56 = _born(D(1965, 3, 16), F), _born(D(1965, 3, 15), F)
    man_60, man_61 = _born(D(1960, 3, 16), M), _born(D(1960, 3, 15), M)
    assert [rule.problem(p) for p in (woman_55, woman_56, man_60, man_61)] == [
        "",
        "2021-03-15 年龄 56 岁，超过最高年龄 55 岁",
        "",
        "2021-03-15 年龄 61 岁，超过最高年龄 60 岁",
    ]
    assert set(rule.people().values_list("pk", flat=True)) == {woman_55.pk, man_60.pk}
    # a limit for one gender only: the other has none
    women_only = Eligibility(on=ON, max_age_by_gender={F: 55})
    assert women_only.problem(man_61) == "" and women_only.problem(woman_56) != ""
    assert set(women_only.people().values_list("pk", flat=True)) == {woman_55.pk, man_60.pk, man_61.pk}


# --- the status on a date --------------------------------------------------------------------


@pytest.fixture
def office(db):
    return user_make(username="office", roles=[Role.UNION_OFFICE])


def _changed(office, person, *steps):
    for status, on in steps:
        person_status_change(actor=office, person=person, status=status, on=on, reason="测试")
    person.refresh_from_db()
    return person


def test_status_on_a_date_before_a_change(office):
    stays_active = person_make(member=False)
    retires_later = _changed(office, person_make(member=False), (RETIRED, D(2021, 6, 30)))
    retired_that_day = _changed(office, person_make(member=False), (RETIRED, ON))
    dies_in_retirement = _changed(
        office, person_make(member=False), (RETIRED, D(2010, 3, 1)), (DECEASED, D(2021, 5, 1))
    )
    retires_then_dies_later = _changed(
        office, person_make(member=False), (RETIRED, D(2021, 4, 1)), (DECEASED, D(2021, 5, 1))
    )
    dies_at_work = _changed(office, person_make(member=False), (DECEASED, D(2021, 5, 1)))
    left_before = _changed(office, person_make(member=False), (LEFT, D(2020, 12, 31)))
    # a change recorded before there were steps: taken as active until then
    legacy = person_make(member=False, employment_status=DECEASED, status_changed_on=D(2021, 5, 1))

    expected = {
        stays_active: ACTIVE,
        retires_later: ACTIVE,
        retired_that_day: RETIRED,
        dies_in_retirement: RETIRED,
        retires_then_dies_later: ACTIVE,
        dies_at_work: ACTIVE,
        left_before: LEFT,
        legacy: ACTIVE,
    }
    assert {person: status_on(person, ON) for person in expected} == expected
    for status in EmploymentStatus.values:
        found = set(Person.objects.filter(status_on_condition([status], ON)))
        assert found == {p for p, s in expected.items() if s == status}, status
    # after every change, the status is the current one
    later = D(2021, 12, 31)
    assert {p: status_on(p, later) for p in expected} == {p: p.employment_status for p in expected}


def test_status_on_condition_through_a_relation(office):
    """The condition from a row that belongs to a person (`prefix`): children of retirees."""
    parent = _changed(office, person_make(member=False), (RETIRED, D(2010, 3, 1)), (DECEASED, D(2021, 5, 1)))
    other = person_make(member=False)
    kept = child_add(actor=office, parent=parent, name="张小明", gender=M, birth_date=D(2014, 6, 1))
    child_add(actor=office, parent=other, name="李小红", gender=F, birth_date=D(2015, 6, 1))
    found = Child.objects.filter(status_on_condition([RETIRED], ON, prefix="parent__"))
    assert list(found) == [kept]


# --- a small population: people() is exactly whom problem() admits --------------------------


@pytest.fixture
def population(office):
    """Sixteen people, all there are (staff numbers tell who): A active, R retired, L left,
    D deceased."""
    tenured = EmploymentCategory.objects.create(name="事业编制")
    contract = EmploymentCategory.objects.create(name="合同制")
    rows = [
        # staff_no, gender, birth, category, coverage, status steps
        ("A01", M, D(1960, 3, 16), tenured, INSURANCE, []),  # 60, 61 tomorrow
        ("A02", M, D(1960, 3, 15), tenured, PUBLIC, []),  # 61 today
        ("A03", F, D(1966, 3, 15), contract, INSURANCE, []),  # 55 today
        ("A04", F, D(1965, 3, 16), contract, PUBLIC, []),  # 55, 56 tomorrow
        ("A05", F, D(1965, 3, 15), tenured, INSURANCE, []),  # 56 today
        ("A06", M, D(2005, 3, 15), contract, INSURANCE, []),  # 16 today
        ("A07", F, D(2005, 3, 16), contract, INSURANCE, []),  # 15, 16 tomorrow
        ("R01", M, D(1950, 7, 1), tenured, PUBLIC, [(RETIRED, D(2010, 7, 1))]),
        ("R02", F, D(1966, 1, 1), tenured, INSURANCE, [(RETIRED, D(2021, 6, 30))]),  # retires later
        ("R03", M, D(1961, 1, 1), tenured, PUBLIC, [(RETIRED, ON)]),  # retires that day
        ("L01", F, D(1980, 5, 17), contract, INSURANCE, [(LEFT, D(2020, 12, 31))]),
        ("L02", M, D(1985, 5, 17), contract, INSURANCE, [(LEFT, D(2021, 4, 1))]),  # leaves later
        ("D01", M, D(1950, 2, 28), tenured, PUBLIC, [(RETIRED, D(2010, 3, 1)), (DECEASED, D(2021, 5, 1))]),
        ("D02", F, D(1970, 8, 8), tenured, INSURANCE, [(DECEASED, D(2021, 5, 1))]),  # dies later, at work
        ("D03", M, D(1955, 1, 1), tenured, PUBLIC, [(RETIRED, D(2015, 1, 1)), (DECEASED, D(2021, 1, 10))]),
        ("D04", M, D(1952, 1, 1), tenured, PUBLIC, None),  # died later, recorded before steps
    ]
    people = []
    for staff_no, gender, birth, category, coverage, steps in rows:
        extra = {"employment_status": DECEASED, "status_changed_on": D(2021, 5, 1)} if steps is None else {}
        person = person_make(
            staff_no=staff_no,
            gender=gender,
            birth_date=birth,
            employment_category=category,
            coverage_type=coverage,
            member=False,
            **extra,
        )
        people.append(_changed(office, person, *(steps or [])))
    return people


RULES = {
    "everyone": (Eligibility(on=ON), None),
    "active on the day": (
        Eligibility(on=ON, statuses=(ACTIVE,)),
        ["A01", "A02", "A03", "A04", "A05", "A06", "A07", "D02", "D04", "L02", "R02"],
    ),
    "retired on the day": (Eligibility(on=ON, statuses=(RETIRED,)), ["D01", "R01", "R03"]),
    "left or deceased": (Eligibility(on=ON, statuses=(LEFT, DECEASED)), ["D03", "L01"]),
    "staff aged 16 to 60, women to 55": (
        Eligibility(on=ON, statuses=(ACTIVE, RETIRED), min_age=16, max_age=60, max_age_by_gender={F: 55}),
        ["A01", "A03", "A04", "A06", "D02", "L02", "R02", "R03"],
    ),
    "women with insurance": (
        Eligibility(on=ON, genders=(F,), coverage_types=(INSURANCE,)),
        ["A03", "A05", "A07", "D02", "L01", "R02"],
    ),
    "public coverage, men": (
        Eligibility(on=ON, genders=(M,), coverage_types=(PUBLIC,)),
        ["A02", "D01", "D03", "D04", "R01", "R03"],
    ),
    "women up to 55 only": (
        Eligibility(on=ON, max_age_by_gender={F: 55}),
        ["A01", "A02", "A03", "A04", "A06", "A07", "D01", "D02", "D03", "D04", "L01", "L02", "R01", "R02", "R03"],
    ),
}


@pytest.mark.parametrize("name", list(RULES))
def test_people_admits_exactly_whom_problem_admits(population, name):
    rule, expected = RULES[name]
    if expected is None:
        expected = sorted(p.staff_no for p in population)
    assert sorted(rule.people().values_list("staff_no", flat=True)) == expected
    assert sorted(p.staff_no for p in population if not rule.problem(p)) == expected


def test_a_category_with_other_conditions(population):
    contract = EmploymentCategory.objects.get(name="合同制")
    rule = Eligibility(on=ON, category_ids=frozenset({contract.pk}), genders=(F,), coverage_types=(INSURANCE,))
    assert sorted(rule.people().values_list("staff_no", flat=True)) == ["A03", "A07", "L01"]
    assert sorted(p.staff_no for p in population if not rule.problem(p)) == ["A03", "A07", "L01"]


def test_each_condition_says_why(population):
    by_staff_no = {p.staff_no: p for p in population}
    contract = EmploymentCategory.objects.get(name="合同制")
    cases = [
        (Eligibility(on=ON, statuses=(ACTIVE,)), "R01", "离退休人员不在范围内"),
        (Eligibility(on=ON, statuses=(ACTIVE,)), "D01", "离退休人员不在范围内"),  # retired on the day
        (Eligibility(on=ON, statuses=(RETIRED,)), "D02", "在职人员不在范围内"),  # at work on the day
        (Eligibility(on=ON, category_ids=frozenset({contract.pk})), "A01", "人员类别不在范围内"),
        (Eligibility(on=ON, genders=(F,)), "A01", "仅限女"),
        (Eligibility(on=ON, genders=(F, M)), "A01", ""),
        (Eligibility(on=ON, coverage_types=(INSURANCE,)), "A02", "医疗类别（公费医疗）不在范围内"),
        (Eligibility(on=ON, coverage_types=(PUBLIC,)), "A01", "医疗类别（医保）不在范围内"),
        # the status is checked first, then category, gender, coverage, age
        (
            Eligibility(on=ON, statuses=(ACTIVE,), genders=(F,), max_age=30),
            "R01",
            "离退休人员不在范围内",
        ),
        (Eligibility(on=ON, genders=(F,), max_age=30), "A02", "仅限女"),
        (Eligibility(on=ON, coverage_types=(INSURANCE,), max_age=30), "A02", "医疗类别（公费医疗）不在范围内"),
    ]
    assert [rule.problem(by_staff_no[staff_no]) for rule, staff_no, _problem in cases] == [
        problem for _rule, _staff_no, problem in cases
    ]


def test_people_narrows_a_given_queryset(population):
    rule = Eligibility(on=ON, statuses=(RETIRED,))
    within = Person.objects.filter(staff_no__in=["R01", "R02", "A01"])
    assert sorted(rule.people(within).values_list("staff_no", flat=True)) == ["R01"]

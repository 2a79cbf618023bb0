import datetime
import itertools

import factory

from gonghui.accounts.models import RoleAssignment, User
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus, SubUnionKind
from gonghui.people.idnumbers import id_number_compose
from gonghui.people.models import EmploymentCategory, Person, SubUnion, Union, UnionMembership, UniversityUnit
from gonghui.people.services import person_fill_derived

_sequence = itertools.count(1)


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Union
        django_get_or_create = ["name"]

    name = "示范大学工会"
    university = "示范大学"


class SubUnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubUnion

    union = factory.SubFactory(UnionFactory)
    code = factory.Sequence(lambda n: f"SU{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}学院分工会")
    kind = SubUnionKind.COLLEGE
    name_pinyin = factory.LazyAttribute(lambda o: o.code.lower())


class UniversityUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UniversityUnit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}处")


class EmploymentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmploymentCategory
        django_get_or_create = ["name"]

    name = "事业编制"


def valid_id_number(*, birth_date: datetime.date, gender: str, sequence: int | None = None) -> str:
    return id_number_compose(
        region="110105", birth_date=birth_date, sequence=sequence or next(_sequence), gender=gender
    )


def person_make(*, id_number: str | None = None, member: bool = True, **fields) -> Person:
    """Save a person with a valid, encrypted ID number and, by default, an active membership."""
    n = next(_sequence)
    values = {
        "staff_no": f"T{n:06d}",
        "name": "张伟",
        "gender": Gender.MALE,
        "birth_date": datetime.date(1980, 5, 17),
        "phone": "13800000000",
        "employment_status": EmploymentStatus.ACTIVE,
        "coverage_type": CoverageType.INSURANCE,
    }
    values.update(fields)
    if "sub_union" not in values:
        values["sub_union"] = SubUnionFactory()
    if "employment_category" not in values:
        values["employment_category"] = EmploymentCategoryFactory()
    person = Person(**values)
    number = id_number or valid_id_number(birth_date=person.birth_date, gender=person.gender, sequence=n)
    person_fill_derived(person, id_number=number)
    person.save()
    if member:
        UnionMembership.objects.create(
            person=person,
            sub_union=person.sub_union,
            member_no=f"M{person.staff_no}",
            joined_on=datetime.date(2010, 9, 1),
            status=MembershipStatus.ACTIVE,
        )
    return person


def user_make(*, username: str, person: Person | None = None, roles=(), password: str = "pass-1234!") -> User:
    """A user holding `roles`: each item is a role, or (role, scope object)."""
    user = User.objects.create_user(username=username, password=password, person=person)
    for item in roles:
        role, scope = (item, None) if isinstance(item, str) else item
        RoleAssignment.objects.create(
            user=user,
            role=role,
            sub_union=scope if isinstance(scope, SubUnion) else None,
            university_unit=scope if isinstance(scope, UniversityUnit) else None,
        )
    return user

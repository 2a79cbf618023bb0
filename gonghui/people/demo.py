"""The demo university (示范大学): a deterministic, realistic data set for trying gonghui.

`python manage.py demo_university` builds it; `python manage.py demo_logins` prints the
sign-ins. Everything is drawn from `random.Random(2021)`, so two builds of the same size
produce the same people (only primary keys and the random parts of the encrypted ID numbers
differ). All names, ID numbers and phone numbers are synthetic.
"""

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from gonghui.accounts.models import RoleAssignment, User
from gonghui.accounts.roles import Role
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus, SubUnionKind
from gonghui.people.eligibility import age_on
from gonghui.people.idnumbers import id_number_compose
from gonghui.people.models import (
    Child,
    EmploymentCategory,
    Person,
    SubUnion,
    Union,
    UnionMembership,
    UniversityUnit,
)
from gonghui.people.pinyin import name_pinyin
from gonghui.people.services import person_fill_derived

DEMO_UNION_NAME = "示范大学工会"
DEMO_UNIVERSITY = "示范大学"
DEMO_PASSWORD = "demo1234"
DEMO_SEED = 2021
# Ages, dates of retirement and membership are computed against this fixed day, so the demo
# is the same whenever it is built.
DEMO_REFERENCE_DATE = datetime.date(2026, 9, 1)
DEMO_ACTIVE_COUNT = 1800
DEMO_RETIREE_COUNT = 1100


@dataclass(frozen=True)
class DemoLogin:
    """One demo sign-in. Person-backed accounts use the person's staff number as username."""

    role: str
    username: str
    description: str
    sub_union_code: str = ""  # scope of a sub-union officer
    unit_code: str = ""  # scope of a handling-unit officer
    staff_no: str = ""  # the Person this account belongs to
    superuser: bool = False
    name: str = ""  # the account holder's name, for accounts with no person (the home page greets by it)


# The one list of demo sign-ins: `demo_university` creates them, `demo_logins` prints them.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(Role.MEMBER, "100001", "经济学院在职教职工", staff_no="100001"),
    DemoLogin(Role.SUB_UNION_OFFICER, "100002", "经济学院分工会干部", sub_union_code="ECON", staff_no="100002"),
    DemoLogin(Role.SUB_UNION_OFFICER, "100003", "离退休工作处分工会干部", sub_union_code="RET", staff_no="100003"),
    DemoLogin(Role.UNION_OFFICE, "office", "校工会办公室", name="王芳"),
    DemoLogin(Role.ADMISSIONS_OFFICER, "ruxue", "校工会子女入学专员（唯一可见子女信息的校工会角色）", name="郑静"),
    DemoLogin(Role.WELFARE_COMMITTEE, "welfare", "福利委员会委员", name="刘洋"),
    DemoLogin(Role.PROPOSALS_COMMITTEE, "proposals", "提案工作委员会委员", name="陈明"),
    DemoLogin(Role.HANDLING_UNIT_OFFICER, "unit", "后勤处联系人", unit_code="HQ", name="赵磊"),
    DemoLogin(Role.HANDLING_UNIT_OFFICER, "hr", "人事处联系人（专题审议的起草单位）", unit_code="HR", name="李娜"),
    DemoLogin(Role.ORGANISATION_DEPARTMENT, "zzb", "党委组织部（干部民主测评结果）", name="吴刚"),
    DemoLogin(Role.AUDITOR, "auditor", "审计处", name="孙丽"),
    DemoLogin(Role.ADMINISTRATOR, "admin", "系统管理员（可进入 /admin/）", superuser=True, name="周杰"),
)
# Where the people behind the person-backed sign-ins work (the retirees' office officer is
# an active member of staff in an office sub-union).
DEMO_PERSON_SUB_UNIONS = {"100001": "ECON", "100002": "ECON", "100003": "ADM2"}

# (code, name, kind, weight of active staff, number of union groups)
SUB_UNIONS: tuple[tuple[str, str, str, int, int], ...] = (
    ("ECON", "经济学院分工会", SubUnionKind.COLLEGE, 9, 2),
    ("LAW", "法学院分工会", SubUnionKind.COLLEGE, 8, 2),
    ("STAT", "统计学院分工会", SubUnionKind.COLLEGE, 5, 0),
    ("LIT", "文学院分工会", SubUnionKind.COLLEGE, 6, 1),
    ("FL", "外国语学院分工会", SubUnionKind.COLLEGE, 6, 0),
    ("MATH", "数学科学学院分工会", SubUnionKind.COLLEGE, 5, 0),
    ("CS", "计算机学院分工会", SubUnionKind.COLLEGE, 6, 0),
    ("MGMT", "管理学院分工会", SubUnionKind.COLLEGE, 7, 0),
    ("FIN", "金融学院分工会", SubUnionKind.COLLEGE, 6, 0),
    ("MARX", "马克思主义学院分工会", SubUnionKind.COLLEGE, 3, 0),
    ("JOUR", "新闻与传播学院分工会", SubUnionKind.COLLEGE, 4, 0),
    ("HIST", "历史学院分工会", SubUnionKind.COLLEGE, 3, 0),
    ("PE", "体育部分工会", SubUnionKind.COLLEGE, 2, 0),
    ("ADM1", "机关第一分工会", SubUnionKind.OFFICE, 8, 0),
    ("ADM2", "机关第二分工会", SubUnionKind.OFFICE, 7, 0),
    ("LOG", "后勤分工会", SubUnionKind.OFFICE, 8, 0),
    ("LIB", "图书馆分工会", SubUnionKind.OFFICE, 3, 0),
    ("HOSP", "校医院分工会", SubUnionKind.OFFICE, 2, 0),
    ("RET", "离退休工作处分工会", SubUnionKind.RETIREES, 0, 0),
)
GROUP_ORDINALS = ("第一", "第二", "第三")

UNIVERSITY_UNITS: tuple[tuple[str, str], ...] = (
    ("HQ", "后勤处"),
    ("HR", "人事处"),
    ("ACAD", "教务处"),
    ("FINANCE", "财务处"),
    ("ASSET", "资产处"),
    ("BUILD", "基建处"),
    ("IT", "信息化处"),
    ("STUDENT", "学生处"),
    ("RESEARCH", "科研处"),
    ("CLINIC", "校医院"),
    ("UNION", "校工会"),  # leads most of the union's practical projects
    ("RETIRE", "离退休工作处"),
)

EMPLOYMENT_CATEGORIES = ("事业编制", "人事代理", "合同制", "博士后", "离休", "退休")
# (category, weight, youngest age, oldest age) for active staff
ACTIVE_CATEGORY_PLAN = (
    ("事业编制", 60, 27, 59),
    ("人事代理", 18, 24, 45),
    ("合同制", 17, 23, 55),
    ("博士后", 5, 27, 36),
)
PUBLIC_COVERAGE_MIN_AGE = 45  # older 事业编制 staff keep 公费医疗

# Surnames with their approximate share (per mille) in the 2020 census.
SURNAMES = (
    ("王", 71),
    ("李", 70),
    ("张", 67),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("黄", 22),
    ("赵", 20),
    ("吴", 19),
    ("周", 19),
    ("徐", 16),
    ("孙", 15),
    ("马", 14),
    ("朱", 13),
    ("胡", 12),
    ("郭", 11),
    ("何", 11),
    ("林", 10),
    ("高", 10),
    ("罗", 9),
    ("郑", 9),
    ("梁", 8),
    ("谢", 7),
    ("宋", 6),
    ("唐", 6),
    ("许", 6),
    ("韩", 6),
    ("冯", 6),
    ("邓", 6),
    ("曹", 5),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 4),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("陆", 2),
    ("汪", 2),
    ("范", 2),
    ("金", 2),
    ("石", 2),
    ("廖", 2),
    ("贾", 2),
    ("夏", 2),
    ("韦", 2),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("龙", 2),
    ("史", 2),
    ("陶", 1),
    ("黎", 1),
    ("贺", 1),
    ("顾", 1),
    ("毛", 1),
    ("郝", 1),
    ("龚", 1),
    ("邵", 1),
    ("万", 1),
    ("钱", 1),
    ("严", 1),
    ("武", 1),
    ("戴", 1),
    ("孔", 1),
    ("欧阳", 1),
    ("司马", 1),
)
_SURNAME_CHOICES = tuple(s for s, _ in SURNAMES)
_SURNAME_WEIGHTS = tuple(w for _, w in SURNAMES)
_COMPOUND_SURNAMES = frozenset(s for s in _SURNAME_CHOICES if len(s) == 2)

GIVEN_CHARS = {
    Gender.MALE: "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋峰建国志文东海晨阳博昊然睿泽轩嘉永光成庆祥德兴亮振毅锋彬松立新忠民江山正清荣",
    Gender.FEMALE: "芳娜敏静丽艳娟霞秀英玲燕萍红梅琳雪慧颖倩婷洁丹璐晶蕾瑶欣怡佳悦琪雯莉琴云兰凤晓思雨诗梦婧薇岚珊月春桂玉文宁",
}
# Names typical of people born before about 1960.
OLDER_GIVEN_NAMES = {
    Gender.MALE: (
        "建国",
        "建华",
        "国强",
        "国庆",
        "卫东",
        "卫国",
        "志强",
        "德明",
        "永福",
        "振华",
        "援朝",
        "建军",
        "宝山",
        "长顺",
        "福生",
        "国栋",
        "荣华",
        "树森",
    ),
    Gender.FEMALE: (
        "秀英",
        "桂英",
        "淑珍",
        "玉兰",
        "凤英",
        "秀兰",
        "桂兰",
        "淑兰",
        "秀珍",
        "玉珍",
        "素芬",
        "丽华",
        "美华",
        "淑芬",
        "玉梅",
        "秀云",
        "桂芳",
        "凤兰",
    ),
}
CHILD_GIVEN_NAMES = {
    Gender.MALE: (
        "子轩",
        "浩然",
        "宇轩",
        "俊熙",
        "思远",
        "沐阳",
        "锦程",
        "铭泽",
        "一鸣",
        "梓睿",
        "博文",
        "子墨",
        "天佑",
        "嘉懿",
        "睿",
        "航",
        "毅",
        "哲",
    ),
    Gender.FEMALE: (
        "子涵",
        "梓萱",
        "一诺",
        "欣怡",
        "诗涵",
        "雨桐",
        "若曦",
        "依诺",
        "可欣",
        "嘉怡",
        "语桐",
        "思琪",
        "梦瑶",
        "芷若",
        "悦",
        "琳",
        "萌",
        "彤",
    ),
}
BEIJING_REGIONS = ("110101", "110102", "110103", "110104", "110105", "110106", "110107", "110108")
PHONE_PREFIXES = ("138", "139", "136", "135", "159", "158", "186", "189", "137", "150", "151", "188", "131", "133")


@dataclass
class PlannedChild:
    name: str
    gender: str
    birth_date: datetime.date


@dataclass
class PlannedPerson:
    staff_no: str
    name: str
    gender: str
    birth_date: datetime.date
    id_number: str
    phone: str
    category: str
    status: str
    coverage_type: str
    sub_union_code: str
    jingka_no: str
    member_no: str
    joined_on: datetime.date
    status_changed_on: datetime.date | None = None  # active staff have had no change of status
    status_reason: str = ""
    children: list[PlannedChild] = field(default_factory=list)


@dataclass
class DemoPlan:
    sub_unions: list[tuple[str, str, str, str | None]]  # code, name, kind, parent code
    people: list[PlannedPerson]


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.today = DEMO_REFERENCE_DATE

    def birth_date(self, youngest: int, oldest: int) -> datetime.date:
        """A birth date of someone aged between youngest and oldest on the reference date."""
        earliest = _add_years(self.today, -(oldest + 1)) + datetime.timedelta(days=1)
        latest = _add_years(self.today, -youngest)
        return earliest + datetime.timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def name(self, gender: str, birth: datetime.date, *, surname: str | None = None) -> str:
        surname = surname or self.rng.choices(_SURNAME_CHOICES, _SURNAME_WEIGHTS)[0]
        if birth.year < 1962 and self.rng.random() < 0.45:
            return surname + self.rng.choice(OLDER_GIVEN_NAMES[gender])
        chars = GIVEN_CHARS[gender]
        if self.rng.random() < 0.3:
            return surname + self.rng.choice(chars)
        return surname + self.rng.choice(chars) + self.rng.choice(chars)

    def id_number(self, birth: datetime.date, gender: str) -> str:
        while True:
            number = id_number_compose(
                region=self.rng.choice(BEIJING_REGIONS),
                birth_date=birth,
                sequence=self.rng.randrange(1000),
                gender=gender,
            )
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def jingka_no(self) -> str:
        return "621792" + f"{self.rng.randrange(10**13):013d}" if self.rng.random() < 0.6 else ""

    def joined_on(self, birth: datetime.date, latest: datetime.date) -> datetime.date:
        """Joined the union after the 22nd birthday, by `latest`."""
        earliest = _add_years(birth, 22) + datetime.timedelta(days=1)
        span_years = max(0, min(13, age_on(birth, latest) - 22))
        start = _add_years(earliest, self.rng.randint(0, span_years)) if span_years else earliest
        day = start + datetime.timedelta(days=self.rng.randrange(200))
        return min(day, latest)

    def person(
        self, staff_no: str, gender: str, birth: datetime.date, *, joined: datetime.date, member_seq: int, **facts: Any
    ) -> PlannedPerson:
        """A planned person with a made-up name, ID number, phone and 京卡 number (drawn in this
        order, so that a seed always plans the same people), the member number of the year
        joined and `member_seq`, and the given `facts` (category, status, coverage, sub-union)."""
        return PlannedPerson(
            staff_no=staff_no,
            name=self.name(gender, birth),
            gender=gender,
            birth_date=birth,
            id_number=self.id_number(birth, gender),
            phone=self.phone(),
            jingka_no=self.jingka_no(),
            member_no=f"{joined.year}{member_seq:05d}",
            joined_on=joined,
            **facts,
        )

    def children(self, parent: PlannedPerson) -> list[PlannedChild]:
        """One or two children, born when the parent was 25 to 40."""
        result = []
        for _index in range(1 if self.rng.random() < 0.75 else 2):
            earliest = _add_years(parent.birth_date, 25)
            latest = min(_add_years(parent.birth_date, 40), self.today - datetime.timedelta(days=30))
            if latest <= earliest:
                break
            birth = earliest + datetime.timedelta(days=self.rng.randrange((latest - earliest).days))
            gender = self.rng.choice(Gender.values)
            surname = _surname_of(parent.name)
            if parent.gender == Gender.FEMALE and self.rng.random() < 0.8:
                surname = self.rng.choices(_SURNAME_CHOICES, _SURNAME_WEIGHTS)[0]  # the other parent's
            given = self.rng.choice(CHILD_GIVEN_NAMES[gender])
            result.append(PlannedChild(name=surname + given, gender=gender, birth_date=birth))
        return result


def _surname_of(name: str) -> str:
    return name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]


def demo_plan(*, scale: float = 1.0, seed: int = DEMO_SEED) -> DemoPlan:
    """The demo university as plain data, without touching the database."""
    gen = _Generator(seed)
    rng = gen.rng
    sub_unions: list[tuple[str, str, str, str | None]] = []
    placement: list[tuple[str, list[str]]] = []  # (sub-union code, its group codes)
    weights: list[int] = []
    for code, name, kind, weight, groups in SUB_UNIONS:
        sub_unions.append((code, name, kind, None))
        group_codes = []
        college = name.removesuffix("分工会")
        for index in range(groups):
            group_code = f"{code}-G{index + 1}"
            sub_unions.append((group_code, f"{college}{GROUP_ORDINALS[index]}工会小组", SubUnionKind.GROUP, code))
            group_codes.append(group_code)
        if weight:
            placement.append((code, group_codes))
            weights.append(weight)

    n_active = max(3, round(DEMO_ACTIVE_COUNT * scale))
    n_retired = max(1, round(DEMO_RETIREE_COUNT * scale))
    active_numbers = rng.sample(range(100100, 999999), n_active)
    retiree_numbers = rng.sample(range(1000, 99999), n_retired)
    demo_staff = sorted(DEMO_PERSON_SUB_UNIONS)
    people: list[PlannedPerson] = []
    categories = [c for c, *_ in ACTIVE_CATEGORY_PLAN]
    category_weights = [w for _, w, *_ in ACTIVE_CATEGORY_PLAN]
    age_ranges = {c: (lo, hi) for c, _, lo, hi in ACTIVE_CATEGORY_PLAN}

    for index in range(n_active):
        staff_no = str(active_numbers[index])
        gender = rng.choice(Gender.values)
        category = rng.choices(categories, category_weights)[0]
        youngest, oldest = age_ranges[category]
        if index < len(demo_staff):  # the demo sign-ins' own people: established staff
            staff_no, category, youngest, oldest = demo_staff[index], "事业编制", 32, 52
        if gender == Gender.FEMALE:
            oldest = min(oldest, 57)
        birth = gen.birth_date(youngest, oldest)
        code, groups = rng.choices(placement, weights)[0]
        if groups and rng.random() < 0.4:
            code = rng.choice(groups)
        code = DEMO_PERSON_SUB_UNIONS.get(staff_no, code)
        age = age_on(birth, gen.today)
        coverage = (
            CoverageType.PUBLIC if category == "事业编制" and age >= PUBLIC_COVERAGE_MIN_AGE else CoverageType.INSURANCE
        )
        joined = gen.joined_on(birth, gen.today - datetime.timedelta(days=30))
        person = gen.person(
            staff_no,
            gender,
            birth,
            joined=joined,
            member_seq=index + 1,
            category=category,
            status=EmploymentStatus.ACTIVE,
            coverage_type=coverage,
            sub_union_code=code,
        )
        if age >= 27 and rng.random() < 0.34:
            person.children = gen.children(person)
        people.append(person)

    for index in range(n_retired):
        gender = rng.choice(Gender.values)
        if rng.random() < 0.01:
            category, birth = "离休", gen.birth_date(95, 100)
            retired_on = _add_years(birth, 60 if gender == Gender.MALE else 55)
            reason = "离休"
        else:
            category = "退休"
            age = round(rng.triangular(56 if gender == Gender.FEMALE else 60, 95, 66))
            birth = gen.birth_date(age, age)
            retirement_age = 60 if gender == Gender.MALE else rng.choice((55, 60))
            if age_on(birth, gen.today) < retirement_age:
                retirement_age = 55
            retired_on = _add_years(birth, retirement_age)
            reason = "退休"
        joined = gen.joined_on(birth, retired_on - datetime.timedelta(days=365))
        people.append(
            gen.person(
                f"T{retiree_numbers[index]:05d}",
                gender,
                birth,
                joined=joined,
                member_seq=n_active + index + 1,
                category=category,
                status=EmploymentStatus.RETIRED,
                status_changed_on=retired_on,
                status_reason=reason,
                coverage_type=CoverageType.PUBLIC,
                sub_union_code="RET",
            )
        )
    return DemoPlan(sub_unions=sub_unions, people=people)


@dataclass
class DemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def demo_exists() -> bool:
    return Union.objects.filter(name=DEMO_UNION_NAME).exists()


@transaction.atomic
def demo_university_build(*, scale: float = 1.0) -> DemoResult:
    """Build the demo university unless it exists (`demo_university --reset` empties the
    database first)."""
    if demo_exists():
        return DemoResult(created=False)
    plan = demo_plan(scale=scale)

    categories = {}
    for order, name in enumerate(EMPLOYMENT_CATEGORIES):
        categories[name], _created = EmploymentCategory.objects.get_or_create(
            name=name, defaults={"sort_order": (order + 1) * 10}
        )
    units = {}
    for code, name in UNIVERSITY_UNITS:
        units[code], _created = UniversityUnit.objects.get_or_create(name=name, defaults={"code": code})

    union = Union.objects.create(name=DEMO_UNION_NAME, university=DEMO_UNIVERSITY)
    sub_unions: dict[str, SubUnion] = {}
    for code, name, kind, parent_code in plan.sub_unions:
        aliases = [] if kind == SubUnionKind.GROUP else [name.removesuffix("分工会")]
        sub_unions[code] = SubUnion.objects.create(
            union=union,
            parent=sub_unions.get(parent_code),
            code=code,
            name=name,
            kind=kind,
            name_pinyin=name_pinyin(name),
            aliases=aliases,
        )

    people = []
    for planned in plan.people:
        person = Person(
            staff_no=planned.staff_no,
            name=planned.name,
            gender=planned.gender,
            birth_date=planned.birth_date,
            phone=planned.phone,
            employment_category=categories[planned.category],
            employment_status=planned.status,
            status_changed_on=planned.status_changed_on,
            status_reason=planned.status_reason,
            coverage_type=planned.coverage_type,
            sub_union=sub_unions[planned.sub_union_code],
            jingka_no=planned.jingka_no,
        )
        person_fill_derived(person, id_number=planned.id_number)
        people.append(person)
    people = Person.objects.bulk_create(people, batch_size=500)
    by_staff_no = {person.staff_no: person for person in people}

    memberships, children = [], []
    for planned, person in zip(plan.people, people, strict=True):
        memberships.append(
            UnionMembership(
                person=person,
                sub_union=person.sub_union,
                member_no=planned.member_no,
                joined_on=planned.joined_on,
                status=MembershipStatus.ACTIVE,
            )
        )
        children.extend(
            Child(parent=person, name=c.name, gender=c.gender, birth_date=c.birth_date) for c in planned.children
        )
    UnionMembership.objects.bulk_create(memberships, batch_size=500)
    Child.objects.bulk_create(children, batch_size=500)

    password = make_password(DEMO_PASSWORD)  # hashed once: the slow part of the build
    for login in DEMO_LOGINS:
        person = by_staff_no.get(login.staff_no) if login.staff_no else None
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.person = person
        user.first_name = "" if person else (login.name or login.description)
        user.is_staff = user.is_superuser = login.superuser
        user.password = password
        user.save()
        if login.role != Role.MEMBER:  # membership follows from the linked person
            RoleAssignment.objects.get_or_create(
                user=user,
                role=login.role,
                sub_union=sub_unions[login.sub_union_code] if login.sub_union_code else None,
                university_unit=units[login.unit_code] if login.unit_code else None,
            )

    return DemoResult(
        created=True,
        counts={
            "sub_unions": len(plan.sub_unions),
            "active": sum(1 for p in plan.people if p.status == EmploymentStatus.ACTIVE),
            "retired": sum(1 for p in plan.people if p.status == EmploymentStatus.RETIRED),
            "children": len(children),
            "users": len(DEMO_LOGINS),
        },
    )


__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_UNION_NAME",
    "DemoLogin",
    "demo_exists",
    "demo_plan",
    "demo_university_build",
]

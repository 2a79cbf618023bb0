"""A synthetic HR roster for the first-day tests: a made-up university that is not the demo's
(北方农林理工大学: agriculture and engineering colleges, its own offices), written as HR would
export it, in the columns of the roster import's template.

`roster_generate(seed)` is deterministic: the same seed gives the same rows, another seed
another roster of the same shape (the "held-out" roster). Each row says what it is (gender,
birth date, status, category, unit, joined date, whether HR's typo makes it invalid), so that
the tests can compute what the product must report from the rows alone, without calling the
code under test.

Shape (≈ 3,000 rows by default):
- 18 units: 10 colleges (…学院), 6 offices (…处, …部, 机关党委, 图书馆), 离退休工作处, and 校医院,
  whose name does not say what kind of sub-union it is (the import guesses a college; it is
  an office).
- Active staff aged 25–66 and retirees aged 55–85 on 2021-07-01 (a few retirees still listed
  at their old unit); about half women; birthdays on the age limits' edges included.
- Categories 事业编制, 人事代理, 合同制, 博士后 (active), 退休, 离休 (retired); 公费医疗 or 医保.
- 入会日期 for most rows (empty for about one in twelve: the import dates those by its own day).
- Two rows with HR typos (a wrong check digit; an ID number whose sex digit contradicts
  性别): the import lists them as invalid and imports the rest.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from openpyxl import Workbook

from gonghui.people.idnumbers import id_number_compose
from gonghui.people.roster.reading import HEADERS, REQUIRED

UNIVERSITY = "北方农林理工大学"
UNION = "北方农林理工大学工会"
REFERENCE_DAY = datetime.date(2021, 7, 1)  # ages are given on the insurance year's start

COLLEGES = [
    "机械工程学院",
    "材料科学与工程学院",
    "化学化工学院",
    "生命科学学院",
    "动物医学院",
    "园艺学院",
    "资源环境学院",
    "食品科学与工程学院",
    "土木水利学院",
    "电子信息学院",
]
OFFICES = ["规划财务处", "党委宣传部", "机关党委", "图书馆", "保卫处", "国际合作与交流处"]
RETIREES_UNIT = "离退休工作处"
UNCLEAR_UNIT = "校医院"  # an office whose name says nothing: the kind guess says college
UNITS = [*COLLEGES, *OFFICES, RETIREES_UNIT, UNCLEAR_UNIT]
# what each unit is, as the union office knows it (the kinds' codes of people.SubUnionKind)
UNIT_KINDS = {
    **{unit: "college" for unit in COLLEGES},
    **{unit: "office" for unit in OFFICES},
    RETIREES_UNIT: "retirees",
    UNCLEAR_UNIT: "office",
}

ACTIVE_CATEGORIES = [("事业编制", 60), ("人事代理", 20), ("合同制", 14), ("博士后", 6)]
RETIRED_CATEGORIES = [("退休", 92), ("离休", 8)]
REGIONS = ["110108", "110102", "130104", "320102", "370102", "420111", "510107", "610113"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯晨鑫鹏飞玲慧燕婷雪琳佳欣悦思雨泽宁博远航峰松林海波亮春梅兰竹菊清源志国庆新民"

# People the journey needs by name: unique names that no drawn name can take (four
# characters, compound surnames).
MEMBER_NAME = "欧阳晓雯"  # an active woman in a college: activates her account on a phone
OFFICER_NAME = "司马文轩"  # an active man in the same college: made its sub-union officer


@dataclass(frozen=True)
class RosterRow:
    staff_no: str
    name: str
    gender: str  # "M" / "F"
    birth_date: datetime.date
    id_number: str
    unit: str
    status: str  # "active" / "retired"
    status_text: str  # as HR writes it: 在职 / 退休 / 离休
    category: str
    coverage: str  # 公费医疗 / 医保
    phone: str
    joined_on: datetime.date | None
    valid: bool = True  # False: an HR typo that the import must refuse

    def age_on(self, day: datetime.date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def cells(self) -> dict[str, object]:
        """The row's cells by import field key (people.roster.reading.HEADERS)."""
        return {
            "staff_no": self.staff_no,
            "name": self.name,
            "gender": "男" if self.gender == "M" else "女",
            "id_number": self.id_number,
            "sub_union": self.unit,
            "employment_category": self.category,
            "employment_status": self.status_text,
            "phone": self.phone,
            "coverage_type": self.coverage,
            "birth_date": self.birth_date.isoformat(),
            "jingka_no": "",
            "joined_on": self.joined_on.isoformat() if self.joined_on else "",
        }


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([name for name, _w in table], weights=[w for _n, w in table])[0]


def _birth_date(rng: random.Random, age: int) -> datetime.date:
    """A birth date giving `age` completed years on REFERENCE_DAY."""
    latest = REFERENCE_DAY.replace(year=REFERENCE_DAY.year - age)  # the age's first day
    return latest - datetime.timedelta(days=rng.randrange(0, 365))


def roster_generate(seed: int = 2021, rows: int = 3000) -> list[RosterRow]:
    rng = random.Random(seed)
    out: list[RosterRow] = []
    ids: set[str] = set()
    staff_nos: set[str] = set()

    def person(
        *, unit, status, gender, birth_date, name=None, staff_no="", category="", valid=True, typo=""
    ) -> RosterRow:
        while not staff_no or staff_no in staff_nos:  # hired 1986–2020, then a number
            staff_no = f"{rng.randrange(1986, 2021)}{rng.randrange(0, 10000):04d}"
        staff_nos.add(staff_no)
        region = rng.choice(REGIONS)
        sequence = rng.randrange(0, 1000)
        while True:
            id_number = id_number_compose(region=region, birth_date=birth_date, sequence=sequence, gender=gender)
            if id_number not in ids:
                ids.add(id_number)
                break
            sequence += 2
        if typo == "check_digit":  # a digit off at the end: the GB 11643 check fails
            last = id_number[-1]
            id_number = id_number[:-1] + ("0" if last != "0" else "1")
        elif typo == "sex_digit":  # the ID number of the other sex: 性别 contradicts it
            other = "F" if gender == "M" else "M"
            id_number = id_number_compose(region=region, birth_date=birth_date, sequence=sequence, gender=other)
        if status == "active":
            category = category or _weighted(rng, ACTIVE_CATEGORIES)
            status_text = "在职"
        else:
            category = category or _weighted(rng, RETIRED_CATEGORIES)
            status_text = category  # HR writes 退休 or 离休 in both columns
        coverage = "公费医疗" if category in ("事业编制", "退休", "离休") and rng.random() < 0.8 else "医保"
        phone = f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}" if rng.random() < 0.9 else ""
        joined = None
        if rng.random() >= 1 / 12:
            last = datetime.date(2020, 12, 31)
            first = min(last, max(datetime.date(1985, 1, 1), birth_date + datetime.timedelta(days=24 * 365)))
            joined = first + datetime.timedelta(days=rng.randrange(0, (last - first).days + 1))
        if name is None:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return RosterRow(
            staff_no=staff_no,
            name=name,
            gender=gender,
            birth_date=birth_date,
            id_number=id_number,
            unit=unit,
            status=status,
            status_text=status_text,
            category=category,
            coverage=coverage,
            phone=phone,
            joined_on=joined,
            valid=valid,
        )

    # the people the journey names, with the lowest staff numbers (first on their
    # college's activation sheet)
    out.append(
        person(
            unit=COLLEGES[0],
            status="active",
            gender="F",
            birth_date=datetime.date(1963, 4, 12),
            name=MEMBER_NAME,
            staff_no="19850101",
            category="事业编制",
        )
    )
    out.append(
        person(
            unit=COLLEGES[0],
            status="active",
            gender="M",
            birth_date=datetime.date(1962, 9, 3),
            name=OFFICER_NAME,
            staff_no="19850102",
            category="事业编制",
        )
    )
    # the edges of the age limits: exactly 55, 60 and 65 on the start date, and a day short
    for age in (55, 60, 65):
        for gender in ("F", "M"):
            born = REFERENCE_DAY.replace(year=REFERENCE_DAY.year - age)
            out.append(person(unit=rng.choice(COLLEGES), status="active", gender=gender, birth_date=born))
            out.append(
                person(
                    unit=rng.choice(OFFICES),
                    status="active",
                    gender=gender,
                    birth_date=born + datetime.timedelta(days=1),
                )
            )
    # HR's typos
    out.append(
        person(
            unit=COLLEGES[1],
            status="active",
            gender="M",
            birth_date=_birth_date(rng, 41),
            valid=False,
            typo="check_digit",
        )
    )
    out.append(
        person(
            unit=OFFICES[0], status="active", gender="F", birth_date=_birth_date(rng, 36), valid=False, typo="sex_digit"
        )
    )

    retirees = round(rows * 0.24)
    while len(out) < rows:
        gender = "F" if rng.random() < 0.52 else "M"
        if len(out) < rows - retirees:
            age = rng.randint(25, 66)
            unit = rng.choices(UNITS[:-2] + [UNCLEAR_UNIT], weights=[9] * 10 + [4] * 6 + [3])[0]
            out.append(person(unit=unit, status="active", gender=gender, birth_date=_birth_date(rng, age)))
        else:
            age = rng.randint(55, 85)
            unit = RETIREES_UNIT if rng.random() < 0.95 else rng.choice(COLLEGES)
            out.append(person(unit=unit, status="retired", gender=gender, birth_date=_birth_date(rng, age)))
    rng.shuffle(out)
    return out


def roster_xlsx(rows: list[RosterRow]) -> bytes:
    """The roster as HR's .xlsx, with the import template's headers (required columns first)
    and the ID numbers as text."""
    keys = [*REQUIRED, *(key for key in HEADERS if key not in REQUIRED)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "教职工名册"
    sheet.append([HEADERS[key][0] for key in keys])
    for row in rows:
        cells = row.cells()
        sheet.append([cells[key] or None for key in keys])
    for column in ("A", "D", "H"):  # 工号, 身份证号, 手机号 as text
        for cell in sheet[column][1:]:
            cell.number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def roster_named(rows: list[RosterRow], name: str) -> RosterRow:
    (row,) = [row for row in rows if row.name == name]
    return row

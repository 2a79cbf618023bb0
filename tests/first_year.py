"""The first year of a new union office, as data: the 2021 rules it sets up (mutual aid,
insurance), what finance answers to the payroll deduction, and what the reports must then
say — computed from the generated roster's rows and these rules alone (plain Python over
tests.rosters.RosterRow, nothing from the code under test).

Used by the browser journey (tests/browser/test_first_day.py) and by the path through
services and commands on a held-out roster (tests/test_first_year.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from tests.rosters import RosterRow

YEAR = 2021

# --- mutual aid: the 2021 edition the office drafts and adopts -----------------------------
MUTUAL_AID = {
    "name": "2021年度医疗互助会管理办法",
    "statuses": ("active", "retired"),
    "excluded_categories": ("博士后",),  # postdoctoral fellows are not admitted
    "join_window": (datetime.date(2021, 3, 1), datetime.date(2021, 3, 31)),
    "fee_active": Decimal("120.00"),  # a year
    "fee_retired": Decimal("60.00"),
    "waiting_months": 12,
    "deductible": Decimal("5000.00"),
    "band": (Decimal("5000.00"), None, Decimal("0.5000")),
    "adopted_on": datetime.date(2021, 3, 1),
    "resolution": "第七届教代会第二次会议决议",
}
ENROLLED_ON = datetime.date(2021, 3, 15)  # the bulk enrolment, inside the join window
DEDUCTION_FAILURE = "工资卡余额不足"


def deduction_fails(staff_no: str) -> bool:
    """Finance's answer, fixed by the staff number: about one line in fifty fails."""
    return staff_no[-2:] in ("17", "58")


# --- insurance: the Workers' Insurance Mutual's 2021 presets, one limit added ------------
INSURANCE_START = datetime.date(2021, 7, 1)
PLANS = {  # code: (name, price per share, genders, women's age limit (exclusive) or None)
    "ZYJT": ("住院津贴", Decimal("50.00"), ("M", "F"), None),
    "ZDJB": ("重大疾病", Decimal("50.00"), ("M", "F"), None),
    "NGTJ": ("女工特疾", Decimal("25.00"), ("F",), 60),  # the insurer's limit: women under 60
}
INSURANCE_ADOPTED_ON = datetime.date(2021, 6, 1)
INSURANCE_RESOLUTION = "校工会办公会议"


@dataclass(frozen=True)
class Expected:
    imported: int
    invalid: int
    by_unit: dict[str, int]
    mutual_aid_members: dict[str, int]  # active, retired
    mutual_aid_ineligible: int
    fees: dict[str, tuple[int, Decimal]]  # charged (all lines), deducted, failed: (count, sum)
    insured: dict[str, int]  # per plan code
    premium: dict[str, Decimal]

    @property
    def insured_total(self) -> int:
        return sum(self.insured.values())

    @property
    def premium_total(self) -> Decimal:
        return sum(self.premium.values(), Decimal("0.00"))


def mutual_aid_admits(row: RosterRow) -> bool:
    return row.status in MUTUAL_AID["statuses"] and row.category not in MUTUAL_AID["excluded_categories"]


def plan_insures(code: str, row: RosterRow) -> bool:
    """Active staff (union members, every imported row) of the plan's gender, under its age
    limit on the start date."""
    _name, _price, genders, women_limit = PLANS[code]
    if row.status != "active" or row.gender not in genders:
        return False
    return not (women_limit is not None and row.gender == "F" and row.age_on(INSURANCE_START) >= women_limit)


def expected(rows: list[RosterRow]) -> Expected:
    valid = [row for row in rows if row.valid]
    by_unit: dict[str, int] = {}
    for row in valid:
        by_unit[row.unit] = by_unit.get(row.unit, 0) + 1
    members = [row for row in valid if mutual_aid_admits(row)]

    def fee(row: RosterRow) -> Decimal:
        return MUTUAL_AID["fee_retired"] if row.status == "retired" else MUTUAL_AID["fee_active"]

    failed = [row for row in members if deduction_fails(row.staff_no)]
    deducted = [row for row in members if not deduction_fails(row.staff_no)]
    insured = {code: sum(1 for row in valid if plan_insures(code, row)) for code in PLANS}
    return Expected(
        imported=len(valid),
        invalid=len(rows) - len(valid),
        by_unit=by_unit,
        mutual_aid_members={
            "active": sum(1 for row in members if row.status == "active"),
            "retired": sum(1 for row in members if row.status == "retired"),
        },
        mutual_aid_ineligible=len(valid) - len(members),
        fees={
            "charged": (len(members), sum((fee(row) for row in members), Decimal("0.00"))),
            "deducted": (len(deducted), sum((fee(row) for row in deducted), Decimal("0.00"))),
            "failed": (len(failed), sum((fee(row) for row in failed), Decimal("0.00"))),
        },
        insured=insured,
        premium={code: PLANS[code][1] * n for code, n in insured.items()},
    )


def finance_result_rows(deduction_rows: list[list]) -> list[list]:
    """Finance's result file for the deduction file's rows (工号, 姓名, 单位, 扣款项目, 扣款金额,
    年度): every line deducted except the ones `deduction_fails` picks."""
    out = [["工号", "姓名", "扣款金额", "扣款结果", "失败原因"]]
    for staff_no, name, _unit, _item, amount, _year in deduction_rows:
        fails = deduction_fails(str(staff_no))
        out.append([str(staff_no), name, str(amount), "失败" if fails else "成功", DEDUCTION_FAILURE if fails else ""])
    return out

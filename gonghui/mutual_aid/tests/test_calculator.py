from decimal import Decimal as D

from gonghui.mutual_aid.calculator import Band, Cost, Formula, Rule, pro_rata_distribute, subsidy_compute
from gonghui.mutual_aid.choices import BaseMode, CostBase

WHU = Formula(
    base_mode=BaseMode.SINGLE,
    rules={
        CostBase.ALL: Rule(
            CostBase.ALL,
            D("20000"),
            (
                Band(D("20000"), D("30000"), D("0.25")),
                Band(D("30000"), D("50000"), D("0.30")),
                Band(D("50000"), None, D("0.40")),
            ),
        )
    },
    annual_cap=D("50000"),
    lifetime_cap=D("200000"),
)


def test_whu_example_from_the_domain_handbook():
    amount, working = subsidy_compute(formula=WHU, costs=[Cost(D("60000"))])
    assert amount == D("12500.00")
    assert [b["amount"] for b in working["bases"][0]["bands"]] == ["2500.00", "6000.00", "4000.00"]
    assert working["capped_by"] is None


def test_below_the_deductible_pays_nothing():
    amount, _ = subsidy_compute(formula=WHU, costs=[Cost(D("19999.99"))])
    assert amount == D("0.00")


def test_costs_of_several_bills_add_up_before_the_deductible():
    amount, _ = subsidy_compute(formula=WHU, costs=[Cost(D("15000")), Cost(D("10000"))])
    assert amount == D("1250.00")  # 5,000 above the deductible at 25 %


def test_annual_cap_counts_what_was_already_granted_this_year():
    amount, working = subsidy_compute(formula=WHU, costs=[Cost(D("200000"))], paid_this_year=D("45000"))
    assert amount == D("5000.00")
    assert working["capped_by"] == "annual"


def test_lifetime_cap_holds_across_years():
    amount, working = subsidy_compute(formula=WHU, costs=[Cost(D("60000"))], paid_lifetime=D("195000.50"))
    assert amount == D("4999.50")
    assert working["capped_by"] == "lifetime"


def test_separate_bases_for_covered_and_non_covered_costs():
    formula = Formula(
        base_mode=BaseMode.COVERED_NON_COVERED,
        rules={
            CostBase.COVERED: Rule(CostBase.COVERED, D("5000"), (Band(D("5000"), None, D("0.5")),)),
            CostBase.NON_COVERED: Rule(CostBase.NON_COVERED, D("6000"), (Band(D("6000"), None, D("0.3")),)),
        },
    )
    costs = [Cost(D("8000"), covered=True), Cost(D("7000"), covered=False)]
    amount, working = subsidy_compute(formula=formula, costs=costs)
    assert amount == D("1800.00")  # 3,000 × 50 % + 1,000 × 30 %
    assert [b["subtotal"] for b in working["bases"]] == ["1500.00", "300.00"]


def test_rounds_once_half_up_at_the_end():
    formula = Formula(BaseMode.SINGLE, {CostBase.ALL: Rule(CostBase.ALL, D("0"), (Band(D("0"), None, D("0.3333")),))})
    amount, _ = subsidy_compute(formula=formula, costs=[Cost(D("100.05"))])
    assert amount == D("33.35")  # 33.346665 → 33.35


def test_pro_rata_shares_add_up_to_the_fund_exactly():
    shares, ratio = pro_rata_distribute(fund=D("100.00"), claims={1: D("100"), 2: D("100"), 3: D("100")})
    assert sum(shares.values()) == D("100.00")
    assert sorted(shares.values()) == [D("33.33"), D("33.33"), D("33.34")]
    assert ratio == D("100") / D("300")


def test_pro_rata_pays_in_full_when_the_fund_suffices():
    shares, ratio = pro_rata_distribute(fund=D("1000"), claims={"a": D("120.50"), "b": D("300")})
    assert shares == {"a": D("120.50"), "b": D("300.00")}
    assert ratio == 1

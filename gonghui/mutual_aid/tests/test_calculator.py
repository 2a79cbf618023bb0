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


# --- pinned by literal numbers (DOMAIN §4.2): rounding, share-out, bands, caps ----------------


def _flat(rate: str, deductible: str = "0", **caps) -> Formula:
    """One band from the deductible up, at `rate`."""
    rule = Rule(CostBase.ALL, D(deductible), (Band(D(deductible), None, D(rate)),))
    return Formula(BaseMode.SINGLE, {CostBase.ALL: rule}, **caps)


def test_the_whole_working_of_the_handbook_example():
    amount, working = subsidy_compute(formula=WHU, costs=[Cost(D("60000"))])
    assert amount == D("12500.00")
    assert working == {
        "bases": [
            {
                "base": "all",
                "cost": "60000.00",
                "deductible": "20000.00",
                "above_deductible": "40000.00",
                "bands": [
                    {
                        "lower": "20000.00",
                        "upper": "30000.00",
                        "rate": "0.25",
                        "portion": "10000.00",
                        "amount": "2500.00",
                    },
                    {
                        "lower": "30000.00",
                        "upper": "50000.00",
                        "rate": "0.30",
                        "portion": "20000.00",
                        "amount": "6000.00",
                    },
                    {"lower": "50000.00", "upper": None, "rate": "0.40", "portion": "10000.00", "amount": "4000.00"},
                ],
                "subtotal": "12500.00",
            }
        ],
        "gross": "12500.00",
        "annual_cap": "50000.00",
        "paid_this_year": "0.00",
        "annual_remaining": "50000.00",
        "lifetime_cap": "200000.00",
        "paid_lifetime": "0.00",
        "lifetime_remaining": "200000.00",
        "capped_by": None,
        "result": "12500.00",
    }


def test_an_exact_half_cent_rounds_up():
    # 0.01 above the deductible at 50 %: 0.005 → 0.01 (not to the even 0.00)
    amount, working = subsidy_compute(formula=_flat("0.5", "100"), costs=[Cost(D("100.01"))])
    assert amount == D("0.01")
    assert working["result"] == "0.01"
    # 0.25 at 50 %: 0.125 → 0.13 (not to the even 0.12)
    amount, _ = subsidy_compute(formula=_flat("0.5"), costs=[Cost(D("0.25"))])
    assert amount == D("0.13")


def test_no_caps_leave_the_caps_out_of_the_working():
    amount, working = subsidy_compute(formula=_flat("0.5"), costs=[Cost(D("1000.00"))])
    assert amount == D("500.00")
    assert (working["annual_cap"], working["annual_remaining"]) == (None, None)
    assert (working["lifetime_cap"], working["lifetime_remaining"]) == (None, None)
    assert working["capped_by"] is None


def test_band_boundaries():
    # exactly at the deductible: nothing
    amount, working = subsidy_compute(formula=WHU, costs=[Cost(D("20000.00"))])
    assert (amount, working["bases"][0]["above_deductible"]) == (D("0.00"), "0.00")
    assert [b["portion"] for b in working["bases"][0]["bands"]] == ["0.00", "0.00", "0.00"]
    # exactly at the first band's upper bound: the whole first band, nothing of the second
    amount, working = subsidy_compute(formula=WHU, costs=[Cost(D("30000.00"))])
    assert amount == D("2500.00")
    assert [b["portion"] for b in working["bases"][0]["bands"]] == ["10000.00", "0.00", "0.00"]
    # one cent above it: the cent at the second band's 30 %
    amount, working = subsidy_compute(formula=WHU, costs=[Cost(D("30000.01"))])
    assert amount == D("2500.00")  # 2,500 + 0.003 → 2,500.00
    assert [b["portion"] for b in working["bases"][0]["bands"]] == ["10000.00", "0.01", "0.00"]
    assert working["bases"][0]["bands"][1]["amount"] == "0.00"
    # exactly at the open band's lower bound
    amount, working = subsidy_compute(formula=WHU, costs=[Cost(D("50000.00"))])
    assert amount == D("8500.00")
    assert [b["amount"] for b in working["bases"][0]["bands"]] == ["2500.00", "6000.00", "0.00"]


def test_a_band_below_the_deductible_starts_at_the_deductible():
    formula = Formula(
        BaseMode.SINGLE, {CostBase.ALL: Rule(CostBase.ALL, D("1000"), (Band(D("0"), D("3000"), D("0.5")),))}
    )
    amount, working = subsidy_compute(formula=formula, costs=[Cost(D("5000"))])
    assert amount == D("1000.00")  # 1,000 to 3,000 at 50 %
    assert working["bases"][0]["bands"][0]["portion"] == "2000.00"
    assert working["bases"][0]["above_deductible"] == "4000.00"


def test_inpatient_and_outpatient_bases_and_a_base_without_a_rule():
    formula = Formula(
        base_mode=BaseMode.INPATIENT_OUTPATIENT,
        rules={CostBase.INPATIENT: Rule(CostBase.INPATIENT, D("1000"), (Band(D("1000"), None, D("0.5")),))},
    )
    costs = [Cost(D("3000"), inpatient=True), Cost(D("700"), inpatient=False), Cost(D("500"), inpatient=True)]
    amount, working = subsidy_compute(formula=formula, costs=costs)
    assert amount == D("1250.00")  # (3,500 − 1,000) × 50 %; outpatient costs have no rule
    assert working["bases"][1] == {
        "base": "outpatient",
        "cost": "700.00",
        "deductible": None,
        "bands": [],
        "subtotal": "0.00",
    }
    assert (working["bases"][0]["base"], working["bases"][0]["cost"]) == ("inpatient", "3500.00")
    assert working["gross"] == "1250.00"


def test_the_single_base_takes_every_cost():
    costs = [Cost(D("100"), inpatient=True, covered=True), Cost(D("100"), inpatient=False, covered=False)]
    amount, working = subsidy_compute(formula=_flat("0.5"), costs=costs)
    assert (amount, working["bases"][0]["cost"]) == (D("100.00"), "200.00")


def test_covered_base_counts_only_covered_costs():
    formula = Formula(
        base_mode=BaseMode.COVERED_NON_COVERED,
        rules={CostBase.COVERED: Rule(CostBase.COVERED, D("0"), (Band(D("0"), None, D("1")),))},
    )
    costs = [Cost(D("40"), inpatient=False, covered=True), Cost(D("60"), inpatient=True, covered=False)]
    amount, working = subsidy_compute(formula=formula, costs=costs)
    assert amount == D("40.00")
    assert [(b["base"], b["cost"]) for b in working["bases"]] == [("covered", "40.00"), ("non_covered", "60.00")]


def test_the_annual_cap_across_applications():
    formula = _flat("1", annual_cap=D("1000.00"))
    # the grant that exactly fills what is left is not "capped"
    amount, working = subsidy_compute(formula=formula, costs=[Cost(D("400.00"))], paid_this_year=D("600.00"))
    assert (amount, working["capped_by"], working["annual_remaining"]) == (D("400.00"), None, "400.00")
    # one cent more is capped to what is left
    amount, working = subsidy_compute(formula=formula, costs=[Cost(D("400.01"))], paid_this_year=D("600.00"))
    assert (amount, working["capped_by"]) == (D("400.00"), "annual")
    # nothing left (or more than the cap granted already): nothing, never negative
    amount, working = subsidy_compute(formula=formula, costs=[Cost(D("50"))], paid_this_year=D("1000.00"))
    assert (amount, working["capped_by"], working["annual_remaining"]) == (D("0.00"), "annual", "0.00")
    amount, working = subsidy_compute(formula=formula, costs=[Cost(D("50"))], paid_this_year=D("1200.00"))
    assert (amount, working["annual_remaining"]) == (D("0.00"), "0.00")
    assert working["gross"] == "50.00" and working["paid_this_year"] == "1200.00"


def test_the_lifetime_cap_across_years():
    formula = _flat("1", annual_cap=D("5000.00"), lifetime_cap=D("10000.00"))
    # the lifetime room (300) is smaller than the year's (5,000): the lifetime cap bites
    amount, working = subsidy_compute(
        formula=formula, costs=[Cost(D("2000"))], paid_this_year=D("0"), paid_lifetime=D("9700.00")
    )
    assert (amount, working["capped_by"]) == (D("300.00"), "lifetime")
    assert (working["annual_remaining"], working["lifetime_remaining"]) == ("5000.00", "300.00")
    assert working["paid_lifetime"] == "9700.00"
    # the year's room (100) is smaller than the lifetime's (300): the annual cap bites
    amount, working = subsidy_compute(
        formula=formula, costs=[Cost(D("2000"))], paid_this_year=D("4900.00"), paid_lifetime=D("9700.00")
    )
    assert (amount, working["capped_by"]) == (D("100.00"), "annual")
    # exactly the lifetime room: not capped
    amount, working = subsidy_compute(formula=formula, costs=[Cost(D("300"))], paid_lifetime=D("9700.00"))
    assert (amount, working["capped_by"]) == (D("300.00"), None)
    # beyond the lifetime cap already: nothing
    amount, working = subsidy_compute(formula=formula, costs=[Cost(D("300"))], paid_lifetime=D("10500.00"))
    assert (amount, working["lifetime_remaining"]) == (D("0.00"), "0.00")


def test_two_cents_of_two_over_three_equal_claims_go_by_key_order():
    shares, ratio = pro_rata_distribute(fund=D("2.00"), claims={3: D("5.00"), 1: D("5.00"), 2: D("5.00")})
    assert shares == {1: D("0.67"), 2: D("0.67"), 3: D("0.66")}
    assert ratio == D("0.1333333333333333333333333333")


def test_the_leftover_cent_goes_to_the_largest_remainder_first():
    # exact shares 0.333… and 0.666…: the cent goes to b (remainder 0.0066…), not to a by key
    shares, ratio = pro_rata_distribute(fund=D("1.00"), claims={"a": D("1.00"), "b": D("2.00")})
    assert shares == {"a": D("0.33"), "b": D("0.67")}
    assert ratio == D("0.3333333333333333333333333333")


def test_a_fund_that_divides_evenly_has_no_leftover():
    shares, ratio = pro_rata_distribute(fund=D("5.00"), claims={"a": D("1.00"), "b": D("2.00"), "c": D("7.00")})
    assert shares == {"a": D("0.50"), "b": D("1.00"), "c": D("3.50")}
    assert ratio == D("0.5")


def test_a_fund_exactly_equal_to_the_claims_pays_them_in_full():
    shares, ratio = pro_rata_distribute(fund=D("300.01"), claims={"a": D("100.005"), "b": D("200.005")})
    assert shares == {"a": D("100.01"), "b": D("200.01")}  # each rounded half-up
    assert ratio == D("1")
    # one cent short of the claims: shared out, adding up to the fund
    shares, ratio = pro_rata_distribute(fund=D("2.99"), claims={"a": D("1.00"), "b": D("2.00")})
    assert shares == {"a": D("1.00"), "b": D("1.99")}
    assert ratio == D("0.9966666666666666666666666667")


def test_no_claims_share_nothing():
    assert pro_rata_distribute(fund=D("100.00"), claims={"a": D("0"), "b": D("0")}) == (
        {"a": D("0"), "b": D("0")},
        D("1"),
    )
    assert pro_rata_distribute(fund=D("100.00"), claims={}) == ({}, D("1"))


class _Rows(list):
    def all(self):
        return self


def test_formula_from_an_edition_sorts_the_bands():
    from types import SimpleNamespace

    rule = SimpleNamespace(
        base="all",
        deductible=D("100"),
        bands=_Rows(
            [
                SimpleNamespace(lower=D("500"), upper=None, rate=D("0.6")),
                SimpleNamespace(lower=D("100"), upper=D("500"), rate=D("0.5")),
            ]
        ),
    )
    edition = SimpleNamespace(base_mode="single", rules=_Rows([rule]), annual_cap=D("1000"), lifetime_cap=D("5000"))
    formula = Formula.from_edition(edition)
    assert formula == Formula(
        "single",
        {"all": Rule("all", D("100"), (Band(D("100"), D("500"), D("0.5")), Band(D("500"), None, D("0.6"))))},
        D("1000"),
        D("5000"),
    )


def test_claims_under_one_yuan_are_shared_too():
    shares, ratio = pro_rata_distribute(fund=D("0.20"), claims={"a": D("0.30"), "b": D("0.10")})
    assert shares == {"a": D("0.15"), "b": D("0.05")}
    assert ratio == D("0.5")


def test_a_base_without_a_rule_before_one_with_a_rule():
    formula = Formula(
        base_mode=BaseMode.INPATIENT_OUTPATIENT,
        rules={CostBase.OUTPATIENT: Rule(CostBase.OUTPATIENT, D("0"), (Band(D("0"), None, D("0.5")),))},
    )
    costs = [Cost(D("1000"), inpatient=True), Cost(D("300"), inpatient=False)]
    amount, working = subsidy_compute(formula=formula, costs=costs)
    assert amount == D("150.00")
    assert [(b["base"], b["subtotal"]) for b in working["bases"]] == [("inpatient", "0.00"), ("outpatient", "150.00")]

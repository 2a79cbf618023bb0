"""Money (DOMAIN §4.2): rounding once, half-up, to the cent; a fund shared out exactly."""

from decimal import Decimal

import pytest

from gonghui.core.money import CENT, ZERO, largest_remainder, money

D = Decimal


@pytest.mark.parametrize(
    "value, expected",
    [
        (D("0.005"), D("0.01")),  # an exact half cent goes up
        (D("0.004999"), D("0.00")),
        (D("2.675"), D("2.68")),
        (D("-0.005"), D("-0.01")),  # half-up is away from zero
        (D("12500"), D("12500.00")),
        ("100.1", D("100.10")),
        (7, D("7.00")),
        (None, D("0.00")),
    ],
)
def test_money_rounds_half_up_to_the_cent(value, expected):
    assert money(value) == expected
    assert str(money(value)) == str(expected)


def test_constants():
    assert CENT == D("0.01") and ZERO == D("0")


def test_a_fund_of_two_yuan_over_three_equal_claims_adds_up_exactly():
    # 2.00 / 3 = 0.666…: each gets 0.66 rounded down, the two cents left go to the first keys
    shares = largest_remainder(total=D("2.00"), weights={"a": D("10"), "b": D("10"), "c": D("10")})
    assert shares == {"a": D("0.67"), "b": D("0.67"), "c": D("0.66")}
    assert sum(shares.values()) == D("2.00")


def test_the_extra_cents_go_to_the_largest_remainders_not_to_the_first_key():
    # exact shares 0.333…, 0.555…, 1.111… → 0.33, 0.55, 1.11 (sum 1.99); remainders .0033, .0055, .0011
    shares = largest_remainder(total=D("2.00"), weights={"a": D("3"), "b": D("5"), "c": D("10")})
    assert shares == {"a": D("0.33"), "b": D("0.56"), "c": D("1.11")}


def test_ties_go_by_key_as_text():
    shares = largest_remainder(total=D("0.01"), weights={2: D("1"), 10: D("1")})
    assert shares == {10: D("0.01"), 2: D("0.00")}  # "10" sorts before "2"


def test_the_total_is_rounded_to_the_cent_first():
    shares = largest_remainder(total=D("1.005"), weights={"a": D("1"), "b": D("1")})
    assert shares == {"a": D("0.51"), "b": D("0.50")}


def test_nothing_to_share_by_gives_zeros():
    assert largest_remainder(total=D("5.00"), weights={"a": ZERO, "b": ZERO}) == {"a": ZERO, "b": ZERO}
    assert largest_remainder(total=D("5.00"), weights={}) == {}


def test_an_exact_share_gets_no_extra_cent():
    assert largest_remainder(total=D("3.00"), weights={"a": D("1"), "b": D("2")}) == {"a": D("1.00"), "b": D("2.00")}


def test_weights_below_one_still_share_the_whole_total():
    assert largest_remainder(total=D("1.00"), weights={"a": D("0.25"), "b": D("0.5")}) == {
        "a": D("0.33"),
        "b": D("0.67"),
    }

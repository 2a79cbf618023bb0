"""The expected benefit: allowance × days within the bands, lump sum per share, the waiting schedule."""

import datetime
from decimal import Decimal

from gonghui.insurance.benefits import cover_day, expected_benefit, hospital_days, is_waiting, waiting_row
from gonghui.insurance.presets import edition_values
from gonghui.insurance.services.enrollment import premium_for

HOSPITAL = edition_values("ZYJT", 2021)
FEMALE = edition_values("NGTJ", 2021)


def test_2021_premium_is_201025():
    # 1,759 + 1,759 + 1,005 insured at 50 / 50 / 25 yuan per share, one share each.
    class Edition:
        member_share_rate = Decimal("0")

        def __init__(self, price):
            self.price_per_share = Decimal(price)

    total = sum(
        (
            premium_for(Edition(price), 1)[0] * count
            for price, count in (("50.00", 1759), ("50.00", 1759), ("25.00", 1005))
        ),
        Decimal("0"),
    )
    assert total == Decimal("201025.00")
    assert str(total) == "201025.00"


def test_allowance_pays_from_day_four_within_the_cap():
    benefit = HOSPITAL["benefits"][0]
    admission, discharge = datetime.date(2021, 9, 1), datetime.date(2021, 9, 11)
    assert hospital_days(admission, discharge) == 10
    amount, working = expected_benefit(
        benefit=benefit,
        shares=1,
        schedule=HOSPITAL["waiting_schedule"],
        day=62,
        admission=admission,
        discharge=discharge,
    )
    assert amount == Decimal("280.00")  # days 4..10 = 7 days × 40
    assert working["bands"] == [{"from_day": 4, "to_day": None, "days": 7, "amount": "280"}]
    # three days in hospital: nothing
    amount, _w = expected_benefit(
        benefit=benefit, shares=1, schedule=[], day=62, admission=admission, discharge=datetime.date(2021, 9, 4)
    )
    assert amount == Decimal("0.00")
    # the yearly cap (7,200) less what was paid already on the same cover
    amount, working = expected_benefit(
        benefit=benefit,
        shares=1,
        schedule=[],
        day=62,
        admission=admission,
        discharge=admission + datetime.timedelta(days=200),
        already_paid=Decimal("7000"),
    )
    assert amount == Decimal("200.00")
    assert working["cap_room"] == "200"


def test_allowance_inside_the_waiting_period_is_zero():
    benefit = HOSPITAL["benefits"][0]
    amount, working = expected_benefit(
        benefit=benefit,
        shares=1,
        schedule=HOSPITAL["waiting_schedule"],
        day=30,
        admission=datetime.date(2021, 7, 30),
        discharge=datetime.date(2021, 8, 9),
    )
    assert amount == Decimal("0.00")
    assert working["waiting_share"] == "0"
    assert is_waiting(HOSPITAL["waiting_schedule"], 30) is True
    assert is_waiting(HOSPITAL["waiting_schedule"], 31) is False


def test_female_special_graduated_waiting():
    listed = FEMALE["benefits"][1]
    schedule = FEMALE["waiting_schedule"]
    # day ≤ 30: nothing; days 31–60: 500 per share; later: 15,000 per share
    assert expected_benefit(benefit=listed, shares=1, schedule=schedule, day=30)[0] == Decimal("0.00")
    assert expected_benefit(benefit=listed, shares=1, schedule=schedule, day=31)[0] == Decimal("500.00")
    assert expected_benefit(benefit=listed, shares=2, schedule=schedule, day=60)[0] == Decimal("1000.00")
    assert expected_benefit(benefit=listed, shares=1, schedule=schedule, day=61)[0] == Decimal("15000.00")
    assert expected_benefit(benefit=listed, shares=1, schedule=schedule, day=10, waived_waiting=True)[0] == Decimal(
        "15000.00"
    )
    in_situ = FEMALE["benefits"][0]
    assert expected_benefit(benefit=in_situ, shares=1, schedule=schedule, day=100)[0] == Decimal("2000.00")


# --- pinned by literal numbers -------------------------------------------------------------

START = datetime.date(2021, 7, 1)
WAIT_30 = [{"from_day": 1, "share": "0"}, {"from_day": 31, "share": "1"}]
LUMP = {"code": "illness", "kind": "lump_sum", "amount": "10000"}
BANDS = {
    "code": "allowance",
    "kind": "daily",
    "bands": [
        {"from_day": 4, "to_day": 10, "per_day": "40"},
        {"from_day": 11, "to_day": 20, "per_day": "60"},
        {"from_day": 21, "to_day": None, "per_day": "80"},
    ],
}


def test_the_day_cover_begins_is_day_one_of_the_waiting_period():
    assert cover_day(starts_on=START, event_date=START) == 1
    assert cover_day(starts_on=START, event_date=datetime.date(2021, 7, 30)) == 30
    assert cover_day(starts_on=START, event_date=datetime.date(2021, 7, 31)) == 31
    # 30 days of waiting: days 1–30 pay nothing, day 31 (31 July) pays in full
    day_30 = cover_day(starts_on=START, event_date=datetime.date(2021, 7, 30))
    day_31 = cover_day(starts_on=START, event_date=datetime.date(2021, 7, 31))
    assert expected_benefit(benefit=LUMP, shares=1, schedule=WAIT_30, day=day_30)[0] == Decimal("0.00")
    assert expected_benefit(benefit=LUMP, shares=1, schedule=WAIT_30, day=day_31)[0] == Decimal("10000.00")
    assert (is_waiting(WAIT_30, 1), is_waiting(WAIT_30, 30), is_waiting(WAIT_30, 31)) == (True, True, False)
    # no schedule, or a day before its first row: full benefit
    assert waiting_row([], 1) == {"from_day": 1, "share": "1"}
    assert waiting_row([{"from_day": 5, "share": "0"}], 4) == {"from_day": 1, "share": "1"}
    assert is_waiting([], 1) is False
    assert is_waiting([{"from_day": 1, "share": "1", "max_per_share": "500"}], 1) is True
    assert is_waiting([{"from_day": 1, "share": "1", "max_per_share": ""}], 1) is False
    assert is_waiting([{"from_day": 1, "max_per_share": None}], 1) is False


def test_rows_of_the_schedule_apply_from_their_day_in_any_order():
    schedule = [{"from_day": 61, "share": "1"}, {"from_day": 1, "share": "0"}, {"from_day": 31, "share": "0.5"}]
    assert [waiting_row(schedule, day)["share"] for day in (1, 30, 31, 60, 61, 400)] == [
        "0",
        "0",
        "0.5",
        "0.5",
        "1",
        "1",
    ]
    assert waiting_row([{"from_day": "31", "share": "0.5"}], 31) == {"from_day": "31", "share": "0.5"}


def test_benefits_are_multiplied_by_the_shares():
    amount, working = expected_benefit(benefit=LUMP, shares=3, schedule=[], day=100)
    assert amount == Decimal("30000.00")
    assert working == {
        "benefit": "illness",
        "shares": 3,
        "cover_day": 100,
        "base": "30000",
        "waiting_share": "1",
        "expected": "30000.00",
    }
    daily = {"code": "allowance", "kind": "daily", "bands": [{"from_day": 4, "to_day": None, "per_day": "40"}]}
    admission = datetime.date(2021, 9, 1)
    amount, working = expected_benefit(
        benefit=daily, shares=2, schedule=[], day=100, admission=admission, discharge=datetime.date(2021, 9, 11)
    )
    assert amount == Decimal("560.00")  # days 4–10: 7 days × 40 × 2 shares
    assert working["bands"] == [{"from_day": 4, "to_day": None, "days": 7, "amount": "560"}]
    assert expected_benefit(benefit={"kind": "lump_sum"}, shares=2, schedule=[], day=1)[0] == Decimal("0.00")


def test_bands_end_on_their_to_day_inclusive_and_add_up():
    admission = datetime.date(2021, 9, 1)

    def pay(days):
        return expected_benefit(
            benefit=BANDS,
            shares=1,
            schedule=[],
            day=100,
            admission=admission,
            discharge=admission + datetime.timedelta(days=days),
        )

    assert pay(3)[0] == Decimal("0.00")  # nothing before day 4
    assert pay(4)[0] == Decimal("40.00")
    assert pay(10)[0] == Decimal("280.00")  # days 4–10 of the first band, to_day 10 included
    assert pay(11)[0] == Decimal("340.00")  # 280 + day 11 at 60
    assert pay(20)[0] == Decimal("880.00")  # 280 + 10 × 60
    amount, working = pay(25)
    assert amount == Decimal("1280.00")  # 280 + 600 + 5 × 80
    assert working["hospital_days"] == 25
    assert working["bands"] == [
        {"from_day": 4, "to_day": 10, "days": 7, "amount": "280"},
        {"from_day": 11, "to_day": 20, "days": 10, "amount": "600"},
        {"from_day": 21, "to_day": None, "days": 5, "amount": "400"},
    ]
    assert working["base"] == "1280"
    # two shares, every band doubled
    two = expected_benefit(
        benefit=BANDS,
        shares=2,
        schedule=[],
        day=100,
        admission=admission,
        discharge=admission + datetime.timedelta(days=25),
    )
    assert two[0] == Decimal("2560.00")
    # a discharge before the admission, or a missing date: no hospital days
    assert hospital_days(admission, admission - datetime.timedelta(days=1)) == 0
    assert hospital_days(None, admission) == 0 and hospital_days(admission, None) == 0
    assert hospital_days(admission, admission) == 0


def test_the_graduated_waiting_schedule_share_and_maximum_per_share():
    schedule = [
        {"from_day": 1, "share": "0"},
        {"from_day": 31, "share": "0.5", "max_per_share": "500"},
        {"from_day": 61, "share": "0.5"},
        {"from_day": 91, "share": "1"},
    ]
    amount, working = expected_benefit(benefit=LUMP, shares=1, schedule=schedule, day=31)
    assert amount == Decimal("500.00")  # half of 10,000 is 5,000, at most 500 per share
    assert (working["waiting_share"], working["waiting_max_per_share"]) == ("0.5", "500")
    assert expected_benefit(benefit=LUMP, shares=3, schedule=schedule, day=60)[0] == Decimal("1500.00")
    small = {"code": "x", "kind": "lump_sum", "amount": "600"}
    assert expected_benefit(benefit=small, shares=1, schedule=schedule, day=45)[0] == Decimal("300.00")  # under the max
    amount, working = expected_benefit(benefit=LUMP, shares=2, schedule=schedule, day=61)
    assert amount == Decimal("10000.00")  # half, no maximum
    assert "waiting_max_per_share" not in working
    assert expected_benefit(benefit=LUMP, shares=1, schedule=schedule, day=91)[0] == Decimal("10000.00")
    assert expected_benefit(benefit=LUMP, shares=1, schedule=schedule, day=30)[0] == Decimal("0.00")
    # the share is applied to the amount, rounded once to the cent, half-up
    third = [{"from_day": 1, "share": "0.3333"}]
    assert expected_benefit(benefit={"kind": "lump_sum", "amount": "100.05"}, shares=1, schedule=third, day=1)[
        0
    ] == Decimal("33.35")  # 33.346665 → 33.35
    # a continued cover skips the schedule entirely
    amount, working = expected_benefit(benefit=LUMP, shares=1, schedule=schedule, day=31, waived_waiting=True)
    assert amount == Decimal("10000.00")
    assert (working["waiting"], working["waiting_share"]) == ("waived", "1")
    assert "waiting_max_per_share" not in working


def test_the_yearly_cap_less_what_was_already_paid():
    capped = {**BANDS, "cap": "1000"}
    admission = datetime.date(2021, 9, 1)
    discharge = admission + datetime.timedelta(days=25)  # 1,280 per share before the cap
    amount, working = expected_benefit(
        benefit=capped, shares=1, schedule=[], day=100, admission=admission, discharge=discharge
    )
    assert (amount, working["cap_room"], working["base"]) == (Decimal("1000.00"), "1000", "1280")
    amount, working = expected_benefit(
        benefit=capped,
        shares=2,
        schedule=[],
        day=100,
        admission=admission,
        discharge=discharge,
        already_paid=Decimal("1500"),
    )
    assert (amount, working["cap_room"]) == (Decimal("500.00"), "500")  # 2 × 1,000 − 1,500
    amount, working = expected_benefit(
        benefit=capped,
        shares=1,
        schedule=[],
        day=100,
        admission=admission,
        discharge=discharge,
        already_paid=Decimal("1200"),
    )
    assert (amount, working["cap_room"]) == (Decimal("0.00"), "0")  # paid beyond the cap: nothing, never negative
    amount, working = expected_benefit(
        benefit={**LUMP, "cap": "15000"}, shares=1, schedule=[], day=100, already_paid=Decimal("14999.99")
    )
    assert (amount, working["cap_room"]) == (Decimal("0.01"), "0.01")
    # the cap applies before the waiting share: half of what is left under the cap
    amount, _w = expected_benefit(
        benefit={**LUMP, "cap": "4000"},
        shares=1,
        schedule=[{"from_day": 1, "share": "0.5"}],
        day=1,
        already_paid=Decimal("1000"),
    )
    assert amount == Decimal("1500.00")
    # no cap, or an empty one: no room computed
    for benefit in (LUMP, {**LUMP, "cap": ""}, {**LUMP, "cap": None}):
        amount, working = expected_benefit(
            benefit=benefit, shares=1, schedule=[], day=100, already_paid=Decimal("9000")
        )
        assert amount == Decimal("10000.00") and "cap_room" not in working


def test_empty_rule_values_mean_no_end_no_limit_and_full_share():
    admission = datetime.date(2021, 9, 1)
    open_band = {"kind": "daily", "bands": [{"from_day": 1, "to_day": "", "per_day": "10"}]}
    amount, working = expected_benefit(
        benefit=open_band, shares=1, schedule=[], day=100, admission=admission, discharge=datetime.date(2021, 9, 13)
    )
    assert (amount, working["bands"][0]["days"]) == (Decimal("120.00"), 12)  # "" is no end, like null
    no_limit = [{"from_day": 1, "share": "0.5", "max_per_share": ""}]
    amount, working = expected_benefit(benefit=LUMP, shares=1, schedule=no_limit, day=5)
    assert amount == Decimal("5000.00") and "waiting_max_per_share" not in working
    only_limit = [{"from_day": 1, "max_per_share": "500"}]  # no share given: the whole benefit, capped
    amount, working = expected_benefit(benefit=LUMP, shares=2, schedule=only_limit, day=5)
    assert (amount, working["waiting_share"], working["waiting_max_per_share"]) == (Decimal("1000.00"), "1", "500")

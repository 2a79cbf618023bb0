"""The expected benefit: allowance × days within the bands, lump sum per share, the waiting schedule."""

import datetime
from decimal import Decimal

from gonghui.insurance.benefits import expected_benefit, hospital_days, is_waiting
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

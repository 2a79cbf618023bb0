"""The expected benefit of a claim, from the edition's benefit table and waiting schedule.

Pure functions: no database. The result keeps its working, so the office can explain the
figure it compares with what the insurer paid.

- Day N of cover: the day cover began is day 1.
- Hospital days: discharge date − admission date (the count on a Chinese discharge summary).
- A daily allowance pays ``per_day × shares`` for each hospital day inside a band
  (``from_day`` … ``to_day``, inclusive; ``to_day`` null means no end), limited by the yearly
  cap per share less what was already paid on the same cover this term.
- A lump sum pays ``amount × shares``.
- The waiting schedule's row for the event's day of cover then applies: ``share`` of the
  amount, and at most ``max_per_share × shares`` when the row says so.
"""

import datetime
from decimal import Decimal

from gonghui.core.money import ZERO, money


def cover_day(*, starts_on: datetime.date, event_date: datetime.date) -> int:
    return (event_date - starts_on).days + 1


def waiting_row(schedule: list, day: int) -> dict:
    """The schedule's row for day `day` of cover (no schedule, or before its first row: full)."""
    row = {"from_day": 1, "share": "1"}
    for candidate in sorted(schedule or [], key=lambda r: int(r["from_day"])):
        if int(candidate["from_day"]) <= day:
            row = candidate
    return row


def is_waiting(schedule: list, day: int) -> bool:
    row = waiting_row(schedule, day)
    return _share(row) < 1 or _given(row.get("max_per_share")) is not None


def _given(value):
    """A rule value, or None when the rule leaves it empty (null or "")."""
    return None if value in (None, "") else value


def _share(row: dict) -> Decimal:
    """The row's share of the benefit (a row without one pays in full)."""
    return Decimal(str(row.get("share", "1")))


def hospital_days(admission: datetime.date | None, discharge: datetime.date | None) -> int:
    if not admission or not discharge:
        return 0
    return max(0, (discharge - admission).days)


def expected_benefit(
    *,
    benefit: dict,
    shares: int,
    schedule: list,
    day: int,
    admission=None,
    discharge=None,
    already_paid: Decimal = ZERO,
    waived_waiting: bool = False,
) -> tuple[Decimal, dict]:
    """(amount, working) for one benefit item of the table."""
    working: dict = {"benefit": benefit.get("code"), "shares": shares, "cover_day": day}
    if benefit.get("kind") == "daily":
        days = hospital_days(admission, discharge)
        working["hospital_days"] = days
        base = ZERO
        bands = []
        for band in benefit.get("bands") or []:
            start = int(band["from_day"])
            to_day = _given(band.get("to_day"))
            end = days if to_day is None else min(days, int(to_day))
            covered = max(0, end - start + 1)
            amount = covered * Decimal(str(band["per_day"])) * shares
            bands.append({"from_day": start, "to_day": band.get("to_day"), "days": covered, "amount": str(amount)})
            base += amount
        working["bands"] = bands
    else:
        base = Decimal(str(benefit.get("amount") or 0)) * shares
    working["base"] = str(base)
    cap = _given(benefit.get("cap"))
    if cap is not None:
        room = max(ZERO, Decimal(str(cap)) * shares - already_paid)
        working["cap_room"] = str(room)
        base = min(base, room)
    if waived_waiting:  # cover continued without a gap: no waiting period again
        working["waiting"] = "waived"
    row = {} if waived_waiting else waiting_row(schedule, day)
    share = _share(row)
    working["waiting_share"] = str(share)
    amount = base * share
    limit = _given(row.get("max_per_share"))
    if limit is not None:
        amount = min(amount, Decimal(str(limit)) * shares)
        working["waiting_max_per_share"] = str(limit)
    result = money(amount)
    working["expected"] = str(result)
    return result, working

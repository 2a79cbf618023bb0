"""Paper ballots (DOMAIN §3.6): each of a unit's two tellers enters every paper ballot on their
own; the counts enter the result only once both tellers' tallies of a category agree. A spoilt
ballot (no grade, two grades, marks that identify the voter) is entered as spoilt and counted
apart: it counts toward turnout, not toward any grade."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.appraisals.models import EligibleVoter, PaperBallot, PaperCount, PaperHandout, RoundUnit, Teller
from gonghui.appraisals.services.rounds import _box_items
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import AuditAction
from gonghui.core.service_kit import audit


def _teller_person(actor, unit: RoundUnit) -> int:
    person_id = get_access(actor).person_id
    if person_id is None or not Teller.objects.filter(round_unit=unit, person_id=person_id).exists():
        raise PermissionDenied
    return person_id


def _counting_require(unit: RoundUnit, category: str) -> None:
    appraisal_round = unit.round
    if not appraisal_round.paper:
        raise ApplicationError(_("本次测评只在网上投票，没有纸质选票。"))
    if appraisal_round.status not in (RoundStatus.VOTING_OPEN, RoundStatus.VOTING_CLOSED):
        raise ApplicationError(_("投票开始后、计票前才能录入纸质选票。"))
    if category not in {c.code for c in appraisal_round.rules.categories.all()}:
        raise ApplicationError(_("请选择选票的类别。"), extra={"field": "category"})
    if PaperCount.objects.filter(round_unit=unit, category=category).exists():
        raise ApplicationError(_("这一类别的纸质选票已核对一致，不能再录入或修改。"))


def ballot_items(unit: RoundUnit) -> list[dict]:
    return _box_items(unit)


@transaction.atomic
def paper_ballot_enter(*, actor, unit: RoundUnit, category: str, spoilt: bool, choices: dict) -> PaperBallot:
    """One paper ballot as this teller reads it."""
    teller = _teller_person(actor, unit)
    unit = RoundUnit.objects.select_for_update().select_related("round__rules").get(pk=unit.pk)
    _counting_require(unit, category)
    clean: dict[str, str] = {}
    if not spoilt:
        for item in ballot_items(unit):
            chosen = (choices or {}).get(item["key"])
            if chosen not in {option[0] for option in item["options"]}:
                raise ApplicationError(
                    _("“%(item)s”没有选择等次：选票不完整的，请作为废票录入。") % {"item": item["label"]},
                    extra={"field": item["key"]},
                )
            clean[item["key"]] = str(chosen)
    return PaperBallot.objects.create(
        round_unit=unit, teller_id=teller, category=category, spoilt=spoilt, choices=clean
    )


@transaction.atomic
def paper_ballot_remove(*, actor, ballot: PaperBallot) -> None:
    """A teller takes back one of their own entries (a slip of the finger) before agreement."""
    teller = _teller_person(actor, ballot.round_unit)
    if ballot.teller_id != teller:
        raise PermissionDenied
    _counting_require(ballot.round_unit, ballot.category)
    ballot.delete()


@dataclass(frozen=True)
class TellerTally:
    teller_id: int
    teller_name: str
    ballots: int
    spoilt: int
    counts: dict[str, dict[str, int]]  # item -> grade -> n


def teller_tallies(unit: RoundUnit, category: str) -> list[TellerTally]:
    """Each teller's own tally of the category's paper ballots, in the tellers' order."""
    tallies = []
    for teller in Teller.objects.filter(round_unit=unit).select_related("person").order_by("pk"):
        entries = PaperBallot.objects.filter(round_unit=unit, category=category, teller_id=teller.person_id)
        counts: dict[str, Counter] = {}
        ballots = spoilt = 0
        for is_spoilt, choices in entries.values_list("spoilt", "choices").iterator():
            ballots += 1
            if is_spoilt:
                spoilt += 1
                continue
            for key, grade in choices.items():
                counts.setdefault(key, Counter())[grade] += 1
        tallies.append(
            TellerTally(
                teller_id=teller.person_id,
                teller_name=teller.person.name,
                ballots=ballots,
                spoilt=spoilt,
                counts={k: dict(v) for k, v in counts.items()},
            )
        )
    return tallies


def tally_differences(unit: RoundUnit, first: TellerTally, second: TellerTally) -> list[str]:
    """Where two tellers' tallies differ, in words."""
    lines = []
    if first.ballots != second.ballots:
        lines.append(
            _("选票张数：%(a)s 计 %(x)s 张，%(b)s 计 %(y)s 张")
            % {"a": first.teller_name, "x": first.ballots, "b": second.teller_name, "y": second.ballots}
        )
    if first.spoilt != second.spoilt:
        lines.append(
            _("废票：%(a)s 计 %(x)s 张，%(b)s 计 %(y)s 张")
            % {"a": first.teller_name, "x": first.spoilt, "b": second.teller_name, "y": second.spoilt}
        )
    for item in ballot_items(unit):
        for code, label in item["options"]:
            x = first.counts.get(item["key"], {}).get(code, 0)
            y = second.counts.get(item["key"], {}).get(code, 0)
            if x != y:
                lines.append(
                    _("%(item)s“%(grade)s”：%(a)s 计 %(x)s 票，%(b)s 计 %(y)s 票")
                    % {
                        "item": item["label"],
                        "grade": label,
                        "a": first.teller_name,
                        "x": x,
                        "b": second.teller_name,
                        "y": y,
                    }
                )
    return lines


def _paper_ceiling(unit: RoundUnit, category: str) -> int:
    """The most paper ballots a category can have: those handed out where the round also votes
    online, otherwise everyone of the category."""
    if unit.round.rules.mode == VotingMode.BOTH:
        return PaperHandout.objects.filter(round_unit=unit, category=category).count()
    return EligibleVoter.objects.filter(round_unit=unit, category=category).count()


@transaction.atomic
def paper_count_agree(*, actor, unit: RoundUnit, category: str) -> PaperCount:
    """The category's paper ballots count once both tellers' tallies are the same, to the vote.
    Refused, with nothing written, while they differ (the differences are listed) or when there
    are more ballots than voters who could have cast them."""
    if not (actor.has_perm("appraisals.manage_appraisalround") or _teller_person(actor, unit)):
        raise PermissionDenied
    unit = RoundUnit.objects.select_for_update().select_related("round__rules", "sub_union").get(pk=unit.pk)
    _counting_require(unit, category)
    tallies = teller_tallies(unit, category)
    if len(tallies) != 2:
        raise ApplicationError(_("本单位须有两位计票人。"))
    first, second = tallies
    if not first.ballots or not second.ballots:
        raise ApplicationError(_("两位计票人都录入后才能核对。"))
    differences = tally_differences(unit, first, second)
    if differences:
        raise ApplicationError(
            _("两位计票人的计票不一致，请重新清点后更正：%(lines)s") % {"lines": "；".join(differences)},
            extra={"differences": differences},
        )
    ceiling = _paper_ceiling(unit, category)
    if first.ballots > ceiling:
        raise ApplicationError(
            _("收回 %(n)s 张选票，多于可投票的 %(max)s 人：请重新清点。") % {"n": first.ballots, "max": ceiling}
        )
    count = PaperCount.objects.create(
        round_unit=unit,
        category=category,
        ballots=first.ballots,
        spoilt=first.spoilt,
        counts=first.counts,
        tellers=f"{first.teller_name}、{second.teller_name}",
        agreed_at=timezone.now(),
        agreed_by=actor,
    )
    _entries_reshuffle(unit, category)
    audit(
        actor,
        unit.round,
        AuditAction.UPDATED,
        _("%(unit)s纸质选票核对一致：%(n)s 张，其中废票 %(spoilt)s 张")
        % {"unit": unit.sub_union.name, "n": count.ballots, "spoilt": count.spoilt},
    )
    return count


def _entries_reshuffle(unit: RoundUnit, category: str) -> None:
    """Write the agreed category's entries again in one random order with new keys. Tellers take
    the papers from the box roughly in the order they went in (the last one dropped comes out
    first), and voters dropped them in about the order they signed in (`PaperHandout`): left in
    the order entered, a dump's row order (SQLite's rowid, PostgreSQL's tuple order) would echo
    the sign-in sheet. Once agreed, the entries no longer change, so their order can go."""
    import secrets

    rows = list(
        PaperBallot.objects.filter(round_unit=unit, category=category).values_list("teller_id", "spoilt", "choices")
    )
    secrets.SystemRandom().shuffle(rows)
    PaperBallot.objects.filter(round_unit=unit, category=category).delete()
    PaperBallot.objects.bulk_create(
        PaperBallot(round_unit=unit, teller_id=teller, category=category, spoilt=spoilt, choices=choices)
        for teller, spoilt, choices in rows
    )

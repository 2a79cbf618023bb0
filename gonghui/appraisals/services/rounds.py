"""A round's setup and lifecycle, run by the union office (the system actor opens and closes
it at its times): the units, their cadres and reports, the voters per category, the tellers;
publishing the reports, opening the voting (one ballot box per unit, in core's store),
closing it, counting, and the organisation department's release of the results."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.appraisals.choices import BallotKind, RoundStatus
from gonghui.appraisals.models import AppraisalRound, Cadre, EligibleVoter, RoundUnit, Teller
from gonghui.appraisals.services.rules import rules_in_force
from gonghui.appraisals.workflow import AppraisalRoundWorkflow
from gonghui.core.ballots import Voter, ballot_box_close, ballot_box_open
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditAction
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, SubUnion

MANAGE = "appraisals.manage_appraisalround"


def _manage_require(actor, appraisal_round: AppraisalRound) -> None:
    permission_require(actor, MANAGE)
    if appraisal_round.status != RoundStatus.DRAFT:
        raise ApplicationError(_("述职报告公开后，参评单位、干部和投票人不能再改。"))


def _people_by_staff_no(staff_numbers: Iterable[str], field: str) -> list[Person]:
    wanted = [n.strip() for n in staff_numbers if n and n.strip()]
    found = {p.staff_no: p for p in Person.objects.filter(staff_no__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ApplicationError(
            _("找不到这些工号：%(numbers)s。") % {"numbers": "、".join(missing[:10])}, extra={"field": field}
        )
    return [found[n] for n in dict.fromkeys(wanted)]


@transaction.atomic
def round_create(
    *, actor, year: int, title: str, opens_at: datetime.datetime, closes_at: datetime.datetime
) -> AppraisalRound:
    permission_require(actor, MANAGE)
    rules = rules_in_force(year)
    if rules is None:
        raise ApplicationError(_("%(year)s年度的测评办法尚未通过：请先通过测评办法。") % {"year": year})
    if closes_at <= opens_at:
        raise ApplicationError(_("投票截止时间须晚于开始时间。"), extra={"field": "closes_at"})
    appraisal_round = AppraisalRound.objects.create(
        year=year,
        title=required_text(title, _("请填写名称。"), field="title"),
        rules=rules,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    AppraisalRoundWorkflow.record(appraisal_round, "created", actor)
    return appraisal_round


@transaction.atomic
def unit_add(*, actor, appraisal_round: AppraisalRound, sub_union: SubUnion, meeting_on=None) -> RoundUnit:
    _manage_require(actor, appraisal_round)
    if RoundUnit.objects.filter(round=appraisal_round, sub_union=sub_union).exists():
        raise ApplicationError(_("%(unit)s已在本次测评中。") % {"unit": sub_union}, extra={"field": "sub_union"})
    unit = RoundUnit.objects.create(round=appraisal_round, sub_union=sub_union, meeting_on=meeting_on)
    audit(actor, appraisal_round, AuditAction.UPDATED, _("添加参评单位：%(unit)s") % {"unit": sub_union})
    return unit


@transaction.atomic
def unit_remove(*, actor, unit: RoundUnit) -> None:
    _manage_require(actor, unit.round)
    audit(actor, unit.round, AuditAction.UPDATED, _("移除参评单位：%(unit)s") % {"unit": unit.sub_union})
    unit.delete()


@transaction.atomic
def cadre_add(*, actor, unit: RoundUnit, staff_no: str, post: str) -> Cadre:
    _manage_require(actor, unit.round)
    (person,) = _people_by_staff_no([staff_no], "staff_no")
    if Cadre.objects.filter(round_unit=unit, person=person).exists():
        raise ApplicationError(
            _("%(name)s已在本单位的被测评干部中。") % {"name": person.name}, extra={"field": "staff_no"}
        )
    position = Cadre.objects.filter(round_unit=unit).count()
    cadre = Cadre.objects.create(
        round_unit=unit, person=person, post=required_text(post, _("请填写职务。"), field="post"), position=position
    )
    audit(actor, unit.round, AuditAction.UPDATED, _("添加被测评干部：%(cadre)s") % {"cadre": cadre})
    return cadre


@transaction.atomic
def cadre_remove(*, actor, cadre: Cadre) -> None:
    _manage_require(actor, cadre.round_unit.round)
    audit(actor, cadre.round_unit.round, AuditAction.UPDATED, _("移除被测评干部：%(cadre)s") % {"cadre": cadre})
    cadre.delete()


@transaction.atomic
def cadre_report_set(*, actor, cadre: Cadre, text: str = "", report_file=None) -> Cadre:
    """The cadre's report (述职报告): text, or a PDF stored through attachments."""
    from gonghui.appraisals.choices import REPORT_PURPOSE
    from gonghui.attachments.services import attachment_store

    _manage_require(actor, cadre.round_unit.round)
    if not (text or "").strip() and report_file is None:
        raise ApplicationError(_("请填写述职报告或上传文件。"), extra={"field": "text"})
    cadre.report_text = (text or "").strip()
    if report_file is not None:
        cadre.report_file = attachment_store(
            uploaded_file=report_file, uploaded_by=actor, owner_person=cadre.person, purpose=REPORT_PURPOSE
        )
    cadre.save(update_fields=["report_text", "report_file"])
    audit(actor, cadre.round_unit.round, AuditAction.UPDATED, _("述职报告：%(cadre)s") % {"cadre": cadre})
    return cadre


def _category_require(appraisal_round: AppraisalRound, category: str) -> None:
    if category not in {c.code for c in appraisal_round.rules.categories.all()}:
        raise ApplicationError(_("请选择本年度测评办法中的投票人类别。"), extra={"field": "category"})


@transaction.atomic
def voters_fill(*, actor, unit: RoundUnit, staff_category: str, cadre_category: str) -> int:
    """The unit's voters from the roster: its serving staff (its sub-union and the groups below
    it) in `staff_category`, its cadres in `cadre_category`. Voters added by hand stay; returns
    how many were added."""
    _manage_require(actor, unit.round)
    _category_require(unit.round, staff_category)
    _category_require(unit.round, cadre_category)
    present = set(EligibleVoter.objects.filter(round_unit=unit).values_list("person_id", flat=True))
    cadres = set(Cadre.objects.filter(round_unit=unit).values_list("person_id", flat=True))
    staff = Person.objects.filter(
        sub_union_id__in=SubUnion.objects.with_descendants([unit.sub_union_id]),
        employment_status=EmploymentStatus.ACTIVE,
    ).values_list("pk", flat=True)
    rows = [
        EligibleVoter(round_unit=unit, person_id=pk, category=cadre_category if pk in cadres else staff_category)
        for pk in staff.iterator()
        if pk not in present
    ]
    rows += [
        EligibleVoter(round_unit=unit, person_id=pk, category=cadre_category)
        for pk in cadres - present - {row.person_id for row in rows}
    ]
    EligibleVoter.objects.bulk_create(rows, batch_size=2000)
    audit(
        actor,
        unit.round,
        AuditAction.UPDATED,
        _("%(unit)s：从花名册生成投票人 %(n)s 人") % {"unit": unit, "n": len(rows)},
    )
    return len(rows)


@transaction.atomic
def voters_add(*, actor, units: list[RoundUnit], staff_numbers: list[str], category: str) -> int:
    """Voters by staff number in `category` for each of `units` (the university's leaders vote
    in every college); someone already a voter of a unit keeps their category there."""
    if not units:
        raise ApplicationError(_("请选择参评单位。"), extra={"field": "units"})
    for unit in units:
        _manage_require(actor, unit.round)
    _category_require(units[0].round, category)
    people = _people_by_staff_no(staff_numbers, "staff_numbers")
    if not people:
        raise ApplicationError(_("请填写工号。"), extra={"field": "staff_numbers"})
    added = 0
    for unit in units:
        present = set(EligibleVoter.objects.filter(round_unit=unit).values_list("person_id", flat=True))
        rows = [EligibleVoter(round_unit=unit, person=p, category=category) for p in people if p.pk not in present]
        EligibleVoter.objects.bulk_create(rows)
        added += len(rows)
    audit(actor, units[0].round, AuditAction.UPDATED, _("添加投票人 %(n)s 人次") % {"n": added})
    return added


@transaction.atomic
def voter_remove(*, actor, voter: EligibleVoter) -> None:
    _manage_require(actor, voter.round_unit.round)
    voter.delete()


@transaction.atomic
def tellers_set(*, actor, unit: RoundUnit, staff_numbers: list[str]) -> list[Teller]:
    """The unit's two tellers (计票人), who enter the paper ballots each on their own."""
    permission_require(actor, MANAGE)
    if unit.round.status not in (RoundStatus.DRAFT, RoundStatus.REPORTS_PUBLISHED, RoundStatus.VOTING_OPEN):
        raise ApplicationError(_("投票截止后不能再更换计票人。"))
    people = _people_by_staff_no(staff_numbers, "staff_numbers")
    if len(people) != 2:
        raise ApplicationError(_("请填写两位计票人的工号。"), extra={"field": "staff_numbers"})
    Teller.objects.filter(round_unit=unit).delete()
    tellers = Teller.objects.bulk_create(Teller(round_unit=unit, person=p) for p in people)
    audit(
        actor,
        unit.round,
        AuditAction.UPDATED,
        _("%(unit)s计票人：%(names)s") % {"unit": unit, "names": "、".join(p.name for p in people)},
    )
    return tellers


# --- the lifecycle ----------------------------------------------------------------------------


@transaction.atomic
def reports_publish(*, actor, appraisal_round: AppraisalRound) -> AppraisalRound:
    """The reports go out to the voters; the round takes the year's rules in force now and keeps
    them (a later edition does not change a round under way)."""
    rules = rules_in_force(appraisal_round.year)
    if rules is not None and rules.pk != appraisal_round.rules_id:
        AppraisalRound.objects.filter(pk=appraisal_round.pk).update(rules=rules)
        appraisal_round.refresh_from_db()
    return transition(AppraisalRoundWorkflow, appraisal_round, step="publish_reports", actor=actor)


def _box_items(unit: RoundUnit) -> list[dict]:
    rules = unit.round.rules
    cadre_options = [[g.code, g.label] for g in rules.scale(BallotKind.CADRE)]
    items = [
        {"key": cadre.item_key, "label": f"{cadre.person.name}（{cadre.post}）", "options": cadre_options}
        for cadre in unit.cadres.select_related("person")
    ]
    if rules.team_ballot:
        items.append(
            {
                "key": "team",
                "label": _("领导班子"),
                "options": [[g.code, g.label] for g in rules.scale(BallotKind.TEAM)],
            }
        )
    return items


def box_subject(unit: RoundUnit) -> str:
    return f"appraisals.unit:{unit.pk}"


@transaction.atomic
def voting_open(*, actor, appraisal_round: AppraisalRound) -> AppraisalRound:
    """Voting opens: where the round votes online, each unit gets its ballot box in core's store,
    with its cadres and team as the items and its voters (category, unit) as the electorate."""
    opened = transition(AppraisalRoundWorkflow, appraisal_round, step="open_voting", actor=actor)
    if opened.online:
        for unit in RoundUnit.objects.filter(round=opened).select_related("sub_union", "round__rules"):
            voters = EligibleVoter.objects.filter(round_unit=unit).values_list("person_id", "category")
            box = ballot_box_open(
                actor=actor,
                kind="appraisals.unit",
                subject=box_subject(unit),
                title=f"{opened.title} · {unit.sub_union.name}",
                items=_box_items(unit),
                voters=(Voter(person_id=p, category=c, unit_id=unit.sub_union_id) for p, c in voters.iterator()),
                closes_at=opened.closes_at,
            )
            RoundUnit.objects.filter(pk=unit.pk).update(box=box)
    appraisal_round.refresh_from_db()
    return opened


@transaction.atomic
def voting_close(*, actor, appraisal_round: AppraisalRound) -> AppraisalRound:
    """No more online ballots: every unit's box is closed (its ballots written out in one random
    order); the tellers may finish entering the paper ones."""
    closed = transition(AppraisalRoundWorkflow, appraisal_round, step="close_voting", actor=actor)
    for unit in RoundUnit.objects.filter(round=closed, box__isnull=False).select_related("box"):
        if unit.box.status == "open":
            ballot_box_close(actor=actor, box=unit.box)
    appraisal_round.refresh_from_db()
    return closed


@transaction.atomic
def round_tally(*, actor, appraisal_round: AppraisalRound) -> AppraisalRound:
    """Count: the turnout of every unit against its quorum and each cadre's (and the team's)
    weighted result with its flags, stored for the organisation department."""
    from gonghui.appraisals.services.counting import results_write

    tallied = transition(AppraisalRoundWorkflow, appraisal_round, step="tally", actor=actor)
    results_write(tallied)
    appraisal_round.refresh_from_db()
    return tallied


@transaction.atomic
def results_release(*, actor, appraisal_round: AppraisalRound) -> AppraisalRound:
    """The organisation department opens the results (only it may, only once counted)."""
    if appraisal_round.status in (
        RoundStatus.DRAFT,
        RoundStatus.REPORTS_PUBLISHED,
        RoundStatus.VOTING_OPEN,
        RoundStatus.VOTING_CLOSED,
    ):
        raise ApplicationError(_("投票截止并计票后才能启封结果。"))
    released = transition(AppraisalRoundWorkflow, appraisal_round, step="release", actor=actor)
    appraisal_round.refresh_from_db()
    return released


def rounds_due(*, actor, now: datetime.datetime | None = None) -> dict[str, int]:
    """What the clock decides (the task worker and `appraisals_due`): rounds whose voting time
    has come are opened, those past their closing time are closed."""
    now = now or timezone.now()
    opened = closed = 0
    for appraisal_round in AppraisalRound.objects.filter(status=RoundStatus.REPORTS_PUBLISHED, opens_at__lte=now):
        try:
            voting_open(actor=actor, appraisal_round=appraisal_round)
            opened += 1
        except ApplicationError:
            continue  # the reports have not been out long enough yet: the office is told on the page
    for appraisal_round in AppraisalRound.objects.filter(status=RoundStatus.VOTING_OPEN, closes_at__lte=now):
        voting_close(actor=actor, appraisal_round=appraisal_round)
        closed += 1
    return {"opened": opened, "closed": closed}

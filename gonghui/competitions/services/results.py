"""From sheets to awards: closing the scoring writes every entry's final score and rank;
publishing gives the rank prizes and the single awards the rules decide, and opens the
publicity period (公示); the office confers the others (coach, organisation, conferred single
awards) and may withdraw one during the publicity, with a reason; releasing issues the
certificates. At a level the university does not run, the office enters the results as
recorded and confirms them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.competitions.choices import AwardKind, CompetitionStatus, EntryStatus, Level, SpecialBasis
from gonghui.competitions.models import Award, Certificate, Competition, Entry, SpecialAward
from gonghui.competitions.scoring import best_in_part
from gonghui.competitions.selectors.results import competition_results
from gonghui.competitions.services.entries import external_edition_require
from gonghui.competitions.workflow import CompetitionWorkflow, EntryWorkflow
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditAction
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition
from gonghui.people.models import Person, SubUnion

MANAGE = "competitions.manage_competition"
LEVEL_LETTER = {Level.COLLEGE: "C", Level.UNIVERSITY: "U", Level.BEIJING: "B", Level.NATIONAL: "N"}
# Awards may be conferred or withdrawn while the results are not final.
AWARDS_OPEN = (CompetitionStatus.SCORED, CompetitionStatus.PUBLICITY)


def results_write(competition: Competition) -> None:
    """Store every judged entry's final score and rank, as computed now."""
    for group in competition_results(competition):
        for result in group.ranked + group.unscored:
            entry: Entry = result.key  # type: ignore[assignment]
            Entry.objects.filter(pk=entry.pk).update(final_score=result.final, rank=result.rank)


@transaction.atomic
def scoring_close(*, actor, competition: Competition) -> Competition:
    """End the scoring (refused while a sheet is missing) and write the results."""
    competition = transition(CompetitionWorkflow, competition, step="close_scoring", actor=actor)
    results_write(competition)
    for entry in competition.entries.filter(status=EntryStatus.DRAWN):
        transition(EntryWorkflow, entry, step="score", actor=actor, check_actor=False)
    return competition


def _award(
    competition,
    *,
    actor,
    kind,
    code,
    label,
    entry=None,
    person=None,
    college=None,
    recipient="",
    group=None,
    recorded=False,
    reason="",
):
    return Award.objects.create(
        competition=competition,
        kind=kind,
        code=code,
        label=label,
        entry=entry,
        person=person,
        college=college,
        group=group,
        recipient=recipient or (person.name if person else college.name if college else ""),
        recorded=recorded,
        reason=reason,
        awarded_by=actor,
    )


@transaction.atomic
def results_publish(*, actor, competition: Competition) -> Competition:
    """Give the rank prizes (per group, by the rules' counts or shares) and the single awards
    decided by a part's best score, then start the publicity period."""
    competition = transition(CompetitionWorkflow, competition, step="publish", actor=actor)
    rules = competition.rules
    prize_labels = {p.code: p.label for p in rules.prizes.all()}
    specials = [s for s in rules.specials.all() if s.basis == SpecialBasis.BEST_PART]
    placed: set[int] = set()
    for group in competition_results(competition):
        for result in group.ranked:
            entry: Entry = result.key  # type: ignore[assignment]
            if result.prize:
                _award(
                    competition,
                    actor=actor,
                    kind=AwardKind.RANK,
                    code=result.prize,
                    label=f"{group.group}{prize_labels[result.prize]}",
                    entry=entry,
                    person=entry.person,
                    group=entry.group,
                )
                placed.add(entry.pk)
        for special in specials:
            for winner in best_in_part(group.ranked, special.part_code):
                entry = winner.key  # type: ignore[assignment]
                _award(
                    competition,
                    actor=actor,
                    kind=AwardKind.SPECIAL,
                    code=special.code,
                    label=special.label,
                    entry=entry,
                    person=entry.person,
                    group=entry.group,
                )
    for entry in competition.entries.filter(status=EntryStatus.SCORED):
        step = "place" if entry.pk in placed else "not_place"
        transition(EntryWorkflow, entry, step=step, actor=actor, check_actor=False)
    return competition


def _special(competition: Competition, code: str) -> SpecialAward:
    special = competition.rules.specials.filter(code=code).first() if competition.rules else None
    if special is None:
        raise ApplicationError(_("本届比赛方案中没有这个奖项。"), extra={"field": "code"})
    return special


@transaction.atomic
def award_confer(
    *,
    actor,
    competition: Competition,
    code: str,
    entry: Entry | None = None,
    coach_staff_no: str = "",
    college: SubUnion | None = None,
    recipient: str = "",
    reason: str = "",
) -> Award:
    """Confer a single award to a contestant, a coach award to a coach of a contestant of this
    edition, or an organisation award to a college (or, at Beijing, to the university)."""
    permission_require(actor, MANAGE, competition)
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.hosted and competition.status not in AWARDS_OPEN:
        raise ApplicationError(_("评分结束后、结果发布前才能评定奖项。"))
    if not competition.hosted:
        external_edition_require(competition)
    special = _special(competition, code)
    if competition.hosted and special.basis == SpecialBasis.BEST_PART:
        raise ApplicationError(
            _("“%(label)s”按单项得分最高者评定，公示时已自动评出，不能手工评定。") % {"label": special.label},
            extra={"field": "code"},
        )
    recorded = not competition.hosted
    if special.kind == AwardKind.COACH:
        coach = Person.objects.filter(staff_no=(coach_staff_no or "").strip()).first()
        if coach is None:
            raise ApplicationError(_("请填写指导教师的工号。"), extra={"field": "coach_staff_no"})
        if not competition.entries.filter(coach=coach).exclude(status=EntryStatus.WITHDRAWN).exists():
            raise ApplicationError(
                _("%(name)s不是本届参赛教师的指导教师。") % {"name": coach.name}, extra={"field": "coach_staff_no"}
            )
        if Award.objects.filter(competition=competition, code=code, person=coach, entry__isnull=True).exists():
            raise ApplicationError(_("%(name)s已获此奖。") % {"name": coach.name})
        award = _award(
            competition,
            actor=actor,
            kind=AwardKind.COACH,
            code=code,
            label=special.label,
            person=coach,
            recorded=recorded,
            reason=reason,
        )
    elif special.kind == AwardKind.ORGANISATION:
        name = (recipient or "").strip()
        if college is None and not name:
            raise ApplicationError(_("请选择获奖单位。"), extra={"field": "college"})
        given = Award.objects.filter(competition=competition, code=code, entry__isnull=True, person__isnull=True)
        if college is not None:
            given = given.filter(college=college)
        else:
            given = given.filter(college__isnull=True, recipient=name)
        if given.exists():
            raise ApplicationError(_("%(name)s已获此奖。") % {"name": college.name if college else name})
        award = _award(
            competition,
            actor=actor,
            kind=AwardKind.ORGANISATION,
            code=code,
            label=special.label,
            college=college,
            recipient=name,
            recorded=recorded,
            reason=reason,
        )
    else:
        if entry is None or entry.competition_id != competition.pk or entry.status == EntryStatus.WITHDRAWN:
            raise ApplicationError(_("请选择本届的参赛教师。"), extra={"field": "entry"})
        if Award.objects.filter(competition=competition, code=code, entry=entry).exists():
            raise ApplicationError(_("%(name)s已获此奖。") % {"name": entry.person.name})
        award = _award(
            competition,
            actor=actor,
            kind=special.kind,
            code=code,
            label=special.label,
            entry=entry,
            person=entry.person,
            group=entry.group,
            recorded=recorded,
            reason=reason,
        )
    audit(
        actor,
        competition,
        AuditAction.UPDATED,
        _("评定奖项：%(recipient)s %(label)s") % {"recipient": award.recipient, "label": award.label},
    )
    return award


@transaction.atomic
def result_record(*, actor, competition: Competition, entry: Entry, code: str) -> Award:
    """Enter a contestant's result at a level the university does not run: a rank prize of
    the edition's scheme, in the entry's group, or one of its single awards."""
    permission_require(actor, MANAGE, competition)
    external_edition_require(competition)
    if entry.competition_id != competition.pk:
        raise ApplicationError(_("请选择本届的参赛教师。"), extra={"field": "entry"})
    prize = competition.rules.prizes.filter(code=code).first() if competition.rules else None
    if prize is None:
        return award_confer(actor=actor, competition=competition, code=code, entry=entry)
    if Award.objects.filter(competition=competition, kind=AwardKind.RANK, entry=entry).exists():
        raise ApplicationError(_("%(name)s的名次奖已录入。") % {"name": entry.person.name})
    award = _award(
        competition,
        actor=actor,
        kind=AwardKind.RANK,
        code=prize.code,
        label=f"{entry.group}{prize.label}",
        entry=entry,
        person=entry.person,
        group=entry.group,
        recorded=True,
    )
    audit(
        actor,
        competition,
        AuditAction.UPDATED,
        _("录入结果：%(name)s %(label)s") % {"name": entry.person.name, "label": award.label},
    )
    return award


@transaction.atomic
def award_withdraw(*, actor, award: Award, reason: str) -> None:
    """Withdraw an award before the results are final (an objection upheld during the
    publicity, an entry error), with the reason in the audit trail."""
    competition = award.competition
    permission_require(actor, MANAGE, competition)
    if not (reason or "").strip():
        raise ApplicationError(_("请填写撤销理由。"), extra={"field": "reason"})
    if competition.hosted and competition.status not in AWARDS_OPEN:
        raise ApplicationError(_("结果发布后不能再撤销奖项。"))
    if not competition.hosted:
        external_edition_require(competition)
    entry = award.entry
    award_kind = award.kind
    audit(
        actor,
        competition,
        AuditAction.DELETED,
        _("撤销奖项：%(recipient)s %(label)s（%(reason)s）")
        % {"recipient": award.recipient, "label": award.label, "reason": reason.strip()},
    )
    award.delete()
    # The entry's only rank prize gone, it is no longer placed (nor to be recommended).
    if (
        award_kind == AwardKind.RANK
        and entry is not None
        and entry.status == EntryStatus.PLACED
        and not Award.objects.filter(entry=entry, kind=AwardKind.RANK).exists()
    ):
        transition(EntryWorkflow, entry, step="unplace", actor=actor, message=reason, check_actor=False)


def _certificates_issue(competition: Competition) -> int:
    """A certificate for every award of the edition that has none, numbered in order."""
    letter = LEVEL_LETTER[Level(competition.level)]
    prefix = f"QJS-{competition.year}-{letter}{competition.number or 0:02d}-"
    taken = Certificate.objects.filter(serial__startswith=prefix).aggregate(n=Max("serial"))["n"]
    next_number = int(taken.rsplit("-", 1)[1]) + 1 if taken else 1
    issued = 0
    today = timezone.localdate()
    for award in competition.awards.filter(certificate__isnull=True).order_by(
        "kind", "group__position", "entry__rank", "pk"
    ):
        Certificate.objects.create(award=award, serial=f"{prefix}{next_number:04d}", issued_on=today)
        next_number += 1
        issued += 1
    return issued


@transaction.atomic
def results_release(*, actor, competition: Competition) -> Competition:
    """Make the results final after the publicity period, and issue the certificates."""
    competition = transition(CompetitionWorkflow, competition, step="release", actor=actor)
    _certificates_issue(competition)
    return competition


@transaction.atomic
def results_confirm(*, actor, competition: Competition) -> Competition:
    """Confirm the entered results of a Beijing or national edition: the entries with an
    award are placed, the others not."""
    competition = transition(CompetitionWorkflow, competition, step="record", actor=actor)
    awarded = set(competition.awards.filter(entry__isnull=False).values_list("entry_id", flat=True))
    for entry in competition.entries.filter(status=EntryStatus.NOMINATED):
        transition(
            EntryWorkflow, entry, step="place" if entry.pk in awarded else "not_place", actor=actor, check_actor=False
        )
    return competition

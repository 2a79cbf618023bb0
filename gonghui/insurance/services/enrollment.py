"""The yearly group enrollment and the changes during the term (DOMAIN §3.2).

`enrollment_run` insures everyone eligible on the edition's start date less recorded
opt-outs, with one set-based INSERT … SELECT (the run is idempotent: a person already
enrolled under the edition is skipped, and the table's unique constraint guards the rest).
`enrollment_changes_apply` adds new staff and ends leavers during the term; premiums change
by the edition's rule as PremiumAdjustment rows.

Employment status on a date: gonghui keeps the current status and the date it changed. A
person whose status changed to retired, left or deceased *after* the date counts as active
on it (staff who left during the term were insured at the start).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import BooleanField, CharField, DateField, DateTimeField, DecimalField, F, IntegerField, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.money import money
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.insurance.choices import EnrollmentStatus, PremiumRule
from gonghui.insurance.models import EnrollmentRun, OptOut, PlanEdition, PlanEnrollment, PremiumAdjustment, add_months
from gonghui.insurance.workflow import EnrollmentWorkflow
from gonghui.people.choices import EmploymentStatus, Gender, MembershipStatus
from gonghui.people.eligibility import Eligibility
from gonghui.people.models import Person

ENROLL = "insurance.enroll_planedition"


def edition_eligibility(edition: PlanEdition, on: datetime.date | None = None) -> Eligibility:
    """The edition's conditions on `on` (default: its start date). The edition's age limits
    per gender are exclusive ("men under 60"); people.eligibility's are inclusive (59)."""
    limits = {Gender.MALE: edition.max_age_male, Gender.FEMALE: edition.max_age_female}
    return Eligibility(
        on=on or edition.start_date,
        statuses=tuple(edition.eligible_statuses or [EmploymentStatus.ACTIVE]),
        category_ids=frozenset(edition.eligible_categories.values_list("pk", flat=True)),
        genders=tuple(edition.eligible_genders or ()),
        min_age=edition.min_age,
        max_age_by_gender={str(g): limit - 1 for g, limit in limits.items() if limit is not None},
    )


def eligible_people(edition: PlanEdition, on: datetime.date | None = None):
    """Union members eligible for `edition` on `on` (default: its start date): gender, age on
    that date, employment status and category. Opt-outs are not removed here."""
    members = Person.objects.filter(memberships__status=MembershipStatus.ACTIVE)
    return edition_eligibility(edition, on).people(members)


def premium_for(edition: PlanEdition, shares: int) -> tuple[Decimal, Decimal]:
    """(premium, member share) for a full term."""
    premium = money(edition.price_per_share * shares)
    return premium, money(premium * edition.member_share_rate)


def months_elapsed(edition: PlanEdition, on: datetime.date) -> int:
    """Whole months of the term before the month of cover that contains `on`."""
    months = 0
    while months < edition.term_months and add_months(edition.start_date, months + 1) <= on:
        months += 1
    return months


def _adopted(edition: PlanEdition) -> PlanEdition:
    locked = PlanEdition.objects.select_for_update().select_related("plan").get(pk=edition.pk)
    if locked.status != EditionStatus.ADOPTED:
        raise ApplicationError(
            _("%(edition)s 尚未采用，不能办理参保") % {"edition": locked}, extra={"edition": locked.pk}
        )
    return locked


def _insert_select(edition: PlanEdition, people, run: EnrollmentRun) -> int:
    """INSERT INTO enrollments SELECT … FROM people: one statement, no rows through Python."""
    premium, member_share = premium_for(edition, edition.default_shares)
    columns = {
        "edition_id": Value(edition.pk, output_field=IntegerField()),
        "person_id": F("pk"),
        "sub_union_id": F("sub_union_id"),
        "run_id": Value(run.pk, output_field=IntegerField()),
        "shares": Value(edition.default_shares, output_field=IntegerField()),
        "premium": Value(premium, output_field=DecimalField(max_digits=14, decimal_places=2)),
        "member_share": Value(member_share, output_field=DecimalField(max_digits=14, decimal_places=2)),
        "status": Value(EnrollmentStatus.ENROLLED.value, output_field=CharField()),
        "starts_on": Value(edition.start_date, output_field=DateField()),
        "ends_on": Value(edition.end_date, output_field=DateField()),
        "added_during_term": Value(False, output_field=BooleanField()),
        "ended_reason": Value("", output_field=CharField()),
        "rejection_reason": Value("", output_field=CharField()),
        "created_at": Value(timezone.now(), output_field=DateTimeField()),
    }
    aliases = {name: f"c_{name}" for name in columns}
    select = people.order_by().annotate(**{aliases[n]: e for n, e in columns.items()}).values(*aliases.values())
    sql, params = select.query.sql_with_params()
    qn = connection.ops.quote_name
    statement = (
        f"INSERT INTO {qn(PlanEnrollment._meta.db_table)} ({', '.join(qn(n) for n in columns)}) "
        f"SELECT {', '.join('s.' + qn(a) for a in aliases.values())} FROM ({sql}) s WHERE 1 = 1 "
        "ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


@transaction.atomic
def enrollment_run(*, actor: Actor, edition: PlanEdition) -> EnrollmentRun:
    """Enroll everyone eligible on the start date less opt-outs; enrolls nobody twice.
    People who have left since the start date are enrolled and ended on their date."""
    permission_require(actor, ENROLL)
    edition = _adopted(edition)  # the lock also serialises two runs of the same edition
    eligible = eligible_people(edition)
    opted = OptOut.objects.filter(edition=edition).values("person_id")
    enrolled = PlanEnrollment.objects.filter(edition=edition).values("person_id")
    run = EnrollmentRun.objects.create(edition=edition, started_by=actor)
    run.eligible = eligible.count()
    run.opted_out = eligible.filter(pk__in=opted).count()
    run.already = eligible.filter(pk__in=enrolled).count()
    run.created = _insert_select(edition, eligible.exclude(pk__in=opted).exclude(pk__in=enrolled), run)
    run.save(update_fields=["eligible", "opted_out", "already", "created"])
    ended = _end_leavers(actor=actor, edition=edition, on=timezone.localdate())
    audit(
        actor,
        run,
        AuditAction.CREATED,
        _("%(plan)s 参保：符合条件 %(eligible)s 人，新增 %(created)s 人，不参保 %(opted)s 人")
        % {"plan": edition.plan.name, "eligible": run.eligible, "created": run.created, "opted": run.opted_out},
        changes=changes_of(
            **{
                "eligible": run.eligible,
                "created": run.created,
                "already": run.already,
                "opted_out": run.opted_out,
                "ended": ended,
            }
        ),
    )
    return run


def _end_leavers(*, actor: Actor, edition: PlanEdition, on: datetime.date) -> int:
    """End the cover of people who are no longer eligible by status (left, deceased, retired
    when the edition is for active staff), on the date their status changed."""
    statuses = edition.eligible_statuses or [EmploymentStatus.ACTIVE]
    leavers = (
        PlanEnrollment.objects.filter(edition=edition)
        .exclude(status__in=[EnrollmentStatus.ENDED, EnrollmentStatus.REJECTED])
        .exclude(person__employment_status__in=statuses)
        .filter(person__status_changed_on__lte=min(on, edition.end_date))
        .select_related("person", "edition__plan")
    )
    count = 0
    for enrollment in leavers:
        person = enrollment.person
        changed_on = person.status_changed_on or edition.start_date
        _end(
            actor=actor,
            enrollment=enrollment,
            on=max(changed_on, edition.start_date),
            reason=person.get_employment_status_display(),
        )
        count += 1
    return count


def _refund(enrollment: PlanEnrollment, on: datetime.date) -> Decimal:
    """What the edition's premium rule gives back for the months after `on` (0 or negative)."""
    edition = enrollment.edition
    if edition.premium_rule != PremiumRule.MONTHLY:
        return Decimal("0.00")
    unused = edition.term_months - months_elapsed(edition, on) - 1
    if unused <= 0:
        return Decimal("0.00")
    # The premium paid for the months from the start of cover; refund the unused ones.
    months_paid = edition.term_months - months_elapsed(edition, enrollment.starts_on)
    return -money(enrollment.premium * unused / months_paid)


def _end(*, actor: Actor, enrollment: PlanEnrollment, on: datetime.date, reason: str) -> PlanEnrollment:
    edition = enrollment.edition
    refund = _refund(enrollment, on)
    ended = transition(
        EnrollmentWorkflow,
        enrollment,
        to=EnrollmentStatus.ENDED,
        actor=actor,
        message=_("%(plan)s 保障终止：%(reason)s") % {"plan": edition.plan.name, "reason": reason},
        values={"ends_on": on, "ended_reason": reason},
        parameters={"refund": str(refund)},
    )
    if refund:
        PremiumAdjustment.objects.create(
            enrollment=enrollment,
            amount=refund,
            on=on,
            created_by=actor,
            reason=_("退出退还未到期 %(months)s 个月保费")
            % {"months": edition.term_months - months_elapsed(edition, on) - 1},
        )
    return ended


@transaction.atomic
def enrollment_end(*, actor: Actor, enrollment: PlanEnrollment, on: datetime.date, reason: str) -> PlanEnrollment:
    """End one person's cover during the term (left, deceased …); premium by the edition's rule."""
    permission_require(actor, ENROLL, enrollment)
    if not reason.strip():
        raise ApplicationError(_("请填写终止原因"), extra={"field": "reason"})
    enrollment = PlanEnrollment.objects.select_for_update().select_related("edition__plan").get(pk=enrollment.pk)
    if not enrollment.starts_on <= on <= enrollment.edition.end_date:
        raise ApplicationError(_("终止日期须在保障期内"), extra={"field": "on"})
    return _end(actor=actor, enrollment=enrollment, on=on, reason=reason.strip())


def _add(*, actor: Actor, edition: PlanEdition, person: Person, on: datetime.date) -> PlanEnrollment:
    shares = edition.default_shares
    premium, member_share = premium_for(edition, shares)
    if edition.premium_rule == PremiumRule.MONTHLY:
        remaining = edition.term_months - months_elapsed(edition, on)
        premium = money(edition.price_per_share * shares * remaining / edition.term_months)
        member_share = money(premium * edition.member_share_rate)
    enrollment = PlanEnrollment.objects.create(
        edition=edition,
        person=person,
        sub_union_id=person.sub_union_id,
        shares=shares,
        premium=premium,
        member_share=member_share,
        starts_on=on,
        ends_on=edition.end_date,
        added_during_term=True,
    )
    audit(
        actor,
        enrollment,
        AuditAction.CREATED,
        _("期中加入 %(plan)s，保费 %(premium)s 元") % {"plan": edition.plan.name, "premium": premium},
        person_id=person.pk,
    )
    return enrollment


@transaction.atomic
def enrollment_add(*, actor: Actor, edition: PlanEdition, person: Person, on: datetime.date) -> PlanEnrollment:
    """Insure one person from `on` (new staff during the term)."""
    permission_require(actor, ENROLL)
    edition = _adopted(edition)
    if not edition.start_date <= on <= edition.end_date:
        raise ApplicationError(_("加入日期须在保障期内"), extra={"field": "on"})
    if PlanEnrollment.objects.filter(edition=edition, person=person).exists():
        raise ApplicationError(_("%(name)s 已参加 %(plan)s") % {"name": person.name, "plan": edition.plan.name})
    if OptOut.objects.filter(edition=edition, person=person).exists():
        raise ApplicationError(_("%(name)s 已声明不参保") % {"name": person.name})
    if not eligible_people(edition, on).filter(pk=person.pk).exists():
        why = edition_eligibility(edition, on).problem(person) or _("不是在册会员")
        raise ApplicationError(
            _("%(name)s 不符合 %(plan)s 的参保条件：%(why)s")
            % {"name": person.name, "plan": edition.plan.name, "why": why}
        )
    return _add(actor=actor, edition=edition, person=person, on=on)


@transaction.atomic
def enrollment_changes_apply(*, actor: Actor, edition: PlanEdition, on: datetime.date) -> dict:
    """Bring the cover up to date on `on`: end leavers, add eligible new staff."""
    permission_require(actor, ENROLL)
    edition = _adopted(edition)
    if not edition.start_date <= on <= edition.end_date:
        raise ApplicationError(_("日期须在保障期内"), extra={"field": "on"})
    ended = _end_leavers(actor=actor, edition=edition, on=on)
    newcomers = (
        eligible_people(edition, on)
        .exclude(pk__in=PlanEnrollment.objects.filter(edition=edition).values("person_id"))
        .exclude(pk__in=OptOut.objects.filter(edition=edition).values("person_id"))
    )
    added = 0
    for person in newcomers:
        _add(actor=actor, edition=edition, person=person, on=on)
        added += 1
    return {"added": added, "ended": ended}


@transaction.atomic
def enrollment_shares_set(*, actor: Actor, enrollment: PlanEnrollment, shares: int) -> PlanEnrollment:
    """Change one person's shares before the roster is filed, within the edition's limits."""
    permission_require(actor, ENROLL, enrollment)
    enrollment = PlanEnrollment.objects.select_for_update().select_related("edition__plan").get(pk=enrollment.pk)
    edition = enrollment.edition
    if edition.same_shares_per_unit:
        raise ApplicationError(_("%(plan)s 要求全单位统一份数") % {"plan": edition.plan.name})
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ApplicationError(_("名单已报送，不能再改份数"))
    if not edition.min_shares <= shares <= edition.max_shares:
        raise ApplicationError(
            _("份数须在 %(low)s 至 %(high)s 之间") % {"low": edition.min_shares, "high": edition.max_shares},
            extra={"field": "shares"},
        )
    before = (enrollment.shares, str(enrollment.premium))
    enrollment.shares = shares
    enrollment.premium, enrollment.member_share = premium_for(edition, shares)
    enrollment.save(update_fields=["shares", "premium", "member_share"])
    audit(
        actor,
        enrollment,
        AuditAction.UPDATED,
        _("修改份数"),
        person_id=enrollment.person_id,
        changes={"shares": [before[0], shares], "premium": [before[1], str(enrollment.premium)]},
    )
    return enrollment


@transaction.atomic
def opt_out_record(*, actor: Actor, edition: PlanEdition, person: Person, reason: str) -> OptOut:
    """Record that `person` does not want cover under `edition` (before the run)."""
    permission_require(actor, "insurance.add_optout")
    reason = required_text(reason, _("请填写不参保原因"), field="reason")
    if PlanEnrollment.objects.filter(edition=edition, person=person).exists():
        raise ApplicationError(_("%(name)s 已参保；如需退出，请终止其参保记录") % {"name": person.name})
    if OptOut.objects.filter(edition=edition, person=person).exists():
        raise ApplicationError(_("%(name)s 的不参保声明已登记") % {"name": person.name})
    opt_out = OptOut.objects.create(edition=edition, person=person, reason=reason, recorded_by=actor)
    audit(
        actor,
        opt_out,
        AuditAction.CREATED,
        _("登记不参保：%(plan)s") % {"plan": edition.plan.name},
        person_id=person.pk,
    )
    return opt_out

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

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import BooleanField, CharField, DateField, DateTimeField, DecimalField, F, IntegerField, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, audit_event_record, changes_of
from gonghui.insurance.benefits import money
from gonghui.insurance.choices import EditionStatus, EnrollmentStatus, PremiumRule
from gonghui.insurance.models import EnrollmentRun, OptOut, PlanEdition, PlanEnrollment, PremiumAdjustment, add_months
from gonghui.insurance.services.editions import require
from gonghui.people.choices import EmploymentStatus, MembershipStatus
from gonghui.people.models import Person

_INACTIVE = [EmploymentStatus.RETIRED, EmploymentStatus.LEFT, EmploymentStatus.DECEASED]


def years_before(day: datetime.date, years: int) -> datetime.date:
    year = day.year - years
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def status_on_condition(statuses, on: datetime.date) -> Q:
    """People whose employment status on `on` is one of `statuses`."""
    statuses = list(statuses)
    condition = Q(employment_status__in=statuses)
    if EmploymentStatus.ACTIVE in statuses:
        condition |= Q(employment_status__in=[s for s in _INACTIVE if s not in statuses], status_changed_on__gt=on)
    return condition


def eligible_people(edition: PlanEdition, on: datetime.date | None = None):
    """Union members eligible for `edition` on `on` (default: its start date): gender, age on
    that date, employment status and category. Opt-outs are not removed here."""
    on = on or edition.start_date
    qs = Person.objects.filter(memberships__status=MembershipStatus.ACTIVE).filter(
        status_on_condition(edition.eligible_statuses or [EmploymentStatus.ACTIVE], on)
    )
    if edition.eligible_genders:
        qs = qs.filter(gender__in=edition.eligible_genders)
    if edition.min_age is not None:
        qs = qs.filter(birth_date__lte=years_before(on, edition.min_age))
    age_cap = Q()
    if edition.max_age_male is not None:
        age_cap &= Q(gender="F") | Q(birth_date__gt=years_before(on, edition.max_age_male))
    if edition.max_age_female is not None:
        age_cap &= Q(gender="M") | Q(birth_date__gt=years_before(on, edition.max_age_female))
    qs = qs.filter(age_cap)
    category_ids = list(edition.eligible_categories.values_list("pk", flat=True))
    if category_ids:
        qs = qs.filter(employment_category_id__in=category_ids)
    return qs


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
def enrollment_run(*, actor, edition: PlanEdition) -> EnrollmentRun:
    """Enroll everyone eligible on the start date less opt-outs; enrolls nobody twice.
    People who have left since the start date are enrolled and ended on their date."""
    require(actor, "insurance.enroll_planedition")
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
    ended = _end_leavers(actor=actor, edition=edition, on=timezone.localdate(), run=run)
    audit_event_record(
        actor=actor,
        obj=run,
        action=AuditAction.CREATED,
        message=_("%(plan)s 参保：符合条件 %(eligible)s 人，新增 %(created)s 人，不参保 %(opted)s 人")
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


def _end_leavers(*, actor, edition: PlanEdition, on: datetime.date, run=None) -> int:
    """End the cover of people who are no longer eligible by status (left, deceased, retired
    when the edition is for active staff), on the date their status changed."""
    statuses = edition.eligible_statuses or [EmploymentStatus.ACTIVE]
    leavers = (
        PlanEnrollment.objects.filter(edition=edition)
        .exclude(status__in=[EnrollmentStatus.ENDED, EnrollmentStatus.REJECTED])
        .exclude(person__employment_status__in=statuses)
        .filter(person__status_changed_on__lte=min(on, edition.end_date))
        .select_related("person", "edition")
    )
    count = 0
    for enrollment in leavers:
        person = enrollment.person
        _end(
            actor=actor,
            enrollment=enrollment,
            on=max(person.status_changed_on, edition.start_date),
            reason=person.get_employment_status_display(),
        )
        count += 1
    return count


def _end(*, actor, enrollment: PlanEnrollment, on: datetime.date, reason: str) -> PlanEnrollment:
    edition = enrollment.edition
    before = enrollment.status
    enrollment.status = EnrollmentStatus.ENDED
    enrollment.ends_on = on
    enrollment.ended_reason = reason
    enrollment.save(update_fields=["status", "ends_on", "ended_reason"])
    refund = Decimal("0.00")
    if edition.premium_rule == PremiumRule.MONTHLY:
        unused = edition.term_months - months_elapsed(edition, on) - 1
        if unused > 0:
            # The premium paid for the months from the start of cover; refund the unused ones.
            months_paid = edition.term_months - months_elapsed(edition, enrollment.starts_on)
            refund = -money(enrollment.premium * unused / months_paid)
            PremiumAdjustment.objects.create(
                enrollment=enrollment,
                amount=refund,
                on=on,
                created_by=actor,
                reason=_("退出退还未到期 %(months)s 个月保费") % {"months": unused},
            )
    audit_event_record(
        actor=actor,
        obj=enrollment,
        action=AuditAction.STATUS_CHANGED,
        person_id=enrollment.person_id,
        message=_("%(plan)s 保障终止：%(reason)s") % {"plan": edition.plan.name, "reason": reason},
        changes=changes_of(
            **{
                "status": [before, EnrollmentStatus.ENDED.value],
                "ends_on": [None, on.isoformat()],
                "refund": str(refund),
            }
        ),
    )
    return enrollment


@transaction.atomic
def enrollment_end(*, actor, enrollment: PlanEnrollment, on: datetime.date, reason: str) -> PlanEnrollment:
    """End one person's cover during the term (left, deceased …); premium by the edition's rule."""
    require(actor, "insurance.enroll_planedition")
    if not reason.strip():
        raise ApplicationError(_("请填写终止原因"), extra={"field": "reason"})
    enrollment = PlanEnrollment.objects.select_for_update().select_related("edition__plan").get(pk=enrollment.pk)
    if enrollment.status in (EnrollmentStatus.ENDED, EnrollmentStatus.REJECTED):
        raise ApplicationError(_("该参保记录已终止或未承保"))
    if not enrollment.starts_on <= on <= enrollment.edition.end_date:
        raise ApplicationError(_("终止日期须在保障期内"), extra={"field": "on"})
    return _end(actor=actor, enrollment=enrollment, on=on, reason=reason)


def _add(*, actor, edition: PlanEdition, person: Person, on: datetime.date) -> PlanEnrollment:
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
    audit_event_record(
        actor=actor,
        obj=enrollment,
        action=AuditAction.CREATED,
        person_id=person.pk,
        message=_("期中加入 %(plan)s，保费 %(premium)s 元") % {"plan": edition.plan.name, "premium": premium},
    )
    return enrollment


@transaction.atomic
def enrollment_add(*, actor, edition: PlanEdition, person: Person, on: datetime.date) -> PlanEnrollment:
    """Insure one person from `on` (new staff during the term)."""
    require(actor, "insurance.enroll_planedition")
    edition = _adopted(edition)
    if not edition.start_date <= on <= edition.end_date:
        raise ApplicationError(_("加入日期须在保障期内"), extra={"field": "on"})
    if PlanEnrollment.objects.filter(edition=edition, person=person).exists():
        raise ApplicationError(_("%(name)s 已参加 %(plan)s") % {"name": person.name, "plan": edition.plan.name})
    if OptOut.objects.filter(edition=edition, person=person).exists():
        raise ApplicationError(_("%(name)s 已声明不参保") % {"name": person.name})
    if not eligible_people(edition, on).filter(pk=person.pk).exists():
        raise ApplicationError(
            _("%(name)s 不符合 %(plan)s 的参保条件") % {"name": person.name, "plan": edition.plan.name}
        )
    return _add(actor=actor, edition=edition, person=person, on=on)


@transaction.atomic
def enrollment_changes_apply(*, actor, edition: PlanEdition, on: datetime.date) -> dict:
    """Bring the cover up to date on `on`: end leavers, add eligible new staff."""
    require(actor, "insurance.enroll_planedition")
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
def enrollment_shares_set(*, actor, enrollment: PlanEnrollment, shares: int) -> PlanEnrollment:
    """Change one person's shares before the roster is filed, within the edition's limits."""
    require(actor, "insurance.enroll_planedition")
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
    audit_event_record(
        actor=actor,
        obj=enrollment,
        action=AuditAction.UPDATED,
        person_id=enrollment.person_id,
        message=_("修改份数"),
        changes={"shares": [before[0], shares], "premium": [before[1], str(enrollment.premium)]},
    )
    return enrollment


@transaction.atomic
def opt_out_record(*, actor, edition: PlanEdition, person: Person, reason: str) -> OptOut:
    """Record that `person` does not want cover under `edition` (before the run)."""
    require(actor, "insurance.add_optout")
    if not (reason or "").strip():
        raise ApplicationError(_("请填写不参保原因"), extra={"field": "reason"})
    if PlanEnrollment.objects.filter(edition=edition, person=person).exists():
        raise ApplicationError(_("%(name)s 已参保；如需退出，请终止其参保记录") % {"name": person.name})
    if OptOut.objects.filter(edition=edition, person=person).exists():
        raise ApplicationError(_("%(name)s 的不参保声明已登记") % {"name": person.name})
    opt_out = OptOut.objects.create(edition=edition, person=person, reason=reason.strip(), recorded_by=actor)
    audit_event_record(
        actor=actor,
        obj=opt_out,
        action=AuditAction.CREATED,
        person_id=person.pk,
        message=_("登记不参保：%(plan)s") % {"plan": edition.plan.name},
    )
    return opt_out

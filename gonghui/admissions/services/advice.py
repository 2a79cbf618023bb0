"""Advice and visits (DOMAIN §3.9 "consultations and visits"): the union office's policy notes
per district and year (drafted, published on the portal, withdrawn), the advice the
admissions officer gives (咨询记录: who asked, the question, the answer, who advised), and
visits to the affiliated schools with sign-up (参观附小附中: a member signs up themselves
while places and time remain; the office records the visit held, or cancels it, and who went).

Every status change goes through core's `transition` (PolicyNoteWorkflow, SchoolVisitWorkflow).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.admissions.choices import ConsultationChannel, PolicyNoteStatus, Stage, VisitStatus
from gonghui.admissions.models import Consultation, PolicyNote, School, SchoolVisit, VisitSignup
from gonghui.admissions.workflow import PolicyNoteWorkflow, SchoolVisitWorkflow
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, create_or_refuse, required_text
from gonghui.core.workflow import transition

NOTE_FIELDS = ("year", "district", "title", "body", "source_url")
KIND_VISIT = "admissions.visit"


def _date(value: datetime.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day}


# --- policy notes -------------------------------------------------------------------------------


def _note_fields(*, year: int, district: str, title: str, body: str, source_url: str = "") -> dict:
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("请填写正确的年度。"), extra={"field": "year"})
    return {
        "year": int(year),
        "district": required_text(district, _("请填写政策所属的区。"), field="district"),
        "title": required_text(title, _("请填写标题。"), field="title"),
        "body": required_text(body, _("请填写政策解读的内容。"), field="body"),
        "source_url": (source_url or "").strip(),
    }


@transaction.atomic
def policy_note_create(*, actor, year: int, district: str, title: str, body: str, source_url: str = "") -> PolicyNote:
    """A draft note on a district's policy for a year (e.g. 2021 年海淀区入学政策要点)."""
    permission_require(actor, "admissions.add_policynote")
    fields = _note_fields(year=year, district=district, title=title, body=body, source_url=source_url)
    note = PolicyNote.objects.create(**fields, created_by=actor)
    PolicyNoteWorkflow.record(note, "created", actor, message=_("撰写政策解读"))
    audit(actor, note, AuditAction.CREATED, _("撰写政策解读“%(title)s”") % {"title": note.title})
    return note


@transaction.atomic
def policy_note_update(*, actor, note: PolicyNote, **fields) -> PolicyNote:
    """Change a draft. A published or withdrawn note stays as it was read: write a new one."""
    permission_require(actor, "admissions.change_policynote", note)
    note = PolicyNote.objects.select_for_update().get(pk=note.pk)
    if note.status != PolicyNoteStatus.DRAFT:
        raise ApplicationError(_("只有草稿可以修改；已发布或已撤下的政策解读请另写一篇。"))
    unknown = set(fields) - set(NOTE_FIELDS)
    if unknown:
        raise ApplicationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    current = {name: getattr(note, name) for name in NOTE_FIELDS}
    cleaned = _note_fields(**{**current, **fields})
    changes = {name: [current[name], cleaned[name]] for name in NOTE_FIELDS if current[name] != cleaned[name]}
    if not changes:
        return note
    for name, value in cleaned.items():
        setattr(note, name, value)
    note.save()
    audit(
        actor,
        note,
        AuditAction.UPDATED,
        _("修改政策解读"),
        changes={k: [str(a), str(b)] for k, (a, b) in changes.items()},
    )
    return note


@transaction.atomic
def policy_note_publish(*, actor, note: PolicyNote) -> PolicyNote:
    """Publish on the portal (a withdrawn note may be published again)."""
    return transition(PolicyNoteWorkflow, note, step="publish", actor=actor)


@transaction.atomic
def policy_note_withdraw(*, actor, note: PolicyNote, reason: str) -> PolicyNote:
    """Take a note off the portal (the reason is required: e.g. the district's policy changed)."""
    return transition(PolicyNoteWorkflow, note, step="withdraw", actor=actor, message=reason)


# --- consultations ------------------------------------------------------------------------------


@transaction.atomic
def consultation_log(
    *,
    actor,
    person=None,
    asked_on: datetime.date,
    channel: str,
    question: str,
    answer: str,
    stage: str = "",
    district: str = "",
) -> Consultation:
    """Log the advice given (the admissions officer, who alone sees what members asked): who
    asked (a member, or nobody named for an anonymous call), when, how, about which stage and
    district, the question and the answer."""
    permission_require(actor, "admissions.add_consultation")
    if channel not in ConsultationChannel.values:
        raise ApplicationError(_("请选择咨询方式。"), extra={"field": "channel"})
    if stage and stage not in Stage.values:
        raise ApplicationError(_("学段不正确。"), extra={"field": "stage"})
    if asked_on > timezone.localdate():
        raise ApplicationError(_("咨询日期不能晚于今天。"), extra={"field": "asked_on"})
    consultation = Consultation.objects.create(
        person=person,
        asked_on=asked_on,
        channel=channel,
        stage=stage or "",
        district=(district or "").strip(),
        question=required_text(question, _("请填写咨询的问题。"), field="question"),
        answer=required_text(answer, _("请填写答复内容。"), field="answer"),
        advised_by=actor,
    )
    audit(
        actor,
        consultation,
        AuditAction.CREATED,
        _("记录政策咨询"),
        person_id=person.pk if person is not None else None,
    )
    return consultation


# --- visits -------------------------------------------------------------------------------------


@transaction.atomic
def visit_create(
    *,
    actor,
    school: School,
    visit_on: datetime.date,
    capacity: int,
    signup_until: datetime.date,
    meeting_point: str = "",
    note: str = "",
) -> SchoolVisit:
    """A visit open for sign-up until `signup_until` (no later than the visit's day)."""
    permission_require(actor, "admissions.add_schoolvisit")
    today = timezone.localdate()
    if visit_on < today:
        raise ApplicationError(_("参观日期不能早于今天。"), extra={"field": "visit_on"})
    if not today <= signup_until <= visit_on:
        raise ApplicationError(_("报名截止须在今天与参观日期之间。"), extra={"field": "signup_until"})
    if capacity < 1:
        raise ApplicationError(_("名额至少为 1。"), extra={"field": "capacity"})
    visit = SchoolVisit.objects.create(
        school=school,
        visit_on=visit_on,
        capacity=capacity,
        signup_until=signup_until,
        meeting_point=(meeting_point or "").strip(),
        note=(note or "").strip(),
        created_by=actor,
    )
    SchoolVisitWorkflow.record(visit, "created", actor, message=_("发布参观"))
    audit(actor, visit, AuditAction.CREATED, _("发布参观%(school)s") % {"school": school.name})
    return visit


def _signup_refusal(visit: SchoolVisit, today: datetime.date) -> str | None:
    if visit.status != VisitStatus.OPEN:
        return _("本次参观已%(status)s，不能报名。") % {"status": visit.get_status_display().removeprefix("已")}
    if today > visit.signup_until:
        return _("报名已于 %(date)s 截止。") % {"date": _date(visit.signup_until)}
    return None


@transaction.atomic
def visit_signup(*, actor, visit: SchoolVisit) -> VisitSignup:
    """The member signs up themselves; refused when the visit is not open, after its sign-up
    closes, when it is full, or a second time."""
    if actor is None or not actor.is_authenticated or not actor.person_id:
        raise PermissionDenied(_("只有教职工本人可以报名参观。"))
    visit = SchoolVisit.objects.select_for_update().get(pk=visit.pk)  # one seat at a time
    refusal = _signup_refusal(visit, timezone.localdate())
    if refusal:
        raise ApplicationError(refusal)
    twice = ApplicationError(_("您已报名本次参观。"))
    if VisitSignup.objects.filter(visit=visit, person_id=actor.person_id).exists():
        raise twice
    if VisitSignup.objects.filter(visit=visit).count() >= visit.capacity:
        raise ApplicationError(_("本次参观 %(n)s 个名额已满。") % {"n": visit.capacity})
    signup = create_or_refuse(VisitSignup, twice, visit=visit, person_id=actor.person_id)
    SchoolVisitWorkflow.record(visit, "signed_up", actor, parameters={"person": actor.person_id})
    return signup


@transaction.atomic
def visit_cancel_signup(*, actor, visit: SchoolVisit) -> None:
    """The member takes back their sign-up while the visit is open and before its day."""
    if actor is None or not actor.is_authenticated or not actor.person_id:
        raise PermissionDenied(_("只有教职工本人可以取消报名。"))
    visit = SchoolVisit.objects.select_for_update().get(pk=visit.pk)
    signup = VisitSignup.objects.filter(visit=visit, person_id=actor.person_id).first()
    if signup is None:
        raise ApplicationError(_("您没有报名本次参观。"))
    if visit.status != VisitStatus.OPEN or timezone.localdate() >= visit.visit_on:
        raise ApplicationError(_("参观已举行或已取消，不能再取消报名。"))
    signup.delete()
    SchoolVisitWorkflow.record(visit, "signup_cancelled", actor, parameters={"person": actor.person_id})


@transaction.atomic
def visit_hold(*, actor, visit: SchoolVisit, note: str = "") -> SchoolVisit:
    """The visit took place (on or after its day)."""
    return transition(SchoolVisitWorkflow, visit, step="hold", actor=actor, message=note)


@transaction.atomic
def visit_cancel(*, actor, visit: SchoolVisit, reason: str) -> SchoolVisit:
    """Call the visit off (the reason is required); everyone signed up is told, with it."""
    from gonghui.admissions.services.notices import url_or_blank, users_of
    from gonghui.notifications.services import notification_send

    visit = transition(SchoolVisitWorkflow, visit, step="cancel", actor=actor, message=reason)
    people = VisitSignup.objects.filter(visit=visit).values_list("person_id", flat=True)
    notification_send(
        recipients=users_of(*people),
        title=_("%(date)s参观%(school)s已取消") % {"date": _date(visit.visit_on), "school": visit.school.name},
        body=(reason or "").strip(),
        url=url_or_blank("admissions:visit", visit.pk),
        kind=KIND_VISIT,
    )
    return visit


@transaction.atomic
def visit_attendance_record(*, actor, visit: SchoolVisit, attended_ids: Iterable[int]) -> int:
    """Who went, once the visit is held: `attended_ids` are the sign-ups (their ids) who came;
    every other sign-up is marked absent. Returns how many attended."""
    permission_require(actor, "admissions.change_schoolvisit", visit)
    visit = SchoolVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.HELD:
        raise ApplicationError(_("参观举行后才能记录参加情况。"))
    attended = {int(pk) for pk in attended_ids}
    signups = VisitSignup.objects.filter(visit=visit)
    strangers = attended - set(signups.values_list("pk", flat=True))
    if strangers:
        raise ApplicationError(_("有 %(n)s 人不在本次参观的报名名单中。") % {"n": len(strangers)})
    came = signups.filter(pk__in=attended).update(attended=True)
    signups.exclude(pk__in=attended).update(attended=False)
    SchoolVisitWorkflow.record(
        visit,
        "attendance",
        actor,
        message=_("记录参加情况：报名 %(signed)s 人，参加 %(came)s 人") % {"signed": signups.count(), "came": came},
        parameters={"attended": sorted(attended)},
    )
    audit(actor, visit, AuditAction.UPDATED, _("记录参观参加情况"), changes={"attended": [None, came]})
    return came

"""Entries: a college nominates its teachers (eligibility and its seats checked, every reason
given), the contestant or the college uploads the materials (each upload a new version; locked
at the deadline), an entry may withdraw before the draw, and the winners of an edition are
recommended to the next level's."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access, permission_require
from gonghui.attachments.services import attachment_store
from gonghui.competitions.choices import (
    HOSTED_LEVELS,
    MATERIAL_PURPOSE,
    CompetitionStatus,
    EntryStatus,
    MaterialKind,
    TeachingPost,
)
from gonghui.competitions.models import Competition, CompetitionGroup, Entry, EntryMaterial
from gonghui.competitions.selectors.entries import college_id_of, college_seats, eligibility, materials_missing
from gonghui.competitions.workflow import EntryWorkflow
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import AuditAction
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition
from gonghui.people.models import Person, SubUnion


def _person_by_staff_no(staff_no: str, field: str) -> Person:
    person = Person.objects.filter(staff_no=(staff_no or "").strip()).select_related("sub_union").first()
    if person is None:
        raise ApplicationError(_("找不到工号“%(no)s”。") % {"no": (staff_no or "").strip()}, extra={"field": field})
    return person


@transaction.atomic
def entry_nominate(
    *,
    actor,
    competition: Competition,
    staff_no: str,
    group: CompetitionGroup,
    teaching_post: str = TeachingPost.FULL_TIME,
    course: str = "",
    coach_staff_no: str = "",
) -> Entry:
    """Nominate a teacher. Refused, with every reason and nothing written: outside the
    nomination period, a teacher the nominating officer's colleges do not hold, one who is
    not eligible (age, membership, post, a past win), a college whose seats are taken."""
    permission_require(actor, "competitions.add_entry")
    # Lock the edition: two nominations at once must not both take a college's last seat.
    competition = Competition.objects.select_for_update(of=("self",)).select_related("rules").get(pk=competition.pk)
    if competition.status != CompetitionStatus.NOMINATING:
        raise ApplicationError(_("本届比赛现在不接受推荐报名。"))
    if competition.nominations_close and timezone.now() > competition.nominations_close:
        raise ApplicationError(
            _("推荐报名已于 %(at)s 截止。")
            % {"at": timezone.localtime(competition.nominations_close).strftime("%Y-%m-%d %H:%M")}
        )
    if competition.rules is None or group.edition_id != competition.rules.pk:
        raise ApplicationError(_("请选择本届比赛的组别。"), extra={"field": "group"})
    if teaching_post not in TeachingPost.values:
        raise ApplicationError(_("请选择岗位。"), extra={"field": "teaching_post"})
    person = _person_by_staff_no(staff_no, "staff_no")
    access = get_access(actor)
    if not access.writes_everything and person.sub_union_id not in access.sub_union_ids:
        raise PermissionDenied(_("只能推荐本单位的教师。"))
    coach = _person_by_staff_no(coach_staff_no, "coach_staff_no") if (coach_staff_no or "").strip() else None
    if coach is not None and coach.pk == person.pk:
        raise ApplicationError(_("指导教师不能是参赛教师本人。"), extra={"field": "coach_staff_no"})
    (check,) = eligibility(competition, [person], teaching_post=teaching_post)
    reasons = list(check.reasons)
    seats = college_seats(competition, college_ids={check.college_id})
    if seats and seats[0].seats is not None and seats[0].used >= seats[0].seats:
        reasons.append(
            _("%(college)s的名额（%(seats)s 个）已满。") % {"college": seats[0].college.name, "seats": seats[0].seats}
        )
    if reasons:
        raise ApplicationError(
            _("%(name)s不能报名：%(reasons)s") % {"name": person.name, "reasons": "".join(reasons)},
            extra={"reasons": reasons},
        )
    entry = Entry.objects.create(
        competition=competition,
        person=person,
        college_id=check.college_id,
        group=group,
        coach=coach,
        course=course.strip(),
        teaching_post=teaching_post,
        nominated_by=actor,
    )
    audit(
        actor,
        entry,
        AuditAction.CREATED,
        _("推荐参赛：%(name)s（%(group)s）") % {"name": person.name, "group": group},
        person_id=person.pk,
    )
    return entry


@transaction.atomic
def entry_withdraw(*, actor, entry: Entry, reason: str) -> Entry:
    """Withdraw before the draw; the seat goes back to the college."""
    return transition(EntryWorkflow, entry, step="withdraw", actor=actor, message=reason)


def _may_upload(actor, entry: Entry) -> None:
    access = get_access(actor)
    if access.writes_everything or access.person_id == entry.person_id or entry.college_id in access.sub_union_ids:
        return
    raise PermissionDenied(_("只有参赛教师本人、推荐单位和比赛办公室可以上传材料。"))


@transaction.atomic
def material_upload(*, actor, entry: Entry, kind: str, number: int, uploaded_file) -> EntryMaterial:
    """A new version of one material. Refused after the materials deadline, once drawn, or for
    a lesson plan beyond the rules' number."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("competition__rules").get(pk=entry.pk)
    _may_upload(actor, entry)
    competition = entry.competition
    if kind not in MaterialKind.values:
        raise ApplicationError(_("请选择材料类别。"), extra={"field": "kind"})
    if entry.status not in (EntryStatus.NOMINATED, EntryStatus.SUBMITTED):
        raise ApplicationError(_("抽签后或退赛后不能再上传材料。"))
    if competition.materials_due is None or timezone.now() > competition.materials_due:
        raise ApplicationError(
            _("材料已于 %(at)s 截止提交，不能再上传或更换。")
            % {
                "at": timezone.localtime(competition.materials_due).strftime("%Y-%m-%d %H:%M")
                if competition.materials_due
                else "—"
            }
        )
    plans = competition.rules.lesson_plans_required if competition.rules else 0
    if kind == MaterialKind.LESSON_PLAN and not 1 <= number <= max(plans, 1):
        raise ApplicationError(_("教案序号须在 1 到 %(n)s 之间。") % {"n": plans}, extra={"field": "number"})
    if kind != MaterialKind.LESSON_PLAN:
        number = 1
    attachment = attachment_store(
        uploaded_file=uploaded_file, uploaded_by=actor, owner_person=entry.person, purpose=MATERIAL_PURPOSE
    )
    version = (
        EntryMaterial.objects.filter(entry=entry, kind=kind, number=number).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    material = EntryMaterial.objects.create(
        entry=entry, kind=kind, number=number, version=version, attachment=attachment, uploaded_by=actor
    )
    audit(
        actor,
        entry,
        AuditAction.UPDATED,
        _("上传%(material)s（第 %(version)s 版）") % {"material": material_label(kind, number), "version": version},
        person_id=entry.person_id,
    )
    if entry.status == EntryStatus.NOMINATED and not materials_missing(entry):
        transition(EntryWorkflow, entry, step="materials_complete", actor=actor, check_actor=False)
    return material


def material_label(kind: str, number: int) -> str:
    if kind == MaterialKind.LESSON_PLAN:
        return _("教案 %(n)s") % {"n": number}
    return str(MaterialKind(kind).label)


@transaction.atomic
def entries_recommend(*, actor, competition: Competition, entries: list[Entry]) -> list[Entry]:
    """Recommend placed entries to the next level's edition (`feeds_into`): each becomes an
    entry there, in the group of the same code (else the first), linked back to this one."""
    permission_require(actor, "competitions.manage_competition", competition)
    target = competition.feeds_into
    if target is None:
        raise ApplicationError(_("本届比赛没有设置推荐至哪一届上一级比赛。"))
    if competition.status not in (CompetitionStatus.RELEASED, CompetitionStatus.RECORDED):
        raise ApplicationError(_("结果发布后才能推荐参加上一级比赛。"))
    if target.status != CompetitionStatus.DRAFT:
        raise ApplicationError(_("上一级比赛已开始或结果已确认，不能再推荐。"))
    if target.rules is None:
        raise ApplicationError(_("上一级比赛还没有比赛方案（组别），请先录入。"))
    if not entries:
        raise ApplicationError(_("请选择要推荐的参赛教师。"), extra={"field": "entries"})
    groups = {g.code: g for g in target.rules.groups.all()}
    fallback = next(iter(groups.values()), None)
    created = []
    for entry in entries:
        # checked first: a recommended entry is no longer "placed"
        if Entry.objects.filter(competition=target, person=entry.person).exists():
            raise ApplicationError(_("%(name)s已在上一级比赛中。") % {"name": entry.person.name})
        if entry.competition_id != competition.pk or entry.status != EntryStatus.PLACED:
            raise ApplicationError(_("%(name)s未获奖，不能推荐。") % {"name": entry.person.name})
        group = groups.get(entry.group.code, fallback)
        if group is None:
            raise ApplicationError(_("上一级比赛没有组别。"))
        created.append(
            Entry.objects.create(
                competition=target,
                person=entry.person,
                college=entry.college,
                group=group,
                coach=entry.coach,
                course=entry.course,
                teaching_post=entry.teaching_post,
                recommended_from=entry,
                nominated_by=actor,
            )
        )
        transition(EntryWorkflow, entry, step="recommend", actor=actor, message=str(target))
    return created


@transaction.atomic
def entry_record(
    *,
    actor,
    competition: Competition,
    staff_no: str,
    group: CompetitionGroup,
    course: str = "",
    coach_staff_no: str = "",
) -> Entry:
    """A contestant of a Beijing or national edition entered from the record (the host's list,
    the union's archive) rather than by recommendation: an edition older than the system, or a
    teacher sent on without a school round in it."""
    permission_require(actor, "competitions.manage_competition", competition)
    external_edition_require(competition)
    if competition.rules is None or group.edition_id != competition.rules_id:
        raise ApplicationError(_("请选择本届比赛的组别。"), extra={"field": "group"})
    person = _person_by_staff_no(staff_no, "staff_no")
    coach = _person_by_staff_no(coach_staff_no, "coach_staff_no") if (coach_staff_no or "").strip() else None
    if coach is not None and coach.pk == person.pk:
        raise ApplicationError(_("指导教师不能是参赛教师本人。"), extra={"field": "coach_staff_no"})
    if Entry.objects.filter(competition=competition, person=person).exists():
        raise ApplicationError(_("%(name)s已在本届比赛中。") % {"name": person.name}, extra={"field": "staff_no"})
    parents = dict(SubUnion.objects.values_list("pk", "parent_id"))
    entry = Entry.objects.create(
        competition=competition,
        person=person,
        college_id=college_id_of(person.sub_union_id, parents),
        group=group,
        coach=coach,
        course=course.strip(),
        nominated_by=actor,
    )
    audit(
        actor,
        entry,
        AuditAction.CREATED,
        _("据记录录入参赛：%(name)s（%(group)s）") % {"name": person.name, "group": group},
        person_id=person.pk,
    )
    return entry


def external_edition_require(competition: Competition) -> None:
    if competition.level in HOSTED_LEVELS:
        raise ApplicationError(_("我校举办的比赛由评分产生结果，不能直接录入。"))
    if competition.status != CompetitionStatus.DRAFT:
        raise ApplicationError(_("本届结果已确认，不能再录入。"))

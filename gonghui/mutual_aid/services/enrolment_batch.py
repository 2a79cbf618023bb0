"""Enrolling many members in the society at once (批量入会).

The people come from a file of staff numbers (or pasted text), a sub-union with its groups,
or the people list's filters; the batch's date of joining and fee channel are chosen once.
The batch goes through core's batch kit (gonghui.core.bulk): a preview that lists who will
be enrolled, who is a member already (skipped), who is not eligible under the adopted
edition (with the reason) and which staff numbers are unknown or outside the user's scope;
confirmed once, applied in the task worker. Running the same batch again enrols nobody new.

`scheme_membership_enroll_bulk` writes the batch. New members are written set-based (one
INSERT per thousand memberships and as many audit rows, the same rows the one-person
service writes); former members join again one by one through `scheme_membership_enroll`
(a workflow step per person), as they do today."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.bulk import PersonBatchKind, staff_numbers_parse, staff_numbers_upload
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_build, audit_event_record, changes_of, snapshot
from gonghui.core.imports import Upload, import_confirm, import_kind_register, import_start
from gonghui.core.models import AuditEvent, ImportPreview
from gonghui.mutual_aid.choices import FeeChannel, SchemeMembershipStatus
from gonghui.mutual_aid.models import SchemeMembership
from gonghui.mutual_aid.selectors.fees import edition_adopted_for_year
from gonghui.mutual_aid.services.membership import (
    _FIELDS,
    channel_problem,
    eligibility_problem,
    join_terms,
    scheme_membership_enroll,
)
from gonghui.people.models import Person, SubUnion
from gonghui.people.selectors import person_list

ENROL_KIND = "mutual_aid.enrolment_batch"
ENROL = "mutual_aid.add_schememembership"
CHUNK = 900  # ids per IN (...) query
WRITE_CHUNK = 1000  # memberships per INSERT

SOURCE_LABELS = {
    "file": gettext_lazy("上传文件"),
    "paste": gettext_lazy("粘贴工号"),
    "sub_union": gettext_lazy("按分工会"),
    "filter": gettext_lazy("按筛选条件"),
}


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class EnrolmentSort:
    """Who of a batch joins (new, or again after leaving), is a member already, or may not join."""

    new: list = field(default_factory=list)
    rejoin: list = field(default_factory=list)
    members: list = field(default_factory=list)
    ineligible: dict = field(default_factory=dict)  # person pk -> reason


def enrolment_sort(*, people: list, on: datetime.date, channel: str) -> EnrolmentSort:
    """Sort `people` for a join on `on` through `channel` by the adopted edition of that year.
    Reads only, a few queries whatever the size."""
    edition = edition_adopted_for_year(year=on.year)
    if edition is None:
        raise ApplicationError(_("%(year)s 年度尚无已通过的管理办法，暂不能入会") % {"year": on.year})
    if channel not in FeeChannel.values:
        raise ApplicationError(_("缴费渠道无效"))
    category_ids = set(edition.eligible_categories.values_list("pk", flat=True))
    statuses: dict[int, str] = {}
    for ids in _chunks([person.pk for person in people]):
        statuses.update(SchemeMembership.objects.filter(person_id__in=ids).values_list("person_id", "status"))
    result = EnrolmentSort()
    for person in people:
        status = statuses.get(person.pk)
        if status == SchemeMembershipStatus.ACTIVE:
            result.members.append(person)
            continue
        problem = eligibility_problem(edition=edition, person=person, category_ids=category_ids) or channel_problem(
            person=person, channel=channel
        )
        if problem:
            result.ineligible[person.pk] = problem
        elif status is None:
            result.new.append(person)
        else:
            result.rejoin.append(person)
    return result


def _require_scope(actor: Actor, people: list) -> None:
    ids = list({person.pk for person in people})
    visible = Person.objects.restrict(actor, "view")
    in_scope = sum(visible.filter(pk__in=chunk).count() for chunk in _chunks(ids))
    if in_scope != len(ids):
        raise PermissionDenied(_("本批中有您无权为其办理入会的人员，未作任何更改。"))


@transaction.atomic
def scheme_membership_enroll_bulk(
    *,
    people: list,
    actor: Actor,
    on: datetime.date,
    channel: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Enrol `people` on `on` through `channel` (payroll by default), all or nothing: the
    eligible ones join, members already are skipped, the ineligible ones are left out.
    Everyone must be in the actor's scope, or nothing is written. Running it again enrols
    nobody twice. Returns {"enrolled", "rejoined", "already_members", "ineligible"}."""
    permission_require(actor, ENROL)
    channel = channel or FeeChannel.PAYROLL
    _require_scope(actor, people)
    sort = enrolment_sort(people=people, on=on, channel=channel)
    edition = edition_adopted_for_year(year=on.year)
    total = len(sort.new) + len(sort.rejoin)
    done = 0
    message = _("加入医疗互助会")
    for chunk in _chunks(sort.new, WRITE_CHUNK):
        memberships = []
        for person in chunk:
            eligible_from, back_pay = join_terms(edition=edition, person=person, on=on)
            memberships.append(
                SchemeMembership(
                    person=person,
                    status=SchemeMembershipStatus.ACTIVE,
                    joined_on=on,
                    eligible_from=eligible_from,
                    back_pay_due=back_pay,
                    fee_channel=channel,
                    ended_on=None,
                    end_reason="",
                    enrolled_by=actor,
                )
            )
        SchemeMembership.objects.bulk_create(memberships)
        AuditEvent.objects.bulk_create(
            audit_event_build(
                actor=actor,
                obj=membership,
                action=AuditAction.MEMBERSHIP,
                message=message,
                person_id=membership.person_id,
                changes={k: [None, v] for k, v in snapshot(membership, _FIELDS).items()},
            )
            for membership in memberships
        )
        done += len(chunk)
        if progress:
            progress(done, total)
    for person in sort.rejoin:  # a former member joins again: the membership's workflow step
        scheme_membership_enroll(person=person, actor=actor, on=on, channel=channel)
        done += 1
        if progress and (done % 100 == 0 or done == total):
            progress(done, total)
    return {
        "enrolled": len(sort.new) + len(sort.rejoin),
        "rejoined": len(sort.rejoin),
        "already_members": len(sort.members),
        "ineligible": len(sort.ineligible),
    }


@import_kind_register
class EnrolmentBatch(PersonBatchKind):
    """A batch of staff numbers to enrol (parameters: joined_on, channel, source, label)."""

    name = ENROL_KIND
    title = gettext_lazy("批量入会")  # type: ignore[assignment]  # translated when shown
    permission = ENROL
    result_labels = {"enrolled": gettext_lazy("入会"), "rejoined": gettext_lazy("其中重新入会")}

    @staticmethod
    def terms(preview: ImportPreview) -> tuple[datetime.date, str]:
        return datetime.date.fromisoformat(preview.parameters["joined_on"]), preview.parameters["channel"]

    def people(self, preview, *, actor, staff_nos):
        rows = (
            Person.objects.restrict(actor, "view")
            .filter(staff_no__in=staff_nos)
            .select_related("sub_union", "employment_category")
        )
        return {person.staff_no: person for person in rows}

    def sort(self, preview, people, rows_of):
        on, channel = self.terms(preview)
        sort = enrolment_sort(people=people, on=on, channel=channel)
        verdicts = {person.pk: ("ready", "") for person in sort.new}
        verdicts.update({person.pk: ("ready", _("重新入会")) for person in sort.rejoin})
        verdicts.update({person.pk: ("skipped", _("已是互助会会员")) for person in sort.members})
        verdicts.update({pk: ("ineligible", reason) for pk, reason in sort.ineligible.items()})
        return verdicts

    def write(self, preview, *, actor, people, rows_of, progress):
        on, channel = self.terms(preview)
        result = scheme_membership_enroll_bulk(people=people, actor=actor, on=on, channel=channel, progress=progress)
        audit_event_record(
            actor=actor,
            object_type="mutual_aid.enrolmentbatch",
            object_id=preview.pk,
            action=AuditAction.MEMBERSHIP,
            message=_("批量入会（%(source)s）：入会 %(count)s 人，入会日期 %(date)s")
            % {"source": preview.original_name, "count": result["enrolled"], "date": on.isoformat()},
            changes=changes_of(**result),
        )
        return result


def _selection(*, actor: Actor, source: str, data: dict) -> tuple[list[str], str]:
    """The staff numbers a page's choice names, and the batch's name."""
    if source == "sub_union":
        sub_union = data["sub_union"]
        if not SubUnion.objects.restrict(actor, "view").filter(pk=sub_union.pk).exists():
            raise PermissionDenied(_("无权为该分工会办理入会"))
        people = Person.objects.restrict(actor, "view").filter(
            sub_union_id__in=SubUnion.objects.with_descendants({sub_union.pk})
        )
        return list(people.order_by("staff_no").values_list("staff_no", flat=True)), sub_union.name
    if source == "filter":
        filters = {key: value for key, value in data["filters"].items() if value}
        people = person_list(user=actor, filters=filters)
        return list(people.order_by("staff_no").values_list("staff_no", flat=True)), str(SOURCE_LABELS["filter"])
    raise ApplicationError(_("请选择人员"))


def enrolment_batch_start(
    *,
    actor: Actor,
    joined_on: datetime.date,
    channel: str,
    source: str,
    upload: Upload | None = None,
    text: str = "",
    data: dict | None = None,
) -> ImportPreview:
    """Read and sort a batch to enrol; the preview is all that is written. `source`: "file"
    (`upload`), "paste" (`text`), "sub_union" or "filter" (`data` from the page's form)."""
    permission_require(actor, ENROL)
    if edition_adopted_for_year(year=joined_on.year) is None:
        raise ApplicationError(
            _("%(year)s 年度尚无已通过的管理办法，暂不能入会") % {"year": joined_on.year}, extra={"field": "joined_on"}
        )
    if source == "file":
        if upload is None:
            raise ApplicationError(_("请选择文件"), extra={"field": "file"})
    elif source == "paste":
        numbers = staff_numbers_parse(text)
        if not numbers:
            raise ApplicationError(_("请粘贴至少一个工号"), extra={"field": "text"})
        upload = staff_numbers_upload(numbers, name=str(SOURCE_LABELS["paste"]))
    else:
        numbers, label = _selection(actor=actor, source=source, data=data or {})
        if not numbers:
            raise ApplicationError(_("所选范围内没有人员"))
        upload = staff_numbers_upload(numbers, name=label)
    parameters = {"joined_on": joined_on.isoformat(), "channel": channel, "source": source}
    return import_start(ENROL_KIND, actor=actor, upload=upload, parameters=parameters)


def enrolment_batch_confirm(*, preview: ImportPreview, actor: Actor) -> ImportPreview:
    """Confirm a batch once: it is applied by the task worker (the preview's job)."""
    return import_confirm(preview, actor=actor)

"""Recording many 不参保 declarations at once (批量登记不参保), before the enrollment run.

The office collects paper declarations by the dozen; instead of typing each staff number
into the edition page, it uploads a file (or pastes the numbers) with a 工号 column and an
optional 原因 column; the batch's reason is used where a row gives none. The batch goes
through core's batch kit (gonghui.core.bulk): a preview lists who will be recorded, who has
a declaration already (skipped), who is insured already (not eligible: their cover is ended
instead) and which staff numbers are unknown; confirmed once, applied in the task worker.
`opt_out_record_bulk` writes the same rows as `opt_out_record`, set-based."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.bulk import PersonBatchKind, staff_numbers_parse, staff_numbers_upload
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_build, audit_event_record, changes_of
from gonghui.core.imports import Upload, import_confirm, import_kind_register, import_start
from gonghui.core.models import AuditEvent, ImportPreview
from gonghui.insurance.models import OptOut, PlanEdition, PlanEnrollment
from gonghui.people.models import Person

OPT_OUT_KIND = "insurance.opt_out_batch"
OPT_OUT = "insurance.add_optout"
CHUNK = 900
REASON_HEADERS = ("原因", "不参保原因")


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(model, edition: PlanEdition, ids: list) -> set:
    found: set = set()
    for chunk in _chunks(ids):
        found.update(model.objects.filter(edition=edition, person_id__in=chunk).values_list("person_id", flat=True))
    return found


def opt_out_sort(*, edition: PlanEdition, people: list, reasons: dict) -> dict:
    """{person pk: (outcome, reason)}: "ready" (with the reason to record), "skipped" (declared
    already) or "ineligible" (insured already, or no reason). Reads only."""
    ids = [person.pk for person in people]
    declared, insured = _existing(OptOut, edition, ids), _existing(PlanEnrollment, edition, ids)
    verdicts = {}
    for person in people:
        reason = (reasons.get(person.pk) or "").strip()
        if person.pk in declared:
            verdicts[person.pk] = ("skipped", _("不参保声明已登记"))
        elif person.pk in insured:
            verdicts[person.pk] = ("ineligible", _("已参保；如需退出，请终止其参保记录"))
        elif not reason:
            verdicts[person.pk] = ("ineligible", _("请填写不参保原因"))
        else:
            verdicts[person.pk] = ("ready", reason[:200])
    return verdicts


@transaction.atomic
def opt_out_record_bulk(*, actor: Actor, edition: PlanEdition, reasons: dict) -> dict:
    """Record the declarations {person: reason} under `edition`, all or nothing, with the
    rows `opt_out_record` writes (the declaration and its audit row). Declared ones are
    skipped, insured ones and those without a reason left out; everyone must be in the
    actor's scope. Returns {"recorded", "already_recorded", "ineligible"}."""
    permission_require(actor, OPT_OUT)
    people = list(reasons)
    ids = [person.pk for person in people]
    visible = Person.objects.restrict(actor, "change")
    if sum(visible.filter(pk__in=chunk).count() for chunk in _chunks(ids)) != len(set(ids)):
        raise PermissionDenied(_("本批中有您无权为其登记的人员，未作任何更改。"))
    verdicts = opt_out_sort(edition=edition, people=people, reasons={p.pk: r for p, r in reasons.items()})
    ready = [person for person in people if verdicts[person.pk][0] == "ready"]
    message = _("登记不参保：%(plan)s") % {"plan": edition.plan.name}
    for chunk in _chunks(ready, 1000):
        rows = OptOut.objects.bulk_create(
            OptOut(edition=edition, person=person, reason=verdicts[person.pk][1], recorded_by=actor) for person in chunk
        )
        AuditEvent.objects.bulk_create(
            audit_event_build(
                actor=actor, obj=row, action=AuditAction.CREATED, message=message, person_id=row.person_id
            )
            for row in rows
        )
    outcomes = [outcome for outcome, _reason in verdicts.values()]
    return {
        "recorded": len(ready),
        "already_recorded": outcomes.count("skipped"),
        "ineligible": outcomes.count("ineligible"),
    }


@import_kind_register
class OptOutBatch(PersonBatchKind):
    """A batch of 不参保 declarations for one edition (target: the edition; parameters: the
    batch's reason)."""

    name = OPT_OUT_KIND
    title = gettext_lazy("批量登记不参保")  # type: ignore[assignment]  # translated when shown
    permission = OPT_OUT
    extra_headers = {"reason": REASON_HEADERS}
    result_labels = {"recorded": gettext_lazy("登记不参保")}

    @staticmethod
    def edition(preview: ImportPreview) -> PlanEdition:
        return PlanEdition.objects.select_related("plan").get(pk=int(preview.target))

    @staticmethod
    def reasons(preview: ImportPreview, people: list, rows_of: dict) -> dict:
        default = preview.parameters.get("reason", "")
        return {person.pk: rows_of[person.pk].extra.get("reason") or default for person in people}

    def people(self, preview, *, actor, staff_nos):
        rows = Person.objects.restrict(actor, "change").filter(staff_no__in=staff_nos).select_related("sub_union")
        return {person.staff_no: person for person in rows}

    def sort(self, preview, people, rows_of):
        # a ready row's reason is the one that will be recorded: the preview shows it
        return opt_out_sort(
            edition=self.edition(preview), people=people, reasons=self.reasons(preview, people, rows_of)
        )

    def write(self, preview, *, actor, people, rows_of, progress):
        edition = self.edition(preview)
        reasons = self.reasons(preview, people, rows_of)
        result = opt_out_record_bulk(actor=actor, edition=edition, reasons={p: reasons[p.pk] for p in people})
        progress(len(people), len(people))
        audit_event_record(
            actor=actor,
            obj=edition,
            action=AuditAction.CREATED,
            message=_("批量登记不参保（%(file)s）：%(count)s 人")
            % {"file": preview.original_name, "count": result["recorded"]},
            changes=changes_of(**result),
        )
        return result


def opt_out_batch_start(
    *, actor: Actor, edition: PlanEdition, reason: str, upload: Upload | None = None, text: str = ""
) -> ImportPreview:
    """Read and sort a batch of declarations (a file, or pasted staff numbers); the preview is
    all that is written. `reason` applies where a row gives none."""
    permission_require(actor, OPT_OUT)
    if upload is None:
        numbers = staff_numbers_parse(text)
        if not numbers:
            raise ApplicationError(_("请上传文件或粘贴至少一个工号"), extra={"field": "text"})
        upload = staff_numbers_upload(numbers, name=_("粘贴工号"))
    return import_start(
        OPT_OUT_KIND, actor=actor, upload=upload, target=str(edition.pk), parameters={"reason": reason.strip()}
    )


def opt_out_batch_confirm(*, preview: ImportPreview, actor: Actor) -> ImportPreview:
    """Confirm a batch once: it is applied by the task worker (the preview's job)."""
    return import_confirm(preview, actor=actor)

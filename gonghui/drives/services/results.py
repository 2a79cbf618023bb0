"""The provider's result file, line by line (enrolled with a policy number, paid, rejected with
a reason), as a core import (`gonghui.core.imports`): the file is read and matched to the
registrations on the rosters sent (`classify`: the counts and every line that matches nobody
are shown before anything is written), then confirmed once and applied against the database
as it is then. A file with any line that matches nobody (or a wrong name, a rejection without
a reason …) cannot be confirmed: it is refused whole. Re-importing a file changes nothing.

Registrations whose only change is their status move with one bulk step per status
(`transition_bulk`); those that also get a policy number or a reason move one by one, so each
audit row carries the values before and after."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.crypto import keyed_digest
from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.core.history import AuditAction, changes_between, changes_of, snapshot
from gonghui.core.imports import (
    ImportKind,
    Upload,
    import_confirm,
    import_kind_register,
    import_start,
    preview_bytes,
)
from gonghui.core.models import ImportPreview
from gonghui.core.service_kit import audit
from gonghui.core.tabular import ReadLimits, Table, table_read
from gonghui.core.workflow import transition, transition_bulk
from gonghui.drives.choices import RegistrationStatus, ResultOutcome
from gonghui.drives.models import Drive, DriveRegistration, ProviderResultImport, ProviderResultLine
from gonghui.drives.workflow import RegistrationWorkflow
from gonghui.people.idnumbers import id_number_normalise

KIND = "drives.provider_result"

# Result file headers (any order); several spellings accepted.
RESULT_HEADERS = {
    "id_number": ("证件号码", "身份证号", "身份证号码"),
    "name": ("姓名", "被保险人姓名"),
    "outcome": ("结果", "参保结果", "状态"),
    "policy_no": ("保单号", "保单号码"),
    "reason": ("原因", "未通过原因", "备注"),
}
OUTCOME_WORDS = {
    "参保成功": ResultOutcome.ENROLLED,
    "成功": ResultOutcome.ENROLLED,
    "enrolled": ResultOutcome.ENROLLED,
    "已缴费": ResultOutcome.PAID,
    "缴费成功": ResultOutcome.PAID,
    "paid": ResultOutcome.PAID,
    "未通过": ResultOutcome.REJECTED,
    "失败": ResultOutcome.REJECTED,
    "拒保": ResultOutcome.REJECTED,
    "rejected": ResultOutcome.REJECTED,
}
TARGETS = {
    ResultOutcome.ENROLLED: RegistrationStatus.ENROLLED,
    ResultOutcome.PAID: RegistrationStatus.PAID,
    ResultOutcome.REJECTED: RegistrationStatus.REJECTED,
}
FIELDS = ["policy_no", "reject_reason"]


def _lines(preview: ImportPreview, limits: ReadLimits) -> list[tuple[int, dict]]:
    table = Table.of(table_read(data=preview_bytes(preview), filename=preview.original_name, limits=limits))
    columns = table.columns(RESULT_HEADERS, required=("id_number", "name", "outcome"))
    return [
        (number, {key: row[index] if index < len(row) else "" for key, index in columns.items()})
        for number, row in table.rows
    ]


def result_check(*, drive: Drive, lines: list[tuple[int, dict]]) -> tuple[list[dict], list[dict]]:
    """Match each line to a registration sent to the provider. Returns (planned, problems):
    planned [{row, registration, outcome, target, policy_no, reason, changed}] (registration
    by id), problems [{row, name, reason}]."""
    sent = {
        r.id_number_digest: r
        for r in DriveRegistration.objects.filter(drive=drive, first_roster__isnull=False).exclude(
            status=RegistrationStatus.WITHDRAWN
        )
    }
    planned: list[dict] = []
    problems: list[dict] = []
    seen: set[int] = set()
    for row_no, values in lines:
        name = values.get("name", "")
        problem = ""
        number = id_number_normalise(values.get("id_number", ""))
        registration = sent.get(keyed_digest(number)) if number else None
        word = values.get("outcome", "").strip()
        outcome = OUTCOME_WORDS.get(word.lower()) or OUTCOME_WORDS.get(word)
        policy_no, reason = values.get("policy_no", ""), values.get("reason", "")
        if registration is None:
            problem = _("与报送名单中的任何人都不匹配")
        elif registration.name != name:
            problem = _("姓名与报送名单不一致（名单中为 %(name)s）") % {"name": registration.name}
        elif registration.pk in seen:
            problem = _("同一人在文件中出现多次")
        elif outcome is None:
            problem = _("无法识别的结果：%(value)s") % {"value": values.get("outcome", "")}
        elif outcome in (ResultOutcome.ENROLLED, ResultOutcome.PAID) and not (policy_no or registration.policy_no):
            problem = _("参保成功须有保单号")
        elif outcome == ResultOutcome.REJECTED and not reason:
            problem = _("未通过须注明原因")
        elif registration.status != TARGETS[outcome] and not RegistrationWorkflow.can_follow(
            registration.status, TARGETS[outcome]
        ):
            problem = _("报名状态为“%(from)s”，不能变为“%(to)s”") % {
                "from": registration.get_status_display(),
                "to": RegistrationStatus(TARGETS[outcome]).label,
            }
        if problem:
            problems.append({"row": row_no, "name": name, "reason": str(problem)})
            continue
        assert registration is not None and outcome is not None
        seen.add(registration.pk)
        target = TARGETS[outcome]
        planned.append(
            {
                "row": row_no,
                "registration": registration.pk,
                "outcome": str(outcome),
                "target": str(target),
                "policy_no": policy_no or registration.policy_no,
                "reason": reason,
                "changed": bool(registration.status != target or (policy_no and policy_no != registration.policy_no)),
            }
        )
    return planned, problems


def _counts(planned: list[dict]) -> dict:
    counts = {outcome: 0 for outcome in ResultOutcome.values} | {"unchanged": 0}
    for item in planned:
        counts[item["outcome"] if item["changed"] else "unchanged"] += 1
    return counts


def _refusal(problems: list[dict]) -> str:
    return _("结果文件有 %(count)d 行无法导入，未做任何修改") % {"count": len(problems)}


@import_kind_register
class ProviderResultKind(ImportKind):
    """The provider's result for one drive (the preview's `target` is the drive's id)."""

    name = KIND
    title = cast(str, gettext_lazy("承办机构结果"))
    permission = "drives.import_result"
    limits = ReadLimits(max_rows=100_000, max_columns=32, max_cell_chars=200)

    def classify(self, preview: ImportPreview) -> dict:
        drive = Drive.objects.get(pk=int(preview.target))
        lines = _lines(preview, self.limits)
        if not lines:
            raise ImportFileError(_("文件中没有结果行"))
        planned, problems = result_check(drive=drive, lines=lines)
        return {"counts": _counts(planned), "problems": problems, "total_rows": len(lines)}

    def confirmable(self, preview: ImportPreview) -> str:
        problems = preview.summary.get("problems") or []
        return _refusal(problems) if problems else ""

    def apply(self, preview: ImportPreview, *, actor: Actor, progress: Callable[[int, int], None]) -> dict:
        drive = Drive.objects.get(pk=int(preview.target))
        planned, problems = result_check(drive=drive, lines=_lines(preview, self.limits))
        if problems:  # the registrations changed since the preview
            raise ApplicationError(_refusal(problems), extra={"problems": problems})
        result = _apply(drive=drive, actor=actor, planned=planned, preview=preview)
        return {"result": result.pk, "counts": result.counts}


def _apply(*, drive: Drive, actor: Actor, planned: list[dict], preview: ImportPreview) -> ProviderResultImport:
    counts = _counts(planned)
    result = ProviderResultImport.objects.create(
        drive=drive, file_name=preview.original_name, imported_by=actor, counts=counts, preview=preview
    )
    registrations = DriveRegistration.objects.in_bulk([item["registration"] for item in planned])
    bulk: dict[str, list[int]] = defaultdict(list)
    for item in planned:
        if not item["changed"]:
            continue
        registration = registrations[item["registration"]]
        message = _("承办机构结果：%(outcome)s") % {"outcome": ResultOutcome(item["outcome"]).label}
        values = {
            "policy_no": item["policy_no"],
            "reject_reason": item["reason"] if item["target"] == RegistrationStatus.REJECTED else "",
        }
        if all(getattr(registration, name) == value for name, value in values.items()):
            if registration.status != item["target"]:
                bulk[item["target"]].append(registration.pk)
        elif registration.status == item["target"]:
            before = snapshot(registration, FIELDS)
            for name, value in values.items():
                setattr(registration, name, value)
            registration.save(update_fields=[*FIELDS, "updated_at"])
            RegistrationWorkflow.record(registration, "result", actor, message=message)
            audit(
                actor,
                registration,
                AuditAction.UPDATED,
                message,
                person_id=registration.person_id,
                changes=changes_between(before, snapshot(registration, FIELDS)),
            )
        else:
            transition(
                RegistrationWorkflow, registration, to=item["target"], actor=actor, message=message, values=values
            )
    for target, ids in bulk.items():
        transition_bulk(
            RegistrationWorkflow,
            DriveRegistration.objects.filter(pk__in=ids),
            to=target,
            actor=actor,
            message=_("承办机构结果：%(outcome)s") % {"outcome": RegistrationStatus(target).label},
        )
    ProviderResultLine.objects.bulk_create(
        ProviderResultLine(
            result=result,
            row_no=item["row"],
            registration_id=item["registration"],
            outcome=item["outcome"],
            policy_no=item["policy_no"],
            reason=item["reason"],
            changed=item["changed"],
        )
        for item in planned
    )
    audit(
        actor,
        result,
        AuditAction.IMPORTED,
        _("导入承办机构结果：%(name)s") % {"name": preview.original_name},
        changes=changes_of(**counts),
    )
    return result


def result_preview_start(*, drive: Drive, actor: Actor, upload: Upload) -> ImportPreview:
    """Read and match the file; only the preview is written."""
    permission_require(actor, "drives.import_result", drive, action="view")
    return import_start(KIND, actor=actor, upload=upload, target=str(drive.pk))


def result_confirm(*, preview: ImportPreview, actor: Actor) -> ProviderResultImport:
    """Confirm a preview once and apply it; refused whole while any line matches nobody."""
    confirmed = import_confirm(preview, actor=actor)
    return ProviderResultImport.objects.get(pk=confirmed.result["result"])


def result_import(*, drive: Drive, actor: Actor, content: bytes, file_name: str) -> ProviderResultImport:
    """Preview and confirm in one go (commands, the demo, tests). A file with lines that match
    nobody is refused with every such line listed (`extra["problems"]`) and nothing applied."""
    preview = result_preview_start(drive=drive, actor=actor, upload=Upload(data=content, filename=file_name))
    problems = preview.summary["problems"]
    if problems:
        raise ApplicationError(_refusal(problems), extra={"problems": problems})
    return result_confirm(preview=preview, actor=actor)

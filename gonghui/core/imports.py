"""The import kit: read → classify → preview → confirm once → result, for every file that
comes from outside (HR's roster, finance's deduction result, the insurer's acceptance file,
a drive provider's result, and whatever a later module reads).

A module declares an `ImportKind`: who may import, what the file must look like (limits),
how to classify it (`classify`: pure, writes nothing, returns what the preview page shows)
and how to apply it (`apply`: the writes). The kit does the rest:

- refuses a file by name and size before reading it (`upload_read`), keeps it privately,
  and deletes it when it cannot be read at all (or is refused by a limit of core's reader,
  gonghui.core.tabular);
- reads and classifies a small file at once, a larger one (over
  settings.IMPORT_READ_INLINE_MAX_BYTES) in the task worker: the preview is "reading" until
  then, and "failed" with its reason when the file was refused; a web request never reads a
  large file;
- stores the preview as its own record (`ImportPreview`) that expires after `ttl`;
- confirms a preview once (a second confirmation is refused, or returns the first one's
  job): the preview moves pending → confirmed through the core workflow, and `apply` runs
  in one transaction with it — inline for small files, in the task worker with a progress
  bar when the kind says so. A failure writes nothing and is recorded on the preview.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.exceptions import ApplicationError, ImportFileError, InvalidTransition
from gonghui.core.jobs import job_create, job_enqueue_on_commit, job_fail, job_finish, job_progress_set
from gonghui.core.models import ImportPreview, ImportPreviewEvent, ImportStatus, Job, JobStatus
from gonghui.core.tabular import ReadLimits, size_check
from gonghui.core.workflow import SYSTEM, Step, Workflow, transition, transition_bulk, workflow_register

if TYPE_CHECKING:
    from gonghui.accounts.models import User

STORAGE_DIR = "imports"
READ_INLINE_MAX_BYTES = 256 * 1024  # the default of settings.IMPORT_READ_INLINE_MAX_BYTES

logger = logging.getLogger(__name__)


class ImportKind:
    """A module's kind of import. Subclass, set the attributes, implement classify/apply."""

    name: ClassVar[str]  # "mutual_aid.deduction_result"
    title: ClassVar[str]
    permission: ClassVar[str]
    limits: ClassVar[ReadLimits] = ReadLimits()
    ttl: ClassVar[datetime.timedelta] = datetime.timedelta(days=1)
    runs_in_worker: ClassVar[bool] = False  # apply as a job with a progress bar

    def classify(self, preview: ImportPreview) -> dict:
        """What the preview shows (counts and rows by outcome). Writes nothing."""
        raise NotImplementedError

    def apply(self, preview: ImportPreview, *, actor: User, progress: Callable[[int, int], None]) -> dict:
        """Write what the preview promised, against the database as it is now."""
        raise NotImplementedError

    def confirmable(self, preview: ImportPreview) -> str:
        """Why this preview cannot be confirmed ("" when it can), e.g. nothing valid in it."""
        return ""


_KINDS: dict[str, ImportKind] = {}


def import_kind_register(kind: type[ImportKind]) -> type[ImportKind]:
    _KINDS[kind.name] = kind()
    return kind


def import_kind(name: str) -> ImportKind:
    return _KINDS[name]


@workflow_register
class ImportPreviewWorkflow(Workflow):
    """A preview is confirmed once, discarded by whoever uploaded it, or expires."""

    name = "core.importpreview"
    model = ImportPreview
    event_model = ImportPreviewEvent
    states = ImportStatus
    initial = (ImportStatus.READING, ImportStatus.PENDING)
    person_field = None
    noun = gettext_lazy("导入预览")
    steps = (
        Step.of("read", ImportStatus.READING, ImportStatus.PENDING, gettext_lazy("读取完成"), relations={SYSTEM}),
        Step.of(
            "reread",
            ImportStatus.PENDING,
            ImportStatus.READING,
            gettext_lazy("重新读取"),
            relations={"importer"},
        ),
        Step.of("refuse", ImportStatus.READING, ImportStatus.FAILED, gettext_lazy("读取失败"), relations={SYSTEM}),
        Step.of(
            "confirm",
            ImportStatus.PENDING,
            ImportStatus.CONFIRMED,
            gettext_lazy("确认导入"),
            relations={"importer"},
            stamps=("confirmed_at",),
        ),
        Step.of(
            "discard",
            ImportStatus.PENDING,
            ImportStatus.DISCARDED,
            gettext_lazy("放弃"),
            relations={"uploader", SYSTEM},
        ),
        Step.of(
            "expire",
            (ImportStatus.PENDING, ImportStatus.READING),
            ImportStatus.EXPIRED,
            gettext_lazy("过期"),
            relations={SYSTEM},
        ),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        relations = set()
        if actor.has_perm(import_kind(obj.kind).permission):
            relations.add("importer")
        if obj.created_by_id == actor.pk:
            relations.add("uploader")
        return relations


def _require(actor, kind: ImportKind) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(kind.permission):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied


def _extension(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower().lstrip(".")


def upload_check(*, kind: ImportKind, filename: str, size: int) -> str:
    """Refuse a file by its name and size alone, before anything reads it."""
    ext = _extension(filename)
    if ext not in kind.limits.extensions:
        raise ImportFileError(
            _("不支持的文件类型“%(ext)s”：请上传 %(allowed)s 文件")
            % {"ext": ext or _("无扩展名"), "allowed": " 或 ".join(f".{e}" for e in kind.limits.extensions)}
        )
    size_check(size=size, limits=kind.limits)
    return ext


@dataclass(frozen=True)
class Upload:
    """A file to import: bytes from a form or a command, with its original name."""

    data: bytes
    filename: str

    @classmethod
    def of(cls, uploaded_file) -> Upload:
        return cls(data=uploaded_file.read(), filename=getattr(uploaded_file, "name", "") or "")


def upload_read(name: str, uploaded_file) -> Upload:
    """An uploaded file for kind `name`, refused by its name and size before it is read."""
    upload_check(kind=import_kind(name), filename=getattr(uploaded_file, "name", "") or "", size=uploaded_file.size)
    return Upload.of(uploaded_file)


def _read_inline_max() -> int:
    return int(getattr(settings, "IMPORT_READ_INLINE_MAX_BYTES", READ_INLINE_MAX_BYTES))


def _unreadable(error: Exception) -> ImportFileError:
    """A reader's unexpected failure, as a refusal the user can read (logged for developers)."""
    logger.exception("import file could not be read")
    return ImportFileError(
        _("无法读取该文件（%(error)s），未写入任何数据。请检查文件后重新上传。") % {"error": error.__class__.__name__}
    )


def _classify(kind: ImportKind, preview: ImportPreview) -> dict:
    """The kind's classification; every failure an ImportFileError (the file was not kept)."""
    try:
        return kind.classify(preview)
    except ApplicationError:
        raise
    except Exception as error:  # a reader's bug must not leave a 500 and a file on disk
        raise _unreadable(error) from error


def import_start(
    name: str, *, actor: User, upload: Upload, target: str = "", parameters: dict | None = None
) -> ImportPreview:
    """Check and keep a file; classify it now when it is small, or in the task worker (the
    preview is "reading" until then). The preview record is all that is written."""
    kind = import_kind(name)
    _require(actor, kind)
    ext = upload_check(kind=kind, filename=upload.filename, size=len(upload.data))
    from django.core.files.base import ContentFile

    stored = default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}.{ext}", ContentFile(upload.data))
    preview = ImportPreview(
        kind=name,
        created_by=actor,
        expires_at=timezone.now() + kind.ttl,
        file=stored,
        original_name=os.path.basename(upload.filename)[:200],
        sha256=hashlib.sha256(upload.data).hexdigest(),
        size=len(upload.data),
        target=target,
        parameters=parameters or {},
    )
    if len(upload.data) > _read_inline_max():
        with transaction.atomic():
            preview.status = ImportStatus.READING
            preview.save()
            _read_in_worker(preview, kind=kind, actor=actor)
        return preview
    try:
        preview.summary = _classify(kind, preview)
    except BaseException:
        default_storage.delete(stored)
        raise
    preview.save()
    return preview


def _read_in_worker(preview: ImportPreview, *, kind: ImportKind, actor: User) -> None:
    """Give a reading preview its job and enqueue it once the transaction commits."""
    preview.read_job = job_create(
        kind=f"read:{kind.name}",
        title=_("读取%(title)s：%(file)s") % {"title": kind.title, "file": preview.original_name},
        created_by=actor,
        parameters={"preview": preview.pk},
    )
    preview.save(update_fields=["read_job"])
    from gonghui.core.tasks import import_read_run

    job_enqueue_on_commit(import_read_run, preview_id=preview.pk)


def import_read(*, preview_id: int) -> dict | None:
    """The worker's side of a large upload: read and classify it; a refusal is recorded on
    the preview (failed, with its reason) and the job, and the file is deleted."""
    from gonghui.accounts.system import system_actor

    preview = ImportPreview.objects.select_related("read_job").get(pk=preview_id)
    job = preview.read_job
    if (
        preview.status != ImportStatus.READING
        or job is None
        or not Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
    ):
        return None  # read already (or expired meanwhile)
    kind = import_kind(preview.kind)
    try:
        summary = _classify(kind, preview)
    except ApplicationError as error:
        message = str(error.message)
        with transaction.atomic():
            ImportPreview.objects.filter(pk=preview.pk).update(result={"error": message})
            transition(ImportPreviewWorkflow, preview, to=ImportStatus.FAILED, actor=system_actor(), message=message)
        job_fail(job_id=job.pk, error=message)
        default_storage.delete(preview.file)
        return None
    with transaction.atomic():
        ImportPreview.objects.filter(pk=preview.pk).update(summary=summary)
        transition(ImportPreviewWorkflow, preview, to=ImportStatus.PENDING, actor=system_actor())
    job_finish(job_id=job.pk, result={}, done=1, total=1)
    return {"preview": preview.pk}


def import_reclassify(preview: ImportPreview, *, actor: User) -> ImportPreview:
    """Classify a pending preview again (after the importer mapped unknown values): now for a
    small file, by the worker for a large one (the preview is "reading" meanwhile)."""
    kind = import_kind(preview.kind)
    _require(actor, kind)
    preview = ImportPreview.objects.get(pk=preview.pk)
    _pending(preview)
    if preview.size > _read_inline_max():  # a large file is read again by the worker
        with transaction.atomic():
            preview = transition(ImportPreviewWorkflow, preview, to=ImportStatus.READING, actor=actor)
            _read_in_worker(preview, kind=kind, actor=actor)
        return preview
    preview.summary = _classify(kind, preview)
    preview.save(update_fields=["summary"])
    return preview


def _pending(preview: ImportPreview) -> None:
    if preview.status == ImportStatus.READING:
        raise InvalidTransition(_("文件还在读取中，请稍候再试。"), extra={"status": preview.status})
    if preview.status == ImportStatus.FAILED:
        raise InvalidTransition(
            _("该文件未能读取：%(error)s 请修改后重新上传。") % {"error": preview.error},
            extra={"status": preview.status},
        )
    if preview.status == ImportStatus.PENDING and preview.expires_at <= timezone.now():
        raise InvalidTransition(_("该导入预览已过期，请重新上传文件。"))
    if preview.status != ImportStatus.PENDING:
        raise InvalidTransition(
            _("该导入预览的状态为“%(status)s”，不会重复导入。") % {"status": preview.get_status_display()},
            extra={"status": preview.status},
        )


def import_preview_get(*, actor: User, pk: int, kind: str | None = None) -> ImportPreview:
    """A preview its importer may see (404 for anyone else's kind)."""
    preview = ImportPreview.objects.select_related("job").get(pk=pk, **({"kind": kind} if kind else {}))
    _require(actor, import_kind(preview.kind))
    return preview


def import_confirm(preview: ImportPreview, *, actor: User) -> ImportPreview:
    """Confirm a pending preview, once. Small kinds apply at once, in this transaction;
    kinds that run in the worker get a job (progress bar) that applies the file."""
    kind = import_kind(preview.kind)
    _require(actor, kind)
    with transaction.atomic():
        locked = ImportPreview.objects.select_for_update().get(pk=preview.pk)
        _pending(locked)
        problem = kind.confirmable(locked)
        if problem:
            raise ApplicationError(problem)
        # A large import is applied by a worker (its job goes on the preview); a small one now.
        outcome: dict[str, Any]
        if kind.runs_in_worker:
            outcome = {
                "job": job_create(
                    kind=f"import:{kind.name}",
                    title=_("%(title)s：%(file)s") % {"title": kind.title, "file": locked.original_name},
                    created_by=actor,
                    parameters={"preview": locked.pk},
                    total=int(locked.summary.get("total_rows", 0) or 0),
                )
            }
        else:
            outcome = {"result": kind.apply(locked, actor=actor, progress=lambda done, total: None)}
        values = {**outcome, "confirmed_by": actor}
        locked = transition(ImportPreviewWorkflow, locked, to=ImportStatus.CONFIRMED, actor=actor, values=values)
        if kind.runs_in_worker:
            from gonghui.core.tasks import import_apply_run

            job_enqueue_on_commit(import_apply_run, preview_id=locked.pk)
            return locked
    default_storage.delete(locked.file)
    return locked


def import_apply(*, preview_id: int) -> dict | None:
    """The worker's side of a confirmed import: apply in one transaction with progress on
    the job; a failure writes nothing and is recorded on the job and the preview."""
    preview = ImportPreview.objects.select_related("job", "confirmed_by").get(pk=preview_id)
    job = preview.job
    if job is None or not Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    ):
        return None  # applied already (or never confirmed)
    kind = import_kind(preview.kind)

    def progress(done: int, total: int) -> None:
        job_progress_set(job_id=job.pk, done=done, total=total)

    try:
        with transaction.atomic():
            actor = preview.confirmed_by
            if actor is None:  # the confirming account was deleted meanwhile
                raise ApplicationError(_("确认导入的账号已不存在，请重新上传。"))
            result = kind.apply(preview, actor=actor, progress=progress)
            ImportPreview.objects.filter(pk=preview.pk).update(result=result)
    except ApplicationError as error:
        job_fail(job_id=job.pk, error=str(error.message))
        ImportPreview.objects.filter(pk=preview.pk).update(result={"error": str(error.message)})
        default_storage.delete(preview.file)  # confirmed once: it cannot be applied again
        return None
    except Exception as error:
        message = _("导入失败，未写入任何数据：%(error)s") % {"error": error}
        job_fail(job_id=job.pk, error=message)
        ImportPreview.objects.filter(pk=preview.pk).update(result={"error": message})
        default_storage.delete(preview.file)
        raise
    total = int(result.get("total", 0) or 0)
    job_finish(job_id=job.pk, result=result.get("labels", result), done=total, total=total)
    default_storage.delete(preview.file)
    return result


def import_discard(preview: ImportPreview, *, actor: User) -> ImportPreview:
    preview = transition(ImportPreviewWorkflow, preview, to=ImportStatus.DISCARDED, actor=actor)
    default_storage.delete(preview.file)
    return preview


def imports_expire(*, actor: User, now: datetime.datetime | None = None) -> int:
    """Mark pending previews past their time as expired and delete their files."""
    now = now or timezone.now()
    stale = ImportPreview.objects.filter(status__in=(ImportStatus.PENDING, ImportStatus.READING), expires_at__lte=now)
    files = list(stale.values_list("file", flat=True))
    moved = transition_bulk(ImportPreviewWorkflow, stale, to=ImportStatus.EXPIRED, actor=actor).moved
    for name in files:
        default_storage.delete(name)
    return moved


def preview_bytes(preview: ImportPreview) -> bytes:
    with default_storage.open(preview.file, "rb") as fh:
        return fh.read()


def preview_open(preview: ImportPreview):
    return default_storage.open(preview.file, "rb")


__all__ = [
    "ImportKind",
    "ImportPreviewWorkflow",
    "Upload",
    "import_apply",
    "import_confirm",
    "import_discard",
    "import_kind",
    "import_kind_register",
    "import_preview_get",
    "import_read",
    "import_reclassify",
    "import_start",
    "imports_expire",
    "preview_bytes",
    "preview_open",
    "upload_check",
    "upload_read",
]

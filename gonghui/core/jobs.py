"""Persisted long-running jobs with live progress.

The Job row records status and outcome. Live progress goes to the cache, because a job
that writes everything in one transaction cannot make its own row's progress visible to
other connections until it commits.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from gonghui.core.models import Job, JobStatus

PROGRESS_TTL = 24 * 3600


def _key(job_id: int) -> str:
    return f"job-progress:{job_id}"


def job_create(*, kind: str, title: str, created_by=None, parameters: dict | None = None, total: int = 0) -> Job:
    return Job.objects.create(
        kind=kind, title=title, created_by=created_by, parameters=parameters or {}, progress_total=total
    )


def job_progress_set(*, job_id: int, done: int, total: int) -> None:
    cache.set(_key(job_id), (done, total), PROGRESS_TTL)


def job_progress(job: Job) -> tuple[int, int]:
    """(done, total) as the job last reported it."""
    if job.is_finished:
        return job.progress_done, job.progress_total
    live = cache.get(_key(job.pk))
    if live:
        return live
    return job.progress_done, job.progress_total


def job_start(*, job_id: int) -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())


def job_finish(*, job_id: int, result: dict, done: int, total: int) -> None:
    # Runs outside the job's own transaction so a failure is recorded even after a rollback.
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.SUCCEEDED,
        result=result,
        progress_done=done,
        progress_total=total,
        finished_at=timezone.now(),
    )
    cache.delete(_key(job_id))


def job_fail(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=error, finished_at=timezone.now())
    cache.delete(_key(job_id))


def job_enqueue_on_commit(task, **kwargs) -> None:
    """Enqueue a task once the current transaction commits (ids only: arguments are JSON)."""
    transaction.on_commit(lambda: task.enqueue(**kwargs))

"""Background tasks of the mutual-aid society: thin, ids only, each calling one service."""

from django_tasks import task


@task()
def fee_run_run(*, job_id: int):
    """Run a queued fee-run job (gonghui.mutual_aid.services.fees.fee_run_execute)."""
    from gonghui.mutual_aid.services.fees import fee_run_job_run

    return fee_run_job_run(job_id=job_id) or {}

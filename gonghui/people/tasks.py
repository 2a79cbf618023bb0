"""Background tasks of the people app: thin, ids only, calling one service."""

from django_tasks import task


@task()
def roster_import_run(*, job_id: int):
    """Run a confirmed roster import (gonghui.people.roster.services.roster_import_apply)."""
    from gonghui.people.roster.services import roster_import_apply

    result = roster_import_apply(job_id=job_id)
    return result or {}

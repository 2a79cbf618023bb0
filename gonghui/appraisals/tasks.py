"""Background tasks: thin wrappers calling services (django-tasks)."""

from django_tasks import task

from gonghui.accounts.system import system_actor
from gonghui.appraisals.services.rounds import rounds_due


@task()
def appraisals_rounds_due() -> dict:
    """Open the rounds whose voting time has come, close those past their closing time."""
    return rounds_due(actor=system_actor())

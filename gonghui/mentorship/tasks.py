"""Background tasks: thin wrappers calling services (django-tasks)."""

from django_tasks import task

from gonghui.accounts.system import system_actor
from gonghui.mentorship.services.due import mentorship_due


@task()
def mentorship_due_run() -> dict:
    """Today's due work: assessments opened and pairs reminded (how many of each)."""
    result = mentorship_due(actor=system_actor())
    return {"assessments_opened": result.assessments_opened, "pairs_reminded": result.pairs_reminded}

"""Background tasks: thin wrappers calling services (django-tasks)."""

from django_tasks import task

from gonghui.accounts.system import system_actor
from gonghui.deliberations.services.rounds import rounds_due


@task()
def deliberations_rounds_due() -> dict:
    """The daily run: close rounds past their closing time, remind of rounds closing soon."""
    return rounds_due(actor=system_actor())

"""Background tasks: thin wrappers calling services (django-tasks)."""

from django_tasks import task

from gonghui.accounts.system import system_actor
from gonghui.competitions.services.competitions import competitions_due


@task()
def competitions_nominations_due() -> int:
    """Close the nominations of the editions whose nomination deadline has passed; how many."""
    return competitions_due(actor=system_actor())

"""Background tasks: thin wrappers calling services (django-tasks)."""

from django_tasks import task

from gonghui.proposals.services.handling import reminders_send


@task()
def proposals_reminders_send() -> int:
    return reminders_send()

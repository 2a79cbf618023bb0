"""Background tasks: thin wrappers calling services (django-tasks)."""

from django_tasks import task

from gonghui.proposals.services.handling import reminders_send


@task()
def proposals_reminders_send() -> int:
    return reminders_send()


@task()
def similar_index_rebuild() -> int:
    """A proposal entered or left the similar-proposals search: build the shared index."""
    from gonghui.proposals.services.similar_index import similar_index_build

    build = similar_index_build()
    return build.documents if build is not None else -1

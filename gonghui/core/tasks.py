"""Core's background tasks: thin, ids only, calling one service."""

from django_tasks import task


@task()
def import_apply_run(*, preview_id: int):
    """Apply a confirmed import in the worker (gonghui.core.imports.import_apply)."""
    from gonghui.core.imports import import_apply

    return import_apply(preview_id=preview_id) or {}


@task()
def imports_expire_run():
    """Expire stale import previews and delete their files (scheduled daily)."""
    from gonghui.accounts.system import system_actor
    from gonghui.core.imports import imports_expire

    return {"expired": imports_expire(actor=system_actor())}


@task()
def import_read_run(*, preview_id: int):
    """Read and classify a large upload in the worker (gonghui.core.imports.import_read), its
    messages in the site's language (they are kept as text on the preview and the job)."""
    from django.conf import settings
    from django.utils import translation

    from gonghui.core.imports import import_read

    with translation.override(settings.LANGUAGE_CODE):
        return import_read(preview_id=preview_id) or {}

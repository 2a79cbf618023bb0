from django.db.models import QuerySet

from gonghui.attachments.models import Attachment
from gonghui.core.registry import registry


def attachment_list(*, user, owner_person=None, purpose: str | None = None) -> QuerySet[Attachment]:
    """Attachments the user may download, optionally one person's or one purpose's.

    Besides their own and their people's files, modules grant access through their records
    (registered rules): e.g. whoever may see a subsidy application may open its documents,
    which is what lets the welfare committee read the invoices before it."""
    qs = Attachment.objects.restrict(user, "view")
    if user is not None and user.is_authenticated:
        for rule in registry.attachment_access:
            qs = qs | Attachment.objects.filter(pk__in=rule(user))
    if owner_person is not None:
        qs = qs.filter(owner_person=owner_person)
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs

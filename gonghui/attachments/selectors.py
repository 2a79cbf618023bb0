from django.db.models import QuerySet

from gonghui.attachments.models import Attachment


def attachment_list(*, user, owner_person=None, purpose: str | None = None) -> QuerySet[Attachment]:
    """Attachments the user may download, optionally one person's or one purpose's."""
    qs = Attachment.objects.restrict(user, "view")
    if owner_person is not None:
        qs = qs.filter(owner_person=owner_person)
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs

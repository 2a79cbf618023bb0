from django.db.models import QuerySet

from gonghui.attachments.models import Attachment


def attachment_list(*, user, owner_person=None, purpose: str | None = None) -> QuerySet[Attachment]:
    """Attachments the user may download, optionally one person's or one purpose's."""
    qs = Attachment.objects.restrict(user, "view")
    # Mutual aid: whoever may see a subsidy application may open its documents — this is
    # what lets the welfare committee read the invoices of the applications before it.
    from gonghui.mutual_aid.models import ApplicationDocument, SubsidyApplication

    documents = ApplicationDocument.objects.filter(
        application__in=SubsidyApplication.objects.restrict(user, "view")
    ).values("attachment_id")
    if user is not None and user.is_authenticated:
        qs = qs | Attachment.objects.filter(pk__in=documents)
    if owner_person is not None:
        qs = qs.filter(owner_person=owner_person)
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs

"""The one service that moves a subsidy application from one status to another.

Every status change of an application — by the applicant, a sub-union officer, the union
office, the welfare committee or the payment run — goes through application_transition,
so that the rules in gonghui.mutual_aid.workflow.TRANSITIONS hold everywhere and every
step leaves an ApplicationEvent (shown to the member as the timeline) and an AuditEvent.
"""

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.exceptions import InvalidTransition
from gonghui.core.history import AuditAction, audit_event_record
from gonghui.mutual_aid.choices import ApplicationStatus
from gonghui.mutual_aid.models import ApplicationEvent, SubsidyApplication
from gonghui.mutual_aid.workflow import can_transition


def _application_url(application) -> str:
    try:
        return reverse("mutual_aid:my_application_detail", args=[application.pk])
    except NoReverseMatch:  # pragma: no cover - the route is part of this app
        return ""


def _notify_applicant(*, application, actor, to_status: str, message: str) -> None:
    from gonghui.notifications.services import notification_send

    user = getattr(application.person, "user", None) if application.person_id else None
    if user is None or not user.is_active:
        return
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        return  # the applicant did it themselves: no need to tell them
    title = _("您的互助会补助申请（%(year)s年度）：%(status)s") % {
        "year": application.cost_year,
        "status": ApplicationStatus(to_status).label,
    }
    notification_send(
        recipients=[user],
        title=title,
        body=message,
        url=_application_url(application),
        kind="mutual_aid.application",
    )


@transaction.atomic
def application_transition(
    *, application: SubsidyApplication, to_status: str, actor, message: str = "", parameters: dict | None = None
) -> SubsidyApplication:
    """Move `application` to `to_status` if workflow.TRANSITIONS allows it.

    Locks the row and re-reads its status (two officers clicking at once cannot both move
    it), records an ApplicationEvent and an AuditEvent, and tells the applicant (their
    inbox row is written in this transaction; e-mail/SMS copies go out after commit).
    Returning an application needs a message: it is what the applicant will read.
    Raises InvalidTransition (translated message) when the step is not allowed.
    """
    locked = SubsidyApplication.objects.select_for_update().select_related("person").get(pk=application.pk)
    from_status = locked.status
    if not can_transition(from_status, to_status):
        raise InvalidTransition(
            _("申请当前状态为“%(current)s”，不能改为“%(target)s”。")
            % {"current": ApplicationStatus(from_status).label, "target": ApplicationStatus(to_status).label}
        )
    message = (message or "").strip()
    if to_status == ApplicationStatus.RETURNED and not message:
        raise InvalidTransition(_("退回申请须填写说明，告诉申请人需要补充什么。"))

    locked.status = to_status
    update_fields = ["status", "updated_at"]
    if to_status == ApplicationStatus.RETURNED:
        locked.return_message = message
        update_fields.append("return_message")
    if to_status == ApplicationStatus.SUBMITTED:
        locked.submitted_at = timezone.now()
        update_fields.append("submitted_at")
        if actor is not None and getattr(actor, "is_authenticated", False):
            locked.submitted_by = actor
            update_fields.append("submitted_by")
    locked.save(update_fields=update_fields)

    ApplicationEvent.objects.create(
        application=locked,
        actor=actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None,
        from_status=from_status,
        to_status=to_status,
        message=message,
        parameters=parameters or {},
    )
    audit_event_record(
        actor=actor,
        obj=locked,
        action=AuditAction.STATUS_CHANGED,
        person_id=locked.person_id,
        message=message,
        changes={"status": [str(ApplicationStatus(from_status).label), str(ApplicationStatus(to_status).label)]},
    )
    _notify_applicant(application=locked, actor=actor, to_status=to_status, message=message)

    # Keep the caller's instance in step with the row.
    for name in update_fields:
        setattr(application, name, getattr(locked, name))
    return locked

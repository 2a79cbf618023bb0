"""Whom admission's steps tell: the parent hears of each step of their request (returned,
checked, referred, placed or not, taken as self-arranged after the deadline); the survey's
reminders go to the parents still to answer and to their sub-union's officers.

Notifications name the child masked (张*明): they may travel by SMS or e-mail."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gonghui.admissions.choices import RequestStatus
from gonghui.admissions.models import AdmissionRequest
from gonghui.core.text import name_mask

# The request steps the parent hears of.
TELLS_PARENT = frozenset({"return", "check", "refer", "place", "not_place", "arrange_self"})

KIND_REQUEST = "admissions.request"
KIND_SURVEY = "admissions.survey"


def url_or_blank(name: str, *args) -> str:
    """The page's address, or "" while the pages are not there (commands, early tests)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def users_of(*person_ids):
    from gonghui.accounts.models import User

    return User.objects.filter(is_active=True, person_id__in=[p for p in person_ids if p])


def _send(recipients, *, title: str, url: str, kind: str, body: str = "") -> list:
    from gonghui.notifications.services import notification_send

    return notification_send(recipients=recipients, title=title, body=body, url=url, kind=kind)


def _title(request: AdmissionRequest, step: str, state: str) -> str:
    child = name_mask(request.child.name)
    if step == "arrange_self":
        return _("入学申请 %(number)s（%(child)s）在申请截止后提交，视为自行解决") % {
            "number": request.number,
            "child": child,
        }
    if step == "return":
        return _("入学申请 %(number)s（%(child)s）被退回修改") % {"number": request.number, "child": child}
    return _("入学申请 %(number)s（%(child)s）：%(state)s") % {
        "number": request.number,
        "child": child,
        "state": RequestStatus(state).label,
    }


def request_step_notify(request: AdmissionRequest, event) -> None:
    """The workflow's effect: tell the parent of the steps they wait for. The state is the
    event's (the record may have moved on before the commit runs the effects)."""
    if event.step not in TELLS_PARENT:
        return
    _send(
        users_of(request.parent_id),
        title=_title(request, event.step, event.to_state),
        body=event.message,
        url=url_or_blank("admissions:request", request.pk),
        kind=KIND_REQUEST,
    )


def requests_referred_notify(request_ids) -> int:
    """After a bulk referral (`campaign_refer`): each parent hears their request went to the
    school. Returns the number of notifications."""
    sent = 0
    for request in AdmissionRequest.objects.filter(pk__in=list(request_ids)).select_related("child"):
        sent += len(
            _send(
                users_of(request.parent_id),
                title=_title(request, "refer", RequestStatus.REFERRED),
                url=url_or_blank("admissions:request", request.pk),
                kind=KIND_REQUEST,
            )
        )
    return sent

"""The daily run (`admissions_due`): a request still a draft when its year's deadline has
passed is taken as 视为自行解决 (the family arranges it), as a submission after the deadline
is, and the parent is told. Run again, it finds nothing more to do."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.admissions.choices import RequestStatus
from gonghui.admissions.models import AdmissionRequest
from gonghui.admissions.workflow import AdmissionRequestWorkflow
from gonghui.core.workflow import transition


def drafts_past_deadline_close(*, actor, day: datetime.date | None = None) -> int:
    """Every draft of a campaign whose request deadline is before `day` (default today)
    becomes self-arranged, one transaction per request; returns how many."""
    day = day or timezone.localdate()
    moved = 0
    late = AdmissionRequest.objects.filter(
        status=RequestStatus.DRAFT, campaign__rules__requests_deadline__lt=day
    ).order_by("pk")
    for pk in late.values_list("pk", flat=True):
        with transaction.atomic():
            request = (
                AdmissionRequest.objects.select_for_update(of=("self",)).select_related("campaign__rules").get(pk=pk)
            )
            if request.status != RequestStatus.DRAFT:
                continue
            deadline = request.campaign.rules.requests_deadline
            transition(
                AdmissionRequestWorkflow,
                request,
                step="arrange_self",
                actor=actor,
                message=_("%(date)s 申请截止时仍未提交，视为自行解决。") % {"date": deadline.isoformat()},
                values={"late": True},
            )
            moved += 1
    return moved

"""A growing delay per username, across every address (issue 11, finding 5).

django-axes locks a username *from one address* after AXES_FAILURE_LIMIT failures, so that a
client guessing (or mistyping) cannot lock the account for everyone else. Guessing from many
addresses is slowed here instead: once a username has SIGN_IN_USERNAME_FREE_FAILURES failures
since its last success (within the axes cool-off), each further attempt must wait twice as long
after the latest failure as the previous one did — 1 s, 2 s, 4 s ... capped at
SIGN_IN_USERNAME_MAX_DELAY_SECONDS. An attempt made too early is refused without checking the
password and is not counted, and attempts refused by an axes lock-out do not count either: a
single client can at worst make others wait the cap, never lock them out.
"""

import math
from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Max
from django.utils import timezone


def username_wait_seconds(username: str, *, now: datetime | None = None) -> int:
    """Seconds `username` must still wait before its next sign-in attempt (0: none)."""
    username = (username or "").strip()
    if not username:
        return 0
    now = now or timezone.now()
    cool_off = get_cool_off(None) or timedelta(minutes=30)
    since = now - cool_off
    last_success = AccessLog.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
    if last_success and last_success > since:
        since = last_success
    failures = AccessFailureLog.objects.filter(username=username, locked_out=False, attempt_time__gt=since)
    summary = failures.aggregate(last=Max("attempt_time"))
    count = failures.count()
    free = settings.SIGN_IN_USERNAME_FREE_FAILURES
    if count < free or summary["last"] is None:
        return 0
    delay = min(2 ** (count - free), settings.SIGN_IN_USERNAME_MAX_DELAY_SECONDS)
    remaining = (summary["last"] + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))

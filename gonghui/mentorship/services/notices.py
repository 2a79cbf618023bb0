"""Whom mentorship's steps tell: the pair hears of its agreement, start, grades and end; the
logger of a returned duty hears why; before each term ends, pairs behind on their duties are
reminded (the `mentorship_due` command and task)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.mentorship.choices import LOGGING_PAIR_STATUSES, CohortStatus
from gonghui.mentorship.models import Cohort, DutyLog, Pair, _month_day

# The pair steps the mentor and the mentee hear of.
TELLS_PAIR = frozenset(
    {
        "agree",
        "activate",
        "pass",
        "pass_basically",
        "extend",
        "fail",
        "not_assess",
        "pass_after_extension",
        "fail_after_extension",
        "end_early",
    }
)


def _users_of(*person_ids: int):
    from gonghui.accounts.models import User

    return User.objects.filter(is_active=True, person_id__in=[p for p in person_ids if p])


def _send(recipients, *, title: str, url: str, kind: str, body: str = "") -> None:
    from gonghui.notifications.services import notification_send

    notification_send(recipients=recipients, title=title, body=body, url=url, kind=kind)


def pair_step_notify(pair: Pair, event) -> None:
    if event.step not in TELLS_PAIR:
        return
    _send(
        _users_of(pair.mentor_id, pair.mentee_id),
        title=_("拜师结对（%(mentor)s — %(mentee)s）：%(state)s")
        % {"mentor": pair.mentor.name, "mentee": pair.mentee.name, "state": pair.get_status_display()},
        body=event.message,
        url=reverse("mentorship:pair", args=[pair.pk]),
        kind="mentorship.pair",
    )


def duty_returned_notify(duty: DutyLog, event) -> None:
    _send(
        _users_of(duty.logged_by_id),
        title=_("履职记录被退回：%(date)s %(course)s") % {"date": duty.held_on.isoformat(), "course": duty.course},
        body=event.message,
        url=reverse("mentorship:pair", args=[duty.pair_id]),
        kind="mentorship.duty_returned",
    )


def term_end_ahead(cohort: Cohort, today: datetime.date) -> datetime.date | None:
    """The term end within the rules' reminder days from today, if any."""
    rules = cohort.rules
    for value in rules.term_ends or []:
        month_day = _month_day(value)
        if month_day is None:
            continue
        for year in (today.year, today.year + 1):
            try:
                end = datetime.date(year, *month_day)
            except ValueError:
                continue
            if 0 <= (end - today).days <= rules.remind_days:
                return end
    return None


def duties_remind(*, today: datetime.date | None = None) -> int:
    """Before a term ends, remind each pair of a running cohort whose duties of the current
    cycle year are below the requirements. Reminded once per term end (the notification's
    kind carries the date). Returns how many pairs were reminded."""
    from gonghui.mentorship.selectors.counters import pair_counters, year_of
    from gonghui.notifications.models import Notification

    today = today or timezone.localdate()
    reminded = 0
    for cohort in Cohort.objects.filter(status=CohortStatus.RUNNING).select_related("rules"):
        end = term_end_ahead(cohort, today)
        index = year_of(cohort, today)
        if end is None or index is None:
            continue
        kind = f"mentorship.remind.{end.isoformat()}"
        pairs = Pair.objects.filter(cohort=cohort, status__in=LOGGING_PAIR_STATUSES).select_related(
            "mentor", "mentee", "cohort__rules", "previous"
        )
        for pair in pairs:
            year = pair_counters(pair)[index - 1]
            missing = [f"{c.label} {c.missing}" for c in year.counters if c.missing]
            if not missing:
                continue
            users = list(_users_of(pair.mentor_id, pair.mentee_id))
            if (
                not users
                or Notification.objects.filter(recipient__in=users, kind=kind, url__endswith=f"/{pair.pk}/").exists()
            ):
                continue
            _send(
                users,
                title=_("学期将于 %(end)s 结束：本年度还差%(missing)s")
                % {"end": end.isoformat(), "missing": "、".join(missing)},
                url=reverse("mentorship:pair", args=[pair.pk]),
                kind=kind,
            )
            reminded += 1
    return reminded

"""The congress's case for the cross-module workflow contract test: a session's rules in
the step's source state, the union office (which records the presidium's or the congress's
act) and, to adopt, the date and the act."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from gonghui.congress.models import Congress, CongressSession, CongressTerm, SessionRules


def _rules(world, step, source):
    congress = Congress.objects.create(name="契约测试教代会")
    term = CongressTerm.objects.create(congress=congress, number=1, starts_on=datetime.date(2020, 9, 1))
    session = CongressSession.objects.create(
        term=term, number=1, opens_on=datetime.date(2021, 4, 20), closes_on=datetime.date(2021, 4, 21)
    )
    rules = SessionRules.objects.create(
        session=session,
        status=source,
        solicitation_opens_at=datetime.datetime(2021, 3, 20, 8, 0, tzinfo=datetime.UTC),
        solicitation_closes_at=datetime.datetime(2021, 4, 5, 8, 0, tzinfo=datetime.UTC),
    )
    kwargs: dict = {}
    if step.name == "adopt":
        kwargs["values"] = {"adopted_on": datetime.date(2021, 3, 10), "resolution": "第一届教代会主席团决议"}
    return rules, world.users["union_office"], kwargs


CONTRACT: dict[str, Callable] = {"congress.sessionrules": _rules}

__all__ = ["CONTRACT"]

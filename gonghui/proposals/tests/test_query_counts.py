"""The list pages and list API endpoints read a fixed number of queries whatever the number of
proposals: 3 rows and 30 rows cost the same."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.proposals.models import (
    CoSignature,
    HandlingAssignment,
    Proposal,
    ProposalProposer,
    ProposalReply,
)


def _rows(pw, count, start):
    """`count` registered proposals of zhang's, co-signed by li, assigned to 后勤处 with a
    released reply, published; rows written directly."""
    today = timezone.localdate()
    for n in range(start, start + count):
        proposal = Proposal.objects.create(
            session=pw.session,
            title=f"提案{n}",
            status="replied",
            number=n,
            category=pw.categories["后勤保障"],
            published_at=timezone.now(),
        )
        ProposalProposer.objects.create(proposal=proposal, delegate=pw.delegates["zhang"])
        CoSignature.objects.create(proposal=proposal, delegate=pw.delegates["li"], confirmed_at=timezone.now())
        HandlingAssignment.objects.create(
            proposal=proposal, unit=pw.logistics, deadline=today - datetime.timedelta(days=1)
        )
        ProposalReply.objects.create(
            proposal=proposal, round=1, unit=pw.logistics, category="solved", body="已解决", released_at=timezone.now()
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "user, url",
    [
        ("proposals_committee", reverse("proposals:list")),
        ("member", reverse("proposals:home")),
        ("li", reverse("proposals:home")),
        ("zhao", reverse("proposals:public")),
        ("handling_unit_officer", reverse("proposals:unit_board")),
        ("union_office", reverse("proposals:overdue")),
        ("proposals_committee", reverse("api-proposal-list")),
        ("zhao", reverse("api-proposal-public")),
        ("handling_unit_officer", reverse("api-proposal-unit-board")),
    ],
)
def test_a_list_reads_as_many_queries_for_30_rows_as_for_3(client, pw, user, url):
    client.force_login(pw.users[user])
    _rows(pw, 3, start=1)
    client.get(url)  # warm up: the session, the caches
    few = _count(client, url)
    _rows(pw, 27, start=4)
    assert _count(client, url) == few

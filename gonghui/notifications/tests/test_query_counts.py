"""Query-count guards: the inbox page and its API cost the same for 3 messages as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.notifications.models import Notification


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", [reverse("notifications:inbox"), "/api/notifications/", "/api/notifications/?unread=1"])
def test_the_inbox_costs_the_same_for_3_and_30(client, university, url):
    member = university.users["member"]
    client.force_login(member)

    def add(n):
        for i in range(n):
            Notification.objects.create(recipient=member, title=f"消息{i}", body="正文", url="/people/")

    add(3)
    _queries(client, url)  # warm the caches a first request fills
    with_3 = _queries(client, url)
    add(27)
    assert _queries(client, url) == with_3
    assert Notification.objects.filter(recipient=member).count() == 30

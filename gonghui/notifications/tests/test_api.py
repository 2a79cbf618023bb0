import pytest
from django.urls import reverse

from gonghui.notifications.models import Notification


@pytest.fixture
def notes(university):
    member = university.users["member"]
    other = university.users["auditor"]
    mine = [Notification.objects.create(recipient=member, title=f"消息{i}") for i in range(3)]
    theirs = Notification.objects.create(recipient=other, title="审计的消息")
    return member, mine, theirs


def test_list_returns_own_notifications_only(client, notes):
    member, mine, _ = notes
    client.force_login(member)
    response = client.get(reverse("api-notification-list"))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert {row["id"] for row in data["results"]} == {n.pk for n in mine}
    assert set(data["results"][0]) == {"id", "title", "body", "url", "kind", "created_at", "read_at", "is_read"}


def test_list_is_paginated_and_filters_unread(client, notes):
    member, mine, _ = notes
    Notification.objects.filter(pk=mine[0].pk).update(read_at="2021-09-28T10:00:00+08:00")
    client.force_login(member)
    data = client.get(reverse("api-notification-list"), {"page_size": 2}).json()
    assert (data["count"], len(data["results"])) == (3, 2)
    assert data["next"] is not None
    assert client.get(reverse("api-notification-list"), {"unread": "1"}).json()["count"] == 2


def test_read_marks_own(client, notes):
    member, mine, _ = notes
    client.force_login(member)
    response = client.post(reverse("api-notification-read", args=[mine[1].pk]))
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert Notification.objects.filter(recipient=member, read_at__isnull=False).count() == 1


def test_read_of_another_users_notification_is_404(client, notes):
    member, _, theirs = notes
    client.force_login(member)
    response = client.post(reverse("api-notification-read", args=[theirs.pk]))
    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all(client, notes):
    member, _, theirs = notes
    client.force_login(member)
    assert client.post(reverse("api-notification-read-all")).json() == {"marked": 3}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # only the auditor's


def test_anonymous_is_refused(client, notes):
    _, mine, _ = notes
    assert client.get(reverse("api-notification-list")).status_code in (401, 403)
    assert client.post(reverse("api-notification-read", args=[mine[0].pk])).status_code in (401, 403)
    assert Notification.objects.filter(read_at__isnull=False).count() == 0

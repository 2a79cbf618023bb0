import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gonghui.notifications.cards import inbox_cards
from gonghui.notifications.models import Notification


@pytest.fixture
def inbox(university, settings):
    settings.NOTIFICATION_CHANNELS = []
    member = university.users["member"]
    other = university.users["sub_union_officer"]
    base = timezone.now() - datetime.timedelta(days=1)
    mine = []
    for i, (title, read) in enumerate(
        [("旧的已读", True), ("较早未读", False), ("最新已读", True), ("最新未读", False)]
    ):
        n = Notification.objects.create(recipient=member, title=title, kind="test")
        Notification.objects.filter(pk=n.pk).update(
            created_at=base + datetime.timedelta(hours=i), read_at=base + datetime.timedelta(hours=i) if read else None
        )
        mine.append(n)
    theirs = Notification.objects.create(recipient=other, title="别人的消息")
    return member, other, mine, theirs


def test_inbox_shows_only_own_notifications_unread_first(client, inbox):
    member, _, _, _ = inbox
    client.force_login(member)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    titles = [n.title for n in response.context["page"]]
    assert titles == ["最新未读", "较早未读", "最新已读", "旧的已读"]
    assert "别人的消息" not in response.content.decode()
    assert response.context["unread_notifications"] == 2
    # the top bar and the phone's tab bar: the count is part of the inbox link's name
    assert response.content.decode().count('unread-count">2<span class="visually-hidden">条未读</span>') == 2


def test_inbox_htmx_returns_the_partial(client, inbox):
    member, *_ = inbox
    client.force_login(member)
    response = client.get(reverse("notifications:inbox"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "notifications/partials/_inbox.html"
    assert "<html" not in response.content.decode()


def test_inbox_requires_sign_in(client, db):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_mark_one_read_with_htmx(client, inbox):
    member, _, mine, _ = inbox
    target = mine[1]
    client.force_login(member)
    response = client.post(reverse("notifications:read", args=[target.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="notification-{target.pk}"' in body
    assert 'id="topbar-inbox"' in body and 'id="tabbar-inbox"' in body and body.count('hx-swap-oob="true"') == 3
    assert body.count('unread-count">1<span class="visually-hidden">条未读</span>') == 2
    target.refresh_from_db()
    assert target.read_at is not None
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 1


def test_marking_read_again_keeps_the_first_time(client, inbox):
    member, _, mine, _ = inbox
    already = mine[0]
    first = Notification.objects.get(pk=already.pk).read_at
    client.force_login(member)
    response = client.post(reverse("notifications:read", args=[already.pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=already.pk).read_at == first


def test_another_users_notification_is_404_and_stays_unread(client, inbox):
    member, _, _, theirs = inbox
    client.force_login(member)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_own(client, inbox):
    member, other, _, theirs = inbox
    client.force_login(member)
    response = client.post(reverse("notifications:read_all"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=member).count() == 4
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_follows_only_local_links(client, inbox):
    member, *_ = inbox
    local = Notification.objects.create(recipient=member, title="本站", url="/me/")
    foreign = Notification.objects.create(recipient=member, title="外站", url="https://evil.example.com/")
    client.force_login(member)
    assert client.post(reverse("notifications:open", args=[local.pk])).url == "/me/"
    assert client.post(reverse("notifications:open", args=[foreign.pk])).url == reverse("notifications:inbox")
    assert Notification.objects.filter(pk__in=[local.pk, foreign.pk], read_at__isnull=False).count() == 2


def test_get_does_not_mark_read(client, inbox):
    member, _, mine, _ = inbox
    client.force_login(member)
    assert client.get(reverse("notifications:read", args=[mine[1].pk])).status_code == 405
    assert Notification.objects.get(pk=mine[1].pk).read_at is None


def test_inbox_card_shows_the_unread_count(inbox):
    member, other, _, _ = inbox
    [card] = inbox_cards(member)
    assert (card.title, card.lines, card.url) == ("我的消息", ("未读消息：2 条",), reverse("notifications:inbox"))
    [card] = inbox_cards(other)
    assert card.lines == ("未读消息：1 条",)


def test_portal_home_shows_the_inbox_card(client, inbox):
    member, *_ = inbox
    client.force_login(member)
    body = client.get(reverse("portal:home")).content.decode()
    assert "我的消息" in body and "未读消息：2 条" in body


def test_inbox_query_count(client, inbox, django_assert_max_num_queries):
    member, *_ = inbox
    client.force_login(member)
    client.get(reverse("notifications:inbox"))  # warm the session
    with django_assert_max_num_queries(8):
        client.get(reverse("notifications:inbox"))


def test_a_read_notification_without_text_is_its_title_alone(client, inbox):
    """No empty box under the title (issue 12): a read notification with no body and no link
    has its title and date and nothing else: no body, no actions."""
    member, _, mine, _ = inbox
    client.force_login(member)
    html = client.get(reverse("notifications:inbox")).content.decode()
    start = html.index(f'id="notification-{mine[2].pk}"')
    row = html[start : html.index("</article>", start)]
    assert "最新已读" in row and row.count("<h2") == 1
    assert "notification-actions" not in row and row.count("<p") == 1  # the date alone

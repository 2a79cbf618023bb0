"""API tokens (issue 11, finding 6): hashed at rest, expiring, revoked on password change and
on deactivation, listed and revoked by their owner, revoked by the administrator for anyone."""

import datetime
import hashlib

import pytest
import time_machine
from django.test import Client

from gonghui.accounts import services
from gonghui.accounts.models import ApiToken, CodeChannel, CodePurpose
from gonghui.core.models import AuditEvent

PASSWORD = "pass-1234!"
TOKEN = "/api/auth/token/"


def _issue(client, username="office", name=""):
    response = client.post(TOKEN, {"username": username, "password": PASSWORD, "name": name})
    assert response.status_code == 200
    return response.json()


def _me(key):
    return Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")


@pytest.mark.django_db
class TestIssue:
    def test_the_key_is_shown_once_and_only_its_digest_is_kept(self, client, university, settings):
        start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False):
            data = _issue(client, name="脚本")
            me = _me(data["token"])

        token = ApiToken.objects.get()
        assert set(data) == {"token", "expires_at"}
        assert token.digest == hashlib.sha256(data["token"].encode()).hexdigest()
        assert token.prefix == data["token"][:8]
        assert data["token"] not in {token.digest, token.prefix, token.name}
        assert token.name == "脚本"
        assert token.expires_at == start + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
        assert me.json()["username"] == "office"

    def test_a_token_expires(self, client, university, settings):
        settings.API_TOKEN_LIFETIME_DAYS = 30
        start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False) as clock:
            key = _issue(client)["token"]
            clock.shift(datetime.timedelta(days=30) - datetime.timedelta(seconds=1))
            assert _me(key).status_code == 200
            clock.shift(datetime.timedelta(seconds=1))
            response = _me(key)

        assert response.status_code == 401
        assert response.json() == {"message": "令牌已过期，请重新获取", "extra": {}}

    def test_last_use_is_recorded(self, client, university):
        key = _issue(client)["token"]
        assert ApiToken.objects.get().last_used_at is None
        _me(key)
        assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
class TestRevokedWithTheSecret:
    def test_a_new_password_revokes_every_token(self, client, university):
        first, second = _issue(client)["token"], _issue(client)["token"]
        other = _issue(client, username="admin")["token"]
        office = university.users["union_office"]

        office.set_password("another-pass-987!")
        office.save()

        assert _me(first).json() == {"message": "认证令牌无效。", "extra": {}}
        assert _me(second).status_code == 401
        assert ApiToken.objects.filter(user=office).count() == 0
        assert _me(other).status_code == 200  # someone else's is untouched

    def test_saving_without_a_new_password_keeps_them(self, client, university):
        key = _issue(client)["token"]
        office = university.users["union_office"]
        office.first_name = "王"
        office.save()
        assert _me(key).status_code == 200

    def test_a_password_reset_with_a_code_revokes_them(self, client, university):
        member = university.users["member"]
        key = _issue(client, username=member.username)["token"]
        code, _row = services.one_time_code_issue(
            user=member, purpose=CodePurpose.RESET, channel=CodeChannel.LINK, actor=None
        )

        services.password_set_with_code(
            username=member.username, code=code, purpose=CodePurpose.RESET, password="brand-new-pass-42!"
        )

        assert _me(key).status_code == 401
        assert ApiToken.objects.filter(user=member).count() == 0

    def test_stopping_an_account_revokes_them(self, client, university):
        member = university.users["member"]
        key = _issue(client, username=member.username)["token"]

        services.account_active_set(actor=university.users["union_office"], user=member, active=False)

        assert ApiToken.objects.filter(user=member).count() == 0
        assert _me(key).status_code == 401


@pytest.mark.django_db
class TestListAndRevoke:
    def test_the_api_lists_only_my_live_tokens_without_keys(self, client, university):
        mine = _issue(client, name="一")["token"]
        _issue(client, name="二")
        _issue(client, username="admin")

        response = Client().get("/api/auth/tokens/", HTTP_AUTHORIZATION=f"Token {mine}")

        assert response.status_code == 200
        rows = response.json()
        assert [(r["name"], r["current"]) for r in rows] == [("二", False), ("一", True)]
        assert all(
            set(r) == {"id", "name", "prefix", "created_at", "expires_at", "last_used_at", "current"} for r in rows
        )
        assert mine not in str(rows)

    def test_i_revoke_my_token_by_the_api(self, client, university):
        mine = _issue(client)["token"]
        token = ApiToken.objects.get()
        api = Client()

        response = api.post(f"/api/auth/tokens/{token.pk}/revoke/", HTTP_AUTHORIZATION=f"Token {mine}")

        assert response.status_code == 204
        assert ApiToken.objects.count() == 0
        assert _me(mine).status_code == 401
        event = AuditEvent.objects.get(message__startswith="收回 API 令牌")
        assert event.message == f"收回 API 令牌 {token.prefix}…"

    def test_nobody_but_the_administrator_revokes_someone_elses(self, client, university):
        admin_key = _issue(client, username="admin")["token"]
        office_key = _issue(client)["token"]
        admins = ApiToken.objects.get(user__username="admin")
        events = AuditEvent.objects.count()

        response = Client().post(f"/api/auth/tokens/{admins.pk}/revoke/", HTTP_AUTHORIZATION=f"Token {office_key}")

        assert response.status_code == 404
        assert ApiToken.objects.count() == 2
        assert AuditEvent.objects.count() == events
        offices = ApiToken.objects.get(user__username="office")
        response = Client().post(f"/api/auth/tokens/{offices.pk}/revoke/", HTTP_AUTHORIZATION=f"Token {admin_key}")
        assert response.status_code == 204
        assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["admin"]

    def test_my_tokens_page_creates_shows_once_and_revokes(self, client, university):
        client.force_login(university.users["member"])

        page = client.post("/accounts/tokens/", {"name": "我的脚本"})

        assert page.status_code == 200
        token = ApiToken.objects.get()
        html = page.content.decode()
        key = html.split('data-testid="token-key">')[1].split("<")[0]
        assert hashlib.sha256(key.encode()).hexdigest() == token.digest
        listed = client.get("/accounts/tokens/").content.decode()
        assert "我的脚本" in listed and key not in listed and f"{token.prefix}…" in listed

        response = client.post(f"/accounts/tokens/{token.pk}/revoke/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/tokens/"
        assert ApiToken.objects.count() == 0

    def test_the_administrator_sees_and_revokes_an_accounts_tokens_on_its_page(self, client, university):
        member = university.users["member"]
        _issue(client, username=member.username, name="成员脚本")
        token = ApiToken.objects.get()
        client.force_login(university.users["administrator"])

        page = client.get(f"/accounts/users/{member.pk}/").content.decode()
        assert "成员脚本" in page
        office = Client()
        office.force_login(university.users["union_office"])
        assert "成员脚本" not in office.get(f"/accounts/users/{member.pk}/").content.decode()

        response = client.post(f"/accounts/tokens/{token.pk}/revoke/")

        assert response["Location"] == f"/accounts/users/{member.pk}/"
        assert ApiToken.objects.count() == 0

"""Behind the proxy: axes counts and locks the real client address, per username and
address, and a username failing from many addresses waits a growing delay (issue 11, finding 5)."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import RequestFactory

from gonghui.core.client_address import client_address

LOGIN = "/accounts/login/"
TOKEN = "/api/auth/token/"
PASSWORD = "pass-1234!"
PROXY = "127.0.0.1"  # nginx on the same machine


def _request(remote="127.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


class TestClientAddress:
    def test_without_trusted_proxies_the_header_is_ignored(self, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        assert client_address(_request("198.51.100.4", "203.0.113.7")) == "198.51.100.4"

    def test_one_proxy_takes_the_address_it_appended(self, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        assert client_address(_request(PROXY, "203.0.113.7")) == "203.0.113.7"
        # what the client wrote itself, left of the proxy's entry, is not trusted
        assert client_address(_request(PROXY, "10.0.0.1, 203.0.113.7")) == "203.0.113.7"
        assert client_address(_request(PROXY, " 2001:db8::1 ")) == "2001:db8::1"

    def test_two_proxies_take_the_second_entry_from_the_right(self, settings):
        settings.TRUSTED_PROXY_COUNT = 2
        assert client_address(_request(PROXY, "1.1.1.1, 203.0.113.7, 10.0.0.5")) == "203.0.113.7"

    def test_missing_or_garbled_header_falls_back_to_the_socket(self, settings):
        settings.TRUSTED_PROXY_COUNT = 2
        assert client_address(_request(PROXY)) == PROXY
        assert client_address(_request(PROXY, "10.0.0.5")) == PROXY
        assert client_address(_request(PROXY, "not-an-ip, 10.0.0.5")) == PROXY


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CAS_SERVER_URL = ""


def _sign_in(client, username, password, address):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address
    )


@pytest.mark.django_db
class TestLockoutBehindTheProxy:
    def test_failures_record_the_real_address(self, client, university, behind_proxy):
        _sign_in(client, "office", "wrong", "203.0.113.7")
        client.post(
            TOKEN, {"username": "office", "password": "wrong"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8"
        )

        assert sorted(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["203.0.113.7", "203.0.113.8"]
        assert sorted(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == [
            ("office", "203.0.113.7", 1),
            ("office", "203.0.113.8", 1),
        ]

    def test_one_client_locking_itself_out_does_not_lock_the_account_for_others(
        self, client, university, behind_proxy, settings
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = _sign_in(client, "office", "wrong", "203.0.113.66")
        assert response.status_code == 429
        assert _sign_in(client, "office", PASSWORD, "203.0.113.66").status_code == 429
        api = client.post(
            TOKEN, {"username": "office", "password": PASSWORD}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66"
        )
        assert api.status_code == 429

        # the office itself, from its own address behind the same proxy, signs in
        response = _sign_in(client, "office", PASSWORD, "198.51.100.10")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(university.users["union_office"].pk)
        assert AccessLog.objects.filter(username="office", ip_address="198.51.100.10").count() == 1
        assert AccessAttempt.objects.filter(ip_address="203.0.113.66", failures_since_start__gte=5).count() == 1


@pytest.mark.django_db
class TestGrowingDelayPerUsername:
    @pytest.fixture(autouse=True)
    def _few_free_failures(self, settings, behind_proxy):
        settings.SIGN_IN_USERNAME_FREE_FAILURES = 3
        settings.SIGN_IN_USERNAME_MAX_DELAY_SECONDS = 4

    def test_failures_from_many_addresses_make_the_username_wait(self, client, university):
        start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False) as clock:
            for n in range(3):  # three addresses, one failure each: nobody is locked by axes
                assert _sign_in(client, "office", "wrong", f"203.0.113.{n + 1}").status_code == 200
            assert AccessFailureLog.objects.count() == 3

            # the next attempt, from yet another address, must wait 1 s: even the right password
            response = _sign_in(client, "office", PASSWORD, "203.0.113.9")
            assert response.status_code == 200
            assert "该账号近期登录失败较多，请 1 秒后再试。" in response.content.decode()
            assert "_auth_user_id" not in client.session
            assert AccessFailureLog.objects.count() == 3  # refused before the password: not counted

            # the API refuses likewise, in its error shape, with Retry-After
            api = client.post(
                TOKEN,
                {"username": "office", "password": PASSWORD},
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR="203.0.113.9",
            )
            assert api.status_code == 429
            assert api["Retry-After"] == "1"
            assert api.json() == {"message": "该账号近期登录失败较多，请稍后再试。 预计 1 秒后可用。", "extra": {}}

            clock.shift(1)
            assert _sign_in(client, "office", "wrong", "203.0.113.4").status_code == 200  # 4th failure
            assert "请 2 秒后再试" in _sign_in(client, "office", PASSWORD, "203.0.113.9").content.decode()
            clock.shift(2)
            assert _sign_in(client, "office", "wrong", "203.0.113.5").status_code == 200  # 5th failure
            # the delay is capped
            clock.shift(3)
            assert "请 1 秒后再试" in _sign_in(client, "office", PASSWORD, "203.0.113.9").content.decode()
            clock.shift(1)

            # once the delay is over, the right password signs in and clears the delay
            response = _sign_in(client, "office", PASSWORD, "203.0.113.9")
            assert response.status_code == 302
            client.logout()
            assert _sign_in(client, "office", "wrong", "203.0.113.10").status_code == 200
            assert _sign_in(client, "office", PASSWORD, "203.0.113.10").status_code == 302

    def test_another_username_does_not_wait(self, client, university):
        for n in range(3):
            _sign_in(client, "office", "wrong", f"203.0.113.{n + 1}")
        assert _sign_in(client, "E0001", PASSWORD, "203.0.113.1").status_code == 302

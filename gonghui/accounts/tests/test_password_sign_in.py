"""Password sign-in through the real middleware stack: django-axes locks a username+IP
after AXES_FAILURE_LIMIT failures, even when the next password is right."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse

LOGIN = "/accounts/login/"
PASSWORD = "pass-1234!"  # user_make's default


def _sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture(autouse=True)
def _no_cas(settings):
    settings.CAS_SERVER_URL = ""


@pytest.mark.django_db
class TestPasswordSignIn:
    def test_correct_password_signs_in_and_lands_on_the_portal(self, client, university):
        response = _sign_in(client, "E0001", PASSWORD)

        assert response.status_code == 302
        assert response["Location"] == reverse("portal:home")
        assert _signed_in_user_id(client) == str(university.users["member"].pk)
        home = client.get(response["Location"])
        assert home.status_code == 200
        assert "张伟（会员）您好" in home.content.decode()
        assert AccessFailureLog.objects.count() == 0
        assert AccessLog.objects.filter(username="E0001").count() == 1

    def test_login_page_offers_no_cas_button_without_a_cas_server(self, client, university):
        page = client.get(LOGIN).content.decode()

        assert "统一身份认证登录" not in page
        assert 'name="username"' in page

    def test_login_page_offers_cas_when_configured(self, client, university, settings):
        settings.CAS_SERVER_URL = "https://cas.example.edu.cn/cas/"

        page = client.get(LOGIN + "?next=/me/").content.decode()

        assert "统一身份认证登录" in page
        assert reverse("accounts:cas_login") + "?next=/me/" in page

    def test_wrong_password_shows_the_translated_error(self, client, university):
        response = _sign_in(client, "E0001", "wrong-password")

        assert response.status_code == 200
        assert "工号或密码不正确。连续多次失败后账号将被暂时锁定。" in response.content.decode()
        assert _signed_in_user_id(client) is None
        attempt = AccessAttempt.objects.get()
        assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("E0001", "10.0.0.1", 1)
        assert AccessFailureLog.objects.filter(username="E0001", locked_out=False).count() == 1

    def test_error_is_shown_in_english_when_english_is_chosen(self, client, university):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

        response = _sign_in(client, "E0001", "wrong-password")

        assert response.status_code == 200
        assert 'lang="en"' in response.content.decode()
        assert _signed_in_user_id(client) is None

    def test_sixth_attempt_is_locked_out_even_with_the_right_password(self, client, university):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = _sign_in(client, "E0001", "wrong-password")
        # the fifth failure already answers with the lockout page
        assert response.status_code == 429
        assert AccessAttempt.objects.get().failures_since_start == 5

        response = _sign_in(client, "E0001", PASSWORD)

        assert response.status_code == 429
        page = response.content.decode()
        assert "登录失败次数过多" in page
        assert "请 30 分钟后再试" in page
        assert _signed_in_user_id(client) is None
        assert client.get(reverse("portal:home")).status_code == 302  # still anonymous
        attempt = AccessAttempt.objects.get()
        assert (attempt.username, attempt.ip_address) == ("E0001", "10.0.0.1")
        # five failures, then the refused sixth attempt is logged as a locked-out failure
        assert AccessFailureLog.objects.filter(username="E0001").count() == 6
        assert list(
            AccessFailureLog.objects.filter(username="E0001")
            .order_by("attempt_time")
            .values_list("locked_out", flat=True)
        ) == [False, False, False, False, True, True]
        assert AccessLog.objects.count() == 0

    def test_lockout_is_per_username_and_ip(self, client, university, django_user_model):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _sign_in(client, "E0001", "wrong-password")

        # another username from the same IP is not locked
        response = _sign_in(client, "E0099", PASSWORD)
        assert response.status_code == 302
        assert _signed_in_user_id(client) == str(university.users["sub_union_officer"].pk)
        client.logout()

        # the same username from another IP is not locked either
        response = _sign_in(client, "E0001", PASSWORD, ip="10.0.0.2")
        assert response.status_code == 302
        assert _signed_in_user_id(client) == str(university.users["member"].pk)
        client.logout()

        # but E0001 from the first IP still is
        assert _sign_in(client, "E0001", PASSWORD).status_code == 429
        assert AccessAttempt.objects.filter(username="E0001", ip_address="10.0.0.1").count() == 1
        assert AccessAttempt.objects.filter(failures_since_start__gte=5).count() == 1

    def test_success_before_the_limit_resets_the_failures(self, client, university):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            _sign_in(client, "E0001", "wrong-password")
        assert AccessAttempt.objects.get().failures_since_start == 4

        assert _sign_in(client, "E0001", PASSWORD).status_code == 302

        assert AccessAttempt.objects.count() == 0  # AXES_RESET_ON_SUCCESS


@pytest.mark.django_db
class TestSignOut:
    def test_sign_out_by_get_is_refused(self, client, university):
        client.force_login(university.users["member"])

        response = client.get(reverse("accounts:logout"))

        assert response.status_code == 405
        assert _signed_in_user_id(client) == str(university.users["member"].pk)

    def test_sign_out_by_post_signs_out(self, client, university):
        client.force_login(university.users["member"])

        response = client.post(reverse("accounts:logout"))

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login")
        assert _signed_in_user_id(client) is None


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"ticket": "ST-1-abc"}, {"ticket": "ST-1", "next": "/"}])
def test_cas_sign_in_without_a_cas_server_is_not_found(client, settings, query):
    settings.CAS_SERVER_URL = ""
    client.raise_request_exception = False
    assert client.get(reverse("accounts:cas_login"), query).status_code == 404

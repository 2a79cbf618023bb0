"""CAS single sign-on against a real CAS server (django-cas-server, mounted at /cas-server/
by the test settings) over real HTTP: pytest-django's live_server runs gonghui in a
thread, `requests` plays the browser, and django-cas-ng validates the service ticket by
calling the CAS server's p3/serviceValidate over HTTP."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from cas_server.models import ServicePattern
from cas_server.models import User as CASSession

from gonghui.accounts.models import User
from gonghui.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


class _FormParser(HTMLParser):
    """The fields of the first <form method="post"> and where it posts to."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None and (attrs.get("method") or "").lower() == "post":
            self._in_form = True
            self.action = attrs.get("action") or ""
        elif tag == "input" and self._in_form and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


@pytest.fixture
def cas(live_server, settings):
    """gonghui pointed at the real CAS server on the same live server, which accepts
    services on this host."""
    settings.CAS_SERVER_URL = live_server.url + "/cas-server/"
    ServicePattern.objects.create(
        pos=1,
        name="gonghui",
        pattern=r"^http://(localhost|127\.0\.0\.1)(:\d+)?/",
        user_field="",
    )
    return live_server


def _cas_sign_in(live_url, staff_no, password):
    """Start at gonghui's CAS sign-in, fill in the CAS login form, follow redirects back.
    Returns (session, the CAS login form's URL, the final response)."""
    browser = requests.Session()
    form_page = browser.get(live_url + "/accounts/cas/login/?next=/", timeout=20)
    assert form_page.status_code == 200
    login_url = form_page.url
    parsed = urlparse(login_url)
    assert parsed.path == "/cas-server/login"
    assert parse_qs(parsed.query)["service"] == [live_url + "/accounts/cas/login/?next=%2F"]

    form = _FormParser()
    form.feed(form_page.text)
    assert "lt" in form.fields  # the CAS login ticket
    data = {**form.fields, "username": staff_no, "password": password}
    response = browser.post(login_url, data=data, timeout=20)
    return browser, login_url, response


def test_staff_on_the_roster_signs_in_through_cas(cas, university):
    response = _cas_sign_in(cas.url, "E0001", "campus-pass-E0001")[2]

    # CAS issued a ticket, gonghui validated it with the CAS server and landed on the portal
    assert response.status_code == 200
    assert response.url == cas.url + "/"
    hops = [urlparse(r.headers["Location"]) for r in response.history]
    assert hops[0].path == "/accounts/cas/login/" and "ticket=ST-" in hops[0].query
    assert "张伟（会员）您好" in response.text
    assert "我的会籍" in response.text
    # the existing account linked to 张伟 was used; no account was created
    assert User.objects.count() == 10
    assert User.objects.get(person__staff_no="E0001") == university.users["member"]
    assert CASSession.objects.filter(username="E0001").count() == 1


def test_first_cas_sign_in_creates_an_account_linked_by_staff_number(cas, university):
    # given 李娜 is on the roster but has no gonghui account yet
    assert not User.objects.filter(person=university.li).exists()
    from gonghui.accounts.tests.cas_directory import STAFF_DIRECTORY

    STAFF_DIRECTORY["E0002"] = "campus-pass-E0002"
    try:
        # when she signs in through CAS
        browser, _login_url, response = _cas_sign_in(cas.url, "E0002", "campus-pass-E0002")
    finally:
        del STAFF_DIRECTORY["E0002"]

    # then she lands on her portal and an account linked to her record exists
    assert response.status_code == 200
    assert "李娜（会员）您好" in response.text
    user = User.objects.get(person=university.li)
    assert (user.username, user.has_usable_password(), user.role_assignments.count()) == ("E0002", False, 0)
    assert User.objects.count() == 11
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert (event.action, event.person_id, event.actor_id) == (AuditAction.CREATED, university.li.pk, None)
    # and her profile is hers
    profile = browser.get(cas.url + "/me/", timeout=20)
    assert profile.status_code == 200
    assert "E0002" in profile.text and university.li.id_number_masked in profile.text


def test_second_cas_sign_in_reuses_the_account(cas, university):
    from gonghui.accounts.tests.cas_directory import STAFF_DIRECTORY

    STAFF_DIRECTORY["E0002"] = "campus-pass-E0002"
    try:
        _cas_sign_in(cas.url, "E0002", "campus-pass-E0002")
        response = _cas_sign_in(cas.url, "E0002", "campus-pass-E0002")[2]
    finally:
        del STAFF_DIRECTORY["E0002"]

    assert "李娜（会员）您好" in response.text
    assert User.objects.filter(person=university.li).count() == 1
    assert User.objects.count() == 11
    assert AuditEvent.objects.filter(object_type="accounts.user").count() == 1


def test_staff_number_not_on_the_roster_is_refused(cas, university):
    users_before = list(User.objects.order_by("pk").values_list("pk", "username", "person_id"))

    browser, _login_url, response = _cas_sign_in(cas.url, "X9999", "campus-pass-X9999")

    # CAS vouched for X9999 (the ticket came back), but gonghui refuses with a clear page
    assert "ticket=ST-" in urlparse(response.history[-1].headers["Location"]).query
    assert response.status_code == 403
    assert urlparse(response.url).path == "/accounts/cas/login/"
    assert "统一身份认证已确认您的工号 X9999，但该工号不在工会会员名册中。" in response.text
    # nobody is signed in and no account was created or linked
    assert list(User.objects.order_by("pk").values_list("pk", "username", "person_id")) == users_before
    assert not User.objects.filter(username="X9999").exists()
    assert AuditEvent.objects.filter(object_type="accounts.user").count() == 0
    portal = browser.get(cas.url + "/", timeout=20)
    assert urlparse(portal.url).path == "/accounts/login/"


def test_wrong_directory_password_stays_on_the_cas_form(cas, university):
    browser, login_url, response = _cas_sign_in(cas.url, "E0001", "not-the-password")

    assert response.status_code == 200
    assert response.url == login_url  # still the CAS server's form, no ticket issued
    assert "ticket=" not in response.url
    assert CASSession.objects.count() == 0
    portal = browser.get(cas.url + "/", timeout=20)
    assert urlparse(portal.url).path == "/accounts/login/"


def test_gonghui_password_is_not_a_cas_password(cas, university):
    # E0001's gonghui password does not open the university directory
    response = _cas_sign_in(cas.url, "E0001", "pass-1234!")[2]

    assert "ticket=" not in response.url
    assert CASSession.objects.count() == 0


def test_forged_ticket_is_refused(cas, university):
    browser = requests.Session()

    response = browser.get(cas.url + "/accounts/cas/login/?next=/&ticket=ST-forged", timeout=20)

    assert response.status_code == 403
    assert "统一身份认证未能确认您的身份" in response.text
    assert User.objects.count() == 10

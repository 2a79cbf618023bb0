"""English for the whole site: every message is translated, and choosing English shows English.

Source strings are Chinese (LANGUAGE_CODE zh-hans). locale/en/LC_MESSAGES/django.po holds the
English and the committed django.mo is what the site reads, so these tests need no gettext tools.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from gonghui.people.models import EmploymentCategory, Person, SubUnion, Union

PO_PATH = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d*)?[sdif]")
# Messages whose English is spelt the same as the source.
# DRF's own messages, reused so that DRF's Chinese catalogue translates them.
SAME_IN_ENGLISH = {"English", "SHA-256", "%(n)s%%", "Invalid token.", "User inactive or deleted."}


@pytest.fixture(autouse=True)
def _back_to_chinese():
    """LocaleMiddleware activates English for the thread and nothing deactivates it after a
    test-client request; without this, later tests that call services directly would see English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _po_entries(path=PO_PATH):
    """A tiny .po reader: one dict per entry with msgid, msgid_plural, msgstr (list) and flags."""
    entries, entry, field = [], None, None

    def unquote(text):
        return json.loads(text)  # PO escapes (\" \\ \n \t) are a subset of JSON's

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += unquote(line)
            else:
                entry[field[0]] += unquote(line)
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgid", "msgid_plural"):
            field = (keyword, None)
            entry[keyword] = unquote(value)
        elif keyword == "msgstr":
            field = ("msgstr", 0)
            entry["msgstr"][0] = unquote(value)
        elif keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            field = ("msgstr", index)
            entry["msgstr"][index] = unquote(value)
        elif keyword == "msgctxt":
            field = ("msgctxt", None)
            entry["msgctxt"] = unquote(value)
    header = [e for e in entries if e["msgid"] == ""]
    return header, [e for e in entries if e["msgid"] != "" and not e["obsolete"]]


class _VisibleText(HTMLParser):
    """Text a reader sees: text nodes outside <script>/<style> and <title>, plus placeholder,
    aria-label and title attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(response):
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return "\n".join(parser.parts)


def cjk_left(text, allowed=()):
    """CJK characters remaining after removing the allowed strings (data, the 中文 button)."""
    for value in sorted(allowed, key=len, reverse=True):
        if value:
            text = text.replace(value, "")
    return sorted(set(CJK.findall(text)))


def data_strings():
    """Names that are data, not interface text: people, sub-unions, categories, the union."""
    values = {"中文"}
    values.update(Person.objects.values_list("name", flat=True))
    values.update(SubUnion.objects.values_list("name", flat=True))
    values.update(EmploymentCategory.objects.values_list("name", flat=True))
    for union in Union.objects.all():
        values.update(str(getattr(union, field, "") or "") for field in ("name", "university_name"))
        values.add(str(union))
    return values


# --- (a) the catalogue ---------------------------------------------------------------------------


def test_po_header_is_english_with_two_plural_forms():
    header, _entries = _po_entries()
    assert len(header) == 1
    text = header[0]["msgstr"][0]
    assert "Language: en\\n" in json.dumps(text)
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert "fuzzy" not in header[0]["flags"]


def test_every_message_has_english_and_no_fuzzy_flag():
    _header, entries = _po_entries()
    assert len(entries) > 300
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    still_chinese = [
        e["msgid"] for e in entries if e["msgid"] in e["msgstr"].values() and e["msgid"] not in SAME_IN_ENGLISH
    ]
    plurals_incomplete = [
        e["msgid"] for e in entries if e["msgid_plural"] is not None and sorted(e["msgstr"]) != [0, 1]
    ]
    assert untranslated == []
    assert fuzzy == []
    assert still_chinese == []
    assert plurals_incomplete == []


def test_english_keeps_every_placeholder():
    _header, entries = _po_entries()
    wrong = []
    for e in entries:
        expected = sorted(PLACEHOLDER.findall(e["msgid"]))
        for msgstr in e["msgstr"].values():
            if sorted(PLACEHOLDER.findall(msgstr)) != expected:
                wrong.append((e["msgid"], msgstr))
    assert wrong == []


def test_english_has_no_chinese_except_roster_values():
    """English messages contain no CJK, except where they quote what a Chinese file must hold:
    roster values, the headers and values of the finance office's deduction results and of a
    provider's enrolment results."""
    _header, entries = _po_entries()
    roster_values = {
        "男",
        "女",
        "在职",
        "离退休",
        "退休",
        "调离",
        "去世",
        "公费医疗",
        "医保",
        "工号",
        "扣款金额",
        "扣款结果",
        "失败原因",
        "成功",
        "失败",
        "姓名",
        "证件号码",
        "结果",
        "参保成功",
        "已缴费",
        "未通过",
        "保单号",
        "原因",
        # the roster's 入会日期 column and the unit map's columns
        "入会日期",
        "所在单位",
        "分工会",
        "类型",
        "上级",
        # the Workers' Insurance Mutual's plan names, as its forms spell them
        "住院津贴",
        "重大疾病",
        "女工特疾",
    }
    leftovers = {}
    for e in entries:
        for msgstr in e["msgstr"].values():
            left = cjk_left(msgstr, roster_values)
            if left:
                leftovers[e["msgid"]] = left
    assert leftovers == {}


def test_compiled_catalogue_matches_the_po_file():
    """django.mo is compiled from the current django.po: Django answers every msgid with its msgstr."""
    _header, entries = _po_entries()
    stale = []
    with translation.override("en"):
        for e in entries:
            if e["msgid_plural"] is None:
                context = e.get("msgctxt")
                got = translation.pgettext(context, e["msgid"]) if context else translation.gettext(e["msgid"])
                if got != e["msgstr"][0]:
                    stale.append((e["msgid"], got))
            else:
                for n, index in ((1, 0), (2, 1)):
                    got = translation.ngettext(e["msgid"], e["msgid_plural"], n)
                    if got != e["msgstr"][index]:
                        stale.append((e["msgid"], n, got))
    assert stale == []


def test_chinese_stays_the_default():
    with translation.override("zh-hans"):
        assert translation.gettext("登录") == "登录"
    with translation.override("en"):
        assert translation.gettext("登录") == "Sign in"


# --- (b) pages in English -----------------------------------------------------------------------


def _assert_english_login(response):
    assert response.status_code == 200
    text = visible_text(response)
    assert response.content.decode().startswith("<!doctype html>")
    assert '<html lang="en"' in response.content.decode()
    assert "Sign in to Union Services" in text
    assert "Sign in" in text
    assert "Staff number / username" in text
    assert "Password" in text
    assert cjk_left(text, {"中文"}) == []
    assert text.count("中文") == 1  # only the language button


@pytest.mark.django_db
def test_login_page_in_english_by_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _assert_english_login(client.get(reverse("accounts:login")))


@pytest.mark.django_db
def test_login_page_in_english_by_accept_language(client):
    _assert_english_login(client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.django_db
def test_login_page_in_chinese_by_default(client):
    response = client.get(reverse("accounts:login"))
    text = visible_text(response)
    assert "登录工会服务平台" in text
    assert "Sign in" not in text
    assert "EN" in text


@pytest.mark.django_db
def test_language_switch_turns_the_site_english_and_back(client):
    login_url = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302
    assert response["Location"] == login_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    _assert_english_login(client.get(login_url))

    client.post(reverse("set_language"), {"language": "zh-hans", "next": login_url})
    text = visible_text(client.get(login_url))
    assert "登录工会服务平台" in text
    assert "Sign in" not in text


@pytest.mark.django_db
def test_failed_sign_in_message_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong-password"})
    assert response.status_code == 200
    text = visible_text(response)
    assert "Incorrect staff number or password." in text
    assert cjk_left(text, {"中文"}) == []


def _english_page(client, user, url, data=None):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url, data or {})
    assert response.status_code == 200, url
    return visible_text(response)


def test_portal_home_in_english_for_a_member(client, university):
    text = _english_page(client, university.users["member"], reverse("portal:home"))
    assert "Hello, 张伟" in text
    assert "My services" in text
    assert "My profile" in text
    assert "Sign out" in text
    assert cjk_left(text, data_strings()) == []


def test_portal_home_in_english_after_the_language_switch(client, university):
    client.force_login(university.users["member"])
    home = reverse("portal:home")
    response = client.post(reverse("set_language"), {"language": "en", "next": home}, follow=True)
    assert response.redirect_chain == [(home, 302)]
    text = visible_text(response)
    assert "My services" in text
    assert cjk_left(text, data_strings()) == []


def test_portal_home_in_english_for_the_union_office(client, university):
    text = _english_page(client, university.users["union_office"], reverse("portal:home"))
    assert "Workspace" in text
    assert "People" in text
    assert cjk_left(text, data_strings()) == []


def test_profile_in_english(client, university):
    text = _english_page(client, university.users["member"], reverse("portal:profile"))
    assert "My profile" in text
    assert "Staff number" in text
    assert "ID number" in text
    assert "Male" in text
    assert cjk_left(text, data_strings()) == []


def test_people_list_in_english(client, university):
    text = _english_page(client, university.users["union_office"], reverse("people:person_list"))
    assert "Staff status" in text
    assert "\nAll staff statuses\n" in text and "\nAll genders\n" in text and "\nAll medical plans\n" in text
    assert "5 people" in text
    assert "Export to Excel" in text
    assert cjk_left(text, data_strings()) == []


def test_people_export_with_clear_ids_in_english(client, university):
    text = _english_page(client, university.users["union_office"], reverse("people:person_export_clear"))
    assert "Export the list with ID numbers in clear" in text
    assert "Filter: none (everyone you can see)" in text
    assert cjk_left(text, data_strings()) == []


def test_person_page_in_english(client, university):
    text = _english_page(
        client, university.users["union_office"], reverse("people:person_detail", args=[university.zhang.pk])
    )
    assert "Date of birth" in text
    assert "Membership" in text
    assert "History" in text
    assert cjk_left(text, data_strings()) == []


def test_sub_union_list_in_english(client, university):
    text = _english_page(client, university.users["union_office"], reverse("people:subunion_list"))
    assert "Export to Excel" in text
    assert cjk_left(text, data_strings()) == []


@pytest.mark.django_db
def test_api_errors_in_english_with_accept_language(client):
    response = client.post(
        reverse("api-token"), {"username": "nobody", "password": "wrong-password"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "The submitted data is invalid"
    assert json.dumps(body, ensure_ascii=False).count("Incorrect username or password") == 1
    assert cjk_left(json.dumps(body, ensure_ascii=False)) == []

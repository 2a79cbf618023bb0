"""A mentor's and a mentee's own pages: their pairs with this year's duties, the phone form
to log one (a refusal shows the service's message and writes nothing), and the ranking under
双向选择."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.mentorship.choices import DutyKind, DutyStatus, Side
from gonghui.mentorship.models import Candidate, DutyLog
from gonghui.mentorship.services import duties
from gonghui.mentorship.tests.factories import through
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _log(**changes) -> dict:
    data = {"kind": "observation", "held_on": "2021-03-15", "course": "宏观经济学", "hours": "2", "note": "第三章"}
    data.update(changes)
    return data


def test_a_member_without_a_pair_is_told_how_pairing_works(client, w):
    page = _text(_as(client, w.users["member"]).get(reverse("mentorship:mine")))
    assert "您还没有参加拜师结对。" in page and 'data-testid="my-pair"' not in page


def test_the_mentee_sees_this_years_duties_and_logs_one_from_the_phone_form(client, w):
    through(w, "running")
    pair = w.pairs["赵青"]
    duties.duty_log(
        actor=w.users["mentor"],
        pair=pair,
        kind=DutyKind.DEMONSTRATION,
        held_on=datetime.date(2021, 3, 13),
        course="宏观经济学",
        hours="2",
    )
    duties.duty_confirm(actor=w.officer, duty=DutyLog.objects.get())
    client = _as(client, w.users["mentee"])
    page = _text(client.get(reverse("mentorship:mine")))
    assert page.count('data-testid="my-pair"') == 1 and "我是青年教师 · 孙教授" in page
    assert "第 1 培养年度（2021年3月1日 至 2022年2月28日）" in page
    assert 'data-testid="counter-demonstration-value"><strong>1</strong> / 4<' in page
    assert 'data-testid="counter-observation-value"><strong>0</strong> / 8<' in page
    assert '<progress class="progress progress-sm" value="1" max="4"' in page
    form = _text(client.get(reverse("mentorship:duty_log", args=[pair.pk])))
    assert form.count('class="form-selectgroup-input"') == 3 and 'value="observation" checked' in form
    before = table_counts()
    refused = _text(client.post(reverse("mentorship:duty_log", args=[pair.pk]), _log(held_on="2021-02-20")))
    assert "日期须在培养期内（2021年3月12日 至 2023年2月28日）。" in refused
    refused = _text(client.post(reverse("mentorship:duty_log", args=[pair.pk]), _log(hours="20")))
    assert "学时应在 0.5 到 12 之间。" in refused
    assert changed_tables(before, table_counts()) == {}
    photo = SimpleUploadedFile("听课.png", PNG, content_type="image/png")
    response = client.post(reverse("mentorship:duty_log", args=[pair.pk]), {**_log(), "photo": photo})
    assert response.status_code == 302 and response["Location"] == reverse("mentorship:mine")
    duty = DutyLog.objects.get(kind=DutyKind.OBSERVATION)
    assert (duty.course, duty.hours, duty.note, duty.logged_by, duty.status) == (
        "宏观经济学", 2, "第三章", w.zhao, DutyStatus.LOGGED
    )  # fmt: skip
    assert duty.photo is not None and duty.photo.original_name == "听课.png"
    before = table_counts()
    refused = _text(client.post(reverse("mentorship:duty_log", args=[pair.pk]), _log()))
    assert "2021年3月15日的听课“宏观经济学”已经记录过了。" in refused
    assert changed_tables(before, table_counts()) == {}
    page = _text(client.get(reverse("mentorship:mine")))
    assert (
        'data-testid="counter-observation-value"><strong>0</strong> / 8 <span class="small text-secondary">（待确认 1）</span>'
        in page
    )
    assert page.count('data-testid="my-duty"') == 2
    mentor = _text(_as(client, w.users["mentor"]).get(reverse("mentorship:mine")))
    assert "我是指导教师 · 赵青" in mentor


def test_nobody_logs_for_another_pair(client, w):
    through(w, "running")
    client = _as(client, w.users["mentee"])
    assert client.get(reverse("mentorship:duty_log", args=[w.pairs["钱青"].pk])).status_code == 404
    before = table_counts()
    assert client.post(reverse("mentorship:duty_log", args=[w.pairs["钱青"].pk]), _log()).status_code == 404
    assert changed_tables(before, table_counts()) == {}
    assert _as(client, w.officer).get(reverse("mentorship:duty_log", args=[w.pairs["赵青"].pk])).status_code == 404


def test_a_candidate_ranks_the_other_side_under_two_sided_choice(client, w):
    through(w, "matching")
    client = _as(client, w.users["mentee"])
    page = _text(client.get(reverse("mentorship:mine")))
    assert 'data-testid="rank-link"' in page and "填报志愿" in page
    candidate = Candidate.objects.get(person=w.zhao, side=Side.MENTEE)
    page = _text(client.get(reverse("mentorship:rank", args=[candidate.pk])))
    assert page.count('data-testid="rank-line"') == 3 and "郑教授" in page and "教授 · 经济学（宏观经济）" in page
    url = reverse("mentorship:rank", args=[candidate.pk])
    before = table_counts()
    refused = _text(client.post(url, {f"rank-{w.sun.pk}": "1", f"rank-{w.zhou.pk}": "1"}))
    assert "每个志愿序号只能用一次。" in refused
    refused = _text(client.post(url, {}))
    assert "请至少填报一个志愿。" in refused
    assert changed_tables(before, table_counts()) == {}
    response = client.post(url, {f"rank-{w.sun.pk}": "2", f"rank-{w.zhou.pk}": "1"})
    assert response["Location"] == reverse("mentorship:mine")
    candidate.refresh_from_db()
    assert candidate.ranking == [w.zhou.pk, w.sun.pk]
    page = _text(client.get(url))
    assert '<option value="1" selected>' in page and "修改志愿" in _text(client.get(reverse("mentorship:mine")))
    other = Candidate.objects.get(person=w.qian)
    assert client.get(reverse("mentorship:rank", args=[other.pk])).status_code == 404

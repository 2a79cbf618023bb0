"""The voter's pages on the phone: a unit's cadres and reports, the ballot, its review, the cast
and the page after it. Who reads what (404 for anyone else), every refusal with nothing
written, and the secrecy of the pages: after casting no page says what was voted."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.appraisals.choices import VotingMode
from gonghui.appraisals.services import rounds as round_services
from gonghui.appraisals.tests.factories import CLOSES, appraisal_world, aware, through
from gonghui.core.models import Ballot, BallotPending, BallotVoter
from gonghui.people.tests.factories import user_make
from tests.tables import changed_tables, table_counts

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The grades whose words appear nowhere else on the pages (好 and 差 are too common to look for).
DISTINCT_LABELS = ("优秀", "称职", "较好", "一般")


def unit_url(unit):
    return reverse("appraisals:unit", args=[unit.pk])


def vote_url(unit):
    return reverse("appraisals:vote", args=[unit.pk])


def voted_url(unit):
    return reverse("appraisals:voted", args=[unit.pk])


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _page(response) -> str:
    """The page without what differs from one request to the next (the CSRF token)."""
    text = _text(response)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r"X-CSRFToken&quot;: &quot;[^&]+&quot;|\"X-CSRFToken\": \"[^\"]+\"", "", text)


def _ballot(w, dean="excellent", secretary="basic", team="fair") -> dict:
    return {
        w.cadres["dean"].item_key: dean,
        w.cadres["secretary"].item_key: secretary,
        "team": team,
    }


def _cast_count(w) -> int:
    return (
        Ballot.objects.filter(box_id=w.econ.box_id).count() + BallotPending.objects.filter(box_id=w.econ.box_id).count()
    )


def test_a_voter_votes_on_the_phone_form_review_cast_voted(client, w, clock):
    through(w, "open", clock)
    member = _as(client, w.users["member"])
    unit_page = _text(member.get(unit_url(w.econ)))
    assert 'data-state="open"' in unit_page and 'data-testid="vote-button"' in unit_page
    assert unit_page.count('data-testid="report-link"') == 2  # 钱院长 and 孙书记
    assert "钱院长" in unit_page and "院长" in unit_page and "孙书记" in unit_page and "周院长" not in unit_page
    assert "3月20日 09:00 至 3月20日 18:00" in unit_page

    form = _text(member.get(vote_url(w.econ)))
    assert form.count('data-testid="ballot-item"') == 3
    assert form.count('type="radio"') == 12  # two cadres and the team, four grades each
    assert form.count(" checked") == 0

    before = table_counts()
    review = member.post(vote_url(w.econ), {**_ballot(w), "action": "review"})
    assert review.status_code == 200
    assert [r["chosen_label"] for r in review.context["rows"]] == ["优秀", "基本称职", "较好"]
    assert 'data-testid="cast-button"' in _text(review) and "确认投出（投出后不能更改）" in _text(review)
    assert f'name="{w.cadres["secretary"].item_key}" value="basic"' in _text(review)
    back = member.post(vote_url(w.econ), {**_ballot(w), "action": "edit"})  # 返回修改: the choices kept
    assert _text(back).count(" checked") == 3
    assert f'name="{w.cadres["secretary"].item_key}" value="basic" checked' in _text(back)
    assert changed_tables(before, table_counts()) == {}  # the review writes nothing

    cast = member.post(vote_url(w.econ), {**_ballot(w), "action": "cast"})
    assert cast.status_code == 302 and cast["Location"] == voted_url(w.econ)
    assert list(BallotPending.objects.filter(box_id=w.econ.box_id).values_list("choices", flat=True)) == [_ballot(w)]
    assert Ballot.objects.filter(box_id=w.econ.box_id).count() == 0  # written with its batch of ten
    assert list(BallotVoter.objects.filter(box_id=w.econ.box_id, voted=True).values_list("person_id", flat=True)) == [
        w.u.zhang.pk
    ]
    voted = _text(member.get(voted_url(w.econ)))
    assert "您的选票已投出" in voted
    assert not [label for label in DISTINCT_LABELS if label in voted]
    again = _text(member.get(vote_url(w.econ)))
    assert 'data-state="voted"' in again and "您已投票" in again and 'data-testid="ballot-form"' not in again
    assert 'data-state="voted"' in _text(member.get(unit_url(w.econ)))


def test_after_casting_no_page_tells_one_ballot_from_another(client, w, clock):
    """Two voters cast opposite ballots: every page they see afterwards is the same, to the
    byte, so none of them carries anything of what was voted."""
    through(w, "open", clock)
    other = user_make(username="E0200", person=w.econ_staff[0])
    pages = {}
    for user, ballot in (
        (w.users["member"], _ballot(w, "excellent", "excellent", "good")),
        (other, _ballot(w, "incompetent", "basic", "poor")),
    ):
        _as(client, user).post(vote_url(w.econ), {**ballot, "action": "review"})
        assert client.post(vote_url(w.econ), {**ballot, "action": "cast"}).status_code == 302
        pages[user.pk] = [_page(client.get(url)) for url in (voted_url(w.econ), vote_url(w.econ), unit_url(w.econ))]
        # nothing of the ballot stays in the session (it is the user's, in the database)
        session = str(dict(client.session.items()))
        assert not [code for code in ("excellent", "basic", "incompetent", "good", "poor") if code in session]
        client.logout()
    first, second = pages.values()
    assert first == second
    for page in first:
        assert not [label for label in DISTINCT_LABELS if label in page]
    assert _cast_count(w) == 2


def test_the_ballot_pages_are_not_cached_and_keep_their_values_out_of_error_reports(client, w, clock):
    through(w, "open", clock)
    member = _as(client, w.users["member"])
    for response in (member.get(vote_url(w.econ)), member.post(vote_url(w.econ), {**_ballot(w), "action": "review"})):
        assert "no-store" in response["Cache-Control"]
        assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


def test_a_missing_grade_sends_the_form_back_naming_the_cadre_and_writes_nothing(client, w, clock):
    through(w, "open", clock)
    member = _as(client, w.users["member"])
    partial = _ballot(w)
    del partial[w.cadres["secretary"].item_key]
    before = table_counts()
    response = member.post(vote_url(w.econ), {**partial, "action": "review"})
    assert response.status_code == 200
    assert response.context["error"] == "还有 1 项没有选择等次：孙书记（书记）。每一项都选好后才能投出。"
    page = _text(response)
    assert 'data-testid="ballot-form"' in page and 'data-testid="cast-button"' not in page
    assert page.count("ballot-item-missing") == 1 and 'id="item-c' in page
    assert f'name="{w.cadres["dean"].item_key}" value="excellent" checked' in page  # the rest kept
    # cast without the review: the service refuses it the same way
    response = member.post(vote_url(w.econ), {**partial, "action": "cast"})
    assert response.context["error"] == "请对“孙书记（书记）”作出选择。"
    assert changed_tables(before, table_counts()) == {}


def test_a_grade_off_the_scale_is_refused(client, w, clock):
    through(w, "open", clock)
    member = _as(client, w.users["member"])
    before = table_counts()
    response = member.post(vote_url(w.econ), {**_ballot(w, team="excellent"), "action": "cast"})
    assert response.context["error"] == "请对“领导班子”作出选择。"
    review = member.post(vote_url(w.econ), {**_ballot(w, team="excellent"), "action": "review"})
    assert review.context["error"] == "还有 1 项没有选择等次：领导班子。每一项都选好后才能投出。"
    assert changed_tables(before, table_counts()) == {}


def test_before_the_window_the_voter_reads_and_cannot_vote(client, w, clock):
    through(w, "published", clock)
    member = _as(client, w.users["member"])
    for url in (unit_url(w.econ), vote_url(w.econ)):
        page = _text(member.get(url))
        assert 'data-state="not_started"' in page and "投票尚未开始（3月20日 09:00 开始）" in page
        assert 'data-testid="ballot-form"' not in page and 'data-testid="vote-button"' not in page
    before = table_counts()
    response = member.post(vote_url(w.econ), {**_ballot(w), "action": "cast"})
    assert response.context["error"] == "投票尚未开始。"
    review = member.post(vote_url(w.econ), {**_ballot(w), "action": "review"})
    assert "rows" not in review.context and 'data-testid="cast-button"' not in _text(review)
    assert changed_tables(before, table_counts()) == {}


def test_after_the_window_the_cast_is_refused(client, w, clock):
    through(w, "open", clock)
    clock.move_to(aware(CLOSES))  # the round is not closed yet, but its time is up
    member = _as(client, w.users["member"])
    assert 'data-state="closed"' in _text(member.get(vote_url(w.econ)))
    before = table_counts()
    response = member.post(vote_url(w.econ), {**_ballot(w), "action": "cast"})
    assert response.context["error"] == "投票已截止。"
    assert changed_tables(before, table_counts()) == {}
    through(w, "closed", clock)
    response = member.post(vote_url(w.econ), {**_ballot(w), "action": "cast"})
    assert response.context["error"] == "投票已截止。" and response.context["state"] == "closed"
    assert _cast_count(w) == 0


def test_a_second_cast_is_refused_and_the_count_stays(client, w, clock):
    through(w, "open", clock)
    member = _as(client, w.users["member"])
    member.post(vote_url(w.econ), {**_ballot(w), "action": "cast"})
    before = table_counts()
    response = member.post(vote_url(w.econ), {**_ballot(w, dean="incompetent"), "action": "cast"})
    assert response.status_code == 200
    assert response.context["error"] == "您已投过票，选票一经投出不能更改。"
    assert 'data-state="voted"' in _text(response) and 'data-testid="ballot-form"' not in _text(response)
    assert changed_tables(before, table_counts()) == {}
    assert _cast_count(w) == 1


def test_only_the_unit_s_voters_reach_the_ballot(client, w, clock):
    through(w, "open", clock)
    before = table_counts()
    # a law voter, a teller of law, the office, an auditor, the organisation department
    for who in ("wang", "zheng", "union_office", "auditor", "zzb"):
        client.force_login(w.users[who])
        assert client.get(vote_url(w.econ)).status_code == 404
        assert client.post(vote_url(w.econ), {**_ballot(w), "action": "cast"}).status_code == 404
        assert client.get(voted_url(w.econ)).status_code == 404
    assert changed_tables(before, table_counts()) == {}
    client.logout()
    assert client.get(vote_url(w.econ)).status_code == 302  # to the sign-in page


@pytest.mark.parametrize(
    ("who", "econ", "law"),
    [
        ("member", 200, 404),  # a voter of economics only
        ("wang", 404, 200),  # a voter and teller of law
        ("leader", 200, 200),  # votes in both
        ("union_office", 200, 200),
        ("auditor", 200, 200),
        ("zzb", 200, 200),
        ("welfare_committee", 404, 404),
        ("handling_unit_officer", 404, 404),
    ],
)
def test_who_reads_a_unit(client, w, clock, who, econ, law):
    through(w, "published", clock)
    client.force_login(w.users[who])
    assert client.get(unit_url(w.econ)).status_code == econ
    assert client.get(unit_url(w.law)).status_code == law
    dean = reverse("appraisals:cadre_read", args=[w.cadres["dean"].pk])
    assert client.get(dean).status_code == econ


def test_before_the_reports_are_out_voters_see_nothing(client, w):
    for who in ("member", "sub_union_officer", "li"):
        client.force_login(w.users[who])
        assert client.get(unit_url(w.econ)).status_code == 404
        assert client.get(reverse("appraisals:cadre_read", args=[w.cadres["dean"].pk])).status_code == 404
    client.force_login(w.office)
    assert client.get(unit_url(w.econ)).status_code == 200


def test_a_reader_who_does_not_vote_sees_no_ballot_and_the_tellers_see_their_page(client, w, clock):
    through(w, "open", clock)
    office = _text(_as(client, w.office).get(unit_url(w.econ)))
    assert 'data-testid="ballot-state"' not in office and 'data-testid="vote-button"' not in office
    assert reverse("appraisals:detail", args=[w.round.pk]) in office  # the office's way back to the round
    teller = _text(_as(client, w.users["li"]).get(unit_url(w.econ)))
    assert 'data-testid="paper-link"' in teller and 'data-state="open"' in teller
    member = _text(_as(client, w.users["member"]).get(unit_url(w.econ)))
    assert 'data-testid="paper-link"' not in member


def test_a_voter_reads_a_report_and_opens_its_file(client, w, clock):
    dean = w.cadres["dean"]
    upload = SimpleUploadedFile("述职报告.pdf", PDF, content_type="application/pdf")
    round_services.cadre_report_set(actor=w.office, cadre=dean, text="一年来，学院……", report_file=upload)
    through(w, "published", clock)
    dean.refresh_from_db()
    member = _as(client, w.users["member"])
    page = _text(member.get(reverse("appraisals:cadre_read", args=[dean.pk])))
    assert "钱院长的述职报告" in page and "一年来，学院……" in page
    download = reverse("attachments:download", args=[dean.report_file_id])
    assert download in page and download in _text(member.get(unit_url(w.econ)))
    assert member.get(download).status_code == 200
    law_dean = reverse("appraisals:cadre_read", args=[w.cadres["law_dean"].pk])
    assert member.get(law_dean).status_code == 404


@pytest.fixture
def paper_world(clock, university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return appraisal_world(university, mode=VotingMode.PAPER)


def test_in_a_paper_only_round_the_voter_is_sent_to_the_meeting(client, paper_world, clock):
    w = paper_world
    through(w, "open", clock)
    member = _as(client, w.users["member"])
    for url in (unit_url(w.econ), vote_url(w.econ)):
        page = _text(member.get(url))
        assert 'data-state="paper_only"' in page and "本次测评使用纸质选票，请在年会现场投票。" in page
        assert 'data-testid="ballot-form"' not in page and 'data-testid="vote-button"' not in page
    before = table_counts()
    response = member.post(vote_url(w.econ), {**_ballot(w), "action": "cast"})
    assert response.context["error"] == "本次测评使用纸质选票，请在年会现场投票。"
    assert changed_tables(before, table_counts()) == {}

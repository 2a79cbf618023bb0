"""The API: similar proposals with scores, a draft through to a reply, scoped lists, errors."""

from django.urls import reverse

from gonghui.proposals.choices import ProposalStatus
from gonghui.proposals.models import Proposal
from gonghui.proposals.tests.factories import assigned, registered, submitted

S = ProposalStatus


def test_similar_returns_a_ranked_list_with_scores(client, pw):
    a = submitted(pw, title="关于延长食堂晚餐供应时间的建议")
    submitted(pw, title="关于增设校内充电桩的提案", grounds="电动汽车多，没有充电设施", suggestions="停车场增设充电桩")
    client.force_login(pw.users["li"])
    data = client.get(reverse("api-proposal-similar"), {"text": "建议食堂晚餐延时供应，延长到八点"}).json()
    assert [r["id"] for r in data["results"]] == [a.pk]
    assert 0.15 <= data["results"][0]["score"] <= 1.0
    assert client.get(reverse("api-proposal-similar"), {"text": ""}).json()["results"] == []


def test_a_long_an_emoji_or_a_too_long_draft_gets_a_clear_answer(client, pw, django_assert_max_num_queries):
    a = submitted(pw, title="关于延长食堂晚餐供应时间的建议")
    client.force_login(pw.users["li"])
    url = reverse("api-proposal-similar")
    long_text = "建议食堂晚餐延时供应，延长到八点！" + "老师们下课晚。" * 1426 + "。"  # 10,000 characters
    assert len(long_text) == 10_000
    with django_assert_max_num_queries(8):  # read to its first 500 characters, as any draft
        data = client.get(url, {"text": long_text}).json()
    assert [r["id"] for r in data["results"]] == [a.pk]
    assert client.get(url, {"text": "😀🎉👍"}).json()["results"] == []
    too_long = client.get(url, {"text": "食" * 20_001})
    assert too_long.status_code == 400
    assert too_long.json()["extra"]["fields"]["text"] == ["请确保这个字段不能超过 20000 个字符。"]


def test_anonymous_gets_401(client, pw):
    assert client.get(reverse("api-proposal-similar"), {"text": "食堂"}).status_code == 401


def test_whole_path_through_the_api(client, pw):
    c = client
    c.force_login(pw.users["member"])
    r = c.post(
        reverse("api-proposal-list"),
        {
            "title": "增设充电桩",
            "category": pw.categories["后勤保障"].pk,
            "grounds": "电动车多",
            "suggestions": "增设",
            "one_matter": True,
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    pk = r.json()["id"]

    def act(user, action, **body):
        c.force_login(pw.users[user])
        return c.post(reverse("api-proposal-action", args=[pk, action]), body, content_type="application/json")

    assert act("member", "invite", delegates=[pw.delegates["li"].pk, pw.delegates["wang"].pk]).status_code == 200
    refused = act("member", "submit")
    assert refused.status_code == 400
    assert refused.json() == {
        "message": "附议人不足：需要至少 2 名代表确认附议，目前 0 名。",
        "extra": {"need": 2, "have": 0},
    }
    act("li", "co_sign")
    act("wang", "co_sign")
    assert act("member", "submit").json()["status"] == "submitted"
    assert act("proposals_committee", "triage", outcome="registered").json()["number"] == 1
    act("union_office", "units", lead_unit=pw.logistics.pk)
    c.force_login(pw.users["union_office"])
    r = c.post(
        reverse("api-proposal-session-action", args=[pw.session.pk, "handover"]), {}, content_type="application/json"
    )
    assert r.json()["handed_over"] == [pk]
    act("handling_unit_officer", "reply", category="solved", body="已增设")
    act("handling_unit_officer", "reply_sign_off", leader_name="刘校长")
    assert act("handling_unit_officer", "reply_release").json()["status"] == "replied"
    assert act("li", "rate", level="satisfied").status_code == 404  # a co-signer, and the session says no
    assert act("member", "rate", level="satisfied").json()["status"] == "closed"


def test_lists_are_scoped(client, pw):
    mine = assigned(pw, title="后勤的")
    submitted(pw, title="未交办")
    client.force_login(pw.users["handling_unit_officer"])
    assert [r["id"] for r in client.get(reverse("api-proposal-list")).json()["results"]] == [mine.pk]
    client.force_login(pw.users["hr_officer"])
    assert client.get(reverse("api-proposal-list")).json()["results"] == []
    assert client.get(reverse("api-proposal-detail", args=[mine.pk])).status_code == 404
    client.force_login(pw.users["proposals_committee"])
    assert client.get(reverse("api-proposal-list")).json()["count"] == 2


def test_report_api(client, pw):
    registered(pw)
    client.force_login(pw.users["auditor"])
    data = client.get(reverse("api-proposal-report"), {"session": pw.session.pk}).json()
    assert data["counts"]["registered"] == 1
    client.force_login(pw.users["member"])
    assert client.get(reverse("api-proposal-report"), {"session": pw.session.pk}).status_code == 403


def test_rating_by_a_non_proposer_through_the_api_changes_nothing(client, pw):
    proposal = assigned(pw)
    client.force_login(pw.users["zhao"])
    r = client.post(
        reverse("api-proposal-action", args=[proposal.pk, "rate"]),
        {"level": "unsatisfied"},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert Proposal.objects.get().round == 1

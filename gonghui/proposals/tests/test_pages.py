"""Pages: the delegate's journey (write, similar proposals, invite, co-sign, submit), the
committee's triage, the unit's reply, boards, report, public register; scope per role."""

import datetime

from django.urls import reverse

from gonghui.proposals.choices import ProposalStatus
from gonghui.proposals.models import CoSignature, Proposal, ProposalReply
from gonghui.proposals.services.triage import session_publish
from gonghui.proposals.tests.factories import assigned, registered, replied, rules_change, submitted
from tests.charts import loads_echarts, page_charts

S = ProposalStatus


def test_delegate_writes_invites_and_submits(client, pw):
    client.force_login(pw.users["member"])
    response = client.get(reverse("proposals:home"))
    assert response.status_code == 200 and "写提案" in response.content.decode()
    response = client.post(
        reverse("proposals:create"),
        {
            "title": "关于增设充电桩的建议",
            "category": pw.categories["后勤保障"].pk,
            "grounds": "电动车多",
            "suggestions": "在停车场增设",
            "suggested_unit": pw.logistics.pk,
            "one_matter": "on",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("proposals:detail", args=[proposal.pk])
    client.post(
        reverse("proposals:invite", args=[proposal.pk]), {"delegates": [pw.delegates["li"].pk, pw.delegates["wang"].pk]}
    )
    assert CoSignature.objects.filter(proposal=proposal).count() == 2
    # too few co-signers: refused with the message, nothing changes
    response = client.post(reverse("proposals:submit", args=[proposal.pk]), follow=True)
    assert "附议人不足" in response.content.decode()
    assert Proposal.objects.get().status == S.AWAITING_CO_SIGNERS
    for who in ("li", "wang"):
        client.force_login(pw.users[who])
        client.post(reverse("proposals:co_sign", args=[proposal.pk]))
    client.force_login(pw.users["member"])
    client.post(reverse("proposals:submit", args=[proposal.pk]))
    assert Proposal.objects.get().status == S.SUBMITTED


def test_similar_panel_shows_earlier_proposals(client, pw):
    earlier = submitted(pw, title="关于延长食堂晚餐供应时间的建议")
    client.force_login(pw.users["li"])
    response = client.get(reverse("proposals:similar_panel"), {"title": "建议食堂晚餐延时供应"}, HTTP_HX_REQUEST="true")
    assert earlier.title in response.content.decode()
    response = client.get(reverse("proposals:similar_panel"), {"title": "图书馆数据库采购"})
    assert earlier.title not in response.content.decode()


def test_a_non_delegate_sees_why_they_cannot_propose(client, pw):
    client.force_login(pw.users["zhao"])
    assert "您不是本届教代会代表" in client.get(reverse("proposals:home")).content.decode()
    client.post(reverse("proposals:create"), {"title": "想提一件事", "one_matter": "on"})
    assert Proposal.objects.count() == 0


def test_committee_triages_with_duplicates_shown(client, pw):
    first = registered(pw, title="关于延长食堂晚餐供应时间的建议")
    second = submitted(pw, title="建议食堂晚餐延时供应")
    client.force_login(pw.users["proposals_committee"])
    page = client.get(reverse("proposals:detail", args=[second.pk])).content.decode()
    assert "可能重复的提案" in page and first.title in page
    client.post(reverse("proposals:triage", args=[second.pk]), {"outcome": "merged", "merge_into": first.number})
    second.refresh_from_db()
    assert (second.status, second.merged_into_id) == (S.MERGED, first.pk)


def test_triage_without_reason_shows_the_message_and_changes_nothing(client, pw):
    proposal = submitted(pw)
    client.force_login(pw.users["proposals_committee"])
    response = client.post(reverse("proposals:triage", args=[proposal.pk]), {"outcome": "not_registered"}, follow=True)
    assert "请填写理由" in response.content.decode()
    assert Proposal.objects.get().status == S.SUBMITTED


def test_unit_officer_replies_and_sees_only_their_unit(client, pw):
    mine = assigned(pw, title="后勤的")
    client.force_login(pw.users["hr_officer"])
    assert client.get(reverse("proposals:detail", args=[mine.pk])).status_code == 404
    assert "后勤的" not in client.get(reverse("proposals:unit_board")).content.decode()
    client.force_login(pw.users["handling_unit_officer"])
    assert "后勤的" in client.get(reverse("proposals:unit_board")).content.decode()
    client.post(reverse("proposals:reply", args=[mine.pk]), {"category": "solved", "body": "已解决"})
    client.post(reverse("proposals:reply_sign_off", args=[mine.pk]), {"leader_name": "刘校长"})
    client.post(reverse("proposals:reply_release", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.status == S.REPLIED
    assert ProposalReply.objects.get().leader_name == "刘校长"


def test_proposer_rates_on_the_page(client, pw):
    proposal = replied(pw)
    client.force_login(pw.users["member"])
    assert 'id="rate-form"' in client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    client.post(reverse("proposals:rate", args=[proposal.pk]), {"level": "satisfied", "comment": ""})
    proposal.refresh_from_db()
    assert proposal.status == S.CLOSED


def test_public_register_and_catalogue(client, pw):
    registered(pw, title="公示的提案")
    submitted(pw, title="未立案的")
    session_publish(session=pw.session, actor=pw.users["union_office"])
    client.force_login(pw.users["zhao"])
    page = client.get(reverse("proposals:public")).content.decode()
    assert "公示的提案" in page and "未立案的" not in page
    response = client.get(reverse("proposals:catalogue", args=[pw.session.pk]))
    assert response["Content-Type"] == "application/pdf"


def test_report_formats(client, pw):
    replied(pw)
    client.force_login(pw.users["proposals_committee"])
    url = reverse("proposals:report", args=[pw.session.pk])
    page = client.get(url).content.decode()
    assert "提案办理情况报告" in page
    assert page_charts(page) == {
        "categories": {
            "kind": "bar",
            "title": "各类别立案与办结",
            "format": "number",
            "categories": ["后勤保障"],
            "series": [{"name": "立案", "data": [1]}, {"name": "办结", "data": [0]}],
        },
        "satisfaction": {
            "kind": "pie",
            "title": "提案人评价",
            "format": "number",
            "categories": ["满意", "基本满意", "不满意"],
            "series": [{"name": "提案人评价", "data": [0, 0, 0]}],
        },
    }
    assert loads_echarts(page)
    assert client.get(url, {"format": "pdf"}).content.startswith(b"%PDF")
    assert client.get(url, {"format": "xlsx"}).content.startswith(b"PK")


def test_handover_page_sets_deadlines(client, pw):
    proposal = registered(pw)
    from gonghui.proposals.services.triage import proposal_units_set

    proposal_units_set(proposal=proposal, actor=pw.users["union_office"], lead_unit=pw.logistics)
    rules_change(pw.session, reply_working_days=10)
    client.force_login(pw.users["union_office"])
    client.post(reverse("proposals:handover", args=[pw.session.pk]), {"signed_on": "2021-09-28"})
    assert proposal.assignments.get().deadline == datetime.date(2021, 10, 18)

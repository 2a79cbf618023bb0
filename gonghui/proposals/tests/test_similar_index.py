"""The shared similar-proposals index (ADR 0012): built by the task worker when a proposal
enters or leaves the search and only then, skipped when nothing changed, the newest two builds
kept, read by each web worker once, never built on a delegate's request."""

import datetime

from gonghui.proposals.models import Proposal, SimilarIndexBuild
from gonghui.proposals.selectors.proposals import proposals_similar, similar_index_current, similar_index_forget
from gonghui.proposals.services import similar_index
from gonghui.proposals.services.similar_index import similar_index_build
from gonghui.proposals.services.submission import (
    co_signature_confirm,
    co_signers_invite,
    proposal_submit,
    proposal_withdraw,
)
from gonghui.proposals.services.triage import proposal_triage
from gonghui.proposals.similarity import BM25Index
from gonghui.proposals.tests.factories import draft, session_make, submitted

CANTEEN = "建议食堂晚餐延时供应，延长到八点"


def _co_signed(pw, **kw):
    proposal = draft(pw, **kw)
    co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["li"], pw.delegates["wang"]])
    for name in ("li", "wang"):
        co_signature_confirm(proposal=proposal, actor=pw.users[name])
    return proposal


def test_only_steps_into_or_out_of_the_search_ask_for_a_build(pw, monkeypatch, django_capture_on_commit_callbacks):
    asked = []
    monkeypatch.setattr(similar_index, "similar_index_build", lambda **kw: asked.append("build"))
    with django_capture_on_commit_callbacks(execute=True):
        kept = _co_signed(pw)  # a draft, then awaiting co-signers: neither is searched
    assert asked == []
    with django_capture_on_commit_callbacks(execute=True):
        proposal_submit(proposal=kept, actor=pw.users["member"])
    assert asked == ["build"]
    with django_capture_on_commit_callbacks(execute=True):
        proposal_triage(proposal=kept, actor=pw.users["proposals_committee"], outcome="registered")
    assert asked == ["build"]  # submitted → registered: searched before and after
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = _co_signed(pw, title="关于增设校内充电桩的提案")
        proposal_submit(proposal=withdrawn, actor=pw.users["member"])
        proposal_withdraw(proposal=withdrawn, actor=pw.users["member"], reason="已有同类提案")
    assert asked == ["build", "build", "build"]


def test_a_build_holds_the_submitted_proposals_and_is_skipped_when_they_are_the_same(pw):
    SimilarIndexBuild.objects.all().delete()
    first = submitted(pw)  # the factory builds, as the task worker would
    draft(pw, title="草稿不进索引")
    (build,) = SimilarIndexBuild.objects.all()
    assert build.documents == 1
    assert similar_index_build() is None  # the same proposals: nothing to do
    forced = similar_index_build(force=True)
    assert forced is not None and forced.documents == 1
    second = submitted(pw, title="关于增设校内充电桩的提案")
    newest = SimilarIndexBuild.objects.order_by("-pk").first()
    assert newest.documents == 2
    # only the newest two are kept
    assert list(SimilarIndexBuild.objects.order_by("pk").values_list("documents", flat=True)) == [1, 2]
    index = BM25Index.from_bytes(bytes(newest.data))
    assert sorted(index.keys) == [first.pk, second.pk]


def test_a_worker_reads_the_newest_build_once(pw, django_assert_num_queries):
    submitted(pw)
    similar_index_forget()
    index = similar_index_current()
    assert index is not None and len(index) == 1
    with django_assert_num_queries(1):  # the newest build's id; the bytes are held
        assert similar_index_current() is index
    submitted(pw, title="关于增设校内充电桩的提案")
    newer = similar_index_current()
    assert newer is not index and len(newer) == 2


def test_nothing_is_built_on_a_delegates_request(pw, monkeypatch):
    SimilarIndexBuild.objects.all().delete()
    similar_index_forget()
    submitted(pw)
    SimilarIndexBuild.objects.all().delete()
    similar_index_forget()
    built_in_request = []
    monkeypatch.setattr(similar_index, "similar_index_build", lambda **kw: built_in_request.append(kw))
    # no build yet: the search finds nothing and asks the task worker (here the immediate
    # backend runs the task at once, through the patched build)
    assert proposals_similar(text=CANTEEN, session=pw.session) == []
    assert built_in_request == [{}]
    assert proposals_similar(text=CANTEEN, session=pw.session) == []
    assert built_in_request == [{}]  # asked once, not on every request
    assert not SimilarIndexBuild.objects.exists()


def test_the_search_keeps_to_this_and_earlier_sessions_and_hides_withdrawn_ones(pw):
    canteen = submitted(pw)
    later = session_make(pw.term, number=3, opens_on=pw.session.opens_on + datetime.timedelta(days=365))
    in_later = submitted(pw, title="关于食堂晚餐延长供应时间的再次建议", session=later)
    assert [p.pk for p, _score in proposals_similar(text=CANTEEN, session=pw.session, k=5, min_score=0.0)] == [
        canteen.pk
    ]
    found_later = [p.pk for p, _score in proposals_similar(text=CANTEEN, session=later, k=5, min_score=0.0)]
    assert sorted(found_later) == sorted([canteen.pk, in_later.pk])
    # withdrawn after the newest build: not shown even before the next build
    Proposal.objects.filter(pk=in_later.pk).update(status="withdrawn")
    found_later = [p.pk for p, _score in proposals_similar(text=CANTEEN, session=later, k=5, min_score=0.0)]
    assert found_later == [canteen.pk]


def test_the_command_builds_or_says_nothing_changed(pw):
    from io import StringIO

    from django.core.management import call_command

    submitted(pw)
    out = StringIO()
    call_command("similar_index_build", stdout=out)
    assert out.getvalue() == "unchanged\n"
    out = StringIO()
    call_command("similar_index_build", "--force", stdout=out)
    assert out.getvalue().startswith("built: 1 proposals, ")
    assert SimilarIndexBuild.objects.count() == 2

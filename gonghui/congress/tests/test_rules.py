"""A session's rules: adopted with the date and the act before the solicitation opens,
immutable once adopted, revised and superseded, exchanged as a rules document."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from gonghui.congress.models import CongressSession, SessionRules, SessionRulesEvent
from gonghui.congress.selectors import session_current
from gonghui.core.editions import EditionLocked, EditionStatus, edition_adopt, edition_compare, edition_revise
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.proposals.models import Proposal
from gonghui.proposals.services.submission import proposal_submit
from gonghui.proposals.tests.factories import draft

OPENS = datetime.datetime(2021, 4, 1, 8, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2021, 4, 16, 10, 0, tzinfo=datetime.UTC)


def _next_session(pw, **values):
    """The term's third session, with draft rules (nothing adopted yet)."""
    session = CongressSession.objects.create(
        term=pw.term, number=3, opens_on=datetime.date(2021, 5, 10), closes_on=datetime.date(2021, 5, 11)
    )
    rules = SessionRules.objects.create(
        session=session, solicitation_opens_at=OPENS, solicitation_closes_at=CLOSES, **values
    )
    return session, rules


@pytest.mark.parametrize(
    "adopted_on, resolution, message",
    [(None, "主席团决议", "请填写通过日期"), (datetime.date(2021, 3, 20), " ", "请填写通过依据")],
)
def test_adoption_needs_the_date_and_the_act(clock, pw, adopted_on, resolution, message):
    _session, rules = _next_session(pw)
    with pytest.raises(InvalidTransition, match=message):
        edition_adopt(actor=pw.users["union_office"], edition=rules, adopted_on=adopted_on, resolution=resolution)
    rules.refresh_from_db()
    assert (rules.status, rules.adopted_on, rules.resolution) == (EditionStatus.DRAFT, None, "")
    assert SessionRulesEvent.objects.count() == 0


def test_a_window_that_closes_before_it_opens_is_not_adopted(clock, pw):
    _session, rules = _next_session(pw)
    SessionRules.objects.filter(pk=rules.pk).update(solicitation_closes_at=OPENS - datetime.timedelta(hours=1))
    with pytest.raises(InvalidTransition, match="征集截止时间应晚于开始时间"):
        edition_adopt(
            actor=pw.users["union_office"], edition=rules, adopted_on=datetime.date(2021, 3, 20), resolution="决议"
        )
    assert SessionRules.objects.get(pk=rules.pk).status == EditionStatus.DRAFT


def test_only_the_office_adopts(clock, pw):
    _session, rules = _next_session(pw)
    with pytest.raises(InvalidTransition):
        edition_adopt(
            actor=pw.users["proposals_committee"],
            edition=rules,
            adopted_on=datetime.date(2021, 3, 20),
            resolution="决议",
        )
    assert SessionRules.objects.get(pk=rules.pk).status == EditionStatus.DRAFT


def test_no_proposals_before_the_rules_are_adopted(clock, pw):
    clock.move_to(datetime.datetime(2021, 4, 2, 9, 0, tzinfo=datetime.UTC))
    session, rules = _next_session(pw)
    # the window has opened, but under rules not yet adopted: the session is not current
    assert session_current() == pw.session
    with pytest.raises(ApplicationError, match="提案工作规则尚未通过"):
        draft(pw, session=session)
    assert Proposal.objects.count() == 0
    edition_adopt(
        actor=pw.users["union_office"],
        edition=rules,
        adopted_on=datetime.date(2021, 3, 25),
        resolution="第七届教代会第三次会议主席团第一次会议决议",
    )
    assert session_current() == session
    assert draft(pw, session=session).session == session


def test_adopted_rules_do_not_change_a_revision_supersedes_them(clock, pw):
    rules = pw.session.rules_in_force()
    rules.min_co_signers = 5
    with pytest.raises(EditionLocked):
        rules.save()
    assert pw.session.rules_in_force().min_co_signers == 2
    # the presidium lowers the number of co-signers: revised, adopted, in force
    revision = edition_revise(actor=pw.users["union_office"], source=rules, min_co_signers=1)
    edition_adopt(
        actor=pw.users["union_office"], edition=revision, adopted_on=timezone.localdate(), resolution="主席团决议"
    )
    rules.refresh_from_db()
    assert rules.status == EditionStatus.SUPERSEDED
    assert pw.session.rules_in_force().pk == revision.pk
    proposal = draft(pw)
    from gonghui.proposals.services.submission import co_signature_confirm, co_signers_invite

    co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["li"]])
    co_signature_confirm(proposal=proposal, actor=pw.users["li"])
    proposal_submit(proposal=proposal, actor=pw.users["member"])
    assert proposal.status == "submitted"


def test_rules_export_and_import_round_trip(clock, pw, tmp_path):
    adopted = pw.session.rules_in_force()
    path = tmp_path / "rules.json"
    call_command("rules_export", "--module", "congress", "--year", str(pw.session.year), "--output", str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["kind"], document["session"], document["status"]) == (
        "congress.sessionrules",
        str(pw.session.pk),
        "adopted",
    )
    assert document["rules"]["min_co_signers"] == 2
    assert document["rules"]["leader_in_charge_id"] == pw.leader.pk
    call_command("rules_import", str(path))
    imported = SessionRules.objects.get(session=pw.session, status=EditionStatus.DRAFT)
    assert [row for row in edition_compare(adopted, imported) if row.differs] == []
    assert len(edition_compare(adopted, imported)) == 18  # 9 values and the scale's 3 levels × 3

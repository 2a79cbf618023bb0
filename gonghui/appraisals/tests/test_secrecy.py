"""Secrecy, the heart of the appraisal (issue 14; docs/adr/0008-secret-ballots.md and
0009-cadre-appraisal-secrecy.md): from a full database dump, the participation records and the
logs, no ballot can be tied to its voter — not by a field, not by a time, not by a sequence, not
by the order or position of rows; no admin view, URL, page or API answer joins them.

Each voter of the tests casts a ballot no one else casts (`_distinct`), so a ballot found in a
dump, a log line or a page could be told apart — and is found only where it must be."""

from __future__ import annotations

import io
import json
import logging
import random
import re
import uuid

import pytest
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gonghui.appraisals.choices import VotingMode
from gonghui.appraisals.models import (
    AppraisalResult,
    EligibleVoter,
    PaperBallot,
    PaperCount,
    PaperHandout,
)
from gonghui.appraisals.services import rounds as round_services
from gonghui.appraisals.services.paper import paper_ballot_enter, paper_count_agree
from gonghui.appraisals.services.voting import appraisal_vote, paper_handout
from gonghui.appraisals.tests.factories import rules_make, through
from gonghui.core.models import Ballot, BallotPending, BallotVoter
from gonghui.people.tests.factories import person_make, user_make
from tests.tables import changed_tables, table_counts

GRADES = ("excellent", "competent", "basic", "incompetent")
TEAM = ("good", "fair", "average", "poor")
LABELS = ("优秀", "基本称职", "不称职", "较好", "一般")  # every label but 称职 and 好 (inside others)

# A ballot's choice as JSON writes it: an item key with a grade code.
CHOICE = re.compile(r'"(?:c\d+|team)":\s*"(?:' + "|".join(GRADES + TEAM) + ')"')


def _distinct(w, i: int) -> dict:
    """The i-th of 64 different ballots for econ (dean × secretary × team)."""
    return {
        w.cadres["dean"].item_key: GRADES[i % 4],
        w.cadres["secretary"].item_key: GRADES[i // 4 % 4],
        "team": TEAM[i // 16 % 4],
    }


def _crowd(w, n: int) -> list:
    """`n` more staff of econ, each with an account, on the list of voters (before publishing)."""
    users = []
    for i in range(n):
        person = person_make(staff_no=f"E05{i:02d}", name=f"群众{i:02d}", sub_union=w.u.econ)
        users.append(user_make(username=person.staff_no, person=person))
    round_services.voters_fill(actor=w.office, unit=w.econ, staff_category="staff", cadre_category="cadre")
    return users


def _physical(box) -> list[dict]:
    """The box's ballots as the table stores them: SQLite's rowid, PostgreSQL's tuple order."""
    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT choices FROM core_ballot WHERE box_id = %s ORDER BY {column}", [box.pk])
        return [json.loads(row[0]) if isinstance(row[0], str) else row[0] for row in cursor.fetchall()]


def _xmins(table: str, where: str, params: list) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {table} WHERE {where}", params)
        return {int(row[0]) for row in cursor.fetchall()}


# --- (1) the schema -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Ballot, BallotPending, PaperBallot])
def test_a_ballot_has_a_random_key_no_time_and_no_sequence(model):
    fields = model._meta.get_fields()
    assert model._meta.pk.name == "key"
    assert isinstance(model._meta.pk, models.UUIDField)
    assert model._meta.pk.default is uuid.uuid4
    assert model._meta.pk.default().version == 4
    for field in fields:
        assert not isinstance(field, models.DateField | models.TimeField | models.DurationField), field  # dates too
        assert not isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField), field
        assert not isinstance(field, models.IntegerField), field  # no sequence, no position, no counter
    assert model._meta.ordering == []  # no order by anything


def test_an_online_ballot_is_linked_to_no_person_or_user():
    from gonghui.accounts.models import User
    from gonghui.people.models import Person

    for model in (Ballot, BallotPending):
        assert {f.name for f in model._meta.get_fields()} == {"key", "box", "category", "unit", "choices"}
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        assert related.isdisjoint({Person, User, BallotVoter, EligibleVoter, PaperHandout})


def test_a_paper_entry_names_its_teller_never_its_voter():
    """The one person on a paper entry is the teller who typed it in (the two tellers' tallies are
    kept apart by it); the paper itself is anonymous, and nothing leads to who filled it in."""
    from gonghui.accounts.models import User
    from gonghui.people.models import Person

    assert {f.name for f in PaperBallot._meta.get_fields()} == {
        "key",
        "round_unit",
        "teller",
        "category",
        "spoilt",
        "choices",
    }
    people = [f.name for f in PaperBallot._meta.get_fields() if f.is_relation and f.related_model in (Person, User)]
    assert people == ["teller"]
    related = {f.related_model for f in PaperBallot._meta.get_fields() if f.is_relation}
    assert related.isdisjoint({BallotVoter, EligibleVoter, PaperHandout, Ballot})


def test_participation_says_who_voted_never_what():
    assert {f.name for f in BallotVoter._meta.get_fields()} == {"id", "box", "person", "category", "unit", "voted"}
    assert {f.name for f in PaperHandout._meta.get_fields()} == {"id", "round_unit", "person", "category"}
    for model in (BallotVoter, PaperHandout, EligibleVoter):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"choices", "grades", "ballot", "key", "at", "created_at", "voted_at"}


# --- (2) the order and position of rows ------------------------------------------------------------------


def test_the_rows_are_not_in_the_order_cast(w, clock, settings):
    """30 voters each cast a different ballot, in batches of 10. While voting, each batch is
    written shuffled; at closing the whole box is written again in one random order, with new
    keys. The table's order (rowid / ctid) and the keys' order are unrelated to the casting: the
    chance that all 30 rows came out in the order cast is 1/30! (≈ 4·10⁻³³), that every ballot
    stayed among the ten places of its batch (10!)³/30! (≈ 1.8·10⁻¹³), that 12 or more of them
    sit at their own casting place below 10⁻⁹."""
    settings.BALLOT_BATCH = 10
    crowd = _crowd(w, 30)
    through(w, "open", clock)
    box = w.econ.box
    cast, seen_keys = [], set()
    for i, user in enumerate(crowd):
        appraisal_vote(actor=user, unit=w.econ, choices=_distinct(w, i))
        cast.append(_distinct(w, i))
        seen_keys |= set(BallotPending.objects.filter(box=box).values_list("key", flat=True))
        seen_keys |= set(Ballot.objects.filter(box=box).values_list("key", flat=True))
        assert (Ballot.objects.filter(box=box).count(), BallotPending.objects.filter(box=box).count()) == (
            (i + 1) // 10 * 10,
            (i + 1) % 10,
        )
    if connection.vendor == "postgresql":
        assert len(_xmins("core_ballot", "box_id = %s", [box.pk])) == 3  # one per batch, before closing
    round_services.voting_close(actor=w.office, appraisal_round=w.round)

    stored = _physical(box)
    by_key = [b.choices for b in Ballot.objects.filter(box=box).order_by("key")]
    assert sorted(map(str, stored)) == sorted(map(str, cast))  # every ballot, once
    assert stored != cast
    assert by_key != cast
    batch_of = {str(c): i // 10 for i, c in enumerate(cast)}
    assert [batch_of[str(c)] for c in stored] != [i // 10 for i in range(30)]
    # the closing's shuffle is uniform over the box: the ballots found at their own casting
    # place are about Poisson(1) in number; 12 or more happens with probability < 10⁻⁹
    assert sum(1 for a, b in zip(stored, cast, strict=True) if a == b) < 12
    # no key a ballot had while voting is left: not even a ballot's batch can be read from its key
    keys = set(Ballot.objects.filter(box=box).values_list("key", flat=True))
    assert len(keys) == 30 and keys.isdisjoint(seen_keys)
    assert BallotPending.objects.count() == 0
    if connection.vendor == "postgresql":
        # one writing transaction for every ballot of the box, shared with no voter's mark
        ballots = _xmins("core_ballot", "box_id = %s", [box.pk])
        assert len(ballots) == 1
        assert ballots.isdisjoint(_xmins("core_ballotvoter", "box_id = %s AND voted", [box.pk]))


def test_paper_entries_lose_the_order_they_were_entered_in_once_agreed(w, clock):
    """Tellers take the papers out of the box about in the order they went in, and people drop
    them about in the order they signed in (the handouts): once a category is agreed, its entries
    are written again in one random order with new keys. Each teller entered 12 different papers;
    the chance that both tellers' entries kept their order is (1/12!)² ≈ 4·10⁻¹⁸."""
    rules_make(w.u, mode=VotingMode.PAPER)
    _crowd(w, 12)
    through(w, "open", clock)
    li, chen = w.users["li"], w.users["sub_union_officer"]
    papers = [_distinct(w, i) for i in range(12)]
    for teller in (li, chen):
        for paper in papers:
            paper_ballot_enter(actor=teller, unit=w.econ, category="staff", spoilt=False, choices=paper)
    entered = set(PaperBallot.objects.values_list("key", flat=True))
    paper_count_agree(actor=li, unit=w.econ, category="staff")
    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT teller_id, choices FROM appraisals_paperballot ORDER BY {column}")
        rows = [(t, json.loads(c) if isinstance(c, str) else c) for t, c in cursor.fetchall()]
    by_teller = {t: [c for who, c in rows if who == t] for t in (w.u.li.pk, w.u.officer_person.pk)}
    assert all(sorted(map(str, entries)) == sorted(map(str, papers)) for entries in by_teller.values())
    assert any(entries != papers for entries in by_teller.values())
    keys = set(PaperBallot.objects.values_list("key", flat=True))
    assert len(keys) == 24 and keys.isdisjoint(entered)
    assert PaperCount.objects.get().ballots == 12


# --- (3) a full dump, the participation records and the logs -------------------------------------------


@pytest.fixture
def all_logs(caplog):
    """Every logger at DEBUG, those that do not propagate too, into caplog."""
    loggers = [logging.getLogger()] + [
        logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    added = []
    for logger in loggers:
        caplog.set_level(logging.DEBUG, logger=logger.name if logger is not logging.getLogger() else None)
        if not logger.propagate and caplog.handler not in logger.handlers:
            logger.addHandler(caplog.handler)
            added.append(logger)
    yield caplog
    for logger in added:
        logger.removeHandler(caplog.handler)


def _record_text(record: logging.LogRecord) -> str:
    extra = " ".join(f"{k}={v!r}" for k, v in record.__dict__.items() if k not in ("msg", "args", "message"))
    return f"{record.getMessage()} {extra}"


def _vote_through_the_site(w, client, crowd, order) -> dict:
    """The crowd votes in `order` through the site (the ballot page, every third through the
    API), one second vote is refused, three staff vote on paper; the round is closed, counted and
    released. Returns the dump, what was cast and the keys seen while voting."""
    li, chen = w.users["li"], w.users["sub_union_officer"]
    box = w.econ.box
    before = table_counts()
    seen_keys = set()
    for i in order:
        client.force_login(crowd[i])
        choices = _distinct(w, i)
        if i % 3 == 0:
            response = client.post(
                reverse("api-appraisal-ballot", args=[w.econ.pk]), {"choices": choices}, content_type="application/json"
            )
            assert response.status_code == 201
        else:
            # the review shows the choices back (carried in the form, stored nowhere), then the cast
            review = client.post(reverse("appraisals:vote", args=[w.econ.pk]), {**choices, "action": "review"})
            assert review.status_code == 200
            response = client.post(reverse("appraisals:vote", args=[w.econ.pk]), {**choices, "action": "cast"})
            assert response.status_code == 302 and response["Location"] == reverse("appraisals:voted", args=[w.econ.pk])
            assert client.get(response["Location"]).status_code == 200
        seen_keys |= set(BallotPending.objects.filter(box=box).values_list("key", flat=True))
        seen_keys |= set(Ballot.objects.filter(box=box).values_list("key", flat=True))
    # a second vote, refused on the page and by the API (a 400 the request log records)
    again = _distinct(w, 63)
    client.force_login(crowd[order[0]])
    assert client.post(reverse("appraisals:vote", args=[w.econ.pk]), {**again, "action": "cast"}).status_code == 200
    response = client.post(
        reverse("api-appraisal-ballot", args=[w.econ.pk]), {"choices": again}, content_type="application/json"
    )
    assert response.status_code == 400
    # casting wrote ballots only: no audit row, no event, no participation row more
    n = len(order)
    assert changed_tables(before, table_counts()) == {
        "core.ballot": (0, n // 10 * 10),
        "core.ballotpending": (0, n % 10),
    }
    # three staff take paper ballots; both tellers enter the three papers and agree
    papers = [_distinct(w, 60), _distinct(w, 61), None]
    for staff_no in ("E0001", "E0200", "E0201"):
        paper_handout(actor=li, unit=w.econ, staff_no=staff_no)
    for teller in (li, chen):
        for paper in papers:
            paper_ballot_enter(actor=teller, unit=w.econ, category="staff", spoilt=paper is None, choices=paper or {})
    paper_count_agree(actor=chen, unit=w.econ, category="staff")
    round_services.voting_close(actor=w.office, appraisal_round=w.round)
    round_services.round_tally(actor=w.office, appraisal_round=w.round)
    round_services.results_release(actor=w.users["zzb"], appraisal_round=w.round)

    out = io.StringIO()
    call_command("dumpdata", stdout=out, format="json")  # every app
    dump = out.getvalue()
    sql = "\n".join(connection.connection.iterdump()) if connection.vendor == "sqlite" else ""
    sessions = [json.dumps(session.get_decoded(), ensure_ascii=False) for session in Session.objects.all()]
    assert sessions  # the voters' sessions, decoded: what a dump holds of them in signed form
    return {
        "sessions": sessions,
        "dump": dump,
        "objects": json.loads(dump),
        "sql": sql,
        "cast": [_distinct(w, i) for i in order],
        "seen_keys": seen_keys,
    }


def _dump_reveals_nothing(w, run) -> list[dict]:
    """The checks of one run's dump; returns its ballots in the dump's order."""
    objects, dump, sql = run["objects"], run["dump"], run["sql"]
    ballots = [o for o in objects if o["model"] == "core.ballot"]
    assert len(ballots) == len(run["cast"])
    # a ballot: box, category, unit and grades; no person, no time, no sequence
    assert all(set(o["fields"]) == {"box", "category", "unit", "choices"} for o in ballots)
    assert {o["fields"]["category"] for o in ballots} == {"staff"}
    # participation: who, in which category and unit; never what
    participation = {"core.ballotvoter", "appraisals.paperhandout", "appraisals.eligiblevoter"}
    fields = {model: {frozenset(o["fields"]) for o in objects if o["model"] == model} for model in participation}
    assert fields == {
        "core.ballotvoter": {frozenset({"box", "person", "category", "unit", "voted"})},
        "appraisals.paperhandout": {frozenset({"round_unit", "person", "category"})},
        "appraisals.eligiblevoter": {frozenset({"round_unit", "person", "category"})},
    }
    # every online voter and every paper's taker is marked (the refused second vote is not)
    voted = [o for o in objects if o["model"] == "core.ballotvoter" and o["fields"]["voted"]]
    assert len(voted) == len(run["cast"]) + 3
    # a ballot's key is written once, as its own key: nothing else names it
    for o in ballots:
        key = o["pk"]
        assert uuid.UUID(key).version == 4
        assert dump.count(key) == 1
        assert dump.count(uuid.UUID(key).hex) == 0
        if sql:
            lines = [line for line in sql.splitlines() if uuid.UUID(key).hex in line or key in line]
            assert len(lines) == 1 and lines[0].startswith('INSERT INTO "core_ballot" VALUES')
    # the keys ballots had while voting are gone from the dump, and from the database's own text
    for key in run["seen_keys"]:
        assert str(key) not in dump and key.hex not in dump
        assert str(key) not in sql and key.hex not in sql
    # a choice (an item with its grade) is found in the ballots and the paper papers, nowhere else
    for o in objects:
        if o["model"] not in ("core.ballot", "appraisals.paperballot"):
            assert not CHOICE.search(json.dumps(o, ensure_ascii=False)), o
    for line in sql.splitlines():
        if not line.startswith(('INSERT INTO "core_ballot" ', 'INSERT INTO "appraisals_paperballot" ')):
            assert not CHOICE.search(line), line
    # nor do the sessions (signed, so the text search above cannot see into them)
    for session in run["sessions"]:
        assert not CHOICE.search(session), session
    # the dump lists ballots by their random key: that order, no other
    assert [o["pk"] for o in ballots] == sorted(o["pk"] for o in ballots)
    return [o["fields"]["choices"] for o in ballots]


def test_a_full_dump_the_participation_and_the_logs_tie_no_ballot_to_a_voter(w, clock, client, all_logs, settings):
    settings.BALLOT_BATCH = 10
    rules_make(w.u, mode=VotingMode.BOTH)
    crowd = _crowd(w, 16)
    through(w, "open", clock)
    forward = list(range(16))
    shuffled = forward[:]
    random.Random(14).shuffle(shuffled)
    runs = []
    for order in (forward, shuffled):
        with transaction.atomic():
            runs.append(_vote_through_the_site(w, client, crowd, order))
            transaction.set_rollback(True)  # the same round, voted again in the other order
        w.round.refresh_from_db()
        w.econ.refresh_from_db()
    sequences = [_dump_reveals_nothing(w, run) for run in runs]
    # the same ballots whatever the order cast; the dump's order is neither casting order
    assert sorted(map(str, sequences[0])) == sorted(map(str, sequences[1])) == sorted(map(str, runs[0]["cast"]))
    assert sequences[0] != runs[0]["cast"]
    assert sequences[1] != runs[1]["cast"]
    # the dump's paper entries: teller, category, grades or spoilt
    papers = [o for o in runs[0]["objects"] if o["model"] == "appraisals.paperballot"]
    assert len(papers) == 6 and all(
        set(o["fields"]) == {"round_unit", "teller", "category", "spoilt", "choices"} for o in papers
    )

    # the logs of the whole voting: the request log was on (the refused API vote is in it) …
    records = all_logs.records
    assert any(
        r.name == "django.request" and r.getMessage().startswith("Bad Request: /api/appraisals/") for r in records
    )
    # … and no record holds a choice, a grade, or a ballot's key
    keys = {o["pk"] for run in runs for o in run["objects"] if o["model"] == "core.ballot"}
    keys |= {str(k) for run in runs for k in run["seen_keys"]}
    for record in records:
        text = _record_text(record)
        assert not CHOICE.search(text), text
        assert not any(label in text for label in LABELS), text
        assert not re.search(r"\b(?:" + "|".join(GRADES + TEAM) + r")\b", text), text
        assert not any(key in text or uuid.UUID(key).hex in text for key in keys), text


# --- (4) the Django admin -------------------------------------------------------------------------------------


def test_the_admin_registers_no_ballot_participation_or_result():
    registered = set(admin.site._registry)
    for model in (Ballot, BallotPending, BallotVoter, PaperBallot, PaperHandout, PaperCount, AppraisalResult):
        assert model not in registered, model


# --- (5) URLs, pages and the API ---------------------------------------------------------------------------


def _routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def test_no_url_carries_a_ballot_key_or_a_choice():
    routes = list(_routes())
    parameter = re.compile(r"<(?:(\w+):)?(\w+)>")
    params = {param for pattern, _name in routes for _converter, param in parameter.findall(pattern)}
    assert not {p for p in params if re.search(r"choice|grade|option|ballot|vote", p)}
    # the appraisal's ballot pages and API name the unit, nothing else: the choices travel in POST bodies
    ballot_routes = {
        name: pattern for pattern, name in routes if "apprais" in pattern and re.search("ballot|vote/|voted/", pattern)
    }
    assert ballot_routes == {
        "vote": "appraisals/units/<int:pk>/vote/",
        "voted": "appraisals/units/<int:pk>/voted/",
        "api-appraisal-ballot": "api/appraisals/units/<int:pk>/ballot/",
    }
    # the only key in an appraisal URL is a teller's own paper entry (to take it back), never a ballot's
    keyed = [(pattern, name) for pattern, name in routes if "apprais" in pattern and "uuid" in pattern]
    assert keyed == [("appraisals/paper/<uuid:key>/remove/", "paper_remove")]
    # and the admin has no page for ballots, participation or results
    hidden = re.compile(
        r"^admin/(core/(ballot|ballotpending|ballotvoter)|appraisals/(paperballot|paperhandout|papercount|appraisalresult))/"
    )
    assert [pattern for pattern, _name in routes if hidden.match(pattern)] == []


def _normalised(content: bytes, *words: str) -> str:
    text = content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'nonce="[^"]+"', "", text)
    text = re.sub(r'"[^"]*csrf[^"]*":\s*"[^"]+"', "", text, flags=re.IGNORECASE)
    for word in words:
        text = text.replace(word, "•")
    return text


def test_after_voting_no_page_or_answer_depends_on_what_was_voted(w, clock, client):
    """Two staff of econ vote opposite ballots; every page and API answer they get afterwards
    is the same but for their names: nothing there can tell what either voted."""
    crowd = _crowd(w, 2)
    through(w, "open", clock)
    appraisal_vote(actor=crowd[0], unit=w.econ, choices=_distinct(w, 0))  # 优秀 … 好
    appraisal_vote(actor=crowd[1], unit=w.econ, choices=_distinct(w, 63))  # 不称职 … 差
    urls = [
        reverse("appraisals:unit", args=[w.econ.pk]),
        reverse("appraisals:vote", args=[w.econ.pk]),
        reverse("appraisals:voted", args=[w.econ.pk]),
        reverse("appraisals:cadre_read", args=[w.cadres["dean"].pk]),
        reverse("api-appraisal-mine"),
        reverse("portal:home"),
    ]
    pages = []
    for user in crowd:
        client.force_login(user)
        person = user.person
        words = (person.name, person.staff_no, user.username)
        got = {}
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            got[url] = _normalised(response.content, *words)
        pages.append(got)
    for url in urls:
        assert pages[0][url] == pages[1][url], url
    assert '"voted":true' in pages[0][reverse("api-appraisal-mine")].replace(" ", "")


def test_the_office_and_the_organisation_department_read_no_ballot(w, clock, client):
    crowd = _crowd(w, 3)
    through(w, "open", clock)
    for i, user in enumerate(crowd):
        appraisal_vote(actor=user, unit=w.econ, choices=_distinct(w, i))
    through(w, "released", clock)
    reads = [
        (w.office, reverse("appraisals:detail", args=[w.round.pk])),
        (w.office, reverse("appraisals:turnout", args=[w.round.pk])),
        (w.users["zzb"], reverse("appraisals:results", args=[w.round.pk])),
        (w.users["zzb"], reverse("api-appraisal-results", args=[w.round.pk])),
        (w.users["zzb"], reverse("api-appraisal-turnout", args=[w.round.pk])),
    ]
    for user, url in reads:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not CHOICE.search(body), url
        assert not any(str(key) in body for key in Ballot.objects.values_list("key", flat=True)), url
        assert not any(p.name in body for p in (u.person for u in crowd)), url  # no voter's name either

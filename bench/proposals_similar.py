"""Similar-proposal search benchmark on PostgreSQL: 10,000 proposals.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_bench_proposals .venv/bin/python bench/proposals_similar.py

Creates and migrates the database named in DATABASE_URL (a database of its own: the
proposals tables are emptied and refilled), loads --size proposals (default 10,000) with one
set-based INSERT … SELECT FROM generate_series (titles and texts combined from a pool of
proposals on matters other than the labelled ones, so that many share vocabulary), plus the 40 labelled near-duplicate
texts of gonghui/proposals/tests/similarity_data.py. Then measures:
- index build (cold: read every stored text, tokenise, TF-IDF), against the floor: the
  one SELECT that reads the same rows;
- query latency on the warm index (p50/p95 over --queries queries), against a floor of
  one SQL statement (ILIKE on a keyword) over the same rows;
- GET /api/proposals/similar/?text=… through the Django test client (p50/p95);
- quality at this size: success@5 and precision of what is shown (score >= 0.15) for the
  40 labelled queries, now among 10,000 others.
Prints a table and writes bench/out/proposals_similar.json.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
from benchdb import ensure_database  # noqa: E402  (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def ms(seconds):
    return round(seconds * 1000, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database of its own")
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from gonghui.accounts.models import User
    from gonghui.congress.models import Congress, CongressSession, CongressTerm
    from gonghui.proposals.models import Proposal
    from gonghui.proposals.selectors.proposals import (
        SIMILAR_SHOWN_FLOOR,
        SIMILAR_SHOWN_RATIO,
        proposals_similar,
        similar_index_forget,
    )
    from gonghui.proposals.services.similar_index import similar_index_build
    from gonghui.proposals.tests.similarity_data import DISTRACTORS, PAIRS

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE proposals_proposal, congress_congresssession, congress_congressterm, "
            "congress_congress RESTART IDENTITY CASCADE"
        )
    now = timezone.now()
    congress = Congress.objects.create(name="基准教代会")
    term = CongressTerm.objects.create(congress=congress, number=1, starts_on=now.date())
    session = CongressSession.objects.create(
        term=term,
        number=1,
        opens_on=now.date(),
        closes_on=now.date(),
    )
    # the synthetic proposals are on other matters (the distractors' pool, recombined), so
    # the labelled pairs must still find each other among 10,000 texts sharing vocabulary
    pool = list(DISTRACTORS)
    titles = [t for t, _g in pool]
    grounds = [g for _t, g in pool]
    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO proposals_proposal (created_at, updated_at, session_id, kind, status, title, grounds,
                suggestions, one_matter, round, progress, decision_reason)
            SELECT now(), now(), %s, 'proposal', 'submitted',
                   (%s::text[])[1 + i %% %s] || '（' || i || '）',
                   (%s::text[])[1 + (i * 7) %% %s] || (%s::text[])[1 + (i * 13) %% %s],
                   '建议学校研究解决。', true, 1, 0, ''
            FROM generate_series(1, %s) AS i
            """,
            [session.pk, titles, len(titles), grounds, len(grounds), grounds, len(grounds), args.size],
        )
    load_s = time.perf_counter() - start
    labelled = {}
    for i, (a, b) in enumerate(PAIRS):
        for side, (title, text) in (("a", a), ("b", b)):
            labelled[(side, i)] = Proposal.objects.create(
                session=session, title=title, grounds=text, status="submitted"
            )
    total = Proposal.objects.count()

    # floor for the build: the one statement that reads every stored text
    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, title, grounds, suggestions FROM proposals_proposal WHERE session_id = %s", [session.pk]
        )
        cur.fetchall()
    read_floor_s = time.perf_counter() - start

    start = time.perf_counter()
    similar_index_build(force=True)
    build_s = time.perf_counter() - start
    similar_index_forget()

    queries = [labelled[("a", i % len(PAIRS))].text for i in range(args.queries)]
    latencies = []
    for text in queries:
        t = time.perf_counter()
        proposals_similar(text=text, session=session, k=5)
        latencies.append(time.perf_counter() - t)

    sql_latencies = []
    with connection.cursor() as cur:
        for i in range(args.queries):
            keyword = titles[i % len(titles)][2:4]
            t = time.perf_counter()
            cur.execute(
                "SELECT id, title FROM proposals_proposal WHERE session_id = %s AND "
                "(title ILIKE %s OR grounds ILIKE %s) LIMIT 5",
                [session.pk, f"%{keyword}%", f"%{keyword}%"],
            )
            cur.fetchall()
            sql_latencies.append(time.perf_counter() - t)

    user = User.objects.filter(username="bench").first() or User.objects.create_user(
        username="bench", password="x-bench-1"
    )
    client = Client()
    client.force_login(user)
    api = []
    for text in queries[:100]:
        t = time.perf_counter()
        response = client.get("/api/proposals/similar/", {"text": text, "session": session.pk})
        api.append(time.perf_counter() - t)
        assert response.status_code == 200, response.content

    hits = shown = relevant = 0
    for i in range(len(PAIRS)):
        for me, other in ((("a", i), ("b", i)), (("b", i), ("a", i))):
            found = [
                p.pk
                for p, _s in proposals_similar(text=labelled[me].text, session=session, k=5, exclude=[labelled[me].pk])
            ]
            shown += len(found)
            hit = labelled[other].pk in found
            hits += hit
            relevant += hit
    result = {
        "proposals": total,
        "load_s": round(load_s, 2),
        "index_build_ms": ms(build_s),
        "floor_read_rows_ms": ms(read_floor_s),
        "query_p50_ms": ms(statistics.median(latencies)),
        "query_p95_ms": ms(statistics.quantiles(latencies, n=20)[18]),
        "floor_sql_ilike_p50_ms": ms(statistics.median(sql_latencies)),
        "floor_sql_ilike_p95_ms": ms(statistics.quantiles(sql_latencies, n=20)[18]),
        "api_p50_ms": ms(statistics.median(api)),
        "api_p95_ms": ms(statistics.quantiles(api, n=20)[18]),
        "success_at_5": round(hits / (2 * len(PAIRS)), 3),
        "precision_of_shown": round(relevant / shown, 3) if shown else None,
        "shown": f"the best if >= {SIMILAR_SHOWN_FLOOR}, the others >= {SIMILAR_SHOWN_RATIO} x the best",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "proposals_similar.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()

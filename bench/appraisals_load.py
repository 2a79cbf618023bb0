"""Cadre appraisal (中层干部民主测评) load benchmark: 3,000 voters casting on gunicorn with PostgreSQL.

    .venv/bin/python bench/appraisals_load.py                         # 3,000 casts paced over 600 s
    .venv/bin/python bench/appraisals_load.py --duration 60           # the same in one minute
    .venv/bin/python bench/appraisals_load.py --duration 600,60,0     # each in turn (0: as fast as 50 at once go)
    .venv/bin/python bench/appraisals_load.py --duration 60 --twins 100   # and 100 double taps
    GUNICORN_WORKERS=3 GUNICORN_THREADS=4 .venv/bin/python bench/appraisals_load.py --duration 60

DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/gonghui_bench_appraisals_load;
its name must contain "bench"): dropped, created and migrated at the start, dropped at the end
(--keep keeps it, --reuse empties a kept one instead of migrating afresh).

The site as deployed (as bench/load.py runs it): `config.settings.production` (DEBUG off, secure
cookies, CSRF, secret keys made for the run), gunicorn started with the repository's
gunicorn.conf.py (GUNICORN_WORKERS, GUNICORN_THREADS … pass through; on 2 CPUs its defaults are
5 workers × 2 threads), every request carrying what nginx adds (X-Forwarded-Proto: https,
X-Forwarded-For). The bench process uses the same settings and keys to build the world.

For each --duration in turn, on emptied tables:

- the world (`world_build` of bench/appraisals_tally.py, through the services): one round, --units
  colleges (20), each with --cadres cadres (10) and 150 voters: the university's 5 leaders (who
  vote in every unit), the cadres and 135 staff; voting open (`voting_open`: a ballot box per
  unit in core's store);
- an account for each voter (username = staff number) with a known password (one hash, made
  once with the production hasher, shared: a setup shortcut), and a signed-in session for each
  (session rows written as a password sign-in writes them: user id, ModelBackend, the session
  hash), and a CSRF secret each, as a browser holds after opening the voting page: the
  measured request is the cast itself;
- 3,000 casts (one per voter and unit; a leader casts in each of the 20 units), in a random
  order, at random moments spread over --duration seconds (Poisson arrivals; 0: all at once),
  never more than --concurrency (50) in flight (a pool of 50 threads, stdlib http.client, a new
  connection per cast): `POST /api/appraisals/units/<pk>/ballot/` with the session cookie, the
  CSRF cookie and X-CSRFToken, Origin and Referer, and JSON {"choices": {"c<cadre id>": grade,
  …, "team": grade}} — every grade drawn at random from the unit's scales;
- with --twins N, N of the casts are sent twice at the same moment (a double tap, two requests
  racing for the same voter): one must count, the other be refused (400);
- then a second cast by --again (100) voters already counted: each must be refused (400);
- checked in the database: every voter marked, as many ballots (written + still pending) as
  voters marked and as 2xx answers, no voter marked without a ballot or twice; then voting
  closes (`voting_close`) and every ballot is written, none pending.

Reported per duration: the casts' latency as the client saw it (p50/p95/p99/max, from connect
to the last byte) and as gunicorn logged it (%D), the throughput, the answers by status,
errors, how late the pool started casts against their schedule, gunicorn's workers and threads,
and the floor: one INSERT … SELECT writing the same 3,000 ballot rows (each voter's box,
category, unit and a full ballot), committed. Target (issue 14): p95 < 300 ms, no errors, no
double votes. Prints a table and writes bench/out/appraisals_load.json.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VAR = OUT / "appraisals-load-var"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from appraisals_tally import database_check, database_ready, drop_database, tables_empty, world_build  # noqa: E402
from people_api import percentile  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gonghui_bench_appraisals_load"
PASSWORD = "toupiao-2021-bench"
LEADERS = 5
# what nginx sends (docs/deploy.md, section 8); the address is a documentation one (RFC 5737)
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10", "Host": "localhost"}
ORIGIN = "https://localhost"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", default="600", help="seconds over which the casts are spread; several: 600,60,0")
    parser.add_argument("--concurrency", type=int, default=50, help="casts in flight at most (default 50)")
    parser.add_argument("--units", type=int, default=20, help="units of the round (default 20)")
    parser.add_argument("--voters", type=int, default=150, help="voters per unit (default 150)")
    parser.add_argument("--cadres", type=int, default=10, help="cadres per unit (default 10)")
    parser.add_argument("--again", type=int, default=100, help="voters who try a second cast (default 100)")
    parser.add_argument(
        "--twins", type=int, default=0, help="voters whose cast is sent twice at the same moment (default 0)"
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--reuse", action="store_true", help="empty a kept database instead of migrating afresh")
    return parser.parse_args()


# --- the site --------------------------------------------------------------------------------------


def production_env(port: int) -> dict:
    """Production settings with secrets made for this run (nothing encrypted outlives it)."""
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "GONGHUI_FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "GONGHUI_FIELD_DIGEST_KEY": secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
            "GONGHUI_TRUSTED_PROXY_COUNT": "1",
            "GONGHUI_VAR_DIR": str(VAR),
            "STATIC_ROOT": str(VAR / "static"),
            "MEDIA_ROOT": str(VAR / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_ACCESS_LOG": str(VAR / "access.log"),
            "GUNICORN_ERROR_LOG": str(VAR / "error.log"),
        }
    )
    env.pop("DJANGO_DEBUG", None)
    return env


def request(port: int, method: str, path: str, headers: dict, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **headers})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def gunicorn_start(env: dict, port: int) -> subprocess.Popen:
    (VAR / "access.log").unlink(missing_ok=True)
    (VAR / "error.log").unlink(missing_ok=True)
    # the site's own log lines (Django's "Bad Request" warnings for the refused second casts) to a file
    output = (VAR / "site.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    output.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {VAR / 'error.log'}")
        try:
            if request(port, "GET", "/healthz/", {})[0] == 200:
                return process
        except OSError:
            continue
    gunicorn_stop(process)
    raise SystemExit("gunicorn did not answer /healthz/ within 60 s")


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


CAST_LINE = re.compile(r'"POST /api/appraisals/units/\d+/ballot/ HTTP/[\d.]+" (\d{3}) .* (\d+)$')


def access_log(start: int) -> tuple[dict[str, int], list[float], int]:
    """The casts gunicorn logged after byte `start`: {status: n}, their times (ms, %D), the new end."""
    path = VAR / "access.log"
    with path.open("rb") as handle:
        handle.seek(start)
        data = handle.read()
    statuses: dict[str, int] = {}
    times = []
    for line in data.decode(errors="replace").splitlines():
        match = CAST_LINE.search(line)
        if match:
            statuses[match.group(1)] = statuses.get(match.group(1), 0) + 1
            times.append(int(match.group(2)) / 1000)
    return statuses, times, start + len(data)


# --- the voters -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    unit_id: int
    username: str
    cookie: str
    csrf: str
    body: bytes
    at: float = 0.0  # seconds after the start
    twin: bool = False  # the second of a double tap: sent at the same moment as the cast

    def headers(self) -> dict:
        from django.conf import settings

        return {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={self.cookie}; {settings.CSRF_COOKIE_NAME}={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Origin": ORIGIN,
            "Referer": f"{ORIGIN}/appraisals/units/{self.unit_id}/vote/",
        }

    @property
    def path(self) -> str:
        return f"/api/appraisals/units/{self.unit_id}/ballot/"


def voters_sign_in(units, seed: int) -> list[Cast]:
    """An account per voter with PASSWORD, a session each as a password sign-in leaves it, a
    CSRF secret each, and one cast per voter and unit with random grades."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.middleware.csrf import CSRF_ALLOWED_CHARS
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from gonghui.accounts.models import User
    from gonghui.appraisals.models import EligibleVoter

    rng = random.Random(seed + 2)
    voters = list(
        EligibleVoter.objects.filter(round_unit__in=units).values_list("round_unit_id", "person_id", "person__staff_no")
    )
    people = {person_id: staff_no for _unit, person_id, staff_no in voters}
    password = make_password(PASSWORD)  # the production hasher, once: every voter shares this hash
    User.objects.bulk_create(
        (User(username=staff_no, person_id=person_id, password=password) for person_id, staff_no in people.items()),
        batch_size=2000,
    )
    users = {user.person_id: user for user in User.objects.filter(person_id__in=people)}
    assert users[next(iter(users))].check_password(PASSWORD)
    expires = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions, keys, csrf = [], {}, {}
    for person_id, user in users.items():
        store = SessionStore()
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys[person_id] = key
        csrf[person_id] = get_random_string(32, CSRF_ALLOWED_CHARS)
    Session.objects.bulk_create(sessions, batch_size=2000)
    items = {unit.pk: unit.box.items for unit in units}
    casts = []
    for unit_id, person_id, staff_no in voters:
        choices = {item["key"]: rng.choice(item["options"])[0] for item in items[unit_id]}
        body = json.dumps({"choices": choices}).encode()
        casts.append(Cast(unit_id, staff_no, keys[person_id], csrf[person_id], body))
    return casts


def schedule(casts: list[Cast], duration: float, seed: int, twins: int = 0) -> list[Cast]:
    """The casts in a random order at random moments within `duration` (Poisson arrivals given
    their number), sorted by time; all at 0 when `duration` is 0. `twins` of them are sent
    twice at the same moment (a double tap)."""
    rng = random.Random(seed + 3)
    order = casts[:]
    rng.shuffle(order)
    moments = sorted(rng.uniform(0, duration) for _ in order) if duration else [0.0] * len(order)
    timed = [Cast(c.unit_id, c.username, c.cookie, c.csrf, c.body, at) for c, at in zip(order, moments, strict=True)]
    doubled = set(rng.sample(range(len(timed)), min(twins, len(timed))))
    out = []
    for n, cast in enumerate(timed):
        out.append(cast)
        if n in doubled:
            out.append(Cast(cast.unit_id, cast.username, cast.cookie, cast.csrf, cast.body, cast.at, twin=True))
    return out


def run_casts(port: int, casts: list[Cast], concurrency: int) -> tuple[list[dict], float]:
    """Each cast at its moment, at most `concurrency` in flight; per cast its status, latency
    (ms, connect to last byte) and how late it started against its moment (ms)."""
    started = time.monotonic() + 0.5

    def one(cast: Cast) -> dict:
        wait = started + cast.at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        began = time.monotonic()
        try:
            status, body = request(port, "POST", cast.path, cast.headers(), cast.body)
            error = "" if 200 <= status < 300 else body[:300].decode(errors="replace")
        except OSError as exc:  # connection refused or reset, timeout
            status, error = 0, repr(exc)
        ended = time.monotonic()
        return {
            "status": status,
            "ms": (ended - began) * 1000,
            "late_ms": (began - started - cast.at) * 1000,
            "error": error,
            "unit": cast.unit_id,
            "username": cast.username,
            "twin": cast.twin,
            "end": ended,
        }

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, casts))
    elapsed = max(r["end"] for r in results) - started
    return results, elapsed


# --- the checks and the floor ---------------------------------------------------------------------------


def database_figures(appraisal_round) -> dict:
    """Who is marked and what was stored, for the round's boxes."""
    from django.db.models import Count

    from gonghui.core.models import Ballot, BallotPending, BallotVoter

    boxes = [pk for pk in appraisal_round.units.values_list("box_id", flat=True)]
    marked = BallotVoter.objects.filter(box_id__in=boxes, voted=True)
    twice = (
        BallotVoter.objects.filter(box_id__in=boxes)
        .values("box_id", "person_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    return {
        "voters": BallotVoter.objects.filter(box_id__in=boxes).count(),
        "marked": marked.count(),
        "ballots": Ballot.objects.filter(box_id__in=boxes).count(),
        "pending": BallotPending.objects.filter(box_id__in=boxes).count(),
        "voter_rows_twice": twice.count(),
        "ballots_per_box_match": all(
            Ballot.objects.filter(box_id=box).count() + BallotPending.objects.filter(box_id=box).count()
            == BallotVoter.objects.filter(box_id=box, voted=True).count()
            for box in boxes
        ),
    }


# One full ballot (each item's first grade) for every voter of the round, written in one
# statement: the least a database can do to store the same 3,000 ballot rows.
FLOOR_SQL = """
insert into core_ballot (key, box_id, category, unit_id, choices)
select gen_random_uuid(), v.box_id, v.category, v.unit_id, c.choices
from appraisals_roundunit u
join core_ballotvoter v on v.box_id = u.box_id
cross join lateral (
    select jsonb_object_agg(i ->> 'key', i -> 'options' -> 0 ->> 0) as choices
    from core_ballotbox b, jsonb_array_elements(b.items) i
    where b.id = u.box_id
) c
where u.round_id = %s
returning key
"""


def floor(appraisal_round, runs: int = 5) -> dict:
    """FLOOR_SQL committed, `runs` times (each run's rows deleted afterwards)."""
    from django.db import connection, transaction

    timings, rows = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [appraisal_round.pk])
            keys = [k for (k,) in cursor.fetchall()]
        timings.append((time.perf_counter() - started) * 1000)
        rows = len(keys)
        with connection.cursor() as cursor:
            cursor.execute("delete from core_ballot where key = any(%s)", [keys])
    return {"rows": rows, "median_ms": round(statistics.median(timings), 1), "all_ms": [round(t, 1) for t in timings]}


def latency(values: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(values, 0.50), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "p99_ms": round(percentile(values, 0.99), 1),
        "max_ms": round(max(values), 1),
    }


# --- one scenario ---------------------------------------------------------------------------------


def scenario(args, env: dict, duration: float, first: bool) -> dict:
    from django.db import connections

    from gonghui.appraisals.services import rounds as round_services

    if not first:
        tables_empty()
    voters_per_unit = args.voters
    world = world_build(
        units=args.units,
        cadres=args.cadres,
        staff=(voters_per_unit - args.cadres - LEADERS,) * 2,
        leaders=LEADERS,
        seed=args.seed,
        closes_in=datetime.timedelta(seconds=duration + 3600),
    )
    appraisal_round, units = world["round"], world["units"]
    started = time.perf_counter()
    casts = voters_sign_in(units, args.seed)
    print(
        f"{len({c.username for c in casts}):,} accounts signed in (sessions and CSRF secrets) for "
        f"{len(casts):,} casts in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    connections.close_all()
    process = gunicorn_start(env, args.port)
    try:
        workers = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        # a refused cast first (a grade missing): the endpoint is there and answers 400, writing nothing
        probe = casts[0]
        status, body = request(args.port, "POST", probe.path, probe.headers(), b'{"choices": {}}')
        if status != 400:
            raise SystemExit(f"the probe answered {status}, not 400:\n{body[:500]!r}")
        _statuses, _times, log_start = access_log(0)
        load_before = os.getloadavg()
        print(
            f"casting: {len(casts):,} over {duration:.0f} s, at most {args.concurrency} at once; gunicorn "
            f"{len(workers)} workers × {env.get('GUNICORN_THREADS', '2')} threads",
            flush=True,
        )
        results, elapsed = run_casts(args.port, schedule(casts, duration, args.seed, args.twins), args.concurrency)
        load_after = os.getloadavg()
        time.sleep(1.0)  # gunicorn writes its access log line after the answer
        statuses, server_ms, log_start = access_log(log_start)
        # a second cast by voters already counted: refused, nothing written
        rng = random.Random(args.seed + 4)
        by_voter = {(c.unit_id, c.username): c for c in casts}
        accepted = [by_voter[r["unit"], r["username"]] for r in results if 200 <= r["status"] < 300]
        sample = rng.sample(accepted, min(args.again, len(accepted)))
        before_again = database_figures(appraisal_round)
        again = [request(args.port, "POST", c.path, c.headers(), c.body)[0] for c in sample]
        after_again = database_figures(appraisal_round)
    finally:
        gunicorn_stop(process)
    tracebacks = sum((VAR / name).read_text(errors="replace").count("Traceback") for name in ("error.log", "site.log"))

    figures = database_figures(appraisal_round)
    round_services.voting_close(actor=world["office"], appraisal_round=appraisal_round)
    closed = database_figures(appraisal_round)
    floor_figures = floor(appraisal_round)

    client_ms = [r["ms"] for r in results]
    ok = sum(1 for r in results if 200 <= r["status"] < 300)
    # a double tap: one of the two counts, the other is refused (400); anything else is an error
    pairs: dict[tuple, list[int]] = {}
    twinned = {(r["unit"], r["username"]) for r in results if r["twin"]}
    for r in results:
        if (r["unit"], r["username"]) in twinned:
            pairs.setdefault((r["unit"], r["username"]), []).append(r["status"])
    pairs_right = [key for key, got in pairs.items() if sorted(got) == [201, 400]]
    expected = set(pairs_right)
    failures = [
        r
        for r in results
        if not 200 <= r["status"] < 300 and not (r["status"] == 400 and (r["unit"], r["username"]) in expected)
    ]
    by_status: dict[str, int] = {}
    for r in results:
        by_status[str(r["status"])] = by_status.get(str(r["status"]), 0) + 1
    late = [r["late_ms"] for r in results]
    report = {
        "duration_s": duration,
        "casts": len(casts),
        "voters": len({c.username for c in casts}),
        "units": args.units,
        "cadres_per_unit": args.cadres,
        "items_per_ballot": len(units[0].box.items),
        "concurrency": args.concurrency,
        "gunicorn": {
            "workers": len(workers),
            "threads": int(env.get("GUNICORN_THREADS", "2")),
            "set": {k: env[k] for k in ("GUNICORN_WORKERS", "GUNICORN_THREADS") if k in env},
        },
        "cpus": os.cpu_count(),
        "elapsed_s": round(elapsed, 1),
        "throughput_per_s": round(len(casts) / elapsed, 1),
        "client": latency(client_ms),
        "server": latency(server_ms) if server_ms else None,
        "statuses": by_status,
        "logged_statuses": statuses,
        "ok": ok,
        "errors": len(failures),
        "error_samples": [f"{r['status']} {r['error'][:200]}" for r in failures[:5]],
        "tracebacks_in_error_log": tracebacks,
        "twins": {"pairs": len(pairs), "one_counted_one_refused": len(pairs_right)},
        "late_p95_ms": round(percentile(late, 0.95), 1),
        "late_max_ms": round(max(late), 1),
        "again": {
            "tried": len(again),
            "refused_400": sum(1 for s in again if s == 400),
            "other": sorted({s for s in again if s != 400}),
            "nothing_written": before_again == after_again,
        },
        "database": figures,
        "after_close": closed,
        "no_double_votes": (
            figures["marked"] == ok == figures["ballots"] + figures["pending"]
            and figures["voter_rows_twice"] == 0
            and figures["ballots_per_box_match"]
            and closed["ballots"] == ok
            and closed["pending"] == 0
        ),
        "floor": floor_figures,
        "load_average": {"before": load_before, "after": load_after},
    }
    report["target_met"] = (
        report["client"]["p95_ms"] < 300
        and report["errors"] == 0
        and report["no_double_votes"]
        and ok == len(casts)
        and len(pairs_right) == len(pairs)
    )
    return report


def table(reports: list[dict]) -> str:
    lines = [
        "| spread over | casts | in flight ≤ | gunicorn | cast/s | p50 ms | p95 ms | p99 ms | max ms "
        "| server p95 ms | 2xx | errors | 2nd cast refused | marked = ballots | floor ms (3,000 rows) |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in reports:
        c, s = r["client"], r["server"] or {}
        lines.append(
            f"| {r['duration_s']:.0f} s | {r['casts']:,} | {r['concurrency']} "
            f"| {r['gunicorn']['workers']} × {r['gunicorn']['threads']} | {r['throughput_per_s']:.1f} "
            f"| {c['p50_ms']:.0f} | {c['p95_ms']:.0f} | {c['p99_ms']:.0f} | {c['max_ms']:.0f} "
            f"| {s.get('p95_ms', 0):.0f} | {r['ok']:,} | {r['errors']} "
            f"| {r['again']['refused_400']}/{r['again']['tried']} "
            f"| {'yes' if r['no_double_votes'] else 'NO'} ({r['database']['marked']:,} = "
            f"{r['database']['ballots']:,} + {r['database']['pending']} pending) "
            f"| {r['floor']['median_ms']:.0f} |"
        )
    return "\n".join(lines)


def main():
    args = parse_args()
    durations = [float(d) for d in args.duration.split(",")]
    database_check(DEFAULT_DATABASE)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "static").mkdir(exist_ok=True)
    env = production_env(args.port)
    os.environ.update({k: v for k, v in env.items() if not k.startswith("GUNICORN_")})
    warnings.filterwarnings("ignore", message="No directory at")
    started = time.perf_counter()
    database_ready(reuse=args.reuse)
    print(
        f"database {urlparse(os.environ['DATABASE_URL']).path.lstrip('/')} ready in {time.perf_counter() - started:.1f} s"
    )
    reports = []
    try:
        for n, duration in enumerate(durations):
            report = scenario(args, env, duration, first=n == 0)
            reports.append(report)
            print(json.dumps({k: report[k] for k in ("client", "server", "statuses", "again", "database")}))
            print(table([report]), flush=True)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "appraisals_load.json").write_text(json.dumps(reports, ensure_ascii=False, indent=2))
    print()
    print(table(reports))
    for r in reports:
        print(
            f"{r['duration_s']:.0f} s: p95 < 300 ms, no errors, no double votes: {'held' if r['target_met'] else 'NOT held'}"
            f" (load average {', '.join(f'{x:.1f}' for x in r['load_average']['after'])} on {r['cpus']} CPUs)"
        )
    print("wrote bench/out/appraisals_load.json")


if __name__ == "__main__":
    main()

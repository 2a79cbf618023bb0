"""Load bench: the site under gunicorn on PostgreSQL with production settings, driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_load .venv/bin/python bench/load.py
    ... bench/load.py --connections 50 --duration 10      # a quicker look
    ... bench/load.py --rebuild                           # drop the database and build it again

Builds the demo university (`manage.py demo_university`) in the database DATABASE_URL names
(a database of its own: --rebuild drops it), under `config.settings.production` — DEBUG off,
its own secret keys (generated once into bench/out/load-keys.json, kept with the database they
encrypted), ALLOWED_HOSTS localhost — then starts gunicorn with the repository's
gunicorn.conf.py and measures, in one run and side by side:

  ceiling       GET /healthz/ (anonymous, no database: what a request costs at the least)
  floor         GET /accounts/tokens/  the member: what any signed-in page costs at the least
  member home   GET /          the member 100001, by session cookie
  people page   GET /people/   the union office, by session cookie
  people API    GET /api/people/  the union office, by API token

with wrk at each --connections (default 20 and 50) for --duration seconds (default 30) after
a short warm-up. Requests carry what nginx adds (X-Forwarded-Proto: https, X-Forwarded-For),
as in docs/deploy.md. Reports req/s, p50 and p99 latency, errors (wrk's socket errors and
timeouts plus every non-2xx status in gunicorn's access log) and each row's req/s as a share
of the ceiling at the same connections. Prints a markdown table and writes
bench/out/load.json and bench/out/load.md. Target (issue 11): member home and the people list
at >= 40 % of the ceiling, p99 < 500 ms and no errors at 50 connections.

GUNICORN_WORKERS / GUNICORN_THREADS and the other gunicorn.conf.py variables pass through, so
the same script compares worker settings.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VAR = OUT / "load-var"
KEYS = OUT / "load-keys.json"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import ensure_database  # noqa: E402  (bench/ is the script's folder)

MEMBER = "100001"
OFFICE = "office"
# what nginx sends (docs/deploy.md, section 8); the address is a documentation one (RFC 5737)
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10", "Host": "localhost"}


def keys() -> tuple[dict, bool]:
    """The installation's three secrets, made on first use; True when they are new."""
    if KEYS.exists():
        return json.loads(KEYS.read_text()), False
    from cryptography.fernet import Fernet

    made = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "GONGHUI_FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "GONGHUI_FIELD_DIGEST_KEY": secrets.token_urlsafe(32),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    KEYS.write_text(json.dumps(made))
    return made, True


def production_env(secrets_: dict, port: int) -> dict:
    env = dict(os.environ)
    env.update(secrets_)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
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


def drop_database() -> None:
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def site_ready(env: dict, *, new_keys: bool, rebuild: bool = False, skip_build: bool = False) -> None:
    """The bench's database and static files, as every bench under gunicorn needs them: a new
    database with new keys (ID numbers encrypted with other keys would be unreadable), then
    migrate, the demo university and collectstatic unless `skip_build` (static files are
    collected anyway when an earlier run left none)."""
    VAR.mkdir(parents=True, exist_ok=True)
    if rebuild or new_keys:
        drop_database()
    ensure_database()
    if not skip_build:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "demo_university")
    if not skip_build or not (VAR / "static" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v", "0")


def credentials(env: dict) -> dict:
    """Session cookies of the member and the office and an API token of the office, made in
    the production settings (a real session row and a real token, as a sign-in makes them)."""
    code = f"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from gonghui.accounts.models import User
from gonghui.accounts.tokens import api_token_issue

def cookie(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value

print(json.dumps({{
    "cookie_name": settings.SESSION_COOKIE_NAME,
    "member": cookie({MEMBER!r}),
    "office": cookie({OFFICE!r}),
    "token": api_token_issue(user=User.objects.get(username={OFFICE!r}), name="load bench")[0],
}}))
"""
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def targets(cred: dict) -> list[dict]:
    session = f"{cred['cookie_name']}="
    return [
        {"name": "ceiling (/healthz/)", "path": "/healthz/", "headers": {}, "expect": "ok", "ceiling": True},
        {
            # the floor of a signed-in page: session, user, access, the top bar's unread count,
            # base.html around one small query (the member's API tokens: none)
            "name": "signed-in floor (/accounts/tokens/)",
            "path": "/accounts/tokens/",
            "headers": {"Cookie": session + cred["member"]},
            "expect": "tokens",
            "floor": True,
        },
        {
            "name": "member home (/)",
            "path": "/",
            "headers": {"Cookie": session + cred["member"]},
            "expect": "portal-links",
        },
        {
            "name": "people page (/people/)",
            "path": "/people/",
            "headers": {"Cookie": session + cred["office"]},
            "expect": "/people/",
        },
        {
            "name": "people API (/api/people/)",
            "path": "/api/people/",
            "headers": {"Authorization": f"Token {cred['token']}"},
            "expect": '"count":',
        },
    ]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(base: str, target: dict) -> tuple[int, str]:
    request = urllib.request.Request(base + target["path"], headers={**PROXY_HEADERS, **target["headers"]})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def start_gunicorn(env: dict, base: str) -> subprocess.Popen:
    (VAR / "access.log").unlink(missing_ok=True)
    (VAR / "error.log").unlink(missing_ok=True)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {VAR / 'error.log'}")
        try:
            if fetch(base, {"path": "/healthz/", "headers": {}})[0] == 200:
                return process
        except OSError:
            continue
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz/ within 60 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(text: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    latency = {
        pct: _ms(value, unit)
        for pct, value, unit in re.findall(r"^\s+(50|75|90|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    }
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    return {
        "rps": rps,
        "p50": latency["50"],
        "p99": latency["99"],
        "requests": requests,
        "socket_errors": socket_errors,
    }


STATUS = re.compile(r'" (\d{3}) ')


def statuses(log: Path, start: int) -> tuple[dict, int]:
    """{status: count} of the access-log lines written after byte `start`, and the new end."""
    counts: dict[str, int] = {}
    with log.open("rb") as handle:
        handle.seek(start)
        data = handle.read()
    for line in data.decode(errors="replace").splitlines():
        match = STATUS.search(line)
        if match:
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return counts, start + len(data)


def wrk(base: str, target: dict, connections: int, duration: int) -> str:
    headers = []
    for name, value in {**PROXY_HEADERS, **target["headers"]}.items():
        headers += ["-H", f"{name}: {value}"]
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", *headers]
    return subprocess.run([*command, base + target["path"]], check=True, capture_output=True, text=True).stdout


def drain(log: Path, quiet: float = 1.5, limit: float = 120) -> None:
    """Wait until gunicorn has answered what wrk left queued (the access log stops growing), so
    that one measurement's backlog is not served during the next."""
    deadline = time.monotonic() + limit
    size = -1
    while time.monotonic() < deadline:
        now = log.stat().st_size if log.exists() else 0
        if now == size:
            return
        size = now
        time.sleep(quiet)


def run(base: str, target: dict, conns: int, duration: int, warmup: int) -> dict:
    log = VAR / "access.log"
    if warmup:
        wrk(base, target, conns, warmup)
    drain(log)
    start = log.stat().st_size if log.exists() else 0
    result = parse_wrk(wrk(base, target, conns, duration))
    drain(log)
    counts, _ = statuses(log, start)
    non_2xx = sum(n for status, n in counts.items() if not status.startswith("2"))
    row = {
        "target": target["name"],
        "path": target["path"],
        "connections": conns,
        **result,
        "non_2xx": non_2xx,
        "statuses": counts,
        "errors": result["socket_errors"] + non_2xx,
    }
    print(
        f"  {conns:>3} conns  {target['name']:<26} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms"
        f"  p99 {result['p99']:7.1f} ms  errors {row['errors']}",
        flush=True,
    )
    return row


def measure(base: str, items: list[dict], connections: list[int], duration: int, warmup: int) -> list[dict]:
    """At each connection count: the ceiling, each page, the ceiling again. Pages are compared
    with the mean of the two ceilings, since the machine's other load drifts during a run."""
    ceiling_target = next(t for t in items if t.get("ceiling"))
    pages = [t for t in items if not t.get("ceiling")]
    rows = []
    for conns in connections:
        before = run(base, ceiling_target, conns, duration, warmup)
        measured = [run(base, target, conns, duration, warmup) for target in pages]
        after = run(base, ceiling_target, conns, duration, 0)
        ceiling = (before["rps"] + after["rps"]) / 2
        ceiling_row = {
            **before,
            "target": ceiling_target["name"],
            "rps": ceiling,
            "p50": (before["p50"] + after["p50"]) / 2,
            "p99": max(before["p99"], after["p99"]),
            "errors": before["errors"] + after["errors"],
            "non_2xx": before["non_2xx"] + after["non_2xx"],
            "runs": [before["rps"], after["rps"]],
        }
        floor = next((row["rps"] for row, target in zip(measured, pages, strict=True) if target.get("floor")), None)
        for row in [ceiling_row, *measured]:
            row["of_ceiling"] = row["rps"] / ceiling if ceiling else None
            row["of_floor"] = row["rps"] / floor if floor else None
            rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| endpoint | conns | req/s | p50 ms | p99 ms | errors (non-2xx) | of ceiling | of signed-in floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        share = f"{row['of_ceiling'] * 100:.0f} %" if row["of_ceiling"] is not None else "—"
        floor = f"{row['of_floor'] * 100:.0f} %" if row.get("of_floor") is not None else "—"
        lines.append(
            f"| {row['target']} | {row['connections']} | {row['rps']:.1f} | {row['p50']:.0f} | {row['p99']:.0f} "
            f"| {row['errors']} ({row['non_2xx']}) | {share} | {floor} |"
        )
    return "\n".join(lines)


def verdict(rows: list[dict]) -> list[str]:
    """The issue's target at the highest connection count: >= 40 % of the ceiling, p99 < 500 ms, no errors."""
    top = max(row["connections"] for row in rows)
    lines = []
    for row in rows:
        if row["connections"] != top or row["path"] not in ("/", "/people/", "/api/people/"):
            continue
        held = row["of_ceiling"] >= 0.40 and row["p99"] < 500 and row["errors"] == 0
        lines.append(f"{'held' if held else 'NOT held'}: {row['target']} at {top} connections")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", default="20,50", help="comma-separated wrk connection counts")
    parser.add_argument("--duration", type=int, default=30, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up before each measurement")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build the demo again")
    parser.add_argument("--skip-build", action="store_true", help="use the database as it is (built by an earlier run)")
    parser.add_argument("--only", default="", help="comma-separated paths to measure besides the ceiling")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database of the bench's own")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    connections = [int(n) for n in args.connections.split(",")]

    secrets_, new_keys = keys()
    env = production_env(secrets_, args.port)
    started = time.monotonic()
    site_ready(env, new_keys=new_keys, rebuild=args.rebuild, skip_build=args.skip_build)
    cred = credentials(env)
    print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)

    base = f"http://127.0.0.1:{args.port}"
    items = targets(cred)
    if args.only:
        wanted = set(args.only.split(","))
        items = [t for t in items if t.get("ceiling") or t.get("floor") or t["path"] in wanted]
    process = start_gunicorn(env, base)
    try:
        for target in items:  # each answers 200 with its content before it is loaded
            status, body = fetch(base, target)
            if status != 200 or target["expect"] not in body:
                raise SystemExit(f"{target['path']} answered {status}, not the expected page:\n{body[:500]}")
        gunicorn = {
            name: os.environ.get(name)
            for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS")
            if os.environ.get(name)
        }
        print(f"gunicorn (gunicorn.conf.py{', ' + str(gunicorn) if gunicorn else ''}), {os.cpu_count()} CPUs")
        rows = measure(base, items, connections, args.duration, args.warmup)
    finally:
        stop_gunicorn(process)

    markdown = table(rows)
    print()
    print(markdown)
    print()
    for line in verdict(rows):
        print(line)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load.json").write_text(
        json.dumps({"cpus": os.cpu_count(), "gunicorn": gunicorn, "duration": args.duration, "rows": rows}, indent=2)
    )
    (OUT / "load.md").write_text(markdown + "\n")


if __name__ == "__main__":
    main()

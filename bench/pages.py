"""Page bench: every page of the demo for every demo sign-in, one request at a time, under
gunicorn on PostgreSQL with production settings; and what a phone's first visit to the portal
home transfers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_pages .venv/bin/python bench/pages.py
    ... bench/pages.py --skip-build                  # the database as an earlier run left it
    ... bench/pages.py --skip-build --roles office --requests 5

The site as bench/load.py builds and starts it (its code, imported: production settings, its own
keys, the demo university, collectstatic, gunicorn.conf.py, nginx's headers). Then, for each
demo sign-in (manage.py demo_logins) and for the sign-in page anonymously:

1. Walk: from / follow every link of the site's own pages (not /static/, /admin/, /api/, sign-out)
   and keep one address per page — addresses that differ only in numbers (/people/12/ and
   /people/13/) or in the query are the same page. What answers 200 text/html is a page.
2. Time: each page --warmup times, then --requests times, one after the other, as a browser
   asks (Accept-Encoding: gzip, deflate, br), and p50/p95 of the time to the last byte.
   Flags every page with p95 >= --threshold ms (issue 12: 150).
3. The member's first visit to / on a phone: the page, then every stylesheet, script, icon,
   sprite, image and font it names (and fonts the stylesheets name), each as sent on the wire
   (compressed when the server compresses it), with its Cache-Control. Target: < 300 KB.

Prints a markdown table; writes bench/out/pages.json and bench/out/pages.md.
"""

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from load import (
    OUT,
    PROXY_HEADERS,
    ROOT,
    NoRedirect,
    keys,
    production_env,
    site_ready,
    start_gunicorn,
    stop_gunicorn,
)

BROWSER = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html,*/*;q=0.8"}
SKIP = re.compile(r"^/(static|admin|api|cas|i18n|accounts/logout|cas-server)(/|$)")
LINK = re.compile(r'<a\s[^>]*?href="(/[^"#]*)"')


def sessions(env: dict) -> dict:
    """A session cookie for every demo sign-in, made in the production settings."""
    code = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from gonghui.accounts.models import User
from gonghui.people.demo import DEMO_LOGINS

cookies = {}
for login in DEMO_LOGINS:
    client = Client()
    client.force_login(User.objects.get(username=login.username))
    cookies[login.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
print(json.dumps({"cookie_name": settings.SESSION_COOKIE_NAME, "cookies": cookies}))
"""
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def get(base: str, path: str, headers: dict) -> tuple[int, dict, bytes, float]:
    """One request as a browser sends it: status, headers, the body as on the wire, seconds."""
    request = urllib.request.Request(base + path, headers={**PROXY_HEADERS, **BROWSER, **headers})
    opener = urllib.request.build_opener(NoRedirect)
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=60) as response:
            body = response.read()
            return response.status, dict(response.headers), body, time.perf_counter() - started
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, dict(error.headers), body, time.perf_counter() - started


def decoded(headers: dict, body: bytes) -> bytes:
    encoding = headers.get("Content-Encoding", "")
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


def page_key(path: str) -> str:
    """/people/12/?page=2 and /people/13/ are one page: /people/#/."""
    return re.sub(r"\d+", "#", urlsplit(path).path)


def walk(base: str, headers: dict, start: str, limit: int) -> list[dict]:
    """The role's pages, found by following links from `start`."""
    seen: dict[str, str] = {}
    queue = [start]
    pages = []
    while queue and len(pages) < limit:
        path = queue.pop(0)
        key = page_key(path)
        if key in seen:
            continue
        seen[key] = path
        status, response_headers, body, _ = get(base, path, headers)
        if status != 200 or not response_headers.get("Content-Type", "").startswith("text/html"):
            continue
        html = decoded(response_headers, body).decode(errors="replace")
        pages.append({"path": path, "key": key})
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if not SKIP.match(link) and page_key(link) not in seen:
                queue.append(link)
    return pages


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def time_page(base: str, path: str, headers: dict, requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        get(base, path, headers)
    times, statuses, sizes, wire = [], set(), set(), set()
    for _ in range(requests):
        status, response_headers, body, seconds = get(base, path, headers)
        times.append(seconds * 1000)
        statuses.add(status)
        wire.add(len(body))
        sizes.add(len(decoded(response_headers, body)))
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "max": max(times),
        "statuses": sorted(statuses),
        "html_bytes": max(sizes),
        "wire_bytes": max(wire),
    }


ASSETS = [
    re.compile(r'<link\s[^>]*rel="stylesheet"[^>]*href="([^"]+)"'),
    re.compile(r'<script\s[^>]*src="([^"]+)"'),
    re.compile(r'<link\s[^>]*rel="icon"[^>]*href="([^"]+\.svg)"'),  # a browser takes the SVG icon
    re.compile(r'<use\s[^>]*href="([^"#]+)#'),
    re.compile(r'<img\s[^>]*src="(/[^"]+)"'),
]
CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:)([^'\")]+)")


def first_visit(base: str, headers: dict) -> dict:
    """What a phone fetches on its first visit to the portal home, as sent on the wire."""
    status, response_headers, body, _ = get(base, "/", headers)
    if status != 200:
        raise SystemExit(f"/ answered {status} for the member")
    rows = [
        {
            "url": "/",
            "kind": "html",
            "wire": len(body),
            "size": len(decoded(response_headers, body)),
            "encoding": response_headers.get("Content-Encoding", ""),
            "cache": response_headers.get("Cache-Control", ""),
        }
    ]
    html = decoded(response_headers, body).decode()
    wanted = []
    for pattern in ASSETS:
        wanted += [url for url in pattern.findall(html) if url not in wanted]
    done = set()
    while wanted:
        url = wanted.pop(0)
        if url in done:
            continue
        done.add(url)
        status, asset_headers, asset, _ = get(base, url, {})
        content = decoded(asset_headers, asset)
        kind = Path(urlsplit(url).path).suffix.lstrip(".")
        if kind == "css":
            wanted += [urljoin(url, ref) for ref in CSS_URL.findall(content.decode(errors="replace"))]
        rows.append(
            {
                "url": url,
                "kind": kind,
                "status": status,
                "wire": len(asset),
                "size": len(content),
                "encoding": asset_headers.get("Content-Encoding", ""),
                "cache": asset_headers.get("Cache-Control", ""),
            }
        )
    return {"files": rows, "wire": sum(r["wire"] for r in rows), "size": sum(r["size"] for r in rows)}


def tables(results: list[dict], transfer: dict, threshold: float) -> str:
    lines = [
        "| role | page | p50 ms | p95 ms | HTML KB (wire) | |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in results:
        flag = f"**p95 ≥ {threshold:.0f}**" if row["p95"] >= threshold else ""
        lines.append(
            f"| {row['role']} | `{row['path']}` | {row['p50']:.0f} | {row['p95']:.0f} "
            f"| {row['html_bytes'] / 1024:.0f} ({row['wire_bytes'] / 1024:.0f}) | {flag} |"
        )
    lines += ["", "First visit to the portal home (member 100001):", ""]
    lines += ["| file | bytes | on the wire | encoding | Cache-Control |", "|---|---:|---:|---|---|"]
    for row in transfer["files"]:
        lines.append(
            f"| `{row['url']}` | {row['size']:,} | {row['wire']:,} | {row['encoding'] or '—'} | {row['cache'] or '—'} |"
        )
    lines.append(f"| **total** | {transfer['size']:,} | **{transfer['wire']:,}** | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per page first")
    parser.add_argument("--threshold", type=float, default=150, help="flag pages with p95 at or above (ms)")
    parser.add_argument("--roles", default="", help="comma-separated demo usernames (default: every one)")
    parser.add_argument("--limit", type=int, default=200, help="at most this many pages per sign-in")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build the demo again")
    parser.add_argument("--skip-build", action="store_true", help="use the database as it is (built by an earlier run)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database of the bench's own")

    secrets_, new_keys = keys()
    env = production_env(secrets_, args.port)
    site_ready(env, new_keys=new_keys, rebuild=args.rebuild, skip_build=args.skip_build)
    cred = sessions(env)
    wanted = set(filter(None, args.roles.split(",")))
    signins = [(name, cookie) for name, cookie in cred["cookies"].items() if not wanted or name in wanted]

    base = f"http://127.0.0.1:{args.port}"
    process = start_gunicorn(env, base)
    results = []
    try:
        plans = [("anonymous", {}, "/accounts/login/")] if not wanted or "anonymous" in wanted else []
        plans += [(name, {"Cookie": f"{cred['cookie_name']}={cookie}"}, "/") for name, cookie in signins]
        for role, headers, start in plans:
            pages = walk(base, headers, start, args.limit)
            print(f"{role}: {len(pages)} pages", flush=True)
            for page in pages:
                row = {"role": role, **page, **time_page(base, page["path"], headers, args.requests, args.warmup)}
                results.append(row)
                mark = "  <-- slow" if row["p95"] >= args.threshold else ""
                print(f"  {row['p50']:6.0f} {row['p95']:6.0f} ms  {page['path']}{mark}", flush=True)
        member = cred["cookies"].get("100001")
        transfer = first_visit(base, {"Cookie": f"{cred['cookie_name']}={member}"}) if member else None
    finally:
        stop_gunicorn(process)

    slow = [row for row in results if row["p95"] >= args.threshold]
    markdown = tables(results, transfer or {"files": [], "wire": 0, "size": 0}, args.threshold)
    print()
    print(markdown)
    print()
    print(f"{len(results)} pages timed; {len(slow)} with p95 >= {args.threshold:.0f} ms")
    if transfer:
        held = "held" if transfer["wire"] < 300 * 1024 else "NOT held"
        print(f"first visit to the portal home: {transfer['wire'] / 1024:.0f} KB on the wire ({held}: < 300 KB)")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "pages.json").write_text(
        json.dumps(
            {"requests": args.requests, "threshold": args.threshold, "pages": results, "first_visit": transfer},
            indent=2,
            ensure_ascii=False,
        )
    )
    (OUT / "pages.md").write_text(markdown + "\n")


if __name__ == "__main__":
    main()

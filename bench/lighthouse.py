"""Lighthouse (mobile) on the sign-in page, the member's home and the office's people list, under
gunicorn with production settings on PostgreSQL: the site as bench/load.py builds and starts it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_load .venv/bin/python bench/lighthouse.py
    ... bench/lighthouse.py --skip-build --lighthouse /tmp/lh/node_modules/.bin/lighthouse

Lighthouse is a Node tool, not a dependency of the site: install it anywhere
(`npm install lighthouse@12` in a scratch folder) and pass its path, or let `npx` fetch it.
It drives Debian's chromium (/usr/bin/chromium) headless with the flags of the browser tests.
The signed-in pages are opened with a session cookie, and every request carries nginx's headers
(docs/deploy.md), as in the load bench. Prints the four category scores per page (target, issue 12:
95 or more in each) and writes bench/out/lighthouse.json and one HTML report per page in bench/out/.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load import (  # noqa: E402
    OUT,
    PROXY_HEADERS,
    credentials,
    keys,
    production_env,
    site_ready,
    start_gunicorn,
    stop_gunicorn,
)

CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --disable-quic --no-first-run"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def audit(lighthouse: list[str], base: str, path: str, cookie: str, name: str) -> dict:
    headers = {k: v for k, v in PROXY_HEADERS.items() if k != "Host"}
    if cookie:
        headers["Cookie"] = cookie
    report = OUT / f"lighthouse-{name}"
    for _attempt in range(3):  # headless chromium now and then loses the trace (NO_NAVSTART): run again
        done = subprocess.run(
            [
                *lighthouse,
                base + path,
                "--quiet",
                "--form-factor=mobile",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--extra-headers={json.dumps(headers)}",
                "--output=json",
                "--output=html",
                f"--output-path={report}",
            ],
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        )
        if done.returncode == 0:
            break
    else:
        raise SystemExit(f"lighthouse failed three times on {path}")
    result = json.loads(Path(f"{report}.report.json").read_text())
    return {
        "page": name,
        "path": path,
        "final_url": result["finalDisplayedUrl"],
        **{c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lighthouse", default="npx --yes lighthouse@12", help="the lighthouse command")
    parser.add_argument("--port", type=int, default=8785)
    parser.add_argument("--skip-build", action="store_true", help="use the database as it is (built by an earlier run)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database of the bench's own")
    OUT.mkdir(parents=True, exist_ok=True)
    secrets_, new_keys = keys()
    env = production_env(secrets_, args.port)
    # Lighthouse fetches robots.txt without the extra headers, so Django would send it to https;
    # in production nginx redirects plain http before Django sees it (docs/deploy.md).
    env["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    site_ready(env, new_keys=new_keys, skip_build=args.skip_build)
    cred = credentials(env)
    # Lighthouse asks for http://localhost:port: the host the production settings allow
    base = f"http://localhost:{args.port}"
    server = start_gunicorn(env, f"http://127.0.0.1:{args.port}")
    try:
        session = cred["cookie_name"] + "="
        rows = [
            audit(shlex.split(args.lighthouse), base, "/accounts/login/", "", "login"),
            audit(shlex.split(args.lighthouse), base, "/", session + cred["member"], "member-home"),
            audit(shlex.split(args.lighthouse), base, "/people/", session + cred["office"], "people-list"),
        ]
    finally:
        stop_gunicorn(server)
    (OUT / "lighthouse.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    print("| page | " + " | ".join(CATEGORIES) + " |\n|---|" + "---|" * len(CATEGORIES))
    for row in rows:
        print(f"| {row['page']} ({row['path']}) | " + " | ".join(str(row[c]) for c in CATEGORIES) + " |")
        if row["final_url"].rstrip("/") != (base + row["path"]).rstrip("/"):
            print(f"  (ended at {row['final_url']}: the page did not open as asked)")


if __name__ == "__main__":
    main()

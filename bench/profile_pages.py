"""Where a page's time goes, in-process: the load bench's pages under production settings on its
database, through the whole middleware stack (Django's test client), without gunicorn or wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_load .venv/bin/python bench/profile_pages.py
    ... bench/profile_pages.py --requests 200 /people/       # one page
    ... bench/profile_pages.py --pyinstrument /              # and where its time goes

Run bench/load.py first (it builds the database and keeps its keys in bench/out/load-keys.json).
For each page: the CPU time and wall time per request (median of --requests after a warm-up)
and the SQL queries each makes.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import MEMBER, OFFICE, VAR, keys, production_env  # noqa: E402  (bench/ is the script's folder)

PAGES = {"/healthz/": None, "/accounts/tokens/": MEMBER, "/": MEMBER, "/people/": OFFICE, "/api/people/": OFFICE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=list(PAGES))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--sql", action="store_true", help="print each page's SQL statements")
    parser.add_argument(
        "--cprofile", type=int, default=0, metavar="N", help="print the N costliest functions (CPU time)"
    )
    parser.add_argument("--pyinstrument", action="store_true", help="print a pyinstrument profile of each page")
    args = parser.parse_args()
    secrets_, _ = keys()
    os.environ.update(production_env(secrets_, 0))
    VAR.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from gonghui.accounts.models import User

    headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "192.0.2.10", "HTTP_HOST": "localhost"}
    print(f"{'page':<18} {'cpu ms':>8} {'wall ms':>8} {'queries':>8} {'sql ms':>8}")
    for path in args.paths:
        client = Client(**headers)
        username = PAGES.get(path, MEMBER)
        if username:
            client.force_login(User.objects.get(username=username))
        for _ in range(5):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        queries: list[float] = []

        def counted(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(time.perf_counter() - started)
                if args.sql:
                    print(f"    {(time.perf_counter() - started) * 1000:6.1f} ms  {sql[:300]}")

        with connection.execute_wrapper(counted):
            client.get(path)
        n_queries, sql_ms = len(queries), sum(queries) * 1000
        cpu, wall = [], []
        for _ in range(args.requests):
            c0, w0 = time.process_time(), time.perf_counter()
            client.get(path)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        print(
            f"{path:<18} {statistics.median(cpu) * 1000:8.1f} {statistics.median(wall) * 1000:8.1f}"
            f" {n_queries:8d} {sql_ms:8.1f}"
        )
        if args.cprofile:
            import cProfile
            import pstats

            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(args.requests):
                client.get(path)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("tottime").print_stats(args.cprofile)
            stats.sort_stats("cumulative").print_stats(args.cprofile)
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(args.requests):
                    client.get(path)
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()

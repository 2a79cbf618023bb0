"""People list benchmark on PostgreSQL: GET /api/people/ and the /people/ page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_bench_api .venv/bin/python bench/people_api.py
    ... bench/people_api.py --size 1000000 --requests 200 --explain

Creates and migrates the database named in DATABASE_URL (use a database of its own: the
people tables are emptied and refilled when they do not hold exactly --size people), loads
--size people and their memberships with set-based INSERT … SELECT FROM generate_series
(synthetic names with matching latin pinyin, valid-looking masked ID fields), then requests
each configuration --requests times with the Django test client signed in as union office:
page_size 50 and 500, with no filter, searches (q=zh, 张, 经济, 伟, 张伟明) and a sub-union
filter; and the people page (50 a page) the same way; then each configuration's floor (its
first page's SQL on the cursor) and the exact count(*) the list avoids. Reports p50/p95 latency in ms and SQL queries per request,
prints a table and writes bench/out/people_api.json (one entry per size).
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

# The test settings: in-memory cache, fast password hashing, no outside e-mail.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

SURNAMES = [
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
]
GIVEN = [
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("华", "hua"),
    ("玉", "yu"),
    ("兰", "lan"),
    ("萍", "ping"),
    ("辉", "hui"),
    ("春", "chun"),
    ("琳", "lin"),
    ("斌", "bin"),
    ("宇", "yu"),
    ("浩", "hao"),
    ("凯", "kai"),
    ("鹏", "peng"),
    ("晨", "chen"),
    ("欣", "xin"),
    ("怡", "yi"),
    ("涵", "han"),
    ("轩", "xuan"),
    ("泽", "ze"),
    ("思", "si"),
    ("嘉", "jia"),
    ("博", "bo"),
    ("志", "zhi"),
]
SUB_UNIONS = 60  # colleges and offices, each with two union groups
CATEGORIES = ["事业编制", "合同制", "人事代理", "博士后"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="people to load (default 100000)")
    parser.add_argument("--requests", type=int, default=200, help="requests per configuration (default 200)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the list queries")
    parser.add_argument("--reload", action="store_true", help="reload the people even if the count matches")
    return parser.parse_args()


def load(size: int, reload: bool) -> float | None:
    """Fill the people tables with `size` people; returns the seconds it took (None: kept)."""
    from django.db import connection, transaction

    from gonghui.people.choices import SubUnionKind
    from gonghui.people.models import EmploymentCategory, Person, SubUnion, Union

    if not reload and Person.objects.count() == size and SubUnion.objects.count() == SUB_UNIONS * 3:
        return None
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "truncate people_unionmembership, people_child, people_personnamegram, people_person, accounts_roleassignment, "
            "authtoken_token, accounts_user, people_subunion, people_union, people_employmentcategory, "
            "core_auditevent, core_job restart identity cascade"
        )
        union = Union.objects.create(name="示范大学工会", university="示范大学")
        colleges = SubUnion.objects.bulk_create(
            SubUnion(union=union, code=f"C{i:03d}", name=f"第{i}学院分工会", name_pinyin=f"di{i:03d}xueyuan")
            for i in range(SUB_UNIONS)
        )
        groups = SubUnion.objects.bulk_create(
            SubUnion(
                union=union,
                parent=college,
                code=f"{college.code}-G{g}",
                kind=SubUnionKind.GROUP,
                name=f"{college.name}第{g}小组",
                name_pinyin=f"{college.name_pinyin}{g}",
            )
            for college in colleges
            for g in (1, 2)
        )
        categories = [EmploymentCategory.objects.create(name=name, sort_order=i) for i, name in enumerate(CATEGORIES)]
        sub_union_ids = [s.pk for s in colleges + groups]
        cursor.execute(
            """
            insert into people_person (
                created_at, updated_at, staff_no, name, name_pinyin, name_initials, gender, birth_date,
                id_number_encrypted, id_number_digest, id_number_masked, phone, employment_category_id,
                employment_status, status_changed_on, status_reason, coverage_type, sub_union_id, jingka_no)
            select now(), now(),
                   'B' || lpad(i::text, 7, '0'),
                   s.c || g1.c || case when i %% 3 = 0 then '' else g2.c end,
                   s.p || g1.p || case when i %% 3 = 0 then '' else g2.p end,
                   left(s.p, 1) || left(g1.p, 1) || case when i %% 3 = 0 then '' else left(g2.p, 1) end,
                   case when i %% 2 = 0 then 'M' else 'F' end,
                   date '1950-01-01' + (i::bigint * 7919 %% 18250)::int,
                   'gAAAAA-synthetic-' || i,
                   md5('digest' || i) || md5('more' || i),
                   '110105********' || lpad((i %% 10000)::text, 4, '0'),
                   '138' || lpad((i %% 100000000)::text, 8, '0'),
                   (%(categories)s::bigint[])[1 + i %% %(n_categories)s],
                   case when i %% 10 = 0 then 'retired' else 'active' end,
                   null, '',
                   case when i %% 4 = 0 then 'public' else 'insurance' end,
                   -- hashed, so that surnames (and pinyin order) spread over every sub-union
                   (%(sub_unions)s::bigint[])[1 + abs(hashtext('su' || i)) %% %(n_sub_unions)s],
                   ''
            from generate_series(1, %(size)s) as i
            cross join lateral (select (%(sc)s::text[])[1 + i %% %(n_s)s] as c,
                                       (%(sp)s::text[])[1 + i %% %(n_s)s] as p) s
            cross join lateral (select (%(gc)s::text[])[1 + (i / 7) %% %(n_g)s] as c,
                                       (%(gp)s::text[])[1 + (i / 7) %% %(n_g)s] as p) g1
            cross join lateral (select (%(gc)s::text[])[1 + (i / 13) %% %(n_g)s] as c,
                                       (%(gp)s::text[])[1 + (i / 13) %% %(n_g)s] as p) g2
            """,
            {
                "categories": [c.pk for c in categories],
                "n_categories": len(categories),
                "sub_unions": sub_union_ids,
                "n_sub_unions": len(sub_union_ids),
                "size": size,
                "sc": [c for c, _ in SURNAMES],
                "sp": [p for _, p in SURNAMES],
                "n_s": len(SURNAMES),
                "gc": [c for c, _ in GIVEN],
                "gp": [p for _, p in GIVEN],
                "n_g": len(GIVEN),
            },
        )
        cursor.execute(
            """
            insert into people_unionmembership (
                created_at, updated_at, person_id, sub_union_id, member_no, joined_on, status, ended_on, reason)
            select now(), now(), id, sub_union_id, 'M' || staff_no, date '2000-09-01' + (id % 7000)::int,
                   'active', null, ''
            from people_person
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("analyze people_person; analyze people_unionmembership; analyze people_subunion")
    return time.perf_counter() - started


def office_user():
    from gonghui.accounts.models import RoleAssignment, User
    from gonghui.accounts.roles import Role

    user, created = User.objects.get_or_create(username="bench-office")
    if created:
        RoleAssignment.objects.create(user=user, role=Role.UNION_OFFICE)
    return user


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(client, label: str, url: str, params: dict, requests: int, pages: int = 1) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, rows = [], set(), None
    client.get(url, params)  # warm-up: templates, plans, connection
    for n in range(requests):
        query = dict(params)
        if pages > 1:
            query["page"] = 1 + n % pages
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, query)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, query, response.status_code)
        timings.append(elapsed * 1000)
        queries.add(len(captured))
        if rows is None and url.startswith("/api/"):
            data = response.json()
            rows = {"count": data["count"], "returned": len(data["results"]), "estimate": data["count_is_estimate"]}
    return {
        "label": label,
        "url": url,
        "params": params,
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "mean_ms": round(statistics.fmean(timings), 1),
        "queries": sorted(queries),
        **({"rows": rows} if rows else {}),
    }


def measure_floor(user, label: str, params: dict, requests: int, count: bool = False) -> dict:
    """The floor of a configuration: the SQL of its first page of 50 (or the exact count(*)
    the estimating paginator avoids), executed on the cursor with no Django in between."""
    from django.db import connection

    from gonghui.people.selectors import person_list

    rows = person_list(user=user, filters=params)
    sql, sql_params = (rows.order_by() if count else rows[:50]).query.sql_with_params()
    if count:
        sql = f"select count(*) from ({sql}) as listed"
    timings = []
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)  # warm-up
        for _n in range(requests):
            started = time.perf_counter()
            cursor.execute(sql, sql_params)
            cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "label": label,
        "url": "",
        "params": params,
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "mean_ms": round(statistics.fmean(timings), 1),
        "queries": [1],
    }


def explain(user, sub_union_id: int):
    from django.db import connection

    from gonghui.people.selectors import person_list

    cases = {
        "page of 50, no filter": person_list(user=user)[:50],
        "count, no filter": None,
        "page of 50, q=zh": person_list(user=user, filters={"q": "zh"})[:50],
        "page of 50, q=张": person_list(user=user, filters={"q": "张"})[:50],
        "page of 50, q=经济": person_list(user=user, filters={"q": "经济"})[:50],
        "page of 50, sub_union": person_list(user=user, filters={"sub_union": str(sub_union_id)})[:50],
    }
    for title, qs in cases.items():
        if qs is None:
            sql, params = "select count(*) from people_person", []
        else:
            sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("explain (analyze, buffers off) " + sql, params)
            print(f"\n-- {title}\n" + "\n".join(row[0] for row in cursor.fetchall()))


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/gonghui_bench_api")
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from gonghui.people.models import SubUnion

    setup_test_environment()  # lets the test client record templates, as in the suite
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    load_seconds = load(args.size, args.reload)
    print(f"people: {args.size:,}" + (f", loaded in {load_seconds:.1f} s" if load_seconds else " (already loaded)"))

    user = office_user()
    client = Client()
    client.force_login(user)
    college = SubUnion.objects.filter(parent__isnull=True).order_by("code").first()
    filters = [
        ("all", {}),
        ("q=zh", {"q": "zh"}),
        # characters: a common surname, two characters in no name, a given name, a full name
        ("q=张", {"q": "张"}),
        ("q=经济", {"q": "经济"}),
        ("q=伟", {"q": "伟"}),
        ("q=张伟明", {"q": "张伟明"}),
        ("sub_union", {"sub_union": str(college.pk)}),
    ]
    results = []
    for page_size in (50, 500):
        for label, params in filters:
            results.append(
                measure(
                    client,
                    f"API page_size={page_size} {label}",
                    "/api/people/",
                    {**params, "page_size": page_size},
                    args.requests,
                )
            )
            print(_row(results[-1]), flush=True)
    for label, params in filters:
        results.append(measure(client, f"page /people/ {label}", "/people/", params, args.requests, pages=10))
        print(_row(results[-1]), flush=True)
    print("\nfloor: the page's rows by one SQL statement, run straight on the connection")
    for label, params in filters:
        results.append(measure_floor(user, f"floor page of 50 {label}", params, args.requests))
        print(_row(results[-1]), flush=True)
    results.append(measure_floor(user, "floor exact count(*) all", {}, max(5, args.requests // 10), count=True))
    print(_row(results[-1]), flush=True)
    if args.explain:
        explain(user, college.pk)

    # Queries may differ between filters (a sub-union filter looks up its groups) but must not
    # change with the page size.
    by_filter = {}
    for r in results:
        if r["url"] == "/api/people/":
            by_filter.setdefault(r["label"].split()[-1], set()).update(r["queries"])
    constant = all(len(counts) == 1 for counts in by_filter.values())
    print(
        "\nSQL queries per API request, page_size 50 and 500: "
        + ", ".join(f"{name} {sorted(counts)}" for name, counts in by_filter.items())
        + (" (independent of page size)" if constant else " (GROWS with page size)")
    )

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "people_api.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    report[str(args.size)] = {
        "size": args.size,
        "load_seconds": round(load_seconds, 1) if load_seconds else None,
        "queries_independent_of_page_size": constant,
        "results": results,
    }
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"wrote {path.relative_to(ROOT)}")


def _row(r: dict) -> str:
    rows = f"{r['rows']['returned']:>4}/{r['rows']['count']:<8}" if "rows" in r else " " * 13
    return (
        f"{r['label']:<34} p50 {r['p50_ms']:>7.1f} ms  p95 {r['p95_ms']:>7.1f} ms  "
        f"queries {','.join(map(str, r['queries'])):<5} rows {rows}"
    )


if __name__ == "__main__":
    main()

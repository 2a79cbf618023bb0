"""Mutual-aid fee run benchmark on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_bench_fees .venv/bin/python bench/mutual_aid_fee_run.py

For 100,000 and 1,000,000 members: creates (if needed) and migrates the database, empties
the people and mutual-aid tables, loads the members by set-based SQL (INSERT … SELECT
generate_series: people in 20 sub-unions, one in ten retired, every one with an active
scheme membership), then times in the same run:

- the service: `fee_run_execute(year=2024)` — what the page's task and the
  `mutual_aid_fee_run` command call — and its second run (must charge nobody);
- the floor: the same fee lines and charge entries written by one INSERT … SELECT
  statement each, on an identically loaded database (each timing starts after ANALYZE
  and CHECKPOINT, so neither pays for the other's writes).

Reports rows/s, the ratio service/floor (target ≤ 3) and peak memory (target < 500 MB:
the process's peak RSS, and the Python heap peak during the service by tracemalloc).
Writes bench/out/mutual_aid_fee_run.json. Pass sizes as arguments to override (e.g. 10000).
"""

import datetime
import json
import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
from benchdb import ensure_database  # noqa: E402  (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/gonghui_bench_fees")


ensure_database()
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from gonghui.mutual_aid.models import SchemeEdition  # noqa: E402
from gonghui.mutual_aid.services.fees import fee_run_execute  # noqa: E402
from gonghui.people.models import SubUnion, Union  # noqa: E402

YEAR, FLOOR_YEAR = 2024, 2025
FEE_ACTIVE, FEE_RETIRED = Decimal("120.00"), Decimal("60.00")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset():
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE mutual_aid_ledgerentry, mutual_aid_feeline, mutual_aid_feerun, mutual_aid_schememembership, "
            "mutual_aid_schemeedition_eligible_categories, mutual_aid_schemeedition, people_unionmembership, "
            "people_child, people_person, people_subunion, people_union, core_auditevent RESTART IDENTITY CASCADE"
        )


def load(n: int) -> float:
    """n people (one in ten retired) with active scheme memberships, by two INSERT … SELECT."""
    started = time.perf_counter()
    union = Union.objects.create(name="校工会", university="基准大学")
    ids = [
        SubUnion.objects.create(
            union=union, code=f"B{i:02d}", name=f"基准分工会{i:02d}", name_pinyin=f"jizhun{i:02d}"
        ).pk
        for i in range(20)
    ]
    for year in (YEAR, FLOOR_YEAR):
        SchemeEdition.objects.create(
            year=year,
            name=f"{year}",
            status="adopted",
            adopted_on=datetime.date(year, 1, 5),
            eligible_statuses=["active", "retired"],
            join_window_start=datetime.date(year, 3, 1),
            join_window_end=datetime.date(year, 3, 31),
            application_window_start=datetime.date(year + 1, 3, 1),
            application_window_end=datetime.date(year + 1, 4, 30),
            fee_active=FEE_ACTIVE,
            fee_retired=FEE_RETIRED,
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO people_person (created_at, updated_at, staff_no, name, name_pinyin, name_initials, gender,
                birth_date, id_number_encrypted, id_number_digest, id_number_masked, phone, employment_category_id,
                employment_status, status_changed_on, status_reason, coverage_type, sub_union_id, jingka_no)
            SELECT now(), now(), 'B' || lpad(g::text, 7, '0'), '基准' || g, 'jizhun' || g, 'jz', 'M',
                date '1960-01-01' + (g %% 12000), '', '', '', '', NULL,
                CASE WHEN g %% 10 = 0 THEN 'retired' ELSE 'active' END, NULL, '', '',
                (%s::bigint[])[1 + g %% 20], ''
            FROM generate_series(1, %s) AS g
            """,
            [ids, n],
        )
        cursor.execute(
            """
            INSERT INTO mutual_aid_schememembership (created_at, updated_at, person_id, joined_on, eligible_from,
                back_pay_due, fee_channel, status, ended_on, end_reason, enrolled_by_id)
            SELECT now(), now(), p.id, date '2023-03-10', date '2023-03-10', 0,
                CASE WHEN p.employment_status = 'retired' AND p.id % 3 = 0 THEN 'manual' ELSE 'payroll' END,
                'active', NULL, '', NULL
            FROM people_person p
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
        cursor.execute("ANALYZE mutual_aid_schememembership")
    return time.perf_counter() - started


def settle():
    """Start each timing from the same state: statistics fresh, dirty pages flushed."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CHECKPOINT")


def floor() -> dict:
    """The same rows for YEAR, one set-based statement each, in one transaction."""
    from gonghui.mutual_aid.models import FeeRun

    run_id = FeeRun.objects.create(year=YEAR, edition=SchemeEdition.objects.get(year=YEAR)).pk
    settle()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO mutual_aid_feeline (created_at, updated_at, year, run_id, person_id, amount, channel, status,
                failure_reason)
            SELECT now(), now(), %s, %s, m.person_id,
                CASE WHEN p.employment_status = 'retired' THEN %s ELSE %s END, m.fee_channel, 'charged', ''
            FROM mutual_aid_schememembership m JOIN people_person p ON p.id = m.person_id
            """,
            [YEAR, run_id, FEE_RETIRED, FEE_ACTIVE],
        )
        lines = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO mutual_aid_ledgerentry (at, year, person_id, kind, amount, fee_line_id, application_id, memo,
                created_by_id)
            SELECT now(), f.year, f.person_id, 'charge', -f.amount, f.id, NULL, '', NULL
            FROM mutual_aid_feeline f WHERE f.year = %s
            """,
            [YEAR],
        )
        entries = cursor.rowcount
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "lines": lines,
        "entries": entries,
        "rows_per_second": round((lines + entries) / seconds),
    }


def check(year: int, n: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), sum(amount) FROM mutual_aid_feeline WHERE year = %s", [year])
        lines, amount = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), sum(amount) FROM mutual_aid_ledgerentry WHERE year = %s AND kind = 'charge'", [year]
        )
        entries, charged = cursor.fetchone()
    assert lines == n and entries == n and charged == -amount, (lines, entries, amount, charged)
    return {"lines": lines, "entries": entries, "amount": str(amount)}


def measure(n: int) -> dict:
    # The floor and the service each start from the same freshly loaded members.
    reset()
    load(n)
    floor_result = floor()
    floor_check = check(YEAR, n)

    reset()
    load_seconds = load(n)
    expected_amount = (n - n // 10) * FEE_ACTIVE + (n // 10) * FEE_RETIRED
    settle()
    tracemalloc.start()
    started = time.perf_counter()
    result = fee_run_execute(year=YEAR, actor=None)
    service_seconds = time.perf_counter() - started
    heap_peak = tracemalloc.get_traced_memory()[1] / 1048576
    tracemalloc.stop()
    assert result["new_lines"] == n and Decimal(result["total_amount"]) == expected_amount, result
    service_check = check(YEAR, n)
    assert service_check == floor_check  # the same rows

    started = time.perf_counter()
    again = fee_run_execute(year=YEAR, actor=None)
    again_seconds = time.perf_counter() - started
    assert again["new_lines"] == 0 and again["already_charged"] == n, again
    assert check(YEAR, n) == service_check  # nobody charged twice
    rows = 2 * n
    report = {
        "members": n,
        "load_seconds": round(load_seconds, 1),
        "service": {
            "seconds": round(service_seconds, 3),
            "lines": result["new_lines"],
            "entries": service_check["entries"],
            "total_amount": result["total_amount"],
            "rows_per_second": round(rows / service_seconds),
            "python_heap_peak_mb": round(heap_peak, 1),
        },
        "service_second_run": {"seconds": round(again_seconds, 3), "new_lines": again["new_lines"]},
        "floor": floor_result,
        "ratio_service_to_floor": round(service_seconds / floor_result["seconds"], 2),
        "peak_rss_mb": round(rss_mb(), 1),
    }
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return report


def main():
    sizes = [int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000]
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    results = [measure(n) for n in sizes]
    OUT.mkdir(exist_ok=True)
    payload = {
        "benchmark": "mutual_aid_fee_run",
        "postgresql": server,
        "machine": "2 cores, 24 GiB",
        "targets": {"ratio_service_to_floor": 3, "peak_memory_mb": 500},
        "results": results,
    }
    (OUT / "mutual_aid_fee_run.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {OUT / 'mutual_aid_fee_run.json'}")


if __name__ == "__main__":
    main()

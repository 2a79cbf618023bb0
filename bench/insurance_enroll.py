"""Group-insurance enrollment benchmark on PostgreSQL (issue 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_bench_insurance .venv/bin/python bench/insurance_enroll.py

For 100,000 and 1,000,000 members: empties the people and insurance tables, loads the members
by set-based SQL (half women, births spread over 1958–1999, one in ten retired, all with an
active union membership) and three adopted 2021 editions (住院津贴 men < 60 / women < 55,
重大疾病 < 60, 女工特疾 women 16–60), then times in the same run:

- the service: `enrollment_run` for each of the three editions (what the page and
  `manage.py insurance_enroll --year 2021` call), and its second run (must enroll nobody);
- the floor: the same enrollment rows written by one hand-written INSERT … SELECT per plan,
  on an identically loaded database (each timing starts after ANALYZE and CHECKPOINT).

Reports rows/s, the ratio service/floor (target ≤ 2) and peak memory (target < 500 MB).
Writes bench/out/insurance_enroll.json. Pass sizes as arguments to override (e.g. 10000).
"""

import datetime
import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
from benchdb import ensure_database  # noqa: E402  (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/gonghui_bench_insurance")


ensure_database()
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from gonghui.accounts.system import system_actor  # noqa: E402
from gonghui.insurance.models import PlanEdition  # noqa: E402
from gonghui.insurance.presets import edition_values, plans_ensure  # noqa: E402
from gonghui.insurance.services.enrollment import enrollment_run  # noqa: E402
from gonghui.people.models import SubUnion, Union  # noqa: E402

YEAR = 2021
START = datetime.date(YEAR, 7, 1)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def actor():
    """The system actor, as `manage.py insurance_enroll` without --user."""
    return system_actor()


def reset():
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE insurance_claimevent, insurance_claimdocument, insurance_planclaim, insurance_rosterline, "
            "insurance_rosterexport, insurance_premiumadjustment, insurance_planenrollmentevent, "
            "insurance_planeditionevent, insurance_planenrollment, insurance_optout, "
            "insurance_enrollmentrun, insurance_planedition_eligible_categories, insurance_planedition, "
            "insurance_plan, people_unionmembership, people_child, people_person, people_subunion, people_union, "
            "core_auditevent RESTART IDENTITY CASCADE"
        )


def load(n: int) -> tuple[float, list]:
    started = time.perf_counter()
    union = Union.objects.create(name="校工会", university="基准大学")
    ids = [
        SubUnion.objects.create(
            union=union, code=f"B{i:02d}", name=f"基准分工会{i:02d}", name_pinyin=f"jizhun{i:02d}"
        ).pk
        for i in range(20)
    ]
    editions = []
    for code, plan in plans_ensure().items():
        editions.append(
            PlanEdition.objects.create(
                plan=plan, status="adopted", adopted_on=datetime.date(YEAR, 6, 1), **edition_values(code, YEAR)
            )
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO people_person (created_at, updated_at, staff_no, name, name_pinyin, name_initials, gender,
                birth_date, id_number_encrypted, id_number_digest, id_number_masked, phone, employment_category_id,
                employment_status, status_changed_on, status_reason, coverage_type, sub_union_id, jingka_no)
            SELECT now(), now(), 'B' || lpad(g::text, 7, '0'), '基准' || g, 'jizhun' || g, 'jz',
                CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END,
                date '1958-01-01' + (g::bigint * 7919 %% 15000)::int, '', '', '', '', NULL,
                CASE WHEN g %% 10 = 0 THEN 'retired' ELSE 'active' END, NULL, '', '',
                (%s::bigint[])[1 + g %% 20], ''
            FROM generate_series(1, %s) AS g
            """,
            [ids, n],
        )
        cursor.execute(
            """
            INSERT INTO people_unionmembership (created_at, updated_at, person_id, sub_union_id, member_no, joined_on,
                status, ended_on, reason)
            SELECT now(), now(), p.id, p.sub_union_id, 'M' || p.staff_no, date '2010-09-01', 'active', NULL, ''
            FROM people_person p
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
        cursor.execute("ANALYZE people_unionmembership")
    return time.perf_counter() - started, editions


def settle():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CHECKPOINT")


# The floor: the same rows, one INSERT … SELECT per plan, conditions written by hand.
FLOOR_SQL = """
INSERT INTO insurance_planenrollment (edition_id, person_id, sub_union_id, run_id, shares, premium, member_share,
    status, starts_on, ends_on, added_during_term, ended_reason, rejection_reason, created_at)
SELECT %(edition)s, p.id, p.sub_union_id, NULL, 1, %(price)s, 0, 'enrolled', %(start)s, %(end)s, false, '', '', now()
FROM people_person p
WHERE p.employment_status = 'active'
  AND EXISTS (SELECT 1 FROM people_unionmembership m WHERE m.person_id = p.id AND m.status = 'active')
  AND p.gender = ANY(%(genders)s)
  AND p.birth_date <= %(oldest_allowed_min)s
  AND (p.gender = 'F' OR p.birth_date > %(male_cap)s)
  AND (p.gender = 'M' OR p.birth_date > %(female_cap)s)
"""


def _years_before(day, years):
    return day.replace(year=day.year - years)


def floor(editions) -> dict:
    settle()
    started = time.perf_counter()
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for e in editions:
            cursor.execute(
                FLOOR_SQL,
                {
                    "edition": e.pk,
                    "price": e.price_per_share,
                    "start": e.start_date,
                    "end": e.end_date,
                    "genders": e.eligible_genders or ["M", "F"],
                    "oldest_allowed_min": _years_before(START, e.min_age or 0),
                    "male_cap": _years_before(START, e.max_age_male or 200),
                    "female_cap": _years_before(START, e.max_age_female or 200),
                },
            )
            rows += cursor.rowcount
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "rows": rows, "rows_per_second": round(rows / seconds)}


def check() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.plan_id, count(*), sum(premium) FROM insurance_planenrollment x "
            "JOIN insurance_planedition e ON e.id = x.edition_id GROUP BY e.plan_id ORDER BY e.plan_id"
        )
        return {str(plan): [count, str(total)] for plan, count, total in cursor.fetchall()}


def measure(n: int) -> dict:
    reset()
    _seconds, editions = load(n)
    floor_result = floor(editions)
    floor_check = check()

    reset()
    load_seconds, editions = load(n)
    user = actor()
    settle()
    tracemalloc.start()
    started = time.perf_counter()
    created = sum(enrollment_run(actor=user, edition=e).created for e in editions)
    service_seconds = time.perf_counter() - started
    heap_peak = tracemalloc.get_traced_memory()[1] / 1048576
    tracemalloc.stop()
    service_check = check()
    assert service_check == floor_check, (service_check, floor_check)  # the same rows

    started = time.perf_counter()
    again = sum(enrollment_run(actor=user, edition=e).created for e in editions)
    again_seconds = time.perf_counter() - started
    assert again == 0 and check() == service_check  # nobody enrolled twice
    report = {
        "members": n,
        "load_seconds": round(load_seconds, 1),
        "enrollments": created,
        "per_plan": service_check,
        "service": {
            "seconds": round(service_seconds, 3),
            "rows_per_second": round(created / service_seconds),
            "python_heap_peak_mb": round(heap_peak, 1),
        },
        "service_second_run": {"seconds": round(again_seconds, 3), "created": again},
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
        "benchmark": "insurance_enroll",
        "postgresql": server,
        "targets": {"ratio_service_to_floor": 2, "peak_memory_mb": 500},
        "results": results,
    }
    (OUT / "insurance_enroll.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {OUT / 'insurance_enroll.json'}")


if __name__ == "__main__":
    main()

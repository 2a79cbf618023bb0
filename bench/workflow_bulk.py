"""A bulk workflow step against its floor, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_bench_workflow .venv/bin/python bench/workflow_bulk.py [100000 ...]

For each size (default 100,000): creates (if needed) and migrates the database, empties the
people and mutual-aid tables, loads that many people with one submitted subsidy application
each (INSERT … SELECT generate_series), then times in the same run, each from the same fresh
load (ANALYZE and CHECKPOINT before each timing):

- the service: core's `transition_bulk(ApplicationWorkflow, <every submitted application>,
  to=sub_union_checked, actor=<the union office>)` — the permission and scope check, the row
  locks, one event row and one audit row (real before/after) per application, the UPDATE;
- the floor: the same step by one UPDATE and one INSERT … SELECT of the events (no audit rows,
  no checks), in one transaction.

Reports seconds, rows/s and the ratio service/floor (target ≤ 2), checks that every
application moved and has exactly one event and one audit row. Writes bench/out/workflow_bulk.json.
"""

import datetime
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
from benchdb import ensure_database  # noqa: E402  (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/gonghui_bench_workflow")

ensure_database()
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from gonghui.accounts.models import RoleAssignment, User  # noqa: E402
from gonghui.accounts.roles import Role  # noqa: E402
from gonghui.core.workflow import transition_bulk  # noqa: E402
from gonghui.mutual_aid.choices import ApplicationStatus  # noqa: E402
from gonghui.mutual_aid.models import SchemeEdition, SubsidyApplication  # noqa: E402
from gonghui.mutual_aid.workflow import ApplicationWorkflow  # noqa: E402
from gonghui.people.models import SubUnion, Union  # noqa: E402

YEAR = 2024


def reset():
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE mutual_aid_applicationevent, mutual_aid_subsidyapplication, mutual_aid_schemeeditionevent, "
            "mutual_aid_schemeedition, people_person, people_subunion, people_union, core_auditevent, "
            "accounts_roleassignment RESTART IDENTITY CASCADE"
        )
        cursor.execute("DELETE FROM accounts_user WHERE username = 'bench-office'")


def load(n: int) -> User:
    union = Union.objects.create(name="校工会", university="基准大学")
    ids = [
        SubUnion.objects.create(union=union, code=f"B{i:02d}", name=f"基准分工会{i:02d}", name_pinyin=f"jz{i:02d}").pk
        for i in range(20)
    ]
    edition = SchemeEdition.objects.create(
        year=YEAR,
        name=f"{YEAR}",
        status="adopted",
        adopted_on=datetime.date(YEAR, 1, 5),
        resolution="基准",
        eligible_statuses=["active", "retired"],
        join_window_start=datetime.date(YEAR, 3, 1),
        join_window_end=datetime.date(YEAR, 3, 31),
        application_window_start=datetime.date(YEAR + 1, 3, 1),
        application_window_end=datetime.date(YEAR + 1, 4, 30),
        fee_active=120,
        fee_retired=60,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO people_person (created_at, updated_at, staff_no, name, name_pinyin, name_initials, gender,
                birth_date, id_number_encrypted, id_number_digest, id_number_masked, phone, employment_category_id,
                employment_status, status_changed_on, status_reason, coverage_type, sub_union_id, jingka_no)
            SELECT now(), now(), 'B' || lpad(g::text, 7, '0'), '基准' || g, 'jizhun' || g, 'jz', 'M',
                date '1960-01-01' + (g %% 12000), '', '', '', '', NULL, 'active', NULL, '', '',
                (%s::bigint[])[1 + g %% 20], ''
            FROM generate_series(1, %s) AS g
            """,
            [ids, n],
        )
        cursor.execute(
            """
            INSERT INTO mutual_aid_subsidyapplication (created_at, updated_at, person_id, cost_year, edition_id, kind,
                disease_category_id, status, submitted_by_id, submitter_relation, relative_name, relative_phone,
                submitted_at, computed_subsidy, working, approved_amount, return_message)
            SELECT now(), now(), p.id, %s, %s, 'inpatient', NULL, 'submitted', NULL, 'self', '', '', now(),
                1000, '{}'::jsonb, NULL, ''
            FROM people_person p
            """,
            [YEAR - 1, edition.pk],
        )
    office = User.objects.create(username="bench-office")
    RoleAssignment.objects.create(user=office, role=Role.UNION_OFFICE)
    return office


def settle():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CHECKPOINT")


def floor(office: User) -> float:
    settle()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO mutual_aid_applicationevent (subject_id, at, actor_id, from_state, to_state, step, message,
                parameters)
            SELECT a.id, now(), %s, 'submitted', 'sub_union_checked', 'sub_union_check', '', '{}'::jsonb
            FROM mutual_aid_subsidyapplication a WHERE a.status = 'submitted'
            """,
            [office.pk],
        )
        cursor.execute(
            "UPDATE mutual_aid_subsidyapplication SET status = 'sub_union_checked', updated_at = now() "
            "WHERE status = 'submitted'"
        )
    return time.perf_counter() - started


def service(office: User) -> tuple[float, int]:
    settle()
    started = time.perf_counter()
    result = transition_bulk(
        ApplicationWorkflow,
        SubsidyApplication.objects.filter(status=ApplicationStatus.SUBMITTED),
        to=ApplicationStatus.SUB_UNION_CHECKED,
        actor=office,
    )
    return time.perf_counter() - started, result.moved


def check(n: int, *, audited: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM mutual_aid_subsidyapplication WHERE status = 'sub_union_checked'")
        assert cursor.fetchone()[0] == n
        cursor.execute("SELECT count(DISTINCT subject_id), count(*) FROM mutual_aid_applicationevent")
        assert cursor.fetchone() == (n, n)
        cursor.execute(
            "SELECT count(*) FROM core_auditevent WHERE object_type = 'mutual_aid.subsidyapplication' "
            'AND changes = \'{"status": ["已提交", "分工会已审核"]}\'::jsonb'
        )
        audit = cursor.fetchone()[0]
        assert audit == (n if audited else 0), audit


def measure(n: int) -> dict:
    reset()
    office = load(n)
    floor_seconds = floor(office)
    check(n, audited=False)
    reset()
    office = load(n)
    service_seconds, moved = service(office)
    assert moved == n, moved
    check(n, audited=True)
    return {
        "size": n,
        "floor_seconds": round(floor_seconds, 3),
        "service_seconds": round(service_seconds, 3),
        "floor_rows_per_second": round(n / floor_seconds),
        "service_rows_per_second": round(n / service_seconds),
        "ratio": round(service_seconds / floor_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average": os.getloadavg(),
    }


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100_000]
    call_command("migrate", verbosity=0)
    results = []
    for n in sizes:
        row = measure(n)
        results.append(row)
        print(
            f"{n:>9,} applications: service {row['service_seconds']:.2f} s, floor {row['floor_seconds']:.2f} s, "
            f"ratio {row['ratio']:.2f}, peak RSS {row['peak_rss_mb']} MB"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "workflow_bulk.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

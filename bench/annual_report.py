"""The union's annual report (年度工作报告, issue 18) on PostgreSQL: `annual_report_build`, the
`annual_report` command's JSON and each module's registered section, against the floor.

    .venv/bin/python bench/annual_report.py                         # realistic: the demo university, 2,900 people
    .venv/bin/python bench/annual_report.py --size large            # the demo × 345: 1,000,500 people
    .venv/bin/python bench/annual_report.py --size large --keep --explain 5   # and the plans of the 5 slowest queries
    .venv/bin/python bench/annual_report.py --size large --reuse    # on the kept database, as it is
    .venv/bin/python bench/annual_report.py --size large --reuse --keep --set jit=off   # a setting for the session
    .venv/bin/python bench/annual_report.py --profile 30            # and the 30 costliest functions of the report

DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/gh_bench_annual_<size>;
its name must contain "bench"). It is dropped, created and migrated at the start of every run and
dropped at the end (--keep keeps it; --reuse runs on a kept one as it is, when it holds the size's
people, instead of building it again).

The world. Realistic: the demo university (`manage.py demo_university`: 1,800 active staff and
1,100 retirees, every module's demo, 2021 being DOMAIN §2's reference year: fees deducted for
1,383 active staff, 50,202.51 and 352,551.88 yuan of subsidies, 1,759 / 1,759 / 1,005 insured,
8 claims, 799 + 253 enrolled in the drive, …). Large: the same demo, then copied 344 times over by
set-based SQL (one `INSERT … SELECT … CROSS JOIN generate_series(1, 344)` per table; the services
would take hours at a million), so that every figure of the copied tables is 345 times the demo's:

- each person (a new staff number `<demo's>-<copy>` and ID digest; the same sub-union, status,
  dates, category and coverage: 62 % active, 38 % retired) with their union membership, children,
  mutual-aid membership, fee lines (the 2021 run: deducted for most active members), subsidy
  applications and their ledger entries (charges, deductions, payments), insurance enrollments (the
  three 2021 plans for most active staff) and claims, drive registrations and survey answers,
  opinions on the drafts, mentorship pairs (a pair whose mentor and mentee are both copies), the
  children's survey lines and admission requests, and their place in the electorate of each
  practical project's satisfaction rating (with the project's ballots, 40 a box, copied as well);
- the demo's congress proposals (those of its proposals session, with their proposers, replies and
  ratings) go, copied, to the congress session that opens in 2021, so that the report's proposals
  section has 2021 figures (the demo's own proposals are of a later session);
- not copied: what does not grow with the staff — the editions, plans, drives, cohorts, campaigns
  and the schools' places, the competitions (the demo's twelve Beijing editions and the 2021
  awards), the appraisal rounds' turnout, the deliberations' groups and the projects themselves.

A copy of row id x of a table gets id x + c × (the table's largest demo id), c = 1 … 344, and so
does every reference to a copied row; the foreign keys are checked as the rows go in. On 2 busy
CPUs the demo takes 4–10 minutes and the copies about 20 (8,000,000 electorate rows of the projects'
ratings among them): keep the large database (--keep) and measure it again with --reuse.

Measured, --runs times each after one untimed run (whose SQL queries are counted), for 2021:

- `reports.selectors.annual_report_build(user=<the union office>, year=2021)`: the permission,
  then every registered section (`core.registry.annual_sections_for`) as the system actor;
- `manage.py annual_report --year 2021 --format json`: the same as the command prints it (the
  JSON checked equal to the report's);
- each registered section on its own: `provider(system_actor(), 2021)` (the slowest named, with
  its slowest statements);
- the floor: one SQL statement computing the headline figures — members on 31 December, active
  and retired (on that day); the fees payroll deducted from active members (count, sum); the
  subsidies paid to active staff and to retirees; the insured per plan, the people insured, the
  premium; the claims paid (count, sum); the drive's enrolment (active, retired, total); the
  projects done — each as the sections define it (the script checks they are equal).

Each: median, p95, min, max (ms), SQL statements (not BEGIN / COMMIT); for the Python side also
the median CPU time of this process; the process's peak RSS. --explain N prints EXPLAIN (ANALYZE,
BUFFERS) of the N slowest statements of one report; --set NAME=VALUE (repeatable) sets a PostgreSQL
setting on the bench's connection (e.g. jit=off) and the settings in force are printed. Prints a
table and writes bench/out/annual_report-<size>.json (-<name>_<value> appended for each --set).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from admissions import execute, profile, rss_mb, sql, timed  # noqa: E402  (the measures: bench/admissions.py's)
from benchdb import database_check, database_fresh, drop_database, ensure_database  # noqa: E402

YEAR = 2021
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gh_bench_annual_{size}"
SIZES = {
    # copies of the demo university added to it; timed runs of each measure
    "realistic": {"copies": 0, "runs": 10},
    "large": {"copies": 344, "runs": 5},
}
DEMO_PEOPLE = 2_900  # 1,800 active staff and 1,100 retirees (gonghui.people.demo)
OFFICE = "office"  # the demo's union office sign-in

# --- the world -------------------------------------------------------------------------------------

# A copy's ID digest: another 64 hex characters, the same for a person and their own registrations.
DIGEST = "encode(sha256(convert_to(t.id_number_digest || '-' || g.c, 'UTF8')), 'hex')"
PROJECT_BOXES = "t.box_id in (select rating_box_id from projects_practicalproject where rating_box_id is not null)"
SESSION_PROPOSALS = "t.proposal_id in (select id from proposals_proposal where session_id = %(from_session)s)"

# The tables copied, in the order their references need: (model, which demo rows — a condition on
# the row `t` —, {column: the copy's value}). Every other column is the demo row's, its id and its
# references to copied rows moved to the copy's.
REPLICATED: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("people.Person", "", {"staff_no": "t.staff_no || '-' || g.c", "id_number_digest": DIGEST}),
    ("people.UnionMembership", "", {"member_no": "t.member_no || '-' || g.c"}),
    ("people.Child", "", {}),
    ("mutual_aid.SchemeMembership", "", {}),
    ("mutual_aid.FeeLine", "", {}),
    ("mutual_aid.SubsidyApplication", "", {}),
    ("mutual_aid.LedgerEntry", "", {}),
    ("insurance.PlanEnrollment", "", {}),
    ("insurance.PlanClaim", "", {}),
    ("drives.DriveRegistration", "", {"id_number_digest": DIGEST}),
    ("drives.IntentAnswer", "", {}),
    ("deliberations.Opinion", "", {}),
    ("mentorship.Pair", "", {}),
    ("admissions.SurveyLine", "", {}),
    ("admissions.AdmissionRequest", "", {"number": "t.number || '-' || g.c"}),
    ("core.BallotVoter", PROJECT_BOXES, {}),
    ("core.Ballot", PROJECT_BOXES, {"key": "gen_random_uuid()"}),
    (
        "proposals.Proposal",
        "t.session_id = %(from_session)s",
        {"session_id": "%(to_session)s", "number": "t.number + 1000 * g.c"},
    ),
    ("proposals.ProposalProposer", SESSION_PROPOSALS, {}),
    ("proposals.ProposalReply", SESSION_PROPOSALS, {}),
    ("proposals.SatisfactionRating", SESSION_PROPOSALS, {}),
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="realistic")
    parser.add_argument("--runs", type=int, default=0, help="timed runs of each (default 10; large: 5)")
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="EXPLAIN ANALYZE the N slowest statements")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile one more report: top N")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the bench's connection, e.g. jit=off or work_mem=64MB (repeatable)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--reuse", action="store_true", help="run on a kept database as it is (no rebuild)")
    return parser.parse_args()


def session_settings(settings: list[str]) -> dict[str, str]:
    """Apply `--set NAME=VALUE` to the bench's connection (and to any it opens again); the
    values in force, as the server reports them."""
    from django.db.backends.signals import connection_created

    pairs = [item.split("=", 1) for item in settings]
    for name, _value in pairs:
        if not name.replace("_", "").isalnum():
            raise SystemExit(f"not a setting: {name}")

    def apply(connection, **_kwargs):
        with connection.cursor() as cursor:
            for name, value in pairs:
                cursor.execute(f"set {name} = %s", [value])

    connection_created.connect(apply, weak=False)
    from django.db import connection

    if connection.connection is not None:
        apply(connection)
    names = ["jit", "work_mem", "shared_buffers", "max_parallel_workers_per_gather", *(n for n, _v in pairs)]
    return {name: scalar(f"show {name}") for name in dict.fromkeys(names)}


def scalar(statement: str, params: dict | None = None):
    rows = sql(statement, params or {})
    return rows[0][0] if rows else None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def replicate(copies: int) -> dict[str, int]:
    """Add `copies` copies of the demo's rows of every REPLICATED table; {model: rows added}."""
    from django.apps import apps
    from django.db import transaction

    spans: dict[str, int] = {}
    for label, _condition, _values in REPLICATED:
        model = apps.get_model(label)
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
            spans[label] = scalar(f"select coalesce(max(id), 0) from {model._meta.db_table}")
    params = {
        "copies": copies,
        # the demo's proposals session (the one with the most proposals), and the session opening in YEAR
        "from_session": scalar(
            "select session_id from proposals_proposal group by session_id order by count(*) desc, session_id limit 1"
        ),
        "to_session": scalar(
            "select id from congress_congresssession where opens_on >= %(start)s and opens_on < %(end)s "
            "order by opens_on, id limit 1",
            {"start": f"{YEAR}-01-01", "end": f"{YEAR + 1}-01-01"},
        ),
    }
    added: dict[str, int] = {}
    for label, condition, values in REPLICATED:
        if label.startswith("proposals.") and None in (params["from_session"], params["to_session"]):
            continue
        model = apps.get_model(label)
        table = model._meta.db_table
        columns, expressions = [], []
        for field in model._meta.concrete_fields:
            column = _quoted(field.column)
            columns.append(column)
            if field.column in values:
                expressions.append(values[field.column])
            elif field.primary_key and label in spans:
                expressions.append(f"t.{column} + {spans[label]} * g.c")
            elif field.is_relation and field.related_model._meta.label in spans:
                expressions.append(f"t.{column} + {spans[field.related_model._meta.label]} * g.c")
            else:
                expressions.append(f"t.{column}")
        where = [condition] if condition else []
        if label in spans:
            where.append(f"t.id <= {spans[label]}")  # the demo's rows, not the copies
        statement = (
            f"insert into {table} ({', '.join(columns)}) select {', '.join(expressions)} "
            f"from {table} t cross join generate_series(1, %(copies)s) as g(c)"
            + (f" where {' and '.join(where)}" if where else "")
        )
        started = time.perf_counter()
        with transaction.atomic():
            added[label] = execute(statement, params)
        if label in spans:
            execute(f"select setval(pg_get_serial_sequence('{table}', 'id'), (select max(id) from {table}))")
        print(f"  {label}: {added[label]:,} rows ({time.perf_counter() - started:.1f} s)", flush=True)
    return added


def world_counts() -> dict:
    from gonghui.people.choices import EmploymentStatus
    from gonghui.people.models import Person

    by_status = dict(
        sql("select employment_status, count(*) from people_person group by employment_status order by 1", {})
    )
    return {
        "people": Person.objects.count(),
        "active": by_status.get(EmploymentStatus.ACTIVE.value, 0),
        "retired": by_status.get(EmploymentStatus.RETIRED.value, 0),
        "rows": {
            label: scalar(f"select count(*) from {label}")
            for label in (
                "people_unionmembership",
                "mutual_aid_feeline",
                "mutual_aid_ledgerentry",
                "insurance_planenrollment",
                "drives_driveregistration",
                "core_ballotvoter",
                "deliberations_opinion",
                "mentorship_pair",
                "admissions_surveyline",
                "proposals_proposal",
            )
        },
    }


def world_build(size: dict) -> dict:
    from django.core.management import call_command

    started = time.perf_counter()
    out = io.StringIO()
    call_command("demo_university", stdout=out)
    demo_s = time.perf_counter() - started
    print(f"demo university built in {demo_s:.0f} s", flush=True)
    added: dict[str, int] = {}
    if size["copies"]:
        print(f"copying it {size['copies']} times:", flush=True)
        added = replicate(size["copies"])
    execute("analyze")
    counts = world_counts()
    print(
        f"world: {counts['people']:,} people ({counts['active']:,} active, {counts['retired']:,} retired); "
        f"built in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return {"counts": counts, "demo_s": round(demo_s, 1), "added": added, "s": round(time.perf_counter() - started, 1)}


# --- the floor -------------------------------------------------------------------------------------

# A person's employment status on a day (people.eligibility.status_on): today's, unless it changed
# after the day (and is not active): then retired if they left 'retired' after the day and not
# 'active', active otherwise.
STATUS_ON = """
case when {p}.employment_status = 'active' or {p}.status_changed_on is null or {p}.status_changed_on <= %({day})s
     then {p}.employment_status
     when exists (select 1 from people_personevent e where e.subject_id = {p}.id and e.from_state = 'retired'
                  and e.to_state <> e.from_state and e.parameters ->> 'on' > %({day})s::text)
      and not exists (select 1 from people_personevent e where e.subject_id = {p}.id and e.from_state = 'active'
                      and e.to_state <> e.from_state and e.parameters ->> 'on' > %({day})s::text)
     then 'retired'
     else 'active' end
"""

# The headline figures of YEAR in one statement, as the sections define them:
# - people: the memberships in force at the end of 31 December (joined by then, not ended by then,
#   not an application, none confirmed after the day or never), by the person's status that day;
# - mutual aid: the fee lines of Y payroll deducted from members active when Y began, and the
#   subsidies paid on the costs of Y − 1 (ledger) to those active and retired then;
# - insurance: the adopted editions starting in Y, their insured enrollments per plan, the people
#   insured once, the premium (with its adjustments), the claims paid (not withdrawn ones);
# - drives: the registrations enrolled (or paid) in the drives whose cover starts in Y: the staff
#   themselves active and retired (today's status, as `drive_figures`), and everyone;
# - projects: the projects of Y's batches done or ticked off.
FLOOR_SQL = f"""
with members as (
    select {STATUS_ON.format(p="p", day="day")} as status
    from people_unionmembership m
    join people_person p on p.id = m.person_id
    where m.joined_on <= %(day)s and (m.ended_on is null or m.ended_on > %(day)s) and m.status <> 'applied'
      and not exists (select 1 from people_membershipevent e where e.subject_id = m.id and e.from_state = 'applied'
                      and (e.at >= %(after)s or e.to_state <> 'active'))
), people_figures as (
    select count(*) filter (where status = 'active') as active, count(*) filter (where status = 'retired') as retired
    from members
), fees as (
    select count(*) as n, coalesce(sum(f.amount), 0) as s
    from mutual_aid_feeline f
    join people_person p on p.id = f.person_id
    where f.year = %(year)s and f.status = 'deducted' and {STATUS_ON.format(p="p", day="year_began")} <> 'retired'
), subsidies as (
    select coalesce(-sum(l.amount) filter (where g.status <> 'retired'), 0) as active,
           coalesce(-sum(l.amount) filter (where g.status = 'retired'), 0) as retired
    from mutual_aid_ledgerentry l
    join people_person p on p.id = l.person_id
    cross join lateral (select {STATUS_ON.format(p="p", day="year_began")} as status) g
    where l.year = %(year)s - 1 and l.kind = 'subsidy_payment'
), editions as (
    select e.id, pl.code
    from insurance_planedition e
    join insurance_plan pl on pl.id = e.plan_id
    where e.status = 'adopted' and e.start_date >= %(start)s and e.start_date <= %(day)s
), plans as (
    select e.code, count(*) as n, sum(x.premium) + coalesce(sum(a.amount), 0) as premium
    from insurance_planenrollment x
    join editions e on e.id = x.edition_id
    left join (select enrollment_id, sum(amount) as amount from insurance_premiumadjustment group by 1) a
           on a.enrollment_id = x.id
    where x.status = any(%(insured)s)
    group by e.code
), insured_people as (
    select count(*) as n
    from (select distinct x.person_id
          from insurance_planenrollment x join editions e on e.id = x.edition_id
          where x.status = any(%(insured)s)) d
), claims as (
    select count(*) filter (where c.status = 'paid') as n,
           coalesce(sum(c.paid_amount) filter (where c.status = 'paid'), 0) as s
    from insurance_planclaim c
    where c.edition_id in (select id from editions) and c.status <> 'withdrawn'
), drive as (
    select count(*) as total,
           count(*) filter (where x.relationship = 'self' and p.employment_status = 'active') as active,
           count(*) filter (where x.relationship = 'self' and p.employment_status = 'retired') as retired
    from drives_driveregistration x
    join drives_driverules r on r.drive_id = x.drive_id
    join people_person p on p.id = x.person_id
    where r.policy_start >= %(start)s and r.policy_start <= %(day)s and x.status = any(%(enrolled)s)
), projects as (
    select count(*) filter (where pp.status = any(%(done)s)) as done
    from projects_practicalproject pp
    join projects_batch b on b.id = pp.batch_id
    where b.year = %(year)s
)
select jsonb_build_object(
    'people', (select jsonb_build_object('members_active', active, 'members_retired', retired) from people_figures),
    'mutual_aid', (select jsonb_build_object(
        'fees_deducted_members', f.n, 'fees_deducted_sum', f.s::numeric(14, 2)::text,
        'subsidies_paid_active', s.active::numeric(14, 2)::text,
        'subsidies_paid_retired', s.retired::numeric(14, 2)::text) from fees f, subsidies s),
    'insurance', (select jsonb_build_object(
        'plans', (select coalesce(jsonb_object_agg(code, n), '{{}}'::jsonb) from plans),
        'insured_people', (select n from insured_people),
        'premium', (select coalesce(sum(premium), 0)::numeric(14, 2)::text from plans),
        'claims_paid_count', c.n, 'claims_paid_sum', c.s::numeric(14, 2)::text) from claims c),
    'drives', (select jsonb_build_object('enrolled_active', active, 'enrolled_retired', retired,
                                         'enrolled_total', total) from drive),
    'projects', (select jsonb_build_object('done', done) from projects)
)
"""


def _values(choices) -> list[str]:
    """Plain strings for the driver (not the choices' enum members)."""
    return [str(getattr(c, "value", c)) for c in choices]


def floor_params() -> dict:
    import datetime

    from django.utils import timezone

    from gonghui.drives.choices import ENROLLED_STATUSES
    from gonghui.insurance.workflow import INSURED
    from gonghui.projects.choices import ProjectStatus

    after = timezone.make_aware(datetime.datetime(YEAR + 1, 1, 1))
    return {
        "year": YEAR,
        "start": datetime.date(YEAR, 1, 1),
        "day": datetime.date(YEAR, 12, 31),
        "after": after,
        "year_began": datetime.date(YEAR - 1, 12, 31),
        "insured": sorted(_values(INSURED)),
        "enrolled": _values(ENROLLED_STATUSES),
        "done": _values((ProjectStatus.DONE, ProjectStatus.CLOSED_OFF)),
    }


def floor_figures(document: dict) -> dict[str, dict]:
    """The floor's figures keyed as the report's ({section: {figure key: value}}), money as Decimal."""
    from gonghui.insurance.annual import plan_figure_key

    figures: dict[str, dict] = {}
    for section, values in document.items():
        out = figures.setdefault(section, {})
        for name, value in values.items():
            if name == "plans":
                out.update({plan_figure_key(code): n for code, n in value.items()})
            else:
                out[f"{section}.{name}"] = Decimal(value) if isinstance(value, str) else value
    return figures


def floor_check(report_figures: dict, floor: dict[str, dict]) -> dict[str, dict]:
    """Every floor figure equal to the report's (a section the report lacks has only zeros)."""
    differ = []
    for section, values in floor.items():
        mine = report_figures["sections"].get(section)
        for key, value in values.items():
            theirs = None if mine is None else mine.get(key)
            if mine is None and not value:
                continue
            if theirs != value:
                differ.append(f"{key}: report {theirs!r}, floor {value!r}")
    assert not differ, "the floor differs from the report: " + "; ".join(differ)
    return floor


# --- the measures ----------------------------------------------------------------------------------


def statements(work) -> list[tuple[float, str]]:
    """The statements `work` sends, with their times (s), slowest first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    shown = [
        (float(q["time"]), q["sql"])
        for q in captured
        if q["sql"] not in ("BEGIN", "COMMIT") and not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    ]
    return sorted(shown, key=lambda item: -item[0])


def explain(statement: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("explain (analyze, buffers) " + statement)
        return "\n".join(row[0] for row in cursor.fetchall())


def run(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from gonghui.accounts.system import system_actor
    from gonghui.core.registry import annual_sections_for, registry
    from gonghui.core.reports import plain
    from gonghui.reports.selectors import annual_report_build

    size = SIZES[args.size]
    runs = args.runs or size["runs"]
    world: dict[str, Any] = {"counts": world_counts(), "reused": True} if args.reuse_ok else world_build(size)
    settings = session_settings(args.set)
    print("PostgreSQL " + ", ".join(f"{name} {value}" for name, value in settings.items()), flush=True)
    office = get_user_model().objects.get(username=OFFICE)
    measures: dict[str, dict] = {}
    checks: dict[str, object] = {}
    report: Any
    printed: Any
    section: Any
    rows: Any

    # --- the report, as the page builds it, and as the command prints it
    measures["annual_report_build (union office)"], report = timed(
        lambda: annual_report_build(user=office, year=YEAR), runs
    )

    def command() -> str:
        out = io.StringIO()
        call_command("annual_report", "--year", str(YEAR), "--format", "json", stdout=out)
        return out.getvalue()

    measures["manage.py annual_report --format json"], printed = timed(command, runs)
    assert json.loads(printed) == json.loads(report.json()), "the command's JSON differs from the report's"
    checks["json_characters"] = len(printed)

    # --- each registered section on its own, as annual_sections_for calls it
    entries = sorted(registry.annual_sections.items(), key=lambda item: item[1][0])
    state: dict[str, Any] = {}
    sections: dict[str, dict] = {}

    def actor_fetch() -> None:
        state["actor"] = system_actor()

    for key, (_order, provider) in entries:
        label = f"section: {key}"

        def work(provider=provider) -> Any:
            return provider(state["actor"], YEAR)

        measures[label], section = timed(work, runs, before=actor_fetch)
        sections[key] = {
            "label": label,
            "present": section is not None,
            "figures": len(section.figures) if section is not None else 0,
        }
    present = [s.key for s in annual_sections_for(system_actor(), YEAR)]
    assert present == list(report.figures["sections"]), (present, list(report.figures["sections"]))
    checks["sections"] = {key: s["present"] for key, s in sections.items()}

    # --- the floor
    params = floor_params()
    measures["floor: headline figures (1 SQL statement)"], rows = timed(lambda: sql(FLOOR_SQL, params), runs, cpu=False)
    document = rows[0][0]
    floor = floor_check(report.figures, floor_figures(json.loads(document) if isinstance(document, str) else document))
    checks["floor"] = plain(floor)
    checks["report"] = json.loads(report.json())

    # --- where the time goes: the slowest statements of one report, by section
    by_section: dict[str, list[tuple[float, str]]] = {}
    for key, (_order, provider) in entries:
        actor = system_actor()
        by_section[key] = statements(lambda provider=provider, actor=actor: provider(actor, YEAR))
    slowest = sorted(
        ((ms, key, text) for key, found in by_section.items() for ms, text in found), key=lambda item: -item[0]
    )
    checks["slowest_statements"] = [
        {"section": key, "ms": round(s * 1000, 1), "sql": text[:2000]} for s, key, text in slowest[:10]
    ]
    plans = []
    for s, key, text in slowest[: args.explain]:
        plan = explain(text)
        plans.append({"section": key, "ms": round(s * 1000, 1), "sql": text, "plan": plan})
        print(f"\n--- {key}: {s * 1000:.1f} ms ---\n{text}\n\n{plan}", flush=True)
    if args.profile:
        profile("annual_report_build", lambda: annual_report_build(user=office, year=YEAR), args.profile)

    # --- the tables
    build, floor_label = "annual_report_build (union office)", "floor: headline figures (1 SQL statement)"
    print()
    print(
        f"| {'measure':<44} | runs | median ms | p95 ms | min ms | max ms | CPU median ms | queries | peak RSS MB | × floor |"
    )
    print(
        f"|{'-' * 46}|-----:|----------:|-------:|-------:|-------:|--------------:|--------:|-----------:|--------:|"
    )
    floor_ms = max(measures[floor_label]["median_ms"], 0.01)
    for label, f in measures.items():
        ratio = "—" if label == floor_label else f"{f['median_ms'] / floor_ms:.1f}"
        used = f"{f['cpu_median_ms']:.1f}" if "cpu_median_ms" in f else "—"
        print(
            f"| {label:<44} | {f['runs']:>4} | {f['median_ms']:>9.1f} | {f['p95_ms']:>6.1f} | {f['min_ms']:>6.1f} "
            f"| {f['max_ms']:>6.1f} | {used:>13} | {f['queries']:>7} | {f['peak_rss_mb']:>10.1f} | {ratio:>7} |"
        )
    section_sum = sum(measures[s["label"]]["median_ms"] for s in sections.values())
    ranked = sorted(sections, key=lambda key: -measures[sections[key]["label"]]["median_ms"])
    print()
    print(f"| {'operation':<44} | size      | median ms | floor ms | × floor |")
    print(f"|{'-' * 46}|-----------|----------:|---------:|--------:|")
    for label in (build, "manage.py annual_report --format json"):
        mine = measures[label]["median_ms"]
        print(f"| {label:<44} | {args.size:<9} | {mine:>9.1f} | {floor_ms:>8.1f} | {mine / floor_ms:>7.1f} |")
    print(
        f"| {'sum of the sections (medians)':<44} | {args.size:<9} | {section_sum:>9.1f} | {floor_ms:>8.1f} "
        f"| {section_sum / floor_ms:>7.1f} |"
    )
    print(
        "\nslowest sections: "
        + ", ".join(f"{key} {measures[sections[key]['label']]['median_ms']:.0f} ms" for key in ranked[:4])
    )
    print("slowest statements of one report:")
    for s, key, text in slowest[:5]:
        print(f"  {s * 1000:8.1f} ms  {key:<14} {' '.join(text.split())[:150]}")
    counts = world["counts"]
    absent = [key for key, s in sections.items() if not s["present"]]
    print(
        f"\nload average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
        f"{counts['people']:,} people ({counts['active']:,} active, {counts['retired']:,} retired); "
        f"{len(report.figures['sections'])} sections of {YEAR}"
        + (f" (none from {', '.join(absent)})" if absent else "")
        + f"; the floor equal to the report on {sum(len(v) for v in floor.values())} figures; "
        f"target < 5000 ms: {'met' if measures[build]['median_ms'] < 5000 else 'NOT met'}; peak RSS {rss_mb():.0f} MB"
    )
    return {
        "size": args.size,
        "year": YEAR,
        "world": {**size, **world},
        "settings": settings,
        "measures": measures,
        "sum_of_sections_ms": round(section_sum, 1),
        "floor_ms": measures[floor_label]["median_ms"],
        "checks": checks,
        "plans": plans,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "peak_rss_mb": round(rss_mb(), 1),
    }


def reusable(size: dict) -> bool:
    """A kept database holding the size's world (the demo, copied as often as the size says)."""
    import django

    ensure_database()
    django.setup()
    from django.core.management import call_command
    from django.db.utils import ProgrammingError

    call_command("migrate", verbosity=0)
    try:
        people = scalar("select count(*) from people_person")
    except ProgrammingError:
        return False
    return people == DEMO_PEOPLE * (1 + size["copies"])


def main():
    args = parse_args()
    database_check(DEFAULT_DATABASE.format(size=args.size))
    # The test settings: in-memory cache, fast password hashing, no outside e-mail, DEBUG off.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here
    started = time.perf_counter()
    name = urlparse(os.environ["DATABASE_URL"]).path.lstrip("/")
    args.reuse_ok = args.reuse and reusable(SIZES[args.size])
    if args.reuse_ok:
        print(f"database {name} kept: its world reused")
    else:
        if args.reuse:
            from django.db import connections

            connections.close_all()  # the database is dropped
            print(f"database {name} does not hold the {args.size} world: building it")
        database_fresh()
        print(f"database {name} migrated in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        report = run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database()
    OUT.mkdir(parents=True, exist_ok=True)
    tuned = "".join(f"-{item.replace('=', '_')}" for item in args.set)  # a run with --set beside the plain one
    path = OUT / f"annual_report-{args.size}{tuned}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

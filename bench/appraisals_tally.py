"""Cadre appraisal (中层干部民主测评) tally benchmark on PostgreSQL: 100 units × 20 cadres.

    .venv/bin/python bench/appraisals_tally.py                       # 100 units × 20 cadres, 7 runs
    .venv/bin/python bench/appraisals_tally.py --runs 15 --keep      # more runs; keep the database
    .venv/bin/python bench/appraisals_tally.py --profile 30          # and the 30 costliest functions
    .venv/bin/python bench/appraisals_tally.py --reuse --keep        # on a kept database, emptied

DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/gonghui_bench_appraisals_tally;
its name must contain "bench"). It is dropped, created and migrated at the start of every run and
dropped at the end (--keep keeps it; --reuse migrates a kept one and empties its people,
accounts, appraisal, ballot, audit and session tables instead of creating it afresh).

The world, through the services where it matters (`world_build`, shared with
bench/appraisals_load.py): the year's rules adopted with `rules_adopt` (the example rules of
DOMAIN §3.6: leaders 30 : cadres 30 : staff 40, the staff's quorum of 2/3, 优秀/称职/基本称职/不称职
and 好/较好/一般/差, 诫勉谈话 when 优秀+称职 < 2/3, 考虑调整 when 不称职 > 1/3; the reports
published 0 days ahead, so that the bench need not wait three days), a round (`round_create`),
--units colleges (`unit_add`), each with --cadres cadres and their reports (bulk-created: a
setup shortcut) and its electorate from the roster (`voters_fill`: 70–120 staff plus the cadres)
and the university's 10 leaders voting in every unit (`voters_add`): 100–150 voters per unit in
three categories. The round's opening time is then moved to 1.5 s ahead (a direct update: a
setup shortcut), the reports go out (`reports_publish`) and, once that moment has come, voting
opens (`voting_open`: one ballot box per unit in core's store, with the same items and
electorate the site uses).

The ballots are written straight into core's tables (a setup shortcut: casting 10,000 ballots
one by one would take minutes and measures nothing here): per unit a turnout drawn between 63 %
and 95 % of the staff (so a few units miss the 2/3 quorum), 80 % of the leaders, 90 % of the
cadres; those voters marked `voted` in `BallotVoter`, and one `Ballot` each with the box's item
keys (`c<cadre id>` and `team`), grades drawn per cadre (most cadres mostly 优秀/称职; one in 80
weak, flagged 诫勉谈话; one in 700 flagged 考虑调整). Then voting closes through the service
(`voting_close`: every box closed, its ballots written again in one random order).

Measured, --runs times (the round put back to 投票已截止 between runs: its turnout and result
rows deleted, its status reset):

- `round_tally`, the real service: the step (lock, guard, event, audit), every unit's turnout
  against its quorum, every cadre's and team's counts per category, weighted shares, score and
  flags, written (`UnitTurnout`, `AppraisalResult`); target < 2 s;
- the floor: one SQL statement counting the ballots per box × item × grade × category with
  `jsonb_each_text`, and the voters and those who voted per box × category.

Each: median, p95, min, max (ms); for the service also the median CPU time of this process (the
wall time less the database's own work and a busy machine's waits) and its SQL queries. The script checks that the floor's
counts equal the stored results' counts and turnout. Prints a table and writes
bench/out/appraisals_tally.json.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import database_check, drop_database, ensure_database  # noqa: E402  (bench/ is the script's folder)
from people_api import GIVEN, SURNAMES, percentile  # noqa: E402  (the roster's names)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gonghui_bench_appraisals_tally"
LEADERS = 10  # the university's leaders, who vote in every unit
POSTS = [
    "院长",
    "党委书记",
    "常务副院长",
    "党委副书记",
    "副院长",
    "副院长",
    "副院长",
    "纪委书记",
    "院长助理",
    "院长助理",
]
CADRE_GRADES = ("excellent", "competent", "basic", "incompetent")
TEAM_GRADES = ("good", "fair", "average", "poor")
# grade weights per cadre profile (优秀, 称职, 基本称职, 不称职)
PROFILES = {
    "usual": (55, 36, 7, 2),
    "weak": (12, 38, 32, 18),  # 优秀+称职 about 1/2: 诫勉谈话
    "failing": (5, 20, 25, 50),  # 不称职 about 1/2: 考虑调整 (and 诫勉谈话)
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100, help="colleges in the round (default 100)")
    parser.add_argument("--cadres", type=int, default=20, help="cadres per unit (default 20)")
    parser.add_argument("--runs", type=int, default=7, help="timed tallies (default 7)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile one more tally: top N functions")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--reuse", action="store_true", help="empty a kept database instead of migrating afresh")
    return parser.parse_args()


# --- the database --------------------------------------------------------------------------------


def database_ready(*, reuse: bool) -> None:
    """The bench's database (DATABASE_URL) created and migrated afresh; with `reuse`, an
    existing one migrated and its people, accounts, appraisal and ballot tables emptied."""
    if not reuse:
        drop_database()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if reuse:
        tables_empty()


def tables_empty() -> None:
    """Empty the people, accounts, appraisal, ballot, audit and session tables."""
    from django.db import connection

    prefixes = ("appraisals_", "core_ballot", "people_", "accounts_", "core_auditevent", "django_session")
    with connection.cursor() as cursor:
        cursor.execute("select tablename from pg_tables where schemaname = 'public'")
        tables = [t for (t,) in cursor.fetchall() if t.startswith(prefixes)]
        cursor.execute("truncate " + ", ".join(f'"{t}"' for t in tables) + " restart identity cascade")


# --- the world (shared with appraisals_load.py) ----------------------------------------------------


def _name(rng: random.Random) -> tuple[str, str]:
    surname, given = rng.choice(SURNAMES), rng.sample(GIVEN, rng.choice((1, 2)))
    return surname[0] + "".join(g[0] for g in given), surname[1] + "".join(g[1] for g in given)


def office_user():
    from gonghui.accounts.models import RoleAssignment, User
    from gonghui.accounts.roles import Role

    office, created = User.objects.get_or_create(username="bench-office")
    if created:
        RoleAssignment.objects.create(user=office, role=Role.UNION_OFFICE)
    return office


def world_build(
    *,
    units: int,
    cadres: int,
    staff: tuple[int, int],
    leaders: int,
    seed: int,
    closes_in: datetime.timedelta,
    log=print,
) -> dict:
    """A round voting now in `units` colleges: each with `cadres` cadres and `staff` (a range)
    active staff, and the university's `leaders` voting in every unit. Rules, round, units,
    voters, publishing and opening through the services; people and cadres bulk-created."""
    from django.db import connection
    from django.utils import timezone

    from gonghui.appraisals.choices import VotingMode
    from gonghui.appraisals.models import AppraisalRound, Cadre, RoundUnit
    from gonghui.appraisals.services import rounds as round_services
    from gonghui.appraisals.services.rules import rules_adopt, rules_text
    from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, SubUnionKind
    from gonghui.people.models import Person, SubUnion, Union

    rng = random.Random(seed)
    started = time.perf_counter()
    office = office_user()
    union = Union.objects.create(name="示范大学工会", university="示范大学")
    offices = SubUnion.objects.create(union=union, code="JG", name="机关分工会", kind=SubUnionKind.OFFICE)
    colleges = [
        SubUnion.objects.create(union=union, code=f"C{i:03d}", name=f"第{i + 1}学院分工会", kind=SubUnionKind.COLLEGE)
        for i in range(units)
    ]
    people: list = []

    def person(staff_no: str, sub_union) -> None:
        name, pinyin = _name(rng)
        people.append(
            Person(
                staff_no=staff_no,
                name=name,
                name_pinyin=pinyin,
                gender=rng.choice((Gender.MALE, Gender.FEMALE)),
                birth_date=datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(14000)),
                employment_status=EmploymentStatus.ACTIVE,
                coverage_type=CoverageType.INSURANCE,
                sub_union=sub_union,
            )
        )

    for i in range(leaders):
        person(f"L{i + 1:04d}", offices)
    sizes = {}
    for u, college in enumerate(colleges):
        sizes[college.pk] = rng.randint(*staff)
        for k in range(cadres + sizes[college.pk]):
            person(f"U{u:03d}{k:04d}", college)
    Person.objects.bulk_create(people, batch_size=2000)

    now = timezone.now()
    rules = rules_adopt(
        actor=office,
        year=now.year,
        name="",
        quorum_numerator=2,
        quorum_denominator=3,
        report_days=0,
        mode=VotingMode.ONLINE,
        team_ballot=True,
        text=rules_text(None),
        adopted_on=now.date(),
        resolution="党委组织部〔bench〕1号",
    )
    appraisal_round = round_services.round_create(
        actor=office,
        year=now.year,
        title=f"{now.year}年度中层干部民主测评（bench）",
        opens_at=now + datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1) + closes_in,
    )
    round_units = [
        round_services.unit_add(actor=office, appraisal_round=appraisal_round, sub_union=c) for c in colleges
    ]
    staff_nos = {}
    for u, unit in enumerate(round_units):
        staff_nos[unit.pk] = [f"U{u:03d}{k:04d}" for k in range(cadres)]
    by_staff_no = dict(Person.objects.filter(sub_union__in=colleges).values_list("staff_no", "pk"))
    Cadre.objects.bulk_create(
        (
            Cadre(
                round_unit=unit,
                person_id=by_staff_no[staff_no],
                post=POSTS[k] if k < len(POSTS) else "系主任",
                position=k,
                report_text=f"{unit.sub_union.name}干部述职报告：一年来的思想政治、履职尽责、作风建设和廉洁自律情况。",
            )
            for unit in round_units
            for k, staff_no in enumerate(staff_nos[unit.pk])
        ),
        batch_size=2000,
    )
    for unit in round_units:
        round_services.voters_fill(actor=office, unit=unit, staff_category="staff", cadre_category="cadre")
    round_services.voters_add(
        actor=office, units=round_units, staff_numbers=[f"L{i + 1:04d}" for i in range(leaders)], category="leader"
    )
    # a setup shortcut: the opening time moved to just ahead (the office would have set it so),
    # then the reports out (0 days ahead under these rules) and voting open through the services
    opens_at = timezone.now() + datetime.timedelta(seconds=1.5)
    AppraisalRound.objects.filter(pk=appraisal_round.pk).update(opens_at=opens_at, closes_at=opens_at + closes_in)
    appraisal_round.refresh_from_db()
    round_services.reports_publish(actor=office, appraisal_round=appraisal_round)
    time.sleep(max(0.0, (opens_at - timezone.now()).total_seconds()) + 0.05)
    round_services.voting_open(actor=office, appraisal_round=appraisal_round)
    with connection.cursor() as cursor:
        cursor.execute("analyze")
    units_ = list(
        RoundUnit.objects.filter(round=appraisal_round).select_related("sub_union", "box").order_by("sub_union__code")
    )
    log(
        f"world: {units} units × {cadres} cadres, {len(people):,} people, "
        f"{sum(len(b.box.items) for b in units_[:1])} items a ballot; built in {time.perf_counter() - started:.1f} s",
    )
    return {"office": office, "round": appraisal_round, "units": units_, "rules": rules}


# --- the ballots ---------------------------------------------------------------------------------------


def ballots_write(units, seed: int) -> dict:
    """Per unit: who voted (a turnout drawn per unit and category) marked in BallotVoter, and
    their ballots in Ballot with the box's item keys; returns the figures written."""
    from gonghui.core.models import Ballot, BallotVoter

    rng = random.Random(seed + 1)
    turnout = {"leader": (0.8, 0.8), "cadre": (0.9, 0.9), "staff": (0.63, 0.95)}
    voted_ids, ballots = [], []
    n = 0
    for unit in units:
        items = unit.box.items
        cadre_profile = {}
        for item in items:
            if item["key"] != "team":  # one cadre in 80 weak, one in 700 failing
                cadre_profile[item["key"]] = "failing" if n % 700 == 350 else "weak" if n % 80 == 17 else "usual"
                n += 1
        rates = {category: rng.uniform(*span) for category, span in turnout.items()}
        for pk, category in BallotVoter.objects.filter(box=unit.box).values_list("pk", "category"):
            if rng.random() >= rates[category]:
                continue
            voted_ids.append(pk)
            choices = {}
            for item in items:
                if item["key"] == "team":
                    choices["team"] = rng.choices(TEAM_GRADES, (50, 35, 12, 3))[0]
                else:
                    choices[item["key"]] = rng.choices(CADRE_GRADES, PROFILES[cadre_profile[item["key"]]])[0]
            ballots.append(Ballot(box=unit.box, category=category, unit_id=unit.sub_union_id, choices=choices))
    for start in range(0, len(voted_ids), 5000):
        BallotVoter.objects.filter(pk__in=voted_ids[start : start + 5000]).update(voted=True)
    rng.shuffle(ballots)
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    return {"ballots": len(ballots), "voters": BallotVoter.objects.filter(box__in=[u.box for u in units]).count()}


# --- the measurements ----------------------------------------------------------------------------------

# Ballots per box × category × item × grade (jsonb_each_text), and the voters and those who
# voted per box × category: what the tally reads, in one statement.
FLOOR_SQL = """
with counted as (
    select b.box_id, b.category, kv.key as item, kv.value as grade, count(*) as n
    from appraisals_roundunit u
    join core_ballot b on b.box_id = u.box_id
    cross join lateral jsonb_each_text(b.choices) kv
    where u.round_id = %(round)s
    group by b.box_id, b.category, kv.key, kv.value
), turnout as (
    select v.box_id, v.category, count(*) as voters, count(*) filter (where v.voted) as voted
    from appraisals_roundunit u
    join core_ballotvoter v on v.box_id = u.box_id
    where u.round_id = %(round)s
    group by v.box_id, v.category
)
select 'ballots', box_id, category, item, grade, n, null from counted
union all
select 'turnout', box_id, category, null, null, voters, voted from turnout
"""


def tally_reset(appraisal_round) -> None:
    """The round back to 投票已截止, its turnout and results gone (the events stay)."""
    from gonghui.appraisals.choices import RoundStatus
    from gonghui.appraisals.models import AppraisalResult, AppraisalRound, UnitTurnout

    AppraisalResult.objects.filter(round_unit__round=appraisal_round).delete()
    UnitTurnout.objects.filter(round_unit__round=appraisal_round).delete()
    AppraisalRound.objects.filter(pk=appraisal_round.pk).update(status=RoundStatus.VOTING_CLOSED, tallied_at=None)
    appraisal_round.refresh_from_db()


def tally_once(office, appraisal_round) -> tuple[float, float]:
    """The wall time of one `round_tally`, and this process's CPU time in it (Django and Python:
    the wall time less the database's work and the waits of a busy machine)."""
    from gonghui.appraisals.services.rounds import round_tally

    started, cpu = time.perf_counter(), time.process_time()
    round_tally(actor=office, appraisal_round=appraisal_round)
    return time.perf_counter() - started, time.process_time() - cpu


def floor_once(round_id: int) -> tuple[float, list]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"round": round_id})
        rows = cursor.fetchall()
    return time.perf_counter() - started, rows


def floor_check(rows: list, appraisal_round, units) -> dict:
    """The floor's figures against what round_tally stored: every cadre's and team's counts
    per category and grade, and every unit's online turnout per category."""
    from gonghui.appraisals.models import AppraisalResult, UnitTurnout

    box_unit = {u.box_id: u.pk for u in units}
    floor_counts: dict = {}
    floor_turnout: dict = {}
    for kind, box_id, category, item, grade, n, voted in rows:
        if kind == "ballots":
            floor_counts[(box_unit[box_id], item, category, grade)] = n
        else:
            floor_turnout[(box_unit[box_id], category)] = (n, voted)
    stored_counts = {}
    flags = Counter()
    for result in AppraisalResult.objects.filter(round_unit__round=appraisal_round):
        item = f"c{result.cadre_id}" if result.cadre_id else "team"
        for category, grades in result.counts.items():
            for grade, n in grades.items():
                if n:
                    stored_counts[(result.round_unit_id, item, category, grade)] = n
        flags.update(result.flags)
    assert stored_counts == floor_counts, "the floor's counts differ from the stored results"
    stored_turnout = {}
    below = 0
    for turnout in UnitTurnout.objects.filter(round_unit__round=appraisal_round):
        for category, figures in turnout.by_category.items():
            if figures["eligible"]:
                stored_turnout[(turnout.round_unit_id, category)] = (figures["eligible"], figures["online"])
        below += not turnout.quorum_met
    assert stored_turnout == floor_turnout, "the floor's turnout differs from the stored turnout"
    return {"units_below_quorum": below, "flags": dict(flags)}


def stats(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "runs": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "min_ms": round(min(ms), 1),
        "max_ms": round(max(ms), 1),
        "all_ms": [round(m, 1) for m in ms],
    }


def main():
    args = parse_args()
    database_check(DEFAULT_DATABASE)
    # The test settings: in-memory cache, fast password hashing, no outside e-mail, DEBUG off.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here
    started = time.perf_counter()
    database_ready(reuse=args.reuse)
    print(
        f"database {urlparse(os.environ['DATABASE_URL']).path.lstrip('/')} migrated in {time.perf_counter() - started:.1f} s"
    )
    try:
        report = run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "appraisals_tally.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"wrote {path.relative_to(ROOT)}")


def run(args) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.appraisals.services import rounds as round_services
    from gonghui.core.models import Ballot

    world = world_build(
        units=args.units,
        cadres=args.cadres,
        staff=(70, 120),
        leaders=LEADERS,
        seed=args.seed,
        closes_in=datetime.timedelta(hours=2),
    )
    office, appraisal_round, units = world["office"], world["round"], world["units"]
    started = time.perf_counter()
    written = ballots_write(units, args.seed)
    round_services.voting_close(actor=office, appraisal_round=appraisal_round)
    with connection.cursor() as cursor:
        cursor.execute("analyze")
    print(
        f"{written['ballots']:,} ballots of {written['voters']:,} voters written and the boxes closed "
        f"(voting_close) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    assert Ballot.objects.filter(box__in=[u.box for u in units]).count() == written["ballots"]

    # one untimed tally with its queries counted (the first also warms up imports and plans)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        first, _cpu = tally_once(office, appraisal_round)
    queries = len(captured)
    tally_reset(appraisal_round)
    timings, cpu = [], []
    for _ in range(args.runs):
        wall, used = tally_once(office, appraisal_round)
        timings.append(wall)
        cpu.append(used)
        tally_reset(appraisal_round)
    floor_timings, rows = [], []
    floor_once(appraisal_round.pk)  # warm-up
    for _ in range(args.runs):
        seconds, rows = floor_once(appraisal_round.pk)
        floor_timings.append(seconds)
    tally_once(office, appraisal_round)  # leave one tally to check against the floor
    checked = floor_check(rows, appraisal_round, units)
    if args.profile:
        tally_reset(appraisal_round)
        profiler = cProfile.Profile()
        profiler.enable()
        tally_once(office, appraisal_round)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())

    service, floor = stats(timings), stats(floor_timings)
    service["cpu_median_ms"] = round(statistics.median(cpu) * 1000, 1)
    print()
    print(f"| {'measure':<46} | runs | median ms | p95 ms | min ms | max ms | CPU median ms | queries |")
    print(f"|{'-' * 48}|-----:|----------:|-------:|-------:|-------:|--------------:|--------:|")
    for label, figures, q in (
        ("round_tally (the service, writes the results)", service, queries),
        ("floor: one SQL statement (jsonb_each_text)", floor, 1),
    ):
        used = f"{figures['cpu_median_ms']:.1f}" if "cpu_median_ms" in figures else "—"
        print(
            f"| {label:<46} | {figures['runs']:>4} | {figures['median_ms']:>9.1f} | {figures['p95_ms']:>6.1f} "
            f"| {figures['min_ms']:>6.1f} | {figures['max_ms']:>6.1f} | {used:>13} | {q:>7} |"
        )
    ratio = service["median_ms"] / max(floor["median_ms"], 0.01)
    print(
        f"\nload average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
        f"first (cold) tally {first * 1000:.0f} ms; service / floor ×{ratio:.1f}; "
        f"{checked['units_below_quorum']} units below quorum; flags {checked['flags']}; "
        f"results {len(rows)} floor rows; round_tally median < 2 s: {'yes' if service['median_ms'] < 2000 else 'NO'}, "
        f"p95 < 2 s: {'yes' if service['p95_ms'] < 2000 else 'NO'}"
    )
    return {
        "units": args.units,
        "cadres_per_unit": args.cadres,
        "items_per_ballot": len(units[0].box.items),
        "voters": written["voters"],
        "ballots": written["ballots"],
        "round_tally": {**service, "queries": queries, "first_ms": round(first * 1000, 1)},
        "floor": floor,
        "ratio": round(ratio, 1),
        **checked,
        "under_2s": service["p95_ms"] < 2000,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


if __name__ == "__main__":
    main()

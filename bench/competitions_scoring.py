"""Teaching competition (青教赛) scoring benchmark on PostgreSQL: the judges' sheets to final
scores, ranks and prizes (`competition_results`) against one set-based SQL statement.

    .venv/bin/python bench/competitions_scoring.py                    # realistic: 1 edition, 40 entries × 7 judges × 3 parts
    .venv/bin/python bench/competitions_scoring.py --size large       # 1 edition, 20,000 entries in 100 groups × 7 judges
    .venv/bin/python bench/competitions_scoring.py --size many        # 200 editions × 100 entries × 7 judges
    .venv/bin/python bench/competitions_scoring.py --runs 25 --keep   # more runs; keep the database
    .venv/bin/python bench/competitions_scoring.py --profile 30       # and the 30 costliest functions

DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/gonghui_bench_competitions_scoring;
its name must contain "bench"). It is dropped, created and migrated at the start of every run and
dropped at the end (--keep keeps it).

The world: the year's rules adopted with `rules_adopt` (the examples of DOMAIN §3.7: 教学设计 20 /
课堂教学 75 / 教学反思 5 with full marks equal to the weights, one highest and one lowest score
dropped from five scores up, two places half up, ties by 课堂教学 then 教学设计, 一/二/三等奖 20/30/50 %,
--groups groups), --editions editions (`competition_create`), and — a setup shortcut, bulk-created:
--entries contestants per edition spread over the groups and 20 colleges, seven judges per group
(six outside experts and one professor of a college, who scores no contestant of it: those
contestants have six sheets), and every sheet submitted with its three part scores (drawn around
a level per contestant, in steps of 0.5, reflection in 0.1).

Measured, --runs times each:

- `competition_results`, the real selector the office's results page, `scoring_close` and
  `results_publish` call: the submitted scores read, each part's trimmed mean, the weighted
  final (exact fractions, rounded once), the ranks with the tie-break and the prizes per group —
  once per edition;
- the floor: one SQL statement over all the editions: per entry and part, `row_number()` over the
  part's scores in order and `count(*)`, the kept scores summed and counted, weighted,
  summed over the parts, rounded, and ranked in the group (`rank()`, no tie-break).

Each: median, p95, min, max (ms); for the selector also the median CPU time of this process and
its SQL queries. The script checks that the floor's final score of every entry equals the
selector's. Prints a table and writes bench/out/competitions_scoring-<size>.json.
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
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import database_check, database_fresh, drop_database  # noqa: E402  (bench/ is the script's folder)
from people_api import GIVEN, SURNAMES, percentile  # noqa: E402  (the roster's names)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gonghui_bench_competitions_scoring"
SIZES = {  # editions, entries per edition, groups
    "realistic": (1, 40, 2),
    "large": (1, 20000, 100),
    "many": (200, 100, 2),
}
JUDGES = 7  # per group: six outside experts and one professor
COLLEGES = 20
PARTS = (
    ("design", "教学设计", 20, Decimal("0.5")),
    ("classroom", "课堂教学", 75, Decimal("0.5")),
    ("reflection", "教学反思", 5, Decimal("0.1")),
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="realistic")
    parser.add_argument("--runs", type=int, default=0, help="timed runs of each (default 25, 7 for large and many)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile one more run: top N functions")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


# --- the database --------------------------------------------------------------------------------


# --- the world -------------------------------------------------------------------------------------


def _name(rng: random.Random) -> tuple[str, str]:
    surname, given = rng.choice(SURNAMES), rng.sample(GIVEN, rng.choice((1, 2)))
    return surname[0] + "".join(g[0] for g in given), surname[1] + "".join(g[1] for g in given)


def _score(full: int, step: Decimal, fraction: float) -> Decimal:
    value = (Decimal(str(full * fraction)) / step).to_integral_value() * step
    return min(max(value, Decimal(0)), Decimal(full))


def world_build(*, editions: int, entries: int, groups: int, seed: int) -> dict:
    """`editions` editions under one year's rules, each with `entries` contestants over `groups`
    groups; rules and editions through the services, people, entries, judges, sheets and scores
    bulk-created (a setup shortcut)."""
    from django.db import connection
    from django.utils import timezone

    from gonghui.accounts.models import RoleAssignment, User
    from gonghui.accounts.roles import Role
    from gonghui.competitions.choices import EntryStatus, Level, SheetStatus
    from gonghui.competitions.models import Entry, Judge, PartScore, ScoreSheet
    from gonghui.competitions.services.competitions import competition_create
    from gonghui.competitions.services.rules import (
        DEFAULT_PARTS,
        DEFAULT_PRIZES,
        DEFAULT_SPECIALS,
        RulesSettings,
        RulesText,
        rules_adopt,
    )
    from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, SubUnionKind
    from gonghui.people.models import Person, SubUnion, Union

    rng = random.Random(seed)
    started = time.perf_counter()
    office, _created = User.objects.get_or_create(username="bench-office")
    RoleAssignment.objects.get_or_create(user=office, role=Role.UNION_OFFICE)
    union = Union.objects.create(name="示范大学工会", university="示范大学")
    colleges = [
        SubUnion.objects.create(union=union, code=f"C{i:02d}", name=f"第{i + 1}学院分工会", kind=SubUnionKind.COLLEGE)
        for i in range(COLLEGES)
    ]
    year = timezone.localdate().year
    rules = rules_adopt(
        actor=office,
        settings=RulesSettings(level=Level.UNIVERSITY, year=year, name=f"{year}年青年教师教学基本功比赛方案（bench）"),
        text=RulesText(
            groups="\n".join(f"g{g:03d} 学科{g + 1} A组" for g in range(groups)),
            parts=DEFAULT_PARTS,
            prizes=DEFAULT_PRIZES,
            specials=DEFAULT_SPECIALS,
        ),
        adopted_on=timezone.localdate(),
        resolution="校工会〔bench〕1号",
    )
    group_rows = list(rules.groups.order_by("position"))
    parts = {p.code: p for p in rules.parts.all()}
    competitions = [
        competition_create(
            actor=office,
            level=Level.UNIVERSITY,
            year=year,
            number=n + 1,
            title=f"第{n + 1}届青年教师教学基本功比赛（bench）",
        )
        for n in range(editions)
    ]

    # the contestants and the professors on the panels (one per group and edition)
    people = []
    for c in range(editions):
        for k in range(entries + groups):
            name, pinyin = _name(rng)
            people.append(
                Person(
                    staff_no=f"B{c:03d}{k:05d}",
                    name=name,
                    name_pinyin=pinyin,
                    gender=rng.choice((Gender.MALE, Gender.FEMALE)),
                    birth_date=datetime.date(1982, 1, 1) + datetime.timedelta(days=rng.randrange(4000)),
                    employment_status=EmploymentStatus.ACTIVE,
                    coverage_type=CoverageType.INSURANCE,
                    # a contestant's college (entries); a professor's (the panels)
                    sub_union=colleges[(k // groups) % COLLEGES if k < entries else k % COLLEGES],
                )
            )
    Person.objects.bulk_create(people, batch_size=5000)
    by_staff_no = dict(Person.objects.values_list("staff_no", "pk"))
    experts = User.objects.bulk_create(
        [User(username=f"bench-pw{j:02d}", first_name=f"评委{j}") for j in range(JUDGES - 1)]
    )
    professors = User.objects.bulk_create(
        [
            User(username=f"B{c:03d}{entries + g:05d}", person_id=by_staff_no[f"B{c:03d}{entries + g:05d}"])
            for c in range(editions)
            for g in range(groups)
        ],
        batch_size=5000,
    )
    professor_of = {(c, g): professors[c * groups + g] for c in range(editions) for g in range(groups)}

    entry_rows, judge_rows = [], []
    for c, competition in enumerate(competitions):
        for k in range(entries):
            g = k % groups
            entry_rows.append(
                Entry(
                    competition=competition,
                    person_id=by_staff_no[f"B{c:03d}{k:05d}"],
                    college=colleges[(k // groups) % COLLEGES],
                    group=group_rows[g],
                    status=EntryStatus.DRAWN,
                    appearance=k // groups + 1,
                    lesson_drawn=1 + k % 5,
                    nominated_by=office,
                )
            )
        for g, group in enumerate(group_rows):
            for j, expert in enumerate(experts):
                judge_rows.append(
                    Judge(competition=competition, group=group, user=expert, name=expert.first_name, is_chief=j == 0)
                )
            professor = professor_of[(c, g)]
            judge_rows.append(
                Judge(
                    competition=competition,
                    group=group,
                    user=professor,
                    name=professor.username,
                    college=colleges[(entries + g) % COLLEGES],
                )
            )
    Entry.objects.bulk_create(entry_rows, batch_size=5000)
    Judge.objects.bulk_create(judge_rows, batch_size=5000)
    judges_of: dict[tuple[int, int], list] = {}
    for judge in Judge.objects.all():
        judges_of.setdefault((judge.competition_id, judge.group_id), []).append(judge)

    now = timezone.now()
    entries_all = list(Entry.objects.all())
    sheets = []
    for entry in entries_all:
        for judge in judges_of[(entry.competition_id, entry.group_id)]:
            if judge.college_id != entry.college_id:
                sheets.append(ScoreSheet(entry=entry, judge=judge, status=SheetStatus.SUBMITTED, submitted_at=now))
    ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
    level = {e.pk: rng.uniform(0.74, 0.95) for e in entries_all}
    scores = []
    for sheet_id, entry_id in ScoreSheet.objects.values_list("pk", "entry_id"):
        for code, _label, full, step in PARTS:
            fraction = level[entry_id] + rng.uniform(-0.03, 0.03)
            scores.append(PartScore(sheet_id=sheet_id, part=parts[code], score=_score(full, step, fraction)))
        if len(scores) >= 30000:
            PartScore.objects.bulk_create(scores, batch_size=5000)
            scores = []
    PartScore.objects.bulk_create(scores, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("analyze")
    print(
        f"world: {editions} edition(s) × {entries:,} entries in {groups} groups, {len(sheets):,} sheets, "
        f"{len(sheets) * len(PARTS):,} part scores; built in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return {"competitions": competitions, "rules": rules, "sheets": len(sheets)}


# --- the measurements ----------------------------------------------------------------------------

# Per entry and part: the submitted scores numbered from the lowest (the highest are the last
# `trim_highest` of the `n`: one sort, not two); the kept ones (all when fewer than the trimming
# needs) summed and counted; weighted (multiplied before dividing, so that a mean of 63.625 out
# of 75 stays 63.625 and is not 63.6249…) and summed; rounded once; ranked in the group. One
# statement for all the editions.
FLOOR_SQL = """
with scores as (
    select s.entry_id, p.part_id, p.score,
           row_number() over part_scores as from_low,
           count(*) over (partition by s.entry_id, p.part_id) as n
    from competitions_partscore p
    join competitions_scoresheet s on s.id = p.sheet_id
    join competitions_entry e on e.id = s.entry_id
    where e.competition_id = any(%(competitions)s) and s.status = 'submitted'
      and e.status in ('drawn', 'scored', 'placed', 'not_placed', 'recommended')
    window part_scores as (partition by s.entry_id, p.part_id order by p.score)
), kept as (
    select entry_id, part_id, sum(score) as total, count(*) as kept
    from scores
    where n < %(min_scores)s or (from_low > %(trim_lowest)s and from_low <= n - %(trim_highest)s)
    group by entry_id, part_id
), finals as (
    select m.entry_id, round(sum(m.total * sp.weight / (m.kept * sp.full_marks)), %(places)s) as final,
           count(*) as parts
    from kept m
    join competitions_scoringpart sp on sp.id = m.part_id
    group by m.entry_id
)
select f.entry_id, e.group_id, f.final,
       rank() over (partition by e.competition_id, e.group_id order by f.final desc) as rank
from finals f
join competitions_entry e on e.id = f.entry_id
where f.parts = %(parts)s
"""


def floor_once(params: dict) -> tuple[float, list]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, params)
        rows = cursor.fetchall()
    return time.perf_counter() - started, rows


def service_once(competitions) -> tuple[float, float, dict]:
    """The wall and CPU time of `competition_results` over every edition, and the finals."""
    from gonghui.competitions.selectors.results import competition_results

    started, cpu = time.perf_counter(), time.process_time()
    finals = {}
    for competition in competitions:
        for group in competition_results(competition):
            for result in group.ranked:
                finals[result.key.pk] = (result.final, result.rank)
    return time.perf_counter() - started, time.process_time() - cpu, finals


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


def run(args) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editions, entries, groups = SIZES[args.size]
    runs = args.runs or (25 if args.size == "realistic" else 7)
    world = world_build(editions=editions, entries=entries, groups=groups, seed=args.seed)
    competitions, rules = world["competitions"], world["rules"]
    params = {
        "competitions": [c.pk for c in competitions],
        "min_scores": max(rules.trim_min_scores, rules.trim_highest + rules.trim_lowest + 1),
        "trim_lowest": rules.trim_lowest,
        "trim_highest": rules.trim_highest,
        "places": rules.places,
        "parts": rules.parts.count(),
    }
    with CaptureQueriesContext(connection) as captured:
        first, _cpu, finals = service_once(competitions)  # also warms up imports and plans
    queries = len(captured)
    timings, cpu = [], []
    for _ in range(runs):
        wall, used, finals = service_once(competitions)
        timings.append(wall)
        cpu.append(used)
    floor_once(params)  # warm-up
    floor_timings, rows = [], []
    for _ in range(runs):
        seconds, rows = floor_once(params)
        floor_timings.append(seconds)
    floor_finals = {entry_id: final for entry_id, _group, final, _rank in rows}
    assert set(floor_finals) == set(finals), "the floor scores other entries than the selector"
    differ = [pk for pk, (final, _rank) in finals.items() if floor_finals[pk] != final]
    assert not differ, (
        f"{len(differ)} final scores differ, e.g. entry {differ[0]}: "
        f"{finals[differ[0]][0]} (selector), {floor_finals[differ[0]]} (floor)"
    )
    ranks_differ = sum(1 for entry_id, _g, _f, rank in rows if finals[entry_id][1] != rank)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        service_once(competitions)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())

    service, floor = stats(timings), stats(floor_timings)
    service["cpu_median_ms"] = round(statistics.median(cpu) * 1000, 1)
    print()
    print(f"| {'measure':<52} | runs | median ms | p95 ms | min ms | max ms | CPU median ms | queries |")
    print(f"|{'-' * 54}|-----:|----------:|-------:|-------:|-------:|--------------:|--------:|")
    for label, figures, q in (
        (f"competition_results × {editions} (the selector)", service, queries),
        ("floor: one SQL statement (row_number, sum, rank)", floor, 1),
    ):
        used = f"{figures['cpu_median_ms']:.1f}" if "cpu_median_ms" in figures else "—"
        print(
            f"| {label:<52} | {figures['runs']:>4} | {figures['median_ms']:>9.1f} | {figures['p95_ms']:>6.1f} "
            f"| {figures['min_ms']:>6.1f} | {figures['max_ms']:>6.1f} | {used:>13} | {q:>7} |"
        )
    ratio = service["median_ms"] / max(floor["median_ms"], 0.01)
    print(
        f"\nload average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
        f"first (cold) run {first * 1000:.0f} ms; selector / floor ×{ratio:.1f}; "
        f"{len(finals):,} final scores equal; {ranks_differ} ranks differ (the floor has no tie-break)"
    )
    return {
        "size": args.size,
        "editions": editions,
        "entries_per_edition": entries,
        "groups": groups,
        "judges_per_group": JUDGES,
        "sheets": world["sheets"],
        "part_scores": world["sheets"] * len(PARTS),
        "competition_results": {**service, "queries": queries, "first_ms": round(first * 1000, 1)},
        "floor": floor,
        "ratio": round(ratio, 1),
        "finals_equal": len(finals),
        "ranks_differ": ranks_differ,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def main():
    args = parse_args()
    database_check(DEFAULT_DATABASE)
    # The test settings: in-memory cache, fast password hashing, no outside e-mail, DEBUG off.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here
    started = time.perf_counter()
    database_fresh()
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
    path = OUT / f"competitions_scoring-{args.size}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

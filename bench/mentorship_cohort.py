"""Mentorship pairing (拜师结对) on PostgreSQL: the office's matching of a cohort, a running
cohort's board and report, and one pair's duty counters, each against a floor.

    .venv/bin/python bench/mentorship_cohort.py                    # realistic: 60 × 100 candidates, 50 pairs
    .venv/bin/python bench/mentorship_cohort.py --size large       # 600 × 1,000, 5,000 pairs, 200,000 duties, 1,000,000 people
    .venv/bin/python bench/mentorship_cohort.py --runs 25 --keep   # more runs; keep the database
    .venv/bin/python bench/mentorship_cohort.py --profile 30       # and the 30 costliest functions of each

DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/gonghui_bench_mentorship;
its name must contain "bench"). It is dropped, created and migrated at the start of every run and
dropped at the end (--keep keeps it). `bench/mentorship_matching.py` measures the matchings in
memory; this measures the services and selectors as the pages call them, on the database.

The world. The roster is `people_api.py`'s (one `INSERT … SELECT FROM generate_series`, 60
sub-unions with their groups): 10,000 people (realistic) or as many as make 1,000,000 with the
teachers below (large). The cohorts' teachers are in 20 of its colleges. Through the services:
the union office's rules for 2025 and 2027 (`rules_adopt`, DOMAIN §3.8's example: 副高级 and 5
years' teaching, the same discipline, one mentee each; new teachers under 40 hired within 3
years; 4 demonstrations and 8 observations a year; 合格 1200, 基本合格 600 + 600), and two cohorts
(`cohort_create`, `cohort_open`):

- 第10期 (from 2027-03-01), being matched: 60 new teachers and 100 possible mentors (realistic)
  or 600 and 1,000 (large), with the attributes `mentorship_matching.py` draws (30 disciplines of
  skewed sizes over 20 colleges, research fields, 3 campuses) and a teacher profile each
  (bulk-created). Realistic: each named with `candidate_add`, each ranking 10–20 of the other side
  (three quarters of their own discipline) with `candidate_rank`, and one new teacher in ten
  already proposed by their college with `pair_propose` (so both leave the matching: the new
  teacher paired, the mentor at their limit). Large: the same, bulk-created (the services would
  take minutes: each call checks the rules and writes an audit row).
- 第9期 (2025-03-01 … 2027-02-28, ceremony 2025-03-12), in its second cycle year: 50 pairs
  (realistic) or 5,000 (large), bulk-created signed, then started with `cohort_start` (every
  signed pair made active through core's `transition_bulk`); then, bulk-written, one pair in 25
  left unsigned, one in 50 withdrawn and one in 33 whose mentor changed (ended early, and a new
  pair following it that carries the time), and the duties: about 15 a pair a year (realistic,
  about 1,200) or 200,000 (large), spread from the start to today, 30 % demonstrations, 55 %
  observed lessons, 15 % meetings; 85 % confirmed, 10 % waiting, 5 % returned.

Measured, --runs times each after one untimed run (whose SQL queries are counted):

- `services.matching.matching_run` with method assignment, and with stable (each writes a
  MatchingRun row with its audit, as the office's button does) — end to end: the candidates and
  the rules read, the eligibility of each, the matching, the proposal written. Floor: one SQL
  statement reading the same inputs with the hard rules (age, hire, title, teaching years, live
  pairs and loads) applied in SQL, plus scipy's `linear_sum_assignment` alone on the cost matrix
  built from them beforehand (for stable, the statement alone: deferred acceptance is Python).
- `selectors.board.cohort_board(cohort)` against one grouped statement over the pairs and the
  current cycle year's duties;
- `selectors.report.cohort_report(user=office, cohort=…)` against one statement computing the
  same figures as a JSON document (the mentor-change chains with a recursive CTE, each pair's
  confirmed duties per cycle year and kind against the rules, per college; statuses, sources,
  grades and the stipend ledger);
- `selectors.counters.pair_counters(pair)` for one pair whose mentor changed (the pair fetched
  as its page fetches it, outside the timing) against one grouped statement over its chain.

Each: median, p95, min, max (ms), SQL statements (not BEGIN / COMMIT); for the Python side also
the median CPU time of this process. The report's floor runs with PostgreSQL's JIT off: its
estimated cost makes the server compile it, which takes longer than running it. The script checks that each floor's figures equal the selector's (the optimum's
pairs and cost, no blocking pair under stable, the board's counts per college, the report's
figures, the counters). Targets (the issue): assignment < 2 s, stable < 1 s at 600 × 1,000.
Prints a table and writes bench/out/mentorship_cohort-<size>.json.
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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import database_check, database_fresh, drop_database  # noqa: E402  (bench/ is the script's folder)
from mentorship_matching import cohort_build, rankings_add  # noqa: E402  (the candidates' attributes)
from people_api import GIVEN, SURNAMES, office_user, percentile  # noqa: E402  (the roster)
from people_api import load as roster_load  # noqa: E402  (the roster)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gonghui_bench_mentorship"
SIZES = {
    # mentee and mentor candidates, pairs of the running cohort, duties (None: 15 a pair a year), people
    "realistic": {"mentees": 60, "mentors": 100, "pairs": 50, "duties": None, "people": 10_000},
    "large": {"mentees": 600, "mentors": 1000, "pairs": 5000, "duties": 200_000, "people": 1_000_000},
}
COLLEGES = 20
TARGETS_MS = {"assignment": 2000, "stable": 1000}
RUNNING_STARTS = datetime.date(2025, 3, 1)
CEREMONY_ON = datetime.date(2025, 3, 12)
MATCHING_STARTS = datetime.date(2027, 3, 1)
COURSES = ("高等数学", "大学英语", "计量经济学", "民法总论", "有机化学", "数据结构", "中国近现代史纲要", "教学研讨")
KINDS = (("demonstration", 0.30), ("observation", 0.55), ("meeting", 0.15))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="realistic")
    parser.add_argument("--runs", type=int, default=0, help="timed runs of each (default 25, 7 for large)")
    parser.add_argument("--seed", type=int, default=38)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile one more run of each: top N")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


# --- the world -------------------------------------------------------------------------------------


def _name(rng: random.Random) -> tuple[str, str]:
    surname, given = rng.choice(SURNAMES), rng.sample(GIVEN, rng.choice((1, 2)))
    return surname[0] + "".join(g[0] for g in given), surname[1] + "".join(g[1] for g in given)


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def world_build(size: dict, seed: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from gonghui.mentorship.choices import DutyStatus, PairSource, PairStatus, Side, TitleRank
    from gonghui.mentorship.models import Candidate, DutyLog, Pair, TeacherProfile
    from gonghui.mentorship.services.cohorts import cohort_create, cohort_open, cohort_start
    from gonghui.mentorship.services.pairs import candidate_add, candidate_rank, pair_propose
    from gonghui.mentorship.services.rules import DEFAULT_GRADES, RulesSettings, rules_adopt
    from gonghui.people.choices import Gender
    from gonghui.people.models import Person, SubUnion

    started = time.perf_counter()
    rng = random.Random(seed)
    realistic = size["duties"] is None
    today = timezone.localdate()
    teachers = size["mentees"] + size["mentors"] + 2 * size["pairs"] + size["pairs"] // 33 + 1
    roster_load(size["people"] - teachers, reload=True)
    roster_s = time.perf_counter() - started
    office = office_user()
    colleges = list(SubUnion.objects.filter(parent__isnull=True).order_by("code")[:COLLEGES])

    rules = {
        year: rules_adopt(
            actor=office,
            settings=RulesSettings(year=year, name=f"{year}年青年教师拜师结对实施办法（bench）"),
            grades=DEFAULT_GRADES,
            adopted_on=datetime.date(year - 1, 12, 1),
            resolution=f"校工会〔{year}〕bench号",
        )
        for year in (2025, 2027)
    }
    running = cohort_create(actor=office, number=9, rules=rules[2025], starts_on=RUNNING_STARTS)
    running = cohort_open(actor=office, cohort=running)
    matching = cohort_create(actor=office, number=10, rules=rules[2027], starts_on=MATCHING_STARTS)
    matching = cohort_open(actor=office, cohort=matching)

    # --- the teachers: persons and profiles, bulk-created
    new, old, trng = cohort_build(mentees=size["mentees"], mentors=size["mentors"], seed=seed)
    new, old = rankings_add(new, old, trng)
    people, profiles = [], []

    def person(staff_no: str, college: int, born: datetime.date) -> Person:
        name, pinyin = _name(rng)
        row = Person(
            staff_no=staff_no,
            name=name,
            name_pinyin=pinyin,
            name_initials="".join(part[0] for part in pinyin.split()) if " " in pinyin else pinyin[:1],
            gender=rng.choice((Gender.MALE, Gender.FEMALE)),
            birth_date=born,
            sub_union=colleges[college],
        )
        people.append(row)
        return row

    def profile(row: Person, teacher, *, mentor: bool) -> None:
        if mentor:
            since = _day(rng, datetime.date(1995, 9, 1), datetime.date(2018, 9, 1))
            rank = TitleRank.SENIOR if rng.random() < 0.4 else TitleRank.ASSOCIATE
            title, hired = ("教授" if rank == TitleRank.SENIOR else "副教授"), since
        else:
            hired = _day(rng, datetime.date(2024, 7, 1), datetime.date(2026, 9, 1))
            rank, title, since = TitleRank.INTERMEDIATE, "讲师", hired
        profiles.append(
            TeacherProfile(
                person=row,
                title=title,
                title_rank=rank,
                discipline=teacher.discipline,
                research_field=teacher.research_field,
                campus=teacher.campus,
                hired_on=hired,
                teaching_since=since,
            )
        )

    fake_to_person: dict[int, Person] = {}
    for k, teacher in enumerate(new):
        row = person(
            f"TN{k:05d}", teacher.college_id - 1, _day(rng, datetime.date(1988, 4, 1), datetime.date(1998, 1, 1))
        )
        profile(row, teacher, mentor=False)
        fake_to_person[teacher.person_id] = row
    for k, teacher in enumerate(old):
        row = person(
            f"TM{k:05d}", teacher.college_id - 1, _day(rng, datetime.date(1960, 1, 1), datetime.date(1985, 1, 1))
        )
        profile(row, teacher, mentor=True)
        fake_to_person[teacher.person_id] = row
    # the running cohort's mentors and mentees (and the mentors who take over after a change)
    running_pairs = []
    for k in range(size["pairs"]):
        college = k % COLLEGES if rng.random() < 0.9 else rng.randrange(COLLEGES)
        mentor = person(f"RM{k:05d}", college, _day(rng, datetime.date(1960, 1, 1), datetime.date(1985, 1, 1)))
        mentee = person(f"RN{k:05d}", college, _day(rng, datetime.date(1988, 1, 1), datetime.date(1997, 1, 1)))
        running_pairs.append((college, mentor, mentee))
    changers = [person(f"RC{k:05d}", k % COLLEGES, datetime.date(1970, 1, 1)) for k in range(size["pairs"] // 33 + 1)]
    Person.objects.bulk_create(people, batch_size=5000)
    TeacherProfile.objects.bulk_create(profiles, batch_size=5000)

    # --- 第10期: the candidates, their rankings, the pairs colleges already proposed
    new_people = [fake_to_person[t.person_id] for t in new]
    old_people = [fake_to_person[t.person_id] for t in old]
    rankings = {fake_to_person[t.person_id].pk: [fake_to_person[x].pk for x in t.ranking] for t in (*new, *old)}
    discipline_of = {fake_to_person[t.person_id].pk: t.discipline for t in (*new, *old)}
    prepaired = []
    free_mentors = {}
    for row in old_people:
        free_mentors.setdefault(discipline_of[row.pk], []).append(row)
    for row in new_people[::10]:
        same = free_mentors.get(discipline_of[row.pk])
        if same:
            prepaired.append((row, same.pop()))
    if realistic:
        candidates = [
            candidate_add(actor=office, cohort=matching, person=row, side=side)
            for side, rows in ((Side.MENTEE, new_people), (Side.MENTOR, old_people))
            for row in rows
        ]
        for candidate in candidates:
            candidate_rank(actor=office, candidate=candidate, ranking=rankings[candidate.person_id])
        for mentee, mentor in prepaired:
            pair_propose(actor=office, cohort=matching, mentor=mentor, mentee=mentee)
    else:
        now = timezone.now()
        Candidate.objects.bulk_create(
            [
                Candidate(
                    cohort=matching,
                    person=row,
                    side=side,
                    college_id=row.sub_union_id,
                    ranking=rankings[row.pk],
                    ranked_at=now,
                    added_by=office,
                )
                for side, rows in ((Side.MENTEE, new_people), (Side.MENTOR, old_people))
                for row in rows
            ]
        )
        Pair.objects.bulk_create(
            [
                Pair(
                    cohort=matching,
                    mentor=mentor,
                    mentee=mentee,
                    college_id=mentee.sub_union_id,
                    status=PairStatus.PROPOSED,
                    source=PairSource.COLLEGE,
                    proposed_by=office,
                )
                for mentee, mentor in prepaired
            ]
        )

    # --- 第9期: the pairs signed, the ceremony, then changes and duties written straight
    statuses = []
    for _k in range(size["pairs"]):
        draw = rng.random()
        statuses.append(PairStatus.PROPOSED if draw < 0.04 else PairStatus.WITHDRAWN if draw < 0.06 else "signed")
    with transaction.atomic():
        Pair.objects.bulk_create(
            [
                Pair(
                    cohort=running,
                    mentor=mentor,
                    mentee=mentee,
                    college_id=colleges[college].pk,
                    status=PairStatus.AGREED if status == "signed" else status,
                    source=PairSource.COLLEGE if rng.random() < 0.8 else PairSource.ASSIGNMENT,
                    agreement_signed_on=_day(rng, datetime.date(2025, 2, 20), datetime.date(2025, 3, 10))
                    if status == "signed"
                    else None,
                    proposed_by=office,
                )
                for (college, mentor, mentee), status in zip(running_pairs, statuses, strict=True)
            ],
            batch_size=5000,
        )
    running = cohort_start(actor=office, cohort=running, ceremony_on=CEREMONY_ON)
    active = list(Pair.objects.filter(cohort=running, status=PairStatus.ACTIVE).order_by("pk"))
    # a mentor change: the pair ends early, another follows it with the time carried
    changed, following = [], []
    for k, pair in enumerate(active[::33][: len(changers)]):
        ended = _day(rng, datetime.date(2025, 6, 1), today - datetime.timedelta(days=60))
        pair.status, pair.ended_on = PairStatus.ENDED_EARLY, ended
        changed.append(pair)
        following.append(
            Pair(
                cohort=running,
                mentor=changers[k],
                mentee_id=pair.mentee_id,
                college_id=pair.college_id,
                status=PairStatus.ACTIVE,
                source=PairSource.CHANGE,
                agreement_signed_on=ended,
                started_on=ended + datetime.timedelta(days=1),
                previous=pair,
                carried_days=(ended - pair.started_on).days + 1,
                proposed_by=office,
            )
        )
    Pair.objects.bulk_update(changed, ["status", "ended_on"])
    following = Pair.objects.bulk_create(following)
    successor = {p.previous_id: p for p in following}

    # duties, over each mentee's chain
    chains = [p for p in active]
    elapsed_years = (today - CEREMONY_ON).days / 365.25
    per_pair = size["duties"] / len(chains) if size["duties"] else 15 * elapsed_years
    duties, seen = [], set()
    kinds, kind_weights = [k for k, _w in KINDS], [w for _k, w in KINDS]
    for pair in chains:
        after = successor.get(pair.pk)
        count = max(0, round(rng.gauss(per_pair, per_pair * 0.2)))
        for n in range(count):
            held = _day(rng, pair.started_on, today)
            owner = after if after is not None and held > pair.ended_on else pair
            kind = rng.choices(kinds, kind_weights)[0]
            course = f"{rng.choice(COURSES)}（{n + 1}）"
            if (owner.pk, kind, held, course) in seen:
                continue
            seen.add((owner.pk, kind, held, course))
            draw = rng.random()
            status = DutyStatus.CONFIRMED if draw < 0.85 else DutyStatus.LOGGED if draw < 0.95 else DutyStatus.RETURNED
            duties.append(
                DutyLog(
                    pair=owner,
                    kind=kind,
                    held_on=held,
                    course=course,
                    hours=2 if kind != "meeting" else 1,
                    logged_by_id=owner.mentee_id if rng.random() < 0.7 else owner.mentor_id,
                    status=status,
                    confirmed_at=timezone.now() if status == DutyStatus.CONFIRMED else None,
                )
            )
        if len(duties) >= 20000:
            DutyLog.objects.bulk_create(duties, batch_size=5000)
            duties = []
    DutyLog.objects.bulk_create(duties, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("analyze")
    counts = {
        "people": Person.objects.count(),
        "candidates": Candidate.objects.filter(cohort=matching).count(),
        "prepaired": len(prepaired),
        "pairs": Pair.objects.filter(cohort=running).count(),
        "mentor_changes": len(following),
        "duties": DutyLog.objects.filter(pair__cohort=running).count(),
    }
    print(
        f"world: {counts['people']:,} people (roster {roster_s:.0f} s); 第10期 {size['mentees']} × {size['mentors']} "
        f"candidates ({len(prepaired)} already paired); 第9期 {counts['pairs']:,} pairs "
        f"({len(following)} after a mentor change), {counts['duties']:,} duties; "
        f"built in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    probe = following[len(following) // 2] if following else active[0]
    return {"office": office, "running": running, "matching": matching, "probe": probe.pk, "counts": counts}


# --- the floors ------------------------------------------------------------------------------------

# The matching's inputs with the hard rules applied: every candidate of the cohort with their
# person, college, profile and ranking, a mentor's live pairs in the cohort, a new teacher's.
INPUTS_SQL = """
with loads as (
    select mentor_id, count(*) as n from mentorship_pair
    where cohort_id = %(cohort)s and status = any(%(live)s) group by mentor_id
), paired as (
    select distinct mentee_id from mentorship_pair where cohort_id = %(cohort)s and status = any(%(live)s)
)
select c.side, p.id, p.name, p.sub_union_id, su.name, coalesce(t.discipline, ''), coalesce(t.research_field, ''),
       coalesce(t.campus, ''), c.ranking, coalesce(l.n, 0)
from mentorship_candidate c
join people_person p on p.id = c.person_id
join people_subunion su on su.id = p.sub_union_id
left join mentorship_teacherprofile t on t.person_id = p.id
left join loads l on l.mentor_id = p.id and c.side = 'mentor'
where c.cohort_id = %(cohort)s and p.employment_status = 'active'
  and case c.side
      when 'mentee' then date_part('year', age(%(on)s, p.birth_date)) < %(max_age)s
           and t.hired_on <= %(on)s and date_part('year', age(%(on)s, t.hired_on)) < %(hired_within)s
           and p.id not in (select mentee_id from paired)
      else t.title_rank = any(%(ranks)s) and date_part('year', age(%(on)s, t.teaching_since)) >= %(min_years)s
           and coalesce(l.n, 0) < %(max_mentees)s
      end
order by c.side, p.staff_no
"""

BOARD_SQL = """
with pairs as (
    select id, college_id, status from mentorship_pair where cohort_id = %(cohort)s and status <> 'withdrawn'
), tallies as (
    select college_id, count(*) as pairs,
           count(*) filter (where status = any(%(signed)s)) as agreed,
           count(*) filter (where status = 'active') as active,
           count(*) filter (where status = any(%(logging)s)) as logging,
           count(*) filter (where status = any(%(assessed)s)) as assessed
    from pairs group by college_id
), done as (
    select p.college_id, d.kind,
           count(*) filter (where d.status = 'confirmed') as confirmed,
           count(*) filter (where d.status = 'logged') as pending
    from mentorship_dutylog d join pairs p on p.id = d.pair_id
    where d.held_on between %(starts_on)s and %(ends_on)s
    group by p.college_id, d.kind
)
select su.code, t.college_id, t.pairs, t.agreed, t.active, t.logging, t.assessed,
       coalesce(jsonb_object_agg(d.kind, jsonb_build_array(d.confirmed, d.pending))
                filter (where d.kind is not null), '{}')
from tallies t
join people_subunion su on su.id = t.college_id
left join done d on d.college_id = t.college_id
group by su.code, t.college_id, t.pairs, t.agreed, t.active, t.logging, t.assessed
order by su.code, t.college_id
"""

# The report's figures in one statement: the chains of a mentor change (each pair → the last
# of its mentee's chain), each counted pair's confirmed duties per cycle year and kind against
# the rules, per college; statuses, sources, grades and the ledger.
REPORT_SQL = """
with recursive ps as (
    select * from mentorship_pair where cohort_id = %(cohort)s
), chain(head, id) as (
    select id, id from ps where not exists (select 1 from ps f where f.previous_id = ps.id)
    union all
    select c.head, p.previous_id from chain c join ps p on p.id = c.id where p.previous_id is not null
), years as (
    select * from unnest(%(starts)s::date[], %(ends)s::date[]) with ordinality as y(starts_on, ends_on, year)
), kinds as (
    select * from unnest(%(kinds)s::text[], %(required)s::int[]) as k(kind, required) where required > 0
), tally as (
    select c.head, d.kind, d.status = 'confirmed' as confirmed, y.year, count(*)::int as n
    from mentorship_dutylog d
    join chain c on c.id = d.pair_id
    left join years y on d.held_on between y.starts_on and y.ends_on
    where d.status <> 'returned'
    group by 1, 2, 3, 4
), counted as (
    select ps.id, ps.college_id from ps join chain c on c.id = ps.id and c.head = ps.id
    where ps.started_on is not null
), done as (
    select head, year, kind, sum(n) as n from tally where confirmed and year is not null group by head, year, kind
), grid as (
    select c.id, c.college_id, y.year, k.kind, coalesce(n.n, 0) >= k.required as met
    from counted c cross join years y cross join kinds k
    left join done n on n.head = c.id and n.year = y.year and n.kind = k.kind
), kind_met as (
    select college_id, year, jsonb_object_agg(kind, n) as met
    from (select college_id, year, kind, count(*) filter (where met) as n from grid group by 1, 2, 3) x
    group by college_id, year
), all_met as (
    select college_id, year, count(*) filter (where every_kind) as n
    from (select college_id, id, year, bool_and(met) as every_kind from grid group by 1, 2, 3) x
    group by college_id, year
), college_years as (
    select km.college_id, jsonb_agg(jsonb_build_object('year', km.year, 'met', km.met, 'all', am.n)
                                    order by km.year) as years
    from kind_met km join all_met am on am.college_id = km.college_id and am.year = km.year
    group by km.college_id
), college_confirmed as (
    select college_id, jsonb_object_agg(kind, n) as confirmed
    from (select hp.college_id, t.kind, sum(t.n)::int as n
          from tally t join ps hp on hp.id = t.head
          where t.confirmed group by hp.college_id, t.kind) x
    group by college_id
), colleges as (
    select su.code, su.id, su.name, cp.pairs, cy.years, coalesce(cc.confirmed, '{}') as confirmed
    from (select college_id, count(*) as pairs from counted group by college_id) cp
    join people_subunion su on su.id = cp.college_id
    left join college_years cy on cy.college_id = cp.college_id
    left join college_confirmed cc on cc.college_id = cp.college_id
), live as (
    select * from ps where status <> 'withdrawn'
), assessed as (
    select a.* from mentorship_assessment a join ps on ps.id = a.pair_id where a.grade_code <> ''
), ledger as (
    select e.* from mentorship_stipendentry e join ps on ps.id = e.pair_id
)
select jsonb_build_object(
    'summary', jsonb_build_object(
        'pairs', (select count(*) from live),
        'by_status', (select coalesce(jsonb_object_agg(status, n), '{}')
                      from (select status, count(*) as n from ps group by status) s),
        'by_source', (select coalesce(jsonb_object_agg(source, n), '{}')
                      from (select source, count(*) as n from live group by source) s),
        'agreed', (select count(*) from live where agreement_signed_on is not null),
        'active', (select count(*) from ps where status = 'active'),
        'mentees', (select count(distinct mentee_id) from live),
        'mentors', (select count(distinct mentor_id) from live),
        'colleges', (select count(distinct college_id) from live)),
    'duties', jsonb_build_object(
        'pairs', (select count(*) from counted),
        'confirmed', (select coalesce(jsonb_object_agg(kind, n), '{}')
                      from (select kind, sum(n)::int as n from tally where confirmed group by kind) s),
        'pending', (select coalesce(jsonb_object_agg(kind, n), '{}')
                    from (select kind, sum(n)::int as n from tally where not confirmed group by kind) s),
        'by_college', (select coalesce(jsonb_agg(jsonb_build_object(
                           'college', name, 'pairs', pairs, 'years', years, 'confirmed', confirmed)
                           order by code, id), '[]') from colleges)),
    'outcomes', jsonb_build_object(
        'assessed', (select count(*) from assessed where stage = 'cycle'),
        'grades', (select coalesce(jsonb_object_agg(grade_code, n), '{}')
                   from (select grade_code, count(*) as n from assessed where stage = 'cycle' group by 1) s),
        'not_assessed', (select count(*) from ps where status = 'not_assessed')),
    'stipends', jsonb_build_object(
        'paid', (select coalesce(sum(amount), 0) from ledger),
        'entries', (select count(*) from ledger))
)
"""

COUNTERS_SQL = """
with recursive chain(id, previous_id) as (
    select id, previous_id from mentorship_pair where id = %(pair)s
    union all
    select p.id, p.previous_id from mentorship_pair p join chain c on p.id = c.previous_id
), years as (
    select * from unnest(%(starts)s::date[], %(ends)s::date[]) with ordinality as y(starts_on, ends_on, year)
)
select y.year, d.kind, count(*) filter (where d.status = 'confirmed'), count(*) filter (where d.status <> 'confirmed')
from mentorship_dutylog d
join chain c on c.id = d.pair_id
join years y on d.held_on between y.starts_on and y.ends_on
where d.status <> 'returned'
group by y.year, d.kind
"""


def _values(choices) -> list[str]:
    """Plain strings for the driver (not the choices' enum members)."""
    return [str(getattr(c, "value", c)) for c in choices]


def sql(statement: str, params: dict, *, jit: bool = True) -> list[tuple]:
    """A floor's statement. The report's runs with PostgreSQL's JIT off (`jit=False`): its
    estimated cost is high, and compiling it takes 1.4 s on this server, seven times what
    running it takes (no query of the selectors' is costly enough to be compiled)."""
    from django.db import connection, transaction

    if jit:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("set local jit = off")
        cursor.execute(statement, params)
        return cursor.fetchall()


# --- the measurements ----------------------------------------------------------------------------


def timed(work: Callable[[], object], runs: int, *, cpu: bool = True) -> tuple[dict, object]:
    """One untimed run (its queries counted), then `runs` timed runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = work()
        first = time.perf_counter() - started
    wall, used = [], []
    for _ in range(runs):
        started, begun = time.perf_counter(), time.process_time()
        result = work()
        wall.append(time.perf_counter() - started)
        used.append(time.process_time() - begun)
    ms = [s * 1000 for s in wall]
    figures = {
        "runs": runs,
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "min_ms": round(min(ms), 1),
        "max_ms": round(max(ms), 1),
        "first_ms": round(first * 1000, 1),
        # statements sent (not BEGIN, COMMIT, nor a floor's `set local jit`)
        "queries": sum(1 for q in captured if q["sql"] not in ("BEGIN", "COMMIT") and not q["sql"].startswith("set ")),
        "all_ms": [round(m, 1) for m in ms],
    }
    if cpu:
        figures["cpu_median_ms"] = round(statistics.median(used) * 1000, 1)
    return figures, result


def profile(label: str, work: Callable[[], object], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\n--- {label} ---\n{out.getvalue()}")


def matching_floor(cohort) -> dict:
    """The floor's parameters and the teachers it reads, as `matching` sees them."""
    from gonghui.mentorship import matching
    from gonghui.mentorship.choices import LIVE_PAIR_STATUSES, RANK_ORDER, TitleRank

    rules = cohort.rules
    params = {
        "cohort": cohort.pk,
        "live": _values(LIVE_PAIR_STATUSES),
        "on": cohort.starts_on,
        "max_age": rules.mentee_max_age,
        "hired_within": rules.mentee_hired_within_years,
        "ranks": _values(r for r in TitleRank if RANK_ORDER[r] >= RANK_ORDER[TitleRank(rules.mentor_min_rank)]),
        "min_years": rules.mentor_min_teaching_years,
        "max_mentees": rules.mentor_max_mentees,
    }
    mentees, mentors = [], []
    for side, pk, name, college_id, college, discipline, field, campus, ranking, load in sql(INPUTS_SQL, params):
        teacher = matching.Teacher(
            person_id=pk,
            name=name,
            college_id=college_id,
            college=college,
            discipline=discipline,
            research_field=field,
            campus=campus,
            load=load,
            places=max(rules.mentor_max_mentees - load, 0) if side == "mentor" else 0,
            ranking=tuple(ranking),
        )
        (mentors if side == "mentor" else mentees).append(teacher)
    return {"params": params, "mentees": mentees, "mentors": mentors}


def run(args) -> dict:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from gonghui.mentorship import matching
    from gonghui.mentorship.choices import LOGGING_PAIR_STATUSES, DutyKind
    from gonghui.mentorship.models import Cohort, MatchingRun, Pair
    from gonghui.mentorship.selectors.board import ASSESSED_STATUSES, SIGNED_STATUSES, cohort_board, current_year
    from gonghui.mentorship.selectors.counters import pair_counters
    from gonghui.mentorship.selectors.report import cohort_report
    from gonghui.mentorship.services.matching import matching_run

    size = SIZES[args.size]
    runs = args.runs or (25 if args.size == "realistic" else 7)
    world = world_build(size, args.seed)
    office = world["office"]
    running = Cohort.objects.select_related("rules").get(pk=world["running"].pk)
    to_match = Cohort.objects.select_related("rules").get(pk=world["matching"].pk)
    measures: dict[str, dict] = {}
    checks: dict[str, object] = {}

    # --- the matchings
    rules = to_match.rules
    floor = matching_floor(to_match)
    weights = matching.Weights(
        discipline=rules.weight_discipline,
        college=rules.weight_college,
        research_field=rules.weight_field,
        campus=rules.weight_campus,
        load=rules.weight_load,
    )
    cost, allowed, _slots = matching.cost_matrix(
        floor["mentees"], floor["mentors"], weights, same_discipline=rules.same_discipline
    )
    forbidden = int(cost.max(initial=0) + 1) * (min(cost.shape) + 1)
    solved = np.where(allowed, cost, forbidden)
    measures["matching_run (assignment)"], assigned = timed(
        lambda: matching_run(actor=office, cohort=to_match, method="assignment"), runs
    )
    measures["matching_run (stable)"], chosen = timed(
        lambda: matching_run(actor=office, cohort=to_match, method="stable"), runs
    )
    measures["floor: read the inputs (1 SQL statement)"], _rows = timed(
        lambda: sql(INPUTS_SQL, floor["params"]), runs, cpu=False
    )
    measures["floor: linear_sum_assignment alone"], solution = timed(lambda: linear_sum_assignment(solved), runs)
    rows, cols = solution
    kept = allowed[rows, cols]
    assert assigned.summary["mentees"] == len(floor["mentees"]), "the floor reads other new teachers"
    assert assigned.summary["mentors"] == len(floor["mentors"]), "the floor reads other mentors"
    assert assigned.summary["pairs"] == int(kept.sum()), "assignment pairs fewer than the solver can"
    assert assigned.summary["total_cost"] == int(cost[rows, cols][kept].sum()), "assignment costs more than the floor"
    proposal = matching.Matching(
        pairs=[matching.MatchedPair(r["mentee"], r["mentor"], r["cost"], ()) for r in chosen.proposal]
    )
    blocking = matching.blocking_pairs(
        floor["mentees"], floor["mentors"], proposal, same_discipline=rules.same_discipline
    )
    assert blocking == [], f"{len(blocking)} blocking pairs"
    checks["matching"] = {
        "mentees": len(floor["mentees"]),
        "mentors": len(floor["mentors"]),
        "excluded": assigned.summary["excluded"],
        "assignment_pairs": assigned.summary["pairs"],
        "assignment_total_cost": assigned.summary["total_cost"],
        "stable_pairs": chosen.summary["pairs"],
        "matching_runs_written": MatchingRun.objects.filter(cohort=to_match).count(),
    }

    # --- the board
    year = current_year(running)
    board_params = {
        "cohort": running.pk,
        "signed": _values(SIGNED_STATUSES),
        "logging": _values(LOGGING_PAIR_STATUSES),
        "assessed": _values(ASSESSED_STATUSES),
        "starts_on": year[1],
        "ends_on": year[2],
    }
    measures["cohort_board"], board = timed(lambda: cohort_board(running), runs)
    measures["floor: board (1 grouped SQL statement)"], board_rows = timed(
        lambda: sql(BOARD_SQL, board_params), runs, cpu=False
    )
    requirements = running.rules.requirements()
    kinds = [kind for kind in DutyKind if requirements[kind]]
    selector_board = [
        (
            r.college.pk,
            r.pairs,
            r.agreed,
            r.active,
            r.logging,
            r.assessed,
            {t.kind: (t.confirmed, t.pending) for t in r.duties},
        )
        for r in board.rows
    ]
    floor_board = [
        (college_id, n, agreed, active, logging, assessed, {k: tuple(json.loads(done).get(k, (0, 0))) for k in kinds})
        for _code, college_id, n, agreed, active, logging, assessed, done in board_rows
    ]
    assert selector_board == floor_board, "the board's counts differ from the floor's"
    checks["board"] = {
        "year": board.year,
        "colleges": len(board.rows),
        "confirmed": {t.kind: t.confirmed for t in board.total.duties} if board.total else {},
    }

    # --- the report
    bounds = running.year_bounds()
    report_params = {
        "cohort": running.pk,
        "starts": [s for s, _e in bounds],
        "ends": [e for _s, e in bounds],
        "kinds": _values(DutyKind),
        "required": [requirements[k] for k in DutyKind],
    }
    measures["cohort_report"], report = timed(lambda: cohort_report(user=office, cohort=running), runs)
    measures["floor: report (1 SQL statement, JSON)"], report_rows = timed(
        lambda: sql(REPORT_SQL, report_params, jit=False), runs, cpu=False
    )
    floor_report = json.loads(report_rows[0][0])  # Django's driver set-up hands jsonb over as text
    figures = report.figures
    summary = {k: v for k, v in figures["summary"].items() if k not in ("by_status", "by_source")}
    summary["by_status"] = {k: v for k, v in figures["summary"]["by_status"].items() if v}
    summary["by_source"] = {k: v for k, v in figures["summary"]["by_source"].items() if v}
    assert summary == floor_report["summary"], "the report's summary differs from the floor's"
    duties = figures["duties"]
    assert duties["pairs"] == floor_report["duties"]["pairs"]
    assert {k: v for k, v in duties["confirmed"].items() if v} == floor_report["duties"]["confirmed"]
    assert {k: v for k, v in duties["pending"].items() if v} == floor_report["duties"]["pending"]
    selector_colleges = [
        {
            "college": c["college"],
            "pairs": c["pairs"],
            "years": [{"year": y["year"], "met": y["met"], "all": y["all"]} for y in c["years"]],
            "confirmed": {k: v for k, v in c["confirmed"].items() if v},
        }
        for c in duties["by_college"]
    ]
    differ = [
        (mine, theirs)
        for mine, theirs in zip(selector_colleges, floor_report["duties"]["by_college"], strict=False)
        if mine != theirs
    ]
    assert len(selector_colleges) == len(floor_report["duties"]["by_college"]) and not differ, (
        f"the report's colleges differ from the floor's, e.g. {differ[:1]}"
    )
    outcomes = figures["outcomes"]
    assert outcomes["assessed"] == floor_report["outcomes"]["assessed"]
    assert {g["code"]: g["count"] for g in outcomes["grades"] if g["count"]} == floor_report["outcomes"]["grades"]
    assert figures["stipends"]["entries"] == floor_report["stipends"]["entries"]
    assert str(figures["stipends"]["paid"]) == f"{float(floor_report['stipends']['paid']):.2f}"
    checks["report"] = {
        "pairs": figures["summary"]["pairs"],
        "counted": duties["pairs"],
        "confirmed": duties["confirmed"],
        "colleges": len(duties["by_college"]),
        "all_met_year_1": sum(c["years"][0]["all"] for c in duties["by_college"]),
    }

    # --- one pair's counters
    def probe():
        return Pair.objects.select_related("cohort__rules", "previous").get(pk=world["probe"])

    pair = probe()
    counters_params = {"pair": pair.pk, "starts": report_params["starts"], "ends": report_params["ends"]}
    # each run gets the pair as its page gets it (fetched beforehand: not timed)
    pairs_fetched = [probe() for _ in range(runs + 2)]

    def counters_once():
        return pair_counters(pairs_fetched.pop())

    measures["pair_counters (a pair after a mentor change)"], years = timed(counters_once, runs)
    measures["floor: counters (1 grouped SQL statement)"], counter_rows = timed(
        lambda: sql(COUNTERS_SQL, counters_params), runs, cpu=False
    )
    selector_counters = {
        (y.index, c.kind): (c.confirmed, c.pending) for y in years for c in y.counters if c.confirmed or c.pending
    }
    floor_counters = {(y, kind): (confirmed, pending) for y, kind, confirmed, pending in counter_rows}
    assert selector_counters == floor_counters, "the counters differ from the floor's"
    checks["counters"] = {f"{y}:{k}": v for (y, k), v in sorted(selector_counters.items())}

    if args.profile:
        profile(
            "matching_run (assignment)",
            lambda: matching_run(actor=office, cohort=to_match, method="assignment"),
            args.profile,
        )
        profile(
            "matching_run (stable)", lambda: matching_run(actor=office, cohort=to_match, method="stable"), args.profile
        )
        profile("cohort_board", lambda: cohort_board(running), args.profile)
        profile("cohort_report", lambda: cohort_report(user=office, cohort=running), args.profile)
        profile("pair_counters", counters_once, args.profile)

    # --- the table
    floors = {
        "matching_run (assignment)": measures["floor: read the inputs (1 SQL statement)"]["median_ms"]
        + measures["floor: linear_sum_assignment alone"]["median_ms"],
        "matching_run (stable)": measures["floor: read the inputs (1 SQL statement)"]["median_ms"],
        "cohort_board": measures["floor: board (1 grouped SQL statement)"]["median_ms"],
        "cohort_report": measures["floor: report (1 SQL statement, JSON)"]["median_ms"],
        "pair_counters (a pair after a mentor change)": measures["floor: counters (1 grouped SQL statement)"][
            "median_ms"
        ],
    }
    print()
    print(
        f"| {'measure':<48} | runs | median ms | p95 ms | min ms | max ms | CPU median ms | queries | × floor | target |"
    )
    print(f"|{'-' * 50}|-----:|----------:|-------:|-------:|-------:|--------------:|--------:|--------:|-------:|")
    for label, f in measures.items():
        target = next((t for k, t in TARGETS_MS.items() if f"({k})" in label), None)
        mark = "—" if target is None else f"{'✓' if f['max_ms'] < target else '✗'} {target / 1000:g} s"
        ratio = f"{f['median_ms'] / max(floors[label], 0.01):.1f}" if label in floors else "—"
        used = f"{f['cpu_median_ms']:.1f}" if "cpu_median_ms" in f else "—"
        print(
            f"| {label:<48} | {f['runs']:>4} | {f['median_ms']:>9.1f} | {f['p95_ms']:>6.1f} | {f['min_ms']:>6.1f} "
            f"| {f['max_ms']:>6.1f} | {used:>13} | {f['queries']:>7} | {ratio:>7} | {mark:>6} |"
        )
    print(
        f"\nload average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
        f"matching: {len(floor['mentees'])} × {len(floor['mentors'])} eligible, matrix {cost.shape[0]} × "
        f"{cost.shape[1]}, {int(allowed.sum()):,} allowed cells; assignment {assigned.summary['pairs']} pairs "
        f"(total cost {assigned.summary['total_cost']}, the floor's optimum), stable {chosen.summary['pairs']} "
        f"(no blocking pair); board, report and counters equal to their floors"
    )
    return {
        "size": args.size,
        "world": {**size, **world["counts"]},
        "measures": measures,
        "floors_ms": {k: round(v, 1) for k, v in floors.items()},
        "checks": checks,
        "targets_ms": TARGETS_MS,
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
    path = OUT / f"mentorship_cohort-{args.size}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

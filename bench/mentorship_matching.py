"""Mentorship pairing (拜师结对) matching benchmark, in memory: `assignment` (the optimal
assignment) and `stable` (双向选择) of `gonghui.mentorship.matching` on a large cohort,
against scipy's `linear_sum_assignment` alone.

    .venv/bin/python bench/mentorship_matching.py                   # 600 new teachers × 1,000 mentors, 5 runs
    .venv/bin/python bench/mentorship_matching.py --runs 9 --mentees 1200 --mentors 2000
    .venv/bin/python bench/mentorship_matching.py --profile 25      # and the 25 costliest functions

No database: the matching module is free of it (Django is set up only for its translated
reasons, with the test settings).

The cohort, from --seed: 30 disciplines over 20 colleges (each discipline has a home college,
where 80 % of its teachers are), 4–6 research fields per discipline, 3 campuses (a college on
one campus, 15 % of its teachers on another), the disciplines' sizes skewed (a few large, many
small: some disciplines have more new teachers than mentors). Mentors: load 0 (70 %) or 1, one
place each. For 双向选择 each side ranks 10–20 of the other, 75 % of them (as many as there are)
of their own discipline, the rest anyone.

Measured, --runs times each after one untimed (cold) run:

- `assignment`, same discipline required (the rules' example) and not: the cost matrix
  (discipline, college, research field, campus, load) and the hard rules, scipy's solver, each
  pair's reasons and each unmatched teacher's why;
- `cost_matrix` alone (the numeric part of building it);
- the floor: `linear_sum_assignment` alone on the matrix `assignment` solves (built beforehand),
  so what building the matrix and the reasons costs is visible;
- `stable`: deferred acceptance with the new teachers proposing, reasons included.

Each: median and max (ms), and the median CPU time of this process. The script checks that
`assignment` reaches the floor's total cost with as many pairs, and that `stable` leaves no
blocking pair. Targets (the issue): assignment < 2 s, stable < 1 s. Prints a table and writes
bench/out/mentorship_matching-<mentees>x<mentors>.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

DISCIPLINES = (
    "经济学", "法学", "教育学", "中国语言文学", "外国语言文学", "新闻传播学", "历史学", "数学",
    "物理学", "化学", "生物学", "地理学", "统计学", "力学", "机械工程", "材料科学与工程",
    "电气工程", "电子科学与技术", "信息与通信工程", "计算机科学与技术", "土木工程", "化学工程与技术",
    "环境科学与工程", "生物医学工程", "食品科学与工程", "作物学", "临床医学", "药学", "工商管理",
    "公共管理",
)  # fmt: skip
COLLEGES = tuple(f"第{i + 1}学院" for i in range(20))
CAMPUSES = ("东校区", "西校区", "南湖校区")
TARGETS_MS = {"assignment": 2000, "stable": 1000}
T = TypeVar("T")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentees", type=int, default=600)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=38)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile one more run each: top N")
    return parser.parse_args()


# --- the cohort ----------------------------------------------------------------------------------


def cohort_build(*, mentees: int, mentors: int, seed: int):
    from gonghui.mentorship.matching import Teacher

    rng = random.Random(seed)
    # a few large disciplines, many small ones (Zipf-like), the same shares on both sides
    shares = [1 / (k + 1) ** 0.8 for k in range(len(DISCIPLINES))]
    rng.shuffle(shares)
    home = {d: k % len(COLLEGES) for k, d in enumerate(DISCIPLINES)}
    college_campus = {c: rng.randrange(len(CAMPUSES)) for c in range(len(COLLEGES))}
    fields = {d: tuple(f"{d}·方向{k + 1}" for k in range(rng.randint(4, 6))) for d in DISCIPLINES}

    def person(person_id: int, *, mentor: bool) -> Teacher:
        discipline = rng.choices(DISCIPLINES, weights=shares)[0]
        college = home[discipline] if rng.random() < 0.8 else rng.randrange(len(COLLEGES))
        campus = college_campus[college] if rng.random() < 0.85 else rng.randrange(len(CAMPUSES))
        return Teacher(
            person_id=person_id,
            name=f"{'导师' if mentor else '青年教师'}{person_id}",
            college_id=college + 1,
            college=COLLEGES[college],
            discipline=discipline,
            research_field=rng.choice(fields[discipline]),
            campus=CAMPUSES[campus],
            load=(0 if rng.random() < 0.7 else 1) if mentor else 0,
            places=1 if mentor else 0,
        )

    new = [person(1 + i, mentor=False) for i in range(mentees)]
    old = [person(100001 + j, mentor=True) for j in range(mentors)]
    return new, old, rng


def rankings_add(new, old, rng: random.Random):
    """Each ranks 10–20 of the other side: 75 % of their own discipline (as many as there are),
    the rest from anyone."""
    from dataclasses import replace

    def ranked(me, others_by_discipline, others) -> tuple[int, ...]:
        wanted = rng.randint(10, 20)
        same = others_by_discipline.get(me.discipline, [])
        chosen = rng.sample(same, min(len(same), round(wanted * 0.75)))
        picked = set(chosen)
        while len(chosen) < wanted:
            other = rng.choice(others)
            if other not in picked:
                picked.add(other)
                chosen.append(other)
        rng.shuffle(chosen)
        return tuple(chosen)

    def by_discipline(teachers) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for t in teachers:
            table.setdefault(t.discipline, []).append(t.person_id)
        return table

    old_ids, new_ids = [t.person_id for t in old], [t.person_id for t in new]
    old_by, new_by = by_discipline(old), by_discipline(new)
    return (
        [replace(t, ranking=ranked(t, old_by, old_ids)) for t in new],
        [replace(t, ranking=ranked(t, new_by, new_ids)) for t in old],
    )


# --- the measurements ----------------------------------------------------------------------------


def timed(work: Callable[[], T], runs: int) -> tuple[dict, T]:
    first_started = time.perf_counter()
    result = work()  # cold: imports, caches, the translation catalogue
    first = time.perf_counter() - first_started
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        result = work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    ms = [s * 1000 for s in wall]
    return {
        "runs": runs,
        "median_ms": round(statistics.median(ms), 1),
        "max_ms": round(max(ms), 1),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "first_ms": round(first * 1000, 1),
        "all_ms": [round(m, 1) for m in ms],
    }, result


def profile(label: str, work: Callable[[], object], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\n--- {label} ---\n{out.getvalue()}")


def run(args) -> dict:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from gonghui.mentorship.matching import Weights, assignment, blocking_pairs, cost_matrix, stable

    started = time.perf_counter()
    new, old, rng = cohort_build(mentees=args.mentees, mentors=args.mentors, seed=args.seed)
    new, old = rankings_add(new, old, rng)
    weights = Weights()
    print(
        f"cohort: {len(new):,} new teachers × {len(old):,} mentors, {len(DISCIPLINES)} disciplines, "
        f"{len(COLLEGES)} colleges, {len(CAMPUSES)} campuses; built in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    # The floor's matrix: what `assignment` hands to the solver (same discipline required).
    cost, allowed, _slots = cost_matrix(new, old, weights, same_discipline=True)
    forbidden = int(cost.max(initial=0) + 1) * (min(cost.shape) + 1)
    solved = np.where(allowed, cost, forbidden)

    def floor():
        return linear_sum_assignment(solved)

    rows_measured: dict[str, dict] = {}
    figures, same = timed(lambda: assignment(new, old, weights, same_discipline=True), args.runs)
    rows_measured["assignment, same discipline"] = figures
    figures, anyone = timed(lambda: assignment(new, old, weights, same_discipline=False), args.runs)
    rows_measured["assignment, any discipline"] = figures
    figures, _matrix = timed(lambda: cost_matrix(new, old, weights, same_discipline=True), args.runs)
    rows_measured["cost_matrix alone (same discipline)"] = figures
    figures, solution = timed(floor, args.runs)
    rows_measured["floor: linear_sum_assignment alone"] = figures
    figures, chosen = timed(lambda: stable(new, old, same_discipline=True), args.runs)
    rows_measured["stable, same discipline"] = figures

    # The checks: the floor's optimum reached; no blocking pair.
    rows, cols = solution
    kept = allowed[rows, cols]
    assert len(same.pairs) == int(kept.sum()), "assignment pairs fewer than the solver can"
    assert same.total_cost == int(cost[rows, cols][kept].sum()), "assignment costs more than the floor"
    blocking = blocking_pairs(new, old, chosen, same_discipline=True)
    assert blocking == [], f"{len(blocking)} blocking pairs"

    if args.profile:
        profile(
            "assignment, same discipline", lambda: assignment(new, old, weights, same_discipline=True), args.profile
        )
        profile("stable", lambda: stable(new, old, same_discipline=True), args.profile)

    print()
    print(f"| {'measure':<38} | runs | median ms | max ms | CPU median ms | first ms | target |")
    print(f"|{'-' * 40}|-----:|----------:|-------:|--------------:|---------:|-------:|")
    for label, f in rows_measured.items():
        kind = label.split(",")[0].split(" ")[0]
        target = TARGETS_MS.get(kind)
        mark = "—" if target is None else f"{'✓' if f['max_ms'] < target else '✗'} {target / 1000:g} s"
        print(
            f"| {label:<38} | {f['runs']:>4} | {f['median_ms']:>9.1f} | {f['max_ms']:>6.1f} "
            f"| {f['cpu_median_ms']:>13.1f} | {f['first_ms']:>8.1f} | {mark:>6} |"
        )
    same_ms = rows_measured["assignment, same discipline"]["median_ms"]
    floor_ms = rows_measured["floor: linear_sum_assignment alone"]["median_ms"]
    print(
        f"\nload average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
        f"matrix {cost.shape[0]} × {cost.shape[1]}, {int(allowed.sum()):,} allowed cells; "
        f"assignment / floor ×{same_ms / max(floor_ms, 0.01):.1f}\n"
        f"assignment: {len(same.pairs)} pairs (same discipline, total cost {same.total_cost}), "
        f"{len(anyone.pairs)} (any, total cost {anyone.total_cost}), equal to the floor's optimum; "
        f"stable: {len(chosen.pairs)} pairs, no blocking pair"
    )
    return {
        "mentees": len(new),
        "mentors": len(old),
        "seed": args.seed,
        "matrix": list(cost.shape),
        "allowed_cells": int(allowed.sum()),
        "measures": rows_measured,
        "pairs": {
            "assignment_same_discipline": len(same.pairs),
            "assignment_any_discipline": len(anyone.pairs),
            "stable": len(chosen.pairs),
        },
        "targets_ms": TARGETS_MS,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def main():
    args = parse_args()
    # The test settings: no database is opened; Django is set up for the translated reasons.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    report = run(args)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"mentorship_matching-{args.mentees}x{args.mentors}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

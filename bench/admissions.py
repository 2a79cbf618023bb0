"""Staff children's admission (教职工子女入托入学) on PostgreSQL: the survey's pre-fill, the survey
board, the demand over four years and the requests list's first page, each against a floor.

    .venv/bin/python bench/admissions.py                     # realistic: 2,000 people (1,800 active), 700 children
    .venv/bin/python bench/admissions.py --size large        # 1,000,000 people, 500,000 children
    .venv/bin/python bench/admissions.py --runs 25 --keep    # more runs; keep the database
    .venv/bin/python bench/admissions.py --profile 30        # and the 30 costliest functions of each

DATABASE_URL names the database (default postgres://postgres@127.0.0.1:5432/gonghui_bench_admissions;
its name must contain "bench"). It is dropped, created and migrated at the start of every run and
dropped at the end (--keep keeps it).

The world, as the demo university's (`gonghui/admissions/demo.py`) at its size or scaled up. The
roster is `people_api.py`'s (one `INSERT … SELECT FROM generate_series`, 60 sub-unions with their
union groups, one in ten retired, the four employment categories): 2,000 people, the demo's ~1,800
active staff (realistic), or 1,000,000 (large). Their children, one `INSERT … SELECT` (700, or
500,000): parents drawn among staff under 60 old enough, three in four with one child and one in
four with two, born when the parent was 25 to 40 (not in the last month). Five children in six
have an admission record (`ChildRecord`: hukou district and housing drawn as the demo's, one in
25 a grandchild). Through the services: the demo's four schools (`school_save`), the rules of
each year (`rules_draft_create`, `rules_adopt`: DOMAIN §3.9's ages — nursery 30 months,
kindergarten 36, primary 72, junior 144 on 31 August —, the demo's three priority batches and
its places scaled to the staff, `places_for`) and the campaigns (`campaign_create`) of the three
years before the current one and of the current one (the demo's `current_year`). The campaigns'
states and every line and request are written straight into the tables (the services would take
hours at a million):

- the three past years: closed. Their survey lines are written by the pre-fill's floor (which the
  script checks equal to the service's) and all answered as the demo answers (a nursery child
  needs a place nine times in ten, primary six in ten, junior five in ten; the kindergarten or
  the co-built one with the other as the alternative, the affiliated primary or secondary school;
  the hukou and housing); nine in ten of those who need a place ask for one, one in ten of them
  after the deadline (视为自行解决), one in 50 withdrawn, one in 50 left a draft; the rest referred
  and answered as the demo's schools answer: placed in batch order up to the school's places,
  then at the alternative while it has room, the rest not placed.
- the current year: taking requests. Its lines are the service's (the last timed run of
  `survey_prefill`), four in five answered; of those who ask, on time, a third still drafts,
  the rest submitted and some checked by the sub-union (as the demo's current campaign).

Measured, --runs times each after one untimed run (whose SQL queries are counted):

- `services.survey.survey_prefill(campaign=current)`: the children of active staff read, each
  child's stage computed in Python (`stages.stages_in`, relativedelta per age), the records read,
  the lines bulk-inserted — every run on an emptied campaign (the delete not timed). Floor: one
  `INSERT … SELECT` computing the stage in SQL from the birth date and the rules' ages (the age
  in months on 31 August is (year − birth year) × 12 + 8 − birth month, so the entry year is
  birth year + ⌈(months − 8 + birth month) / 12⌉), with the records joined, `ON CONFLICT DO
  NOTHING` — on an emptied campaign too.
- `selectors.survey.survey_board(campaign=current, user=admissions officer)` (every row) against
  one grouped statement: the lines per parent, then the parents per top-level sub-union.
- `selectors.demand.demand_by_year(years=the four)` against one statement: the lines answered 需要
  and the requests that went in (placed at the school that took them), grouped by year × stage ×
  district × school × top-level sub-union, with the places of the adopted rules.
- the requests list's first page as the list page builds it: `selectors.requests.request_list(
  user=admissions officer, campaign=current)` with the page's `select_related`, a Paginator of 25,
  page 1 (the count and the page). Floor: one SELECT of the same columns and joins, ORDER BY the
  list's order, LIMIT 25, with the count as a scalar subquery.

Each: median, p95, min, max (ms), SQL statements (not BEGIN / COMMIT); for the Python side also
the median CPU time of this process; the process's peak RSS after each. The script checks that
each floor gives what the service or selector gives (the pre-filled lines, the board's rows, the
demand's rows and places, the page's requests and count). Prints a table and writes
bench/out/admissions-<size>.json.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import json
import os
import pstats
import resource
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
from people_api import GIVEN, office_user, percentile  # noqa: E402  (the roster)
from people_api import load as roster_load  # noqa: E402  (the roster)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gonghui_bench_admissions"
SIZES = {
    # people (one in ten retired), children; timed runs of the selectors, of the pre-fill
    "realistic": {"people": 2_000, "children": 700, "runs": 25, "prefill_runs": 25},
    "large": {"people": 1_000_000, "children": 500_000, "runs": 5, "prefill_runs": 2},
}
PAGE = 25
DAY = datetime.timedelta(days=1)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="realistic")
    parser.add_argument("--runs", type=int, default=0, help="timed runs of each (default 25; large: 5, the pre-fill 2)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile one more run of each: top N")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


def rss_mb() -> float:
    """The process's peak resident set so far (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _values(choices) -> list[str]:
    """Plain strings for the driver (not the choices' enum members)."""
    return [str(getattr(c, "value", c)) for c in choices]


def sql(statement: str, params: dict) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def execute(statement: str, params: dict | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or {})
        return cursor.rowcount


# --- the world -------------------------------------------------------------------------------------

CHILDREN_SQL = """
insert into people_child (created_at, updated_at, parent_id, name, gender, birth_date)
with parents as (
    select id, staff_no, name, birth_date, (birth_date + interval '25 years')::date as earliest
    from people_person
    where birth_date >= %(oldest)s and birth_date + interval '25 years' < %(latest)s
    order by hashtext('parent' || staff_no), staff_no
    limit %(parents)s
)
select now(), now(), p.id,
       left(p.name, 1) || (%(given)s::text[])[1 + abs(hashtext('given' || p.staff_no || '-' || n)) %% %(n_given)s],
       case when abs(hashtext('gender' || p.staff_no || '-' || n)) %% 2 = 0 then 'M' else 'F' end,
       p.earliest + abs(hashtext('born' || p.staff_no || '-' || n))
                    %% greatest(1, least(%(span)s, %(latest)s::date - p.earliest))
from parents p
cross join generate_series(1, 2) as n
where n = 1 or abs(hashtext('second' || p.staff_no)) %% 4 = 0
order by p.staff_no, n
limit %(children)s
"""

RECORDS_SQL = """
insert into admissions_childrecord (created_at, updated_at, child_id, relation, hukou_district, housing)
select now(), now(), id,
       case when abs(hashtext('relation' || id)) %% 25 = 0 then 'grandchild' else 'child' end,
       (%(hukou)s::text[])[1 + abs(hashtext('hukou' || id)) %% %(n_hukou)s],
       (%(housing)s::text[])[1 + abs(hashtext('housing' || id)) %% %(n_housing)s]
from people_child
where abs(hashtext('record' || id)) %% 6 <> 0
"""

# The demo's answers (`demo._plan`), drawn from a stable number of the child and the year: a nursery
# child needs a place 90 %, primary 60 %, junior 50 %; the nursery's school the kindergarten or the
# co-built one (one in three the kindergarten first), the other as the alternative.
ANSWER_SQL = """
with drawn as (
    select l.id, l.stage, abs(hashtext('dice' || l.child_id || '-' || %(year)s)) %% 100 as dice
    from admissions_surveyline l
    where l.campaign_id = %(campaign)s
), answered as (
    select id, stage, dice,
           case stage
               when 'nursery' then case when dice < 90 then 'yes' when dice < 95 then 'undecided' else 'no' end
               when 'primary' then case when dice < 60 then 'yes' when dice < 95 then 'no' else 'undecided' end
               else case when dice < 50 then 'yes' when dice < 95 then 'no' else 'undecided' end
           end as need
    from drawn
    where %(all)s or dice %% 5 <> 4
)
update admissions_surveyline l
set need = a.need,
    school_id = case when a.need <> 'yes' then null
                     when a.stage = 'primary' then %(primary)s
                     when a.stage = 'junior' then %(secondary)s
                     when a.dice %% 3 = 0 then %(kindergarten)s
                     else %(co_built)s end,
    alternative_id = case when a.need <> 'yes' or a.stage <> 'nursery' then null
                          when a.dice %% 3 = 0 then %(co_built)s
                          else %(kindergarten)s end,
    hukou_district = coalesce(nullif(l.hukou_district, ''), (%(hukou)s::text[])[1 + a.dice %% %(n_hukou)s]),
    housing = coalesce(nullif(l.housing, ''), (%(housing)s::text[])[1 + a.dice / 7 %% %(n_housing)s]),
    answered_at = %(answered_at)s,
    answered_by_id = %(officer)s
from answered a
where a.id = l.id
"""

# The requests of those who need a place (nine in ten ask; one in ten of them late), with the
# batch the rules give: 在编 first, grandchildren second, contract, agency and postdoc staff third.
REQUESTS_SQL = """
insert into admissions_admissionrequest (
    created_at, updated_at, campaign_id, number, child_id, parent_id, relation, stage, school_id,
    alternative_id, hukou_district, housing, employment_category, batch_position, batch_label, note,
    status, late, submitted_at, checked_at, referred_at, answered_at, placed_school_id, answer_source,
    answer_note, created_by_id)
with asking as (
    select l.*, abs(hashtext('dice' || l.child_id || '-' || %(year)s)) %% 100 as dice,
           abs(hashtext('status' || l.child_id || '-' || %(year)s)) %% 100 as draw,
           coalesce(r.relation, 'child') as relation, coalesce(ec.name, '') as category,
           row_number() over (order by l.child_id) as n
    from admissions_surveyline l
    join people_person p on p.id = l.parent_id
    left join people_employmentcategory ec on ec.id = p.employment_category_id
    left join admissions_childrecord r on r.child_id = l.child_id
    where l.campaign_id = %(campaign)s and l.need = 'yes' and l.school_id is not null
      and abs(hashtext('dice' || l.child_id || '-' || %(year)s)) %% 10 <> 9
      and (%(history)s or abs(hashtext('dice' || l.child_id || '-' || %(year)s)) %% 10 <> 8)
), placed as (
    select a.*,
           case when a.relation = 'grandchild' then 2 when a.category = '事业编制' then 1 else 3 end as batch,
           case when %(history)s then
               case when a.dice %% 10 = 8 then 'self_arranged'
                    when a.draw < 2 then 'withdrawn'
                    when a.draw < 4 then 'draft'
                    else 'referred' end
           else
               case when a.n %% 3 = 2 or a.n %% 4 = 3 then 'draft'
                    when a.n %% 3 = 0 then 'checked'
                    else 'submitted' end
           end as status
    from asking a
)
select now(), now(), %(campaign)s, %(year)s || '-' || lpad(p.n::text, 6, '0'), p.child_id, p.parent_id,
       p.relation, p.stage, p.school_id, p.alternative_id, p.hukou_district, p.housing, p.category, p.batch,
       (%(batches)s::text[])[p.batch], '', p.status, p.status = 'self_arranged',
       case when p.status = 'draft' then null
            when p.status = 'self_arranged' then %(late_at)s::timestamptz
            else %(submitted_at)s::timestamptz + (p.n %% 2000) * interval '1 minute' end,
       case when p.status in ('checked', 'referred') then %(checked_at)s::timestamptz end,
       case when p.status = 'referred' then %(referred_at)s::timestamptz end,
       null, null, '', '', null
from placed p
"""

# The schools' answers in batch order up to their places (`demo._placements`): first at the school
# asked for, then at the alternative while it has room; the rest not placed.
PLACE_SQL = """
with places as materialized (
    select s.id as school_id, sp.places
    from admissions_schoolplaces sp
    join admissions_school s on s.code = sp.school_code
    where sp.edition_id = %(rules)s
), ranked as (
    select r.id, r.school_id,
           row_number() over (partition by r.school_id order by r.batch_position, r.submitted_at, r.number) as k
    from admissions_admissionrequest r
    where r.campaign_id = %(campaign)s and r.status = 'referred'
)
update admissions_admissionrequest r
set status = 'placed', placed_school_id = k.school_id, answered_at = %(answered_at)s, answer_source = 'import'
from ranked k join places p on p.school_id = k.school_id
where r.id = k.id and k.k <= p.places
"""
PLACE_ALTERNATIVE_SQL = """
with taken as (
    select placed_school_id as school_id, count(*) as n
    from admissions_admissionrequest
    where campaign_id = %(campaign)s and status = 'placed'
    group by placed_school_id
), places as materialized (
    select s.id as school_id, sp.places - coalesce(t.n, 0) as room
    from admissions_schoolplaces sp
    join admissions_school s on s.code = sp.school_code
    left join taken t on t.school_id = s.id
    where sp.edition_id = %(rules)s
), ranked as (
    select r.id, r.alternative_id,
           row_number() over (partition by r.alternative_id order by r.batch_position, r.submitted_at, r.number) as k
    from admissions_admissionrequest r
    where r.campaign_id = %(campaign)s and r.status = 'referred' and r.alternative_id is not null
)
update admissions_admissionrequest r
set status = 'placed', placed_school_id = k.alternative_id, answered_at = %(answered_at)s,
    answer_source = 'import', answer_note = '备选学校录取'
from ranked k join places p on p.school_id = k.alternative_id
where r.id = k.id and k.k <= p.room
"""
NOT_PLACED_SQL = """
update admissions_admissionrequest
set status = 'not_placed', answered_at = %(answered_at)s, answer_source = 'import', answer_note = '学位已满'
where campaign_id = %(campaign)s and status = 'referred'
"""


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    from gonghui.admissions.demo import BEIJING

    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def world_build(size: dict) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from gonghui.accounts.models import RoleAssignment, User
    from gonghui.accounts.roles import Role
    from gonghui.admissions import demo
    from gonghui.admissions.choices import CampaignStatus
    from gonghui.admissions.models import AdmissionRequest, Campaign, ChildRecord, School, SurveyLine
    from gonghui.admissions.services.campaigns import campaign_create
    from gonghui.admissions.services.rules import rules_adopt, rules_draft_create, school_save
    from gonghui.people.choices import EmploymentStatus
    from gonghui.people.models import Child, Person

    started = time.perf_counter()
    today = timezone.localdate()
    roster_load(size["people"], reload=True)
    roster_s = time.perf_counter() - started
    office = office_user()
    officer, _created = User.objects.get_or_create(username="bench-admissions")
    RoleAssignment.objects.get_or_create(user=officer, role=Role.ADMISSIONS_OFFICER)
    active = Person.objects.filter(employment_status=EmploymentStatus.ACTIVE).count()

    # --- the children and their records
    latest = today - 30 * DAY
    execute(
        CHILDREN_SQL,
        {
            "oldest": datetime.date(today.year - 60, today.month, min(today.day, 28)),
            "latest": latest,
            "span": 15 * 365,
            "parents": round(size["children"] / 1.2),
            "children": size["children"],
            "given": [c for c, _p in GIVEN],
            "n_given": len(GIVEN),
        },
    )
    execute(
        RECORDS_SQL,
        {
            "hukou": list(demo.HUKOU),
            "n_hukou": len(demo.HUKOU),
            "housing": _values(demo.HOUSING),
            "n_housing": len(demo.HOUSING),
        },
    )
    execute("analyze people_child; analyze admissions_childrecord")
    children_s = time.perf_counter() - started - roster_s

    # --- schools, rules and campaigns, through the services
    current = demo.current_year(today)
    years = [current - 3, current - 2, current - 1, current]
    for code, fields in demo.SCHOOLS.items():
        school_save(actor=office, code=code, **fields)
    school_save(actor=office, code=demo.CO_BUILT, **demo.CO_BUILT_SCHOOL)
    schools = {s.code: s for s in School.objects.all()}
    campaigns, rules_of = {}, {}
    for year in years:
        if year == current:
            dates = {
                "survey_opens": today - 60 * DAY,
                "survey_closes": today - 25 * DAY,
                "requests_open": today - 15 * DAY,
                "requests_deadline": today + 20 * DAY,
            }
            adopted_on = today - 75 * DAY
        else:
            dates = demo._history_dates(year)
            adopted_on = datetime.date(year - 1, 10, 20)
        places = [
            {"school_code": code, "places": demo.places_for(base, active), "note": ""}
            for code, base in {**demo.PLACES, demo.CO_BUILT: demo.CO_BUILT_PLACES}.items()
        ]
        draft = rules_draft_create(
            actor=office,
            year=year,
            name=f"{year}年教职工子女入托入学工作通知（bench）",
            batches=demo.BATCHES,
            places=places,
            **dates,
        )
        rules = rules_adopt(actor=office, rules=draft, adopted_on=adopted_on, resolution=f"校工会〔{year - 1}〕bench号")
        rules_of[year] = rules
        campaigns[year] = campaign_create(actor=office, year=year, rules=rules)
    Campaign.objects.filter(year__in=years[:-1]).update(status=CampaignStatus.CLOSED)
    Campaign.objects.filter(year=current).update(status=CampaignStatus.REQUESTS)
    for campaign in campaigns.values():
        campaign.refresh_from_db()

    # --- the past years: lines (the pre-fill's floor), answers, requests, the schools' answers
    batches = [b["label"] for b in sorted(demo.BATCHES, key=lambda b: b["position"])]
    answer_params = {
        "primary": schools[demo.PRIMARY].pk,
        "secondary": schools[demo.SECONDARY].pk,
        "kindergarten": schools[demo.KINDERGARTEN].pk,
        "co_built": schools[demo.CO_BUILT].pk,
        "hukou": list(demo.HUKOU),
        "n_hukou": len(demo.HUKOU),
        "housing": _values(demo.HOUSING),
        "n_housing": len(demo.HOUSING),
        "officer": officer.pk,
    }
    for year in years[:-1]:
        campaign = campaigns[year]
        with transaction.atomic():
            execute(PREFILL_SQL, prefill_params(campaign))
            execute(
                ANSWER_SQL,
                {
                    **answer_params,
                    "campaign": campaign.pk,
                    "year": year,
                    "all": True,
                    "answered_at": _at(datetime.date(year - 1, 11, 25)),
                },
            )
            execute(
                REQUESTS_SQL,
                {
                    "campaign": campaign.pk,
                    "year": year,
                    "history": True,
                    "batches": batches,
                    "late_at": _at(datetime.date(year, 5, 6)),
                    "submitted_at": _at(datetime.date(year, 4, 10), 9),
                    "checked_at": _at(datetime.date(year, 4, 20)),
                    "referred_at": _at(datetime.date(year, 5, 10)),
                },
            )
            answers = {
                "campaign": campaign.pk,
                "rules": rules_of[year].pk,
                "answered_at": _at(datetime.date(year, 6, 20)),
            }
            execute(PLACE_SQL, answers)
            execute(PLACE_ALTERNATIVE_SQL, answers)
            execute(NOT_PLACED_SQL, answers)
    execute("analyze")
    counts = {
        "people": Person.objects.count(),
        "active": active,
        "children": Child.objects.count(),
        "records": ChildRecord.objects.count(),
        "years": years,
        "past_lines": SurveyLine.objects.filter(campaign__year__in=years[:-1]).count(),
        "past_requests": AdmissionRequest.objects.filter(campaign__year__in=years[:-1]).count(),
    }
    print(
        f"world: {counts['people']:,} people ({active:,} active; roster {roster_s:.0f} s), {counts['children']:,} "
        f"children ({children_s:.0f} s), {counts['records']:,} records; {years[0]}–{years[-2]} closed: "
        f"{counts['past_lines']:,} lines, {counts['past_requests']:,} requests; built in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return {
        "office": office,
        "officer": officer,
        "current": campaigns[current],
        "current_rules": rules_of[current],
        "years": years,
        "answer_params": answer_params,
        "batches": batches,
        "counts": counts,
    }


def current_fill(world: dict) -> dict:
    """The current year after the pre-fill: four lines in five answered, the requests made."""
    from django.db.models import Count
    from django.utils import timezone

    from gonghui.admissions.models import AdmissionRequest, SurveyLine

    campaign, year, today = world["current"], world["current"].year, timezone.localdate()
    execute(
        ANSWER_SQL,
        {
            **world["answer_params"],
            "campaign": campaign.pk,
            "year": year,
            "all": False,
            "answered_at": _at(today - 40 * DAY),
        },
    )
    execute(
        REQUESTS_SQL,
        {
            "campaign": campaign.pk,
            "year": year,
            "history": False,
            "batches": world["batches"],
            "late_at": None,
            "submitted_at": _at(today - 5 * DAY, 9),
            "checked_at": _at(today - 2 * DAY),
            "referred_at": None,
        },
    )
    execute("analyze admissions_surveyline; analyze admissions_admissionrequest")
    lines = SurveyLine.objects.filter(campaign=campaign)
    requests = AdmissionRequest.objects.filter(campaign=campaign)
    return {
        "lines": lines.count(),
        "answered": lines.filter(answered_at__isnull=False).count(),
        "requests": requests.count(),
        "by_status": dict(requests.order_by().values_list("status").annotate(n=Count("pk"))),
    }


# --- the floors ------------------------------------------------------------------------------------

# The pre-fill: the stage of each child of active staff born in the 14 years before the campaign's,
# from the entry year of each school kind, the records' hukou and housing; a child with a line keeps it.
PREFILL_SQL = """
insert into admissions_surveyline (
    created_at, updated_at, campaign_id, child_id, parent_id, stage, need, school_id, alternative_id,
    hukou_district, housing, note, answered_at, answered_by_id)
select now(), now(), %(campaign)s, c.id, c.parent_id, s.stage, '', null, null,
       coalesce(r.hukou_district, ''), coalesce(r.housing, ''), '', null, null
from people_child c
join people_person p on p.id = c.parent_id
cross join lateral (
    select extract(year from c.birth_date)::int as y, extract(month from c.birth_date)::int as m
) b
cross join lateral (
    select case
        when b.y + ceil((%(nursery)s - 8 + b.m) / 12.0)::int = %(year)s
          or b.y + ceil((%(kindergarten)s - 8 + b.m) / 12.0)::int = %(year)s then 'nursery'
        when b.y + ceil((%(primary)s - 8 + b.m) / 12.0)::int = %(year)s then 'primary'
        when b.y + ceil((%(secondary)s - 8 + b.m) / 12.0)::int = %(year)s then 'junior'
    end as stage
) s
left join admissions_childrecord r on r.child_id = c.id
where p.employment_status = 'active'
  and c.birth_date >= make_date(%(year)s - 14, 1, 1) and c.birth_date < make_date(%(year)s, 1, 1)
  and s.stage is not null
on conflict do nothing
"""


def prefill_params(campaign) -> dict:
    rules = campaign.rules
    return {
        "campaign": campaign.pk,
        "year": campaign.year,
        "nursery": rules.nursery_months,
        "kindergarten": rules.kindergarten_months,
        "primary": rules.primary_months,
        "secondary": rules.secondary_months,
    }


# The board: per parent their lines, open, 需要 and 未确定; per top-level sub-union the parents.
BOARD_SQL = """
with parents as (
    select parent_id, count(*) as lines_all,
           count(*) filter (where answered_at is null) as lines_open,
           count(*) filter (where need = 'yes') as lines_yes,
           count(*) filter (where need = 'undecided') as lines_undecided
    from admissions_surveyline
    where campaign_id = %(campaign)s
    group by parent_id
)
select coalesce(su.parent_id, su.id) as top, count(*) as eligible,
       count(*) filter (where lines_open = 0) as answered,
       count(*) filter (where lines_open = 0 and lines_yes > 0) as yes,
       count(*) filter (where lines_open = 0 and lines_yes = 0 and lines_undecided = 0) as no,
       count(*) filter (where lines_open = 0 and lines_yes = 0 and lines_undecided > 0) as undecided,
       sum(lines_all) as children, sum(lines_yes) as children_yes
from parents x
join people_person p on p.id = x.parent_id
join people_subunion su on su.id = p.sub_union_id
group by 1
"""

# The demand: the lines answered 需要 and the requests that went in, counted by year × stage × school
# × top-level sub-union (the requests also by status and the school that took them), then laid out
# at year × stage × district × school × sub-union (a placed request also at the school that took it),
# with the places of the years' adopted rules at each school (sub-union null).
DEMAND_SQL = """
with lines as (
    select c.year, l.stage, l.school_id, coalesce(su.parent_id, su.id) as top, count(*) as n
    from admissions_surveyline l
    join admissions_campaign c on c.id = l.campaign_id
    join people_person p on p.id = l.parent_id
    left join people_subunion su on su.id = p.sub_union_id
    where c.year = any(%(years)s) and l.need = 'yes'
    group by 1, 2, 3, 4
), requests as (
    select c.year, r.stage, r.school_id, r.placed_school_id, coalesce(su.parent_id, su.id) as top, r.status,
           count(*) as n
    from admissions_admissionrequest r
    join admissions_campaign c on c.id = r.campaign_id
    join people_person p on p.id = r.parent_id
    left join people_subunion su on su.id = p.sub_union_id
    where c.year = any(%(years)s) and r.status = any(%(requested)s)
    group by 1, 2, 3, 4, 5, 6
), facts as (
    select year, stage, school_id, top, n as demand, 0 as requests, 0 as placed, 0 as not_placed,
           0 as self_arranged, 0 as places
    from lines
    union all
    select year, stage, school_id, top, 0, n, 0, case when status = 'not_placed' then n else 0 end,
           case when status = 'self_arranged' then n else 0 end, 0
    from requests
    union all
    select year, stage, coalesce(placed_school_id, school_id), top, 0, 0, n, 0, 0, 0
    from requests where status = 'placed'
    union all
    select e.year, case s.kind when 'primary' then 'primary' when 'secondary' then 'junior' else 'nursery' end,
           s.id, null, 0, 0, 0, 0, 0, sp.places
    from admissions_schoolplaces sp
    join admissions_admissionrules e on e.id = sp.edition_id
    join admissions_school s on s.code = sp.school_code
    where e.status = 'adopted' and e.year = any(%(years)s)
)
select f.year, f.stage, coalesce(s.district, ''), f.school_id, f.top,
       sum(demand), sum(requests), sum(placed), sum(not_placed), sum(self_arranged), sum(places)
from facts f
left join admissions_school s on s.id = f.school_id
group by 1, 2, 3, 4, 5
"""


def _columns(alias: str, model) -> str:
    return ", ".join(f"{alias}.{f.column}" for f in model._meta.concrete_fields)


def page_sql() -> str:
    """The list's page: every column of the request and of what the page's select_related joins,
    in the list's order, LIMIT 25; the count as a scalar subquery."""
    from gonghui.admissions.models import AdmissionRequest, AdmissionRules, Campaign, School
    from gonghui.people.models import Child, Person, SubUnion

    return f"""
select {_columns("r", AdmissionRequest)}, {_columns("c", Campaign)}, {_columns("e", AdmissionRules)},
       {_columns("ch", Child)}, {_columns("p", Person)}, {_columns("su", SubUnion)}, {_columns("s", School)},
       {_columns("alt", School)}, {_columns("ps", School)},
       (select count(*) from admissions_admissionrequest where campaign_id = %(campaign)s) as total
from admissions_admissionrequest r
join admissions_campaign c on c.id = r.campaign_id
join admissions_admissionrules e on e.id = c.rules_id
join people_child ch on ch.id = r.child_id
join people_person p on p.id = r.parent_id
left join people_subunion su on su.id = p.sub_union_id
join admissions_school s on s.id = r.school_id
left join admissions_school alt on alt.id = r.alternative_id
left join admissions_school ps on ps.id = r.placed_school_id
where r.campaign_id = %(campaign)s
order by r.batch_position, r.submitted_at, r.number, r.id
limit {PAGE}
"""


# --- the measures ----------------------------------------------------------------------------------


def timed(
    work: Callable[[], object], runs: int, *, cpu: bool = True, before: Callable[[], object] | None = None
) -> tuple[dict, object]:
    """One untimed run (its queries counted), then `runs` timed runs; `before` (not timed)
    before each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = work()
        first = time.perf_counter() - started
    wall, used = [], []
    for _ in range(runs):
        if before:
            before()
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
        # statements sent (not BEGIN, COMMIT, SAVEPOINT)
        "queries": sum(
            1
            for q in captured
            if q["sql"] not in ("BEGIN", "COMMIT") and not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
        ),
        "peak_rss_mb": round(rss_mb(), 1),
        "all_ms": [round(m, 1) for m in ms],
    }
    if cpu:
        figures["cpu_median_ms"] = round(statistics.median(used) * 1000, 1)
    return figures, result


def profile(label: str, work: Callable[[], object], top: int, before: Callable[[], object] | None = None) -> None:
    if before:
        before()
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\n--- {label} ---\n{out.getvalue()}")


def run(args) -> dict:
    from django.core.paginator import Paginator
    from django.db import transaction

    from gonghui.admissions.models import Campaign, SurveyLine
    from gonghui.admissions.selectors.demand import REQUESTED, demand_by_year
    from gonghui.admissions.selectors.requests import request_list
    from gonghui.admissions.selectors.survey import survey_board
    from gonghui.admissions.services.survey import survey_prefill

    size = SIZES[args.size]
    runs = args.runs or size["runs"]
    prefill_runs = args.runs or size["prefill_runs"]
    world = world_build(size)
    officer = world["officer"]
    campaign = Campaign.objects.select_related("rules").get(pk=world["current"].pk)
    measures: dict[str, dict] = {}
    checks: dict[str, object] = {}

    # --- the pre-fill, on an emptied campaign each run
    def empty():
        SurveyLine.objects.filter(campaign=campaign).delete()

    def line_set():
        return set(
            SurveyLine.objects.filter(campaign=campaign).values_list(
                "child_id", "parent_id", "stage", "hukou_district", "housing"
            )
        )

    def floor_prefill():
        with transaction.atomic():
            return execute(PREFILL_SQL, prefill_params(campaign))

    measures["floor: pre-fill (1 INSERT … SELECT)"], floor_added = timed(
        floor_prefill, prefill_runs, cpu=False, before=empty
    )
    floor_lines = line_set()
    measures["survey_prefill"], added = timed(lambda: survey_prefill(campaign=campaign), prefill_runs, before=empty)
    service_lines = line_set()
    assert added == floor_added == len(service_lines), f"pre-fill added {added}, the floor {floor_added}"
    assert service_lines == floor_lines, (
        f"the pre-filled lines differ from the floor's, e.g. {sorted(service_lines ^ floor_lines)[:3]}"
    )
    stages = {}
    for _child, _parent, stage, _hukou, _housing in service_lines:
        stages[stage] = stages.get(stage, 0) + 1
    checks["prefill"] = {"lines": added, "by_stage": stages}
    checks["current"] = current_fill(world)
    print(f"current year {campaign.year}: {checks['current']}", flush=True)

    # --- the survey board (the admissions officer: every row)
    measures["survey_board (admissions officer)"], board = timed(
        lambda: survey_board(campaign=campaign, user=officer), runs
    )
    measures["floor: board (1 grouped SQL statement)"], board_rows = timed(
        lambda: sql(BOARD_SQL, {"campaign": campaign.pk}), runs, cpu=False
    )
    keys = ("eligible", "answered", "yes", "no", "undecided", "children", "children_yes")
    selector_board = {row["top"]: tuple(row[k] for k in keys) for row in board}
    floor_board = {row[0]: tuple(int(v) for v in row[1:]) for row in board_rows}
    assert selector_board == floor_board, "the board's rows differ from the floor's"
    checks["board"] = {
        "rows": len(board),
        "totals": {k: sum(row[k] for row in board) for k in keys},
    }

    # --- the demand over the four years
    years = world["years"]
    measures[f"demand_by_year ({years[0]}–{years[-1]})"], table = timed(lambda: demand_by_year(years=years), runs)
    measures["floor: demand (1 grouped SQL statement)"], demand_rows = timed(
        lambda: sql(DEMAND_SQL, {"years": years, "requested": _values(REQUESTED)}), runs, cpu=False
    )
    floor_rows, floor_places = {}, {}
    for year, stage, district, school, top, *counts in demand_rows:
        counts = [int(v) for v in counts]
        if top is None and school is not None and counts[-1]:
            floor_places[(year, school)] = floor_places.get((year, school), 0) + counts[-1]
        if any(counts[:5]):
            floor_rows[(year, stage, district, school, top)] = dict(
                zip(("demand", "requests", "placed", "not_placed", "self_arranged"), counts[:5], strict=True)
            )
    assert table.rows == floor_rows, "the demand's rows differ from the floor's"
    assert table.places == floor_places, "the places differ from the floor's"
    checks["demand"] = {
        "rows": len(table.rows),
        "by_year": {
            f.year: {
                "demand": f.demand,
                "requests": f.requests,
                "placed": f.placed,
                "places": f.places,
                "unmet": f.unmet,
            }
            for f in table.by("year")
        },
    }

    # --- the requests list's first page (the admissions officer)
    def first_page():
        rows = request_list(user=officer, campaign=campaign).select_related(
            "child", "parent__sub_union", "school", "alternative", "placed_school"
        )
        page = Paginator(rows, PAGE).get_page(1)
        return page.paginator.count, [r.pk for r in page.object_list]

    statement = page_sql()
    measures[f"requests list, page 1 of {PAGE} (admissions officer)"], (count, pks) = timed(first_page, runs)
    measures[f"floor: page (1 SELECT … LIMIT {PAGE})"], page_rows = timed(
        lambda: sql(statement, {"campaign": campaign.pk}), runs, cpu=False
    )
    assert pks == [row[0] for row in page_rows], "the page's requests differ from the floor's"
    assert count == (page_rows[0][-1] if page_rows else count), "the page's count differs from the floor's"
    checks["page"] = {"count": count, "first": pks[:3]}

    if args.profile:
        profile("survey_prefill", lambda: survey_prefill(campaign=campaign), args.profile, before=empty)
        profile("survey_board", lambda: survey_board(campaign=campaign, user=officer), args.profile)
        profile("demand_by_year", lambda: demand_by_year(years=years), args.profile)
        profile("requests list, page 1", first_page, args.profile)

    # --- the table
    label_board = "survey_board (admissions officer)"
    label_demand = f"demand_by_year ({years[0]}–{years[-1]})"
    label_page = f"requests list, page 1 of {PAGE} (admissions officer)"
    floors = {
        "survey_prefill": "floor: pre-fill (1 INSERT … SELECT)",
        label_board: "floor: board (1 grouped SQL statement)",
        label_demand: "floor: demand (1 grouped SQL statement)",
        label_page: f"floor: page (1 SELECT … LIMIT {PAGE})",
    }
    print()
    print(
        f"| {'measure':<48} | runs | median ms | p95 ms | min ms | max ms | CPU median ms | queries | peak RSS MB | × floor |"
    )
    print(
        f"|{'-' * 50}|-----:|----------:|-------:|-------:|-------:|--------------:|--------:|-----------:|--------:|"
    )
    for label, f in measures.items():
        ratio = f"{f['median_ms'] / max(measures[floors[label]]['median_ms'], 0.01):.1f}" if label in floors else "—"
        used = f"{f['cpu_median_ms']:.1f}" if "cpu_median_ms" in f else "—"
        print(
            f"| {label:<48} | {f['runs']:>4} | {f['median_ms']:>9.1f} | {f['p95_ms']:>6.1f} | {f['min_ms']:>6.1f} "
            f"| {f['max_ms']:>6.1f} | {used:>13} | {f['queries']:>7} | {f['peak_rss_mb']:>10.1f} | {ratio:>7} |"
        )
    print()
    print(f"| {'operation':<48} | size      | median ms | floor ms | × floor |")
    print(f"|{'-' * 50}|-----------|----------:|---------:|--------:|")
    for label, floor in floors.items():
        mine, theirs = measures[label]["median_ms"], measures[floor]["median_ms"]
        print(f"| {label:<48} | {args.size:<9} | {mine:>9.1f} | {theirs:>8.1f} | {mine / max(theirs, 0.01):>7.1f} |")
    counts = world["counts"]
    print(
        f"\nload average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
        f"{counts['people']:,} people ({counts['active']:,} active), {counts['children']:,} children; "
        f"{campaign.year}: {added:,} lines pre-filled ({stages}), {checks['current']['answered']:,} answered, "
        f"{checks['current']['requests']:,} requests; board {len(board)} sub-unions; demand "
        f"{len(table.rows):,} rows over {years[0]}–{years[-1]} "
        f"({sum(v['requests'] for v in checks['demand']['by_year'].values()):,} requests); "
        f"every floor equal to its service or selector; peak RSS {rss_mb():.0f} MB"
    )
    return {
        "size": args.size,
        "world": {**size, **counts},
        "measures": measures,
        "floors_ms": {k: measures[v]["median_ms"] for k, v in floors.items()},
        "checks": checks,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "peak_rss_mb": round(rss_mb(), 1),
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
    path = OUT / f"admissions-{args.size}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Demand against places over the years: the figures of `demand_world` (its docstring lists
every line), summed at each level, the schools' answer rates, the shortages, and the number
of queries (grouped, not per child)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gonghui.admissions.choices import Stage
from gonghui.admissions.selectors.demand import answer_rates, campaign_years, demand_by_year, history, shortages
from gonghui.admissions.tests.demand_world import demand_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(university):
    return demand_world(university)


def _figures(rows, *keys):
    return [tuple(getattr(f, k) for k in keys) for f in rows]


COLUMNS = ("demand", "requests", "placed", "not_placed", "self_arranged", "places", "unmet")


def test_years_are_those_with_a_campaign_or_adopted_rules(w):
    assert campaign_years() == [2019, 2020]  # the 2021 draft rules do not count
    assert demand_by_year().years == [2019, 2020]
    assert demand_by_year(years=[2020]).years == [2020]


def test_totals_by_year_and_stage(w):
    table = demand_by_year()
    assert [(f.year, *_figures([f], *COLUMNS)[0]) for f in table.by("year")] == [
        (2019, 6, 4, 2, 1, 1, 3, 4),
        (2020, 6, 4, 3, 0, 0, 6, 3),
    ]
    assert [(f.year, f.stage, *_figures([f], *COLUMNS)[0]) for f in table.by("year", "stage")] == [
        (2019, Stage.NURSERY, 4, 3, 1, 1, 1, 1, 3),
        (2019, Stage.PRIMARY, 2, 1, 1, 0, 0, 2, 1),
        (2020, Stage.NURSERY, 6, 4, 3, 0, 0, 4, 3),
        (2020, Stage.PRIMARY, 0, 0, 0, 0, 0, 2, 0),  # places and no demand: a row all the same
    ]
    nursery = table.total(year=2019, stage=Stage.NURSERY)
    assert (nursery.demand, nursery.places, nursery.shortfall, nursery.stage_label) == (4, 1, 3, "入托入园")
    everything = table.total()
    assert (everything.demand, everything.placed, everything.places, everything.unmet) == (12, 5, 9, 7)


def test_by_school_counts_placed_where_the_child_was_placed(w):
    table = demand_by_year(years=[2020])
    rows = [
        (f.school.code if f.school else None, f.district, f.demand, f.requests, f.placed, f.places)
        for f in table.by("year", "stage", "district", "school")
    ]
    assert rows == [
        ("CO", "朝阳区", 5, 3, 3, 3),  # d4 asked for KG and was placed at CO
        ("KG", "海淀区", 1, 1, 0, 1),
        ("PRI", "海淀区", 0, 0, 0, 2),
    ]


def test_by_district_and_without_a_school(w):
    table = demand_by_year(years=[2019])
    assert [(f.district, f.demand, f.places, f.placed) for f in table.by("district")] == [
        ("", 1, 0, 0),  # c4 named no school
        ("海淀区", 5, 3, 2),
    ]


def test_by_sub_union_rolls_groups_up_and_leaves_places_out(w):
    table = demand_by_year()
    rows = [(f.year, f.sub_union.code, f.demand, f.requests, f.placed, f.places) for f in table.by("year", "sub_union")]
    # 李娜 is in ECON's union group: she counts in ECON (sub-unions in their natural order)
    assert rows == [
        (2019, "LAW", 2, 1, 1, None),
        (2019, "ECON", 4, 3, 1, None),
        (2020, "LAW", 2, 0, 0, None),
        (2020, "ECON", 4, 4, 3, None),
    ]
    econ = table.by("year", "sub_union", year=2019)[1]
    assert econ.as_dict() == {
        "year": 2019,
        "sub_union": "ECON",
        "sub_union_name": "经济学院分工会",
        "demand": 4,
        "requests": 3,
        "placed": 1,
        "not_placed": 1,
        "self_arranged": 1,
        "unmet": 3,
    }


def test_the_finest_rows(w):
    table = demand_by_year(years=[2019])
    finest = table.by("year", "stage", "district", "school", "sub_union")
    assert sum(f.demand for f in finest) == 6
    assert all(f.places is None for f in finest)
    with pytest.raises(ValueError):
        table.by("college")


def test_history_of_nursery_places(w):
    lines = history(stages=[Stage.NURSERY])
    assert [(f.year, f.demand, f.places, f.placed, f.unmet) for f in lines] == [(2019, 4, 1, 1, 3), (2020, 6, 4, 3, 3)]
    assert [(f.year, f.demand) for f in history()] == [(2019, 6), (2020, 6)]


def test_answer_rates(w):
    rates = [(r.year, r.school.code, r.referred, r.answered, r.placed, r.waiting, r.rate) for r in answer_rates()]
    assert rates == [
        (2019, "KG", 2, 2, 1, 0, Decimal("1.0000")),
        (2019, "PRI", 1, 1, 1, 0, Decimal("1.0000")),
        (2020, "CO", 3, 2, 2, 1, Decimal("0.6667")),
        (2020, "KG", 1, 1, 1, 0, Decimal("1.0000")),  # referred to KG, placed at CO
    ]
    assert [r.school.code for r in answer_rates(years=[2019])] == ["KG", "PRI"]


def test_shortages(w):
    found = [
        (s.stage, s.school.code if s.school else None, s.district, s.demand, s.places, s.shortfall)
        for s in shortages(2019)
    ]
    # the nursery stage and KG; not the primary stage (2 ≤ 2), nor NEAR (another school)
    assert found == [(Stage.NURSERY, None, "", 4, 1, 3), ("nursery", "KG", "海淀区", 3, 1, 2)]
    assert [(s.school.code if s.school else None, s.shortfall) for s in shortages(2020)] == [(None, 2), ("CO", 2)]
    assert shortages(2021) == []
    assert shortages(2019)[1].as_dict() == {
        "year": 2019,
        "stage": "nursery",
        "school": "KG",
        "school_name": "示范幼儿园",
        "district": "海淀区",
        "demand": 3,
        "places": 1,
        "shortfall": 2,
    }


def test_grouped_queries_not_per_child(w, django_assert_max_num_queries):
    # the years (2), the schools, the survey, the requests, the places, the sub-unions
    with django_assert_max_num_queries(7):
        table = demand_by_year()
        table.by("year", "stage", "school", "sub_union")
    with django_assert_max_num_queries(2):
        answer_rates()

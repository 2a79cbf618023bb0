"""Chinese name search served by an index (ADR 0011).

A name is 2–4 characters and a search is one or two of them (张, 经济, 小明), which pg_trgm
cannot index: it needs three characters, and skips CJK characters under a C locale. So on
PostgreSQL each name's characters and character pairs are indexed: `gonghui_name_grams(name)`
is an immutable SQL function and a GIN index is built on it (migration 0006). A search asks
for a name holding every pair of the typed text (or its one character) and, for three or
more characters, rechecks the pairs' order with LIKE on the few rows the index found.
PostgreSQL keeps the index current on every write, bulk imports included: nothing to sync.

SQLite, the embedded default, has no such index and reads the names with LIKE: at the sizes
it serves (a university's roster, tens of thousands) that is a few milliseconds.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Func, Q, Value
from django.db.models.functions import Concat

FUNCTION = "gonghui_name_grams"
INDEX = "person_name_grams_idx"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{{}}')
    FROM (
        SELECT substr(name, i, 1) AS gram FROM generate_series(1, length(name)) AS i
        UNION ALL
        SELECT substr(name, i, 2) FROM generate_series(1, length(name) - 1) AS i
    ) AS grams
$$
"""
CREATE_INDEX = f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person USING gin ({FUNCTION}(name))"
DROP = (f"DROP INDEX IF EXISTS {INDEX}", f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class NameGrams(Func):
    """The characters and character pairs of a name, as the index holds them."""

    function = FUNCTION
    output_field = ArrayField(models.TextField())


def grams_of(text: str) -> list[str]:
    """What a name must hold to contain `text`: its one character, or each of its pairs."""
    if len(text) == 1:
        return [text]
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


def name_contains(queryset, text: str):
    """`queryset` narrowed to the names containing `text`, through the index on PostgreSQL."""
    if connections[queryset.db].vendor != "postgresql":
        condition = Q(name__contains=text)
    else:
        # Names holding a surname sit together in pinyin order (张 at "zhang", after 83 % of a
        # million names), but the planner assumes matches spread evenly: it would walk the
        # list's pinyin index testing every name until a page is found (8 s for 张). Ordered by
        # an expression that index cannot serve, the matches are fetched through the grams'
        # index and sorted instead, in the same order.
        queryset = queryset.alias(name_grams=NameGrams("name")).order_by(Concat("name_pinyin", Value("")), "staff_no")
        condition = Q(name_grams__contains=grams_of(text))
        if len(text) > 2:  # the pairs are there; are they in this order?
            condition &= Q(name__contains=text)
    return queryset.filter(condition)

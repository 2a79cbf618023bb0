"""Chinese name search served by an index (ADR 0011).

A name is 2–4 characters and a search one or two of them (张, 经济, 小明), which pg_trgm
cannot index: it needs three characters, and skips CJK characters under a C locale. And the
list is read in pinyin order, in which the names holding a surname sit together (张 at
"zhang", after 83 % of a million names): any index that finds matches without their order
leaves a common surname's 30,000 rows to fetch and sort.

So on PostgreSQL each character and character pair of each name is a row of
`PersonNameGram`, with the list's sort keys (pinyin, staff number) beside it, and a search reads
the rows of one gram in that order through one btree: a page of 张 is 50 index entries. The rows
are written by statement triggers on people_person (migration 0006), set-based, whatever
writes a person: a form, the roster import's bulk writes, a raw UPDATE. Nothing in Python
keeps them.

SQLite, the embedded default, reads the names with LIKE: at the sizes it serves (a university's
roster, tens of thousands) that is a few milliseconds, and its gram table stays empty.
"""

from django.db import connections
from django.db.models import Q

FUNCTION = "gonghui_name_grams"
SYNC_FUNCTION = "gonghui_person_name_grams_sync"
TABLE = "people_personnamegram"

# A name's distinct characters and character pairs.
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

# One function for the four statement triggers: `came` and `gone` are the statement's new and
# old rows (transition tables). An update rewrites the grams of the people whose name, pinyin or
# staff number changed, and only theirs.
_CHANGED = "(n.name, n.name_pinyin, n.staff_no) IS DISTINCT FROM (o.name, o.name_pinyin, o.staff_no)"
CREATE_SYNC_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {SYNC_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {TABLE};
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM {TABLE} g USING gone o WHERE g.person_id = o.id;
    ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM {TABLE} g USING gone o JOIN came n ON n.id = o.id
         WHERE g.person_id = o.id AND {_CHANGED};
        INSERT INTO {TABLE} (person_id, gram, name_pinyin, staff_no)
        SELECT n.id, gram, n.name_pinyin, n.staff_no
          FROM came n JOIN gone o ON o.id = n.id CROSS JOIN LATERAL unnest({FUNCTION}(n.name)) AS gram
         WHERE {_CHANGED};
    ELSE
        INSERT INTO {TABLE} (person_id, gram, name_pinyin, staff_no)
        SELECT n.id, gram, n.name_pinyin, n.staff_no
          FROM came n CROSS JOIN LATERAL unnest({FUNCTION}(n.name)) AS gram;
    END IF;
    RETURN NULL;
END
$$
"""
CREATE_TRIGGERS = [
    f"CREATE TRIGGER person_name_grams_insert AFTER INSERT ON people_person "
    f"REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION {SYNC_FUNCTION}()",
    f"CREATE TRIGGER person_name_grams_update AFTER UPDATE ON people_person "
    f"REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION {SYNC_FUNCTION}()",
    f"CREATE TRIGGER person_name_grams_delete AFTER DELETE ON people_person "
    f"REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION {SYNC_FUNCTION}()",
    f"CREATE TRIGGER person_name_grams_truncate AFTER TRUNCATE ON people_person "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {SYNC_FUNCTION}()",
]
# The people already there when the triggers arrive.
FILL = f"""
INSERT INTO {TABLE} (person_id, gram, name_pinyin, staff_no)
SELECT p.id, gram, p.name_pinyin, p.staff_no
  FROM people_person p CROSS JOIN LATERAL unnest({FUNCTION}(p.name)) AS gram
"""
DROP = [
    *(
        f"DROP TRIGGER IF EXISTS person_name_grams_{event} ON people_person"
        for event in ("insert", "update", "delete", "truncate")
    ),
    f"DROP FUNCTION IF EXISTS {SYNC_FUNCTION}()",
    f"DROP FUNCTION IF EXISTS {FUNCTION}(text)",
]


def gram_asked(text: str) -> str:
    """The gram whose rows are read for `text`: its one character, or its first pair (a longer
    text is then checked whole with LIKE on those few rows)."""
    return text[:2]


def name_contains(queryset, text: str):
    """`queryset` narrowed to the names containing `text`, in the list's order (pinyin, staff
    number), through the gram rows on PostgreSQL."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(name__contains=text)
    condition = Q(name_grams__gram=gram_asked(text))
    if len(text) > 2:
        condition &= Q(name__contains=text)
    # The gram rows' own copy of the sort keys: the page is read in their index's order.
    return queryset.filter(condition).order_by("name_grams__name_pinyin", "name_grams__staff_no")

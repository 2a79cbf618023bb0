"""Set-based writes for the roster import: rows as tuples, never model instances on PostgreSQL.

On PostgreSQL rows are streamed with COPY (psycopg 3's `cursor.copy`): new people,
memberships and audit events straight into their tables (new primary keys taken from the
sequence beforehand), changed people into a temporary table and from there one
`UPDATE … FROM`. Rows are made while their statement is open, so Python makes the next
rows while the server indexes the ones it has. Existing rows are found by `Lookup`: the
file's keys COPYed once, then one join for the whole file. Elsewhere (SQLite in tests and
development) the same rows go through `bulk_create` in batches and the lookups are `__in`
queries. Either way the caller hands over an iterable, so nothing holds 100,000 model
instances at once.

Fields are named by attname ("sub_union_id"); the model's other columns get their defaults.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import connection, models

CHUNK = 2000


def _batches(rows: Iterable[tuple], size: int = CHUNK):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Table:
    """Column names for `fields` plus the model's remaining columns with their defaults."""

    def __init__(self, model, fields: Sequence[str]):
        q = connection.ops.quote_name
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.name = q(model._meta.db_table)
        self.column = {name: q(by_attname[name].column) for name in by_attname}
        given = [by_attname[name] for name in fields]
        rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in fields]
        self.columns = [q(f.column) for f in given + rest]
        self.tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        self.json = [(i, f.encoder) for i, f in enumerate(given) if isinstance(f, models.JSONField)]
        self.stamps = [i for i, f in enumerate(given) if isinstance(f, models.DateTimeField)]

    def rows(self, rows: Iterable[tuple]):
        """The rows as COPY takes them, the defaults of the other columns appended. JSON is
        written as text (json.dumps with the field's encoder, what psycopg's Jsonb writes) and
        a timestamp as its ISO text, made once for a run of the same value (a roster's rows
        all carry the import's `now`): psycopg's own formatting of both cost as much as
        making the rows."""
        tail = self.tail
        if not self.json and not self.stamps:
            yield from ((row + tail) for row in rows) if tail else rows
            return
        json_columns, stamps = self.json, self.stamps
        last, text = None, ""
        for row in rows:
            values = list(row)
            for i, encoder in json_columns:
                values[i] = json.dumps(values[i], cls=encoder)
            for i in stamps:
                value = values[i]
                if value is None:
                    continue
                if value is not last:
                    last, text = value, value.isoformat()
                values[i] = text
            yield (*values, *tail)


def _copy(cursor, table: str, columns: list[str], rows: Iterable[tuple], on_batch=None) -> None:
    """COPY in statements of CHUNK rows; `on_batch(n)` runs between them, never while a COPY
    is open (so it may use the database, e.g. a database cache for job progress).

    Rows are made (pinyin, encryption, JSON …) while their statement is open, so the server
    indexes what it has received while Python makes the next rows: building a batch first
    and sending it afterwards left the server idle, then Python."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    rows = iter(rows)
    for first in rows:
        written = 1
        with cursor.copy(sql) as copy:
            copy.write_row(first)
            for row in islice(rows, CHUNK - 1):
                copy.write_row(row)
                written += 1
        if on_batch is not None:
            on_batch(written)


def insert(
    model,
    fields: Sequence[str],
    rows: Iterable[tuple],
    *,
    ids_for: str | None = None,
    count: int | None = None,
    on_batch=None,
):
    """Insert rows (tuples in `fields` order). Returns how many, or with `ids_for` (a unique
    field among `fields`) {its value: new primary key}; then `count` must be the number of rows.
    `on_batch(n)` is called after each batch is written.

    On PostgreSQL the primary keys are taken from the table's sequence first and COPY
    writes them with the rows."""
    if connection.vendor == "postgresql":
        table = _Table(model, fields)
        with connection.cursor() as cursor:
            if ids_for is None:
                written = 0

                def counted():
                    nonlocal written
                    for row in rows:
                        written += 1
                        yield row

                _copy(cursor, table.name, table.columns, table.rows(counted()), on_batch)
                return written
            table = _Table(model, (model._meta.pk.attname, *fields))
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            pks = [value for (value,) in cursor.fetchall()]
            key = fields.index(ids_for)
            ids = {}

            def numbered():
                for pk_value, row in zip(pks, rows, strict=True):
                    ids[row[key]] = pk_value
                    yield (pk_value, *row)

            _copy(cursor, table.name, table.columns, table.rows(numbered()), on_batch)
            return ids
    written = 0
    ids = {}
    for batch in _batches(rows):
        objects = model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in batch])
        written += len(batch)
        if on_batch is not None:
            on_batch(len(batch))
        if ids_for is not None:
            missing = [obj for obj in objects if obj.pk is None]
            if missing:  # backends that do not return ids from an insert
                found = dict(
                    model.objects.filter(**{f"{ids_for}__in": [getattr(o, ids_for) for o in missing]}).values_list(
                        ids_for, "pk"
                    )
                )
                for obj in missing:
                    obj.pk = found[getattr(obj, ids_for)]
            ids.update((getattr(obj, ids_for), obj.pk) for obj in objects)
    return written if ids_for is None else ids


def update(
    model, fields: Sequence[str], rows: Iterable[tuple], *, key: str, update: Sequence[str], on_batch=None
) -> None:
    """Overwrite the `update` fields of existing rows found by their unique `key` field.

    PostgreSQL: COPY into a temporary table, then one `UPDATE … FROM`. Elsewhere
    `bulk_create(update_conflicts=True)` in batches (which would also insert a missing row)."""
    if connection.vendor != "postgresql":
        for batch in _batches(rows):
            objects = [model(**dict(zip(fields, row, strict=True))) for row in batch]
            model.objects.bulk_create(objects, update_conflicts=True, unique_fields=[key], update_fields=list(update))
            if on_batch is not None:
                on_batch(len(batch))
        return
    table = _Table(model, fields)
    load = connection.ops.quote_name(f"{model._meta.db_table}_load")
    columns = ", ".join(table.columns)
    assignments = ", ".join(f"{table.column[name]} = l.{table.column[name]}" for name in update)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {load}")
        cursor.execute(f"CREATE TEMPORARY TABLE {load} AS SELECT {columns} FROM {table.name} WITH NO DATA")
        _copy(cursor, load, table.columns, table.rows(rows), on_batch)
        cursor.execute(f"ANALYZE {load}")
        cursor.execute(
            f"UPDATE {table.name} t SET {assignments} FROM {load} l WHERE t.{table.column[key]} = l.{table.column[key]}"
        )
        cursor.execute(f"DROP TABLE {load}")


class Lookup:
    """Existing rows matching a file's keys, one chunk of the file at a time, in file order.

    `keys` are (match value, owner value) pairs in file order, e.g. (staff number, ID-number
    digest); chunk n is keys[n*chunk:(n+1)*chunk]. `chunks()` yields for each chunk
    ({match value: {field: value}} for the rows whose `match` field is one of the chunk's
    match values, {owner value: match value} for the rows whose `owner` field is one of the
    chunk's non-empty owner values).

    On PostgreSQL the keys are COPYed once into a temporary table and two queries join it to
    the table, each read in file order through a server-side cursor: one statement each,
    planned for the whole file (one statement per chunk scanned the whole table per chunk
    when its statistics were those of before a large import). Elsewhere each chunk is two
    `__in` queries."""

    def __init__(
        self, model, *, match: str, owner: str, keys: list[tuple[str, str]], fields: Sequence[str], chunk: int = CHUNK
    ):
        self.model = model
        self.match, self.owner = match, owner
        self.keys = keys
        self.fields = tuple(fields)
        self.chunk = chunk

    def chunks(self) -> Iterator[tuple[dict[str, dict], dict[str, str]]]:
        if not self.keys:
            return
        if connection.vendor != "postgresql":
            objects = self.model.objects
            for start in range(0, len(self.keys), self.chunk):
                part = self.keys[start : start + self.chunk]
                found = objects.filter(**{f"{self.match}__in": [k[0] for k in part]}).values(*self.fields)
                owned = objects.filter(**{f"{self.owner}__in": [k[1] for k in part if k[1]]})
                yield {row[self.match]: row for row in found}, dict(owned.values_list(self.owner, self.match))
            return
        q = connection.ops.quote_name
        by_name = {f.attname: f for f in self.model._meta.concrete_fields}
        table = q(self.model._meta.db_table)
        keys = q(f"{self.model._meta.db_table}_keys")

        def column(alias: str, name: str) -> str:
            return f"{alias}.{q(by_name[name].column)}"

        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {keys}")
            cursor.execute(f"CREATE TEMPORARY TABLE {keys} (n integer, k0 text, k1 text)")
            _copy(cursor, keys, ["n", "k0", "k1"], ((n, *key) for n, key in enumerate(self.keys)))
            cursor.execute(f"ANALYZE {keys}")
        fields = ", ".join(column("p", name) for name in self.fields)
        with connection.chunked_cursor() as found, connection.chunked_cursor() as owned:
            found.execute(
                f"SELECT k.n, {fields} FROM {keys} k JOIN {table} p ON {column('p', self.match)} = k.k0 ORDER BY k.n"
            )
            owned.execute(
                f"SELECT k.n, k.k1, {column('o', self.match)} FROM {keys} k "
                f"JOIN {table} o ON {column('o', self.owner)} = k.k1 WHERE k.k1 <> '' ORDER BY k.n"
            )
            found_rows, owned_rows = _fetched(found, self.chunk), _fetched(owned, self.chunk)
            position = 1 + self.fields.index(self.match)
            next_found, next_owned = next(found_rows, None), next(owned_rows, None)
            for end in range(self.chunk, len(self.keys) + self.chunk, self.chunk):
                existing: dict[str, dict] = {}
                while next_found is not None and next_found[0] < end:
                    existing[next_found[position]] = dict(zip(self.fields, next_found[1:], strict=True))
                    next_found = next(found_rows, None)
                owners: dict[str, str] = {}
                while next_owned is not None and next_owned[0] < end:
                    owners[next_owned[1]] = next_owned[2]
                    next_owned = next(owned_rows, None)
                yield existing, owners
        with connection.cursor() as cursor:  # a caller that stops early leaves it to the session's end
            cursor.execute(f"DROP TABLE IF EXISTS {keys}")


def _fetched(cursor, size: int) -> Iterator[tuple]:
    while rows := cursor.fetchmany(size):
        yield from rows

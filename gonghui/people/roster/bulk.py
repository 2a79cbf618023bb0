"""Set-based writes for the roster import: rows as tuples, never model instances on PostgreSQL.

On PostgreSQL rows are streamed with COPY (psycopg 3's `cursor.copy`): new people,
memberships and audit events straight into their tables (new primary keys taken from the
sequence beforehand), changed people into a temporary table and from there one
`UPDATE … FROM`. Elsewhere (SQLite in tests and
development) the same rows go through `bulk_create` in batches. Either way the caller hands
over an iterable, so nothing holds 100,000 model instances at once.

Fields are named by attname ("sub_union_id"); the model's other columns get their defaults.
"""

from collections.abc import Iterable, Sequence

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
        self.json = [i for i, f in enumerate(given) if isinstance(f, models.JSONField)]

    def rows(self, rows: Iterable[tuple]):
        tail = self.tail
        if self.json:
            from psycopg.types.json import Jsonb

            for row in rows:
                values = list(row)
                for i in self.json:
                    values[i] = Jsonb(values[i])
                yield (*values, *tail)
        elif tail:
            for row in rows:
                yield row + tail
        else:
            yield from rows


def _copy(cursor, table: str, columns: list[str], rows: Iterable[tuple], on_batch=None) -> None:
    """COPY in statements of CHUNK rows; `on_batch(n)` runs between them, never while a COPY
    is open (so it may use the database, e.g. a database cache for job progress)."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    for batch in _batches(rows):
        with cursor.copy(sql) as copy:
            for row in batch:
                copy.write_row(row)
        if on_batch is not None:
            on_batch(len(batch))


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
    """Existing rows matching a file's keys, one chunk of the file at a time.

    `keys` are tuples with one value per field of `key_fields` (e.g. staff_no and ID-number
    digest), in file order; chunk n is keys[n*chunk:(n+1)*chunk]. On PostgreSQL the keys are
    copied once into a temporary table and each chunk is one join; elsewhere each chunk is a
    `__in` query."""

    def __init__(self, model, key_fields: Sequence[str], keys: list[tuple], *, chunk: int = CHUNK):
        self.model = model
        self.key_fields = tuple(key_fields)
        self.keys = keys
        self.chunk = chunk
        self.table = None
        if connection.vendor == "postgresql" and keys:
            q = connection.ops.quote_name
            self.table = q(f"{model._meta.db_table}_keys")
            self.width = len(self.key_fields)
            key_columns = ", ".join(f"k{i} text" for i in range(self.width))
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
                cursor.execute(f"CREATE TEMPORARY TABLE {self.table} (chunk integer, {key_columns})")
                _copy(
                    cursor,
                    self.table,
                    ["chunk", *(f"k{i}" for i in range(self.width))],
                    ((i // chunk, *key) for i, key in enumerate(keys)),
                )
                cursor.execute(f"CREATE INDEX ON {self.table} (chunk)")
                cursor.execute(f"ANALYZE {self.table}")

    def values(self, number: int, key: str, fields: Sequence[str]):
        """Tuples of `fields` of the rows whose `key` (one of `key_fields`) equals one of chunk
        `number`'s values for it."""
        position = self._position(key)
        if self.table is None:
            values = [k[position] for k in self.keys[number * self.chunk : (number + 1) * self.chunk]]
            return self.model.objects.filter(**{f"{key}__in": values}).values_list(*fields)
        q = connection.ops.quote_name
        by_name = {f.attname: f for f in self.model._meta.concrete_fields}
        columns = ", ".join(f"p.{q(by_name[name].column)}" for name in fields)
        sql = (
            f"SELECT {columns} FROM {q(self.model._meta.db_table)} p "
            f"JOIN {self.table} k ON k.k{position} = p.{q(by_name[key].column)} WHERE k.chunk = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [number])
            return cursor.fetchall()

    def rows(self, number: int, key: str, fields: Sequence[str]):
        """Like values(), as dicts."""
        return [dict(zip(fields, row, strict=True)) for row in self.values(number, key, fields)]

    def _position(self, key: str) -> int:
        return self.key_fields.index(key)

    def close(self):
        if self.table is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            self.table = None

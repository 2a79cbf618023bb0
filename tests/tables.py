"""Row counts of every table: what a refused action must leave exactly as it was."""

from django.apps import apps
from django.db import connection


def table_counts() -> dict[str, int]:
    """{app_label.model: rows} for every concrete model of the project (sessions and the
    sign-in lockout's access log excluded: a request writes those by design). One query for
    all the tables: the route and contract tests take this twice per case, thousands of times."""
    skip = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
    tables = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed or label in skip:
            continue
        tables[label] = model._meta.db_table
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT %s, COUNT(*) FROM {quote(table)}" for table in tables.values())
    with connection.cursor() as cursor:
        cursor.execute(sql, list(tables))
        return dict(cursor.fetchall())


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before[label], after[label]) for label in before if before[label] != after.get(label)}

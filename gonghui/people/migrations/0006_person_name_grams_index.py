"""The index that serves a search by Chinese characters on PostgreSQL (ADR 0011); SQLite
reads names with LIKE and needs nothing."""

from django.db import migrations

from gonghui.people import name_search


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(name_search.CREATE_FUNCTION)
        schema_editor.execute(name_search.CREATE_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in name_search.DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_natural_sort_key"),
    ]

    operations = [migrations.RunPython(create, drop)]

"""Backup and restore as docs/deploy.md describes them: every record comes back.

PostgreSQL: `pg_dump -Fc`, then `createdb` + `pg_restore --no-owner` into a new database.
SQLite: the online backup API (what `sqlite3 gonghui.sqlite3 ".backup ..."` uses), then the
backup file copied into place. Either way the restored database is opened as a second Django
database and compared with the original table by table.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.db import connection

from gonghui.accounts.models import RoleAssignment, User
from gonghui.core.crypto import decrypt_text
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.people.choices import Gender
from gonghui.people.models import Child, Person, UnionMembership
from gonghui.people.services import child_add, membership_transfer, person_id_number_reveal, person_update

ON_POSTGRES = connection.vendor == "postgresql"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        ON_POSTGRES and not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("createdb")),
        reason="the PostgreSQL backup test needs pg_dump, pg_restore and createdb (postgresql-client)",
    ),
]


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def _run(*command, env=None):
    subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=120)


def _backup_and_restore(tmp_path) -> dict:
    """Back up the test database and restore it elsewhere; return the restored settings."""
    source = connection.settings_dict
    if ON_POSTGRES:
        env = _pg_env(source)
        dump = tmp_path / "gonghui.dump"
        restored_name = f"{source['NAME']}_restore"
        # docs/deploy.md, "Backup": pg_dump -Fc
        _run("pg_dump", "-Fc", "--no-owner", "-f", str(dump), source["NAME"], env=env)
        # docs/deploy.md, "Restore": a new database, then pg_restore into it
        _run("dropdb", "--if-exists", restored_name, env=env)
        _run("createdb", restored_name, env=env)
        _run("pg_restore", "--no-owner", "--exit-on-error", "-d", restored_name, str(dump), env=env)
        return {**source, "NAME": restored_name}
    # SQLite: the test database lives in memory, so back it up through the open connection
    # with the same online backup API the sqlite3 shell's ".backup" uses.
    connection.ensure_connection()
    backup = tmp_path / "gonghui-backup.sqlite3"
    target = sqlite3.connect(backup)
    with target:
        connection.connection.backup(target)
    target.close()
    # Restore: copy the backup file into place as the database.
    restored = tmp_path / "gonghui.sqlite3"
    shutil.copyfile(backup, restored)
    return {**source, "NAME": str(restored), "TEST": {**source.get("TEST", {}), "NAME": str(restored)}}


@contextmanager
def _opened(settings_dict: dict):
    """A plain DB-API cursor on the restored database (the test runner forbids Django
    connections to databases other than the test database)."""
    if ON_POSTGRES:
        import psycopg

        raw = psycopg.connect(
            dbname=settings_dict["NAME"],
            host=settings_dict.get("HOST") or None,
            port=settings_dict.get("PORT") or None,
            user=settings_dict.get("USER") or None,
            password=settings_dict.get("PASSWORD") or None,
        )
    else:
        raw = sqlite3.connect(settings_dict["NAME"])
    try:
        yield raw.cursor()
    finally:
        raw.close()
        if ON_POSTGRES:
            _run("dropdb", "--if-exists", settings_dict["NAME"], env=_pg_env(settings_dict))


def _tables():
    return sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy}
    )


def _counts_default() -> dict[str, int]:
    with connection.cursor() as cursor:
        return {table: _count(cursor, table) for table in _tables()}


def _count(cursor, table: str) -> int:
    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # table names come from the models
    return cursor.fetchone()[0]


def _rows(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql)
    return [tuple(row) for row in cursor.fetchall()]


def test_every_record_survives_backup_and_restore(university, tmp_path):
    # given a small union with history: an edit, a transfer, a child, a logged ID reveal
    office = university.users["union_office"]
    person_update(actor=office, person=university.zhang, phone="13911112222")
    membership_transfer(
        actor=office,
        person=university.li,
        to_sub_union=university.law,
        on=datetime.date(2024, 3, 1),
        reason="调动",
    )
    child_add(
        actor=office, parent=university.wang, name="王小雨", gender=Gender.FEMALE, birth_date=datetime.date(2016, 5, 4)
    )
    person_id_number_reveal(actor=office, person=university.wang)
    original_counts = _counts_default()
    original_ids = {p.staff_no: p.id_number_clear() for p in Person.objects.all()}
    assert original_counts[Person._meta.db_table] == 5
    assert original_counts[UnionMembership._meta.db_table] == 6  # five joined, one of them transferred
    assert original_counts[Child._meta.db_table] == 1
    assert original_counts[User._meta.db_table] == 10
    assert original_counts[RoleAssignment._meta.db_table] == 9
    assert original_counts[AuditEvent._meta.db_table] >= 4
    assert AuditEvent.objects.filter(action=AuditAction.ID_REVEALED).count() == 1
    person_sql = f'SELECT staff_no, id_number_encrypted, phone FROM "{Person._meta.db_table}" ORDER BY staff_no'
    membership_sql = (
        f'SELECT person_id, sub_union_id, status, member_no FROM "{UnionMembership._meta.db_table}" ORDER BY id'
    )
    event_sql = (
        f'SELECT action, object_type, object_id, person_id, actor_id FROM "{AuditEvent._meta.db_table}" ORDER BY id'
    )
    user_sql = f'SELECT username, password, person_id FROM "{User._meta.db_table}" ORDER BY id'
    with connection.cursor() as cursor:
        originals = [_rows(cursor, sql) for sql in (membership_sql, event_sql, user_sql)]

    # when
    restored = _backup_and_restore(tmp_path)

    # then every table has the same rows, and the ID numbers decrypt to the same values
    with _opened(restored) as cursor:
        assert {table: _count(cursor, table) for table in _tables()} == original_counts
        people = _rows(cursor, person_sql)
        assert {staff_no: decrypt_text(token) for staff_no, token, _phone in people} == original_ids
        assert len(set(original_ids.values())) == 5
        assert dict((staff_no, phone) for staff_no, _token, phone in people)["E0001"] == "13911112222"
        assert [_rows(cursor, sql) for sql in (membership_sql, event_sql, user_sql)] == originals

    # the encryption key is not in the backup: without it the ID numbers stay unreadable
    with pytest.raises(InvalidToken):
        Fernet(Fernet.generate_key()).decrypt(people[0][1].encode())

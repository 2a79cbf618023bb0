"""Shared by the benchmarks: create the benchmark's own PostgreSQL database if missing."""

import os
import sys
from urllib.parse import urlparse


def ensure_database() -> None:
    """Create the database DATABASE_URL names, connecting to the server's `postgres` one."""
    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def database_check(default: str) -> None:
    """DATABASE_URL (default `default`) must be a PostgreSQL database whose name says bench:
    the benchmarks drop and create it."""
    os.environ.setdefault("DATABASE_URL", default)
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit(f"DATABASE_URL must point at PostgreSQL, e.g. {default}")
    if "bench" not in urlparse(url).path:
        sys.exit("the database's name must contain 'bench': this script drops and creates it")


def drop_database() -> None:
    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'drop database if exists "{url.path.lstrip("/")}" with (force)')


def database_fresh() -> None:
    """The bench's database dropped, created and migrated, and Django set up on it."""
    drop_database()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

"""Shared by the benchmarks: create the benchmark's own PostgreSQL database if missing."""

import os
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

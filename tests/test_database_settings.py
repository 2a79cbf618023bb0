"""The database connection's settings: PostgreSQL's JIT compiler is off on gonghui's connections
(docs/adr/0010-postgresql-jit-off.md); SQLite waits up to 10 s for a writer instead of failing
at once."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_connection_runs_with_the_settings_gonghui_chose():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
        else:
            cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone() == (("off",) if connection.vendor == "postgresql" else (10000,))

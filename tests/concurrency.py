"""Races on PostgreSQL: calls released together, each thread on its own connection. SQLite
serialises writers, so these tests run on PostgreSQL only (skipped on SQLite)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from gonghui.core.exceptions import ApplicationError


@pytest.fixture
def postgresql_only(db):
    if connection.vendor == "sqlite":
        pytest.skip("needs a database with concurrent writers (runs on PostgreSQL in CI)")


def at_once(*calls) -> list[str]:
    """Run `calls` in threads released together; each outcome is "ok" or the refusal's message
    (anything else is re-raised as a failure of the test)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=20)
            call()
            outcome = "ok"
        except ApplicationError as refused:
            outcome = str(refused.message)
        except BaseException as error:  # noqa: BLE001  (reported below, in the test's thread)
            with lock:
                errors.append(error)
            return
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return outcomes

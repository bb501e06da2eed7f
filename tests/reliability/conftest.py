"""Reliability fixtures: a PostgreSQL server for the concurrency trial (started only when asked)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pg import start_server


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """The DSN of a real PostgreSQL started for this session (stopped at the end)."""
    server = start_server()
    yield server.dsn
    server.stop()

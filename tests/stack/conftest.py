"""The live non-Docker stack for the stack tests: up once per session, down by PID at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stack.live import Stack, down, missing_artifacts, new_stack, up


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """PostgreSQL + Hive Metastore 3.1.3 + Trino 476 on free ports, stopped by PID at the end."""
    missing = missing_artifacts()
    if missing:
        pytest.fail(f"{missing} missing: run scripts/fetch_stack.sh (make setup-test does)")
    s = new_stack()
    try:
        up(s)
        yield s
    finally:
        down(s)

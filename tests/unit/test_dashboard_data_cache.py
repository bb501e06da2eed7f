"""The app's query cache (components/data.py): keyed by query, parameters and data version."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.components import data

pytestmark = pytest.mark.unit


class CountingConn:
    """Answers every query with the number of queries run so far; the version is settable."""

    def __init__(self) -> None:
        self.version, self.calls = "v1", 0

    def run(self, name, params):
        self.calls += 1
        return pd.DataFrame({"name": [name], "call": [self.calls]})

    def data_version(self):
        return self.version


@pytest.fixture
def conn(monkeypatch: pytest.MonkeyPatch) -> CountingConn:
    fake = CountingConn()
    monkeypatch.setattr(data, "_conn", lambda: fake)
    data._cached_run.clear()
    yield fake
    data._cached_run.clear()


def test_same_query_and_parameters_run_once(conn: CountingConn) -> None:
    assert data.run_query("q", {"a": [1, 2], "b": "x"})["call"].iloc[0] == 1
    # a list and a tuple, keys in another order: the same parameters
    assert data.run_query("q", {"b": "x", "a": (1, 2)})["call"].iloc[0] == 1
    assert data.run_query("q", {"a": [2, 1], "b": "x"})["call"].iloc[0] == 2
    assert data.run_query("other", {"a": [1, 2], "b": "x"})["call"].iloc[0] == 3
    assert conn.calls == 3


def test_a_publish_misses_the_cache_at_once(conn: CountingConn) -> None:
    assert data.run_query("q")["call"].iloc[0] == 1
    assert data.run_query("q")["call"].iloc[0] == 1
    conn.version = "v2"  # a new publish
    assert data.run_query("q")["call"].iloc[0] == 2
    assert conn.calls == 2

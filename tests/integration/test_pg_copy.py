"""COPY-read PostgreSQL results equal psycopg2's row-by-row ones, value for value and dtype for dtype."""

from __future__ import annotations

import uuid

import pandas as pd
import psycopg2
import pytest

from dashboard.db.base import frame_from_rows
from dashboard.db.pg_copy import NUMERIC_OIDS, copy_frame

pytestmark = pytest.mark.integration

AWKWARD = [
    "",  # an empty string is not a NULL
    "쌀, 20kg",
    'say "hi"',
    "two\nlines",
    "tab\there",
    "back\\slash",
    "\\N",
    "NULL",
    " padded ",
]


@pytest.fixture()
def cur(pg_dsn):
    schema = "copy_" + uuid.uuid4().hex[:8]
    conn = psycopg2.connect(pg_dsn)
    conn.autocommit = True
    with conn.cursor() as c:
        c.execute(f"CREATE SCHEMA {schema}")
        c.execute(f"SET search_path = {schema}")
        c.execute(
            """CREATE TABLE t (id int4, txt text, vc varchar(20), ch char(3), d date, b boolean,
                 i2 int2, i8 int8, f4 real, f8 double precision, n numeric(12,2))"""
        )
        rows = [
            (
                i,
                s,
                s[:20],
                s[:3] or None,
                f"2026-12-0{1 + i % 7}",
                i % 2 == 0,
                i,
                10**12 + i,
                1.1 * i,
                i / 3,
                f"{i}.25",
            )
            for i, s in enumerate(AWKWARD)
        ]
        c.executemany("INSERT INTO t VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows)
        c.execute("INSERT INTO t (id) VALUES (100)")  # a NULL in every other column
        c.execute(
            "INSERT INTO t (id, f8, f4) VALUES (101, 'NaN', 'Infinity'), (102, '-Infinity', NULL)"
        )
        yield c
        c.execute(f"DROP SCHEMA {schema} CASCADE")
    conn.close()


def _fetched(cur, sql: str, params: object = None) -> pd.DataFrame:
    cur.execute(sql, params)
    cols = [d.name for d in cur.description]
    numeric = {d.name for d in cur.description if d.type_code in NUMERIC_OIDS}
    return frame_from_rows(cols, cur.fetchall(), numeric)


@pytest.mark.parametrize(
    "where",
    ["", "WHERE id < 100", "WHERE id >= 100", "WHERE id = 999"],
    ids=["all", "no-nulls", "nulls-and-specials", "empty"],
)
def test_copy_equals_fetchall_for_every_type(cur, where):
    sql = f"SELECT * FROM t {where} ORDER BY id"
    copied, fetched = copy_frame(cur, sql, None), _fetched(cur, sql)
    assert copied is not None
    if len(fetched) and fetched["d"].isna().all():
        # One difference, on purpose: a date column of NULLs only stays a date column (NaT), as
        # DuckDB returns it; row by row it is a column of None.
        assert fetched["d"].dtype == object and copied["d"].dtype == "datetime64[ns]"
        fetched["d"] = fetched["d"].astype("datetime64[ns]")
    pd.testing.assert_frame_equal(copied, fetched)


def test_awkward_text_survives_exactly(cur):
    got = copy_frame(cur, "SELECT id, txt FROM t WHERE id < 100 ORDER BY id", None)
    assert got["txt"].tolist() == AWKWARD
    nulls = copy_frame(cur, "SELECT txt, d, b, i8 FROM t WHERE id = 100", None)
    assert nulls["txt"].tolist() == [None]
    assert pd.isna(nulls["d"].iloc[0]) and nulls["b"].tolist() == [None]
    assert pd.isna(nulls["i8"].iloc[0])


def test_parameters_are_bound_as_data(cur):
    params = {"txt": "쌀, 20kg", "evil": "x'); DROP TABLE t; --"}
    sql = "SELECT id FROM t WHERE txt = %(txt)s OR txt = %(evil)s ORDER BY id"
    assert copy_frame(cur, sql, params)["id"].tolist() == [1]
    assert len(_fetched(cur, "SELECT * FROM t")) == len(AWKWARD) + 3


def test_types_it_does_not_read_fall_back(cur):
    """A timestamp (or a repeated column name) is left to the row-by-row path: None."""
    assert copy_frame(cur, "SELECT id, now() AS ts FROM t", None) is None
    assert copy_frame(cur, "SELECT id, id FROM t", None) is None


def test_the_backend_asks_a_results_types_once_and_again_when_they_change(pg_dsn, cur, monkeypatch):
    """The shape of a query's result is cached per SQL; a table changed under it is read again."""
    from dashboard.db import postgres_backend
    from dashboard.db.postgres_backend import PostgresConnection

    asked: list[str] = []
    real = postgres_backend.describe

    def counting(c, sql, params):
        asked.append(sql)
        return real(c, sql, params)

    monkeypatch.setattr(postgres_backend, "describe", counting)
    cur.execute("SHOW search_path")
    conn = PostgresConnection(pg_dsn, schema=cur.fetchone()[0])
    try:
        sql = "SELECT id, i2 FROM t WHERE id < %(n)s ORDER BY id"
        first, second = conn._query(sql, {"n": 3}), conn._query(sql, {"n": 4})
        assert asked == [sql]  # one planning round trip for both
        assert first["id"].tolist() == [0, 1, 2] and second["id"].tolist() == [0, 1, 2, 3]
        # A column's type changes under the cache: int2 → text that is no number.
        cur.execute("ALTER TABLE t ALTER COLUMN i2 TYPE text USING 'n' || i2::text")
        changed = conn._query(sql, {"n": 3})
        assert asked == [sql, sql]  # the rows did not parse as cached: asked again
        assert changed["i2"].tolist() == ["n0", "n1", "n2"]
        # A new publish (serving_meta's version) empties the cache.
        cur.execute("CREATE TABLE serving_meta (publish_id text)")
        cur.execute("INSERT INTO serving_meta VALUES ('a')")
        assert conn.data_version() == "a"
        conn._query(sql, {"n": 3})
        assert asked.count(sql) == 3  # the first version seen: emptied once
        conn._query(sql, {"n": 3})
        assert conn.data_version() == "a" and asked.count(sql) == 3  # same version: kept
        cur.execute("INSERT INTO serving_meta VALUES ('b')")
        assert conn.data_version() == "b"
        conn._query(sql, {"n": 3})
        assert asked.count(sql) == 4
    finally:
        conn.close()

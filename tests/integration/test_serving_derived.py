"""The derived serving table ``serving_known_codes``: the rows of ``known_codes`` at every publish.

Hand-made marts with only the columns the query reads: a region and an item that appear only on
an old day, codes shared between marts, then a publish of one mart alone (the others stay) and a
store missing one of the marts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from dashboard.db import QueryError
from dashboard.db.duckdb_backend import DuckDBConnection
from dashboard.db.postgres_backend import PostgresConnection
from dashboard.db.queries import QueryCatalog
from spark_jobs.serving.derived import DERIVED
from spark_jobs.serving.duckdb_store import DuckDBStore
from spark_jobs.serving.meta import MetaRow
from spark_jobs.serving.postgres_store import PostgresStore
from spark_jobs.serving.publish import new_publish_id
from spark_jobs.serving.source import MartData

pytestmark = pytest.mark.integration

OLD, NEW = date(2022, 3, 2), date(2026, 11, 27)


def _mart(dt_col: str, rows: list[tuple[date, str | None, str | None]]) -> pa.Table:
    return pa.table(
        {
            dt_col: pa.array([r[0] for r in rows], pa.date32()),
            "country_cd": pa.array([r[1] for r in rows], pa.string()),
            "item_cd": pa.array([r[2] for r in rows], pa.string()),
        }
    )


def _marts() -> dict[str, pa.Table]:
    """Every mart known_codes reads; region 3900 and item 999 only on an old day."""
    series = [
        (OLD, "3900", "999"),
        (NEW, "1101", "111"),
        (NEW, "2100", "111"),
        (NEW, "0000", "112"),
    ]
    return {
        "mart_price_region_count": _mart("res_dt", [(NEW, "1101", None), (NEW, "2100", None)]),
        "mart_price_trend": _mart("res_dt", series),
        "mart_buy_signal": _mart("res_dt", [(NEW, "1101", "111"), (NEW, "2200", "111")]),
        "mart_season_region_product": _mart("res_dt", [(NEW, "2100", "211")]),
        "mart_retail_price_latest": _mart("res_dt", [(NEW, "1101", "111")]),
        "mart_retail_region_comparison": _mart("res_dt", [(NEW, "2100", "212")]),
        "mart_eco_price_by_store_type": _mart("week_start_dt", [(NEW, None, "411")]),
        "mart_eco_premium": _mart("week_start_dt", [(NEW, "2200", "411")]),
    }


def _expected(
    extra: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
) -> set[tuple[str, str]]:
    regions = {"1101", "2100", "2200", "3900", "0000"}
    items = {"111", "112", "211", "212", "411", "999"}
    return {("region", r) for r in regions} | {("item", i) for i in items} | set(extra)


def _publish(store, marts: dict[str, pa.Table]) -> None:
    pid = new_publish_id()
    now = datetime.now(UTC)
    store.publish(
        [MartData(n, t, 0) for n, t in marts.items()],
        [MetaRow(n, t.num_rows, now, "v", pid, 0) for n, t in marts.items()],
    )


@pytest.fixture(params=["duckdb", "postgres"])
def store_and_conns(request, tmp_path: Path):
    """A fresh store of each kind, with its connection and one that runs the lake query."""
    if request.param == "duckdb":
        path = tmp_path / "serving" / "jangbogi.duckdb"
        store = DuckDBStore(path)

        def connect(variant: str | None):
            conn = DuckDBConnection(path, QueryCatalog())
            conn.sql_variant = variant
            return conn
    else:
        dsn = request.getfixturevalue("pg_dsn")
        schema = "d_" + uuid.uuid4().hex[:8]
        store = PostgresStore(dsn, schema=schema)

        def connect(variant: str | None):
            conn = PostgresConnection(dsn, QueryCatalog(), schema=schema)
            conn.sql_variant = variant
            return conn

    opened: list = []

    def conns():
        for c in opened:
            c.close()
        opened[:] = [connect("serving"), connect(None)]
        return opened

    yield store, conns
    for c in opened:
        c.close()


def _codes(conn) -> set[tuple[str, str]]:
    df = conn.run("known_codes", {})
    assert list(df.columns) == ["kind", "code"]
    assert not df.duplicated().any()
    return set(df.itertuples(index=False, name=None))


def test_known_codes_reads_the_derived_table_with_the_rows_of_the_lake_query(store_and_conns):
    store, conns = store_and_conns
    _publish(store, _marts())
    serving, lake = conns()
    assert "serving_known_codes" in serving.prepare("known_codes", {}).sql
    assert "serving_known_codes" not in lake.prepare("known_codes", {}).sql
    assert _codes(serving) == _codes(lake) == _expected()
    ordered = serving.run("known_codes", {})
    assert list(ordered.itertuples(index=False, name=None)) == sorted(_expected())

    # one mart published alone: the others stay, the derived table follows both
    _publish(store, {"mart_eco_premium": _mart("week_start_dt", [(NEW, "3700", "412")])})
    serving, lake = conns()
    # 2200 and 411 left mart_eco_premium but stay: mart_buy_signal / the store-type mart have them
    want = _expected({("region", "3700"), ("item", "412")})
    assert _codes(serving) == _codes(lake) == want

    # the same publish again: same rows (idempotent)
    _publish(store, {"mart_eco_premium": _mart("week_start_dt", [(NEW, "3700", "412")])})
    serving, _ = conns()
    assert _codes(serving) == want


def test_a_store_without_one_of_the_marts_has_no_derived_table(store_and_conns):
    store, conns = store_and_conns
    marts = _marts()
    del marts["mart_eco_premium"]
    _publish(store, marts)
    serving, lake = conns()
    for conn in (serving, lake):  # both fail alike: the app then checks only the code format
        with pytest.raises(QueryError):
            conn.run("known_codes", {})


def test_derived_table_sql_reads_the_staged_marts():
    (known,) = DERIVED
    assert known.sources() == set(_marts())
    sql = known.select_sql("postgres", {"mart_price_trend": "mart_price_trend__new"})
    assert '"mart_price_trend__new"' in sql
    assert "mart_buy_signal" in sql
    assert "--" not in sql and "/*" not in sql

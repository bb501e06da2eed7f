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
from spark_jobs.gold.tables import TABLES
from spark_jobs.serving.derived import DERIVED
from spark_jobs.serving.duckdb_store import DuckDBStore
from spark_jobs.serving.meta import MetaRow
from spark_jobs.serving.postgres_store import PostgresStore
from spark_jobs.serving.publish import new_publish_id
from spark_jobs.serving.source import MartData
from testkit.synthetic import arrow_schema

pytestmark = pytest.mark.integration

OLD, NEW = date(2022, 3, 2), date(2026, 11, 27)


def _mart(name: str, rows: list[dict[str, object]]) -> pa.Table:
    """The mart's full contract schema; columns a row does not give get a plain filler value."""
    schema = arrow_schema(next(s for s in TABLES if s.name == name))
    filler = {pa.string(): "x", pa.date32(): NEW, pa.bool_(): False}
    cols = {
        f.name: pa.array(
            [r.get(f.name, filler.get(f.type, 0)) for r in rows],
            f.type,
        )
        for f in schema
    }
    return pa.table(cols, schema=schema)


def _rows(dt_col: str, rows: list[tuple[date, str, str]]) -> list[dict[str, object]]:
    return [{dt_col: d, "country_cd": c, "item_cd": i} for d, c, i in rows]


def _marts() -> dict[str, pa.Table]:
    """Every mart known_codes reads; region 3900 and item 999 only on an old day."""
    series = [
        (OLD, "3900", "999"),
        (NEW, "1101", "111"),
        (NEW, "2100", "111"),
        (NEW, "0000", "112"),
    ]
    eco = [{"week_start_dt": NEW, "item_cd": "411"}]
    return {
        "mart_price_region_count": _mart(
            "mart_price_region_count", [{"res_dt": NEW, "country_cd": c} for c in ("1101", "2100")]
        ),
        "mart_price_trend": _mart("mart_price_trend", _rows("res_dt", series)),
        "mart_buy_signal": _mart(
            "mart_buy_signal", _rows("res_dt", [(NEW, "1101", "111"), (NEW, "2200", "111")])
        ),
        "mart_season_region_product": _mart(
            "mart_season_region_product", _rows("res_dt", [(NEW, "2100", "211")])
        ),
        "mart_retail_price_latest": _mart(
            "mart_retail_price_latest", _rows("res_dt", [(NEW, "1101", "111")])
        ),
        "mart_retail_region_comparison": _mart(
            "mart_retail_region_comparison", _rows("res_dt", [(NEW, "2100", "212")])
        ),
        "mart_eco_price_by_store_type": _mart("mart_eco_price_by_store_type", eco),
        "mart_eco_premium": _mart(
            "mart_eco_premium", _rows("week_start_dt", [(NEW, "2200", "411")])
        ),
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
    _publish(
        store,
        {
            "mart_eco_premium": _mart(
                "mart_eco_premium", _rows("week_start_dt", [(NEW, "3700", "412")])
            )
        },
    )
    serving, lake = conns()
    # 2200 and 411 left mart_eco_premium but stay: mart_buy_signal / the store-type mart have them
    want = _expected({("region", "3700"), ("item", "412")})
    assert _codes(serving) == _codes(lake) == want

    # the same publish again: same rows (idempotent)
    _publish(
        store,
        {
            "mart_eco_premium": _mart(
                "mart_eco_premium", _rows("week_start_dt", [(NEW, "3700", "412")])
            )
        },
    )
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
    known = next(d for d in DERIVED if d.query == "known_codes")
    assert known.sources() == set(_marts())
    sql = known.select_sql("postgres", {"mart_price_trend": "mart_price_trend__new"})
    assert '"mart_price_trend__new"' in sql
    assert "mart_buy_signal" in sql
    assert "--" not in sql and "/*" not in sql


def _trend(day: date, country: str, item: str, category: str, name: str) -> dict[str, object]:
    return {
        "res_dt": day,
        "country_cd": country,
        "country_nm": f"r{country}",
        "category_cd": category,
        "category_nm": f"c{category}",
        "item_cd": item,
        "item_nm": name,
        "kind_cd": "01",
        "kind_nm": "k",
        "rank_cd": "04",
        "rank_nm": "상품",
        "unit": "1kg",
    }


def test_trend_items_reads_its_derived_table_in_the_query_order(store_and_conns):
    """Pickers: combos priced in the mart's last 14 days, by category, item …, region."""
    store, conns = store_and_conns
    d = lambda n: date(2026, 11, n)  # noqa: E731
    rows = [
        _trend(d(2), "1101", "211", "200", "배추"),  # 25 days before the newest day: left out
        _trend(d(13), "1101", "211", "200", "배추"),  # the window's first day (27 − 14)
        _trend(d(27), "1101", "211", "200", "배추(신)"),  # max(item_nm) over the window
        _trend(d(20), "2100", "211", "200", "배추"),
        _trend(d(24), "1101", "111", "100", "쌀"),
        _trend(d(12), "2100", "111", "100", "쌀"),  # before the window: 2100 has no 쌀 row
    ]
    marts = _marts()
    marts["mart_price_trend"] = _mart("mart_price_trend", rows)
    _publish(store, marts)
    serving, lake = conns()
    assert "serving_trend_items" in serving.prepare("trend_items", {}).sql
    got, want = serving.run("trend_items", {}), lake.run("trend_items", {})
    assert list(got.columns) == list(want.columns)
    assert got.to_dict("records") == want.to_dict("records")
    picked = [
        (r.category_nm, r.item_cd, r.item_nm, r.country_cd, r.first_dt.date(), r.latest_dt.date())
        for r in got.itertuples()
    ]
    assert picked == [
        ("c100", "111", "쌀", "1101", d(24), d(24)),
        ("c200", "211", "배추(신)", "1101", d(13), d(27)),
        ("c200", "211", "배추", "2100", d(20), d(20)),
    ]


def test_retail_price_latest_reads_the_newest_day_in_the_query_order(store_and_conns):
    store, conns = store_and_conns
    rows = [
        {"res_dt": day, "country_cd": c, "channel_cd": ch, "item_cd": i, "price": p}
        for day, c, ch, i, p in [
            (OLD, "1101", "traditional", "111", 1.0),  # an older day: left out
            (NEW, "2100", "large_retail", "111", 2.0),
            (NEW, "1101", "traditional", "112", 3.0),
            (NEW, "1101", "large_retail", "112", 4.0),
            (NEW, "1101", "large_retail", "111", 5.0),
        ]
    ]
    marts = _marts()
    marts["mart_retail_price_latest"] = _mart("mart_retail_price_latest", rows)
    _publish(store, marts)
    serving, lake = conns()
    got, want = serving.run("retail_price_latest", {}), lake.run("retail_price_latest", {})
    assert "serving_retail_price_latest" in serving.prepare("retail_price_latest", {}).sql
    assert got.to_dict("records") == want.to_dict("records")
    assert list(got["price"]) == [5.0, 4.0, 3.0, 2.0]  # region, channel, item order


def test_a_derived_table_whose_query_fails_is_dropped_not_left_stale(store_and_conns):
    store, conns = store_and_conns
    _publish(store, _marts())
    serving, _ = conns()
    assert len(serving.run("trend_items", {})) > 0
    # mart_price_trend republished without item_nm: trend_items cannot run on it any more
    trend = _marts()["mart_price_trend"].drop_columns(["item_nm"])
    _publish(store, {"mart_price_trend": trend})
    serving, lake = conns()
    for conn in (serving, lake):
        with pytest.raises(QueryError):
            conn.run("trend_items", {})
    assert _codes(serving) == _codes(lake) == _expected()  # known_codes still built

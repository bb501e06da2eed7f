"""The dashboard's named queries give the same rows on DuckDB and PostgreSQL; parameters stay data."""

from __future__ import annotations

import shutil
import uuid
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from dashboard.db import MissingParameterError, QueryError, UnknownQueryError, connect
from dashboard.db.queries import DEFAULT_SQL_DIR, QueryCatalog
from dashboard.db.sqlbind import placeholders
from spark_jobs.serving.publish import publish_all
from tests.integration.conftest import GOLD_DAYS, GOLD_ITEMS, GOLD_REGIONS, serving_profile

pytestmark = pytest.mark.integration
FIXTURE_SQL = Path(__file__).resolve().parents[1] / "fixtures" / "sql"


def _query_dirs() -> list[Path]:
    """Our fixtures always; the app's dashboard/sql too once it holds queries."""
    return [FIXTURE_SQL, *([DEFAULT_SQL_DIR] if list(DEFAULT_SQL_DIR.glob("*.sql")) else [])]


ALL_QUERIES = [(d, name) for d in _query_dirs() for name in QueryCatalog(d).names()]
LAST = GOLD_DAYS[-1]
ITEM = GOLD_ITEMS[0]
# a value for every parameter name the queries use, taken from the synthetic gold lake
SAMPLE = {
    "res_dt": LAST,
    "date": LAST,
    "as_of_dt": LAST,
    "end_dt": LAST,
    "to_dt": LAST,
    "start_dt": GOLD_DAYS[0],
    "from_dt": GOLD_DAYS[0],
    "week_start_dt": LAST - timedelta(days=LAST.weekday()),
    "country_cd": "1101",
    "region_cd": "1101",
    "country_cds": ["1101", "2100"],
    "region_cds": ["1101", "2100"],
    "item_cd": ITEM.item_cd,
    "kind_cd": ITEM.kind_cd,
    "rank_cd": ITEM.rank_cd,
    "eco_rank_cd": "01",
    "category_cd": ITEM.category_cd,
    "item_cds": [i.item_cd for i in GOLD_ITEMS[:3]],
    "category_cds": [ITEM.category_cd],
    "channel_cd": "large_retail",
    "basket_cd": "weekly",
    "signal_cd": "cheap",
    "signal_cds": ["cheap", "normal"],
    "store_type_nm": "대형마트",
    "item_q": "0",
    "limit": 50,
    "top_n": 10,
    "n": 10,
    "days": 30,
    "weeks": 8,
    "months": 12,
    "years": 5,
}


def params_for(sql: str) -> dict[str, object]:
    missing = [p for p in placeholders(sql) if p not in SAMPLE]
    assert not missing, f"add sample values for {missing} to SAMPLE in {__file__}"
    return {p: SAMPLE[p] for p in placeholders(sql)}


@pytest.fixture(scope="module")
def stores(gold_lake, tmp_path_factory, pg_dsn):
    """The same gold lake published to DuckDB and to PostgreSQL (own schema)."""
    root = tmp_path_factory.mktemp("backends")
    shutil.copytree(gold_lake[0] / "warehouse", root / "warehouse")
    schema = "b_" + uuid.uuid4().hex[:8]
    duck_profile = serving_profile(root, "duckdb")
    pg_profile = serving_profile(root, "postgres", pg_dsn).with_overrides(
        {"serving.schema": schema}
    )
    publish_all(duck_profile)
    publish_all(pg_profile)
    return duck_profile, pg_profile


@pytest.fixture(scope="module")
def conns(stores):
    out = {}
    for profile in stores:
        conn = connect(profile)
        out[conn.backend] = conn
    yield out
    for c in out.values():
        c.close()


def _catalogued(conn, sql_dir: Path):
    conn.catalog = QueryCatalog(sql_dir)
    return conn


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(list(df.columns), na_position="first", kind="mergesort").reset_index(
        drop=True
    )


@pytest.mark.parametrize(
    ("sql_dir", "name"), ALL_QUERIES, ids=[f"{d.parent.name}/{n}" for d, n in ALL_QUERIES]
)
def test_named_query_same_on_duckdb_and_postgres(conns, sql_dir, name):
    duck, pg = _catalogued(conns["duckdb"], sql_dir), _catalogued(conns["postgres"], sql_dir)
    params = params_for(duck.catalog.sql(name))
    a, b = duck.run(name, params), pg.run(name, params)
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    pd.testing.assert_frame_equal(_sorted(a), _sorted(b), check_dtype=False, rtol=1e-9, atol=1e-9)


@pytest.fixture(scope="module")
def pg_row_by_row(stores):
    """A second PostgreSQL connection that fetches row by row (psycopg2), not through COPY."""
    conn = connect(stores[1])
    conn.copy_results = False
    yield conn
    conn.close()


@pytest.mark.parametrize(
    ("sql_dir", "name"), ALL_QUERIES, ids=[f"{d.parent.name}/{n}" for d, n in ALL_QUERIES]
)
def test_postgres_copy_reads_what_fetching_row_by_row_reads(conns, pg_row_by_row, sql_dir, name):
    """Same columns, dtypes, values and order: COPY only changes how the rows travel."""
    copied, fetched = _catalogued(conns["postgres"], sql_dir), _catalogued(pg_row_by_row, sql_dir)
    assert copied.copy_results and not fetched.copy_results
    params = params_for(copied.catalog.sql(name))
    a, b = copied.run(name, params), fetched.run(name, params)
    for col in b.columns:
        if b[col].dtype == object and b[col].isna().all() and a[col].dtype == "datetime64[ns]":
            b[col] = b[col].astype("datetime64[ns]")  # a date column of NULLs only (pg_copy.py)
    pd.testing.assert_frame_equal(a, b)


def test_fixture_queries_return_rows(conns):
    """The fixture queries hit data (so the comparison above is not of two empty frames)."""
    duck = _catalogued(conns["duckdb"], FIXTURE_SQL)
    for name in QueryCatalog(FIXTURE_SQL).names():
        df = duck.run(name, params_for(duck.catalog.sql(name)))
        assert len(df) > 0, name
    basket = duck.run("fx_basket_cost_regions", {"res_dt": LAST, "country_cds": ["1101", "2100"]})
    assert set(basket["country_cd"]) == {"1101", "2100"}
    assert len(duck.run("fx_basket_cost_regions", {"res_dt": LAST, "country_cds": []})) == 0
    signals = duck.run("fx_buy_signal_by_region", {"country_cd": "1101", "res_dt": LAST})
    assert len(signals) == len(GOLD_ITEMS)
    assert pd.api.types.is_datetime64_dtype(duck.run("fx_latest_date", {})["res_dt"])


INJECTIONS = [
    "1101' OR '1'='1",
    "'; DROP TABLE mart_buy_signal; --",
    "1101'; DELETE FROM serving_meta; --",
    "$country_cd",
    "%(country_cd)s",
    "?",
    "1101\\'; DROP TABLE mart_buy_signal; --",
]


@pytest.mark.parametrize("backend", ["duckdb", "postgres"])
@pytest.mark.parametrize("evil", INJECTIONS)
def test_injection_through_every_parameter_is_just_data(conns, backend, evil):
    conn = _catalogued(conns[backend], FIXTURE_SQL)
    before = conn.run("fx_latest_date", {})
    for name in (
        "fx_buy_signal_by_region",
        "fx_price_trend_series",
        "fx_basket_cost_regions",
        "fx_eco_premium_search",
    ):
        params = params_for(conn.catalog.sql(name))
        for key in params:
            if "_dt" in key:
                continue  # a date parameter given text fails the cast cleanly; tested below
            bad = dict(params, **{key: [evil] if isinstance(params[key], list) else evil})
            assert len(conn.run(name, bad)) == 0, (name, key)
    for key in ("res_dt",):
        with pytest.raises(QueryError):
            conn.run("fx_buy_signal_by_region", {"country_cd": "1101", key: evil})
    assert conn.run("fx_latest_date", {}).equals(before)
    assert len(conn.run("fx_buy_signal_by_region", {"country_cd": "1101", "res_dt": LAST})) == len(
        GOLD_ITEMS
    )


@pytest.mark.parametrize("backend", ["duckdb", "postgres"])
def test_missing_query_and_parameter_are_clear_errors(conns, backend):
    conn = _catalogued(conns[backend], FIXTURE_SQL)
    with pytest.raises(UnknownQueryError, match="no_such_query"):
        conn.run("no_such_query", {})
    with pytest.raises(UnknownQueryError):
        conn.run("../../etc/passwd", {})
    with pytest.raises(MissingParameterError, match="res_dt"):
        conn.run("fx_buy_signal_by_region", {"country_cd": "1101"})


@pytest.mark.parametrize("kind", ["duckdb", "postgres"])
def test_new_publish_shows_at_once_through_the_cache(kind, gold_lake, tmp_path, pg_dsn):
    """The app caches query results by data version (components/data.py): a publish changes it."""
    shutil.copytree(gold_lake[0] / "warehouse", tmp_path / "warehouse")
    profile = serving_profile(tmp_path, kind, pg_dsn, sql_dir=FIXTURE_SQL).with_overrides(
        {"serving.schema": "c_" + uuid.uuid4().hex[:8]}
    )
    publish_all(profile)
    conn = connect(profile)
    try:
        v1 = conn.data_version()
        first = conn.run("fx_latest_date", {})
        assert conn.data_version() == v1  # reading does not move the version

        # the lake moves on: drop the last day of mart_buy_signal and publish again
        from deltalake import DeltaTable, write_deltalake

        from spark_jobs.serving.source import mart_uri

        uri = mart_uri(str(tmp_path / "warehouse"), "mart_buy_signal")
        t = DeltaTable(uri).to_pyarrow_table()
        import pyarrow.compute as pc

        write_deltalake(
            uri, t.filter(pc.less(t["res_dt"], pa.scalar(LAST, pa.date32()))), mode="overwrite"
        )
        publish_all(profile)

        assert conn.data_version() != v1  # a new cache key: the next call misses
        newer = conn.run("fx_latest_date", {})
        assert newer["res_dt"].iloc[0] == pd.Timestamp(GOLD_DAYS[-2])
        assert first["res_dt"].iloc[0] == pd.Timestamp(LAST)
    finally:
        conn.close()


def test_duckdb_reader_survives_publishes_while_open(gold_lake, tmp_path):
    """An open dashboard connection does not block a publish and follows it on the next query."""
    shutil.copytree(gold_lake[0] / "warehouse", tmp_path / "warehouse")
    profile = serving_profile(tmp_path, "duckdb", sql_dir=FIXTURE_SQL)
    publish_all(profile)
    conn = connect(profile)
    try:
        v1 = conn.data_version()
        assert len(conn.run("fx_latest_date", {})) == 1
        for _ in range(3):  # older files are removed while the connection is open
            publish_all(profile)
            assert len(
                conn.run("fx_buy_signal_by_region", {"country_cd": "1101", "res_dt": LAST})
            ) == len(GOLD_ITEMS)
        assert conn.data_version() != v1
    finally:
        conn.close()


def test_region_list_of_all_regions_matches_no_filter(conns):
    duck = _catalogued(conns["duckdb"], FIXTURE_SQL)
    all_codes = [cd for cd, _ in GOLD_REGIONS]
    df = duck.run(
        "fx_basket_cost_regions", {"res_dt": date(2026, 11, 27), "country_cds": all_codes}
    )
    assert sorted(df["country_cd"].unique()) == sorted(all_codes)

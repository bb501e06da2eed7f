"""dim_market's names come from the partitions written since its last run, and equal a full scan.

Two small tables in their own database stand for the market and eco price tables (``res_dt``
partitions, the three name columns); the names are kept in a cache table of that database too.
After each change the cached names must be exactly the distinct names of a scan of everything,
and the refresh must have read exactly the partitions that changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold._common import frame
from spark_jobs.lake import publish, read_window
from spark_jobs.silver import dim_market as m
from spark_jobs.table_spec import TableSpec

pytestmark = pytest.mark.spark

D1, D2, D3 = date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)
COLUMNS = "country_cd STRING, country_nm STRING, market_nm STRING, price DOUBLE, res_dt DATE"
MARKETS = TableSpec(
    "dmtest", "markets", COLUMNS, "market prices", partition_by=("res_dt",), date_column="res_dt"
)
ECO = TableSpec(
    "dmtest", "eco", COLUMNS, "eco prices", partition_by=("res_dt",), date_column="res_dt"
)
CACHE = replace(m.CACHE, layer="dmtest")
TABLES = (MARKETS, ECO)


def _row(day: date, cd: str | None, region: str, market: str | None) -> dict:
    return {"res_dt": day, "country_cd": cd, "country_nm": region, "market_nm": market}


def _put(spark, spec: TableSpec, rows: list[dict], day: date | None = None) -> None:
    publish(spark, spec, frame(spark, spec, rows), day, day, full_refresh=day is None)


@pytest.fixture(scope="module")
def lake(spark) -> Iterator:
    spark.sql("DROP DATABASE IF EXISTS kamis_dmtest CASCADE")
    _put(
        spark,
        MARKETS,
        [
            _row(D1, "1101", "서울", "E-유통"),
            _row(D1, "1101", "서울", "E-유통"),  # the same name twice in a day
            _row(D1, "1101", "서울", "경동"),
            _row(D2, "1101", "서울", "경동"),
            _row(D2, "2100", "부산", None),  # no name: kept in the cache, left out by transform
        ],
    )
    _put(spark, ECO, [_row(D1, None, "서울", "친환경-생협")])
    yield spark
    spark.sql("DROP DATABASE IF EXISTS kamis_dmtest CASCADE")


def _refresh(spark, full: bool = False):
    refreshed = m.refresh_names(spark, full=full, tables=TABLES, cache=CACHE)
    for spec in TABLES:
        scan = read_window(spark, spec, None, None).select(*m.NAME_COLUMNS).distinct()
        assertDataFrameEqual(m.names_of(refreshed.rows, spec), scan)
    return refreshed


def _names(refreshed, spec: TableSpec) -> set[tuple]:
    return {tuple(r) for r in m.names_of(refreshed.rows, spec).collect()}


def test_first_run_reads_every_partition(lake):
    refreshed = _refresh(lake)
    assert (refreshed.kept, refreshed.read, refreshed.full_reads) == (0, 3, ())
    assert _names(refreshed, MARKETS) == {
        ("1101", "서울", "E-유통"),
        ("1101", "서울", "경동"),
        ("2100", "부산", None),
    }
    assert _names(refreshed, ECO) == {(None, "서울", "친환경-생협")}


def test_an_unchanged_lake_reads_nothing(lake):
    refreshed = _refresh(lake)
    assert (refreshed.kept, refreshed.read) == (3, 0)


def test_a_new_and_a_replaced_day_are_read_alone(lake):
    _put(lake, MARKETS, [_row(D2, "2100", "부산", "부전")], D2)  # 경동 stays through D1
    _put(lake, MARKETS, [_row(D3, "1101", "서울", "L-유통")], D3)
    refreshed = _refresh(lake)
    assert (refreshed.kept, refreshed.read) == (2, 2)
    assert _names(refreshed, MARKETS) == {
        ("1101", "서울", "E-유통"),
        ("1101", "서울", "경동"),
        ("2100", "부산", "부전"),
        ("1101", "서울", "L-유통"),
    }


def test_an_emptied_day_drops_its_names(lake):
    _put(lake, MARKETS, [], D1)
    refreshed = _refresh(lake)
    assert (refreshed.kept, refreshed.read) == (3, 0)
    assert ("1101", "서울", "E-유통") not in _names(refreshed, MARKETS)
    assert ("1101", "서울", "경동") not in _names(refreshed, MARKETS)


def test_a_full_refresh_reads_everything(lake):
    refreshed = _refresh(lake, full=True)
    assert (refreshed.kept, refreshed.read) == (0, 3)


def test_the_dimension_from_cached_names_equals_the_one_from_full_tables(lake):
    from spark_jobs.silver import reference
    from spark_jobs.silver.template import known_regions

    refreshed = _refresh(lake)
    observed = reference.observed_markets(lake)
    regions = known_regions(lake)
    cached = m.transform(
        m.names_of(refreshed.rows, MARKETS), m.names_of(refreshed.rows, ECO), observed, regions
    )
    full = m.transform(
        read_window(lake, MARKETS, None, None),
        read_window(lake, ECO, None, None),
        observed,
        regions,
    )
    assertDataFrameEqual(cached, full)
    channels = {r.market_nm: r.channel_cd for r in cached.collect()}
    assert channels["L-유통"] == "large_retail"
    assert channels["부전"] == "traditional"
    assert channels["친환경-생협"] == "eco_store"

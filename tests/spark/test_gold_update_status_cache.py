"""mart_update_status reads only the partitions written since its last run, and equals a full scan.

Three small tables in their own database stand for the sources: call rows (a region, an outcome),
price rows (a region, a price that may be missing) and a table without partitions (read in full
every run). After each change to the lake the cached refresh must give the very rows a scan of
everything gives, and must have read exactly the partitions that changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_update_status as m
from spark_jobs.gold._common import frame
from spark_jobs.lake import publish, read_window
from spark_jobs.table_spec import TableSpec

pytestmark = pytest.mark.spark

AS_OF = date(2025, 1, 4)
AT = datetime(2025, 1, 4, 9, 0)
D1, D2, D3 = date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)

CALLS = TableSpec(
    "stattest",
    "calls",
    "outcome STRING NOT NULL, region STRING, req_dt DATE NOT NULL",
    "one row per call",
    partition_by=("req_dt",),
    not_null=("outcome", "req_dt"),
    date_column="req_dt",
)
PRICES = TableSpec(
    "stattest",
    "prices",
    "country_cd STRING NOT NULL, price DOUBLE, res_dt DATE NOT NULL",
    "one row per day and region",
    partition_by=("res_dt",),
    not_null=("country_cd", "res_dt"),
    date_column="res_dt",
)
ITEMS = TableSpec("stattest", "items", "item_cd STRING NOT NULL", "no partitions")
SOURCES = (
    m.Source("calls", CALLS, "req_dt", "region", latest_filter="outcome = 'ok'"),
    m.Source("prices", PRICES, "res_dt", "country_cd", count_filter="price IS NOT NULL"),
    m.Source("items", ITEMS, "date'2025-01-01'", None),
)


def _put(spark, spec: TableSpec, rows: list[dict], day: date | None = None) -> None:
    publish(spark, spec, frame(spark, spec, rows), day, day, full_refresh=day is None)


@pytest.fixture(scope="module")
def lake(spark) -> Iterator:
    spark.sql("DROP DATABASE IF EXISTS kamis_stattest CASCADE")
    calls = [
        {"req_dt": D1, "outcome": "ok", "region": "1101"},
        {"req_dt": D1, "outcome": "ok", "region": "2100"},
        {"req_dt": D2, "outcome": "ok", "region": "1101"},
        {"req_dt": D3, "outcome": "failed", "region": "3100"},
    ]
    prices = [
        {"res_dt": D1, "country_cd": "1101", "price": 100.0},
        {"res_dt": D2, "country_cd": "1101", "price": 110.0},
        {"res_dt": D3, "country_cd": "1101", "price": None},
    ]
    _put(spark, CALLS, calls)
    _put(spark, PRICES, prices)
    _put(spark, ITEMS, [{"item_cd": "111"}, {"item_cd": "112"}])
    yield spark
    spark.sql("DROP DATABASE IF EXISTS kamis_stattest CASCADE")


def _full_scan(spark):
    frames = {s.source_nm: read_window(spark, s.spec, None, None) for s in SOURCES}
    return m.transform(frames, AS_OF, AT, SOURCES)


def _refresh(spark, full: bool = False, sources=SOURCES):
    refreshed = m.refresh_stats(spark, full=full, sources=sources)
    out = m.combine(refreshed.rows, AS_OF, AT, sources)
    return refreshed, {r.source_nm: r for r in out.collect()}, out


def _figures(rows) -> dict:
    return {k: (r.latest_dt, r.row_cnt, r.region_cnt) for k, r in rows.items()}


def test_first_run_reads_every_partition_and_counts_by_hand(lake):
    refreshed, rows, out = _refresh(lake)
    # calls: 3 partitions; prices: 2 partitions with a priced row (the '-' day counts nowhere)
    assert (refreshed.kept, refreshed.read) == (0, 6)
    assert refreshed.full_reads == ("items",)
    assert _figures(rows) == {
        "calls": (D2, 4, 3),  # the failed 01-03 call is a row and a region, not the latest
        "prices": (D2, 2, 1),
        "items": (D1, 2, 0),
    }
    assertDataFrameEqual(out, _full_scan(lake))


def test_an_unchanged_lake_reads_nothing(lake):
    refreshed, _, out = _refresh(lake)
    assert (refreshed.kept, refreshed.read) == (6, 0)
    assertDataFrameEqual(out, _full_scan(lake))


def test_a_replaced_day_is_read_again_alone(lake):
    prices = [
        {"res_dt": D2, "country_cd": "1101", "price": 120.0},
        {"res_dt": D2, "country_cd": "2100", "price": 130.0},
    ]
    _put(lake, PRICES, prices, D2)
    refreshed, rows, out = _refresh(lake)
    assert (refreshed.kept, refreshed.read) == (5, 1)
    assert _figures(rows)["prices"] == (D2, 3, 2)
    assertDataFrameEqual(out, _full_scan(lake))


def test_a_day_emptied_drops_out(lake):
    _put(lake, CALLS, [], D3)  # the failed call's day replaced by nothing: its files are gone
    refreshed, rows, out = _refresh(lake)
    assert (refreshed.kept, refreshed.read) == (5, 0)
    assert _figures(rows)["calls"] == (D2, 3, 2)
    assertDataFrameEqual(out, _full_scan(lake))


def test_a_full_refresh_reads_everything(lake):
    refreshed, _, out = _refresh(lake, full=True)
    assert (refreshed.kept, refreshed.read) == (0, 5)
    assertDataFrameEqual(out, _full_scan(lake))


def test_changed_logic_recomputes_that_source(lake):
    counted = m.Source("calls", CALLS, "req_dt", "region", "outcome = 'ok'", "outcome = 'ok'")
    sources = (counted, *SOURCES[1:])
    refreshed, rows, _ = _refresh(lake, sources=sources)
    assert (refreshed.kept, refreshed.read) == (3, 2)  # prices kept; both calls days read again
    assert _figures(rows)["calls"] == (D2, 3, 2)
    assert refreshed.full_reads == ("items",)

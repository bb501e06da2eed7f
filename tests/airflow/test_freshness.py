"""The freshness check's verdicts, worked out by hand."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from spark_jobs.ops.freshness import MartState, late_marts, late_sources, mart_state

pytestmark = pytest.mark.unit
D = date(2026, 11, 26)


def _row(name, latest, as_of=D):
    return {"source_nm": name, "latest_dt": latest, "as_of_dt": as_of}


def test_fresh_sources_pass():
    rows = [
        _row("dailyPriceByCategoryList", date(2026, 11, 26)),
        _row("EcoPriceList", date(2026, 11, 20)),
    ]
    assert late_sources(rows, D) == []


def test_late_missing_and_stale_status_are_reported():
    rows = [
        _row("dailyPriceByCategoryList", date(2026, 11, 22)),  # 4 days > 3
        _row("dailyCountyList", None),
        _row("productInfo", date(2026, 11, 25), as_of=date(2026, 11, 25)),
        _row("EcoPriceList", date(2026, 11, 16)),  # 10 days: allowed for a weekly source
    ]
    late = late_sources(rows, D)
    assert [line.split(":")[0] for line in late] == [
        "dailyPriceByCategoryList",
        "dailyCountyList",
        "productInfo",
    ]
    assert late_sources([], D) == ["mart_update_status: no rows (the gold build has not run)"]


def test_marts_late_empty_and_sparse():
    marts = [
        MartState("mart_buy_signal", True, 10, date(2026, 11, 25)),  # 1 day: fresh
        MartState("mart_price_trend", True, 10, date(2026, 11, 22)),  # 4 days > 3: late
        MartState("mart_eco_premium", True, 3, date(2026, 11, 16)),  # 10 days: weekly, fresh
        MartState("mart_eco_price_by_store_type", True, 3, date(2026, 11, 15)),  # 11 > 10
        MartState("mart_price_alerts", True, 1, date(2026, 9, 1)),  # sparse: any age
        MartState("mart_price_drop_top3", True, 0, None),  # empty: a note, not lateness
        MartState("mart_basket_cost", False),  # no table: late
    ]
    late, notes = late_marts(marts, D)
    assert [line.split(":")[0] for line in late] == [
        "mart_price_trend",
        "mart_eco_price_by_store_type",
        "mart_basket_cost",
    ]
    assert "4 days behind 2026-11-26 (allowed 3)" in late[0]
    assert [line.split(":")[0] for line in notes] == ["mart_price_drop_top3"]


def test_mart_state_reads_rows_and_latest_date_from_the_delta_log(tmp_path):
    from deltalake import write_deltalake

    table = tmp_path / "kamis_gold.db" / "mart_price_trend"
    write_deltalake(str(table), pa.table({"res_dt": [date(2026, 11, 20), date(2026, 11, 24)]}))
    write_deltalake(str(table), pa.table({"res_dt": [date(2026, 11, 21)]}), mode="append")
    empty = tmp_path / "kamis_gold.db" / "mart_price_drop_top3"
    write_deltalake(str(empty), pa.table({"res_dt": pa.array([], pa.date32())}))
    assert mart_state(str(tmp_path), "mart_price_trend", "res_dt") == MartState(
        "mart_price_trend", True, 3, date(2026, 11, 24)
    )
    assert mart_state(str(tmp_path), "mart_price_drop_top3", "res_dt") == MartState(
        "mart_price_drop_top3", True, 0, None
    )
    assert mart_state(str(tmp_path), "mart_basket_cost", "res_dt") == MartState(
        "mart_basket_cost", False
    )

"""The forecast marts' named queries on a hand-built serving store (newest as-of day, usable only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.db import connect
from spark_jobs.config import load_profile
from spark_jobs.gold import tables as gold
from tests.dashboard_serving import build_serving_store

pytestmark = pytest.mark.unit
NEW, OLD = dt.date(2026, 11, 29), dt.date(2026, 11, 22)
ITEM = {"item_cd": "211", "item_nm": "배추", "kind_cd": "01", "kind_nm": "봄", "rank_cd": "04"}
SEOUL = {"country_cd": "1101", "country_nm": "서울"}


def _forecast(as_of, h, usable) -> dict:
    return {
        "as_of_dt": as_of,
        **SEOUL,
        **ITEM,
        "horizon_weeks": h,
        "forecast_price": 1000.0 + h,
        "lo_80_price": 900.0,
        "hi_80_price": 1100.0,
        "usable": usable,
    }


def _timing(item_cd, timing_cd, change, as_of=NEW) -> dict:
    return {
        "as_of_dt": as_of,
        "res_dt": as_of,
        **SEOUL,
        **ITEM,
        "item_cd": item_cd,
        "timing_cd": timing_cd,
        "expected_change_pct": change,
        "reason_txt": "r",
        "price": 1.0,
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = {
        gold.MART_PRICE_FORECAST.name: [
            _forecast(NEW, 1, True),
            _forecast(NEW, 2, False),  # not usable: never shown
            _forecast(NEW, 4, True),
            _forecast(OLD, 1, True),  # an older as-of day
        ],
        gold.MART_FORECAST_BACKTEST.name: [
            {
                "as_of_dt": NEW,
                **SEOUL,
                **ITEM,
                "horizon_weeks": h,
                "model_mape_pct": 5.0,
                "usable": h != 2,
            }
            for h in (1, 2, 4)
        ],
        gold.MART_BUY_TIMING.name: [
            _timing("212", "normal", None),
            _timing("213", "buy_now", 6.0),
            _timing("214", "wait", -4.0),
            _timing("215", "wait", -9.0),
            _timing("216", "wait", -20.0, as_of=OLD),
        ],
        gold.MART_SUBSTITUTES.name: [
            {
                "as_of_dt": NEW,
                "res_dt": NEW,
                **SEOUL,
                **ITEM,
                "rank_no": r,
                "sub_item_cd": s,
                "sub_unit_price": 10.0 * r,
                "unit_price": 50.0,
            }
            for r, s in ((2, "279"), (1, "212"))
        ],
    }
    return build_serving_store(tmp_path_factory.mktemp("forecast") / "jangbogi.duckdb", rows)


def _run(path: Path, query: str, **params) -> list[dict]:
    conn = connect(load_profile("local", {"serving.path": str(path)}))
    try:
        return conn.run(query, params).to_dict("records")
    finally:
        conn.close()


def test_price_forecast_is_the_newest_usable_one(store: Path) -> None:
    rows = _run(
        store, "price_forecast", country_cd="1101", item_cd="211", kind_cd="01", rank_cd="04"
    )
    assert [(r["horizon_weeks"], r["forecast_price"]) for r in rows] == [(1, 1001.0), (4, 1004.0)]
    back = _run(
        store, "forecast_backtest", country_cd="1101", item_cd="211", kind_cd="01", rank_cd="04"
    )
    assert [(r["horizon_weeks"], r["usable"]) for r in back] == [(1, True), (2, False), (4, True)]


def test_buy_timing_lists_wait_first_then_buy_now_then_normal(store: Path) -> None:
    rows = _run(store, "buy_timing", country_cd="1101")
    assert [(r["item_cd"], r["timing_cd"]) for r in rows] == [
        ("215", "wait"),
        ("214", "wait"),
        ("213", "buy_now"),
        ("212", "normal"),
    ]


def test_substitutes_in_rank_order(store: Path) -> None:
    rows = _run(store, "substitutes", country_cd="1101")
    assert [(r["rank_no"], r["sub_item_cd"]) for r in rows] == [(1, "212"), (2, "279")]

"""The today tab's named queries on hand-built serving stores, against rows worked out by hand.

The Saturday store (tests/dashboard_serving.py ``saturday_rows``): produce was last surveyed on
Friday 11-27, livestock on Saturday 11-28; 사과 last on 11-20, outside the 7-day look-back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.db import connect
from dashboard.db.queries import QueryCatalog
from dashboard.db.sqlbind import compile_sql
from spark_jobs.config import load_profile

pytestmark = pytest.mark.unit
SAT, FRI, THU = dt.date(2026, 11, 28), dt.date(2026, 11, 27), dt.date(2026, 11, 26)


def run(path: Path, query: str, **params) -> list[dict]:
    conn = connect(load_profile("local", {"serving.path": str(path)}))
    try:
        df = conn.run(query, params)
    finally:
        conn.close()
    for col in ("res_dt", "latest_dt", "prev_dt", "stale_dt"):
        if col in df.columns:
            df[col] = [None if v is None or v != v else v.date() for v in df[col]]
    return df.to_dict("records")


def test_saturday_buy_signals_are_each_items_latest_survey_day(saturday_serving_path) -> None:
    rows = run(saturday_serving_path, "buy_signal", country_cd="1101")
    got = [(r["item_nm"], r["rank_nm"], r["res_dt"], r["signal_nm"], r["price"]) for r in rows]
    assert got == [
        # cheap first, then by percentile: 배추 10 (Fri), 닭 15, 안심 1+ 20
        ("배추", "상품", FRI, "싸요", 3400.0),
        ("닭", "육계(kg)", SAT, "싸요", 5700.0),
        ("소", "1+등급", SAT, "싸요", 10560.0),
        ("양파", "상품", FRI, "보통", 3000.0),  # 40
        ("무", "상품", FRI, "보통", 2100.0),  # 50
        ("소", "1++등급", SAT, "비싸요", 14420.0),  # 85
        ("돼지", "삼겹살", SAT, "비싸요", 2600.0),  # 90; 사과 (11-20) is older than 7 days
    ]
    assert {r["latest_dt"] for r in rows} == {SAT}


def test_saturday_updown_counts_every_item_on_its_latest_survey_day(saturday_serving_path) -> None:
    [row] = run(saturday_serving_path, "price_region_count", country_cd="1101")
    # down: 배추 4000→3400 (Fri), 닭 6000→5700, 안심 1+ 11000→10560; up: 무 2000→2100 (Fri),
    # 삼겹살 2500→2600, 안심 1++ 14000→14420; flat: 양파 3000→3000 (Fri)
    assert (row["up_cnt"], row["down_cnt"], row["flat_cnt"], row["total_cnt"]) == (3, 3, 1, 7)
    assert (row["res_dt"], row["latest_dt"], row["stale_cnt"], row["stale_dt"]) == (
        SAT,
        SAT,
        3,
        FRI,
    )
    assert row["country_cd"] == "1101" and row["country_nm"] == "서울"


def test_saturday_top3_falls_and_rises_include_fridays_produce(saturday_serving_path) -> None:
    def cols(r: dict) -> tuple:
        return (
            r["rank_no"],
            r["item_nm"],
            r["kind_nm"],
            r["res_dt"],
            r["prev_dt"],
            r["change_pr"],
            r["change_pct"],
        )

    drops = run(saturday_serving_path, "price_drop_top3", country_cd="1101")
    assert [cols(r) for r in drops] == [
        (1, "배추", "월동", FRI, THU, -600.0, -15.0),  # 600 / 4000
        (2, "닭", "육계(kg)", SAT, FRI, -300.0, -5.0),  # 300 / 6000
        (3, "소", "안심", SAT, FRI, -440.0, -4.0),  # 440 / 11000
    ]
    rises = run(saturday_serving_path, "price_rise_top3", country_cd="1101")
    assert [cols(r) for r in rises] == [
        (1, "무", "월동", FRI, THU, 100.0, 5.0),  # 100 / 2000
        (2, "돼지", "삼겹살", SAT, FRI, 100.0, 4.0),  # 100 / 2500
        (3, "소", "안심", SAT, FRI, 420.0, 3.0),  # 420 / 14000
    ]
    assert {r["latest_dt"] for r in drops + rises} == {SAT}


def test_on_a_weekday_the_queries_agree_with_the_day_marts(serving_path) -> None:
    """Monday 11-30: every item was surveyed today, so the result is the day's top 3 and counts."""
    drops = run(serving_path, "price_drop_top3", country_cd="1101")
    assert [(r["item_nm"], r["change_pct"], r["prev_dt"]) for r in drops] == [
        ("배추", -17.9, dt.date(2026, 11, 27)),
        ("무", -12.5, dt.date(2026, 11, 27)),
        ("양파", -5.4, dt.date(2026, 11, 27)),
    ]
    [count] = run(serving_path, "price_region_count", country_cd="1101")
    assert (count["down_cnt"], count["up_cnt"], count["flat_cnt"], count["stale_cnt"]) == (
        3,
        2,
        1,
        0,
    )
    signals = run(serving_path, "buy_signal", country_cd="1101")
    assert [r["item_nm"] for r in signals] == ["배추", "양파", "무", "사과"]


def test_a_region_without_rows_gives_no_counts(serving_path) -> None:
    assert run(serving_path, "price_region_count", country_cd="9999") == []
    assert run(serving_path, "price_drop_top3", country_cd="9999") == []


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "trino"])
@pytest.mark.parametrize(
    "name", ["buy_signal", "price_region_count", "price_drop_top3", "price_rise_top3"]
)
def test_the_today_queries_translate_to_every_dialect(name: str, dialect: str) -> None:
    text, keys = compile_sql(QueryCatalog().sql(name), dialect)
    assert set(keys) == {"country_cd"} and "mart_" in text

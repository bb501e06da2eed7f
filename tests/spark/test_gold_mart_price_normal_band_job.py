"""The band and buy-signal jobs end to end: read silver with its look-back slices, publish, read back.

Rows go to a private region '9999' of the session's silver table and are deleted afterwards.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from spark_jobs.gold import mart_buy_signal, mart_price_normal_band
from spark_jobs.gold._common import frame
from spark_jobs.gold.tables import MART_BUY_SIGNAL, MART_PRICE_NORMAL_BAND
from spark_jobs.jobs import JobContext
from spark_jobs.lake import conform, ensure_table
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

pytestmark = pytest.mark.spark

REGION = "9999"
DAY = date(2024, 3, 13)


def _p(day: str, price: float) -> dict:
    return {
        "res_dt": date.fromisoformat(day),
        "product_cls_cd": "01",
        "category_cd": "200",
        "country_cd": REGION,
        "country_nm": "시험",
        "item_cd": "211",
        "item_nm": "배추",
        "kind_cd": "01",
        "kind_nm": "월동",
        "rank_cd": "04",
        "price": price,
        "request_id": "test",
        "fetched_at": datetime(2024, 3, 13, 18, 0),
    }


def _year(center: str, price: float) -> list[dict]:
    """Three prices on center − 1 .. center + 1: enough for a yearly mean (≥ 3 in the period)."""
    d = date.fromisoformat(center)
    return [_p((d + timedelta(days=k)).isoformat(), price) for k in (-1, 0, 1)]


# yearly means (d ± 3 days, 3 prices each): 2023 100, 2022 120, 2021 90, 2020 110, 2019 130 → 평년 110
ROWS = [
    _p("2024-03-13", 99),
    *_year("2023-03-13", 100),
    *_year("2022-03-14", 120),
    *_year("2021-03-11", 90),
    *_year("2020-03-15", 110),
    *_year("2019-03-11", 130),
    _p("2020-07-01", 5000),  # not in any ±3-day slice: the band job never reads it
]


@pytest.fixture
def silver(spark):
    ensure_table(spark, STG_DAILY_CATEGORY_PRICE)
    conform(frame(spark, STG_DAILY_CATEGORY_PRICE, ROWS), STG_DAILY_CATEGORY_PRICE).write.format(
        "delta"
    ).mode("append").saveAsTable(STG_DAILY_CATEGORY_PRICE.full_name)
    yield
    spark.sql(f"DELETE FROM {STG_DAILY_CATEGORY_PRICE.full_name} WHERE country_cd = '{REGION}'")


def _mine(spark, spec):
    return (
        spark.table(spec.full_name)
        .where(f"country_cd = '{REGION}' AND res_dt = DATE'{DAY}'")
        .collect()
    )


def test_band_then_signal_jobs(spark, profile, silver) -> None:
    ctx = JobContext.of(spark=spark, profile=profile, start=DAY, end=DAY)
    mart_price_normal_band.run(ctx)
    band = _mine(spark, MART_PRICE_NORMAL_BAND)
    assert [
        (r.normal_price, r.band_min, r.band_max, r.years_used, r.price_index) for r in band
    ] == [
        (110.0, 90.0, 130.0, 5, 90.0)  # 99 / 110 × 100 = 90.0
    ]
    mart_buy_signal.run(ctx)
    (signal,) = _mine(spark, MART_BUY_SIGNAL)
    # two prices in a year (99 today, none within 365 days before) → no percentile vote;
    # index 90.0 ≤ 90 votes cheap
    assert (signal.price_index, signal.obs_365, signal.signal_cd, signal.reason_txt) == (
        90.0,
        1,
        "cheap",
        "지난 1년 가격 기록 1일뿐, 평년보다 10% 저렴",
    )

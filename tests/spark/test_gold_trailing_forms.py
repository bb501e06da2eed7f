"""Look-back pairs and range windows give the same trailing statistics, row for row.

A daily run builds mart_volatility and mart_buy_signal from look-back pairs, a rebuild from
range windows (``_signals.use_pairs``). The hand-computed cases in their own test files run in
both forms; here both forms build the same windows of a larger seeded history — weekends
unsurveyed, '-' days, a survey-unit change, a series starting mid-window, a 설날-like gap — and
must agree on every row.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_buy_signal, mart_volatility
from spark_jobs.gold._common import frame
from spark_jobs.gold._signals import PAIRS_MAX_DAYS, use_pairs
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

FIRST = date(2023, 1, 2)
LAST = date(2024, 3, 29)
SERIES = [
    ("1101", "서울", "211", "배추", "01", "봄배추", "1포기"),
    ("2100", "부산", "211", "배추", "01", "봄배추", "1포기"),
    ("1101", "서울", "245", "양파", "00", "양파", "1kg"),
    ("0000", "전국", "411", "사과", "05", "후지", "10개"),
]


def _history() -> list[dict]:
    rng = random.Random(12)
    rows = []
    for region, region_nm, item, item_nm, kind, kind_nm, unit in SERIES:
        level = rng.randint(1500, 6000)
        d = FIRST if item != "411" else date(2024, 2, 20)  # 사과 starts inside the windows
        while d <= LAST:
            surveyed = d.weekday() < 5 and not date(2024, 2, 8) <= d <= date(2024, 2, 13)
            if surveyed:
                level = max(100, level + rng.randint(-150, 150))
                price = None if rng.random() < 0.08 else float(level)
                # 양파 is surveyed per 500g from 2024-03-11 on: a new series
                now_unit = "500g" if item == "245" and d >= date(2024, 3, 11) else unit
                rows.append(
                    {
                        "res_dt": d,
                        "product_cls_cd": "01",
                        "country_cd": region,
                        "country_nm": region_nm,
                        "category_cd": "200" if item != "411" else "400",
                        "item_cd": item,
                        "item_nm": item_nm,
                        "kind_cd": kind,
                        "kind_nm": kind_nm,
                        "rank_cd": "04",
                        "rank_nm": "상품",
                        "unit": now_unit,
                        "price": price,
                    }
                )
            d += timedelta(days=1)
    return rows


@pytest.fixture(scope="module")
def prices(spark):
    df = frame(spark, STG_DAILY_CATEGORY_PRICE, _history())
    return df.cache()


WINDOWS = [
    (date(2024, 3, 23), date(2024, 3, 29)),  # a daily run's publish window (D-6..D)
    (date(2024, 2, 1), date(2024, 3, 29)),  # a backfill across the gap and the 사과 start
]


@pytest.mark.spark
@pytest.mark.parametrize("start,end", WINDOWS, ids=["week", "two-months"])
def test_volatility_forms_agree(prices, start: date, end: date) -> None:
    by_pairs = mart_volatility.transform(prices, start, end, pairs=True)
    by_window = mart_volatility.transform(prices, start, end, pairs=False)
    assert by_window.count() == sum(
        1 for r in _history() if start <= r["res_dt"] <= end
    )  # every listed day, '-' included
    assertDataFrameEqual(by_pairs, by_window)


@pytest.mark.spark
@pytest.mark.parametrize("start,end", WINDOWS, ids=["week", "two-months"])
def test_buy_signal_forms_agree(prices, start: date, end: date) -> None:
    by_pairs = mart_buy_signal.transform(prices, None, start, end, pairs=True)
    by_window = mart_buy_signal.transform(prices, None, start, end, pairs=False)
    priced = sum(1 for r in _history() if start <= r["res_dt"] <= end and r["price"] is not None)
    assert by_window.count() == priced
    assertDataFrameEqual(by_pairs, by_window)
    # the windows hold a full year ('지난 1년 중'), a short history ('지난 N일 중') and one too
    # thin to vote ('지난 1년 가격 기록 N일뿐')
    reasons = [r.reason_txt for r in by_pairs.select("reason_txt").collect()]
    assert any(x.startswith("지난 1년 중") for x in reasons)
    assert any(re.match(r"지난 \d+일 중", x) for x in reasons)
    assert any(x.startswith("지난 1년 가격 기록") for x in reasons)


def test_the_form_is_chosen_by_the_window_length() -> None:
    d = date(2026, 12, 1)
    assert use_pairs(d - timedelta(days=6), d)  # a daily run
    assert use_pairs(d - timedelta(days=PAIRS_MAX_DAYS - 1), d)
    assert not use_pairs(d - timedelta(days=PAIRS_MAX_DAYS), d)
    assert not use_pairs(None, None)  # a rebuild
    assert not use_pairs(d, None)
    assert use_pairs(None, None, pairs=True) and not use_pairs(d, d, pairs=False)

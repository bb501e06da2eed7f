"""mart_price_trend: calendar-day moving averages over survey days, MoM / YoY against KAMIS dpr5 / dpr6.

Calendar (January 2024): weekdays Tue 01-02 … Fri 01-19; weekends 01-06/07 and 01-13/14 have no rows.
"""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_price_trend
from spark_jobs.gold._common import frame
from spark_jobs.gold.tables import MART_PRICE_TREND
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

pytestmark = pytest.mark.spark

REGION_NM = {"1101": "서울", "0000": "전국", "2100": "부산"}
LABELS = {
    "category_cd": "200",
    "item_cd": "211",
    "item_nm": "배추",
    "kind_cd": "01",
    "kind_nm": "월동",
    "rank_cd": "04",
    "rank_nm": "상품",
    "unit": "1포기",
}


def _p(day: int, region: str, price: float | None, m1=None, y1=None, normal=None) -> dict:
    return {
        "res_dt": date(2024, 1, day),
        "product_cls_cd": "01",
        "country_cd": region,
        "country_nm": REGION_NM[region],
        "price": price,
        "price_1m": m1,
        "price_1y": y1,
        "price_normal": normal,
        **LABELS,
    }


SEOUL = {
    2: 100,
    3: 110,
    4: 120,
    5: 130,
    8: 140,
    9: None,
    10: 150,
    11: 160,
    12: 170,
    15: 180,
    16: 190,
    17: 200,
    18: 210,
}
PRICES = [
    *(_p(d, "1101", p) for d, p in SEOUL.items()),
    _p(19, "1101", 220, m1=200, y1=250, normal=210),
    _p(18, "2100", 300),
    _p(19, "2100", 330, y1=300),
    _p(18, "0000", None),  # '-' in the window: no row
    _p(19, "0000", 500, m1=500),
]


def _t(
    day: int, region: str, price, ma7, ma28, m1=None, mom=None, y1=None, yoy=None, normal=None
) -> dict:
    row = {
        k: v
        for k, v in _p(day, region, price).items()
        if k not in ("product_cls_cd", "price_normal")
    }
    return {
        **row,
        "category_nm": "채소류",
        "ma7": ma7,
        "ma28": ma28,
        "price_1m": m1,
        "mom_pct": mom,
        "price_1y": y1,
        "yoy_pct": yoy,
        "normal_price": normal,
    }


def test_moving_averages_mom_yoy(spark) -> None:
    prices = frame(spark, STG_DAILY_CATEGORY_PRICE, PRICES)
    out = mart_price_trend.transform(prices, date(2024, 1, 17), date(2024, 1, 19))
    expected = frame(
        spark,
        MART_PRICE_TREND,
        [
            # 01-17: ma7 over 01-11..01-17 = 160,170,180,190,200 → 180
            #        ma28 over 12-21..01-17 = 100..200 without 01-09's '-' = 11 prices < 12 → null
            _t(17, "1101", 200, 180.0, None),
            # 01-18: ma7 170..210 → 190; ma28 12 prices 100..210 → (100+210)/2 = 155
            _t(18, "1101", 210, 190.0, 155.0),
            # 01-19: ma7 180..220 → 200; ma28 13 prices 100..220 → 160
            #        MoM (220−200)/200 = +10.0 %, YoY (220−250)/250 = −12.0 %, 평년 = dpr7 210
            _t(19, "1101", 220, 200.0, 160.0, m1=200, mom=10.0, y1=250, yoy=-12.0, normal=210),
            # 부산 has 1 and 2 prices: too short for either window
            _t(18, "2100", 300, None, None),
            _t(19, "2100", 330, None, None, y1=300, yoy=10.0),  # (330−300)/300 = +10.0 %
            # 전국: 01-18 is '-' (no row); 01-19 alone; MoM (500−500)/500 = 0
            _t(19, "0000", 500, None, None, m1=500, mom=0.0),
        ],
    )
    assertDataFrameEqual(out, expected)

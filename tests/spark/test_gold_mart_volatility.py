"""mart_volatility: CV over the 28 and 364 calendar days ending on res_dt, survey days with a price only."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_volatility
from spark_jobs.gold._common import frame
from spark_jobs.gold.tables import MART_VOLATILITY
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

pytestmark = pytest.mark.spark
# Every case runs in both forms: look-back pairs (a daily run) and range windows (a rebuild).
FORMS = pytest.mark.parametrize("pairs", [True, False], ids=["pairs", "window"])

REGION_NM = {"1101": "서울", "0000": "전국", "2100": "부산"}
LABELS = {
    "category_cd": "400",
    "item_cd": "411",
    "item_nm": "사과",
    "kind_cd": "05",
    "kind_nm": "후지",
    "rank_cd": "04",
    "rank_nm": "상품",
    "unit": "10개",
}


def _p(day: str, region: str, price: float | None) -> dict:
    return {
        "res_dt": date.fromisoformat(day),
        "product_cls_cd": "01",
        "country_cd": region,
        "country_nm": REGION_NM[region],
        "price": price,
        **LABELS,
    }


PRICES = [
    _p("2023-03-07", "1101", 100),  # 364 days before 03-05: outside its 52 weeks, inside 03-04's
    _p("2023-03-08", "1101", 100),  # 363 days before 03-05: inside
    _p("2023-06-01", "1101", 100),
    _p("2023-06-02", "1101", 100),
    _p("2024-02-20", "1101", None),  # '-': not an observation
    _p("2024-03-04", "1101", 90),
    _p("2024-03-05", "1101", 110),
    _p("2024-03-04", "0000", 100),
    _p("2024-03-05", "0000", 100),
    _p("2024-03-05", "2100", None),  # listed but never priced
]


def _v(day: str, region: str, cv4, cv52, n4: int, n52: int) -> dict:
    row = {k: v for k, v in _p(day, region, None).items() if k not in ("product_cls_cd", "price")}
    return {
        **row,
        "category_nm": "과일류",
        "cv_4w_pct": cv4,
        "cv_52w_pct": cv52,
        "obs_4w": n4,
        "obs_52w": n52,
    }


@FORMS
def test_cv_over_4_and_52_weeks(spark, pairs: bool) -> None:
    prices = frame(spark, STG_DAILY_CATEGORY_PRICE, PRICES)
    out = mart_volatility.transform(prices, date(2024, 3, 4), date(2024, 3, 5), pairs=pairs)
    expected = frame(
        spark,
        MART_VOLATILITY,
        [
            # 03-04: 4w = {90} → one price, no CV
            #        52w = {100 (03-07), 100, 100, 100, 90}: mean 98, squares 4·2² + 8² = 80,
            #        sd √(80/4) = 4.472 → 4.472/98×100 = 4.56 → 4.6
            _v("2024-03-04", "1101", None, 4.6, 1, 5),
            # 03-05: 4w = {90, 110}: mean 100, sd √(200/1) = 14.14 → 14.1
            #        52w = {100 (03-08), 100, 100, 90, 110}: mean 100, sd √(200/4) = 7.07 → 7.1
            _v("2024-03-05", "1101", 14.1, 7.1, 2, 5),
            _v("2024-03-04", "0000", None, None, 1, 1),
            _v("2024-03-05", "0000", 0.0, 0.0, 2, 2),  # a flat price: sd 0 → CV 0
            _v("2024-03-05", "2100", None, None, 0, 0),
        ],
    )
    assertDataFrameEqual(out, expected)

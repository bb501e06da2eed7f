"""mart_price_normal_band: our own 평년 from 5 earlier years, ±3 days, highest and lowest year dropped."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_price_normal_band
from spark_jobs.gold._common import frame
from spark_jobs.gold.tables import MART_PRICE_NORMAL_BAND
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


def _p(
    day: str, region: str, price: float | None, normal: float | None = None, cls: str = "01"
) -> dict:
    return {
        "res_dt": date.fromisoformat(day),
        "product_cls_cd": cls,
        "country_cd": region,
        "country_nm": REGION_NM[region],
        "price": price,
        "price_normal": normal,
        **LABELS,
    }


PRICES = [
    # ── 서울, target Wed 2024-03-13 (price 99, KAMIS 평년 100); periods are YYYY-03-10..03-16,
    # a year counts with ≥ 3 prices in its period
    _p("2024-03-13", "1101", 99, normal=100),
    _p("2024-03-14", "1101", 500),  # after the window: no output row
    _p("2023-03-09", "1101", 1000),  # 1 year back, one day before the period: ignored
    _p("2023-03-10", "1101", 90),
    _p("2023-03-13", "1101", 110),
    _p("2023-03-14", "1101", None),  # '-' counts as no survey, not as 0
    _p("2023-03-15", "1101", 100),
    _p("2023-03-17", "1101", 1000),  # one day after the period: ignored
    # (2023-03-11/12 weekend: no rows)                  2023 mean (90 + 110 + 100) / 3 = 100
    _p("2022-03-10", "1101", 120),
    _p("2022-03-14", "1101", 120),  # 03-13 was a Sunday
    _p("2022-03-15", "1101", 120),  # 2022 mean 120
    _p("2021-03-10", "1101", 80),
    _p("2021-03-11", "1101", 100),
    _p("2021-03-12", "1101", 90),  # 2021 mean (80 + 100 + 90) / 3 = 90
    _p("2020-03-12", "1101", 110),
    _p("2020-03-13", "1101", 110),
    _p("2020-03-16", "1101", 110),  # +3 days is inside  2020 mean 110
    _p("2019-03-11", "1101", 125),
    _p("2019-03-13", "1101", 130),
    _p("2019-03-15", "1101", 135),  # 2019 mean 130
    _p("2018-03-13", "1101", 5000),  # 6 years back: ignored
    _p("2024-03-13", "1101", 99, cls="02"),  # wholesale: ignored
    # yearly means 100, 120, 90, 110, 130 (3 prices each, 15 in all) → drop 130 and 90
    # → 평년 (100+120+110)/3 = 110; band 90..130; price_index 99/110×100 = 90.0;
    # normal_diff_pct (110−100)/100×100 = 10.0
    #
    # ── 서울, target Thu 2024-02-29 (leap day → Feb 28 in earlier years, periods 02-25..03-03)
    _p("2024-02-29", "1101", 180),
    _p("2023-03-03", "1101", 100),  # 2023-02-28 + 3
    _p("2022-02-25", "1101", 200),  # 2022-02-28 − 3
    _p("2021-03-01", "1101", 150),  # 2021-02-28 was a Sunday
    # 2020 (02-29 ± 3) and 2019 have no rows → 3 years priced, but one price each is no yearly
    # mean: years_used 0, no 평년 (one stray price a year used to make 평년 150 and index 120)
    #
    # ── 전국: only 2 years of history (one price each) → years_priced 2, no 평년, no band
    _p("2024-03-13", "0000", 210, normal=230),
    _p("2023-03-13", "0000", 200),
    _p("2022-03-14", "0000", 240),
    #
    # ── 부산: price '-' today; 2023, 2022 mean 100, 2021 mean 130 (3 prices each); 2020 holds a
    # single 1000, too thin to count → means 100, 100, 130 → drop one 130 and one 100 → 100
    # (counting 2020 would give (100 + 100 + 130 + 1000 − 1000 − 100)/2 = 115)
    _p("2024-03-13", "2100", None),
    *[_p(d, "2100", 100) for d in ("2023-03-13", "2023-03-14", "2023-03-15")],
    *[_p(d, "2100", 100) for d in ("2022-03-14", "2022-03-15", "2022-03-16")],
    *[_p(d, "2100", 130) for d in ("2021-03-10", "2021-03-11", "2021-03-12")],
    _p("2020-03-12", "2100", 1000),
]


def _band(
    day: str, region: str, price, normal, lo, hi, years, index, api, diff, priced=None, obs=0
) -> dict:
    row = {
        k: v
        for k, v in _p(day, region, price).items()
        if k not in ("product_cls_cd", "price_normal")
    }
    return {
        **row,
        "category_nm": "채소류",
        "normal_price": normal,
        "band_min": lo,
        "band_max": hi,
        "years_used": years,
        "years_priced": years if priced is None else priced,
        "obs_used": obs,
        "price_index": index,
        "api_normal_price": api,
        "normal_diff_pct": diff,
    }


def test_normal_band_drops_highest_and_lowest_year_and_thin_years(spark) -> None:
    prices = frame(spark, STG_DAILY_CATEGORY_PRICE, PRICES)
    out = mart_price_normal_band.transform(prices, date(2024, 2, 29), date(2024, 3, 13))
    expected = frame(
        spark,
        MART_PRICE_NORMAL_BAND,
        [
            _band("2024-03-13", "1101", 99, 110.0, 90.0, 130.0, 5, 90.0, 100, 10.0, obs=15),
            _band("2024-02-29", "1101", 180, None, None, None, 0, None, None, None, priced=3),
            _band("2024-03-13", "0000", 210, None, None, None, 0, None, 230, None, priced=2),
            _band("2024-03-13", "2100", None, 100.0, 100.0, 130.0, 3, None, None, None, 4, 9),
        ],
    )
    assertDataFrameEqual(out, expected)


def test_normal_band_without_history_has_zero_years(spark) -> None:
    # one lonely day: no earlier years at all → years_used 0, everything derived is null
    prices = frame(spark, STG_DAILY_CATEGORY_PRICE, [_p("2024-03-13", "1101", 99, normal=100)])
    out = mart_price_normal_band.transform(prices, date(2024, 3, 13), date(2024, 3, 13))
    expected = frame(
        spark,
        MART_PRICE_NORMAL_BAND,
        [_band("2024-03-13", "1101", 99, None, None, None, 0, None, 100, None)],
    )
    assertDataFrameEqual(out, expected)

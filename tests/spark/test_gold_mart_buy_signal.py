"""mart_buy_signal: 1-year percentile and 평년 band vote for 싸요 / 비싸요; the trend only explains.

History for 서울, 부산 and 대구: one price a day 2024-01-01..01-24, price = 100 + day (101..124,
sum 24 × 112.5 = 2700); today is Thu 2024-01-25. That is 25 days of history, so the reasons say
'지난 25일 중 …', not '지난 1년 중 …'; the 28-day average rests on 25 days ≥ 28 − 7: '최근 4주'.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_buy_signal
from spark_jobs.gold._common import frame
from spark_jobs.gold.tables import MART_BUY_SIGNAL, MART_PRICE_NORMAL_BAND
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

pytestmark = pytest.mark.spark
# Every case runs in both forms: look-back pairs (a daily run) and range windows (a rebuild).
FORMS = pytest.mark.parametrize("pairs", [True, False], ids=["pairs", "window"])

REGION_NM = {"1101": "서울", "2100": "부산", "2200": "대구", "2300": "인천", "0000": "전국"}
LABELS = {
    "category_cd": "200",
    "item_cd": "245",
    "item_nm": "양파",
    "kind_cd": "00",
    "kind_nm": "양파",
    "rank_cd": "04",
    "rank_nm": "상품",
    "unit": "1kg",
}
TODAY = date(2024, 1, 25)


def _key(d: date, region: str) -> dict:
    return {"res_dt": d, "country_cd": region, "country_nm": REGION_NM[region], **LABELS}


def _p(d: date, region: str, price: float | None) -> dict:
    return {**_key(d, region), "product_cls_cd": "01", "price": price}


HISTORY = [
    _p(date(2024, 1, day), region, 100 + day)
    for region in ("1101", "2100", "2200")
    for day in range(1, 25)
]
PRICES = [
    *HISTORY,
    _p(date(2023, 1, 25), "1101", 50),  # 365 days back: outside the 365-day window (−364..0)
    _p(TODAY, "1101", 103),
    _p(TODAY, "2100", 130),
    _p(TODAY, "2200", 101),
    _p(date(2024, 1, 26), "2200", None),  # '-': no row
    _p(date(2024, 1, 23), "0000", 100),
    _p(date(2024, 1, 24), "0000", 100),
    _p(TODAY, "0000", 100),
    _p(TODAY, "2300", 100),
]
BAND = [
    {**_key(TODAY, "1101"), "price_index": 82.0, "years_used": 5},
    {**_key(TODAY, "2100"), "price_index": 95.0, "years_used": 5},
    {**_key(TODAY, "2200"), "price_index": 115.0, "years_used": 5},
    {**_key(TODAY, "0000"), "price_index": 120.0, "years_used": 5},
    # 인천 has no band row
]


def _s(region: str, price, pct, index, trend, signal_cd, signal_nm, reason, obs) -> dict:
    return {
        **_key(TODAY, region),
        "category_nm": "채소류",
        "price": price,
        "percentile": pct,
        "price_index": index,
        "trend_pct": trend,
        "signal_cd": signal_cd,
        "signal_nm": signal_nm,
        "reason_txt": reason,
        "obs_365": obs,
    }


@FORMS
def test_buy_signal_votes_and_reasons(spark, pairs: bool) -> None:
    prices = frame(spark, STG_DAILY_CATEGORY_PRICE, PRICES)
    band = frame(spark, MART_PRICE_NORMAL_BAND, BAND)
    out = mart_buy_signal.transform(prices, band, TODAY, date(2024, 1, 26), pairs=pairs)
    expected = frame(
        spark,
        MART_BUY_SIGNAL,
        [
            # 서울 103 among 101..124 + itself (n 25): lower {101,102} = 2, equal {103,103} = 2
            #   → (2 + 1/2) / 24 × 100 = 10.4 ≤ 25 and index 82 ≤ 90: both vote cheap
            #   ma28 = (2700 + 103) / 25 = 112.12 → (103 − 112.12) / 112.12 = −8.1 %
            _s(
                "1101",
                103,
                10.4,
                82.0,
                -8.1,
                "cheap",
                "싸요",
                "지난 25일 중 하위 10% 가격, 평년보다 18% 저렴, 최근 4주 평균보다 8% 낮음",
                25,
            ),
            # 부산 130 above all 24 → 24/24 = 100 ≥ 75 votes expensive; index 95 does not vote
            #   ma28 = (2700 + 130) / 25 = 113.2 → +14.8 %
            _s(
                "2100",
                130,
                100.0,
                95.0,
                14.8,
                "expensive",
                "비싸요",
                "지난 25일 중 최고 가격, 평년보다 5% 저렴, 최근 4주 평균보다 15% 높음",
                25,
            ),
            # 대구 101 ties the lowest → (0 + 1/2) / 24 = 2.1 votes cheap, index 115 votes expensive → 보통
            #   ma28 = (2700 + 101) / 25 = 112.04 → −9.9 %
            _s(
                "2200",
                101,
                2.1,
                115.0,
                -9.9,
                "normal",
                "보통",
                "지난 25일 중 하위 2% 가격, 평년보다 15% 비쌈, 최근 4주 평균보다 10% 낮음",
                25,
            ),
            # 전국: 3 equal prices → (0 + 2/2) / 2 = 50, but 3 < 20 prices: no percentile vote;
            #   index 120 votes expensive; 3 < 12 prices: no ma28, no trend
            _s(
                "0000",
                100,
                50.0,
                120.0,
                None,
                "expensive",
                "비싸요",
                "지난 1년 가격 기록 3일뿐, 평년보다 20% 비쌈",
                3,
            ),
            # 인천: a lone price (percentile 50) and no band → no vote
            _s("2300", 100, 50.0, None, None, "normal", "보통", "지난 1년 가격 기록 1일뿐", 1),
        ],
    )
    assertDataFrameEqual(out, expected)


@FORMS
def test_buy_signal_without_band(spark, pairs: bool) -> None:
    # no band DataFrame at all: only the percentile votes (서울 10.4 ≤ 25 → cheap)
    prices = frame(
        spark, STG_DAILY_CATEGORY_PRICE, [p for p in PRICES if p["country_cd"] == "1101"]
    )
    out = mart_buy_signal.transform(prices, None, TODAY, TODAY, pairs=pairs)
    expected = frame(
        spark,
        MART_BUY_SIGNAL,
        [
            _s(
                "1101",
                103,
                10.4,
                None,
                -8.1,
                "cheap",
                "싸요",
                "지난 25일 중 하위 10% 가격, 최근 4주 평균보다 8% 낮음",
                25,
            )
        ],
    )
    assertDataFrameEqual(out, expected)


@FORMS
def test_band_from_too_few_years_does_not_vote(spark, pairs: bool) -> None:
    # 전국's band says 120 (would vote expensive), but its 평년 rests on 2 years < 3: no band
    # vote, no band claim; 3 prices < 20: no percentile vote either → 보통
    prices = frame(
        spark, STG_DAILY_CATEGORY_PRICE, [p for p in PRICES if p["country_cd"] == "0000"]
    )
    band = frame(
        spark,
        MART_PRICE_NORMAL_BAND,
        [{**_key(TODAY, "0000"), "price_index": 120.0, "years_used": 2}],
    )
    out = mart_buy_signal.transform(prices, band, TODAY, TODAY, pairs=pairs)
    expected = frame(
        spark,
        MART_BUY_SIGNAL,
        [_s("0000", 100, 50.0, None, None, "normal", "보통", "지난 1년 가격 기록 3일뿐", 3)],
    )
    assertDataFrameEqual(out, expected)


@FORMS
def test_a_survey_unit_change_starts_a_new_series(spark, pairs: bool) -> None:
    # 서울's 24 days of history were per 1kg (101..124); today KAMIS surveys per 500g at 60 —
    # about 120 per kg, not the cheapest price of the year. The 500g series has one price: a lone
    # price is percentile 50 with no vote. The band row is for the 500g series (years_used 0).
    history = [{**p, "unit": "1kg"} for p in HISTORY if p["country_cd"] == "1101"]
    prices = frame(
        spark, STG_DAILY_CATEGORY_PRICE, [*history, {**_p(TODAY, "1101", 60), "unit": "500g"}]
    )
    band = frame(
        spark,
        MART_PRICE_NORMAL_BAND,
        [{**_key(TODAY, "1101"), "unit": "500g", "price_index": None, "years_used": 0}],
    )
    out = mart_buy_signal.transform(prices, band, TODAY, TODAY, pairs=pairs)
    expected = frame(
        spark,
        MART_BUY_SIGNAL,
        [
            {
                **_s("1101", 60, 50.0, None, None, "normal", "보통", "지난 1년 가격 기록 1일뿐", 1),
                "unit": "500g",
            }
        ],
    )
    assertDataFrameEqual(out, expected)


@FORMS
def test_reasons_name_the_history_held_and_keep_a_decimal_below_one_percent(
    spark, pairs: bool
) -> None:
    # A year of history: 서울 one price a week from 2023-01-26 (364 days back) to 2024-01-18,
    # 52 prices 200, then today 199 (53 in all) — the lowest of a full year (span 365 ≥ 358): '지난 1년'.
    # The band says 99.6: 0.4 % under 평년, not '0%'. The 28-day window holds 4 weekly prices
    # (< 12): no trend.
    weekly = [_p(date(2023, 1, 26) + timedelta(days=7 * k), "1101", 200) for k in range(52)]
    prices = frame(spark, STG_DAILY_CATEGORY_PRICE, [*weekly, _p(TODAY, "1101", 199)])
    band = frame(
        spark,
        MART_PRICE_NORMAL_BAND,
        [{**_key(TODAY, "1101"), "price_index": 99.6, "years_used": 5}],
    )
    out = mart_buy_signal.transform(prices, band, TODAY, TODAY, pairs=pairs)
    expected = frame(
        spark,
        MART_BUY_SIGNAL,
        [
            # percentile (0 + 0/2) / 52 = 0 ≤ 25 with 53 prices → cheap; index 99.6 > 90: no vote
            _s(
                "1101",
                199,
                0.0,
                99.6,
                None,
                "cheap",
                "싸요",
                "지난 1년 중 최저 가격, 평년보다 0.4% 저렴",
                53,
            )
        ],
    )
    assertDataFrameEqual(out, expected)

"""mart_price_alerts: band breaks and |z| ≥ 2.5 against the seasonal (or recent 56-day) baseline.

Target day Wed 2024-05-15: the seasonal periods are 04-30..05-30 of 2019..2023, the recent
period is 2024-03-20..05-14.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_price_alerts
from spark_jobs.gold._common import frame
from spark_jobs.gold.tables import MART_PRICE_ALERTS, MART_PRICE_NORMAL_BAND
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

pytestmark = pytest.mark.spark

REGION_NM = {
    "1101": "서울",
    "2100": "부산",
    "2200": "대구",
    "2300": "인천",
    "2400": "광주",
    "0000": "전국",
}
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
TODAY = date(2024, 5, 15)


def _key(d: date, region: str) -> dict:
    return {"res_dt": d, "country_cd": region, "country_nm": REGION_NM[region], **LABELS}


def _p(d: date, region: str, price: float | None) -> dict:
    return {**_key(d, region), "product_cls_cd": "01", "price": price}


def _week(monday: date, region: str, price: float) -> list[dict]:
    return [_p(monday + timedelta(days=i), region, price) for i in range(5)]


PRICES = [
    # 서울: 2023 seasonal period 5 × 3900 + 5 × 4100 → mean 4000, sd √(10·100²/9) = 105.41
    #   below the floor 3 % × 4000 = 120 → z = 600 / 120 = 5.0 (≥ 4.5: severity 3);
    #   band 3000..4000 → 15 % above (severity 2)
    *_week(date(2023, 5, 8), "1101", 3900),
    *_week(date(2023, 5, 15), "1101", 4100),
    _p(date(2023, 4, 29), "1101", 9999),  # 05-15 − 16 days: outside the period
    _p(date(2023, 5, 31), "1101", 9999),  # 05-15 + 16 days: outside
    _p(TODAY, "1101", 4600),
    # 부산: only 5 seasonal prices (< 10) → the recent baseline: 5 × 1900 + 5 × 2100 in April
    #   → mean 2000, sd 105.41 (above the floor 3 % × 2000 = 60); today 1650 → z = −350 / 105.41 = −3.32 (severity 1)
    #   band 1800..2600 → (1800 − 1650) / 1800 = 8.3 % below (severity 1)
    #   the oldest recent price is 04-01, 44 days back: '최근 44일', not '최근 8주' (56 days)
    *_week(date(2023, 5, 8), "2100", 1000),
    *_week(date(2024, 4, 1), "2100", 1900),
    *_week(date(2024, 4, 8), "2100", 2100),
    _p(date(2024, 3, 19), "2100", 9999),  # 57 days back: outside the recent period
    _p(TODAY, "2100", 1650),
    # 대구: 2023 5 × 100 and 2022 5 × 120, pooled: mean 110, M2 = 5·10² + 5·10² = 1000,
    #   sd √(1000/9) = 10.54 (floor 3.3); today 80 → z = −30 / 10.54 = −2.85 (severity 1); no band row
    *_week(date(2023, 5, 8), "2200", 100),
    *_week(date(2022, 5, 9), "2200", 120),
    _p(TODAY, "2200", 80),
    # 인천: a flat seasonal baseline (10 × 100, sd 0); the stddev is floored at 3 % of the mean
    #   = 3, so today's 130 is z = 30 / 3 = 10.0 (severity 3) instead of no z and no alert
    *_week(date(2023, 5, 8), "2300", 100),
    *_week(date(2023, 5, 15), "2300", 100),
    _p(TODAY, "2300", 130),
    # 전국: no history; 1506 over band_max 1500 by 6 / 1500 = 0.4 % → '0.4%', not '0%' (severity 1)
    _p(TODAY, "0000", 1506),
    # 광주: inside its band, no history → nothing
    _p(TODAY, "2400", 150),
]
BAND = [
    {**_key(TODAY, "1101"), "band_min": 3000.0, "band_max": 4000.0, "years_used": 5},
    {**_key(TODAY, "2100"), "band_min": 1800.0, "band_max": 2600.0, "years_used": 5},
    {**_key(TODAY, "0000"), "band_min": 1000.0, "band_max": 1500.0, "years_used": 5},
    {**_key(TODAY, "2400"), "band_min": 100.0, "band_max": 200.0, "years_used": 5},
]


def _a(
    region,
    price,
    baseline,
    z,
    alert_cd,
    alert_nm,
    severity,
    txt,
    baseline_cd,
    obs,
    lo=None,
    hi=None,
) -> dict:
    return {
        **_key(TODAY, region),
        "category_nm": "채소류",
        "price": price,
        "baseline_price": baseline,
        "z_score": z,
        "alert_cd": alert_cd,
        "alert_nm": alert_nm,
        "severity": severity,
        "alert_txt": txt,
        "baseline_cd": baseline_cd,
        "baseline_obs": obs,
        "band_min": lo,
        "band_max": hi,
    }


def test_band_and_z_alerts(spark) -> None:
    prices = frame(spark, STG_DAILY_CATEGORY_PRICE, PRICES)
    band = frame(spark, MART_PRICE_NORMAL_BAND, BAND)
    out = mart_price_alerts.transform(prices, band, TODAY, TODAY)
    seoul = ("1101", 4600, 4000.0, 5.0)
    busan = ("2100", 1650, 2000.0, -3.32)
    expected = frame(
        spark,
        MART_PRICE_ALERTS,
        [
            _a(
                *seoul,
                "above_band",
                "평년 범위 초과",
                2,
                "서울 배추(월동) 4,600원: 평년 범위 최고 4,000원보다 15% 비싸요",
                "seasonal",
                10,
                3000.0,
                4000.0,
            ),
            _a(
                *seoul,
                "spike",
                "급등",
                3,
                "서울 배추(월동) 4,600원: 예년 같은 시기 평균 4,000원보다 크게 올랐어요 (z 5.0)",
                "seasonal",
                10,
                3000.0,
                4000.0,
            ),
            _a(
                *busan,
                "below_band",
                "평년 범위 미만",
                1,
                "부산 배추(월동) 1,650원: 평년 범위 최저 1,800원보다 8% 싸요",
                "recent",
                10,
                1800.0,
                2600.0,
            ),
            _a(
                *busan,
                "plunge",
                "급락",
                1,
                "부산 배추(월동) 1,650원: 최근 44일 평균 2,000원보다 크게 내렸어요 (z -3.3)",
                "recent",
                10,
                1800.0,
                2600.0,
            ),
            _a(
                "2200",
                80,
                110.0,
                -2.85,
                "plunge",
                "급락",
                1,
                "대구 배추(월동) 80원: 예년 같은 시기 평균 110원보다 크게 내렸어요 (z -2.8)",
                "seasonal",
                10,
            ),
            _a(
                "2300",
                130,
                100.0,
                10.0,
                "spike",
                "급등",
                3,
                "인천 배추(월동) 130원: 예년 같은 시기 평균 100원보다 크게 올랐어요 (z 10.0)",
                "seasonal",
                10,
            ),
            _a(
                "0000",
                1506,
                None,
                None,
                "above_band",
                "평년 범위 초과",
                1,
                "전국 배추(월동) 1,506원: 평년 범위 최고 1,500원보다 0.4% 비싸요",
                None,
                0,
                1000.0,
                1500.0,
            ),
        ],
    )
    assertDataFrameEqual(out, expected)

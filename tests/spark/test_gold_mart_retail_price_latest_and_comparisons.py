"""mart_retail_price_latest, mart_retail_channel_comparison, mart_retail_region_comparison.

Markets on Mon 2024-12-30 (배추 211/01/04 and 무 231/06/04) and Tue 12-31 (무 only):
서울: 경동, 복조리 (traditional), A-유통, B-유통 (large retail); 부산: 부전 (traditional), A-유통
(large retail); 세종: C-유통 (large retail); 서울 하나로 is not in dim_market (dropped).
"""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import (
    mart_retail_channel_comparison,
    mart_retail_price_latest,
    mart_retail_region_comparison,
)
from spark_jobs.gold._common import frame
from spark_jobs.silver.tables import DIM_MARKET, DIM_REGION, STG_DAILY_MARKET_PRICE

pytestmark = pytest.mark.spark

MON, TUE = date(2024, 12, 30), date(2024, 12, 31)
REGION = {"서울": "1101", "부산": "2100", "세종": "2701"}
KIND = {"211": "01", "231": "06"}
LARGE, TRAD = ("large_retail", "대형유통"), ("traditional", "전통시장")


@pytest.fixture(scope="module")
def markets(spark):
    rows = [
        ("서울", "경동", TRAD), ("서울", "복조리", TRAD), ("서울", "A-유통", LARGE), ("서울", "B-유통", LARGE),
        ("부산", "부전", TRAD), ("부산", "A-유통", LARGE), ("세종", "C-유통", LARGE),
    ]  # fmt: skip
    return frame(
        spark,
        DIM_MARKET,
        [
            {
                "country_cd": REGION[c],
                "country_nm": c,
                "market_nm": m,
                "channel_cd": ch[0],
                "channel_nm": ch[1],
            }
            for c, m, ch in rows
        ],
    )


@pytest.fixture(scope="module")
def prices(spark):
    rows = [
        (MON, "서울", "경동", "211", 4000), (MON, "서울", "복조리", "211", 5000),
        (MON, "서울", "A-유통", "211", 6000), (MON, "서울", "B-유통", "211", 5400),
        (MON, "서울", "하나로", "211", 9000),
        (MON, "부산", "부전", "211", 3000), (MON, "부산", "A-유통", "211", 3300),
        (MON, "세종", "C-유통", "211", 4500),
        (MON, "서울", "경동", "231", 2000), (MON, "부산", "A-유통", "231", 1800),
        (TUE, "서울", "경동", "231", 2000), (TUE, "서울", "A-유통", "231", 2000),
    ]  # fmt: skip
    return frame(
        spark,
        STG_DAILY_MARKET_PRICE,
        [
            {"res_dt": d, "country_cd": REGION[c], "country_nm": c, "market_nm": m, "category_cd": "200",
             "item_cd": i, "kind_cd": KIND[i], "rank_cd": "04", "rank_nm": "상품", "price": p}
            for d, c, m, i, p in rows
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def regions(spark):
    rows = [
        ("1101", "서울", 37.57, 126.98),
        ("2100", "부산", 35.18, 129.08),
        ("2701", "세종", None, None),
    ]
    return frame(
        spark,
        DIM_REGION,
        [
            {"country_cd": c, "country_nm": n, "latitude": la, "longitude": lo}
            for c, n, la, lo in rows
        ],
    )


def test_price_latest(spark, prices, markets):
    out = mart_retail_price_latest.transform(prices, markets, MON, TUE)
    expected = [
        (
            MON,
            "1101",
            "large_retail",
            "211",
            (6000 + 5400) / 2,
            2,
        ),  # 5700; 하나로 9000 has no channel
        (MON, "1101", "traditional", "211", (4000 + 5000) / 2, 2),  # 4500
        (MON, "2100", "large_retail", "211", 3300.0, 1),
        (MON, "2100", "traditional", "211", 3000.0, 1),
        (MON, "2701", "large_retail", "211", 4500.0, 1),
        (MON, "1101", "traditional", "231", 2000.0, 1),
        (MON, "2100", "large_retail", "231", 1800.0, 1),
        (TUE, "1101", "large_retail", "231", 2000.0, 1),
        (TUE, "1101", "traditional", "231", 2000.0, 1),
    ]
    cols = ["res_dt", "country_cd", "channel_cd", "item_cd", "price", "market_cnt"]
    ddl = "res_dt DATE, country_cd STRING, channel_cd STRING, item_cd STRING, price DOUBLE, market_cnt INT"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))
    assert {(r.channel_nm, r.category_nm) for r in out.collect()} == {
        ("대형유통", "채소류"),
        ("전통시장", "채소류"),
    }
    assert mart_retail_price_latest.transform(prices, markets, TUE, TUE).count() == 2


def test_channel_comparison(spark, prices, markets):
    out = mart_retail_channel_comparison.transform(prices, markets, MON, TUE)
    expected = [
        # 서울 배추: large 5700 (2), trad 4500 (2); diff 1200, 1200/4500 = 26.67 → 26.7
        (MON, "1101", "211", 5700.0, 2, 4500.0, 2, 1200.0, 26.7, "traditional", "전통시장"),
        # 부산: 3300 vs 3000 → 300, 10.0
        (MON, "2100", "211", 3300.0, 1, 3000.0, 1, 300.0, 10.0, "traditional", "전통시장"),
        # 세종: no traditional market → nulls, count 0
        (MON, "2701", "211", 4500.0, 1, None, 0, None, None, None, None),
        # 전국 배추: regions with both channels only (세종 has no traditional market), region means
        # weighted by markets: 서울 w 2 + 2 = 4, 부산 w 1 + 1 = 2
        # large (5700×4 + 3300×2)/6 = 29400/6 = 4900, trad (4500×4 + 3000×2)/6 = 24000/6 = 4000
        # diff 900 (= (1200×4 + 300×2)/6), 900/4000 = 22.5; markets 2 + 1 = 3 each side
        (MON, "0000", "211", 4900.0, 3, 4000.0, 3, 900.0, 22.5, "traditional", "전통시장"),
        (MON, "1101", "231", None, 0, 2000.0, 1, None, None, None, None),
        (MON, "2100", "231", 1800.0, 1, None, 0, None, None, None, None),
        # 전국 무: 서울 has only traditional, 부산 only large retail: no region compares them → no row
        # (pooling would claim large retail 10 % cheaper from two different cities)
        # Tue 무: a tie (2000 = 2000) names no cheaper channel
        (TUE, "1101", "231", 2000.0, 1, 2000.0, 1, 0.0, 0.0, None, None),
        (TUE, "0000", "231", 2000.0, 1, 2000.0, 1, 0.0, 0.0, None, None),
    ]
    cols = [
        "res_dt",
        "country_cd",
        "item_cd",
        "large_retail_price",
        "large_retail_cnt",
        "traditional_price",
        "traditional_cnt",
        "diff_pr",
        "diff_pct",
        "cheaper_channel_cd",
        "cheaper_channel_nm",
    ]
    ddl = "res_dt DATE, country_cd STRING, item_cd STRING, large_retail_price DOUBLE, large_retail_cnt INT, traditional_price DOUBLE, traditional_cnt INT, diff_pr DOUBLE, diff_pct DOUBLE, cheaper_channel_cd STRING, cheaper_channel_nm STRING"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))
    assert {r.country_nm for r in out.where("country_cd = '0000'").collect()} == {"전국"}


def test_national_channel_gap_comes_from_within_region_gaps(spark):
    # In each city large retail is 100 dearer than traditional markets, but large retail sits
    # mostly in the cheap city 부산 and traditional markets mostly in the dear city 서울.
    rows = [
        ("서울", "A-유통", LARGE, 1200),
        ("서울", "경동", TRAD, 1100), ("서울", "복조리", TRAD, 1100), ("서울", "망원", TRAD, 1100),
        ("부산", "A-유통", LARGE, 900), ("부산", "B-유통", LARGE, 900), ("부산", "C-유통", LARGE, 900),
        ("부산", "부전", TRAD, 800),
    ]  # fmt: skip
    # pooled: large (1200 + 3×900)/4 = 975, trad (3×1100 + 800)/4 = 1025 → "large retail 4.9 %
    # cheaper", though it is dearer in every city. Within regions (weights 1 + 3 = 4 each):
    # large (1200×4 + 900×4)/8 = 1050, trad (1100×4 + 800×4)/8 = 950 → diff +100, 100/950 = 10.5 %
    dims = frame(
        spark,
        DIM_MARKET,
        [
            {"country_cd": REGION[c], "country_nm": c, "market_nm": m, "channel_cd": ch[0], "channel_nm": ch[1]}
            for c, m, ch, _ in rows
        ],
    )  # fmt: skip
    prices = frame(
        spark,
        STG_DAILY_MARKET_PRICE,
        [
            {"res_dt": MON, "country_cd": REGION[c], "country_nm": c, "market_nm": m, "category_cd": "200",
             "item_cd": "211", "kind_cd": "01", "rank_cd": "04", "price": p}
            for c, m, _, p in rows
        ],
    )  # fmt: skip
    out = mart_retail_channel_comparison.transform(prices, dims, MON, MON)
    cols = ["country_cd", "large_retail_price", "traditional_price", "diff_pr", "diff_pct"]
    cols += ["cheaper_channel_cd"]
    expected = [
        ("1101", 1200.0, 1100.0, 100.0, 9.1, "traditional"),  # 100/1100 = 9.09
        ("2100", 900.0, 800.0, 100.0, 12.5, "traditional"),  # 100/800
        ("0000", 1050.0, 950.0, 100.0, 10.5, "traditional"),  # 100/950 = 10.53
    ]
    ddl = "country_cd STRING, large_retail_price DOUBLE, traditional_price DOUBLE, diff_pr DOUBLE, diff_pct DOUBLE, cheaper_channel_cd STRING"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))


def test_region_comparison(spark, prices, markets, regions):
    out = mart_retail_region_comparison.transform(prices, markets, regions, MON, TUE)
    nat = (
        4000 + 5000 + 6000 + 5400 + 3000 + 3300 + 4500
    ) / 7  # 31200 / 7 = 4457.14 (하나로 dropped)
    expected = [
        # 서울 20400/4 = 5100; 5100/4457.14 = 1.14423 → +14.4; dearest → rank 3
        (MON, "1101", 37.57, 126.98, "211", 5100.0, 4, nat, 14.4, 3),
        # 부산 (3000+3300)/2 = 3150; 3150/4457.14 = 0.70673 → −29.3; cheapest
        (MON, "2100", 35.18, 129.08, "211", 3150.0, 2, nat, -29.3, 1),
        # 세종 4500/4457.14 = 1.00962 → +1.0; no coordinates in dim_region
        (MON, "2701", None, None, "211", 4500.0, 1, nat, 1.0, 2),
        # 무: national (2000+1800)/2 = 1900; 2000/1900 → +5.3, 1800/1900 → −5.3
        (MON, "1101", 37.57, 126.98, "231", 2000.0, 1, 1900.0, 5.3, 2),
        (MON, "2100", 35.18, 129.08, "231", 1800.0, 1, 1900.0, -5.3, 1),
        (TUE, "1101", 37.57, 126.98, "231", 2000.0, 2, 2000.0, 0.0, 1),
    ]
    cols = [
        "res_dt",
        "country_cd",
        "latitude",
        "longitude",
        "item_cd",
        "price",
        "market_cnt",
        "national_avg_price",
        "diff_pct",
        "region_rank",
    ]
    ddl = "res_dt DATE, country_cd STRING, latitude DOUBLE, longitude DOUBLE, item_cd STRING, price DOUBLE, market_cnt INT, national_avg_price DOUBLE, diff_pct DOUBLE, region_rank INT"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))

"""mart_basket_cost: Σ qty × channel mean price per day, region and channel; complete baskets ranked."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_basket_cost as m
from spark_jobs.gold._common import frame
from spark_jobs.silver.tables import DIM_MARKET, STG_DAILY_MARKET_PRICE

pytestmark = pytest.mark.spark

MON = date(2024, 11, 18)
KIND = {"211": "01", "245": "00", "231": "06"}
REGION = {"서울": "1101", "부산": "2100", "세종": "2701"}


@pytest.mark.unit
def test_reference_baskets_are_well_formed():
    lines = m.read_baskets()
    assert {b[0] for b in lines} == {"family4_weekly", "kimjang"}
    assert all(q > 0 for *_, q in lines)
    assert len({(b, i, k, r) for b, _, i, k, r, _ in lines}) == len(lines)  # no duplicate line
    assert ("kimjang", "211", "03") in {(b, i, k) for b, _, i, k, _, _ in lines}  # 가을 배추


def test_basket_cost(spark):
    baskets = spark.createDataFrame(
        [
            ("b1", "기본", "211", "01", "04", 2.0),
            ("b1", "기본", "245", "00", "04", 0.5),
            ("b2", "무", "231", "06", "04", 3.0),
        ],
        m.BASKET_DDL,
    )
    ch = {"trad": ("traditional", "전통시장"), "large": ("large_retail", "대형유통")}
    markets = frame(
        spark,
        DIM_MARKET,
        [
            {"country_nm": c, "market_nm": mk, "channel_cd": ch[t][0], "channel_nm": ch[t][1]}
            for c, mk, t in [("서울", "경동", "trad"), ("서울", "A-유통", "large"), ("부산", "부전", "trad"),
                             ("부산", "B-유통", "large"), ("부산", "A-유통", "large"), ("세종", "C-유통", "large")]
        ],
    )  # fmt: skip
    rows = [
        ("서울", "경동", "211", 4000), ("서울", "경동", "245", 2000), ("서울", "경동", "231", 1500),
        ("서울", "A-유통", "211", 5000), ("서울", "A-유통", "245", 1800),
        ("부산", "부전", "211", 3000), ("부산", "부전", "245", 2200),
        ("부산", "B-유통", "211", 3600), ("부산", "B-유통", "231", 1200), ("부산", "A-유통", "211", 4000),
        ("세종", "C-유통", "245", 1000),
    ]  # fmt: skip
    prices = frame(
        spark,
        STG_DAILY_MARKET_PRICE,
        [
            {
                "res_dt": MON,
                "country_cd": REGION[c],
                "country_nm": c,
                "market_nm": mk,
                "item_cd": i,
                "kind_cd": KIND[i],
                "rank_cd": "04",
                "price": p,
            }
            for c, mk, i, p in rows
        ],
    )
    out = m.transform(prices, markets, baskets, MON, MON)
    expected = [
        # b1 = 2 × 배추 + 0.5 × 양파
        ("b1", "2100", "traditional", 2 * 3000 + 0.5 * 2200, 2, 2, 1, True, True),  # 7100
        ("b1", "1101", "traditional", 2 * 4000 + 0.5 * 2000, 2, 2, 2, False, True),  # 9000
        ("b1", "1101", "large_retail", 2 * 5000 + 0.5 * 1800, 2, 2, 3, False, True),  # 10900
        # 부산 large: 배추 (3600+4000)/2 = 3800 → 7600, no 양파 → incomplete, not ranked
        ("b1", "2100", "large_retail", 2 * 3800.0, 2, 1, 0, False, False),
        ("b1", "2701", "large_retail", 0.5 * 1000, 2, 1, 0, False, False),  # 세종: 양파 only
        # b2 = 3 × 무: 부산 large 3600 < 서울 trad 4500; cells without 무 are left out
        ("b2", "2100", "large_retail", 3 * 1200.0, 1, 1, 1, True, True),
        ("b2", "1101", "traditional", 3 * 1500.0, 1, 1, 2, False, True),
    ]
    cols = [
        "basket_cd",
        "country_cd",
        "channel_cd",
        "total_cost",
        "item_cnt",
        "priced_item_cnt",
        "cheapest_rank",
        "is_cheapest",
        "is_complete",
    ]
    ddl = "basket_cd STRING, country_cd STRING, channel_cd STRING, total_cost DOUBLE, item_cnt INT, priced_item_cnt INT, cheapest_rank INT, is_cheapest BOOLEAN, is_complete BOOLEAN"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))
    assert {(r.basket_nm, r.res_dt) for r in out.collect()} == {("기본", MON), ("무", MON)}

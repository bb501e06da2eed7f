"""mart_season_region_product: in-season items per region, YoY and national rank."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_season_region_product as m
from spark_jobs.gold._common import frame
from spark_jobs.silver.tables import DIM_REGION, DIM_SEASON, STG_DAILY_CATEGORY_PRICE

pytestmark = pytest.mark.spark

FEB28, MAR3 = date(2025, 2, 28), date(2025, 3, 3)  # Fri (겨울) and the next survey day, Mon (봄)


def test_in_season_ranked(spark):
    season = frame(
        spark,
        DIM_SEASON,
        [
            {
                "item_cd": "211",
                "item_nm": "배추",
                "kind_cd": "06",
                "kind_nm": "월동",
                "month": 2,
                "season_nm": "겨울",
            },
            {
                "item_cd": "211",
                "item_nm": "배추",
                "kind_cd": "01",
                "kind_nm": "봄",
                "month": 3,
                "season_nm": "봄",
            },
            # no kind_cd: every kind of 딸기; two names for the same item must not double the row
            {
                "item_cd": "226",
                "item_nm": "딸기",
                "kind_cd": None,
                "kind_nm": "딸기",
                "month": 3,
                "season_nm": "봄",
            },
            {
                "item_cd": "226",
                "item_nm": "딸기",
                "kind_cd": None,
                "kind_nm": "딸기(설향)",
                "month": 3,
                "season_nm": "봄",
            },
            {
                "item_cd": None,
                "item_nm": "연근",
                "kind_cd": None,
                "kind_nm": "연근",
                "month": 3,
                "season_nm": "봄",
            },
        ],
    )
    rows = [
        # (day, region, item, kind, price, price_1y, class)
        (FEB28, "1101", "211", "06", 4000, 5000, "01"),
        (FEB28, "2100", "211", "06", 3500, None, "01"),
        (FEB28, "0000", "211", "06", 3800, 4000, "01"),  # national: not a region
        (FEB28, "2701", "211", "06", None, 4000, "01"),  # no price: not ranked
        (FEB28, "1101", "211", "01", 4100, None, "01"),  # 봄 배추 is not in season in February
        (MAR3, "1101", "211", "01", 4200, 4000, "01"),
        (MAR3, "2100", "211", "01", 4200, 3500, "01"),
        (MAR3, "3911", "211", "01", 5000, None, "01"),
        (MAR3, "1101", "211", "06", 4000, None, "01"),  # 월동 배추 is not listed for March
        (MAR3, "1101", "226", "00", 2000, 2500, "01"),
        (MAR3, "1101", "245", "00", 1500, 1400, "01"),  # 양파 not in season
        (MAR3, "2100", "211", "01", 1000, None, "02"),  # wholesale
    ]
    prices = frame(
        spark,
        STG_DAILY_CATEGORY_PRICE,
        [
            {"res_dt": d, "product_cls_cd": c, "category_cd": "200", "country_cd": r, "country_nm": r, "item_cd": i,
             "kind_cd": k, "rank_cd": "04", "price": p, "price_1y": y}
            for d, r, i, k, p, y, c in rows
        ],
    )  # fmt: skip
    regions = frame(
        spark,
        DIM_REGION,
        [
            {"country_cd": "1101", "country_nm": "서울", "latitude": 37.57, "longitude": 126.98},
            {"country_cd": "2100", "country_nm": "부산", "latitude": 35.18, "longitude": 129.08},
            {"country_cd": "3911", "country_nm": "제주", "latitude": 33.5, "longitude": 126.53},
        ],
    )
    out = m.transform(prices, season, regions, FEB28, MAR3)
    seoul, busan, jeju = (37.57, 126.98), (35.18, 129.08), (33.5, 126.53)
    expected = [
        # Feb 월동 배추: 부산 3500 < 서울 4000 → ranks 1, 2 of 2; 서울 YoY (4000−5000)/5000 = −20.0
        (FEB28, 2, "겨울", "1101", *seoul, "211", "06", 4000.0, 5000.0, -20.0, 2, 2),
        (FEB28, 2, "겨울", "2100", *busan, "211", "06", 3500.0, None, None, 1, 2),
        # Mar 봄 배추: 서울 = 부산 = 4200 share rank 1, 제주 5000 → 3; YoY 4200/4000 → +5.0, 4200/3500 → +20.0
        (MAR3, 3, "봄", "1101", *seoul, "211", "01", 4200.0, 4000.0, 5.0, 1, 3),
        (MAR3, 3, "봄", "2100", *busan, "211", "01", 4200.0, 3500.0, 20.0, 1, 3),
        (MAR3, 3, "봄", "3911", *jeju, "211", "01", 5000.0, None, None, 3, 3),
        # 딸기 (any kind): 2000 vs 2500 → −20.0, alone
        (MAR3, 3, "봄", "1101", *seoul, "226", "00", 2000.0, 2500.0, -20.0, 1, 1),
    ]
    cols = [
        "res_dt",
        "month",
        "season_nm",
        "country_cd",
        "latitude",
        "longitude",
        "item_cd",
        "kind_cd",
        "price",
        "price_1y",
        "yoy_pct",
        "national_rank",
        "region_cnt",
    ]
    ddl = "res_dt DATE, month INT, season_nm STRING, country_cd STRING, latitude DOUBLE, longitude DOUBLE, item_cd STRING, kind_cd STRING, price DOUBLE, price_1y DOUBLE, yoy_pct DOUBLE, national_rank INT, region_cnt INT"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))

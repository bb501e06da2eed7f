"""mart_price_rise_top3 / mart_price_drop_top3 / mart_price_region_count against the previous survey day.

Calendar: Thu 2024-12-26, Fri 12-27, (weekend), Mon 12-30, Tue 12-31, (Wed 2025-01-01 holiday),
Thu 2025-01-02. KAMIS' price_1d on Monday is Sunday's '-'; we compare Monday with Friday.
"""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_price_drop_top3, mart_price_region_count, mart_price_rise_top3
from spark_jobs.gold._common import frame
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

pytestmark = pytest.mark.spark

D13, THU, FRI, MON, TUE, THU2 = (
    date(2024, 12, 13),
    date(2024, 12, 26),
    date(2024, 12, 27),
    date(2024, 12, 30),
    date(2024, 12, 31),
    date(2025, 1, 2),
)

KEYS = {  # item_cd → (kind_cd, item_nm)
    "211": ("01", "배추"),
    "212": ("00", "양배추"),
    "231": ("06", "무"),
    "232": ("01", "당근"),
    "245": ("00", "양파"),
    "246": ("00", "파"),
    "258": ("01", "깐마늘(국산)"),
}


def _row(dt: date, region: str, item: str, price: float | None, cls: str = "01") -> dict:
    kind, name = KEYS[item]
    return {
        "res_dt": dt,
        "product_cls_cd": cls,
        "category_cd": "200",
        "country_cd": region,
        "country_nm": "전국" if region == "0000" else "서울",
        "item_cd": item,
        "item_nm": name,
        "kind_cd": kind,
        "rank_cd": "04",
        "rank_nm": "상품",
        "price": price,
    }


# price per (region, item) and day; None = KAMIS '-'
SERIES = {
    ("0000", "211"): {FRI: 4000, MON: 5000, TUE: 5000, THU2: 4500},
    ("0000", "231"): {FRI: 2000, MON: 2500, TUE: None, THU2: 2000},
    ("0000", "246"): {FRI: 3000, MON: 3300, TUE: 3000, THU2: 3000},
    ("0000", "245"): {FRI: 1000, MON: 1010, TUE: 1000},
    ("0000", "232"): {MON: 2000, TUE: 1800},  # new on Monday: no base that day
    ("0000", "258"): {D13: 9000, MON: 9900},  # base 17 days back > 14: no comparison
    ("0000", "212"): {THU: 1500, FRI: None, MON: 1800},  # Friday '-': Monday's base is Thursday
    ("1101", "211"): {FRI: 4200, MON: 3780},
    ("1101", "231"): {FRI: 2000, MON: 2000},
    ("1101", "246"): {FRI: 3500, MON: 2800},
    ("1101", "245"): {FRI: 1200, MON: 1260},
}


@pytest.fixture(scope="module")
def prices(spark):
    rows = [
        _row(dt, region, item, p)
        for (region, item), days in SERIES.items()
        for dt, p in days.items()
    ]
    # wholesale doubles in the same days: must be ignored
    rows += [_row(FRI, "0000", "211", 10000, cls="02"), _row(MON, "0000", "211", 20000, cls="02")]
    return frame(spark, STG_DAILY_CATEGORY_PRICE, rows)


TOP_COLS = [
    "res_dt",
    "country_cd",
    "rank_no",
    "item_cd",
    "price",
    "prev_price",
    "prev_dt",
    "change_pr",
    "change_pct",
]
TOP_DDL = "res_dt DATE, country_cd STRING, rank_no INT, item_cd STRING, price DOUBLE, prev_price DOUBLE, prev_dt DATE, change_pr DOUBLE, change_pct DOUBLE"


def test_rise_monday_compares_with_friday(spark, prices):
    out = mart_price_rise_top3.transform(prices, MON, MON)
    expected = [
        # 배추 (5000−4000)/4000 = +25.0 %; 무 (2500−2000)/2000 = +25.0 % — tie, 211 < 231
        (MON, "0000", 1, "211", 5000.0, 4000.0, FRI, 1000.0, 25.0),
        (MON, "0000", 2, "231", 2500.0, 2000.0, FRI, 500.0, 25.0),
        # 양배추 Friday '-' → base Thursday: (1800−1500)/1500 = +20.0 %; 파 +10.0 and 양파 +1.0 miss the top 3
        (MON, "0000", 3, "212", 1800.0, 1500.0, THU, 300.0, 20.0),
        # 서울: only 양파 rose, (1260−1200)/1200 = +5.0 %
        (MON, "1101", 1, "245", 1260.0, 1200.0, FRI, 60.0, 5.0),
    ]
    assertDataFrameEqual(out.select(TOP_COLS), spark.createDataFrame(expected, TOP_DDL))
    assert {r.category_nm for r in out.collect()} == {"채소류"}


def test_rise_whole_window_adds_nothing(spark, prices):
    # Tue/Thu have no rises at all. With open bounds Friday adds nothing either: only 양배추 has a
    # Thursday base and its Friday price is '-'.
    out = mart_price_rise_top3.transform(prices, MON, THU2)
    assert out.count() == 4
    assert mart_price_rise_top3.transform(prices).where("res_dt < DATE'2024-12-30'").count() == 0


def test_drop_across_holiday_and_year_boundary(spark, prices):
    out = mart_price_drop_top3.transform(prices, MON, THU2)
    expected = [
        # 서울 Mon: 파 (2800−3500)/3500 = −20.0 %; 배추 (3780−4200)/4200 = −10.0 %; 무 flat is no drop
        (MON, "1101", 1, "246", 2800.0, 3500.0, FRI, -700.0, -20.0),
        (MON, "1101", 2, "211", 3780.0, 4200.0, FRI, -420.0, -10.0),
        # 전국 Tue: 당근 (1800−2000)/2000 = −10.0; 파 (3000−3300)/3300 = −9.09 → −9.1; 양파 −10/1010 = −0.99 → −1.0
        (TUE, "0000", 1, "232", 1800.0, 2000.0, MON, -200.0, -10.0),
        (TUE, "0000", 2, "246", 3000.0, 3300.0, MON, -300.0, -9.1),
        (TUE, "0000", 3, "245", 1000.0, 1010.0, MON, -10.0, -1.0),
        # 전국 Thu 01-02 (Wed holiday): 무 had '-' on Tue → base Mon 2500: −20.0; 배추 base Tue 5000: −10.0
        (THU2, "0000", 1, "231", 2000.0, 2500.0, MON, -500.0, -20.0),
        (THU2, "0000", 2, "211", 4500.0, 5000.0, TUE, -500.0, -10.0),
    ]
    assertDataFrameEqual(
        mart_price_drop_top3.transform(prices, MON, THU2).select(TOP_COLS),
        spark.createDataFrame(expected, TOP_DDL),
    )
    assert out.where("res_dt = DATE'2024-12-30' AND country_cd = '0000'").count() == 0


def test_region_counts(spark, prices):
    out = mart_price_region_count.transform(prices, MON, THU2)
    expected = [
        # 전국 Mon: up 배추, 무, 양배추, 파, 양파 = 5; 당근 (new) and 깐마늘 (base 17 days old) not counted
        (MON, "0000", "전국", 5, 0, 0, 5),
        # 서울 Mon: up 양파; down 파, 배추; flat 무 (2000 = 2000)
        (MON, "1101", "서울", 1, 2, 1, 4),
        # 전국 Tue: flat 배추; down 파, 양파, 당근; 무 '-' not counted
        (TUE, "0000", "전국", 0, 3, 1, 4),
        # 전국 Thu: down 배추, 무; flat 파 (3000 = 3000); 양파/당근 no price
        (THU2, "0000", "전국", 0, 2, 1, 3),
    ]
    ddl = "res_dt DATE, country_cd STRING, country_nm STRING, up_cnt INT, down_cnt INT, flat_cnt INT, total_cnt INT"
    assertDataFrameEqual(out, spark.createDataFrame(expected, ddl))


def test_a_survey_unit_change_is_no_price_change(spark):
    # 양파 was surveyed per 1kg (2000) on Friday and per 500g (1000) on Monday: the same price per
    # kg, not a −50 % drop. 파 stays 1kg and really falls (3000 → 2700, −10.0 %).
    rows = [
        {**_row(FRI, "0000", "245", 2000), "unit": "1kg"},
        {**_row(MON, "0000", "245", 1000), "unit": "500g"},
        {**_row(FRI, "0000", "246", 3000), "unit": "1kg"},
        {**_row(MON, "0000", "246", 2700), "unit": "1kg"},
    ]
    prices = frame(spark, STG_DAILY_CATEGORY_PRICE, rows)
    expected = [(MON, "0000", 1, "246", 2700.0, 3000.0, FRI, -300.0, -10.0)]
    assertDataFrameEqual(
        mart_price_drop_top3.transform(prices, MON, MON).select(TOP_COLS),
        spark.createDataFrame(expected, TOP_DDL),
    )
    counts = mart_price_region_count.transform(prices, MON, MON)
    assert [(r.down_cnt, r.total_cnt) for r in counts.collect()] == [(1, 1)]

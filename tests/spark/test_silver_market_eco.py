"""Market price / market average / eco / region snapshot transforms on hand-built parsed rows."""

from __future__ import annotations

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.silver import stg_daily_market_price as market
from spark_jobs.silver import stg_daily_region_snapshot as snapshot
from spark_jobs.silver import stg_weekly_eco_price as eco
from spark_jobs.silver.parse import COUNTY_FIELDS, ECO_FIELDS, PERIOD_FIELDS
from tests.spark.silver_helpers import DETECTED, D, codes, fetched, parsed_rows

pytestmark = pytest.mark.spark


def prow(
    req,
    hour,
    row_type,
    res_dt,
    price,
    market_nm=None,
    country_cd="1101",
    country_nm="서울",
    row_no=0,
    req_dt="2024-01-04",
):
    return {
        "request_id": req, "action": "periodRetailProductList", "fetched_at": fetched(hour), "req_dt": D(req_dt),
        "row_no": row_no, "row_type": row_type, "country_cd": country_cd, "country_nm": country_nm,
        "market_nm": market_nm, "category_cd": "200", "item_cd": "212", "item_nm": "양배추", "kind_cd": "00",
        "kind_nm": "양배추(1포기)", "rank_cd": "04", "rank_nm": "상품", "unit": "1포기", "res_dt": res_dt, "price": price,
    }  # fmt: skip


@pytest.fixture(scope="module")
def period_rows(spark):
    # Body A (fetched 09h) covers 01/03..01/04; body B (10h) re-asks 01/04: B wins on 01/04.
    rows = [
        prow("A", 9, "market", "2024-01-03", 3000.0, "경동"),
        prow("A", 9, "market", "2024-01-03", None, "A-유통", row_no=1),  # '-' → no row
        prow("A", 9, "market", "2024-01-04", 3100.0, "경동", row_no=2),  # superseded by B
        prow("B", 10, "market", "2024-01-04", 3200.0, "경동"),
        prow("B", 10, "market", "2024-01-04", -5.0, "A-유통", row_no=1),  # quarantined
        prow("A", 9, "average", "2024-01-03", 3000.0, country_cd="1101"),
        prow("A", 9, "normal", "2024-01-03", 2800.0, country_cd="1101"),
        prow("A", 9, "average", "2024-01-04", 3100.0),  # superseded by B
        prow("B", 10, "average", "2024-01-04", 3200.0),
        prow("B", 10, "normal", "2024-01-04", None),  # 평년 '-'
        prow(
            "B", 10, "market", "2024-01-04", 3300.0, "부전", country_cd=None, country_nm="부산"
        ),  # no region code
    ]
    return parsed_rows(spark, PERIOD_FIELDS, rows)


def test_market_newest_body_wins_and_priceless_rows_dropped(spark, period_rows):
    out, bad = market.transform_market(
        period_rows, codes(spark, "country_cd", ["1101", "2100"]), codes(spark, "item_cd", ["212"]),
        D("2024-01-03"), D("2024-01-04"), DETECTED,
    )  # fmt: skip
    assertDataFrameEqual(
        out.select("res_dt", "market_nm", "price", "request_id"),
        [(D("2024-01-03"), "경동", 3000.0, "A"), (D("2024-01-04"), "경동", 3200.0, "B")],
    )
    assertDataFrameEqual(
        bad.select("target_table", "reason", "detail"),
        [
            ("stg_daily_market_price", "non_positive_price", "price=-5.0"),
            ("stg_daily_market_price", "unknown_region", "country_cd=null"),
        ],
    )


def test_market_avg_pivots_average_and_normal(spark, period_rows):
    out, bad = market.transform_avg(
        period_rows, codes(spark, "country_cd", ["1101"]), codes(spark, "item_cd", ["212"]),
        None, None, DETECTED,
    )  # fmt: skip
    # 01/03: 평균 3000 + 평년 2800 from A; 01/04: 평균 3200 from B (A's 3100 superseded), 평년 '-' → null.
    assertDataFrameEqual(
        out.select("res_dt", "country_cd", "avg_price", "normal_price", "request_id"),
        [
            (D("2024-01-03"), "1101", 3000.0, 2800.0, "A"),
            (D("2024-01-04"), "1101", 3200.0, None, "B"),
        ],
    )
    assert bad.count() == 0


def erow(
    req, hour, row_type, market_nm, res_dt, price, row_no=0, country_nm="서울", country_cd="1101"
):
    return {
        "request_id": req, "action": "EcoPriceList", "fetched_at": fetched(hour), "req_dt": D("2024-10-30"),
        "row_no": row_no, "row_type": row_type, "country_cd": country_cd, "country_nm": country_nm,
        "market_nm": market_nm, "store_type_nm": None, "store_brand_cd": None, "category_cd": "100",
        "item_cd": "111", "item_nm": "쌀", "kind_cd": "02", "kind_nm": "백미", "rank_cd": "07", "rank_nm": "유기농",
        "unit": "4kg", "res_dt": res_dt, "price": price,
    }  # fmt: skip


def test_eco_store_type_split_week_start_and_average_dropped(spark):
    rows = [
        erow("A", 9, "average", None, "2024-10-22", 26068.0, country_nm="전국", country_cd="0000"),
        erow("A", 9, "market", "A-대형마트", "2024-10-22", 20800.0, row_no=1),
        erow("A", 9, "market", "B`-생협", "2024-10-22", 21400.0, row_no=2),
        erow(
            "A", 9, "market", "D-SSM", "2024-10-20", 15900.0, row_no=3
        ),  # a Sunday → week of 10/14
        erow("A", 9, "market", "C-전문점", "2024-10-22", None, row_no=4),  # no price → left out
    ]
    out, bad = eco.transform(
        parsed_rows(spark, ECO_FIELDS, rows), codes(spark, "country_cd", ["1101", "0000"]),
        codes(spark, "item_cd", ["111"]), None, None, DETECTED,
    )  # fmt: skip
    # 2024-10-22 is a Tuesday → Monday 2024-10-21; 2024-10-20 (Sunday) → Monday 2024-10-14.
    assertDataFrameEqual(
        out.select(
            "res_dt", "week_start_dt", "market_nm", "store_type_nm", "store_brand_cd", "price"
        ),
        [
            (D("2024-10-22"), D("2024-10-21"), "A-대형마트", "대형마트", "A", 20800.0),
            (D("2024-10-22"), D("2024-10-21"), "B`-생협", "생협", "B", 21400.0),
            (D("2024-10-20"), D("2024-10-14"), "D-SSM", "SSM", "D", 15900.0),
        ],
    )
    assert bad.count() == 0


def test_region_snapshot_dedup_and_bad_direction(spark):
    def crow(req, hour, productno, price, direction="1", snapshot_dt="2024-10-30", row_no=0):
        return {
            "request_id": req, "action": "dailyCountyList", "fetched_at": fetched(hour), "req_dt": D("2024-10-31"),
            "row_no": row_no, "snapshot_dt": snapshot_dt, "country_cd": "1101", "country_nm": "서울",
            "product_cls_cd": "01", "category_cd": "100", "category_nm": "식량작물", "productno": productno,
            "product_nm": "쌀/일반계", "item_nm": "쌀/일반계", "unit": "20kg", "price": price,
            "price_1d": 55053.0, "price_1m": None, "price_1y": 51034.0, "direction_cd": direction, "change_pct": 0.1,
        }  # fmt: skip

    rows = [
        crow("A", 9, "272", 55000.0),
        crow("B", 10, "272", 55094.0),  # newer fetch of the same snapshot row
        crow("B", 10, "273", 58887.0, direction="7", row_no=1),  # CHECK direction_known
        crow("B", 10, "274", 58887.0, snapshot_dt="20241030", row_no=2),  # not ISO
    ]
    out, bad = snapshot.transform(
        parsed_rows(spark, COUNTY_FIELDS, rows),
        codes(spark, "country_cd", ["1101"]),
        None,
        None,
        DETECTED,
    )
    assertDataFrameEqual(
        out.select("collected_dt", "snapshot_dt", "productno", "price", "request_id"),
        [(D("2024-10-31"), D("2024-10-30"), "272", 55094.0, "B")],
    )
    assertDataFrameEqual(bad.select("reason"), [("check_direction_known",), ("bad_date",)])


def test_livestock_city_rows_without_market_are_left_out_not_quarantined(spark):
    # KAMIS livestock period rows: one per city and day, marketname null, equal to 평균 (kept in
    # stg_daily_market_avg). Produce rows without a market stay an error.
    livestock = {
        "category_cd": "500",
        "item_cd": "4304",
        "item_nm": "돼지",
        "kind_cd": "27",
        "kind_nm": "삼겹살",
    }
    rows = [
        {**prow("L", 9, "market", "2024-01-04", 2650.0, None), **livestock},
        {**prow("L", 9, "average", "2024-01-04", 2650.0), **livestock},
        prow("P", 9, "market", "2024-01-04", 3000.0, None),  # produce without a market
        prow("P", 9, "market", "2024-01-04", 3100.0, "경동", row_no=1),
    ]
    out, bad = market.transform_market(
        parsed_rows(spark, PERIOD_FIELDS, rows), codes(spark, "country_cd", ["1101"]),
        codes(spark, "item_cd", ["212", "4304"]), D("2024-01-04"), D("2024-01-04"), DETECTED,
    )  # fmt: skip
    assertDataFrameEqual(out.select("item_cd", "market_nm", "price"), [("212", "경동", 3100.0)])
    assertDataFrameEqual(bad.select("reason"), [("null_market_nm",)])

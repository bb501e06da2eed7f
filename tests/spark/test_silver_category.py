"""stg_daily_category_price transform: typing, quarantine reasons, newest-wins, year-boundary labels."""

from __future__ import annotations

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.silver import stg_daily_category_price as mod
from spark_jobs.silver.parse import CATEGORY_FIELDS
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE as SPEC
from tests.spark.silver_helpers import DETECTED, D, codes, fetched, parsed_rows

pytestmark = pytest.mark.spark

ACTION = "dailyPriceByCategoryList"


def row(req: str, hour: int, **over):
    # res_dt 2024-01-03 (Wed): 1일전 01/02, 1주일전 "12/27" → 2023-12-27 (year boundary),
    # 2주일전 "12/20" → 2023-12-20, 1개월전 2023-12-03, 1년전 2023-01-03. dpr2 '-' → None.
    base = {
        "request_id": req, "action": ACTION, "fetched_at": fetched(hour), "req_dt": D("2024-01-03"), "row_no": 0,
        "product_cls_cd": "01", "category_cd": "200", "country_cd": "1101", "country_nm": "서울",
        "item_cd": "211", "item_nm": "배추", "kind_cd": "01", "kind_nm": "월동(1포기)", "rank_cd": "04",
        "rank_nm": "상품", "unit": "1포기", "res_dt": "2024-01-03", "price": 3000.0,
        "price_1d": None, "dt_1d": "2024-01-02", "price_1w": 2900.0, "dt_1w": "2023-12-27",
        "price_2w": 2800.0, "dt_2w": "2023-12-20", "price_1m": 2700.0, "dt_1m": "2023-12-03",
        "price_1y": 2500.0, "dt_1y": "2023-01-03", "price_normal": 2600.0, "convert_kg_yn": "N",
    }  # fmt: skip
    base.update(over)
    return base


def test_category_newest_wins_and_quarantine_reasons(spark):
    rows = [
        row("A", 9),  # superseded by B (same key, older fetch)
        row("B", 10, price=3100.0),  # newest → published
        row("B", 10, row_no=1, rank_cd="05", price=0.0),  # non-positive price
        row(
            "B", 10, row_no=2, kind_cd="02", dt_1w="2024-12-27"
        ),  # label resolved into the wrong year
        row("B", 10, row_no=3, country_cd="9999"),  # unknown region
        row("B", 10, row_no=4, item_cd="999"),  # unknown item
        row("B", 10, row_no=5, kind_cd="03", res_dt="2024-02-30"),  # not a date
        row(
            "C", 11, req_dt=D("2024-01-04"), res_dt="2024-01-04", dt_1d="2024-01-03"
        ),  # outside the window
    ]
    df = parsed_rows(spark, CATEGORY_FIELDS, rows)
    out, bad = mod.transform(
        df, codes(spark, "country_cd", ["1101", "0000"]), codes(spark, "item_cd", ["211"]),
        D("2024-01-03"), D("2024-01-03"), DETECTED,
    )  # fmt: skip
    expected = spark.createDataFrame(
        [(
            "01", "200", "1101", "서울", "211", "배추", "01", "월동(1포기)", "04", "상품", "1포기",
            3100.0, None, D("2024-01-02"), 2900.0, D("2023-12-27"), 2800.0, D("2023-12-20"),
            2700.0, D("2023-12-03"), 2500.0, D("2023-01-03"), 2600.0, "N", "B", fetched(10), D("2024-01-03"),
        )],
        SPEC.struct(),
    )  # fmt: skip
    assertDataFrameEqual(out, expected)
    got = bad.select("target_table", "request_id", "reason", "detail", "req_dt")
    want = spark.createDataFrame(
        [
            ("stg_daily_category_price", "B", "non_positive_price", "price=0.0", D("2024-01-03")),
            (
                "stg_daily_category_price",
                "B",
                "label_date_out_of_range",
                "dt_1w=2024-12-27 res_dt=2024-01-03",
                D("2024-01-03"),
            ),
            ("stg_daily_category_price", "B", "unknown_region", "country_cd=9999", D("2024-01-03")),
            ("stg_daily_category_price", "B", "unknown_item", "item_cd=999", D("2024-01-03")),
            ("stg_daily_category_price", "B", "bad_date", "res_dt__s=2024-02-30", D("2024-01-03")),
        ],
        "target_table STRING, request_id STRING, reason STRING, detail STRING, req_dt DATE",
    )
    assertDataFrameEqual(got, want)
    # The payload is the row as parsed (JSON), so the quarantined value can be read back.
    payload = bad.where("reason = 'bad_date'").first().payload
    assert '"res_dt__s":"2024-02-30"' in payload and '"item_cd":"211"' in payload
    assert bad.where("detected_at IS NULL").count() == 0


def test_category_weekend_gap_keeps_null_previous_day(spark):
    # Monday 2023-04-17: 1일전 is Sunday 04/16, KAMIS shows '-' → price_1d null, row kept.
    r = row("A", 9, req_dt=D("2023-04-17"), res_dt="2023-04-17", dt_1d="2023-04-16", price_1d=None,
            dt_1w="2023-04-10", dt_2w="2023-04-03", dt_1m="2023-03-17", dt_1y="2022-04-17")  # fmt: skip
    out, bad = mod.transform(
        parsed_rows(spark, CATEGORY_FIELDS, [r]), codes(spark, "country_cd", ["1101"]),
        codes(spark, "item_cd", ["211"]), None, None, DETECTED,
    )  # fmt: skip
    assert bad.count() == 0
    got = out.select("res_dt", "price", "price_1d", "dt_1d")
    assertDataFrameEqual(got, [(D("2023-04-17"), 3000.0, None, D("2023-04-16"))])

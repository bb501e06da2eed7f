"""mart_update_status: latest date, rows, regions, lag and the data version per source."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_update_status as m
from spark_jobs.gold._common import frame

pytestmark = pytest.mark.spark

AS_OF = date(2025, 1, 2)
AT = datetime(2025, 1, 2, 9, 30)


def _call(dt: date, outcome: str, **params: str) -> dict:
    return {
        "req_dt": dt,
        "outcome": outcome,
        "params_json": json.dumps(params),
        "request_id": "r",
        "action": "a",
    }


def _frames(spark, extra_category_row: bool = False) -> dict:
    rows = {
        # 1101, 전국 (no region parameter → 0000) ok on 12-30; 2100 failed on 12-31 (counts as a row and a region, not as latest)
        "dailyPriceByCategoryList": [
            _call(date(2024, 12, 30), "ok", p_country_code="1101"),
            _call(date(2024, 12, 30), "ok"),
            _call(date(2024, 12, 31), "failed", p_country_code="2100"),
        ],
        "periodRetailProductList": [_call(date(2024, 12, 27), "ok", p_countrycode="2100")],
        "productInfo": [_call(date(2024, 12, 1), "ok")],
        "stg_daily_category_price": [
            {"res_dt": date(2024, 12, 30), "country_cd": "0000", "price": 3547.0},
            {"res_dt": date(2024, 12, 31), "country_cd": "1101", "price": 3631.0},
            {"res_dt": date(2024, 12, 31), "country_cd": "0000", "price": 3312.0},
        ]
        + (
            [{"res_dt": date(2024, 12, 31), "country_cd": "2100", "price": 3170.0}]
            if extra_category_row
            else []
        ),
        "stg_weekly_eco_price": [
            {"res_dt": date(2024, 12, 23), "country_nm": "서울"},
            {"res_dt": date(2024, 12, 23), "country_nm": "부산"},
        ],
    }
    return {s.source_nm: frame(spark, s.spec, rows.get(s.source_nm, [])) for s in m.SOURCES}


def _sha16(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_status_per_source(spark):
    out = m.transform(_frames(spark), AS_OF, AT)
    lines = sorted(
        [
            "dailyPriceByCategoryList|2024-12-30|3",
            "dailyCountyList||0",
            "periodRetailProductList|2024-12-27|1",
            "EcoPriceList||0",
            "productInfo|2024-12-01|1",
            "stg_daily_category_price|2024-12-31|3",
            "stg_daily_region_snapshot||0",
            "stg_daily_market_price||0",
            "stg_weekly_eco_price|2024-12-23|2",
        ]
    )
    version = _sha16(";".join(lines))
    d = date
    expected = [
        # lag = 2025-01-02 − latest: 12-30 → 3, 12-27 → 6, 12-01 → 32, 12-31 → 2, 12-23 → 10
        (
            "dailyPriceByCategoryList",
            "kamis_raw.daily_price_by_category_list",
            d(2024, 12, 30),
            3,
            3,
            3,
        ),
        ("dailyCountyList", "kamis_raw.daily_county_list", None, 0, 0, None),
        (
            "periodRetailProductList",
            "kamis_raw.period_retail_product_list",
            d(2024, 12, 27),
            1,
            1,
            6,
        ),
        ("EcoPriceList", "kamis_raw.eco_price_list", None, 0, 0, None),
        ("productInfo", "kamis_raw.product_info", d(2024, 12, 1), 1, 0, 32),
        (
            "stg_daily_category_price",
            "kamis_silver.stg_daily_category_price",
            d(2024, 12, 31),
            3,
            2,
            2,
        ),
        ("stg_daily_region_snapshot", "kamis_silver.stg_daily_region_snapshot", None, 0, 0, None),
        ("stg_daily_market_price", "kamis_silver.stg_daily_market_price", None, 0, 0, None),
        ("stg_weekly_eco_price", "kamis_silver.stg_weekly_eco_price", d(2024, 12, 23), 2, 2, 10),
    ]
    by_name = {line.split("|")[0]: line for line in lines}
    expected = [(*e, AS_OF, version, AT, _sha16(by_name[e[0]])) for e in expected]
    ddl = "source_nm STRING, table_nm STRING, latest_dt DATE, row_cnt BIGINT, region_cnt INT, lag_days INT, as_of_dt DATE, data_version STRING, updated_at TIMESTAMP, source_version STRING"
    assertDataFrameEqual(out, spark.createDataFrame(expected, ddl))


def test_data_version_moves_only_with_the_data(spark):
    first = m.transform(_frames(spark), AS_OF, AT).first().data_version
    later_run = (
        m.transform(_frames(spark), date(2025, 1, 3), datetime(2025, 1, 3, 9)).first().data_version
    )
    more_rows = m.transform(_frames(spark, extra_category_row=True), AS_OF, AT).first().data_version
    assert first == later_run
    assert first != more_rows


def test_a_day_without_prices_is_neither_fresh_nor_counted(spark):
    # 12-30 priced in 0000 and 1101; 12-31 answered before publication: its call is stored as
    # not_published and, had its "-" rows reached silver, they carry no price.
    rows = {
        "dailyPriceByCategoryList": [
            _call(date(2024, 12, 30), "ok"),
            _call(date(2024, 12, 31), "not_published"),
        ],
        "stg_daily_category_price": [
            {"res_dt": date(2024, 12, 30), "country_cd": "0000", "price": 3547.0},
            {"res_dt": date(2024, 12, 30), "country_cd": "1101", "price": 3631.0},
            {"res_dt": date(2024, 12, 31), "country_cd": "0000", "price": None},
            {"res_dt": date(2024, 12, 31), "country_cd": "2100", "price": None},
        ],
        "stg_daily_region_snapshot": [
            {"snapshot_dt": date(2024, 12, 30), "country_cd": "1101", "price": 3547.0},
            {"snapshot_dt": date(2024, 12, 31), "country_cd": "1101", "price": None},
        ],
    }
    frames = {s.source_nm: frame(spark, s.spec, rows.get(s.source_nm, [])) for s in m.SOURCES}
    out = {r.source_nm: r for r in m.transform(frames, AS_OF, AT).collect()}
    got = {
        n: (out[n].latest_dt, out[n].row_cnt, out[n].region_cnt, out[n].lag_days)
        for n in (
            "dailyPriceByCategoryList",
            "stg_daily_category_price",
            "stg_daily_region_snapshot",
        )
    }
    assert got == {
        # raw: two calls (any outcome), one region (0000); latest ok 12-30 → lag 3
        "dailyPriceByCategoryList": (date(2024, 12, 30), 2, 1, 3),
        # silver: the two priced rows of 12-30 in 0000 and 1101; 12-31 has no price → lag 3
        "stg_daily_category_price": (date(2024, 12, 30), 2, 2, 3),
        "stg_daily_region_snapshot": (date(2024, 12, 30), 1, 1, 3),
    }

"""Real KAMIS bodies through the parse step and the silver jobs (raw table → silver tables)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.jobs import JobContext, get_job
from spark_jobs.lake import ensure_table
from spark_jobs.raw.tables import DAILY_PRICE_BY_CATEGORY, PERIOD_RETAIL_PRODUCT
from spark_jobs.silver.parse import CATEGORY_FIELDS, PERIOD_FIELDS, parse_raw
from spark_jobs.silver.tables import (
    STG_DAILY_CATEGORY_PRICE,
    STG_DAILY_MARKET_AVG,
    STG_DAILY_MARKET_PRICE,
    STG_QUARANTINE,
)

pytestmark = pytest.mark.spark

CATEGORY_BODY = "dailyPriceByCategoryList__cat200_vegetables_retail_national_2026-06-04__igb.json"
ONION_BODY = "periodProductList__onion245_kind00_rank04_seoul_28day_2026-05-08_to_06-04__igb.json"


def raw_frame(spark, spec, rows):
    """Raw rows (action, params, body, outcome, req_dt, window, fetched_at) in the raw contract."""
    data = []
    for i, r in enumerate(rows):
        data.append((
            r["request_id"], r["action"], json.dumps(r["params"], sort_keys=True), r.get("ws"), r.get("we"),
            200, r.get("result_cd"), r["outcome"], r.get("error_msg"), r.get("body"), None, None, "json",
            "simulator", r.get("fetched_at", datetime(2026, 6, 4, 18, i)), 1, 10, r["req_dt"],
        ))  # fmt: skip
    return spark.createDataFrame(data, spec.struct())


@pytest.fixture(scope="module")
def category_raw(spark, samples_dir: Path):
    body = (samples_dir / CATEGORY_BODY).read_text(encoding="utf-8")
    params = {
        "p_product_cls_code": "01",
        "p_item_category_code": "200",
        "p_regday": "2026-06-04",
        "p_convert_kg_yn": "N",
    }
    d = date(2026, 6, 4)
    return raw_frame(spark, DAILY_PRICE_BY_CATEGORY, [
        {"request_id": "cat-ok", "action": "dailyPriceByCategoryList", "params": params, "outcome": "ok", "result_cd": "000", "body": body, "req_dt": d, "ws": d, "we": d},
        {"request_id": "cat-html", "action": "dailyPriceByCategoryList", "params": params, "outcome": "not_kamis", "error_msg": "HTML page", "body": "<html>page not found</html>", "req_dt": d, "ws": d, "we": d},
        {"request_id": "cat-failed", "action": "dailyPriceByCategoryList", "params": params, "outcome": "failed", "error_msg": "timeout", "body": None, "req_dt": d, "ws": d, "we": d},
    ])  # fmt: skip


def test_parse_step_on_real_category_body(spark, category_raw):
    parsed = parse_raw(category_raw, CATEGORY_FIELDS)
    # The 2026-06-04 national vegetables body holds 51 rows (API.md §3.1); none is a row error.
    assert parsed.rows.count() == 51
    first = parsed.rows.where("item_cd = '211' AND kind_cd = '01' AND rank_cd = '04'")
    # 배추 봄(1포기) 상품: dpr1 "3,547", dpr2 "-" (06/03), dpr3 "3,631" (05/28), dpr7 "3,566"; national → 0000.
    assertDataFrameEqual(
        first.select(
            "country_cd",
            "res_dt",
            "price",
            "price_1d",
            "dt_1d",
            "price_1w",
            "dt_1w",
            "price_normal",
            "fetched_at",
            "req_dt",
        ),
        [
            (
                "0000",
                "2026-06-04",
                3547.0,
                None,
                "2026-06-03",
                3631.0,
                "2026-05-28",
                3566.0,
                datetime(2026, 6, 4, 18, 0),
                date(2026, 6, 4),
            )
        ],
    )
    assertDataFrameEqual(
        parsed.quarantine.select("request_id", "reason"), [("cat-html", "not_kamis")]
    )
    assertDataFrameEqual(
        parsed.bodies.select("request_id", "parse_outcome"),
        [("cat-ok", "ok"), ("cat-html", "not_kamis"), ("cat-failed", "skipped")],
    )


def _write_raw(spark, spec, df, start: date, end: date):
    ensure_table(spark, spec)
    where = f"req_dt >= DATE'{start}' AND req_dt <= DATE'{end}'"
    df.write.format("delta").mode("overwrite").option("replaceWhere", where).saveAsTable(
        spec.full_name
    )


def _run(spark, profile, name, day: date, full_refresh=False):
    return get_job(name).fn(JobContext.of(spark, profile, day, day, full_refresh, {}))


def test_category_job_publishes_is_idempotent_and_keeps_partition_out_of_files(
    spark, profile, category_raw
):
    d = date(2026, 6, 4)
    _write_raw(spark, DAILY_PRICE_BY_CATEGORY, category_raw, d, d)
    first = _run(spark, profile, "silver.stg_daily_category_price", d)
    again = _run(spark, profile, "silver.stg_daily_category_price", d)
    table = spark.table(STG_DAILY_CATEGORY_PRICE.full_name).where(f"res_dt = DATE'{d}'")
    # 51 parsed rows, all valid → 51 published, twice the same.
    assert first.rows == again.rows == 51 == table.count()
    q = spark.table(STG_QUARANTINE.full_name).where("target_table = 'stg_daily_category_price'")
    assertDataFrameEqual(q.select("request_id", "reason", "req_dt"), [("cat-html", "not_kamis", d)])
    # The original project's Athena bug: partition columns inside the data files. Delta 4.4
    # writes them by default; our tables set delta.writePartitionColumnsToParquet=false.
    files = [Path(p.replace("file:", "")) for p in table.inputFiles()]
    assert files and all(f"res_dt={d}" in str(f) for f in files)
    for f in files:
        assert "res_dt" not in pq.read_schema(f).names
        assert "item_cd" in pq.read_schema(f).names


def test_market_job_from_real_period_body(spark, profile, samples_dir: Path):
    body = (samples_dir / ONION_BODY).read_text(encoding="utf-8")
    params = {"p_startday": "2026-05-08", "p_endday": "2026-06-04", "p_itemcategorycode": "200", "p_itemcode": "245",
              "p_kindcode": "00", "p_productrankcode": "04", "p_countrycode": "1101", "p_convert_kg_yn": "N"}  # fmt: skip
    d = date(2026, 6, 4)
    raw = raw_frame(spark, PERIOD_RETAIL_PRODUCT, [
        {"request_id": "onion", "action": "periodRetailProductList", "params": params, "outcome": "ok", "result_cd": "000",
         "body": body, "req_dt": d, "ws": date(2026, 5, 8), "we": d},
    ])  # fmt: skip
    parsed = parse_raw(raw, PERIOD_FIELDS)
    rows = parsed.rows
    # 18 survey days × (평균 + 평년 + 9 Seoul markets) = 18 × 11 = 198 rows.
    assert rows.count() == 198
    _write_raw(spark, PERIOD_RETAIL_PRODUCT, raw, d, d)
    _run(spark, profile, "silver.stg_daily_market_price", d)
    avg = spark.table(STG_DAILY_MARKET_AVG.full_name).where(f"res_dt = DATE'{d}'")
    # API.md §3.4: 06/04 평균 1,739 = mean of the 9 Seoul markets that day.
    assert avg.select("country_cd", "avg_price").collect() == [("1101", 1739.0)]
    markets = spark.table(STG_DAILY_MARKET_PRICE.full_name).where(f"res_dt = DATE'{d}'")
    priced = rows.where(f"row_type = 'market' AND res_dt = '{d}' AND price IS NOT NULL").count()
    assert markets.count() == priced
    mean = markets.agg({"price": "avg"}).first()[0]
    assert round(mean) == 1739


def test_parse_hands_back_bounded_batches_and_loses_no_row(spark, samples_dir: Path):
    # 20 copies of the 198-row period body (more raw rows than the worker turns into Python
    # objects at once) parsed with at most 7 records per output batch: 3,960 rows, the same
    # rows and row numbers as one batch per input batch, and no duplicate.
    body = (samples_dir / ONION_BODY).read_text(encoding="utf-8")
    params = {"p_startday": "2026-05-08", "p_endday": "2026-06-04", "p_itemcategorycode": "200", "p_itemcode": "245",
              "p_kindcode": "00", "p_productrankcode": "04", "p_countrycode": "1101", "p_convert_kg_yn": "N"}  # fmt: skip
    d = date(2026, 6, 4)
    raw = raw_frame(spark, PERIOD_RETAIL_PRODUCT, [
        {"request_id": f"onion-{i}", "action": "periodRetailProductList", "params": params, "outcome": "ok",
         "result_cd": "000", "body": body, "req_dt": d, "ws": date(2026, 5, 8), "we": d}
        for i in range(20)
    ])  # fmt: skip
    small = parse_raw(raw, PERIOD_FIELDS, flush_records=7).rows
    whole = parse_raw(raw, PERIOD_FIELDS, flush_records=1_000_000).rows
    assert small.count() == 20 * 198
    assert small.select("request_id", "row_no").distinct().count() == 20 * 198
    assert small.exceptAll(whole).count() == 0 and whole.exceptAll(small).count() == 0


def test_category_job_takes_up_a_day_published_after_it_was_first_asked(
    spark, profile, samples_dir: Path
):
    # 06-04 was first answered before publication (not_published, no silver rows); the run of
    # 06-06 asked it again and stored the published body in the 06-04 raw partition. The
    # silver run of 06-06 re-derives the 7 days 05-31..06-06, so 06-04's 51 rows arrive.
    body = (samples_dir / CATEGORY_BODY).read_text(encoding="utf-8")
    d, run_day = date(2026, 6, 4), date(2026, 6, 6)
    params = {"p_product_cls_code": "01", "p_item_category_code": "200", "p_regday": "2026-06-04"}
    raw = raw_frame(spark, DAILY_PRICE_BY_CATEGORY, [
        {"request_id": "cat-late", "action": "dailyPriceByCategoryList", "params": params,
         "outcome": "ok", "result_cd": "000", "body": body, "req_dt": d, "ws": d, "we": d,
         "fetched_at": datetime(2026, 6, 6, 9, 0)},
    ])  # fmt: skip
    _write_raw(spark, DAILY_PRICE_BY_CATEGORY, raw, d, run_day)
    table = STG_DAILY_CATEGORY_PRICE.full_name
    ensure_table(spark, STG_DAILY_CATEGORY_PRICE)
    spark.sql(f"DELETE FROM {table} WHERE res_dt >= DATE'{d}'")
    ctx = JobContext.of(spark, profile, run_day, run_day, False, {})
    get_job("silver.stg_daily_category_price").fn(ctx)
    assert spark.table(table).where(f"res_dt = DATE'{d}'").count() == 51
    # with a one-day look-back the run of 06-06 re-derives 06-06 only
    spark.sql(f"DELETE FROM {table} WHERE res_dt >= DATE'{d}'")
    one = JobContext.of(
        spark, profile, run_day, run_day, False, {"kamis.publication_lookback_days": 1}
    )
    get_job("silver.stg_daily_category_price").fn(one)
    assert spark.table(table).where(f"res_dt = DATE'{d}'").count() == 0

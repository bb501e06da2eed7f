"""Raw jobs end to end against the KAMIS simulator over real HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from spark_jobs.jobs import JobContext
from spark_jobs.kamis.parsing import parse_body
from spark_jobs.raw import jobs as raw_jobs
from spark_jobs.raw.tables import DAILY_COUNTY, DAILY_PRICE_BY_CATEGORY, ECO_PRICE, PRODUCT_INFO
from spark_jobs.simulator.server import SimulatorServer

pytestmark = pytest.mark.integration

DAY = date(2026, 6, 4)  # a Thursday
STABLE = [
    "req_dt",
    "request_id",
    "params_json",
    "outcome",
    "result_cd",
    "body_sha256",
    "body_bytes",
]
SPECS = (DAILY_PRICE_BY_CATEGORY, DAILY_COUNTY, ECO_PRICE, PRODUCT_INFO)


@pytest.fixture
def clean(spark):
    for spec in SPECS:
        spark.sql(f"DROP TABLE IF EXISTS {spec.full_name}")
    yield
    for spec in SPECS:
        spark.sql(f"DROP TABLE IF EXISTS {spec.full_name}")


def ctx(spark, profile, start, end, url=None, full_refresh=False, **opts):
    options = {"progress": False, "kamis.requests_per_second": 0, "kamis.recheck_days": 0, **opts}
    if url:
        options["kamis.simulator_url"] = url
    return JobContext.of(spark, profile, start, end, full_refresh, options)


def snapshot(spark, spec):
    return sorted(tuple(r) for r in spark.table(spec.full_name).select(*STABLE).collect())


def test_jobs_start_their_own_simulator_and_store_parseable_bodies(spark, profile, clean):
    c = ctx(spark, profile, DAY, DAY, **{"kamis.simulator_today": DAY.isoformat()})
    info = raw_jobs.product_info(c)
    county = raw_jobs.daily_county_list(c)
    eco = raw_jobs.eco_price_list(c)
    assert info.requests == 1 and info.outcomes["ok"] == 1
    assert county.requests == 24 and county.outcomes["ok"] == 24
    assert eco.requests == 114 and eco.outcomes["ok"] + eco.outcomes["no_data"] == 114
    body = spark.table(PRODUCT_INFO.full_name).first().body
    parsed = parse_body("productInfo", body)
    assert (
        len(parsed.rows) == 232 and parsed.row_errors == []
    )  # the simulator serves the full code table
    for row in spark.table(ECO_PRICE.full_name).where("outcome = 'ok'").limit(5).collect():
        res = parse_body(row.action, row.body, __import__("json").loads(row.params_json))
        # eco prices are not surveyed daily: a day's call answers the latest survey day on or before it
        dates = {r["res_dt"] for r in res.rows}
        assert (
            res.rows
            and len(dates) == 1
            and date(2026, 5, 28) <= date.fromisoformat(dates.pop()) <= DAY
        )


def test_rerun_of_a_date_is_identical(spark, profile, clean):
    with SimulatorServer(seed=7, today=DAY) as sim:
        first = raw_jobs.daily_price_by_category_list(ctx(spark, profile, DAY, DAY, sim.base_url))
        before = snapshot(spark, DAILY_PRICE_BY_CATEGORY)
        again = raw_jobs.daily_price_by_category_list(
            ctx(spark, profile, DAY, DAY, sim.base_url, full_refresh=True)
        )
        after = snapshot(spark, DAILY_PRICE_BY_CATEGORY)
    assert first.requests == again.requests == 186
    assert before == after and len(after) == 186
    # every body parses into rows for the asked date
    rows = spark.table(DAILY_PRICE_BY_CATEGORY.full_name).where("outcome = 'ok'").limit(3).collect()
    for row in rows:
        res = parse_body(row.action, row.body)
        assert res.rows and {r["res_dt"] for r in res.rows} == {DAY.isoformat()}


def test_failed_calls_stored_then_recovered(spark, profile, clean):
    d1, d2 = date(2026, 6, 2), DAY
    fast = {"kamis.max_attempts": 2, "kamis.backoff_base_s": 0.01, "kamis.backoff_max_s": 0.02}
    with SimulatorServer(seed=7, today=DAY, error_rate=1.0) as broken:
        down = raw_jobs.daily_price_by_category_list(
            ctx(spark, profile, d1, d1, broken.base_url, **fast)
        )
    assert down.outcomes["failed"] == 186
    failed = spark.table(DAILY_PRICE_BY_CATEGORY.full_name).collect()
    assert {(r.outcome, r.attempts, r.body) for r in failed} == {("failed", 2, None)}
    assert all(
        r.http_status in (500, 502, 503) and "after 2 attempts" in r.error_msg for r in failed
    )
    with SimulatorServer(seed=7, today=DAY) as sim:
        up = raw_jobs.daily_price_by_category_list(
            ctx(spark, profile, d2, d2, sim.base_url, **fast)
        )
    assert up.retried_failed == 186 and up.outcomes["failed"] == 0
    df = spark.table(DAILY_PRICE_BY_CATEGORY.full_name)
    assert {r.req_dt: r["count"] for r in df.groupBy("req_dt").count().collect()} == {
        d1: 186,
        d2: 186,
    }
    assert df.where("outcome = 'failed'").count() == 0


def test_transient_faults_are_absorbed_by_retries(spark, profile, clean):
    # 20 % resets + 10 % 5xx: with 6 attempts almost every call still succeeds; none is dropped
    with SimulatorServer(seed=11, today=DAY, reset_rate=0.2, error_rate=0.1) as sim:
        s = raw_jobs.daily_price_by_category_list(
            ctx(
                spark,
                profile,
                DAY,
                DAY,
                sim.base_url,
                **{"kamis.max_attempts": 6, "kamis.backoff_base_s": 0.01},
            )
        )
        asked = sim.request_count
    df = spark.table(DAILY_PRICE_BY_CATEGORY.full_name)
    assert df.count() == 186 and s.requests == 186
    assert asked > 186  # retries happened
    assert df.where("attempts > 1").count() > 0
    assert df.where("outcome = 'failed'").count() == s.outcomes["failed"]

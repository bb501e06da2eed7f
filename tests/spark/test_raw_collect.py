"""Raw collection into Delta against a scripted local server: partitions, reruns, failures, resume, secrets."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest

from spark_jobs.jobs import JobContext, registered_jobs
from spark_jobs.raw import collect as rc
from spark_jobs.raw.tables import DAILY_PRICE_BY_CATEGORY, PRODUCT_INFO
from testkit.fake_kamis import FakeKamis, Reply, echo_body

pytestmark = pytest.mark.spark

KEY, CERT_ID = "SECRET-KEY-TEST-1234", "SECRET-ID-98765"
D1, D2, D3 = date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6)
STABLE = [
    "req_dt",
    "request_id",
    "action",
    "params_json",
    "outcome",
    "result_cd",
    "body",
    "body_sha256",
    "body_bytes",
    "http_status",
]


class Kamis:
    """KAMIS-like responder: echoes the query (credentials included); can fail chosen calls with 503."""

    def __init__(self) -> None:
        self.fail = lambda q: False
        self.unpublished: set[str] = set()  # p_regday values answered like KAMIS before publication
        self.lock = threading.Lock()

    def __call__(self, q: dict[str, str]) -> Reply:
        if self.fail(q):
            return Reply(503, b"<html>busy</html>")
        if q["action"] == "productInfo":
            return Reply(
                200,
                echo_body(q, [{"itemcategorycode": "100", "itemcode": "111", "kindcode": "01"}]),
            )
        if q.get("p_country_code") == "3911":  # 제주: no data that day
            return Reply(200, echo_body(q, None, "001"))
        item = {
            "item_name": "배추",
            "item_code": "211",
            "kind_code": "01",
            "rank_code": "04",
            "dpr1": "-" if q.get("p_regday") in self.unpublished else "3,547",
        }
        return Reply(200, echo_body(q, [item]))


@pytest.fixture
def kamis():
    responder = Kamis()
    with FakeKamis(responder) as srv:
        srv.responder_obj = responder
        yield srv


@pytest.fixture
def clean(spark):
    for spec in (DAILY_PRICE_BY_CATEGORY, PRODUCT_INFO):
        spark.sql(f"DROP TABLE IF EXISTS {spec.full_name}")
    yield
    for spec in (DAILY_PRICE_BY_CATEGORY, PRODUCT_INFO):
        spark.sql(f"DROP TABLE IF EXISTS {spec.full_name}")


def ctx(spark, profile, url, start, end, full_refresh=False, **opts) -> JobContext:
    options = {"progress": False, "kamis.simulator_url": url, "kamis.max_attempts": 1, "kamis.requests_per_second": 0,
               "kamis.recheck_days": 0, **opts}  # fmt: skip
    return JobContext.of(spark, profile, start, end, full_refresh, options)


def table(spark, spec=DAILY_PRICE_BY_CATEGORY):
    return spark.table(spec.full_name)


def snapshot(spark, spec=DAILY_PRICE_BY_CATEGORY) -> list[tuple]:
    return sorted(tuple(r) for r in table(spark, spec).select(*STABLE).collect())


def test_jobs_are_registered():
    jobs = registered_jobs()
    names = [n for n in jobs if n.startswith("raw.")]
    assert names == [
        "raw.daily_price_by_category_list",
        "raw.daily_county_list",
        "raw.period_retail_product_list",
        "raw.eco_price_list",
        "raw.product_info",
    ]


def test_two_days_written_one_partition_per_day(spark, profile, kamis, clean):
    summary = rc.collect(
        ctx(spark, profile, kamis.base_url, D1, D2), "daily_price_by_category_list"
    )
    # 186 calls per day; 제주 (retail only, 6 categories) answers 001
    assert summary.requests == 372 and summary.outcomes == {"ok": 360, "no_data": 12}
    assert summary.partitions_written == 2 and len(kamis.queries) == 372
    df = table(spark)
    counts = {r.req_dt: r["count"] for r in df.groupBy("req_dt").count().collect()}
    assert counts == {D1: 186, D2: 186}
    row = df.where("outcome = 'ok'").first()
    assert (
        row.http_status == 200
        and row.result_cd == "000"
        and row.api_mode == "simulator"
        and row.attempts == 1
    )
    assert row.returntype == "json" and row.window_start_dt == row.req_dt == row.window_end_dt
    import hashlib

    assert row.body_sha256 == hashlib.sha256(
        row.body.encode()
    ).hexdigest() and row.body_bytes == len(row.body.encode())
    assert json.loads(row.params_json)["p_regday"] == row.req_dt.isoformat()
    # the echoed (placeholder) credentials are gone from the stored body
    assert "p_cert_key" not in row.body and "p_cert_id" not in row.body
    assert summary.bytes == sum(r.body_bytes for r in df.select("body_bytes").collect())


def test_rerun_skips_complete_partitions_and_full_refresh_is_identical(
    spark, profile, kamis, clean
):
    rc.collect(ctx(spark, profile, kamis.base_url, D1, D1), "daily_price_by_category_list")
    before = snapshot(spark)
    again = rc.collect(ctx(spark, profile, kamis.base_url, D1, D1), "daily_price_by_category_list")
    assert again.requests == 0 and again.partitions_skipped == 1 and snapshot(spark) == before
    refresh = rc.collect(
        ctx(spark, profile, kamis.base_url, D1, D1, full_refresh=True),
        "daily_price_by_category_list",
    )
    assert refresh.requests == 186 and snapshot(spark) == before  # same contents, no duplicates
    assert table(spark).count() == 186


def test_recent_no_data_is_asked_again(spark, profile, kamis, clean):
    rc.collect(ctx(spark, profile, kamis.base_url, D1, D2), "daily_price_by_category_list")
    n = len(kamis.queries)
    again = rc.collect(
        ctx(spark, profile, kamis.base_url, D1, D2, **{"kamis.recheck_days": 1}),
        "daily_price_by_category_list",
    )
    # only D2's six 제주 no-data calls are within one day of the window end
    assert again.requests == 6 and len(kamis.queries) == n + 6
    assert table(spark).count() == 372


def test_a_day_asked_before_publication_is_asked_again_by_later_runs(spark, profile, kamis, clean):
    responder = kamis.responder_obj
    responder.unpublished = {D1.isoformat()}  # Monday 05-04, a survey day: every dpr1 "-"
    first = rc.collect(ctx(spark, profile, kamis.base_url, D1, D1), "daily_price_by_category_list")
    # 186 calls: 제주's 6 answer 001, the other 180 answer 000 with no price → not published
    assert first.outcomes == {"not_published": 180, "no_data": 6}
    stored = table(spark).where("outcome = 'not_published'").first()
    assert stored.result_cd == "000" and stored.error_msg == (
        "result 000 but no price for survey day 2026-05-04: not yet published"
    )

    # KAMIS has published; the run for 05-06 (window D3 only) asks D1's 180 again: D1 lies
    # within the 7 days ending at D3 (04-30..05-06). 제주's settled 001 answers are not asked.
    responder.unpublished = set()
    n = len(kamis.queries)
    later = rc.collect(ctx(spark, profile, kamis.base_url, D3, D3), "daily_price_by_category_list")
    assert later.retried_unpublished == 180 and later.retried_failed == 0
    assert later.requests == 186 + 180 and len(kamis.queries) == n + 366
    d1 = table(spark).where(f"req_dt = DATE'{D1}'")
    assert {r.outcome: r["count"] for r in d1.groupBy("outcome").count().collect()} == {
        "ok": 180,
        "no_data": 6,
    }


def test_not_published_answers_older_than_the_look_back_are_left(spark, profile, kamis, clean):
    kamis.responder_obj.unpublished = {D1.isoformat()}
    rc.collect(ctx(spark, profile, kamis.base_url, D1, D1), "daily_price_by_category_list")
    kamis.responder_obj.unpublished = set()
    # a 2-day look-back ending at D3 (05-06) covers 05-05..05-06, not D1 (05-04)
    later = rc.collect(
        ctx(spark, profile, kamis.base_url, D3, D3, **{"kamis.publication_lookback_days": 2}),
        "daily_price_by_category_list",
    )
    assert later.retried_unpublished == 0 and later.requests == 186
    assert table(spark).where("outcome = 'not_published'").count() == 180


def test_failed_calls_are_stored_then_recovered_by_a_later_run(spark, profile, kamis, clean):
    responder = kamis.responder_obj
    responder.fail = lambda q: q.get("p_item_category_code") == "500"  # livestock calls fail on D1
    first = rc.collect(ctx(spark, profile, kamis.base_url, D1, D1), "daily_price_by_category_list")
    # 500: retail national + 24 regions, wholesale national + 5 → 31 failed
    assert first.outcomes["failed"] == 31
    failed = table(spark).where("outcome = 'failed'").collect()
    assert len(failed) == 31
    assert all(r.body is None and r.body_sha256 is None and r.http_status == 503 for r in failed)
    assert all(r.error_msg.startswith("HTTP 503") and r.attempts == 1 for r in failed)

    # a partition with failed rows inside the window is topped up: only the 31 are asked again
    n = len(kamis.queries)
    still = rc.collect(ctx(spark, profile, kamis.base_url, D1, D1), "daily_price_by_category_list")
    assert (
        still.requests == 31
        and len(kamis.queries) == n + 31
        and table(spark).where("outcome = 'failed'").count() == 31
    )

    responder.fail = lambda q: False
    later = rc.collect(ctx(spark, profile, kamis.base_url, D3, D3), "daily_price_by_category_list")
    assert later.retried_failed == 31 and later.requests == 186 + 31
    df = table(spark)
    assert df.where("outcome = 'failed'").count() == 0
    assert {r.req_dt: r["count"] for r in df.groupBy("req_dt").count().collect()} == {
        D1: 186,
        D3: 186,
    }
    recovered = df.where(
        f"req_dt = DATE'{D1}' AND params_json LIKE '%\"p_item_category_code\":\"500\"%'"
    ).collect()
    assert len(recovered) == 31 and {r.outcome for r in recovered} == {"ok", "no_data"}


def test_backfill_over_months_resumes_by_chunk(spark, profile, kamis, clean):
    # 2026-04-29..05-02: chunks April (2 days) and May (2 days)
    c = ctx(spark, profile, kamis.base_url, date(2026, 4, 29), date(2026, 5, 2))
    rc.collect(
        ctx(spark, profile, kamis.base_url, date(2026, 4, 29), date(2026, 4, 30)),
        "daily_price_by_category_list",
    )
    n = len(kamis.queries)
    summary = rc.collect(c, "daily_price_by_category_list")
    assert (
        summary.partitions_skipped == 2
        and summary.partitions_written == 2
        and summary.requests == 372
    )
    assert len(kamis.queries) == n + 372 and table(spark).count() == 4 * 186


def test_product_info_job_and_secrets_never_stored(
    spark, profile, kamis, clean, monkeypatch, caplog
):
    monkeypatch.setenv("KAMIS_CERT_KEY", KEY)
    monkeypatch.setenv("KAMIS_CERT_ID", CERT_ID)
    caplog.set_level("DEBUG")
    from spark_jobs.raw.jobs import daily_price_by_category_list, product_info

    kamis.responder_obj.fail = lambda q: q.get("p_country_code") == "1101"  # some failures too
    c = ctx(spark, profile, None, D1, D1)
    c = JobContext.of(spark, profile, D1, D1, False, {**c.options, "kamis.simulator_url": None})
    # real mode: base URL from KAMIS_BASE_URL
    monkeypatch.setenv("KAMIS_BASE_URL", kamis.base_url)
    s1 = product_info(c)
    s2 = daily_price_by_category_list(c)
    assert s1.requests == 1 and s2.outcomes["failed"] == 12
    assert {q["p_cert_key"] for q in kamis.queries} == {KEY}
    for spec in (PRODUCT_INFO, DAILY_PRICE_BY_CATEGORY):
        rows = table(spark, spec).collect()
        assert {r.api_mode for r in rows} == {"real"}
        dump = json.dumps([r.asDict() for r in rows], default=str, ensure_ascii=False)
        assert KEY not in dump and CERT_ID not in dump and "p_cert_key" not in dump
    assert KEY not in caplog.text and CERT_ID not in caplog.text
    assert rc.CollectSummary("x").line().startswith("raw.x: requests=0 ok=0 no_data=0 failed=0")

"""The whole hostile corpus through the real path: HTTP → client → raw Delta → silver parse step.

Every body is served by a local KAMIS-like server and fetched by ``KamisClient`` (decode, redact,
classify), stored with ``raw.collect``'s own row builder and store, then the silver job
``silver.stg_daily_category_price`` runs over the day. The real 2026-06-04 vegetables body sits
beside the corpus in the same partition and must still give its 51 rows.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date

import pytest

from spark_jobs.jobs import JobContext, get_job
from spark_jobs.kamis.client import KamisClient
from spark_jobs.kamis.parsing import decode
from spark_jobs.kamis.requests import KamisRequest
from spark_jobs.raw import collect as rc
from spark_jobs.raw.tables import DAILY_PRICE_BY_CATEGORY
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE, STG_QUARANTINE
from testkit.fake_kamis import FakeKamis, Reply
from tests.reliability.corpus import ACTION, PARAMS, cases

pytestmark = [pytest.mark.reliability, pytest.mark.spark]

DAY = date(2026, 6, 4)
GOOD = "dailyPriceByCategoryList__cat200_vegetables_retail_national_2026-06-04__igb.json"
CASES = cases()


def request(case_name: str) -> KamisRequest:
    # p_test_case gives each body its own request_id; KAMIS ignores unknown parameters.
    return KamisRequest(ACTION, {**PARAMS, "p_test_case": case_name}, DAY, DAY, DAY)


@pytest.fixture
def clean(spark):
    for spec in (DAILY_PRICE_BY_CATEGORY, STG_DAILY_CATEGORY_PRICE):
        spark.sql(f"DROP TABLE IF EXISTS {spec.full_name}")
    yield
    for spec in (DAILY_PRICE_BY_CATEGORY, STG_DAILY_CATEGORY_PRICE):
        spark.sql(f"DROP TABLE IF EXISTS {spec.full_name}")


def test_corpus_kept_verbatim_in_raw_quarantined_in_silver(spark, profile, samples_dir, clean):
    bodies = {c.file: c.body() for c in CASES}
    bodies["good"] = (samples_dir / GOOD).read_bytes()
    with FakeKamis(lambda q: Reply(200, bodies[q["p_test_case"]])) as srv:
        client = KamisClient(
            profile,
            base_url=srv.base_url,
            overrides={"max_attempts": 1, "requests_per_second": 0, "concurrency": 2},
        )
        reqs = [request(name) for name in bodies]
        results = client.fetch_all(reqs, progress=False)
    rows = [rc.to_row(r) for r in results]
    rc.RawStore(spark, DAILY_PRICE_BY_CATEGORY).replace_partitions(rows, [DAY])

    ids = {r.params["p_test_case"]: r.request_id for r in reqs}
    raw = {
        r.request_id: r
        for r in spark.table(DAILY_PRICE_BY_CATEGORY.full_name)
        .where(f"req_dt = DATE'{DAY}'")
        .select("request_id", "outcome", "body", "body_sha256", "body_bytes")
        .collect()
    }
    assert len(raw) == len(bodies) == len(CASES) + 1
    for case in CASES:
        got, data = raw[ids[case.file]], bodies[case.file]
        assert got.outcome == case.outcome, case.file
        # Raw keeps the body as the client decoded it; valid UTF-8 bodies byte for byte.
        assert got.body == decode(data), case.file
        assert got.body_sha256 == hashlib.sha256(got.body.encode("utf-8")).hexdigest()
        if case.file not in ("invalid_utf8.json", "binary_gzip.bin"):
            assert got.body_sha256 == hashlib.sha256(data).hexdigest(), case.file
            assert got.body_bytes == len(data)
    assert raw[ids["good"]].outcome == "ok"

    get_job("silver.stg_daily_category_price").fn(
        JobContext.of(spark, profile, DAY, DAY, False, {})
    )

    q = (
        spark.table(STG_QUARANTINE.full_name)
        .where(f"target_table = 'stg_daily_category_price' AND req_dt = DATE'{DAY}'")
        .select("request_id", "reason", "detail")
        .collect()
    )
    by_id: dict[str, Counter] = {}
    for r in q:
        by_id.setdefault(r.request_id, Counter())[r.reason] += 1
    for case in CASES:
        assert by_id.get(ids[case.file]) == Counter(case.quarantine), case.file
    assert ids["good"] not in by_id
    assert all(r.detail is None or len(r.detail) <= 2000 for r in q)

    prices = spark.table(STG_DAILY_CATEGORY_PRICE.full_name).where(f"res_dt = DATE'{DAY}'")
    per_request = {r.request_id: r["count"] for r in prices.groupBy("request_id").count().collect()}
    assert per_request == {ids["good"]: 51}  # nothing from the corpus reached silver

    summary = {
        "bodies": len(CASES),
        "quarantine_rows": sum(len(c.quarantine) for c in CASES),
        "reasons": dict(sorted(Counter(r for c in CASES for r in c.quarantine).items())),
    }
    print("bad_kamis:", json.dumps(summary))

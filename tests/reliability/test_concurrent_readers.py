"""50 dashboard sessions reading through dashboard/db while publishes swap the serving store.

The dashboard holds one process-wide connection (``dashboard/components/data.py``), so all 50
reader threads share it, as Streamlit's sessions do. Publish N writes ``mart_update_status``
(3 sources, data_version ``vN``, row_cnt 100+N) and ``mart_price_region_count`` with
``region_rows(N)`` rows; the probe query reads both marts and ``serving_meta`` in one statement.
"""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from deltalake import write_deltalake

from dashboard.db.factory import connect
from spark_jobs.config import load_profile
from spark_jobs.gold.tables import MART_PRICE_REGION_COUNT, MART_UPDATE_STATUS
from spark_jobs.serving.publish import publish_all
from spark_jobs.serving.source import mart_uri
from testkit.synthetic import (
    arrow_schema,
    make_items,
    make_regions,
    survey_days,
    synth_mart,
)

pytestmark = [pytest.mark.reliability, pytest.mark.integration]

READERS = 50
PUBLISHES = 6
SOURCES = ("dailyCountyList", "dailyPriceByCategoryList", "periodRetailProductList")
SQL_DIR = Path(__file__).resolve().parents[2] / "dashboard" / "sql"
PROBE = Path(__file__).with_name("sql") / "publish_check.sql"


def region_rows(n: int) -> int:
    return 10 * (n + 1)


def _status(n: int) -> pa.Table:
    day = date(2026, 11, 1 + n)
    rows = [
        {
            "source_nm": s, "table_nm": f"kamis_raw.{s}", "latest_dt": day, "row_cnt": 100 + n,
            "region_cnt": 4, "lag_days": 0, "as_of_dt": day, "data_version": f"v{n}",
            "updated_at": datetime(2026, 11, 1 + n, 6, 0), "source_version": f"v{n}",
        }
        for s in SOURCES
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=arrow_schema(MART_UPDATE_STATUS))


def _profile(root: Path, kind: str, dsn: str | None):
    sql = root / "sql"
    shutil.copytree(SQL_DIR, sql)
    shutil.copy(PROBE, sql / PROBE.name)
    overrides: dict[str, object] = {
        "storage.root": str(root),
        "storage.warehouse": str(root / "warehouse"),
        "serving.kind": kind,
        "serving.path": str(root / "serving" / "jangbogi.duckdb"),
        "dashboard.backend": kind,
        "dashboard.sql_dir": str(sql),
    }
    if dsn:
        overrides |= {"serving.dsn": dsn, "serving.schema": "r_" + uuid.uuid4().hex[:10]}
    return load_profile("local", overrides)


@pytest.fixture(params=["duckdb", "postgres"])
def kind_dsn(request):
    kind = request.param
    return kind, (request.getfixturevalue("pg_dsn") if kind == "postgres" else None)


def test_fifty_readers_during_publishes_see_whole_publishes_only(kind_dsn, tmp_path):
    kind, dsn = kind_dsn
    profile = _profile(tmp_path, kind, dsn)
    warehouse = str(tmp_path / "warehouse")
    regions = synth_mart(
        MART_PRICE_REGION_COUNT,
        survey_days(date(2026, 10, 1), date(2026, 11, 30)),
        make_regions(4),
        make_items(3),
    )
    assert regions.num_rows >= region_rows(PUBLISHES)

    def publish(n: int):
        write_deltalake(mart_uri(warehouse, MART_UPDATE_STATUS.name), _status(n), mode="overwrite")
        write_deltalake(
            mart_uri(warehouse, MART_PRICE_REGION_COUNT.name),
            regions.slice(0, region_rows(n)),
            mode="overwrite",
        )
        return publish_all(profile)

    published = {publish(0).publish_id: 0}
    app = connect(profile)  # the process-wide connection every session shares
    stop = threading.Event()
    seen: list[tuple] = []
    errors: list[str] = []
    queries = [0] * READERS

    def reader(i: int) -> None:
        while not stop.is_set():
            try:
                probe = app.run("publish_check")
                status = app.run("update_status")
                version = app.data_version()
            except Exception as e:  # reported by the assertion below
                errors.append(f"{type(e).__name__}: {e}"[:300])
                continue
            queries[i] += 3
            seen.append((
                tuple(probe["data_version"]), tuple(int(x) for x in probe["row_cnt"]),
                tuple(int(x) for x in probe["region_rows"]), tuple(probe["publish_id"]),
                tuple(status["data_version"]), tuple(int(x) for x in status["row_cnt"]), version,
            ))  # fmt: skip

    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(READERS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    try:
        for n in range(1, PUBLISHES + 1):
            time.sleep(0.3)
            published[publish(n).publish_id] = n
        time.sleep(0.3)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    elapsed = time.perf_counter() - t0
    final = app.run("publish_check")
    app.close()

    assert errors == [], errors[:5]
    assert all(q > 0 for q in queries)  # every session got answers
    versions_seen = set()
    for pv, prc, prr, ppid, sv, src, version in seen:
        # one statement: every row of one publish, the id of that same publish
        (n,) = {int(v[1:]) for v in pv}
        assert len(pv) == len(SOURCES) and prc == (100 + n,) * len(SOURCES)
        assert prr == (region_rows(n),) * len(SOURCES)
        assert {published[p] for p in ppid} == {n}
        # the named dashboard query alone: all its rows from one publish
        (m,) = {int(v[1:]) for v in sv}
        assert len(sv) == len(SOURCES) and src == (100 + m,) * len(SOURCES)
        assert published[version.split("@")[0]] in range(PUBLISHES + 1)
        versions_seen.add(n)
    # nothing lost: the last publish is what a reader sees afterwards, all its rows
    assert tuple(final["data_version"]) == (f"v{PUBLISHES}",) * len(SOURCES)
    assert int(final["region_rows"].iloc[0]) == region_rows(PUBLISHES)
    assert len(versions_seen) >= 2  # readers really ran across publishes
    print(
        f"concurrency[{kind}]: readers={READERS} queries={sum(queries)} publishes={PUBLISHES} "
        f"versions_seen={len(versions_seen)} errors={len(errors)} seconds={elapsed:.1f}"
    )

"""kamis_ops.job_run_history: one row per job run, credentials never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from spark_jobs.lake import PublishResult
from spark_jobs.ops import run_history
from spark_jobs.raw.collect import CollectSummary


@pytest.mark.unit
def test_rows_written_reads_what_each_job_returns():
    assert run_history.rows_written(PublishResult("kamis_gold.x", 12, None, None)) == 12
    assert run_history.rows_written(CollectSummary("productInfo", requests=3)) == 3
    assert run_history.rows_written([PublishResult("a", 2, None, None), None, 5]) == 2
    assert run_history.rows_written(None) is None

    @dataclass
    class Other:
        name: str

    assert run_history.rows_written(Other("x")) is None


@pytest.mark.spark
def test_record_appends_one_row_per_run_without_secrets(spark, monkeypatch):
    monkeypatch.setenv("KAMIS_CERT_KEY", "sekret-key-123")
    monkeypatch.setenv("JANGBOGI_ORCHESTRATOR_RUN", "master_pipeline/r1/raw.x/1")
    t = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    d = date(2026, 11, 29)
    run_history.record(
        spark,
        [
            run_history.RunRecord("gold.mart_a", d, d, "success", 1.5, t, 7),
            run_history.RunRecord(
                "raw.x",
                d,
                d,
                "failed",
                0.2,
                t,
                None,
                "boom p_cert_key=sekret-key-123 sekret-key-123",
            ),
        ],
    )
    rows = {
        r.job: r
        for r in spark.table("kamis_ops.job_run_history").where(f"start_dt = DATE'{d}'").collect()
    }
    assert rows["gold.mart_a"].status == "success" and rows["gold.mart_a"].rows_written == 7
    assert rows["gold.mart_a"].orchestrator_run == "master_pipeline/r1/raw.x/1"
    assert rows["gold.mart_a"].peak_rss_mb > 50
    assert rows["raw.x"].status == "failed"
    assert "sekret" not in rows["raw.x"].error and "boom" in rows["raw.x"].error

"""``kamis_ops.job_run_history``: one row per job run, appended by the spark-submit entry point.

Written in the job's own Spark session (so it adds no Spark process and needs no second metastore
client); best effort: a failure to write history is logged, never fails the job itself.
"""

from __future__ import annotations

import logging
import os
import resource
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from spark_jobs.kamis.redact import redact_text
from spark_jobs.lake import ensure_table
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

JOB_RUN_HISTORY = TableSpec(
    layer="ops",
    name="job_run_history",
    schema=(
        "run_id STRING NOT NULL, job STRING NOT NULL, start_dt DATE NOT NULL, end_dt DATE NOT NULL, "
        "status STRING NOT NULL, rows_written BIGINT, seconds DOUBLE, peak_rss_mb DOUBLE, "
        "error STRING, orchestrator_run STRING, started_at TIMESTAMP NOT NULL, "
        "finished_at TIMESTAMP NOT NULL"
    ),
    description="one row per job run: window, status, rows written, seconds, peak memory",
    grain=("run_id",),
    not_null=("run_id", "job", "start_dt", "end_dt", "status", "started_at", "finished_at"),
    checks={"status_known": "status IN ('success', 'failed')"},
    date_column="start_dt",
)


@dataclass(frozen=True)
class RunRecord:
    """One job run as the history stores it."""

    job: str
    start: date
    end: date
    status: str
    seconds: float
    started_at: datetime
    rows_written: int | None = None
    error: str | None = None


def _safe_error(text: str | None) -> str | None:
    """Return the error's first 500 characters with the KAMIS credentials blanked out."""
    if not text:
        return None
    secrets = [os.environ.get(v, "") for v in ("KAMIS_CERT_KEY", "KAMIS_CERT_ID")]
    return redact_text(text, [s for s in secrets if s])[:500]


def rows_written(result: Any) -> int | None:
    """Return the rows a job reports (PublishResult.rows, a raw summary's requests, a sum)."""
    if result is None:
        return None
    if isinstance(result, list | tuple):
        counts = [rows_written(r) for r in result]
        known = [c for c in counts if c is not None]
        return sum(known) if known else None
    for attr in ("rows", "rows_written", "requests"):
        value = getattr(result, attr, None)
        if isinstance(value, int):
            return value
    return None


def peak_rss_mb(spark: SparkSession | None) -> float | None:
    """Return the peak RSS of the driver JVM plus this Python process, in MB, where known."""
    total = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    try:
        pid = int(spark._jvm.java.lang.ProcessHandle.current().pid())  # type: ignore[union-attr]
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            hwm = next(line for line in f if line.startswith("VmHWM:"))
        total += int(hwm.split()[1]) / 1024
    except Exception:  # no JVM handle, not Linux: the Python part is still worth keeping
        pass
    return round(total, 1)


def record(spark: SparkSession, records: Sequence[RunRecord]) -> None:
    """Append ``records`` to the run history (best effort)."""
    if not records:
        return
    try:
        ensure_table(spark, JOB_RUN_HISTORY)
        now = datetime.now(UTC).replace(tzinfo=None)
        peak = peak_rss_mb(spark)
        orchestrator = os.environ.get("JANGBOGI_ORCHESTRATOR_RUN") or None  # set by the DAGs
        rows = [
            (
                uuid.uuid4().hex,
                r.job,
                r.start,
                r.end,
                r.status,
                r.rows_written,
                round(r.seconds, 3),
                peak,
                _safe_error(r.error),
                orchestrator,
                r.started_at.astimezone(UTC).replace(tzinfo=None),
                now,
            )
            for r in records
        ]
        df = spark.createDataFrame(rows, JOB_RUN_HISTORY.struct())
        df.write.format("delta").mode("append").saveAsTable(JOB_RUN_HISTORY.full_name)
    except Exception as exc:
        log.warning("could not append to %s: %s", JOB_RUN_HISTORY.full_name, exc)

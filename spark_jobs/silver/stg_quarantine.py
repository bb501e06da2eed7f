"""stg_quarantine: rows and bodies that failed parsing or typing, with the reason (no job of its own).

Each fact job publishes its quarantine rows for its own req_dt window and its own target tables
(``replace_filter``), so re-running a day replaces exactly that day's quarantine for that source.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from spark_jobs.lake import PublishResult, publish
from spark_jobs.silver.rules import within
from spark_jobs.silver.tables import STG_QUARANTINE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def to_quarantine(
    bad: DataFrame,
    target_table: str,
    detected_at: datetime,
    start: date | None = None,
    end: date | None = None,
) -> DataFrame:
    """Shape quarantine candidates (action, request_id, reason, detail, payload, req_dt) for the table.

    Args:
        bad: Output of the parse step's ``quarantine`` or of :func:`rules.validate`.
        target_table: The silver table the rows were meant for.
        detected_at: When the job ran (passed in: transforms do not read the clock).
        start: First req_dt kept (bodies of other windows are quarantined by their own run).
        end: Last req_dt kept.
    """
    from pyspark.sql import functions as F

    return within(bad, "req_dt", start, end).select(
        F.lit(target_table).alias("target_table"),
        "action",
        "request_id",
        "reason",
        "detail",
        "payload",
        F.lit(detected_at).cast("timestamp").alias("detected_at"),
        "req_dt",
    )


def publish_quarantine(
    spark: SparkSession,
    rows: DataFrame,
    target_tables: Sequence[str],
    start: date,
    end: date,
    full_refresh: bool = False,
) -> PublishResult:
    """Replace the quarantine rows of ``target_tables`` for req_dt ``start``..``end`` with ``rows``."""
    names = ", ".join(f"'{t}'" for t in target_tables)
    return publish(
        spark,
        STG_QUARANTINE,
        rows,
        start,
        end,
        full_refresh,
        replace_filter=f"target_table IN ({names})",
    )

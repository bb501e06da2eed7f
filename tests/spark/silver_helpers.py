"""Builders for hand-written parsed-row frames used by the silver Spark tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from spark_jobs.silver.parse import DOUBLE_FIELDS

DETECTED = datetime(2024, 1, 5, 12, 0, 0)


def parsed_rows(spark, fields: tuple[str, ...], records: list[dict[str, Any]]):
    """Parsed rows as the parse step emits them: lineage + row_no + the action's columns."""
    ddl = (
        "request_id STRING, action STRING, fetched_at TIMESTAMP, req_dt DATE, row_no INT, "
        + ", ".join(f"{f} {'DOUBLE' if f in DOUBLE_FIELDS else 'STRING'}" for f in fields)
    )
    cols = ["request_id", "action", "fetched_at", "req_dt", "row_no", *fields]
    return spark.createDataFrame([tuple(r.get(c) for c in cols) for r in records], ddl)


def codes(spark, col: str, values: list[str]):
    """A one-column frame of known codes."""
    return spark.createDataFrame([(v,) for v in values], f"{col} STRING")


def fetched(hour: int) -> datetime:
    """A fetch time on 2024-01-04 at ``hour``."""
    return datetime(2024, 1, 4, hour, 0, 0)


D = date.fromisoformat

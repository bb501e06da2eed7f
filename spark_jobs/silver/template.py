"""The silver job template: read a source's raw bodies → parse → transform → quarantine → publish.

A fact module (``stg_*``) keeps its pure transform and its table names and declares a
:class:`StgJob`; the template does the rest, the same way for every source:

1. the window (``ctx.window``; the publication look-back for the daily price tables),
2. the raw rows of the source's table: those requested in the window, or those whose requested
   window overlaps it (period calls), widened by ``slack_days`` for sources whose dates lag,
3. the parse step with the record's row family, once (persisted),
4. the module's ``build``, given the parsed rows, the known codes and the range to keep,
5. the quarantine rows (parse failures and the transform's rejects) for the window's req_dt,
6. one publish per output table (the first is audited against raw).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from spark_jobs.lake import PublishResult, ensure_table, read_window
from spark_jobs.raw.tables import BY_SOURCE as RAW_TABLES
from spark_jobs.silver.parse import parse_raw, rows_against_raw
from spark_jobs.silver.rules import within
from spark_jobs.silver.stg_quarantine import publish_quarantine, to_quarantine
from spark_jobs.sources import KamisSource
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from spark_jobs.jobs import JobContext


def now_utc() -> datetime:
    """Return the job's detection time (jobs read the clock, transforms get it as an argument)."""
    return datetime.now(UTC)


def read_raw_overlapping(
    spark: SparkSession,
    spec: TableSpec,
    start: date | None,
    end: date | None,
    lookback_days: int = 0,
    lookahead_days: int = 0,
) -> DataFrame:
    """Return raw bodies whose requested window overlaps ``start``..``end`` (all when None).

    A body overlaps when ``req_dt`` (its window end) ≥ start and its window start ≤ end. The
    optional slack widens both bounds for sources whose dates lag the request (EcoPriceList).
    """
    from pyspark.sql import functions as F

    df = read_window(spark, spec, None, None)
    if start is None or end is None:
        return df
    lo = start - timedelta(days=lookback_days)
    hi = end + timedelta(days=lookahead_days)
    return df.where(
        (F.col("req_dt") >= F.lit(lo))
        & (F.coalesce(F.col("window_start_dt"), F.col("req_dt")) <= F.lit(hi))
    )


def _table_or(spark: SparkSession, spec: TableSpec, fallback: DataFrame) -> DataFrame:
    ensure_table(spark, spec)
    df = spark.table(spec.full_name)
    return df if df.limit(1).count() else fallback


def known_regions(spark: SparkSession) -> DataFrame:
    """Region codes the facts may use: dim_region, or the reference table when it is not built."""
    from spark_jobs.silver import dim_region, reference
    from spark_jobs.silver.tables import DIM_REGION

    fallback = dim_region.transform(reference.regions(spark), reference.coordinates(spark))
    return _table_or(spark, DIM_REGION, fallback).select("country_cd", "country_nm")


def known_items(spark: SparkSession) -> DataFrame:
    """Item codes the facts may use: dim_item, or the reference tables when it is not built."""
    from spark_jobs.silver import dim_item
    from spark_jobs.silver.tables import DIM_ITEM

    fallback = dim_item.from_reference(spark)
    return _table_or(spark, DIM_ITEM, fallback).select("item_cd").distinct()


class Known:
    """The codes a fact may use, read only when a transform asks for them."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark

    @cached_property
    def regions(self) -> DataFrame:
        """Known region codes (country_cd, country_nm)."""
        return known_regions(self.spark)

    @cached_property
    def items(self) -> DataFrame:
        """Known item codes (item_cd)."""
        return known_items(self.spark)


# (parsed rows, known codes, first day kept, last day kept, detected_at) →
# ({output table name: rows}, quarantine rows already shaped by to_quarantine).
Build = Callable[
    ["DataFrame", Known, "date | None", "date | None", datetime],
    "tuple[Mapping[str, DataFrame], DataFrame]",
]
# (parsed rows, window start, window end) → the first day the bodies really carry.
FirstDay = Callable[["DataFrame", date, date], date]


@dataclass(frozen=True)
class StgJob:
    """One silver fact job: a source, its output tables and its transform.

    Attributes:
        source: The source record (raw table, parser row family).
        outputs: Output tables; the first is audited against raw, all name the quarantine rows.
        build: The module's transform (see :data:`Build`).
        follows_lookback: Re-derive the publication look-back days (daily price tables).
        overlapping: Read bodies whose requested window overlaps the window (period calls)
            rather than those requested for a day in it.
        slack_days: Widen the overlap read both ways (sources whose dates lag the request).
        first_day: Publish from the first day the bodies carry when it is before the window
            (EcoPriceList answers with the latest survey day).
    """

    source: KamisSource
    outputs: tuple[TableSpec, ...]
    build: Build
    follows_lookback: bool = False
    overlapping: bool = False
    slack_days: int = 0
    first_day: FirstDay | None = None

    @property
    def raw_table(self) -> TableSpec:
        """Return the source's raw table."""
        return RAW_TABLES[self.source.key]

    def read_raw(self, ctx: JobContext) -> DataFrame:
        """Return the raw rows this job parses for ``ctx``'s window."""
        start, end = ctx.window.bounds
        if self.overlapping:
            return read_raw_overlapping(
                ctx.spark, self.raw_table, start, end, self.slack_days, self.slack_days
            )
        return read_window(ctx.spark, self.raw_table, start, end)

    def run(self, ctx: JobContext) -> PublishResult:
        """Parse the window's bodies; publish the output tables and their quarantine rows."""
        if self.follows_lookback:
            ctx = ctx.with_lookback()
        window = ctx.window
        q_start, end = window.bounds
        parsed = parse_raw(self.read_raw(ctx), self.source.fields).persist()
        try:
            detected_at = now_utc()
            start, pub_start = q_start, window.start
            if self.first_day is not None and q_start is not None and end is not None:
                pub_start = start = self.first_day(parsed.rows, q_start, end)
            outs, bad = self.build(parsed.rows, Known(ctx.spark), start, end, detected_at)
            first = self.outputs[0]
            quarantine = to_quarantine(
                parsed.quarantine, first.name, detected_at, q_start, end
            ).unionByName(within(bad, "req_dt", q_start, end))
            publish_quarantine(
                ctx.spark,
                quarantine,
                [o.name for o in self.outputs],
                window.start,
                window.end,
                window.full_refresh,
            )
            result = ctx.publish(
                first, outs[first.name], pub_start, None, [rows_against_raw(parsed)]
            )
            for spec in self.outputs[1:]:
                ctx.publish(spec, outs[spec.name], pub_start)
            return result
        finally:
            parsed.unpersist()

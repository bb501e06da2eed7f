"""What the silver jobs share around their pure transforms: reading raw windows, known codes, clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from spark_jobs.lake import ensure_table, read_window
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from spark_jobs.jobs import JobContext


def job_window(ctx: JobContext) -> tuple[date | None, date | None]:
    """Return the window a job reads and filters by: None..None on a full refresh."""
    return (None, None) if ctx.full_refresh else (ctx.start, ctx.end)


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

    ensure_table(spark, spec)
    df = spark.table(spec.full_name)
    if start is None or end is None:
        return df
    lo = start - timedelta(days=lookback_days)
    hi = end + timedelta(days=lookahead_days)
    return df.where(
        (F.col("req_dt") >= F.lit(lo))
        & (F.coalesce(F.col("window_start_dt"), F.col("req_dt")) <= F.lit(hi))
    )


def read_raw_window(
    spark: SparkSession, spec: TableSpec, start: date | None, end: date | None
) -> DataFrame:
    """Return raw bodies requested for req_dt in ``start``..``end`` (daily actions)."""
    return read_window(spark, spec, start, end)


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

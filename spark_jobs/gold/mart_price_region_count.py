"""mart_price_region_count: per day and region, retail items up / down / flat vs the previous survey day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._changes import MAX_GAP_DAYS, region_counts, retail_changes
from spark_jobs.gold.tables import MART_PRICE_REGION_COUNT as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(prices: DataFrame, start: date | None = None, end: date | None = None) -> DataFrame:
    """Count each day's and region's rises, falls and exactly-flat prices (see _changes)."""
    return conform(region_counts(retail_changes(prices, start, end)), SPEC)


@job(
    "gold.mart_price_region_count",
    "retail items up / down / flat per day and region vs the previous survey day",
    order=12,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window plus MAX_GAP_DAYS of look-back, count, publish."""
    prices = ctx.read(STG_DAILY_CATEGORY_PRICE, back_days=MAX_GAP_DAYS)
    return ctx.publish(SPEC, transform(prices, *ctx.window.bounds))

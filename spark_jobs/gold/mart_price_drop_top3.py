"""mart_price_drop_top3: per day and region, the 3 retail items whose price fell most since the previous survey day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._changes import MAX_GAP_DAYS, retail_changes, top3
from spark_jobs.gold.tables import MART_PRICE_DROP_TOP3 as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(prices: DataFrame, start: date | None = None, end: date | None = None) -> DataFrame:
    """Rank each day's and region's retail drops against the previous survey day (see _changes)."""
    return conform(top3(retail_changes(prices, start, end), rising=False), SPEC)


@job(
    "gold.mart_price_drop_top3",
    "top-3 retail price drops per day and region vs the previous survey day",
    order=11,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window plus MAX_GAP_DAYS of look-back, rank, publish."""
    prices = ctx.read(STG_DAILY_CATEGORY_PRICE, back_days=MAX_GAP_DAYS)
    return ctx.publish(SPEC, transform(prices, *ctx.window.bounds))

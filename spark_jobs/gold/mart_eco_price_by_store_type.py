"""mart_eco_price_by_store_type: eco prices per week, item/kind/grade and store type, vs the cheapest type."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from spark_jobs.gold._common import (
    ITEM_KEY,
    category_nm,
    date_between,
    monday,
    publish_mart,
    read_input,
)
from spark_jobs.gold.tables import MART_ECO_PRICE_BY_STORE_TYPE as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import STG_WEEKLY_ECO_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

_NAMES = ["item_nm", "kind_nm", "rank_nm", "unit", "category_cd"]


def transform(eco: DataFrame, start: date | None = None, end: date | None = None) -> DataFrame:
    """Summarise eco prices per week × item/kind/grade × store type.

    Each market's prices within the week are averaged first (one value per store), then
    avg/min/max/count run over stores; ``gap_pct`` = avg_price / cheapest avg_price − 1 (× 100).

    Args:
        eco: ``stg_weekly_eco_price`` rows.
        start: First ``week_start_dt`` to keep (None = open).
        end: Last ``week_start_dt`` to keep (None = open).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    rows = eco.where(date_between("week_start_dt", start, end))
    names = [F.max(c).alias(c) for c in _NAMES]
    per_market = rows.groupBy(
        "week_start_dt", *ITEM_KEY, "store_type_nm", "country_nm", "market_nm"
    ).agg(*names, F.avg("price").alias("price"))
    per_type = per_market.groupBy("week_start_dt", *ITEM_KEY, "store_type_nm").agg(
        *names,
        F.avg("price").alias("avg_price"),
        F.min("price").alias("min_price"),
        F.max("price").alias("max_price"),
        F.count(F.lit(1)).cast("int").alias("market_cnt"),
    )
    item_week = Window.partitionBy("week_start_dt", *ITEM_KEY)
    cheapest_first = item_week.orderBy("avg_price", "store_type_nm").rowsBetween(
        Window.unboundedPreceding, Window.unboundedFollowing
    )
    out = (
        per_type.withColumn("cheapest_store_type_nm", F.first("store_type_nm").over(cheapest_first))
        .withColumn("_cheapest", F.min("avg_price").over(item_week))
        .withColumn(
            "gap_pct",
            F.when(
                F.col("_cheapest") > 0,
                F.round((F.col("avg_price") / F.col("_cheapest") - 1) * 100, 1),
            ),
        )
        .withColumn("category_nm", category_nm())
    )
    return conform(out, SPEC)


@job(
    "gold.mart_eco_price_by_store_type",
    "eco prices per week, item and store type vs the cheapest store type",
    order=30,
)
def run(ctx: JobContext) -> PublishResult:
    """Recompute every week touching the window (Monday of start .. Monday of end)."""
    first, last = monday(ctx.start), monday(ctx.end)
    eco = read_input(ctx, STG_WEEKLY_ECO_PRICE, first, last + timedelta(days=6))
    bounds = (None, None) if ctx.full_refresh else (first, last)
    return publish_mart(ctx, SPEC, transform(eco, *bounds), first, last)

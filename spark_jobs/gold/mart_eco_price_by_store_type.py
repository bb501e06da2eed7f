"""mart_eco_price_by_store_type: eco prices per week, item/kind/grade and store type, vs the cheapest type."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from spark_jobs.gold._common import (
    ITEM_KEY,
    category_nm,
    date_between,
    monday,
)
from spark_jobs.gold.tables import MART_ECO_PRICE_BY_STORE_TYPE as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import STG_WEEKLY_ECO_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

_NAMES = ["item_nm", "kind_nm", "rank_nm", "unit", "category_cd"]


def transform(eco: DataFrame, start: date | None = None, end: date | None = None) -> DataFrame:
    """Summarise eco prices per week × item/kind/grade × store type, with gaps measured within cities.

    Each market's prices within the week are averaged first (one value per store), then
    avg/min/max/count run over stores of every city. Store types are compared inside each city
    only, since a type found mostly in a dear city would otherwise look dear everywhere:

    * each type's city price is the mean of its stores there; its relative price in a city with
      at least two types is city price / mean of that city's type prices; its index is the mean
      of its relative prices weighted by its stores per city;
    * the cheapest type has the lowest index (types never compared inside a city come after,
      by avg_price; ties by name);
    * ``gap_pct`` = Σ w·(type price / cheapest price − 1) / Σ w × 100 over the cities holding
      both, w = stores of both types there; 0 for the cheapest, null when they share no city.

    Args:
        eco: ``stg_weekly_eco_price`` rows.
        start: First ``week_start_dt`` to keep (None = open).
        end: Last ``week_start_dt`` to keep (None = open).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    rows = eco.where(date_between("week_start_dt", start, end))
    names = [F.max(c).alias(c) for c in _NAMES]
    item = ["week_start_dt", *ITEM_KEY]
    per_market = rows.groupBy(*item, "store_type_nm", "country_nm", "market_nm").agg(
        *names, F.avg("price").alias("price")
    )
    per_city = per_market.groupBy(*item, "store_type_nm", "country_nm").agg(
        F.avg("price").alias("city_price"), F.count(F.lit(1)).alias("city_cnt")
    )
    city = Window.partitionBy(*item, "country_nm")
    relative = (
        per_city.withColumn("_types", F.count(F.lit(1)).over(city))
        .withColumn("_rel", F.col("city_price") / F.avg("city_price").over(city))
        .where(F.col("_types") >= 2)
        .groupBy(*item, "store_type_nm")
        .agg((F.sum(F.col("_rel") * F.col("city_cnt")) / F.sum("city_cnt")).alias("_index"))
    )
    per_type = (
        per_market.groupBy(*item, "store_type_nm")
        .agg(
            *names,
            F.avg("price").alias("avg_price"),
            F.min("price").alias("min_price"),
            F.max("price").alias("max_price"),
            F.count(F.lit(1)).cast("int").alias("market_cnt"),
        )
        .join(relative, [*item, "store_type_nm"], "left")
    )
    item_week = Window.partitionBy(*item)
    cheapest_first = item_week.orderBy(
        F.col("_index").asc_nulls_last(), "avg_price", "store_type_nm"
    ).rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    typed = per_type.withColumn(
        "cheapest_store_type_nm", F.first("store_type_nm").over(cheapest_first)
    )
    cheapest_city = per_city.select(
        *item,
        F.col("store_type_nm").alias("cheapest_store_type_nm"),
        "country_nm",
        F.col("city_price").alias("_cheap_price"),
        F.col("city_cnt").alias("_cheap_cnt"),
    )
    weight = F.col("city_cnt") + F.col("_cheap_cnt")
    gaps = (
        typed.select(*item, "store_type_nm", "cheapest_store_type_nm")
        .join(per_city, [*item, "store_type_nm"])
        .join(cheapest_city, [*item, "cheapest_store_type_nm", "country_nm"])
        .where(F.col("_cheap_price") > 0)
        .groupBy(*item, "store_type_nm")
        .agg(
            (
                F.sum((F.col("city_price") / F.col("_cheap_price") - 1) * weight) / F.sum(weight)
            ).alias("_gap")
        )
    )
    out = (
        typed.join(gaps, [*item, "store_type_nm"], "left")
        .withColumn(
            "gap_pct",
            F.when(F.col("store_type_nm") == F.col("cheapest_store_type_nm"), F.lit(0.0)).otherwise(
                F.round(F.col("_gap") * 100, 1)
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
    first, last = monday(ctx.window.start), monday(ctx.window.end)
    eco = ctx.read(STG_WEEKLY_ECO_PRICE, ranges=[(first, last + timedelta(days=6))])
    bounds = (None, None) if ctx.window.full_refresh else (first, last)
    return ctx.publish(SPEC, transform(eco, *bounds), first, last)

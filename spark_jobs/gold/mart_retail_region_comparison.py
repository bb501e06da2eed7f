"""mart_retail_region_comparison: each region's mean market price against the national mean."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._channels import channel_prices, names, with_category
from spark_jobs.gold._common import (
    ITEM_KEY,
    date_between,
    pct_change,
)
from spark_jobs.gold.tables import MART_RETAIL_REGION_COMPARISON as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import DIM_MARKET, DIM_REGION, STG_DAILY_MARKET_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(
    market_prices: DataFrame,
    markets: DataFrame,
    regions: DataFrame,
    start: date | None = None,
    end: date | None = None,
) -> DataFrame:
    """Rank regions by mean market price per day and item against the national market mean.

    Markets of both channels count (the same rows as the channel marts); the national mean is
    the mean over every market nationwide; region_rank uses rank() so tied regions share a rank.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    priced = channel_prices(market_prices.where(date_between("res_dt", start, end)), markets)
    day_item = Window.partitionBy("res_dt", *ITEM_KEY)
    national = priced.groupBy("res_dt", *ITEM_KEY).agg(F.avg("price").alias("national_avg_price"))
    out = (
        priced.groupBy("res_dt", "country_cd", *ITEM_KEY)
        .agg(
            F.max("country_nm").alias("country_nm"),
            *names(),
            F.avg("price").alias("price"),
            F.countDistinct("market_id").cast("int").alias("market_cnt"),
        )
        .join(national, ["res_dt", *ITEM_KEY])
        .withColumn("diff_pct", pct_change(F.col("price"), F.col("national_avg_price")))
        .withColumn("region_rank", F.rank().over(day_item.orderBy("price")))
        .join(regions.select("country_cd", "latitude", "longitude"), "country_cd", "left")
    )
    return conform(with_category(out), SPEC)


@job(
    "gold.mart_retail_region_comparison",
    "regional vs national mean retail price per day and item",
    order=22,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window's market prices, dim_market and dim_region, compare, publish."""
    prices = ctx.read(STG_DAILY_MARKET_PRICE)
    markets = ctx.read(DIM_MARKET)
    regions = ctx.read(DIM_REGION)
    return ctx.publish(SPEC, transform(prices, markets, regions, *ctx.window.bounds))

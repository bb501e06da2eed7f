"""mart_season_region_product: in-season items per region with price, YoY % and national rank."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._common import (
    ITEM_KEY,
    category_nm,
    date_between,
    pct_change,
)
from spark_jobs.gold.tables import MART_SEASON_REGION_PRODUCT as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.kamis import codes
from spark_jobs.kamis.codes import NATIONAL_CD
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import DIM_REGION, DIM_SEASON, STG_DAILY_CATEGORY_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(
    prices: DataFrame,
    season: DataFrame,
    regions: DataFrame,
    start: date | None = None,
    end: date | None = None,
) -> DataFrame:
    """Keep retail prices of items in season in res_dt's month and rank the regions.

    A dim_season row matches on item_cd and month, and on kind_cd when it has one (a row
    without kind_cd covers every kind of the item); rows without item_cd are skipped. Regions
    only (0000 is the yardstick, not a competitor): national_rank = rank() by price ascending
    among regions with a price that day (ties share a rank), region_cnt = how many there are.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    priced = (
        prices.where((F.col("product_cls_cd") == codes.RETAIL) & F.col("price").isNotNull())
        .where(F.col("country_cd") != NATIONAL_CD)
        .where(date_between("res_dt", start, end))
        .withColumn("month", F.month("res_dt"))
    )
    s = season.where(F.col("item_cd").isNotNull()).select(
        F.col("item_cd").alias("_s_item"),
        F.col("kind_cd").alias("_s_kind"),
        F.col("month").alias("_s_month"),
        "season_nm",
    )
    match = (
        (F.col("item_cd") == F.col("_s_item"))
        & (F.col("month") == F.col("_s_month"))
        & (F.col("_s_kind").isNull() | (F.col("_s_kind") == F.col("kind_cd")))
    )
    in_season = (
        priced.join(s, match, "inner")
        .drop("_s_item", "_s_kind", "_s_month")
        .dropDuplicates(["res_dt", "country_cd", *ITEM_KEY])
    )
    day_item = Window.partitionBy("res_dt", *ITEM_KEY)
    out = (
        in_season.withColumn("yoy_pct", pct_change(F.col("price"), F.col("price_1y")))
        .withColumn("national_rank", F.rank().over(day_item.orderBy("price")))
        .withColumn("region_cnt", F.count(F.lit(1)).over(day_item).cast("int"))
        .withColumn("category_nm", category_nm())
        .join(regions.select("country_cd", "latitude", "longitude"), "country_cd", "left")
    )
    return conform(out, SPEC)


@job(
    "gold.mart_season_region_product",
    "in-season items per region with price, YoY and national rank",
    order=40,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window's category prices plus dim_season and dim_region, rank, publish."""
    prices = ctx.read(STG_DAILY_CATEGORY_PRICE)
    season = ctx.read(DIM_SEASON)
    regions = ctx.read(DIM_REGION)
    return ctx.publish(SPEC, transform(prices, season, regions, *ctx.window.bounds))

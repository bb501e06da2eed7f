"""mart_eco_premium: eco vs conventional price of the same item/kind per region and week, per base unit.

The original project only compared eco store types with each other; this puts a number on what
organic / pesticide-free costs over the conventional retail price of the same item and kind.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from spark_jobs.gold._common import (
    category_nm,
    date_between,
    exact_avg,
    monday,
    pct_change,
)
from spark_jobs.gold._units import base_qty, base_unit, unit_text
from spark_jobs.gold.tables import MART_ECO_PREMIUM as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import DIM_REGION, STG_DAILY_MARKET_PRICE, STG_WEEKLY_ECO_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

PREFERRED_RANK = "04"  # 상품: the only conventional grade eco prices are compared with
_KEY = ["week_start_dt", "country_cd", "item_cd", "kind_cd", "base_unit"]


def _per_unit(df: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    text = unit_text()
    return (
        df.withColumn("base_unit", base_unit(text))
        .withColumn("unit_price", F.col("price") / base_qty(text))
        .where(F.col("unit_price").isNotNull() & F.col("base_unit").isNotNull())
    )


def transform(
    eco: DataFrame,
    market_prices: DataFrame,
    regions: DataFrame,
    start: date | None = None,
    end: date | None = None,
) -> DataFrame:
    """Compare eco and conventional prices per week, region, item/kind and eco grade.

    Both sides are turned into a price per base unit (g → kg, ml → L, counts stay counts;
    unit from ``unit`` or the kind name's '(…)' suffix) and only equal base units are compared.
    Eco: mean of that region's eco rows in the week (every store type). Conventional: mean of
    ``stg_daily_market_price`` rows in the same week and region of grade 04 (상품) only: eco
    produce is sold as top grade, so a week without a 상품 price has no premium (comparing with
    중품 would inflate it).

    Args:
        eco: ``stg_weekly_eco_price`` rows.
        market_prices: ``stg_daily_market_price`` rows of the same weeks.
        regions: ``dim_region`` (resolves eco rows without a region code by name).
        start: First ``week_start_dt`` to keep (None = open).
        end: Last ``week_start_dt`` to keep (None = open).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    codes = regions.select("country_nm", F.col("country_cd").alias("_region_cd"))
    eco_rows = (
        eco.where(date_between("week_start_dt", start, end))
        .join(codes, "country_nm", "left")
        .withColumn("country_cd", F.coalesce("country_cd", "_region_cd"))
        .where(F.col("country_cd").isNotNull())
    )
    eco_side = (
        _per_unit(eco_rows)
        .groupBy(*_KEY, F.col("rank_cd").alias("eco_rank_cd"))
        .agg(
            *[F.max(c).alias(c) for c in ("country_nm", "item_nm", "kind_nm", "category_cd")],
            F.max("rank_nm").alias("eco_rank_nm"),
            exact_avg("unit_price").alias("eco_unit_price"),
            F.count(F.lit(1)).cast("int").alias("eco_obs_cnt"),
        )
    )
    conv = _per_unit(
        market_prices.withColumn("week_start_dt", F.date_trunc("week", "res_dt").cast("date"))
    )
    conv = conv.where(date_between("week_start_dt", start, end))
    conv_side = (
        conv.where(F.col("rank_cd") == PREFERRED_RANK)
        .groupBy(*_KEY)
        .agg(
            exact_avg("unit_price").alias("conventional_unit_price"),
            F.count(F.lit(1)).cast("int").alias("conventional_obs_cnt"),
        )
    )
    # the grain has no base_unit: should an item's eco rows carry two comparable units, keep the
    # one with more eco rows
    grain = Window.partitionBy("week_start_dt", "country_cd", "item_cd", "kind_cd", "eco_rank_cd")
    out = (
        eco_side.join(conv_side, _KEY, "inner")
        .withColumn(
            "_n", F.row_number().over(grain.orderBy(F.col("eco_obs_cnt").desc(), "base_unit"))
        )
        .where(F.col("_n") == 1)
        .withColumn(
            "premium_pct", pct_change(F.col("eco_unit_price"), F.col("conventional_unit_price"))
        )
        .withColumn("category_nm", category_nm())
    )
    return conform(out, SPEC)


@job("gold.mart_eco_premium", "eco vs conventional price per base unit, region and week", order=31)
def run(ctx: JobContext) -> PublishResult:
    """Recompute every week touching the window (Monday of start .. Monday of end)."""
    first, last = monday(ctx.window.start), monday(ctx.window.end)
    eco = ctx.read(STG_WEEKLY_ECO_PRICE, ranges=[(first, last + timedelta(days=6))])
    prices = ctx.read(STG_DAILY_MARKET_PRICE, ranges=[(first, last + timedelta(days=6))])
    regions = ctx.read(DIM_REGION)
    bounds = (None, None) if ctx.window.full_refresh else (first, last)
    return ctx.publish(SPEC, transform(eco, prices, regions, *bounds), first, last)

"""mart_retail_channel_comparison: large retail vs traditional markets per day, region (0000 = all) and item."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._channels import channel_prices, names, with_category
from spark_jobs.gold._common import (
    ITEM_KEY,
    date_between,
    pct_change,
)
from spark_jobs.gold.tables import MART_RETAIL_CHANNEL_COMPARISON as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.kamis.codes import NATIONAL_CD, NATIONAL_NM
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import DIM_MARKET, STG_DAILY_MARKET_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(
    market_prices: DataFrame, markets: DataFrame, start: date | None = None, end: date | None = None
) -> DataFrame:
    """Compare the two channels' mean prices per region and, as 0000, nationally from within-region gaps.

    A region row compares the means of its own markets. The national row averages the region
    means of each channel over the regions that have both channels that day, weighted by the
    markets priced there (large + traditional), so both channels are averaged over the same
    mix of regions and diff_pr is the weighted mean of the regions' own gaps; pooling every
    market instead lets a channel that sits mostly in a dear city look dear everywhere. A
    region with one channel only has a null price and count 0 on the other side and takes no
    part in the national row (no national row when no region has both). The cheaper channel
    is null on a tie or when one side is missing.
    """
    from pyspark.sql import functions as F

    priced = channel_prices(market_prices.where(date_between("res_dt", start, end)), markets)

    def mean(ch: str) -> object:
        return F.avg(F.when(F.col("channel_cd") == ch, F.col("price")))

    def cnt(ch: str) -> object:
        return F.countDistinct(F.when(F.col("channel_cd") == ch, F.col("market_id"))).cast("int")

    def nm(ch: str) -> object:
        return F.max(F.when(F.col("channel_cd") == ch, F.col("channel_nm")))

    large, trad = F.col("large_retail_price"), F.col("traditional_price")
    regional = priced.groupBy("res_dt", "country_cd", *ITEM_KEY).agg(
        F.max("country_nm").alias("country_nm"),
        *names(),
        mean("large_retail").alias("large_retail_price"),
        cnt("large_retail").alias("large_retail_cnt"),
        mean("traditional").alias("traditional_price"),
        cnt("traditional").alias("traditional_cnt"),
        nm("large_retail").alias("_large_nm"),
        nm("traditional").alias("_trad_nm"),
    )
    weight = F.col("large_retail_cnt") + F.col("traditional_cnt")

    def weighted(c: str) -> object:
        return F.sum(F.col(c) * weight) / F.sum(weight)

    national = (
        regional.where((F.col("large_retail_cnt") > 0) & (F.col("traditional_cnt") > 0))
        .groupBy("res_dt", *ITEM_KEY)
        .agg(
            F.lit(NATIONAL_CD).alias("country_cd"),
            F.lit(NATIONAL_NM).alias("country_nm"),
            *names(),
            weighted("large_retail_price").alias("large_retail_price"),
            F.sum("large_retail_cnt").cast("int").alias("large_retail_cnt"),
            weighted("traditional_price").alias("traditional_price"),
            F.sum("traditional_cnt").cast("int").alias("traditional_cnt"),
            F.max("_large_nm").alias("_large_nm"),
            F.max("_trad_nm").alias("_trad_nm"),
        )
    )
    out = (
        regional.unionByName(national)
        .withColumn("diff_pr", large - trad)
        .withColumn("diff_pct", pct_change(large, trad))
        .withColumn(
            "cheaper_channel_cd",
            F.when(large < trad, F.lit("large_retail")).when(trad < large, F.lit("traditional")),
        )
        .withColumn(
            "cheaper_channel_nm",
            F.when(large < trad, F.col("_large_nm")).when(trad < large, F.col("_trad_nm")),
        )
    )
    return conform(with_category(out), SPEC)


@job(
    "gold.mart_retail_channel_comparison",
    "large retail vs traditional market prices per day, region and item",
    order=21,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window's market prices and dim_market, compare, publish."""
    prices = ctx.read(STG_DAILY_MARKET_PRICE)
    markets = ctx.read(DIM_MARKET)
    return ctx.publish(SPEC, transform(prices, markets, *ctx.window.bounds))

"""Market prices joined to their channel (shared by the retail channel / region / basket marts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spark_jobs.gold._common import ITEM_KEY, category_nm

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

CHANNELS = ("large_retail", "traditional")
NAME_COLS = ["item_nm", "kind_nm", "rank_nm", "unit", "category_cd"]


def channel_prices(market_prices: DataFrame, markets: DataFrame) -> DataFrame:
    """Return market price rows with ``channel_cd`` / ``channel_nm`` (large retail and traditional only).

    Args:
        market_prices: ``stg_daily_market_price`` rows.
        markets: ``dim_market`` (grain country_nm × market_nm); markets missing there are dropped.
    """
    from pyspark.sql import functions as F

    dim = markets.select("country_nm", "market_nm", "channel_cd", "channel_nm")
    return (
        market_prices.join(dim, ["country_nm", "market_nm"], "inner")
        .where(F.col("channel_cd").isin(*CHANNELS))
        .withColumn("market_id", F.concat_ws("|", "country_nm", "market_nm"))
    )


def names() -> list[Column]:
    """Return aggregate expressions that carry item names and the category through a groupBy."""
    from pyspark.sql import functions as F

    return [F.max(c).alias(c) for c in NAME_COLS]


def with_category(df: DataFrame) -> DataFrame:
    """Add ``category_nm`` from ``category_cd``."""
    return df.withColumn("category_nm", category_nm())


def channel_means(priced: DataFrame) -> DataFrame:
    """Return the mean price and market count per day, region, channel and item/kind/rank."""
    from pyspark.sql import functions as F

    return with_category(
        priced.groupBy("res_dt", "country_cd", "channel_cd", *ITEM_KEY).agg(
            F.max("country_nm").alias("country_nm"),
            F.max("channel_nm").alias("channel_nm"),
            *names(),
            F.avg("price").alias("price"),
            F.countDistinct("market_id").cast("int").alias("market_cnt"),
        )
    )

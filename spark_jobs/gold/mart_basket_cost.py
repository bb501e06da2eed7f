"""mart_basket_cost: what the standard baskets (reference/baskets.csv) cost per day, region and channel.

Baskets: a family of four's weekly shop and a 김장 basket (10 heads of 가을 배추). Only kinds that
periodRetailProductList is collected for (a retail grade in the code table): 고춧가루 (248) and
새우젓 (650) have none, so the 김장 basket uses 건고추 화건 (241/00, 600g) instead of 고춧가루 and
leaves 새우젓 out.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from spark_jobs.gold._channels import channel_means, channel_prices
from spark_jobs.gold._common import ITEM_KEY, date_between, publish_mart, read_input, window_bounds
from spark_jobs.gold.tables import MART_BASKET_COST as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.paths import REFERENCE_DIR
from spark_jobs.silver.tables import DIM_MARKET, STG_DAILY_MARKET_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

BASKETS_CSV = REFERENCE_DIR / "baskets.csv"
BASKET_DDL = (
    "basket_cd STRING, basket_nm STRING, item_cd STRING, kind_cd STRING, rank_cd STRING, qty DOUBLE"
)


def read_baskets(path: Path = BASKETS_CSV) -> list[tuple[str, str, str, str, str, float]]:
    """Return the basket lines (basket_cd, basket_nm, item_cd, kind_cd, rank_cd, qty) of a CSV."""
    with path.open(encoding="utf-8") as fh:
        return [
            (
                r["basket_cd"],
                r["basket_nm"],
                r["item_cd"],
                r["kind_cd"],
                r["rank_cd"],
                float(r["qty"]),
            )
            for r in csv.DictReader(fh)
        ]


def baskets_frame(spark: SparkSession, path: Path = BASKETS_CSV) -> DataFrame:
    """Return the basket lines as a DataFrame (``BASKET_DDL``)."""
    return spark.createDataFrame(read_baskets(path), BASKET_DDL)


def transform(
    market_prices: DataFrame,
    markets: DataFrame,
    baskets: DataFrame,
    start: date | None = None,
    end: date | None = None,
) -> DataFrame:
    """Price every basket per day, region and channel from the channel mean prices.

    A line costs qty × the mean market price of its item/kind/rank in that region and channel
    that day. Region × channel cells with none of a basket's lines priced are left out; cells
    with some lines missing are kept (``is_complete`` false, ``total_cost`` = the priced lines,
    ``cheapest_rank`` 0). Complete baskets are ranked per day and basket by total_cost
    (rank(): ties share; 1 = cheapest, ``is_cheapest``).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    means = channel_means(
        channel_prices(market_prices.where(date_between("res_dt", start, end)), markets)
    )
    cells = means.select(
        "res_dt", "country_cd", "country_nm", "channel_cd", "channel_nm"
    ).distinct()
    lines = baskets.select("basket_cd", "basket_nm", *ITEM_KEY, "qty")
    keys = ["res_dt", "country_cd", "channel_cd", *ITEM_KEY]
    priced = cells.crossJoin(lines).join(means.select(*keys, "price"), keys, "left")
    cell = ["res_dt", "basket_cd", "country_cd", "channel_cd"]
    totals = (
        priced.groupBy(*cell)
        .agg(
            F.max("basket_nm").alias("basket_nm"),
            F.max("country_nm").alias("country_nm"),
            F.max("channel_nm").alias("channel_nm"),
            F.coalesce(F.sum(F.col("qty") * F.col("price")), F.lit(0.0)).alias("total_cost"),
            F.count(F.lit(1)).cast("int").alias("item_cnt"),
            F.count("price").cast("int").alias("priced_item_cnt"),
        )
        .where(F.col("priced_item_cnt") > 0)
        .withColumn("is_complete", F.col("priced_item_cnt") == F.col("item_cnt"))
    )
    ranking = Window.partitionBy("res_dt", "basket_cd", "is_complete").orderBy("total_cost")
    out = totals.withColumn(
        "cheapest_rank", F.when(F.col("is_complete"), F.rank().over(ranking)).otherwise(F.lit(0))
    ).withColumn("is_cheapest", F.col("cheapest_rank") == 1)
    return conform(out, SPEC)


@job(
    "gold.mart_basket_cost",
    "standard basket cost per day, region and channel; cheapest complete basket",
    order=23,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window's market prices, dim_market and the basket CSV, price, publish."""
    prices = read_input(ctx, STG_DAILY_MARKET_PRICE, ctx.start, ctx.end)
    markets = read_input(ctx, DIM_MARKET, None, None)
    return publish_mart(
        ctx, SPEC, transform(prices, markets, baskets_frame(ctx.spark), *window_bounds(ctx))
    )

"""mart_basket_cost: what the standard baskets (reference/baskets.csv) cost per day, region and channel.

Baskets: a family of four's weekly shop and a 김장 basket (10 heads of 가을 배추). Only kinds that
periodRetailProductList is collected for (a retail grade in the code table): 고춧가루 (248) and
새우젓 (650) have none, so the 김장 basket uses 건고추 화건 (241/00, 600g) instead of 고춧가루 and
leaves 새우젓 out. Out of season a kind is not surveyed at all (가을 배추 and 가을 무 in spring and
summer): the basket file's ``alternates`` column names the in-season kinds of the same item that
may stand in, and the mart records which kind was used.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from spark_jobs.gold._channels import channel_means, channel_prices
from spark_jobs.gold._common import ITEM_KEY, date_between
from spark_jobs.gold.tables import MART_BASKET_COST as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.paths import REFERENCE_DIR
from spark_jobs.silver.tables import DIM_MARKET, STG_DAILY_MARKET_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

BASKETS_CSV = REFERENCE_DIR / "baskets.csv"
BASKET_DDL = (
    "basket_cd STRING, basket_nm STRING, item_cd STRING, kind_cd STRING, rank_cd STRING, qty DOUBLE, "
    "line_no INT, item_nm STRING, kind_nm STRING, alternates ARRAY<STRING>"
)
BasketLine = tuple[str, str, str, str, str, float, int, str, str, list[str]]


def read_baskets(path: Path = BASKETS_CSV) -> list[BasketLine]:
    """Return the basket lines of a CSV in file order.

    Each line is (basket_cd, basket_nm, item_cd, kind_cd, rank_cd, qty, line_no, item_nm,
    kind_nm, alternates); ``alternates`` ("06;01;02" in the file) lists, in order of preference,
    the kind codes of the same item and grade (and the same unit) that may stand in when the
    line's own kind has no price, e.g. 월동 / 봄 / 여름 배추 for 가을 배추 out of its season.
    """
    with path.open(encoding="utf-8") as fh:
        return [
            (
                r["basket_cd"],
                r["basket_nm"],
                r["item_cd"],
                r["kind_cd"],
                r["rank_cd"],
                float(r["qty"]),
                n,
                r.get("item_nm") or r["item_cd"],
                r.get("kind_nm") or r["kind_cd"],
                [k.strip() for k in (r.get("alternates") or "").split(";") if k.strip()],
            )
            for n, r in enumerate(csv.DictReader(fh), start=1)
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
    that day; when its own kind has no price there, the first of its ``alternates`` (same item
    and grade, another kind) that has one stands in (``substituted_item_cnt``, ``substitute_txt``
    "배추 가을→월동"). Region × channel cells with none of a basket's lines priced are left out;
    cells with some lines missing are kept (``is_complete`` false, ``total_cost`` = the priced
    lines, ``missing_txt`` names the others, ``cheapest_rank`` 0). Complete baskets are ranked
    per day and basket by total_cost (rank(): ties share; 1 = cheapest, ``is_cheapest``).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    means = channel_means(
        channel_prices(market_prices.where(date_between("res_dt", start, end)), markets)
    )
    cells = means.select(
        "res_dt", "country_cd", "country_nm", "channel_cd", "channel_nm"
    ).distinct()
    lines = baskets.select(
        "basket_cd", "basket_nm", *ITEM_KEY, "qty", "line_no", "item_nm", "kind_nm", "alternates"
    )
    # One candidate per line and allowed kind: its own (choice 0), then the alternates (1, 2, …).
    candidates = lines.select(
        "basket_cd",
        "line_no",
        F.posexplode(F.concat(F.array("kind_cd"), F.coalesce("alternates", F.array()))).alias(
            "choice", "price_kind_cd"
        ),
    )
    keys = ["res_dt", "country_cd", "channel_cd", "item_cd", "rank_cd"]
    offers = (
        cells.select("res_dt", "country_cd", "channel_cd")
        .crossJoin(candidates)
        .join(lines.select("basket_cd", "line_no", "item_cd", "rank_cd"), ["basket_cd", "line_no"])
        .join(
            means.select(
                *keys,
                F.col("kind_cd").alias("price_kind_cd"),
                F.col("kind_nm").alias("price_kind_nm"),
                "price",
            ),
            [*keys, "price_kind_cd"],
        )
    )
    line_key = ["res_dt", "country_cd", "channel_cd", "basket_cd", "line_no"]
    first = Window.partitionBy(*line_key).orderBy("choice")
    chosen = (
        offers.withColumn("n", F.row_number().over(first))
        .where(F.col("n") == 1)
        .select(*line_key, "choice", "price_kind_nm", "price")
    )
    cell = ["res_dt", "basket_cd", "country_cd", "channel_cd"]
    priced = (
        cells.crossJoin(lines)
        .join(chosen, line_key, "left")
        .withColumn("line_nm", F.concat_ws(" ", "item_nm", "kind_nm"))
    )

    def ordered_text(text: object, when: object) -> object:
        """Join ``text`` of the lines where ``when`` holds with ", ", in file order (null when none)."""
        parts = F.array_sort(
            F.collect_list(F.when(when, F.struct(F.col("line_no"), text.alias("txt"))))  # type: ignore[union-attr]
        )
        return F.when(F.size(parts) > 0, F.array_join(F.transform(parts, lambda p: p["txt"]), ", "))

    substituted = F.col("choice") > 0
    totals = (
        priced.groupBy(*cell)
        .agg(
            F.max("basket_nm").alias("basket_nm"),
            F.max("country_nm").alias("country_nm"),
            F.max("channel_nm").alias("channel_nm"),
            F.coalesce(F.sum(F.col("qty") * F.col("price")), F.lit(0.0)).alias("total_cost"),
            F.count(F.lit(1)).cast("int").alias("item_cnt"),
            F.count("price").cast("int").alias("priced_item_cnt"),
            F.sum(F.when(substituted, 1).otherwise(0)).cast("int").alias("substituted_item_cnt"),
            ordered_text(F.col("line_nm"), F.col("price").isNull()).alias("missing_txt"),
            ordered_text(
                F.concat(F.col("line_nm"), F.lit("→"), F.col("price_kind_nm")), substituted
            ).alias("substitute_txt"),
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
    prices = ctx.read(STG_DAILY_MARKET_PRICE)
    markets = ctx.read(DIM_MARKET)
    return ctx.publish(
        SPEC, transform(prices, markets, baskets_frame(ctx.spark), *ctx.window.bounds)
    )

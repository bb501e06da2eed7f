"""Day-over-day retail price changes against the previous survey day (shared by the top-3 and count marts).

KAMIS' own ``price_1d`` (dpr2) is the calendar day before, which is '-' after every weekend and
holiday; the original project compared against it and lost every Monday. Here the base is the
most recent earlier ``res_dt`` that has a price for the same region, item/kind/rank and unit.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._common import ITEM_KEY, category_nm, date_between, pct_change
from spark_jobs.gold._units import unit_text
from spark_jobs.kamis import codes

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

# How far back the previous survey day may lie; jobs read this much history before their window.
MAX_GAP_DAYS = 14


def retail_changes(
    prices: DataFrame,
    start: date | None = None,
    end: date | None = None,
    max_gap_days: int = MAX_GAP_DAYS,
) -> DataFrame:
    """Return each retail price in ``start``..``end`` with its previous survey day's price.

    Args:
        prices: ``kamis_silver.stg_daily_category_price`` rows (every class and region; the
            window plus ``max_gap_days`` of history before it).
        start: First ``res_dt`` to keep (None = open).
        end: Last ``res_dt`` to keep (None = open).
        max_gap_days: A previous price older than this many days is no base (no row).

    Returns:
        One row per (res_dt, country_cd, item/kind/rank) with a price and a base:
        the price columns plus ``category_nm``, ``prev_price``, ``prev_dt``, ``change_pr``
        (price − prev_price) and ``change_pct`` ((price − prev_price) / prev_price × 100, 1 dp).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    priced = prices.where((F.col("product_cls_cd") == codes.RETAIL) & F.col("price").isNotNull())
    # the unit is part of the series: after a survey-unit change (1kg → 500g) there is no base
    unit = F.coalesce(unit_text(), F.lit(""))
    w = Window.partitionBy("country_cd", *ITEM_KEY, unit).orderBy("res_dt")
    return (
        priced.withColumn("prev_price", F.lag("price").over(w))
        .withColumn("prev_dt", F.lag("res_dt").over(w))
        .where(F.col("prev_price").isNotNull())
        .where(F.datediff("res_dt", "prev_dt") <= max_gap_days)
        .where(date_between("res_dt", start, end))
        .withColumn("category_nm", category_nm())
        .withColumn("change_pr", F.col("price") - F.col("prev_price"))
        .withColumn("change_pct", pct_change(F.col("price"), F.col("prev_price")))
    )


def top3(changes: DataFrame, rising: bool) -> DataFrame:
    """Return the three biggest rises (or falls) per day and region, ranked 1..3.

    Only real moves count (change_pr > 0 for rises, < 0 for falls); order is change_pct
    (descending for rises, ascending for falls), ties by item_cd, kind_cd, rank_cd.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    moved = changes.where(F.col("change_pr") > 0 if rising else F.col("change_pr") < 0)
    pct = F.col("change_pct").desc() if rising else F.col("change_pct").asc()
    w = Window.partitionBy("res_dt", "country_cd").orderBy(pct, *ITEM_KEY)
    return moved.withColumn("rank_no", F.row_number().over(w)).where(F.col("rank_no") <= 3)


def region_counts(changes: DataFrame) -> DataFrame:
    """Return per day and region how many items rose, fell or stayed exactly flat."""
    from pyspark.sql import functions as F

    def n(cond: object) -> object:
        return F.sum(F.when(cond, 1).otherwise(0)).cast("int")

    return changes.groupBy("res_dt", "country_cd").agg(
        F.first("country_nm").alias("country_nm"),
        n(F.col("change_pr") > 0).alias("up_cnt"),
        n(F.col("change_pr") < 0).alias("down_cnt"),
        n(F.col("change_pr") == 0).alias("flat_cnt"),
        F.count(F.lit(1)).cast("int").alias("total_cnt"),
    )

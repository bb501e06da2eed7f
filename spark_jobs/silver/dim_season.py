"""dim_season: the in-season calendar (item/kind × month) with KAMIS codes resolved by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import ensure_table, publish
from spark_jobs.silver import dim_item, reference
from spark_jobs.silver.tables import DIM_ITEM
from spark_jobs.silver.tables import DIM_SEASON as SPEC

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(seasonal: DataFrame, items: DataFrame) -> DataFrame:
    """Resolve seasonal_info.csv rows to item_cd / kind_cd by name and keep one row per month.

    The CSV's product_no is a product number, not a KAMIS item code, so codes are matched by
    names: (item_nm, kind_nm) exactly against dim_item; else item_cd alone when the item name
    maps to exactly one code (kind_cd stays null); else both null.

    Args:
        seasonal: season, month, item_nm, kind_nm, product_no, category_nm.
        items: dim_item rows (item_cd, item_nm, kind_cd, kind_nm).
    """
    from pyspark.sql import functions as F

    kinds = items.select("item_cd", "item_nm", "kind_cd", "kind_nm").distinct()
    by_kind = kinds.groupBy("item_nm", "kind_nm").agg(
        F.min("item_cd").alias("__k_item_cd"),
        F.min("kind_cd").alias("__k_kind_cd"),
        F.count_distinct("item_cd", "kind_cd").alias("__k_n"),
    )
    by_item = kinds.groupBy("item_nm").agg(
        F.min("item_cd").alias("__i_item_cd"), F.count_distinct("item_cd").alias("__i_n")
    )
    rows = seasonal.select(
        "item_nm",
        "kind_nm",
        "category_nm",
        F.col("month").cast("int").alias("month"),
        F.col("season").alias("season_nm"),
    ).dropDuplicates(["item_nm", "kind_nm", "month"])
    rows = rows.join(by_kind, ["item_nm", "kind_nm"], "left").join(by_item, "item_nm", "left")
    kind_hit = F.col("__k_n") == 1
    return rows.select(
        F.when(kind_hit, F.col("__k_item_cd"))
        .when(F.col("__i_n") == 1, F.col("__i_item_cd"))
        .alias("item_cd"),
        "item_nm",
        F.when(kind_hit, F.col("__k_kind_cd")).alias("kind_cd"),
        "kind_nm",
        "category_nm",
        "month",
        "season_nm",
    ).select(*SPEC.columns)


@job(
    "silver.dim_season",
    "in-season calendar (seasonal_info.csv) resolved against dim_item",
    order=12,
)
def run(ctx: JobContext):
    """Rebuild dim_season (after dim_item; falls back to the reference items when it is empty)."""
    spark = ctx.spark
    ensure_table(spark, DIM_ITEM)
    items = spark.table(DIM_ITEM.full_name)
    if not items.limit(1).count():
        items = dim_item.from_reference(spark)
    return publish(spark, SPEC, transform(reference.seasonal_info(spark), items), full_refresh=True)

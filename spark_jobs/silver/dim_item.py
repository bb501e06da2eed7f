"""dim_item: one row per (item, kind, rank) from productInfo (or its code table) plus livestock codes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.jobs import JobContext, job
from spark_jobs.kamis.codes import LIVESTOCK_CATEGORY
from spark_jobs.lake import publish, read_window
from spark_jobs.raw.tables import PRODUCT_INFO
from spark_jobs.silver import reference
from spark_jobs.silver.parse import PRODUCT_INFO_FIELDS, parse_raw
from spark_jobs.silver.tables import DIM_ITEM as SPEC

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession


def _code_list(col: str) -> Column:
    """'04, 05' → ['04', '05']; null or empty → []."""
    from pyspark.sql import functions as F

    parts = F.transform(F.split(F.col(col), ","), lambda x: F.trim(x))
    return F.coalesce(F.filter(parts, lambda x: x != ""), F.array().cast("array<string>"))


def _clean_rank_names(rank_codes: DataFrame) -> DataFrame:
    """rank_codes.csv names without their parenthetical notes; unknown names → null."""
    from pyspark.sql import functions as F

    name = F.trim(F.regexp_replace("rank_nm", r"\s*\(.*\)\s*$", ""))
    unknown = F.coalesce(F.col("confidence").contains("name_unknown"), F.lit(False))
    return rank_codes.select(
        "rank_cd",
        F.when(unknown | (name == ""), F.lit(None)).otherwise(name).alias("__code_rank_nm"),
    )


def _produce(products: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    p = (
        products.withColumn("__w", _code_list("whole_rank_cds"))
        .withColumn("__r", _code_list("retail_rank_cds"))
        .withColumn("__e", _code_list("eco_rank_cds"))
    )
    # A kind with no rank at all (e.g. 쌀 오대벼) is never priced: it yields no row.
    p = p.withColumn("rank_cd", F.explode(F.array_distinct(F.concat("__w", "__r", "__e"))))
    return p.select(
        "category_cd",
        "category_nm",
        "item_cd",
        "item_nm",
        "kind_cd",
        "kind_nm",
        "rank_cd",
        F.lit(None).cast("string").alias("__own_rank_nm"),
        "retail_unit",
        "retail_unitsize",
        "wholesale_unit",
        "wholesale_unitsize",
        "eco_unit",
        "eco_unitsize",
        F.array_contains("__r", F.col("rank_cd")).alias("is_retail"),
        F.array_contains("__w", F.col("rank_cd")).alias("is_wholesale"),
        F.array_contains("__e", F.col("rank_cd")).alias("is_eco"),
        F.lit(False).alias("is_livestock"),
    )


def _livestock(livestock: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    # Rows like kind '01..08' (names not one-to-one with codes, unverified) are left out.
    lv = livestock.where(F.col("kind_code").rlike("^[0-9]+$"))
    lv = lv.select(
        "*",
        F.split("rank_name", "/").alias("__names"),
        F.posexplode(F.split("rank_code", "/")).alias("__pos", "rank_cd"),
    )
    unit = F.col("unit_seen")
    return lv.select(
        F.lit(LIVESTOCK_CATEGORY).alias("category_cd"),
        F.lit(None).cast("string").alias("category_nm"),
        F.col("item_code").alias("item_cd"),
        F.col("item_name").alias("item_nm"),
        F.col("kind_code").alias("kind_cd"),
        F.col("kind_name").alias("kind_nm"),
        F.trim("rank_cd").alias("rank_cd"),
        F.try_element_at("__names", F.col("__pos") + 1).alias("__own_rank_nm"),
        F.nullif(F.regexp_extract(unit, r"^[0-9.]+\s*(.*)$", 1), F.lit("")).alias("retail_unit"),
        F.nullif(F.regexp_extract(unit, r"^([0-9.]+)", 1), F.lit("")).alias("retail_unitsize"),
        *[
            F.lit(None).cast("string").alias(c)
            for c in ("wholesale_unit", "wholesale_unitsize", "eco_unit", "eco_unitsize")
        ],
        F.lit(True).alias("is_retail"),
        F.lit(False).alias("is_wholesale"),
        F.lit(False).alias("is_eco"),
        F.lit(True).alias("is_livestock"),
    )


def transform(
    products: DataFrame,
    livestock: DataFrame,
    rank_codes: DataFrame,
    observed_ranks: DataFrame,
    categories: DataFrame,
) -> DataFrame:
    """Build dim_item: produce ranks expanded from the comma lists, livestock ranks from 'a/b/c'.

    Args:
        products: productInfo rows (PRODUCT_INFO_FIELDS), from the API or the code table.
        livestock: codes/livestock_codes.csv (item_code, item_name, kind_code, kind_name,
            rank_code '01/02/03', rank_name '1++등급/1+등급/1등급', unit_seen '100g').
        rank_codes: rank_cd, rank_nm, confidence (codes/rank_codes.csv).
        observed_ranks: item_cd, kind_cd, rank_cd, rank_nm as returned by real bodies.
        categories: category_cd, category_nm.

    Returns:
        One row per (item_cd, kind_cd, rank_cd); rank_nm = observed name, else the livestock
        table's, else the code table's (without its notes); flags say which price series use it.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    rows = _produce(products).unionByName(_livestock(livestock))
    observed = observed_ranks.select(
        "item_cd", "kind_cd", "rank_cd", F.col("rank_nm").alias("__obs_rank_nm")
    ).dropDuplicates(["item_cd", "kind_cd", "rank_cd"])
    cats = categories.select("category_cd", F.col("category_nm").alias("__cat_nm"))
    rows = (
        rows.join(observed, ["item_cd", "kind_cd", "rank_cd"], "left")
        .join(F.broadcast(_clean_rank_names(rank_codes)), "rank_cd", "left")
        .join(F.broadcast(cats), "category_cd", "left")
        .withColumn("rank_nm", F.coalesce("__obs_rank_nm", "__own_rank_nm", "__code_rank_nm"))
        .withColumn("category_nm", F.coalesce("__cat_nm", "category_nm"))
    )
    w = Window.partitionBy(*SPEC.grain).orderBy("is_livestock", "category_cd")
    rows = rows.withColumn("__rn", F.row_number().over(w)).where("__rn = 1")
    return rows.select(*SPEC.columns)


def from_reference(spark: SparkSession, products: DataFrame | None = None) -> DataFrame:
    """dim_item built from ``products`` (productInfo rows) or the shipped code table."""
    return transform(
        products if products is not None else reference.code_table(spark),
        reference.livestock_codes(spark),
        reference.rank_codes(spark),
        reference.observed_ranks(spark),
        reference.categories(spark),
    )


# How many of the newest productInfo bodies are parsed when the newest one has no row (all of them
# only when none of these has one): one body is stored per run, so parsing every one grows with
# history.
NEWEST_BODIES = 7


def latest_product_info(rows: DataFrame) -> DataFrame:
    """Keep the productInfo rows of the newest body that produced any rows."""
    from pyspark.sql import functions as F

    newest = rows.groupBy().agg(F.max_by("request_id", "fetched_at").alias("request_id"))
    return rows.join(newest, "request_id").select(*PRODUCT_INFO_FIELDS)


def newest_ids(ok_calls: DataFrame, n: int = NEWEST_BODIES) -> list[tuple[str, date]]:
    """Return (request id, req_dt) of the ``n`` newest calls (by ``fetched_at``) of ``ok_calls``.

    Only the id and date columns are read. The newest body with rows among these is the newest
    among all whenever one of these has rows (every newer body is among them).
    """
    from pyspark.sql import functions as F

    newest = ok_calls.select("request_id", "req_dt", "fetched_at").orderBy(
        F.desc("fetched_at"), F.desc("request_id")
    )
    return [(r.request_id, r.req_dt) for r in newest.limit(n).collect()]


def _only(ok_calls: DataFrame, ids: list[tuple[str, date]]) -> DataFrame:
    """Return the calls ``ids`` name, reading only their ``req_dt`` partitions."""
    from pyspark.sql import functions as F

    days = sorted({d for _, d in ids})
    return ok_calls.where(
        F.col("req_dt").isin(days) & F.col("request_id").isin([i for i, _ in ids])
    )


def _products(ok_calls: DataFrame) -> DataFrame | None:
    """Return the newest productInfo body's rows, or None when no body has any.

    The newest body is parsed first, then the :data:`NEWEST_BODIES` newest, and every body
    only when none of those has a row.
    """
    ids = newest_ids(ok_calls)
    tiers: list[list[tuple[str, date]] | None] = [ids[:1]] if ids else []
    if len(ids) > 1:
        tiers.append(ids)
    if len(ids) == NEWEST_BODIES:  # there may be older bodies
        tiers.append(None)
    for tier in tiers:
        calls = ok_calls if tier is None else _only(ok_calls, tier)
        parsed = parse_raw(calls, PRODUCT_INFO_FIELDS).persist()
        try:
            products = latest_product_info(parsed.rows).localCheckpoint()
        finally:
            parsed.unpersist()
        if products.limit(1).count() > 0:
            return products
    return None


@job(
    "silver.dim_item",
    "item / kind / rank dimension (productInfo or code table + livestock)",
    order=11,
)
def run(ctx: JobContext):
    """Rebuild dim_item: the newest productInfo body when raw has one, else the code table."""
    raw = read_window(ctx.spark, PRODUCT_INFO, None, None).where("outcome = 'ok'")
    df = from_reference(ctx.spark, _products(raw))
    return publish(ctx.spark, SPEC, df, full_refresh=True)

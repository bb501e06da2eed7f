"""dim_market: every market seen in the retail and eco tables (and the observed list) with its channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import ensure_table, publish
from spark_jobs.partition_cache import Refreshed, Tracked, cache_table, logic_key, refresh
from spark_jobs.silver import reference
from spark_jobs.silver.tables import DIM_MARKET as SPEC
from spark_jobs.silver.tables import STG_DAILY_MARKET_PRICE, STG_WEEKLY_ECO_PRICE
from spark_jobs.silver.template import known_regions
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

LARGE_RETAIL_PATTERN = r"^[A-Za-z][^-]*-유통$"
STORE_PATTERN = r"^[A-Za-z][^-]*-(.+)$"
CHANNELS = {"large_retail": "대형마트", "traditional": "전통시장", "eco_store": "친환경매장"}
ECO_ACTIONS = ("EcoPriceList", "periodEcoPriceList")
NAME_COLUMNS = ("country_cd", "country_nm", "market_nm")

# The market names of each date partition of the market and eco tables (see
# spark_jobs.partition_cache): a run reads only the partitions written since the last one.
CACHE = cache_table(
    "market_partition_names",
    "markets ARRAY<STRUCT<country_cd: STRING, country_nm: STRING, market_nm: STRING>> NOT NULL",
    "dim_market's distinct market names per source table and date partition, kept while "
    "the partition's data files (files_key) stay the same",
    {"markets": "distinct (country_cd, country_nm, market_nm) of the partition's rows, sorted"},
    not_null=("markets",),
)


def transform(
    retail: DataFrame, eco: DataFrame, observed: DataFrame, regions: DataFrame
) -> DataFrame:
    """Classify markets: 'X-유통' → large_retail, other retail names → traditional, eco → eco_store.

    Args:
        retail: country_cd, country_nm, market_nm (stg_daily_market_price).
        eco: country_cd, country_nm, market_nm, store_type_nm (stg_weekly_eco_price).
        observed: countyname, marketname, action (codes/markets_observed_in_real_responses.csv);
            aggregate rows (평균/평년, no marketname) are skipped.
        regions: country_cd, country_nm, to give observed markets their region code.

    Returns:
        One row per (country_nm, market_nm); a name seen both as retail and eco keeps the retail
        classification.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    names = regions.select(F.col("country_nm").alias("countyname"), "country_cd")
    seen = (
        observed.where(F.col("marketname").isNotNull() & ~F.col("countyname").isin("평균", "평년"))
        .join(F.broadcast(names), "countyname", "left")
        .select(
            "country_cd",
            F.col("countyname").alias("country_nm"),
            F.col("marketname").alias("market_nm"),
            F.col("action").isin(*ECO_ACTIONS).alias("is_eco"),
            F.lit(3).alias("__src"),
        )
    )
    markets = (
        retail.select(
            "country_cd",
            "country_nm",
            "market_nm",
            F.lit(False).alias("is_eco"),
            F.lit(1).alias("__src"),
        )
        .unionByName(
            eco.select(
                "country_cd",
                "country_nm",
                "market_nm",
                F.lit(True).alias("is_eco"),
                F.lit(2).alias("__src"),
            )
        )
        .unionByName(seen)
        .where(F.col("market_nm").isNotNull() & F.col("country_nm").isNotNull())
    )
    w = Window.partitionBy("country_nm", "market_nm").orderBy(
        "is_eco", "__src", F.col("country_cd").asc_nulls_last()
    )
    markets = markets.withColumn("__rn", F.row_number().over(w)).where("__rn = 1")
    channel = (
        F.when(F.col("is_eco"), F.lit("eco_store"))
        .when(F.col("market_nm").rlike(LARGE_RETAIL_PATTERN), F.lit("large_retail"))
        .otherwise(F.lit("traditional"))
    )
    channel_nm = F.create_map(*[F.lit(x) for kv in CHANNELS.items() for x in kv])
    store_type = F.when(
        F.col("is_eco"), F.nullif(F.regexp_extract("market_nm", STORE_PATTERN, 1), F.lit(""))
    )
    return (
        markets.withColumn("channel_cd", channel)
        .withColumn("channel_nm", channel_nm[F.col("channel_cd")])
        .withColumn(
            "store_type_nm", F.coalesce(store_type, F.when(F.col("is_eco"), F.col("market_nm")))
        )
        .select(*SPEC.columns)
    )


def partition_names(df: DataFrame, column: str) -> DataFrame:
    """Return one row per date partition ``column`` of ``df``: ``part_dt``, sorted ``markets``."""
    from pyspark.sql import functions as F

    names = F.struct(*NAME_COLUMNS)
    return df.groupBy(F.col(column).alias("part_dt")).agg(
        F.array_sort(F.collect_set(names)).alias("markets")
    )


def _tracked(spec: TableSpec) -> Tracked:
    column = spec.partition_by[0]
    key = logic_key("dim_market", spec.full_name, *NAME_COLUMNS)
    return Tracked(spec.name, spec, key, lambda df: partition_names(df, column))


def refresh_names(
    spark: SparkSession,
    full: bool = False,
    tables: tuple[TableSpec, ...] = (STG_DAILY_MARKET_PRICE, STG_WEEKLY_ECO_PRICE),
    cache: TableSpec = CACHE,
) -> Refreshed:
    """Bring ``cache`` (``kamis_ops.market_partition_names``) up to date for ``tables``."""
    return refresh(spark, cache, [_tracked(spec) for spec in tables], full)


def names_of(rows: DataFrame, spec: TableSpec) -> DataFrame:
    """Return the distinct ``NAME_COLUMNS`` of ``spec``'s table from the cache's ``rows``."""
    from pyspark.sql import functions as F

    exploded = rows.where(F.col("source_nm") == spec.name).select(F.explode("markets").alias("m"))
    return exploded.select("m.*").distinct()


@job(
    "silver.dim_market",
    "markets with their channel (large retail / traditional / eco store)",
    order=30,
)
def run(ctx: JobContext):
    """Rebuild dim_market from every market and eco name (runs after the facts: order 30).

    The names come from :func:`refresh_names`: only partitions written since the last run are
    read (a full refresh reads them all).
    """
    spark = ctx.spark
    for spec in (STG_DAILY_MARKET_PRICE, STG_WEEKLY_ECO_PRICE):
        ensure_table(spark, spec)
    rows = refresh_names(spark, full=ctx.window.full_refresh).rows
    retail = names_of(rows, STG_DAILY_MARKET_PRICE)
    eco = names_of(rows, STG_WEEKLY_ECO_PRICE)
    df = transform(retail, eco, reference.observed_markets(spark), known_regions(spark))
    return publish(spark, SPEC, df, full_refresh=True)

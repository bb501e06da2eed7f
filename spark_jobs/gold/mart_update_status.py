"""mart_update_status: per source, latest date, rows, regions, lag and a data version for caches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from spark_jobs.dates import KST
from spark_jobs.gold.tables import MART_UPDATE_STATUS as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform, publish
from spark_jobs.partition_cache import Refreshed, Tracked, cache_table, logic_key, refresh
from spark_jobs.raw.tables import BY_SOURCE as RAW_TABLES
from spark_jobs.registry import table
from spark_jobs.sources import RAW_REGION_EXPR
from spark_jobs.sources import SOURCES as KAMIS_SOURCES
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# mart_update_status's figures per source and partition (see spark_jobs.partition_cache).
CACHE = cache_table(
    "status_partition_stats",
    "latest_dt DATE, row_cnt BIGINT NOT NULL, regions ARRAY<STRING> NOT NULL",
    "mart_update_status's figures per source and date partition, kept while the "
    "partition's data files (files_key) stay the same",
    {
        "latest_dt": "latest data date of a counted row the source calls fresh (null: none)",
        "row_cnt": "counted rows in the partition",
        "regions": "distinct regions of the counted rows",
    },
    not_null=("row_cnt", "regions"),
)


@dataclass(frozen=True)
class Source:
    """How to read one source's freshness.

    Attributes:
        source_nm: Name shown on the dashboard (KAMIS action for raw, table name for silver).
        spec: The table.
        date_expr: SQL giving the row's data date.
        region_expr: SQL giving the row's region (None: the source has no regions).
        latest_filter: SQL selecting rows that count for ``latest_dt`` (raw: successful calls;
            a ``not_published`` call, result 000 with no price yet, is not one).
        count_filter: SQL selecting the rows that count at all (``row_cnt``, ``latest_dt``):
            for silver price tables only priced rows, so a day KAMIS has answered with "-"
            everywhere neither counts as fresh nor adds rows.
    """

    source_nm: str
    spec: TableSpec
    date_expr: str
    region_expr: str | None
    latest_filter: str = "true"
    count_filter: str = "true"


def _sources() -> tuple[Source, ...]:
    """Return what the status reports: each registry source's raw calls, then its watched tables."""
    raw = [
        Source(
            k.name,
            RAW_TABLES[k.key],
            "req_dt",
            RAW_REGION_EXPR if k.has_regions else None,
            "outcome = 'ok'",
        )
        for k in KAMIS_SOURCES
    ]
    silver = [
        Source(w.table, table(w.table), w.date_expr, w.region_expr, count_filter=w.count_filter)
        for k in KAMIS_SOURCES
        for w in k.watch
    ]
    return (*raw, *silver)


SOURCES: tuple[Source, ...] = _sources()


def logic(source: Source) -> str:
    """Return the key of how ``source``'s figures are computed (cached figures must match it)."""
    return logic_key(
        source.source_nm,
        source.spec.full_name,
        source.date_expr,
        source.region_expr,
        source.latest_filter,
        source.count_filter,
    )


# The one "partition" of a source table without a date partition column (read in full every run).
WHOLE_TABLE = date(1970, 1, 1)


def partition_stats(source: Source, df: DataFrame) -> DataFrame:
    """Return ``source``'s figures per date partition of its table.

    One row per partition (the table's date partition column; :data:`WHOLE_TABLE` for a table
    without one), also for a partition without counted rows: the latest data date of a counted
    row the source calls fresh (``latest_filter``), the rows counted (``count_filter``) and their
    distinct regions (empty for a source without regions). Columns as
    ``kamis_ops.status_partition_stats`` without ``files_key``.
    """
    from pyspark.sql import functions as F

    counted = F.expr(source.count_filter)
    counted = F.coalesce(counted, F.lit(False))
    part = (
        F.col(source.spec.partition_by[0]).cast("date")
        if source.spec.partition_by
        else F.lit(WHOLE_TABLE)
    )
    regions = (
        F.array_sort(F.collect_set(F.when(counted, F.expr(source.region_expr))))
        if source.region_expr
        else F.array().cast("array<string>")
    )
    fresh = counted & F.coalesce(F.expr(source.latest_filter), F.lit(False))
    return (
        df.groupBy(part.alias("part_dt"))
        .agg(
            F.max(F.when(fresh, F.expr(source.date_expr))).cast("date").alias("latest_dt"),
            F.count(F.when(counted, F.lit(1))).alias("row_cnt"),
            regions.alias("regions"),
        )
        .select(
            F.lit(source.source_nm).alias("source_nm"),
            F.lit(logic(source)).alias("logic"),
            "part_dt",
            "latest_dt",
            "row_cnt",
            "regions",
        )
    )


def combine(
    stats: DataFrame,
    as_of_dt: date,
    updated_at: datetime,
    sources: tuple[Source, ...] = SOURCES,
) -> DataFrame:
    """Summarise per-partition figures into one status row per source and the data version.

    Args:
        stats: Rows of :func:`partition_stats` (any partitions of any of ``sources``).
        as_of_dt: The day the lag is measured against (the run date).
        updated_at: When the status was computed (written as is).
        sources: Which sources to summarise; one without partitions reports no date, 0 rows.

    Returns:
        One row per source: ``latest_dt``, ``row_cnt``, ``region_cnt``, ``lag_days`` =
        as_of_dt − latest_dt, ``source_version`` = sha256("source_nm|latest_dt|row_cnt")[:16]
        and ``data_version`` = sha256 of all those lines sorted and joined by ';' [:16].
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    spark = stats.sparkSession
    names = spark.createDataFrame(
        [(i, s.source_nm, s.spec.full_name) for i, s in enumerate(sources)],
        "source_order INT, source_nm STRING, table_nm STRING",
    )
    per_source = stats.groupBy("source_nm").agg(
        F.max("latest_dt").alias("latest_dt"),
        F.sum("row_cnt").alias("row_cnt"),
        F.size(F.array_distinct(F.flatten(F.collect_list("regions")))).alias("region_cnt"),
    )
    out = (
        names.join(per_source, "source_nm", "left")
        .withColumn("row_cnt", F.coalesce("row_cnt", F.lit(0)).cast("bigint"))
        .withColumn("region_cnt", F.coalesce("region_cnt", F.lit(0)).cast("int"))
    )
    line = F.concat_ws(
        "|",
        "source_nm",
        F.coalesce(F.col("latest_dt").cast("string"), F.lit("")),
        F.col("row_cnt").cast("string"),
    )
    everything = Window.partitionBy()
    out = (
        out.withColumn("_line", line)
        .withColumn("source_version", F.substring(F.sha2("_line", 256), 1, 16))
        .withColumn(
            "data_version",
            F.substring(
                F.sha2(
                    F.array_join(F.array_sort(F.collect_list("_line").over(everything)), ";"), 256
                ),
                1,
                16,
            ),
        )
        .withColumn("as_of_dt", F.lit(as_of_dt))
        .withColumn("lag_days", F.datediff("as_of_dt", "latest_dt"))
        .withColumn("updated_at", F.lit(updated_at).cast("timestamp"))
        .orderBy("source_order")
    )
    return conform(out, SPEC)


def transform(
    frames: Mapping[str, DataFrame],
    as_of_dt: date,
    updated_at: datetime,
    sources: tuple[Source, ...] = SOURCES,
) -> DataFrame:
    """Summarise each source's freshness over all its rows (no cache: :func:`combine` of all).

    Args:
        frames: ``source_nm`` → that source's rows (every source in ``sources``).
        as_of_dt: The day the lag is measured against (the run date).
        updated_at: When the status was computed (written as is).
        sources: Which sources to summarise and how.
    """
    parts = [partition_stats(s, frames[s.source_nm]) for s in sources]
    stats = parts[0]
    for part in parts[1:]:
        stats = stats.unionByName(part)
    return combine(stats, as_of_dt, updated_at, sources)


def refresh_stats(
    spark: SparkSession, full: bool = False, sources: tuple[Source, ...] = SOURCES
) -> Refreshed:
    """Bring ``kamis_ops.status_partition_stats`` up to date and return its rows, pinned.

    Reads only the partitions whose data files changed since their figures were kept (all of
    them when ``full``; see :func:`spark_jobs.partition_cache.refresh`).
    """
    tracked = [
        Tracked(s.source_nm, s.spec, logic(s), lambda df, s=s: partition_stats(s, df))
        for s in sources
    ]
    return refresh(spark, CACHE, tracked, full)


@job(
    "gold.mart_update_status",
    "per source: latest date, rows, regions, lag and the data version",
    order=90,
)
def run(ctx: JobContext) -> PublishResult:
    """Summarise every source as of ``ctx.window.end`` and overwrite the status table.

    The figures come from :func:`refresh_stats`: only partitions written since the last run are
    read (a full refresh reads them all).
    """
    refreshed = refresh_stats(ctx.spark, full=ctx.window.full_refresh)
    out = combine(refreshed.rows, ctx.window.end, datetime.now(KST))
    return publish(ctx.spark, SPEC, out, full_refresh=True)

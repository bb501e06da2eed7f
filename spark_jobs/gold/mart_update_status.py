"""mart_update_status: per source, latest date, rows, regions, lag and a data version for caches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from spark_jobs.dates import KST
from spark_jobs.gold.tables import MART_UPDATE_STATUS as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform, publish, read_window
from spark_jobs.raw.tables import BY_SOURCE as RAW_TABLES
from spark_jobs.registry import table
from spark_jobs.sources import RAW_REGION_EXPR
from spark_jobs.sources import SOURCES as KAMIS_SOURCES
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame


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


def _status(source: Source, df: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    region: Column = F.countDistinct(F.expr(source.region_expr)) if source.region_expr else F.lit(0)
    return (
        df.where(F.expr(source.count_filter))
        .agg(
            F.max(F.when(F.expr(source.latest_filter), F.expr(source.date_expr)))
            .cast("date")
            .alias("latest_dt"),
            F.count(F.lit(1)).alias("row_cnt"),
            region.cast("int").alias("region_cnt"),
        )
        .select(
            F.lit(source.source_nm).alias("source_nm"),
            F.lit(source.spec.full_name).alias("table_nm"),
            "*",
        )
    )


def transform(
    frames: Mapping[str, DataFrame],
    as_of_dt: date,
    updated_at: datetime,
    sources: tuple[Source, ...] = SOURCES,
) -> DataFrame:
    """Summarise each source's freshness and a version string of all of them.

    Args:
        frames: ``source_nm`` → that source's rows (every source in ``sources``).
        as_of_dt: The day the lag is measured against (the run date).
        updated_at: When the status was computed (written as is).
        sources: Which sources to summarise and how.

    Returns:
        One row per source: ``latest_dt``, ``row_cnt``, ``region_cnt``, ``lag_days`` =
        as_of_dt − latest_dt, ``source_version`` = sha256("source_nm|latest_dt|row_cnt")[:16]
        and ``data_version`` = sha256 of all those lines sorted and joined by ';' [:16].
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    parts = [_status(s, frames[s.source_nm]) for s in sources]
    out = parts[0]
    for part in parts[1:]:
        out = out.unionByName(part)
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
    )
    return conform(out, SPEC)


@job(
    "gold.mart_update_status",
    "per source: latest date, rows, regions, lag and the data version",
    order=90,
)
def run(ctx: JobContext) -> PublishResult:
    """Summarise every source as of ``ctx.window.end`` and overwrite the status table."""
    frames = {s.source_nm: read_window(ctx.spark, s.spec, None, None) for s in SOURCES}
    out = transform(frames, ctx.window.end, datetime.now(KST))
    return publish(ctx.spark, SPEC, out, full_refresh=True)

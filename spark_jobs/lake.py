"""Reading and writing lake tables: create from the registry, write-audit-publish, read windows."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.quality.audit import AuditError, ExtraCheck, audit
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishResult:
    """What a publish wrote."""

    table: str
    rows: int
    start: date | None
    end: date | None


def table_exists(spark: SparkSession, spec: TableSpec) -> bool:
    """Return True when the table is registered in the metastore."""
    return bool(spark.catalog.tableExists(spec.full_name))


def add_new_columns(spark: SparkSession, spec: TableSpec) -> list[str]:
    """Add the contract's columns that an existing table lacks (a lake made by an older version).

    Only nullable columns can be added (older rows hold null); the contract appends new columns
    at the end. Returns the names added.

    Raises:
        ValueError: A missing column is NOT NULL in the contract (it needs a rebuild instead).
    """
    have = {f.name for f in spark.table(spec.full_name).schema.fields}
    missing = [f for f in spec.struct().fields if f.name not in have]
    if not missing:
        return []
    strict = [f.name for f in missing if not f.nullable]
    if strict:
        raise ValueError(
            f"{spec.full_name} lacks NOT NULL columns {strict}: rebuild it with --full-refresh"
        )
    cols = ", ".join(f"{f.name} {f.dataType.simpleString()}" for f in missing)
    spark.sql(f"ALTER TABLE {spec.full_name} ADD COLUMNS ({cols})")
    return [f.name for f in missing]


def ensure_table(spark: SparkSession, spec: TableSpec) -> None:
    """Create the Delta table from its contract (columns, partitions, NOT NULL, CHECKs) if missing.

    An existing table gets the contract's new nullable columns (:func:`add_new_columns`).
    """
    if table_exists(spark, spec):
        add_new_columns(spark, spec)
        return
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {spec.database}")
    parts = f"PARTITIONED BY ({', '.join(spec.partition_by)})" if spec.partition_by else ""
    comment = spec.description.replace("'", "\\'")
    # Delta 4.4 writes partition columns into the Parquet files by default; keep them in the path
    # only, so external readers (Athena, Trino's hive connector) never see the value twice.
    props = "TBLPROPERTIES ('delta.writePartitionColumnsToParquet' = 'false')"
    spark.sql(
        f"CREATE TABLE IF NOT EXISTS {spec.full_name} ({spec.schema}) USING DELTA {parts} "
        f"COMMENT '{comment}' {props}"
    )
    for name, expr in spec.checks.items():
        spark.sql(f"ALTER TABLE {spec.full_name} ADD CONSTRAINT {name} CHECK ({expr})")


def conform(df: DataFrame, spec: TableSpec) -> DataFrame:
    """Select the contract's columns in order, cast to the contract's types."""
    from pyspark.sql import functions as F

    struct = spec.struct()
    missing = [f.name for f in struct.fields if f.name not in df.columns]
    if missing:
        raise ValueError(f"{spec.full_name}: transform output lacks columns {missing}")
    return df.select(*[F.col(f.name).cast(f.dataType).alias(f.name) for f in struct.fields])


def _where(spec: TableSpec, start: date | None, end: date | None) -> str | None:
    if spec.date_column is None or start is None or end is None:
        return None
    return f"{spec.date_column} >= DATE'{start.isoformat()}' AND {spec.date_column} <= DATE'{end.isoformat()}'"


def publish(
    spark: SparkSession,
    spec: TableSpec,
    df: DataFrame,
    start: date | None = None,
    end: date | None = None,
    full_refresh: bool = False,
    extra_checks: Sequence[ExtraCheck] = (),
    replace_filter: str | None = None,
) -> PublishResult:
    """Write-audit-publish ``df`` into ``spec``'s table for the window ``start``..``end``.

    The rows are computed once and pinned (a local checkpoint: the audit and the write see the
    very same rows, never a recomputation), audited, and only when the audit passes published
    with one Delta commit: ``replaceWhere`` over the window (or a full overwrite when
    ``full_refresh`` or the table has no date column). A failed audit raises
    :class:`AuditError` and leaves the published table as it was; a process killed at any point
    leaves it at its previous commit (Delta commits are atomic). Rows outside the window are
    an error. ``replace_filter`` (a SQL predicate) narrows what is replaced, e.g. one source's
    rows of a shared table (``target_table IN (...)``); with ``full_refresh`` it alone is
    replaced.
    """
    ensure_table(spark, spec)
    where = None if full_refresh else _where(spec, start, end)
    if replace_filter:
        where = f"({where}) AND ({replace_filter})" if where else replace_filter
    staged = conform(df, spec).localCheckpoint(eager=False)
    report = audit(staged, spec, extra_checks, inside=where)
    if not report.ok:
        raise AuditError(
            f"{spec.full_name} failed its audit, published table unchanged: "
            + "; ".join(report.failures)
        )
    if report.rows == 0 and not _holds_rows(spark, spec, where):
        # Nothing to write and nothing to replace: a commit would change no row (and costs about
        # a second of Delta's commit protocol; empty publishes are common on small scopes).
        log.info(
            "published %s: 0 rows, none to replace: no commit (%s..%s)", spec.full_name, start, end
        )
        return PublishResult(spec.full_name, 0, start, end)
    writer = staged.write.format("delta").mode("overwrite")
    if where is not None:
        writer = writer.option("replaceWhere", where)
    else:  # the whole table, not only the partitions the new rows fall in (the session's default)
        writer = writer.option("partitionOverwriteMode", "static")
    writer.saveAsTable(spec.full_name)
    log.info("published %s: %d rows (%s..%s)", spec.full_name, report.rows, start, end)
    return PublishResult(spec.full_name, report.rows, start, end)


def _holds_rows(spark: SparkSession, spec: TableSpec, where: str | None) -> bool:
    """Return False only when no data file of the table can hold a row matching ``where``.

    Delta's file listing with partition pruning and min/max data skipping: a superset of the
    files with matching rows, so False is certain and True only possible.
    """
    df = spark.table(spec.full_name)
    return bool((df.where(where) if where else df).inputFiles())


def read_window(
    spark: SparkSession, spec: TableSpec, start: date | None, end: date | None
) -> DataFrame:
    """Return the table's rows whose date column lies in ``start``..``end`` (all rows when None)."""
    ensure_table(spark, spec)
    df = spark.table(spec.full_name)
    where = _where(spec, start, end)
    return df.where(where) if where else df

"""Per-partition source statistics for ``mart_update_status``, kept while a partition's files stay.

``mart_update_status`` reports, per source, figures over the whole table (rows, latest date,
distinct regions). Scanning every source table on every run costs time that grows with history,
so each date partition's figures are kept in ``kamis_ops.status_partition_stats`` together with
a key of the partition's data files. Delta never changes a data file in place: any write that
touches a partition (a daily replace, a late correction, a ``--full-refresh``, a compaction)
gives it a new file set, so a partition whose key is unchanged still holds the rows its figures
were computed from. A run reads only the partitions whose key changed (or that are new), keeps
the others' figures, and drops those of partitions gone.

The key also holds a hash of how the figures are computed (the source's date, region and filter
expressions and :data:`LOGIC_VERSION`), so changing them recomputes that source everywhere.
Tables with deletion vectors would change rows without changing file names; the lake never
enables them, and a table that does is read in full on every run (see :func:`file_sets`).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import unquote

from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

# Bump when the per-partition figures change meaning (every cached row is then recomputed).
LOGIC_VERSION = 1

STATUS_PARTITION_STATS = TableSpec(
    layer="ops",
    name="status_partition_stats",
    schema=(
        "source_nm STRING NOT NULL, logic STRING NOT NULL, part_dt DATE NOT NULL, "
        "files_key STRING NOT NULL, latest_dt DATE, row_cnt BIGINT NOT NULL, "
        "regions ARRAY<STRING> NOT NULL"
    ),
    description=(
        "mart_update_status's figures per source and date partition, kept while the "
        "partition's data files (files_key) stay the same"
    ),
    grain=("source_nm", "part_dt"),
    not_null=("source_nm", "logic", "part_dt", "files_key", "row_cnt", "regions"),
    column_docs={
        "logic": "hash of how the figures are computed (expressions, filters, version)",
        "part_dt": "the source table's partition (its one date partition column)",
        "files_key": "first 16 hex of sha256 of the partition's data file names, sorted",
        "latest_dt": "latest data date of a counted row the source calls fresh (null: none)",
        "row_cnt": "counted rows in the partition",
        "regions": "distinct regions of the counted rows",
    },
)


def logic_key(*parts: object) -> str:
    """Return the first 16 hex of sha256 over :data:`LOGIC_VERSION` and ``parts``."""
    text = "|".join(str(p) for p in (LOGIC_VERSION, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def partition_keys(files: Iterable[str], part_col: str) -> dict[date, str] | None:
    """Group data file paths by their ``<part_col>=YYYY-MM-DD`` folder; key each group's names.

    Returns:
        Partition date → first 16 hex of sha256 of its file names sorted and joined by newlines,
        or None when some path has no such folder (the table cannot be tracked by partition).
    """
    groups: dict[date, list[str]] = defaultdict(list)
    prefix = f"{part_col}="
    for path in files:
        segments = path.rstrip("/").split("/")
        folder = next((s for s in reversed(segments[:-1]) if s.startswith(prefix)), None)
        if folder is None:
            return None
        try:
            day = date.fromisoformat(unquote(folder[len(prefix) :]))
        except ValueError:
            return None
        groups[day].append(segments[-1])
    return {
        day: hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:16]
        for day, names in groups.items()
    }


def file_sets(spark: SparkSession, spec: TableSpec, df: DataFrame) -> dict[date, str] | None:
    """Return the date partitions of ``df`` (``spec``'s table as read) with their file keys.

    The files are listed before any figure is computed from ``df``: a write that lands in
    between is stored under the older key and so read again by the next run. None when the
    table is not partitioned by one date column, or has deletion vectors enabled (rows could then
    change while its file names stay): the caller reads it in full.
    """
    if len(spec.partition_by) != 1:
        return None
    if df.schema[spec.partition_by[0]].dataType.typeName() != "date":
        return None
    props = spark.sql(f"SHOW TBLPROPERTIES {spec.full_name}").collect()
    if any(r[0] == "delta.enableDeletionVectors" and str(r[1]).lower() == "true" for r in props):
        return None
    return partition_keys(df.inputFiles(), spec.partition_by[0])


def plan(
    current: dict[date, str], cached: dict[date, str], full: bool
) -> tuple[list[date], list[date]]:
    """Return (partitions to keep from the cache, partitions to read) for one source.

    Args:
        current: The table's partitions now, with their file keys.
        cached: The cache's partitions of this source (same logic), with their file keys.
        full: Ignore the cache (a full refresh).
    """
    if full:
        return [], sorted(current)
    keep = sorted(d for d, k in current.items() if cached.get(d) == k)
    read = sorted(d for d, k in current.items() if cached.get(d) != k)
    return keep, read


def only_days(df: DataFrame, column: str, days: Sequence[date], every: int) -> DataFrame:
    """Return ``df`` narrowed to the partitions ``days`` (all rows when they are all ``every``)."""
    from pyspark.sql import functions as F

    if len(days) == every:
        return df
    return df.where(F.col(column).isin(list(days)))

"""Per-partition figures of lake tables, kept while a partition's data files stay the same.

Some jobs need a figure over a whole table (``mart_update_status``: rows, latest date and
regions per source; ``dim_market``: every market name ever seen). Scanning the table on every
run costs time that grows with history, so each date partition's figures are kept in a
``kamis_ops`` table together with a key of the partition's data files. Delta never changes a data
file in place: any write that touches a partition (a daily replace, a late correction, a
``--full-refresh``, a compaction) gives it a new file set, so a partition whose key is unchanged
still holds the rows its figures were computed from. :func:`refresh` reads only the partitions
whose key changed (or that are new), keeps the others' figures and drops those of partitions gone.

Each cached row also holds a hash of how its figures are computed (``logic``: the caller's
expressions and :data:`LOGIC_VERSION`), so changing them recomputes that source everywhere.
Tables with deletion vectors would change rows without changing file names; the lake never
enables them, and a table that does is read in full on every run (see :func:`file_sets`).

A cache table (:func:`cache_table`) has the columns ``source_nm``, ``logic``, ``part_dt``,
``files_key`` and then the figures.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import unquote

from spark_jobs.lake import conform, publish, read_window
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

# Bump when the per-partition figures change meaning (every cached row is then recomputed).
LOGIC_VERSION = 1


def cache_table(
    name: str,
    figures: str,
    description: str,
    figure_docs: dict[str, str],
    not_null: tuple[str, ...],
) -> TableSpec:
    """Return the ``kamis_ops`` table of a cache: the key columns :func:`refresh` needs, then ``figures``.

    Args:
        name: Table name.
        figures: DDL of the figure columns.
        description: What the table holds.
        figure_docs: Column docs of the figure columns.
        not_null: Figure columns that are never null.
    """
    return TableSpec(
        layer="ops",
        name=name,
        schema=(
            "source_nm STRING NOT NULL, logic STRING NOT NULL, part_dt DATE NOT NULL, "
            f"files_key STRING NOT NULL, {figures}"
        ),
        description=description,
        grain=("source_nm", "part_dt"),
        not_null=("source_nm", "logic", "part_dt", "files_key", *not_null),
        column_docs={
            "logic": "hash of how the figures are computed (expressions, filters, version)",
            "part_dt": "the source table's partition (its one date partition column)",
            "files_key": "first 16 hex of sha256 of the partition's data file names, sorted",
            **figure_docs,
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


@dataclass(frozen=True)
class Tracked:
    """One table whose per-partition figures a cache keeps.

    Attributes:
        source_nm: The name its rows carry in the cache.
        spec: The table.
        logic: Key of how the figures are computed (:func:`logic_key` of the expressions).
        figures: Rows of the table (some or all partitions) → one row per partition: ``part_dt``
            and the cache's figure columns.
    """

    source_nm: str
    spec: TableSpec
    logic: str
    figures: Callable[[DataFrame], DataFrame]


@dataclass(frozen=True)
class Refreshed:
    """The cache's rows after a refresh (pinned: they no longer depend on the tables) and counts.

    Attributes:
        rows: Every tracked table's partition rows, as the cache now holds them.
        kept: Partitions whose figures were kept.
        read: Partitions read again.
        full_reads: Tables read in full (not trackable by partition).
    """

    rows: DataFrame
    kept: int
    read: int
    full_reads: tuple[str, ...]


def refresh(
    spark: SparkSession, cache: TableSpec, tracked: Sequence[Tracked], full: bool = False
) -> Refreshed:
    """Bring ``cache`` up to date for ``tracked`` and return its rows.

    Reads only the partitions whose data files changed since their figures were kept (all of
    them when ``full``, and the whole table when :func:`file_sets` cannot track it), keeps the
    other partitions' figures and drops those of partitions gone. Rows of sources not in
    ``tracked`` are dropped too.
    """
    from pyspark.sql import functions as F

    stored = read_window(spark, cache, None, None)
    cached: dict[tuple[str, str], dict[date, str]] = {}
    for r in stored.select("source_nm", "logic", "part_dt", "files_key").collect():
        cached.setdefault((r.source_nm, r.logic), {})[r.part_dt] = r.files_key
    keep_rows: list[tuple[str, str, date, str]] = []
    fresh = []
    kept = read = 0
    full_reads = []
    for t in tracked:
        df = read_window(spark, t.spec, None, None)
        current = file_sets(spark, t.spec, df)
        names = (F.lit(t.source_nm).alias("source_nm"), F.lit(t.logic).alias("logic"))
        if current is None:  # not trackable by partition: read it all, every time
            full_reads.append(t.source_nm)
            figures = t.figures(df).drop("source_nm", "logic")
            fresh.append(figures.select(*names, "*", F.lit("-").alias("files_key")))
            continue
        keep, todo = plan(current, cached.get((t.source_nm, t.logic), {}), full)
        keep_rows += [(t.source_nm, t.logic, d, current[d]) for d in keep]
        kept, read = kept + len(keep), read + len(todo)
        if todo:
            keys = spark.createDataFrame(
                [(d, current[d]) for d in todo], "part_dt DATE, files_key STRING"
            )
            part = t.spec.partition_by[0]
            figures = t.figures(only_days(df, part, todo, len(current))).drop("source_nm", "logic")
            fresh.append(figures.join(F.broadcast(keys), "part_dt").select(*names, "*"))
    wanted = spark.createDataFrame(
        keep_rows, "source_nm STRING, logic STRING, part_dt DATE, files_key STRING"
    )
    out = stored.join(F.broadcast(wanted), ["source_nm", "logic", "part_dt", "files_key"])
    for part in fresh:
        out = out.unionByName(part)
    out = conform(out, cache).localCheckpoint()
    publish(spark, cache, out, full_refresh=True)
    log.info(
        "%s: %d partitions kept, %d read, read in full: %s",
        cache.full_name,
        kept,
        read,
        ", ".join(full_reads) or "none",
    )
    return Refreshed(out, kept, read, tuple(full_reads))

"""The lake table contract: :class:`TableSpec` (database, name, grain, partitions, schema, checks).

Layer modules (``raw/tables.py``, ``silver/tables.py``, ``gold/tables.py``) declare their tables
with it; :mod:`spark_jobs.registry` collects them. This module imports nothing of the project, so
every layer may import it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql.types import StructType

LAYERS = ("raw", "silver", "gold")


@dataclass(frozen=True)
class TableSpec:
    """A lake table's contract.

    Attributes:
        layer: ``raw``, ``silver`` or ``gold``; the database is ``kamis_<layer>``.
        name: Table name, e.g. ``stg_daily_market_price``.
        schema: Spark DDL of the columns, partition columns included.
        description: One line on what a row is.
        grain: Columns that identify a row (uniqueness is audited).
        partition_by: Partition columns (stored in the path, not inside the data files).
        not_null: Columns that must not be null (Delta NOT NULL constraints).
        checks: Named SQL boolean expressions every row must satisfy (Delta CHECK constraints).
        date_column: The column incremental runs select and replace by.
        column_docs: Column → meaning/formula (documentation read by the dashboard too).
    """

    layer: str
    name: str
    schema: str
    description: str
    grain: tuple[str, ...] = ()
    partition_by: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()
    checks: dict[str, str] = field(default_factory=dict)
    date_column: str | None = None
    column_docs: dict[str, str] = field(default_factory=dict)

    @property
    def database(self) -> str:
        """Return the database, ``kamis_<layer>``."""
        return f"kamis_{self.layer}"

    @property
    def full_name(self) -> str:
        """Return ``database.name``."""
        return f"{self.database}.{self.name}"

    def struct(self) -> StructType:
        """Return the schema as a Spark StructType (needs pyspark)."""
        from pyspark.sql.types import StructType

        return StructType.fromDDL(self.schema)

    @property
    def columns(self) -> list[str]:
        """Return the column names in schema order (parsed from the DDL without Spark)."""
        return [c.strip().split()[0].strip("`") for c in split_ddl(self.schema)]


def split_ddl(ddl: str) -> list[str]:
    """Split a DDL column list on top-level commas (ignoring those inside ``<>``/``()``)."""
    parts, depth, cur = [], 0, []
    for ch in ddl:
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur))
    return [p for p in (s.strip() for s in parts) if p]


_split_ddl = split_ddl  # the name older callers import

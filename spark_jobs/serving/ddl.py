"""Arrow → SQL column types and the dashboard's filter indexes, shared by the serving stores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.types as pat

DATE_COLUMNS = ("res_dt", "week_start_dt", "snapshot_dt")
# A mart whose grain starts with its run day (the forecast marts: as_of_dt, then res_dt) is read by
# that day; it is its date column when it leads the columns, as in every such mart's contract.
LEADING_DATE_COLUMNS = ("as_of_dt", *DATE_COLUMNS)
ITEM_KEYS = (("item_cd", "kind_cd", "rank_cd"), ("item_cd", "kind_cd", "eco_rank_cd"), ("item_cd",))


class UnsupportedTypeError(TypeError):
    """A mart column has an Arrow type the serving stores do not take (lists, structs …)."""


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB and PostgreSQL (both follow the SQL standard)."""
    return '"' + name.replace('"', '""') + '"'


def sql_type(dtype: pa.DataType, column: str = "?") -> str:
    """Return the SQL type (valid in DuckDB and PostgreSQL) for an Arrow type.

    Raises:
        UnsupportedTypeError: Nested, binary and other types a mart should not hold.
    """
    if pat.is_string(dtype) or pat.is_large_string(dtype) or pat.is_string_view(dtype):
        return "TEXT"
    if pat.is_boolean(dtype):
        return "BOOLEAN"
    if pat.is_int8(dtype) or pat.is_int16(dtype):
        return "SMALLINT"
    if pat.is_int32(dtype):
        return "INTEGER"
    if pat.is_int64(dtype):
        return "BIGINT"
    if pat.is_float32(dtype):
        return "REAL"
    if pat.is_float64(dtype):
        return "DOUBLE PRECISION"
    if pat.is_decimal(dtype):
        return f"NUMERIC({dtype.precision},{dtype.scale})"
    if pat.is_date(dtype):
        return "DATE"
    if pat.is_timestamp(dtype):
        return "TIMESTAMPTZ" if dtype.tz else "TIMESTAMP"
    raise UnsupportedTypeError(f"column {column!r}: Arrow type {dtype} cannot be served")


def create_table_sql(table: str, schema: pa.Schema) -> str:
    """Return ``CREATE TABLE`` for an Arrow schema (NOT NULL kept from the fields' nullability)."""
    cols = []
    for f in schema:
        null = "" if f.nullable else " NOT NULL"
        cols.append(f"{quote_ident(f.name)} {sql_type(f.type, f.name)}{null}")
    return f"CREATE TABLE {quote_ident(table)} ({', '.join(cols)})"


@dataclass(frozen=True)
class IndexSpec:
    """An index on a mart: ``suffix`` names it (``ix_<mart>_<suffix>``), ``columns`` in order."""

    suffix: str
    columns: tuple[str, ...]

    def name(self, table: str) -> str:
        """Return the index name for ``table``."""
        return f"ix_{table}_{self.suffix}"

    def create_sql(self, table: str) -> str:
        """Return ``CREATE INDEX`` for ``table``."""
        cols = ", ".join(quote_ident(c) for c in self.columns)
        return f"CREATE INDEX {quote_ident(self.name(table))} ON {quote_ident(table)} ({cols})"


def date_column(columns: Sequence[str]) -> str | None:
    """Return the mart's date column (``res_dt``, ``week_start_dt`` …), if it has one.

    A leading ``as_of_dt`` (``mart_buy_timing``, ``mart_substitutes``, the forecast marts) wins
    over a later ``res_dt``: the dashboard picks those marts' newest run by it.
    """
    if columns and columns[0] in LEADING_DATE_COLUMNS:
        return columns[0]
    return next((c for c in DATE_COLUMNS if c in columns), None)


def sort_columns(columns: Sequence[str]) -> tuple[str, ...]:
    """Return the load order that clusters rows for the dashboard's filters (date, region)."""
    dt = date_column(columns)
    return tuple(c for c in (dt, "country_cd") if c and c in columns)


def index_specs(columns: Sequence[str]) -> list[IndexSpec]:
    """Return the indexes for the dashboard's filters on a mart with these columns.

    The dashboard filters by day (``res_dt`` / ``week_start_dt``: latest day, a day, a range), by
    region and day, and by item (item/kind/rank, with region and day for a series).
    """
    cols = set(columns)
    dt = date_column(columns)
    specs: list[IndexSpec] = []
    if dt:
        specs.append(IndexSpec("dt", (dt,)))
    if "country_cd" in cols:
        specs.append(IndexSpec("region", ("country_cd", *((dt,) if dt else ()))))
    item = next((k for k in ITEM_KEYS if set(k) <= cols), None)
    if item:
        extra = tuple(c for c in ("country_cd", dt) if c and c in cols)
        specs.append(IndexSpec("item", (*item, *extra)))
    return specs

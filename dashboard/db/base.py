"""The dashboard's database contract: named queries in, pandas DataFrames out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol, runtime_checkable

import pandas as pd


class QueryError(Exception):
    """A named query could not be prepared or run."""


class UnknownQueryError(QueryError, LookupError):
    """No ``dashboard/sql/<name>.sql`` for the requested name."""


class MissingParameterError(QueryError, ValueError):
    """A placeholder in the query has no value in ``params``."""


@runtime_checkable
class DatabaseConnection(Protocol):
    """What the app needs from a database: named queries, a data version, closing.

    ``run`` takes the name of a file under ``dashboard/sql`` (without ``.sql``) and the values of
    its ``:name`` placeholders; values are always bound by the driver, never formatted into SQL.
    A list or tuple value expands an ``IN (:name)`` into one bound placeholder per element.
    """

    backend: str

    def run(self, query_name: str, params: Mapping[str, object]) -> pd.DataFrame:
        """Run a named query with bound parameters and return its rows."""
        ...

    def data_version(self) -> str:
        """Return a string that changes whenever the served data changes (a publish)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def _first_value(s: pd.Series) -> object | None:
    """Return the first non-null value of an object column (None when all are null).

    Walks from the top and stops at the first value, instead of building the whole non-null
    column (``dropna``) for every text column of a large result.
    """
    for v in s.array:
        if v is None or v is pd.NaT or v is pd.NA:
            continue
        if isinstance(v, float | Decimal) and v != v:  # NaN
            continue
        return v
    return None


def normalize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Give every backend's result the same column types.

    Dates and timestamps become ``datetime64[ns]`` (time-zone aware ones converted to naive UTC),
    ``Decimal`` becomes float. Other columns are left as the driver returned them.
    """
    for col in df.columns:
        s = df[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            df[col] = s.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            df[col] = s.astype("datetime64[ns]")
        elif s.dtype == object:
            first = _first_value(s)
            if first is None:
                continue
            if isinstance(first, Decimal):
                df[col] = s.astype("float64")
            elif isinstance(first, dt.datetime):
                conv = pd.to_datetime(s, utc=first.tzinfo is not None)
                if first.tzinfo is not None:
                    conv = conv.dt.tz_localize(None)
                df[col] = conv.astype("datetime64[ns]")
            elif isinstance(first, dt.date):
                df[col] = pd.to_datetime(s).astype("datetime64[ns]")
    return df


def frame_from_rows(
    columns: list[str], rows: list[tuple], numeric: set[str] | frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Build a normalised DataFrame from DB-API rows.

    ``numeric`` names the columns the driver typed as numbers: when they hold NULLs (pandas then
    keeps Python objects) they become float64 with NaN, as DuckDB returns them.
    """
    df = pd.DataFrame.from_records(rows, columns=columns)
    for col in numeric:
        if col in df.columns and df[col].dtype == object:
            df[col] = pd.to_numeric(
                df[col].map(lambda v: None if v is None else float(v)), errors="coerce"
            ).astype("float64")
    return normalize_frame(df)

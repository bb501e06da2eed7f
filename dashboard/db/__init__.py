"""The dashboard's database layer: named queries on DuckDB, PostgreSQL, Trino or Athena.

``connect(profile)`` returns a :class:`DatabaseConnection`; ``cached_query`` caches its results by
data version and TTL.
"""

from dashboard.db.base import (
    DatabaseConnection,
    MissingParameterError,
    QueryError,
    UnknownQueryError,
)
from dashboard.db.cache import QueryCache, cached_query
from dashboard.db.factory import BACKENDS, connect

__all__ = [
    "BACKENDS",
    "DatabaseConnection",
    "MissingParameterError",
    "QueryCache",
    "QueryError",
    "UnknownQueryError",
    "cached_query",
    "connect",
]

"""The dashboard's database layer: named queries on DuckDB, PostgreSQL, Trino or Athena.

``connect(profile)`` returns a :class:`DatabaseConnection`. The app caches query results per data
version in ``dashboard/components/data.py`` (``st.cache_data``).
"""

from dashboard.db.base import (
    DatabaseConnection,
    MissingParameterError,
    QueryError,
    UnknownQueryError,
)
from dashboard.db.factory import BACKENDS, connect

__all__ = [
    "BACKENDS",
    "DatabaseConnection",
    "MissingParameterError",
    "QueryError",
    "UnknownQueryError",
    "connect",
]

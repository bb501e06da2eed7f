"""A base for backends: look up the named query, bind its parameters, run it, time it."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

import pandas as pd

from dashboard.db.queries import QueryCatalog
from dashboard.db.sqlbind import BoundQuery, bind

log = logging.getLogger(__name__)


class NamedQueryConnection:
    """Runs named queries through ``_execute``; subclasses set ``backend``/``dialect`` and implement it."""

    backend = "?"
    dialect = "duckdb"
    # sub-folder of the catalog whose queries replace the shared ones (None: the shared ones only)
    sql_variant: str | None = None

    def __init__(self, catalog: QueryCatalog | None = None) -> None:
        """Use ``catalog`` (default: ``dashboard/sql``)."""
        self.catalog = catalog or QueryCatalog()

    def prepare(self, query_name: str, params: Mapping[str, object]) -> BoundQuery:
        """Return the driver SQL and bound values this backend would run (no I/O besides reading the file)."""
        return bind(
            self.catalog.sql(query_name, self.sql_variant), params, self.dialect, query_name
        )

    def run(self, query_name: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        """Run a named query with bound parameters and return its rows."""
        bound = self.prepare(query_name, params or {})
        started = time.perf_counter()
        df = self._execute(bound)
        log.debug(
            "%s %s: %d rows in %.3f s",
            self.backend,
            query_name,
            len(df),
            time.perf_counter() - started,
        )
        return df

    def _execute(self, bound: BoundQuery) -> pd.DataFrame:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections (nothing by default)."""

    def __enter__(self) -> NamedQueryConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

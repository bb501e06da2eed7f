"""DuckDB backend: read-only connections to the serving file (``serving.path``)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pandas as pd

from dashboard.db.base import QueryError, normalize_frame
from dashboard.db.named import NamedQueryConnection
from dashboard.db.queries import QueryCatalog
from dashboard.db.sqlbind import BoundQuery

VERSION_SQL = "SELECT max(publish_id) FROM serving_meta"


class DuckDBConnection(NamedQueryConnection):
    """Reads the DuckDB serving store; follows a new publish at the next query.

    ``serving.path`` is a symlink that each publish swaps to a new file. Before every query the link
    is resolved; when it points somewhere new, a read-only connection to the new file replaces the
    old one, so a publish shows at once and a running query finishes on the file it started on.
    Each query runs on its own cursor, so one connection serves Streamlit's threads.
    """

    backend = "duckdb"
    dialect = "duckdb"

    def __init__(self, path: str | os.PathLike[str], catalog: QueryCatalog | None = None) -> None:
        """Open nothing yet; the first query connects."""
        super().__init__(catalog)
        self.path = Path(path)
        self._lock = threading.Lock()
        self._target: Path | None = None
        self._con = None
        self._retired: list[object] = []

    def _connection(self):
        import duckdb

        if not self.path.exists():
            raise QueryError(f"no serving store at {self.path}: run `jangbogi publish` first")
        target = self.path.resolve()
        with self._lock:
            if target != self._target or self._con is None:
                try:
                    con = duckdb.connect(str(target), read_only=True)
                except duckdb.IOException as e:
                    raise QueryError(f"cannot open serving store {target}: {e}") from e
                # keep the previous connection one more round: a query may still run on it
                for old in self._retired:
                    old.close()  # type: ignore[attr-defined]
                self._retired = [self._con] if self._con is not None else []
                self._con, self._target = con, target
            return self._con.cursor()

    def _query(self, sql: str, params: object = None) -> pd.DataFrame:
        import duckdb

        cur = self._connection()
        try:
            return cur.execute(sql, params).df()
        except duckdb.Error as e:
            raise QueryError(f"duckdb: {e}") from e
        finally:
            cur.close()

    def _execute(self, bound: BoundQuery) -> pd.DataFrame:
        return normalize_frame(self._query(bound.sql, bound.params))

    def data_version(self) -> str:
        """Return the latest publish id in ``serving_meta`` (with the file, so a swap always shows)."""
        df = self._query(VERSION_SQL)
        return f"{df.iat[0, 0]}@{self._target.name if self._target else ''}"

    def close(self) -> None:
        """Close every connection."""
        with self._lock:
            for c in [*self._retired, self._con]:
                if c is not None:
                    c.close()  # type: ignore[attr-defined]
            self._retired, self._con, self._target = [], None, None

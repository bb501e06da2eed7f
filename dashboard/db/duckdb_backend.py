"""DuckDB backend: read-only connections to the serving file (``serving.path``)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pandas as pd

from dashboard.db.base import QueryError, normalize_frame
from dashboard.db.named import NamedQueryConnection
from dashboard.db.queries import SERVING_VARIANT, QueryCatalog
from dashboard.db.sqlbind import BoundQuery

VERSION_SQL = "SELECT max(publish_id) FROM serving_meta"


class DuckDBConnection(NamedQueryConnection):
    """Reads the DuckDB serving store; follows a new publish at the next query.

    ``serving.path`` is a symlink that each publish swaps to a new file. Before every query the link
    is resolved; when it points somewhere new, the calling thread opens a read-only connection to
    the new file and closes its own old one, so a publish shows at once and a query in flight
    finishes on the file it started on. Each thread (each Streamlit session's script run) has its
    own connection: a DuckDB connection serves one call at a time, and closing a connection that
    another thread is still reading from fails that read.
    """

    backend = "duckdb"
    dialect = "duckdb"
    sql_variant = SERVING_VARIANT

    def __init__(self, path: str | os.PathLike[str], catalog: QueryCatalog | None = None) -> None:
        """Open nothing yet; each thread's first query connects."""
        super().__init__(catalog)
        self.path = Path(path)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._open: set[object] = set()  # every thread's connection, for close()

    @property
    def _target(self) -> Path | None:
        return getattr(self._local, "target", None)

    def _connection(self):
        import duckdb

        if not self.path.exists():
            raise QueryError(f"no serving store at {self.path}: run `jangbogi publish` first")
        target = self.path.resolve()
        local = self._local
        con = getattr(local, "con", None)
        if con is None or target != local.target:
            try:
                new = duckdb.connect(str(target), read_only=True)
            except duckdb.IOException as e:
                raise QueryError(f"cannot open serving store {target}: {e}") from e
            with self._lock:
                if con is not None:
                    self._open.discard(con)
                    con.close()  # this thread's own: nothing else runs on it
                self._open.add(new)
            local.con, local.target = new, target
        return local.con

    def _query(self, sql: str, params: object = None) -> pd.DataFrame:
        import duckdb

        con = self._connection()
        try:
            return con.execute(sql, params).df()
        except duckdb.Error as e:
            raise QueryError(f"duckdb: {e}") from e

    def _execute(self, bound: BoundQuery) -> pd.DataFrame:
        return normalize_frame(self._query(bound.sql, bound.params))

    def data_version(self) -> str:
        """Return the latest publish id in ``serving_meta`` (with the file, so a swap always shows)."""
        df = self._query(VERSION_SQL)
        return f"{df.iat[0, 0]}@{self._target.name if self._target else ''}"

    def close(self) -> None:
        """Close every thread's connection (call when no query runs any more)."""
        with self._lock:
            for c in self._open:
                c.close()  # type: ignore[attr-defined]
            self._open.clear()
        self._local = threading.local()

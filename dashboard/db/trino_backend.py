"""Trino backend: named queries on the lake through Trino (catalog ``delta``, schema ``kamis_gold``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pandas as pd

from dashboard.db.base import QueryError, frame_from_rows
from dashboard.db.named import NamedQueryConnection
from dashboard.db.queries import QueryCatalog
from dashboard.db.sqlbind import BoundQuery

VERSION_SQL = "SELECT max(data_version) FROM mart_update_status"


class TrinoConnection(NamedQueryConnection):
    """Runs named queries through the ``trino`` DB-API client.

    Placeholders become ``?`` and the values go to ``cursor.execute(sql, params)``: the client sends
    them as a prepared statement (``EXECUTE … USING``), never inside the query text.
    """

    backend = "trino"
    dialect = "trino"

    def __init__(
        self,
        host: str,
        port: int = 8080,
        user: str = "jangbogi",
        catalog: str = "delta",
        schema: str = "kamis_gold",
        http_scheme: str = "http",
        queries: QueryCatalog | None = None,
        connect_fn: Callable[..., object] | None = None,
        version_ttl_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Connect lazily; ``connect_fn`` defaults to ``trino.dbapi.connect`` (tests pass a fake)."""
        super().__init__(queries)
        self.settings = {
            "host": host,
            "port": int(port),
            "user": user,
            "catalog": catalog,
            "schema": schema,
            "http_scheme": http_scheme,
        }
        self._connect_fn = connect_fn
        self._conn = None
        self._lock = threading.Lock()
        self._version: tuple[float, str] | None = None
        self.version_ttl_s = version_ttl_s
        self._clock = clock

    def _connection(self):
        with self._lock:
            if self._conn is None:
                if self._connect_fn is None:
                    import trino

                    self._connect_fn = trino.dbapi.connect
                self._conn = self._connect_fn(**self.settings)
            return self._conn

    def _query(self, sql: str, params: list[object] | None) -> pd.DataFrame:
        cur = self._connection().cursor()  # type: ignore[attr-defined]
        try:
            if params:
                cur.execute(sql, params)
            else:
                cur.execute(sql)
            rows = cur.fetchall()
            cols = [d[0] for d in cur.description]
        except Exception as e:  # the client raises its own hierarchy (TrinoQueryError, HTTP errors)
            raise QueryError(f"trino: {e}") from e
        return frame_from_rows(cols, [tuple(r) for r in rows])

    def _execute(self, bound: BoundQuery) -> pd.DataFrame:
        return self._query(bound.sql, list(bound.params))  # type: ignore[arg-type]

    def data_version(self) -> str:
        """Return ``max(data_version)`` of ``mart_update_status``, re-read at most every ``version_ttl_s``."""
        now = self._clock()
        if self._version is None or now - self._version[0] >= self.version_ttl_s:
            self._version = (now, str(self._query(VERSION_SQL, None).iat[0, 0]))
        return self._version[1]

    def close(self) -> None:
        """Close the client connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()  # type: ignore[attr-defined]
                self._conn = None

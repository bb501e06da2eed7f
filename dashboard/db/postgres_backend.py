"""PostgreSQL backend (psycopg2): a small thread-safe pool of read-only, autocommit connections."""

from __future__ import annotations

import threading

import pandas as pd

from dashboard.db.base import QueryError, frame_from_rows
from dashboard.db.named import NamedQueryConnection
from dashboard.db.pg_copy import NUMERIC_OIDS, Shape, copy_frame, describe
from dashboard.db.queries import SERVING_VARIANT, QueryCatalog
from dashboard.db.sqlbind import BoundQuery

VERSION_SQL = "SELECT max(publish_id) FROM serving_meta"


class PostgresConnection(NamedQueryConnection):
    """Runs named queries on the PostgreSQL serving store (``serving.dsn``)."""

    backend = "postgres"
    dialect = "postgres"
    sql_variant = SERVING_VARIANT

    def __init__(
        self,
        dsn: str,
        catalog: QueryCatalog | None = None,
        schema: str = "public",
        statement_timeout_ms: int = 15_000,
        max_connections: int = 4,
        copy_results: bool = True,
    ) -> None:
        """Connect lazily to ``dsn``; queries time out after ``statement_timeout_ms``.

        ``copy_results`` reads results through COPY (:mod:`dashboard.db.pg_copy`), about three
        times faster on large ones; False fetches them row by row.
        """
        super().__init__(catalog)
        self.dsn = dsn
        self.schema = schema
        self.statement_timeout_ms = statement_timeout_ms
        self.max_connections = max_connections
        self.copy_results = copy_results
        self._pool = None
        self._lock = threading.Lock()
        # psycopg2's pool raises PoolError when every connection is out: more sessions than
        # connections wait their turn here instead.
        self._slots = threading.BoundedSemaphore(max_connections)
        # Each COPY read needs its result's column types: asked once per SQL text (and the
        # parameters' Python types), kept until the serving store's version changes.
        self._shapes: dict[tuple[str, tuple[str, ...]], Shape] = {}
        self._shapes_version: str | None = None

    def _get_pool(self):
        from psycopg2.pool import ThreadedConnectionPool

        with self._lock:
            if self._pool is None:
                # JIT costs more than it saves on the dashboard's short, indexed queries. The
                # serving tables are read from memory (or SSD): at the default random_page_cost
                # (4, spinning disks) PostgreSQL walks the date index of mart_price_trend over 21
                # days of every region (25 ms at 1 year) instead of the region's own (country_cd,
                # res_dt) entries (1.5 ms), as the date index follows the table's row order.
                options = (
                    f"-c statement_timeout={int(self.statement_timeout_ms)} -c search_path={self.schema}"
                    " -c jit=off -c random_page_cost=1.1 -c DateStyle=ISO"
                )
                self._pool = ThreadedConnectionPool(
                    1, self.max_connections, self.dsn, options=options
                )
            return self._pool

    def _query(self, sql: str, params: object = None) -> pd.DataFrame:

        pool = self._get_pool()
        with self._slots:
            return self._query_on(pool, sql, params)

    def _query_on(self, pool, sql: str, params: object) -> pd.DataFrame:
        import psycopg2

        conn = pool.getconn()
        broken = False
        try:
            conn.set_session(readonly=True, autocommit=True)
            with conn.cursor() as cur:
                if self.copy_results:
                    df = self._copy(cur, sql, params)
                    if df is not None:
                        return df
                cur.execute(sql, params)
                cols = [d.name for d in cur.description]
                numeric = {d.name for d in cur.description if d.type_code in NUMERIC_OIDS}
                rows = cur.fetchall()
            return frame_from_rows(cols, rows, numeric)
        except psycopg2.Error as e:
            broken = conn.closed != 0
            raise QueryError(f"postgres: {str(e).strip()}") from e
        finally:
            pool.putconn(conn, close=broken)

    def _copy(self, cur, sql: str, params: object) -> pd.DataFrame | None:
        """Read through COPY with the result's cached shape (asked again when it no longer fits)."""
        import pyarrow as pa

        values = params.values() if isinstance(params, dict) else params or ()
        key = (sql, tuple(type(v).__name__ for v in values))
        shape = self._shapes.get(key)
        if shape is not None:
            try:
                return copy_frame(cur, sql, params, shape)
            except pa.ArrowInvalid:
                pass  # the table changed under the cache (a publish of another version)
        shape = describe(cur, sql, params)
        self._shapes[key] = shape
        return copy_frame(cur, sql, params, shape)

    def _execute(self, bound: BoundQuery) -> pd.DataFrame:
        return self._query(bound.sql, bound.params)

    def data_version(self) -> str:
        """Return the latest publish id in ``serving_meta`` (a new one empties the shape cache)."""
        version = str(self._query(VERSION_SQL).iat[0, 0])
        if version != self._shapes_version:
            self._shapes.clear()
            self._shapes_version = version
        return version

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            if self._pool is not None:
                self._pool.closeall()
                self._pool = None

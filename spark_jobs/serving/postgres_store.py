"""PostgreSQL serving store: load into ``<mart>__new`` tables, then swap all in one transaction."""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.csv as pacsv

from spark_jobs.serving.ddl import create_table_sql, index_specs, quote_ident
from spark_jobs.serving.meta import META_SCHEMA, META_TABLE, MetaRow, meta_table
from spark_jobs.serving.source import MartData

log = logging.getLogger(__name__)

NEW_SUFFIX = "__new"
# Any 64-bit key works; it only serialises publishers against each other.
_PUBLISH_LOCK_KEY = 0x6A616E67  # "jang"
_COPY_BATCH_ROWS = 200_000


def mask_dsn(dsn: str) -> str:
    """Return the DSN with any password replaced by ``***`` (URL and key=value forms)."""
    dsn = re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", dsn)
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", dsn, flags=re.IGNORECASE)


def copy_arrow(
    cur: object,
    table: str,
    data: pa.Table | pa.RecordBatchReader,
    batch_rows: int = _COPY_BATCH_ROWS,
) -> int:
    """Stream Arrow data into ``table`` with ``COPY … FROM STDIN (FORMAT csv)``.

    Arrow's CSV writer leaves nulls unquoted-empty and quotes empty strings, which is exactly how
    PostgreSQL's CSV COPY tells NULL from ''. Returns the number of rows copied.
    """
    cols = ", ".join(quote_ident(n) for n in data.schema.names)
    sql = f"COPY {quote_ident(table)} ({cols}) FROM STDIN WITH (FORMAT csv)"
    batches = data.to_batches(max_chunksize=batch_rows) if isinstance(data, pa.Table) else data
    opts = pacsv.WriteOptions(include_header=False)
    total = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        buf = io.BytesIO()
        pacsv.write_csv(batch, buf, opts)
        buf.seek(0)
        cur.copy_expert(sql, buf)  # type: ignore[attr-defined]
        total += batch.num_rows
    return total


class PostgresStore:
    """Publishes marts to a PostgreSQL database (``serving.dsn``), schema ``serving.schema`` or public."""

    kind = "postgres"

    def __init__(
        self, dsn: str, schema: str = "public", lock_timeout_ms: int = 300, swap_attempts: int = 200
    ) -> None:
        """Remember where to publish; connects per publish."""
        self.dsn = dsn
        self.schema = schema
        self.lock_timeout_ms = lock_timeout_ms
        self.swap_attempts = swap_attempts

    def describe(self) -> str:
        """Return the target without secrets."""
        return mask_dsn(self.dsn)

    def _connect(self):
        import psycopg2

        conn = psycopg2.connect(self.dsn)
        with conn.cursor() as cur:
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(self.schema)}")
            cur.execute(f"SET search_path TO {quote_ident(self.schema)}")
        conn.commit()
        return conn

    def publish(self, marts: Sequence[MartData], meta: Sequence[MetaRow]) -> None:
        """Load every mart (and the new ``serving_meta``) into ``<table>__new``, then swap them all at once.

        Loading commits per table into staging tables readers never query. The swap transaction
        takes ACCESS EXCLUSIVE locks on every old table in one statement, drops them and renames
        the staging tables and their indexes: a reader sees all old tables or all new ones. The
        swap gives up its locks after ``lock_timeout`` and retries, so a long reader query delays
        the swap (it never fails or sees a mix) and a reader is never picked as a deadlock victim.
        """
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_lock(%s)", (_PUBLISH_LOCK_KEY,))
            conn.commit()
            for mart in marts:
                self._load_staging(conn, mart.name, mart.table)
            self._stage_meta(conn, meta)
            self._swap(conn, [*(m.name for m in marts), META_TABLE])
        except BaseException:
            conn.rollback()
            raise
        finally:
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(%s)", (_PUBLISH_LOCK_KEY,))
                conn.commit()
            finally:
                conn.close()

    def _load_staging(self, conn: object, name: str, data: pa.Table | pa.RecordBatchReader) -> None:
        staging = name + NEW_SUFFIX
        with conn.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute(f"DROP TABLE IF EXISTS {quote_ident(staging)}")
            cur.execute(create_table_sql(staging, data.schema))
            rows = copy_arrow(cur, staging, data)
            for ix in index_specs(data.schema.names):
                cur.execute(ix.create_sql(staging))
            cur.execute(f"ANALYZE {quote_ident(staging)}")
        conn.commit()  # type: ignore[attr-defined]
        log.info("staged %s: %d rows", name, rows)

    def _existing(self, cur: object, names: Sequence[str]) -> list[str]:
        cur.execute(  # type: ignore[attr-defined]
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)",
            (self.schema, list(names)),
        )
        found = {r[0] for r in cur.fetchall()}  # type: ignore[attr-defined]
        return [n for n in names if n in found]

    def _stage_meta(self, conn: object, meta: Sequence[MetaRow]) -> None:
        """Build ``serving_meta__new``: this publish's rows plus the previous rows of marts not rebuilt."""
        staging = META_TABLE + NEW_SUFFIX
        with conn.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute(f"DROP TABLE IF EXISTS {staging}")
            cur.execute(create_table_sql(staging, META_SCHEMA))
            copy_arrow(cur, staging, meta_table(list(meta)))
            if self._existing(cur, [META_TABLE]):
                cols = ", ".join(META_SCHEMA.names)
                cur.execute(
                    f"INSERT INTO {staging} ({cols}) SELECT {cols} FROM {META_TABLE} WHERE mart <> ALL(%s)",
                    ([m.mart for m in meta],),
                )
        conn.commit()  # type: ignore[attr-defined]

    def _swap(self, conn: object, names: Sequence[str]) -> None:
        import psycopg2.errors

        for attempt in range(self.swap_attempts):
            try:
                with conn.cursor() as cur:  # type: ignore[attr-defined]
                    cur.execute(f"SET LOCAL lock_timeout = '{int(self.lock_timeout_ms)}ms'")
                    old = self._existing(cur, names)
                    if old:
                        cur.execute(
                            f"LOCK TABLE {', '.join(quote_ident(n) for n in old)} IN ACCESS EXCLUSIVE MODE"
                        )
                    for name in names:
                        self._swap_one(cur, name)
                conn.commit()  # type: ignore[attr-defined]
                return
            except psycopg2.errors.LockNotAvailable:
                conn.rollback()  # type: ignore[attr-defined]
                log.info("swap waited for readers (attempt %d); retrying", attempt + 1)
                time.sleep(min(0.02 * 2**attempt, 1.0))
        raise TimeoutError(f"could not lock the serving tables after {self.swap_attempts} attempts")

    def _swap_one(self, cur: object, name: str) -> None:
        staging = name + NEW_SUFFIX
        cur.execute(f"DROP TABLE IF EXISTS {quote_ident(name)}")  # type: ignore[attr-defined]
        cur.execute(f"ALTER TABLE {quote_ident(staging)} RENAME TO {quote_ident(name)}")  # type: ignore[attr-defined]
        cur.execute(  # type: ignore[attr-defined]
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = %s",
            (self.schema, name),
        )
        prefix = f"ix_{staging}_"
        for (ix,) in cur.fetchall():  # type: ignore[attr-defined]
            if ix.startswith(prefix):
                new = f"ix_{name}_{ix[len(prefix) :]}"
                cur.execute(f"ALTER INDEX {quote_ident(ix)} RENAME TO {quote_ident(new)}")  # type: ignore[attr-defined]

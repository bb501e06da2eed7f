"""PostgreSQL serving store: load into ``<mart>__new`` tables, then swap all in one transaction.

Loading streams each mart with one ``COPY … FROM STDIN (FORMAT csv, FREEZE)``: a thread turns
Arrow batches into CSV (and pulls them from the source, e.g. a generator) while the server parses
the previous chunk, and the mart's indexes are built on a second connection while the next mart
is copied. Readers never see the staging tables; the swap is unchanged. The derived serving tables
(:mod:`spark_jobs.serving.derived`) are staged from the staged and the live marts and swapped in
with them.
"""

from __future__ import annotations

import io
import logging
import queue
import re
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pyarrow as pa
import pyarrow.csv as pacsv

from spark_jobs.serving.ddl import create_table_sql, index_specs, quote_ident
from spark_jobs.serving.derived import DERIVED
from spark_jobs.serving.meta import META_SCHEMA, META_TABLE, MetaRow, meta_table
from spark_jobs.serving.source import MartData

log = logging.getLogger(__name__)

NEW_SUFFIX = "__new"
# Any 64-bit key works; it only serialises publishers against each other.
_PUBLISH_LOCK_KEY = 0x6A616E67  # "jang"
_COPY_BATCH_ROWS = 100_000  # rows per CSV chunk
_QUEUE_CHUNKS = 4  # CSV chunks buffered ahead of the server
_READ_SIZE = 1 << 20  # bytes psycopg2 asks for per read


def mask_dsn(dsn: str) -> str:
    """Return the DSN with any password replaced by ``***`` (URL and key=value forms)."""
    dsn = re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", dsn)
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", dsn, flags=re.IGNORECASE)


def _batches(data: pa.Table | pa.RecordBatchReader, batch_rows: int) -> Iterable[pa.RecordBatch]:
    if isinstance(data, pa.Table):
        return data.to_batches(max_chunksize=batch_rows)
    return data


class CsvStream(io.RawIOBase):
    """A read-only file of CSV bytes for ``copy_expert``, written by a producer thread.

    The thread pulls Arrow batches (running whatever produces them) and writes each as CSV while
    the server parses the previous one. Arrow's CSV writer leaves nulls unquoted-empty and quotes
    every string (empty ones as ``""``), which is exactly how PostgreSQL's CSV COPY tells NULL
    from ''; quotes, commas, tabs, newlines and backslashes inside quotes are plain data.
    """

    def __init__(
        self,
        data: pa.Table | pa.RecordBatchReader,
        batch_rows: int = _COPY_BATCH_ROWS,
        depth: int = _QUEUE_CHUNKS,
    ) -> None:
        """Start the producer thread over ``data``."""
        super().__init__()
        self.rows = 0
        self._queue: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=depth)
        self._pending = memoryview(b"")
        self._done = False
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._produce, args=(_batches(data, batch_rows),), daemon=True
        )
        self._thread.start()

    def _put(self, item: bytes | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self, batches: Iterable[pa.RecordBatch]) -> None:
        opts = pacsv.WriteOptions(include_header=False)
        try:
            for batch in batches:
                if batch.num_rows == 0:
                    continue
                sink = io.BytesIO()
                pacsv.write_csv(batch, sink, opts)
                if not self._put(sink.getvalue()):
                    return
                self.rows += batch.num_rows
            self._put(None)
        except BaseException as err:  # handed to the reader, which raises it in COPY's thread
            self._put(err)

    def readable(self) -> bool:
        """Return True (a read-only stream)."""
        return True

    def read(self, size: int = -1) -> bytes:
        """Return up to ``size`` bytes of CSV (all buffered bytes when negative), b'' at the end.

        Raises:
            BaseException: Whatever the producer raised (reading the source or writing CSV).
        """
        while not self._pending and not self._done:
            item = self._queue.get()
            if item is None:
                self._done = True
            elif isinstance(item, BaseException):
                self._done = True
                raise item
            else:
                self._pending = memoryview(item)
        n = len(self._pending) if size is None or size < 0 else size
        chunk, self._pending = self._pending[:n], self._pending[n:]
        return bytes(chunk)

    def close(self) -> None:
        """Stop the producer (if COPY ended early) and wait for it."""
        self._stop.set()
        self._thread.join()
        super().close()


def copy_arrow(
    cur: object,
    table: str,
    data: pa.Table | pa.RecordBatchReader,
    batch_rows: int = _COPY_BATCH_ROWS,
    freeze: bool = False,
) -> int:
    """Stream Arrow data into ``table`` with one ``COPY … FROM STDIN WITH (FORMAT csv)``.

    Args:
        cur: A psycopg2 cursor.
        table: Target table (its columns named like the data's).
        data: The rows; a reader is consumed once.
        batch_rows: Rows per CSV chunk.
        freeze: Add ``FREEZE`` (rows written frozen and all-visible, so readers skip hint-bit
            writes and can use index-only scans); the table must be created in this transaction.

    Returns:
        The number of rows copied.
    """
    cols = ", ".join(quote_ident(n) for n in data.schema.names)
    opts = "FORMAT csv, FREEZE" if freeze else "FORMAT csv"
    sql = f"COPY {quote_ident(table)} ({cols}) FROM STDIN WITH ({opts})"
    stream = CsvStream(data, batch_rows)
    try:
        cur.copy_expert(sql, stream, size=_READ_SIZE)  # type: ignore[attr-defined]
    finally:
        stream.close()
    return stream.rows


class PostgresStore:
    """Publishes marts to a PostgreSQL database (``serving.dsn``), schema ``serving.schema`` or public."""

    kind = "postgres"

    def __init__(
        self,
        dsn: str,
        schema: str = "public",
        lock_timeout_ms: int = 300,
        swap_attempts: int = 200,
        background_indexes: bool = True,
    ) -> None:
        """Remember where to publish; connects per publish.

        Args:
            dsn: libpq connection string or URL.
            schema: Schema of the serving tables (created if missing).
            lock_timeout_ms: How long one swap attempt waits for readers' locks.
            swap_attempts: Swap attempts before giving up.
            background_indexes: Build a mart's indexes on a second connection while the next
                mart is copied (False: one connection, index right after each COPY).
        """
        self.dsn = dsn
        self.schema = schema
        self.lock_timeout_ms = lock_timeout_ms
        self.swap_attempts = swap_attempts
        self.background_indexes = background_indexes

    def describe(self) -> str:
        """Return the target without secrets."""
        return mask_dsn(self.dsn)

    def _connect(self):
        import psycopg2

        conn = psycopg2.connect(self.dsn)
        conn.set_client_encoding("UTF8")  # the CSV we send is UTF-8 whatever the server's default
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
        indexer = _Indexer(self._connect if self.background_indexes else None)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_lock(%s)", (_PUBLISH_LOCK_KEY,))
            conn.commit()
            for mart in marts:
                self._load_staging(conn, mart.name, mart.table)
                indexer.submit(conn, mart.name + NEW_SUFFIX, mart.table.schema.names)
            indexer.wait()
            self._stage_derived(conn, {m.name for m in marts})
            self._stage_meta(conn, meta)
            self._swap(conn, [*(m.name for m in marts), *(d.name for d in DERIVED), META_TABLE])
        except BaseException:
            conn.rollback()
            raise
        finally:
            try:
                indexer.close()
                with conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(%s)", (_PUBLISH_LOCK_KEY,))
                conn.commit()
            finally:
                conn.close()

    def _load_staging(self, conn: object, name: str, data: pa.Table | pa.RecordBatchReader) -> None:
        """Create ``<name>__new`` and COPY the rows in, in one transaction (so FREEZE applies)."""
        staging = name + NEW_SUFFIX
        started = time.perf_counter()
        with conn.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute(f"DROP TABLE IF EXISTS {quote_ident(staging)}")
            cur.execute(create_table_sql(staging, data.schema))
            rows = copy_arrow(cur, staging, data, freeze=True)
        conn.commit()  # type: ignore[attr-defined]
        secs = time.perf_counter() - started
        log.info(
            "copied %s: %d rows in %.1f s (%.0f rows/s)", name, rows, secs, rows / max(secs, 1e-9)
        )

    def _existing(self, cur: object, names: Sequence[str]) -> list[str]:
        cur.execute(  # type: ignore[attr-defined]
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)",
            (self.schema, list(names)),
        )
        found = {r[0] for r in cur.fetchall()}  # type: ignore[attr-defined]
        return [n for n in names if n in found]

    def _stage_derived(self, conn: object, published: set[str]) -> None:
        """Build ``<derived>__new`` from the staged marts and the live ones not published now.

        A derived table whose marts are not all there, or whose query fails on them, gets no
        staging table; the swap then drops the live one (it would describe other marts).
        """
        import psycopg2

        with conn.cursor() as cur:  # type: ignore[attr-defined]
            for d in DERIVED:
                staging = d.name + NEW_SUFFIX
                cur.execute(f"DROP TABLE IF EXISTS {quote_ident(staging)}")
                sources = d.sources()
                staged = {s for s in sources if s in published}
                live = set(self._existing(cur, sorted(sources - staged)))
                missing = sources - staged - live
                if missing:
                    log.warning("%s not built: no %s", d.name, ", ".join(sorted(missing)))
                    continue
                rename = {s: s + NEW_SUFFIX for s in staged}
                started = time.perf_counter()
                cur.execute("SAVEPOINT derive")
                try:
                    cur.execute(
                        f"CREATE TABLE {quote_ident(staging)} AS {d.select_sql('postgres', rename)}"
                    )
                except psycopg2.Error as err:  # fails on these marts: the dashboard's would too
                    cur.execute("ROLLBACK TO SAVEPOINT derive")
                    log.warning("%s not built: %s", d.name, str(err).strip())
                    continue
                log.info("derived %s in %.1f s", d.name, time.perf_counter() - started)
        conn.commit()  # type: ignore[attr-defined]

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
        """Replace ``name`` by ``<name>__new``; with no staging table (a derived table not built) drop it."""
        staging = name + NEW_SUFFIX
        cur.execute(f"DROP TABLE IF EXISTS {quote_ident(name)}")  # type: ignore[attr-defined]
        if not self._existing(cur, [staging]):
            return
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


def build_indexes(conn: object, table: str, columns: Sequence[str]) -> None:
    """Create the dashboard's filter indexes on a loaded staging table, ANALYZE it and commit."""
    started = time.perf_counter()
    with conn.cursor() as cur:  # type: ignore[attr-defined]
        for ix in index_specs(columns):
            cur.execute(ix.create_sql(table))
        cur.execute(f"ANALYZE {quote_ident(table)}")
    conn.commit()  # type: ignore[attr-defined]
    log.info("indexed %s in %.1f s", table, time.perf_counter() - started)


class _Indexer:
    """Builds staging tables' indexes: inline, or on its own connection in one background thread.

    Jobs run one at a time in submission order; :meth:`wait` returns when all are done and raises
    the first failure (a failure also surfaces at the next :meth:`submit`).
    """

    def __init__(self, connect: object | None) -> None:
        self._connect = connect
        self._conn: object | None = None
        self._pool = ThreadPoolExecutor(1, "pg-index") if connect else None
        self._jobs: list[Future[None]] = []

    def _run(self, table: str, columns: Sequence[str]) -> None:
        if self._conn is None:
            self._conn = self._connect()  # type: ignore[misc, operator]
        try:
            build_indexes(self._conn, table, columns)
        except BaseException:
            self._conn.rollback()  # type: ignore[attr-defined]
            raise

    def submit(self, conn: object, table: str, columns: Sequence[str]) -> None:
        """Index ``table`` now on ``conn`` (inline) or queue it for the background connection."""
        if self._pool is None:
            build_indexes(conn, table, columns)
            return
        for job in self._jobs:
            if job.done():
                job.result()  # raise a failed build now rather than after every COPY
        self._jobs.append(self._pool.submit(self._run, table, list(columns)))

    def wait(self) -> None:
        """Wait for every queued build; raise the first failure."""
        for job in self._jobs:
            job.result()

    def close(self) -> None:
        """Drop queued builds, wait for a running one, close the background connection."""
        if self._pool is not None:
            for job in self._jobs:
                job.cancel()
            self._pool.shutdown(wait=True)
        if self._conn is not None:
            self._conn.close()  # type: ignore[attr-defined]
            self._conn = None

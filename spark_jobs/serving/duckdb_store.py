"""DuckDB serving store: each publish writes a new database file, then swaps a symlink atomically.

DuckDB lets one process write a file only while no other process has it open, so an in-place
swap would fail (or stall the dashboard) whenever a dashboard holds the file. Instead every publish
builds ``<stem>.<publish_id>.duckdb`` next to ``serving.path`` — marts loaded from the lake, marts
not rebuilt this time copied from the previous file — and then replaces the symlink at
``serving.path`` with ``os.replace`` (atomic on POSIX). A reader resolves the link when it
connects: it sees the previous file or the new one, never a mix, and an open connection keeps its
file until it closes. The two newest files are kept, older ones removed. The derived serving tables
(:mod:`spark_jobs.serving.derived`) are rebuilt in the new file from its marts before the swap.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa

from spark_jobs.config import resolve_dir
from spark_jobs.serving.ddl import index_specs, quote_ident, sort_columns
from spark_jobs.serving.derived import DERIVED, DERIVED_NAMES
from spark_jobs.serving.meta import META_TABLE, MetaRow, meta_table
from spark_jobs.serving.source import MartData

log = logging.getLogger(__name__)


def current_file(path: str | os.PathLike[str]) -> Path | None:
    """Return the database file ``path`` points at now (following the symlink), or None."""
    p = Path(path)
    if not p.exists():
        return None
    return p.resolve()


def _version_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.*{path.suffix}"))


@contextlib.contextmanager
def _publish_lock(path: Path) -> Iterator[None]:
    """Serialise publishers of the same store (readers never take this lock)."""
    lock = path.with_name(path.name + ".lock")
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def load_table(con: object, name: str, data: pa.Table | pa.RecordBatchReader) -> None:
    """Create ``name`` from Arrow data, rows ordered by date and region (zonemaps), plus its indexes."""
    con.register("__jbg_src", data)  # type: ignore[attr-defined]
    try:
        order = sort_columns(data.schema.names)
        order_sql = f" ORDER BY {', '.join(quote_ident(c) for c in order)}" if order else ""
        con.execute(f"CREATE TABLE {quote_ident(name)} AS SELECT * FROM __jbg_src{order_sql}")  # type: ignore[attr-defined]
    finally:
        con.unregister("__jbg_src")  # type: ignore[attr-defined]
    create_indexes(con, name)


def create_indexes(con: object, name: str) -> None:
    """Create the dashboard's filter indexes on an existing table."""
    cols = [r[0] for r in con.execute(f"DESCRIBE {quote_ident(name)}").fetchall()]  # type: ignore[attr-defined]
    for ix in index_specs(cols):
        con.execute(ix.create_sql(name))  # type: ignore[attr-defined]


def derive_tables(con: object) -> None:
    """Build every derived serving table whose marts are all in the database (see ``derived``).

    A derived table whose query fails on the marts (a mart of another shape) is left out with a
    warning, like one whose marts are missing: the dashboard's query then fails as the lake
    query would, and the publish goes on.
    """
    import duckdb

    tables = {
        r[0]
        for r in con.execute(  # type: ignore[attr-defined]
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema = 'main'"
        ).fetchall()
    }
    for d in DERIVED:
        con.execute(f"DROP TABLE IF EXISTS {quote_ident(d.name)}")  # type: ignore[attr-defined]
        missing = d.sources() - tables
        if missing:
            log.warning("%s not built: no %s", d.name, ", ".join(sorted(missing)))
            continue
        try:
            con.execute(f"CREATE TABLE {quote_ident(d.name)} AS {d.select_sql('duckdb')}")  # type: ignore[attr-defined]
        except duckdb.Error as err:  # the query fails on these marts: the dashboard's would too
            log.warning("%s not built: %s", d.name, err)


class DuckDBStore:
    """Publishes marts to the DuckDB file at ``serving.path``."""

    kind = "duckdb"

    def __init__(self, path: str | os.PathLike[str], memory_limit: str | None = None) -> None:
        """Remember the serving path (a symlink to the current version file once published).

        The directory is resolved, the link itself never: version files, the lock and the link
        are named after ``serving.path``, so following the link here would name the next version
        after the previous one (names growing by a publish id each time, links chaining, the
        lock moving to a new file).

        Args:
            path: ``serving.path``.
            memory_limit: DuckDB ``memory_limit`` while publishing (e.g. ``"6GB"``; default
                DuckDB's own, 80 % of RAM): sorting a mart of years spills to disk beyond it
                instead of competing with other processes for memory.
        """
        self.path = resolve_dir(Path(path))
        self.memory_limit = memory_limit

    def describe(self) -> str:
        """Return the serving path."""
        return str(self.path)

    def publish(self, marts: Sequence[MartData], meta: Sequence[MetaRow]) -> None:
        """Write a new version file with every mart and swap it in atomically."""
        import duckdb

        self.path.parent.mkdir(parents=True, exist_ok=True)
        publish_id = meta[0].publish_id if meta else "empty"
        with _publish_lock(self.path):
            previous = current_file(self.path)
            new_file = self.path.with_name(
                f"{self.path.stem}.{_safe(publish_id)}{self.path.suffix}"
            )
            new_file.unlink(missing_ok=True)
            config = {"memory_limit": self.memory_limit} if self.memory_limit else {}
            con = duckdb.connect(str(new_file), config=config)
            try:
                con.execute("SET preserve_insertion_order = true")
                published = {m.name for m in marts}
                for mart in marts:
                    load_table(con, mart.name, mart.table)
                    log.info("loaded %s", mart.name)
                self._carry_over(con, previous, published)
                derive_tables(con)
                self._write_meta(con, previous, meta)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            self._swap_link(new_file)
            self._cleanup(keep={new_file, *([previous] if previous else [])})

    @staticmethod
    def _carry_over(con: object, previous: Path | None, published: set[str]) -> None:
        """Copy the tables this publish did not rebuild (marts missing from the lake) from the previous file."""
        if previous is None:
            return
        con.execute(f"ATTACH {_lit(str(previous))} AS prev (READ_ONLY)")  # type: ignore[attr-defined]
        try:
            names = [
                r[0]
                for r in con.execute(  # type: ignore[attr-defined]
                    "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'prev' AND table_type = 'BASE TABLE'"
                ).fetchall()
            ]
            for name in names:
                if name in published or name == META_TABLE or name in DERIVED_NAMES:
                    continue
                con.execute(
                    f"CREATE TABLE {quote_ident(name)} AS SELECT * FROM prev.{quote_ident(name)}"
                )  # type: ignore[attr-defined]
                create_indexes(con, name)
        finally:
            con.execute("DETACH prev")  # type: ignore[attr-defined]

    @staticmethod
    def _write_meta(con: object, previous: Path | None, meta: Sequence[MetaRow]) -> None:
        new_meta = meta_table(list(meta))
        con.register("__jbg_meta", new_meta)  # type: ignore[attr-defined]
        try:
            con.execute(f"CREATE TABLE {META_TABLE} AS SELECT * FROM __jbg_meta")  # type: ignore[attr-defined]
        finally:
            con.unregister("__jbg_meta")  # type: ignore[attr-defined]
        if previous is None:
            return
        con.execute(f"ATTACH {_lit(str(previous))} AS prev (READ_ONLY)")  # type: ignore[attr-defined]
        try:
            has_meta = con.execute(  # type: ignore[attr-defined]
                "SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'prev' AND table_name = ?",
                [META_TABLE],
            ).fetchone()[0]
            if has_meta:
                cols = ", ".join(quote_ident(c) for c in new_meta.schema.names)
                con.execute(  # type: ignore[attr-defined]
                    f"INSERT INTO {META_TABLE} ({cols}) SELECT {cols} FROM prev.{META_TABLE} "
                    f"WHERE mart NOT IN (SELECT mart FROM {META_TABLE})"
                )
        finally:
            con.execute("DETACH prev")  # type: ignore[attr-defined]

    def _swap_link(self, new_file: Path) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.link")
        tmp.unlink(missing_ok=True)
        os.symlink(new_file.name, tmp)
        os.replace(tmp, self.path)

    def _cleanup(self, keep: set[Path]) -> None:
        """Remove version files other than ``keep``; a version name that is a link is always stale."""
        for f in _version_files(self.path):
            if f in keep and not f.is_symlink():
                continue
            for p in (f, f.with_name(f.name + ".wal"), f.with_name(f.name + ".lock")):
                p.unlink(missing_ok=True)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"

"""Helpers for the crash, fault and key-search trials: real pipeline processes and lake checks.

* :func:`run_pipeline` starts a real pipeline process (``spark-submit spark_jobs/main.py`` or the
  ``jangbogi`` console script) in its own process group, with its stdout/stderr in a log file;
  ``kill_on`` SIGKILLs the whole group a given delay after a marker line appears in its log.
* :func:`lake_checksums` gives every Delta table under a warehouse an order-independent
  checksum per partition, over the columns that must not change between runs (timestamps,
  timings and Delta versions are left out).
* :func:`find_secrets` searches tables (every string column), DuckDB files and every other file
  for given strings.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# Values that legitimately differ between two runs of the same window.
VOLATILE_COLUMNS = frozenset(
    {"fetched_at", "elapsed_ms", "attempts", "data_version", "source_version", "error_msg"}
)
# Tables whose rows record runs rather than data (a new row per run by design).
RUN_RECORD_TABLES = frozenset({"kamis_ops.job_run_history"})

FAKE_KEY = "JBGFAKEKEY7f3c9a1ed4b24c5e9a8fQ"
FAKE_ID = "jbgfakeid4242x"

# The window of every trial run: a week ending on a Thursday (longer under `make soak`).
END = date(2026, 11, 26)
DAYS = int(os.environ.get("JANGBOGI_TRIAL_DAYS", "7"))
START = END - timedelta(days=DAYS - 1)
TINY_SCOPE = {
    "kamis.scope.regions": "1101",
    "kamis.scope.categories": "200,400",
    "kamis.scope.items": "211,411",
}


def scope_opts(extra: Mapping[str, str] | None = None) -> list[str]:
    """Return ``--opt k=v`` arguments for the tiny scope plus ``extra``."""
    opts = {**TINY_SCOPE, "kamis.simulator_publication_hour_kst": "0", **(extra or {})}
    return [a for k, v in opts.items() for a in ("--opt", f"{k}={v}")]


def write_conf(conf_dir: Path, event_log_dir: Path | None = None) -> Path:
    """Write a copy of ``conf/local.yaml`` into ``conf_dir`` (Spark event logging on when asked)."""
    import yaml

    conf_dir.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load((REPO / "conf" / "local.yaml").read_text(encoding="utf-8"))
    data.setdefault("spark", {})["conf"] = dict(data["spark"].get("conf") or {})
    data["spark"]["driver_memory"] = "1g"
    if event_log_dir is not None:
        event_log_dir.mkdir(parents=True, exist_ok=True)
        data["spark"]["conf"].update(
            {
                "spark.eventLog.enabled": "true",
                "spark.eventLog.dir": event_log_dir.as_uri(),
                "spark.eventLog.compress": "false",  # searched byte for byte
            }
        )
    (conf_dir / "local.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    for other in (REPO / "conf").glob("*.yaml"):
        if other.name != "local.yaml":
            shutil.copy(other, conf_dir / other.name)
    return conf_dir


def pipeline_env(home: Path, conf_dir: Path, base_url: str) -> dict[str, str]:
    """Return the environment of a pipeline process: its own home, real-API mode on a simulator."""
    env = {k: v for k, v in os.environ.items() if k != "JANGBOGI_WAREHOUSE"}  # lake in ``home``
    env.update(
        {
            "JANGBOGI_HOME": str(home),
            "JANGBOGI_ENV": "local",
            "JANGBOGI_CONF_DIR": str(conf_dir),
            "SPARK_TESTING": "1",
            "JANGBOGI_SPARK_LOG_LEVEL": "WARN",
            "KAMIS_CERT_KEY": FAKE_KEY,
            "KAMIS_CERT_ID": FAKE_ID,
            "KAMIS_BASE_URL": base_url,
            "PYTHONPATH": str(REPO),
            "PYSPARK_PYTHON": sys.executable,
        }
    )
    return env


@dataclass
class RunResult:
    """A finished (or killed) pipeline process."""

    returncode: int
    seconds: float
    log: Path
    killed_after: float | None = None  # seconds after the marker, when killed

    def text(self) -> str:
        """Return the process's output."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def spark_submit(jobs: Sequence[str], start: date, end: date, *extra: str) -> list[str]:
    """Return the ``spark-submit spark_jobs/main.py`` command line for ``jobs``."""
    return [
        str(VENV_BIN / "spark-submit"),
        "--master",
        "local[2]",
        str(REPO / "spark_jobs" / "main.py"),
        *jobs,
        "--start",
        start.isoformat(),
        "--end",
        end.isoformat(),
        *extra,
    ]


def jangbogi(*args: str) -> list[str]:
    """Return a ``jangbogi …`` console-script command line."""
    return [sys.executable, "-m", "spark_jobs.cli", *args]


def run_pipeline(
    cmd: Sequence[str],
    env: Mapping[str, str],
    log: Path,
    kill_on: str | None = None,
    delay_s: float = 0.0,
    timeout_s: float = 900,
) -> RunResult:
    """Run ``cmd`` in its own process group; with ``kill_on``, SIGKILL the group after the marker.

    Args:
        cmd: The command line.
        env: Its environment.
        log: File that receives stdout and stderr.
        kill_on: A text whose first appearance in the log starts the kill countdown.
        delay_s: Seconds between the marker and the SIGKILL.
        timeout_s: Hard limit (the group is killed and an AssertionError raised).
    """
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            list(cmd), env=dict(env), cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            if kill_on is None:
                proc.wait(timeout=timeout_s)
                return RunResult(proc.returncode, time.perf_counter() - t0, log)
            while proc.poll() is None:
                if kill_on in log.read_text(encoding="utf-8", errors="replace"):
                    time.sleep(delay_s)
                    with _suppress_lookup():
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=60)
                    # the kill landed only if it is what ended the process: one that exits between
                    # a poll and the killpg is a zombie the signal cannot reach (return code 0)
                    killed = proc.returncode == -signal.SIGKILL
                    return RunResult(
                        proc.returncode, time.perf_counter() - t0, log,
                        delay_s if killed else None,
                    )  # fmt: skip
                if time.perf_counter() - t0 > timeout_s:
                    raise AssertionError(f"{cmd[:4]} ran past {timeout_s} s")
                time.sleep(0.01)
            return RunResult(proc.returncode, time.perf_counter() - t0, log)
        finally:
            if proc.poll() is None:
                with _suppress_lookup():
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=60)


class _suppress_lookup:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> bool:
        return exc_type is ProcessLookupError


def group_gone(pgid: int) -> bool:
    """Return True when no process of the group ``pgid`` is left."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


# --- table checksums ------------------------------------------------------------------------------


def delta_tables(warehouse: Path) -> dict[str, Path]:
    """Return ``db.table`` → folder for every Delta table under the warehouse (staging excluded)."""
    found = {}
    for log_dir in sorted(warehouse.glob("*.db/*/_delta_log")):
        table = log_dir.parent
        found[f"{table.parent.name.removesuffix('.db')}.{table.name}"] = table
    return found


def _canonical(value: object) -> object:
    if isinstance(value, float):
        return repr(round(value, 9))
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value if isinstance(value, str | int | bool | type(None)) else str(value)


def table_checksum(path: Path) -> dict[str, tuple[int, str]]:
    """Return partition → (rows, order-independent sha256) over the table's stable columns.

    Timestamps and the columns in :data:`VOLATILE_COLUMNS` are left out; partitions are named
    by their partition column values ("" for an unpartitioned table).
    """
    dt = DeltaTable(str(path))
    parts = list(dt.metadata().partition_columns)
    table = dt.to_pyarrow_table()
    keep = [
        f.name
        for f in table.schema
        if f.name not in VOLATILE_COLUMNS and not pa.types.is_timestamp(f.type)
    ]
    rows = table.select(keep).to_pylist()
    acc: dict[str, list[int]] = {}
    for row in rows:
        key = "|".join(f"{p}={row.get(p)}" for p in parts)
        digest = hashlib.sha256(
            json.dumps(_canonical(row), sort_keys=True, ensure_ascii=False).encode()
        ).digest()
        slot = acc.setdefault(key, [0, 0])
        slot[0] += 1
        slot[1] = (slot[1] + int.from_bytes(digest[:16], "big")) % (1 << 128)
    return {k: (n, f"{h:032x}") for k, (n, h) in sorted(acc.items())}


def lake_checksums(warehouse: Path, skip: Iterable[str] = RUN_RECORD_TABLES) -> dict[str, dict]:
    """Return ``db.table`` → :func:`table_checksum` for every Delta table (reading each one)."""
    skipped = set(skip)
    return {
        name: table_checksum(path)
        for name, path in delta_tables(warehouse).items()
        if name not in skipped
    }


def copy_lake(src: Path, dst: Path) -> Path:
    """Copy a pipeline home (warehouse, metastore, serving store, symlinks kept) to ``dst``."""
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns("*.log"))
    return dst


def staging_leftovers(warehouse: Path) -> list[Path]:
    """Return staging folders a killed publish left under ``_staging``."""
    staging = warehouse / "_staging"
    return sorted(staging.iterdir()) if staging.is_dir() else []


# --- serving store --------------------------------------------------------------------------------


def serving_state(serving_path: Path) -> dict[str, object]:
    """Open the DuckDB serving store like the dashboard (read-only, through the link) and describe it.

    Returns publish id, the file the link points to, and per table: rows and a content checksum.
    Raises when the store cannot be opened or a table disagrees with its ``serving_meta`` row.
    """
    import duckdb

    target = serving_path.resolve()
    con = duckdb.connect(str(target), read_only=True)
    try:
        meta = con.execute("SELECT mart, rows, publish_id FROM serving_meta").fetchall()
        publish_ids = {r[2] for r in meta}
        tables: dict[str, tuple[int, str]] = {}
        for mart, rows, _ in meta:
            n = con.execute(f'SELECT count(*) FROM "{mart}"').fetchone()[0]
            if n != rows:
                raise AssertionError(f"{mart}: {n} rows, serving_meta says {rows}")
            cols = [
                r[0]
                for r in con.execute(f'DESCRIBE "{mart}"').fetchall()
                if r[0] not in VOLATILE_COLUMNS and "TIMESTAMP" not in r[1]
            ]
            col_sql = ", ".join(f'"{c}"' for c in cols)
            h = con.execute(
                f'SELECT coalesce(sum(hash({col_sql}) % 1000000007), 0) FROM "{mart}"'
            ).fetchone()[0]
            tables[mart] = (n, str(h))
    finally:
        con.close()
    return {"file": target.name, "publish_ids": publish_ids, "tables": tables}


# --- secrets ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """Where a searched string was found."""

    where: str
    secret: str


def _string_columns(table: pa.Table) -> list[str]:
    return [
        f.name
        for f in table.schema
        if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
    ]


def search_delta(warehouse: Path, secrets: Sequence[str]) -> tuple[list[Hit], int, int]:
    """Search every string column of every Delta table; return (hits, tables, string cells)."""
    hits: list[Hit] = []
    cells = 0
    tables = delta_tables(warehouse)
    for name, path in tables.items():
        table = DeltaTable(str(path)).to_pyarrow_table()
        for col in _string_columns(table):
            column = table[col]
            cells += len(column) - column.null_count
            for s in secrets:
                if pc.any(pc.match_substring(column, s)).as_py():
                    hits.append(Hit(f"{name}.{col}", s))
    return hits, len(tables), cells


def search_duckdb(db_file: Path, secrets: Sequence[str]) -> tuple[list[Hit], int]:
    """Search every VARCHAR column of every table of a DuckDB file; return (hits, columns)."""
    import duckdb

    hits: list[Hit] = []
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        cols = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR'"
        ).fetchall()
        for table, col in cols:
            for s in secrets:
                n = con.execute(
                    f'SELECT count(*) FROM "{table}" WHERE contains("{col}", ?)', [s]
                ).fetchone()[0]
                if n:
                    hits.append(Hit(f"{db_file.name}:{table}.{col}", s))
    finally:
        con.close()
    return hits, len(cols)


def search_files(roots: Iterable[Path], secrets: Sequence[str]) -> tuple[list[Hit], int, int]:
    """Search every regular file under ``roots`` byte for byte; return (hits, files, bytes)."""
    needles = [(s, s.encode()) for s in secrets]
    hits: list[Hit] = []
    files = size = 0
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in paths:
            if p.is_symlink():
                continue
            data = p.read_bytes()
            files += 1
            size += len(data)
            hits.extend(Hit(str(p), s) for s, b in needles if b in data)
    return hits, files, size


def find_secrets(
    home: Path, extra_roots: Iterable[Path] = (), secrets: Sequence[str] = (FAKE_KEY, FAKE_ID)
) -> dict[str, object]:
    """Search a pipeline home (Delta tables, DuckDB files, every file) and ``extra_roots``."""
    warehouse = home / "var" / "warehouse"
    delta_hits, tables, cells = (
        search_delta(warehouse, secrets) if warehouse.is_dir() else ([], 0, 0)
    )
    duck_hits: list[Hit] = []
    duck_cols = 0
    for db_file in sorted((home / "var").rglob("*.duckdb")):
        if db_file.is_symlink():
            continue
        h, n = search_duckdb(db_file, secrets)
        duck_hits += h
        duck_cols += n
    file_hits, files, size = search_files([home, *extra_roots], secrets)
    return {
        "hits": delta_hits + duck_hits + file_hits,
        "tables": tables,
        "string_cells": cells,
        "duckdb_columns": duck_cols,
        "files": files,
        "bytes": size,
    }

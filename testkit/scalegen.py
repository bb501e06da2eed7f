"""Scale generator: months or years of full-coverage raw KAMIS tables, fast (issue 12, benchmarks).

For every day of ``start..end`` it builds the raw rows the daily collector would have stored had
it run once per day (``jangbogi run --start D --end D`` against the bundled simulator): the
day's plan from the source registry (narrowed by the same :class:`~spark_jobs.kamis.scope.Scope`
as ``--opt kamis.scope.*``), each call answered by the simulator's renderer in-process (no HTTP,
no Spark), the body decoded and redacted as ``KamisClient.fetch`` does and classified with the
same outcome, result code and reason as its parse (:func:`classify` finds them with fewer rows),
the row built by the collector's own ``raw.collect.to_row``. Rows become Arrow tables in batches of
days and are written with delta-rs (one commit per raw table and batch, ``replaceWhere``-style on
the batch's days, so a re-run replaces what it wrote). A final short Spark step registers the
tables in the lake's Hive metastore (``CREATE TABLE … USING DELTA LOCATION``) so that the silver
and gold jobs and a later incremental ``jangbogi run`` work on top of them.

What equals the daily collector and what does not:

* Same rows, bodies and columns; only the run stamps differ: ``attempts`` is 1, ``elapsed_ms``
  the in-process render time, and ``fetched_at`` the time a daily run would have fetched the
  call: one hour after the day's publication hour (15:00 KST), plus one millisecond per call
  in plan order (capped at now). The stamps grow with ``req_dt`` whatever order the workers
  finish in, which matters: silver keeps the newest fetch of a row asked on several days (the
  overlapping period windows, the weekly eco survey asked all week), as after daily runs.
* Each day's simulator has ``today = D`` (what a daily run without ``kamis.simulator_today``
  uses), or the fixed ``--today`` (a run with ``--opt kamis.simulator_today=…``).
* periodRetailProductList: a daily run of ``D`` asks ``D-6..D`` and files the call under
  ``req_dt = D``; the next day asks ``D-5..D+1`` under ``D+1``. The windows overlap but the
  partitions do not, so the day-by-day lake is just the union of each day's own calls — which is
  what the generator writes, the first day's window reaching back to ``start - 6`` as the first
  daily run's does. Silver keeps, per market and day, the newest of the up to seven bodies that
  carry it (``fetched_at``, see above); the simulator answers a past day the same in all of them,
  so the values are those of any one and the lineage (``request_id``) that of the newest, as
  after daily runs. (A single multi-day run is different: one call per combo over the month
  chunk, and periodEcoPriceList instead of EcoPriceList; the generator does not imitate it.)
* The collector's second pass (asking stored ``failed`` / ``not_kamis`` / ``not_published`` rows
  again) never fires: the in-process simulator has no faults, and with ``today = D`` and the
  clock past the publication hour no day is unpublished. When the clock is before the hour on
  ``today`` (generating up to the real today in the morning, KST), those calls are stored as
  ``not_published`` like the collector's first pass stores them.

    python -m testkit.scalegen --home /tmp/lake --start 2025-12-01 --end 2026-11-30 --workers 2
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from spark_jobs.kamis import requests as kr
from spark_jobs.kamis.client import SIMULATOR, SIMULATOR_CREDENTIALS
from spark_jobs.kamis.outcomes import FetchResult, Outcome
from spark_jobs.kamis.parsing import (
    condition_echo,
    decode,
    envelope,
    load_document,
    normalise_rows,
    parse_document,
)
from spark_jobs.kamis.redact import redact_body
from spark_jobs.kamis.requests import KamisRequest
from spark_jobs.kamis.scope import Scope
from spark_jobs.raw import tables
from spark_jobs.raw.collect import to_row
from spark_jobs.simulator import get_model
from spark_jobs.simulator.actions import PATH, PUBLICATION_HOUR_KST, Renderer
from spark_jobs.sources import SOURCES
from spark_jobs.table_spec import TableSpec
from testkit.synthetic import arrow_schema

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger("jangbogi.scalegen")

DEFAULT_SEED = 20261130  # conf/local.yaml kamis.simulator_seed
# Days one worker task renders in a row (consecutive days reuse the model's cached prices: the
# 7-day period windows of neighbouring days overlap).
BLOCK_DAYS = 8
# Days per delta-rs commit (per raw table).
BATCH_DAYS = 32
OK_CODE = "000"
# Actions whose 000 bodies need a price on a dated row to be OK (parsing._unpriced_day), and
# which normalised rows are dated.
DATED_ROWS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    kr.DAILY_PRICE_BY_CATEGORY: lambda row: True,
    **{
        a: lambda row: row.get("row_type") in ("average", "market")
        for a in (kr.PERIOD_RETAIL_PRODUCT, kr.PERIOD_PRODUCT, "periodWholesaleProductList")
    },
}
# The property lake.ensure_table gives every table (delta-rs's kernel rejects it on create, and
# leaves partition columns out of the files anyway): set by the Spark registration step.
PARTITION_COLUMNS_PROPERTY = "'delta.writePartitionColumnsToParquet' = 'false'"


@dataclass(frozen=True)
class GenConfig:
    """What to generate.

    Attributes:
        start: First day (a raw partition ``req_dt``).
        end: Last day.
        scope: The plan's narrowing (as ``--opt kamis.scope.*``); all by default.
        seed: The simulator's seed (``kamis.simulator_seed``).
        today: The simulator's fixed today; None: each day its own (a daily run's default).
        returntype: ``json`` or ``xml`` (``kamis.returntype``).
        publication_hour_kst: ``kamis.simulator_publication_hour_kst``.
    """

    start: date
    end: date
    scope: Scope = field(default_factory=Scope)
    seed: int = DEFAULT_SEED
    today: date | None = None
    returntype: str = "json"
    publication_hour_kst: int = PUBLICATION_HOUR_KST

    def days(self) -> list[date]:
        """Return every day of ``start..end``."""
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass
class GenStats:
    """What a generation wrote.

    Attributes:
        days: Days generated.
        rows: Rows per raw table.
        body_bytes: Sum of ``body_bytes`` per raw table.
        outcomes: Rows per outcome (all tables).
        seconds: Wall time of rendering and writing (not the Spark registration).
    """

    days: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    body_bytes: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, batch: Mapping[str, pa.Table]) -> None:
        """Count one written batch."""
        for key, table in batch.items():
            self.rows[key] = self.rows.get(key, 0) + table.num_rows
            size = pc.sum(table["body_bytes"]).as_py() or 0
            self.body_bytes[key] = self.body_bytes.get(key, 0) + size
            for pair in pc.value_counts(table["outcome"]).to_pylist():
                o, n = pair["values"], pair["counts"]
                self.outcomes[o] = self.outcomes.get(o, 0) + n


# ---------------------------------------------------------------- rendering (no Spark, no HTTP)


def day_plan(day: date, scope: Scope, returntype: str = "json") -> dict[str, list[KamisRequest]]:
    """Return a one-day run's calls per source key, as ``raw.collect.collect`` plans them.

    Args:
        day: The run's window (``day..day``).
        scope: The plan's narrowing.
        returntype: ``json`` or ``xml``.
    """
    out = {}
    for source in SOURCES:
        reqs = []
        for c_start, c_end in source.chunks(day, day):
            reqs += scope.filter(source.plan_chunk(c_start, c_end, returntype))
        out[source.key] = reqs
    return out


def fetch_stamp(day: date, index: int, publication_hour_kst: int, now: datetime) -> datetime:
    """Return the ``fetched_at`` of a day's ``index``-th call: an hour after publication, at most now."""
    from spark_jobs.dates import KST

    run = datetime.combine(day, dtime(0), KST) + timedelta(hours=publication_hour_kst + 1)
    return min(run + timedelta(milliseconds=index), now).astimezone(UTC)


def answer(renderer: Renderer, request: KamisRequest, fetched_at: datetime) -> FetchResult:
    """Answer one call as ``KamisClient.fetch`` would against the simulator (one attempt).

    Args:
        renderer: The simulator's renderer for the run's today.
        request: The call (no credentials; the simulator's fixed ones are added, then redacted).
        fetched_at: The stamp to store (:func:`fetch_stamp`).

    Raises:
        ValueError: The simulator did not answer 200 (the plan never asks such a call).
    """
    t0 = time.perf_counter()
    reply = renderer.render(PATH, {**request.query(), **SIMULATOR_CREDENTIALS})
    if reply.status != 200:
        raise ValueError(f"simulator answered {reply.status} to {request.describe()}")
    body = redact_body(decode(reply.body))
    outcome, result_cd, reason = classify(request.action, body, request.params)
    error = None if outcome is Outcome.OK else reason
    elapsed = round((time.perf_counter() - t0) * 1000)
    return FetchResult(
        request, reply.status, body, result_cd, outcome, 1, elapsed, error, fetched_at, SIMULATOR
    )


def classify(action: str, body: str, params: Mapping[str, str]) -> tuple[Outcome, str | None, str]:
    """Return ``parse_body(action, body, params)``'s outcome, result code and reason, faster.

    The collector parses every row of a body only to classify it. The answer is the same with
    fewer rows: a 000 body with rows is OK unless it is a category or period body without a
    price on any dated row (category rows; 평균 and market rows of a period body), and each row
    is normalised on its own (the parser's post-passes fill names and aggregate regions, never
    ``row_type`` or ``price``). So rows are normalised one at a time until a priced dated row
    turns up; every other case (errors, no rows, nothing priced) goes to the full parse.
    """
    doc, failure = load_document(body)
    if failure is not None:
        return failure.outcome, failure.result_cd, failure.reason
    cd, raw_rows, problem = envelope(doc)
    if not problem and cd == OK_CODE and raw_rows:
        if action not in DATED_ROWS:
            return Outcome.OK, cd, ""
        echo = condition_echo(doc)
        for raw in raw_rows:
            rows, _ = normalise_rows(action, [raw], params, echo)
            if rows and rows[0].get("price") is not None and DATED_ROWS[action](rows[0]):
                return Outcome.OK, cd, ""
    parsed = parse_document(action, doc, params)
    return parsed.outcome, parsed.result_cd, parsed.reason


def renderer_for(day: date, cfg: GenConfig) -> Renderer:
    """Return the simulator's renderer a daily run of ``day`` talks to."""
    return Renderer(
        get_model(cfg.seed), cfg.today or day, publication_hour_kst=cfg.publication_hour_kst
    )


def day_rows(day: date, cfg: GenConfig) -> dict[str, list[dict[str, Any]]]:
    """Return one day's raw rows per source key."""
    renderer = renderer_for(day, cfg)
    now = datetime.now(UTC)
    out: dict[str, list[dict[str, Any]]] = {}
    index = 0
    for key, reqs in day_plan(day, cfg.scope, cfg.returntype).items():
        out[key] = []
        for r in reqs:
            stamp = fetch_stamp(day, index, cfg.publication_hour_kst, now)
            out[key].append(to_row(answer(renderer, r, stamp)))
            index += 1
    return out


def block_tables(days: Sequence[date], cfg: GenConfig) -> dict[str, pa.Table]:
    """Return the raw rows of ``days`` as one Arrow table per source key (a worker task)."""
    rows: dict[str, list[dict[str, Any]]] = {s.key: [] for s in SOURCES}
    for day in days:
        for key, day_out in day_rows(day, cfg).items():
            rows[key] += day_out
    return {
        key: pa.Table.from_pylist(out, schema=arrow_schema(tables.BY_SOURCE[key]))
        for key, out in rows.items()
    }


def _block_task(args: tuple[list[date], GenConfig]) -> tuple[list[date], dict[str, pa.Table]]:
    days, cfg = args
    return days, block_tables(days, cfg)


def blocks(days: Sequence[date], size: int = BLOCK_DAYS) -> list[list[date]]:
    """Cut ``days`` into runs of at most ``size`` consecutive days."""
    return [list(days[i : i + size]) for i in range(0, len(days), size)]


def generate_blocks(
    cfg: GenConfig, workers: int = 1, block_days: int = BLOCK_DAYS
) -> Iterator[tuple[list[date], dict[str, pa.Table]]]:
    """Yield ``(days, tables)`` per block in date order, rendered by ``workers`` processes."""
    tasks = [(b, cfg) for b in blocks(cfg.days(), block_days)]
    if workers <= 1:
        yield from map(_block_task, tasks)
        return
    # spawn: the caller may hold a Spark JVM gateway, which a forked child must not inherit.
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        yield from pool.imap(_block_task, tasks)


# ---------------------------------------------------------------- writing (delta-rs)


def table_path(warehouse: Path, spec: TableSpec) -> Path:
    """Return where a raw table lives: the managed location Spark would give it."""
    return warehouse / f"{spec.database}.db" / spec.name


def _date_predicate(days: Sequence[date]) -> str:
    return f"req_dt >= '{min(days).isoformat()}' AND req_dt <= '{max(days).isoformat()}'"


def write_batch(warehouse: Path, batch: Mapping[str, pa.Table], days: Sequence[date]) -> None:
    """Write one batch: per raw table, replace the rows of ``days`` with the batch's (one commit)."""
    from deltalake import DeltaTable, write_deltalake

    for key, table in batch.items():
        spec = tables.BY_SOURCE[key]
        path = table_path(warehouse, spec)
        if DeltaTable.is_deltatable(str(path)):
            write_deltalake(str(path), table, mode="overwrite", predicate=_date_predicate(days))
            continue
        path.mkdir(parents=True, exist_ok=True)
        write_deltalake(
            str(path),
            table,
            mode="error",
            partition_by=list(spec.partition_by),
            name=spec.name,
            description=spec.description,
        )
        DeltaTable(str(path)).alter.add_constraint(dict(spec.checks))


def _concat(parts: Sequence[Mapping[str, pa.Table]]) -> dict[str, pa.Table]:
    return {key: pa.concat_tables([p[key] for p in parts]) for key in parts[0]}


def generate(
    cfg: GenConfig,
    warehouse: Path,
    workers: int = 1,
    batch_days: int = BATCH_DAYS,
    block_days: int = BLOCK_DAYS,
    progress: bool = False,
) -> GenStats:
    """Render every day of ``cfg`` and write the raw Delta tables under ``warehouse``.

    Args:
        cfg: Days, scope, seed and simulator settings.
        warehouse: The lake's warehouse folder (``storage.warehouse``).
        workers: Rendering processes (1: in this process).
        batch_days: Days per delta-rs commit.
        block_days: Consecutive days per worker task.
        progress: Log each written batch.

    Returns:
        Rows, body bytes and outcomes per table, and the wall time.
    """
    from deltalake import DeltaTable

    t0 = time.perf_counter()
    stats = GenStats()
    pending: list[dict[str, pa.Table]] = []
    pending_days: list[date] = []

    def flush() -> None:
        batch = _concat(pending)
        write_batch(warehouse, batch, pending_days)
        stats.add(batch)
        stats.days += len(pending_days)
        if progress:
            log.info("scalegen: %s..%s written (%d days so far, %.0f s)", pending_days[0],
                     pending_days[-1], stats.days, time.perf_counter() - t0)  # fmt: skip
        pending.clear()
        pending_days.clear()

    for days, part in generate_blocks(cfg, workers, block_days):
        pending.append(part)
        pending_days.extend(days)
        if len(pending_days) >= batch_days:
            flush()
    if pending:
        flush()
    for spec in tables.TABLES:
        DeltaTable(str(table_path(warehouse, spec))).create_checkpoint()
    stats.seconds = time.perf_counter() - t0
    return stats


# ---------------------------------------------------------------- registration (Spark)


def register(spark: SparkSession, warehouse: Path) -> list[str]:
    """Register the generated raw tables in the metastore (those already registered are kept).

    Each becomes an external table at its managed location, with the CHECK constraint (set by
    delta-rs) and the table property ``lake.ensure_table`` gives a raw table.

    Returns:
        The tables registered by this call.
    """
    done = []
    for spec in tables.TABLES:
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {spec.database}")
        if spark.catalog.tableExists(spec.full_name):
            continue
        location = table_path(warehouse, spec).resolve().as_uri()
        spark.sql(f"CREATE TABLE {spec.full_name} USING DELTA LOCATION '{location}'")
        spark.sql(f"ALTER TABLE {spec.full_name} SET TBLPROPERTIES ({PARTITION_COLUMNS_PROPERTY})")
        done.append(spec.full_name)
    return done


# ---------------------------------------------------------------- command line


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m testkit.scalegen", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--home", type=Path, required=True, help="JANGBOGI_HOME of the lake")
    p.add_argument("--start", type=date.fromisoformat, required=True, help="first day")
    p.add_argument("--end", type=date.fromisoformat, required=True, help="last day")
    p.add_argument("--regions", help="kamis.scope.regions, e.g. 1101,2100 (default all)")
    p.add_argument("--categories", help="kamis.scope.categories (default all)")
    p.add_argument("--items", help="kamis.scope.items, e.g. 211,212 (default all)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="simulator seed")
    p.add_argument("--today", type=date.fromisoformat, help="fixed simulator today (default: D)")
    p.add_argument("--workers", type=int, default=2, help="rendering processes (default 2)")
    p.add_argument("--batch-days", type=int, default=BATCH_DAYS, help="days per Delta commit")
    p.add_argument("--no-register", action="store_true", help="skip the Spark metastore step")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the raw tables into ``--home`` and register them; print the figures."""
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    os.environ["JANGBOGI_HOME"] = str(args.home.resolve())
    from spark_jobs.config import load_profile

    profile = load_profile()
    warehouse = Path(profile.path("storage.warehouse"))
    scope = Scope.from_settings(
        {"regions": args.regions, "categories": args.categories, "items": args.items}
    )
    cfg = GenConfig(args.start, args.end, scope, args.seed, args.today,
                    str(profile.get("kamis.returntype", "json")),
                    int(profile.get("kamis.simulator_publication_hour_kst", PUBLICATION_HOUR_KST)))  # fmt: skip
    stats = generate(cfg, warehouse, args.workers, args.batch_days, progress=True)
    print(f"generated {stats.days} days in {stats.seconds:.1f} s into {warehouse}")
    for key in stats.rows:
        print(f"  kamis_raw.{key}: {stats.rows[key]} rows, {stats.body_bytes[key]} body bytes")
    print(f"  outcomes: {stats.outcomes}")
    if not args.no_register:
        from spark_jobs.session import build_session

        t0 = time.perf_counter()
        spark = build_session(profile, app_name="jangbogi:scalegen")
        try:
            done = register(spark, warehouse)
        finally:
            spark.stop()
        print(f"registered {len(done)} tables in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Collect KAMIS calls into the raw Delta tables: plan, fetch, store, resume and re-request failures.

One raw row per call (``raw/tables.py``). A run over ``start..end`` walks calendar-month chunks;
inside a chunk each ``req_dt`` partition is

* skipped when every planned call is already stored as ok / no_data (unless ``full_refresh``; a
  no_data answer within ``kamis.recheck_days`` of the window end is asked again, since KAMIS
  answers 001 until the day's survey is published),
* replaced as a whole (Delta ``replaceWhere`` on exactly the partitions written) when it has no
  rows yet or on ``full_refresh``,
* otherwise topped up: only the missing / failed calls are fetched and merged in by
  ``(req_dt, request_id)``.

Calls that still fail after the transport's retries are stored with outcome ``failed`` and no
body; every later run re-requests the failed (and ``not_kamis``) rows of partitions it does not
plan itself and replaces them (MERGE) — nothing is dropped.

A ``not_published`` answer (result 000 but no price for a survey day: KAMIS publishes a day's
survey in the afternoon KST) is never settled: a run re-asks it when it plans that day, and
every run re-asks the stored ``not_published`` rows of the ``kamis.publication_lookback_days``
days ending at its window end (default 7) that it does not plan itself. Older ones stay as
they are (a day still unpublished after a week is taken as never published).
"""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from spark_jobs.kamis.client import KamisClient
from spark_jobs.kamis.outcomes import SETTLED, FetchResult, Outcome
from spark_jobs.kamis.requests import KamisRequest, from_stored
from spark_jobs.kamis.scope import Scope
from spark_jobs.lake import ensure_table
from spark_jobs.raw import tables
from spark_jobs.raw.endpoint import kamis_client
from spark_jobs.raw.endpoint import setting as _setting
from spark_jobs.sources import source as source_record
from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from spark_jobs.jobs import JobContext

log = logging.getLogger(__name__)

SOURCE_TABLE: dict[str, TableSpec] = tables.BY_SOURCE
_SETTLED_VALUES = frozenset(o.value for o in SETTLED)
# Stored outcomes a later run asks again for (transport failures and garbled / HTML answers).
RETRY_OUTCOMES = frozenset({Outcome.FAILED.value, Outcome.NOT_KAMIS.value})


@dataclass
class CollectSummary:
    """What one source's run did."""

    source: str
    requests: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    bytes: int = 0
    seconds: float = 0.0
    partitions_written: int = 0
    partitions_skipped: int = 0
    retried_failed: int = 0
    retried_unpublished: int = 0

    def add(self, results: Sequence[FetchResult]) -> None:
        """Count a batch of results."""
        self.requests += len(results)
        self.outcomes.update(r.outcome.value for r in results)
        self.bytes += sum(r.body_bytes for r in results)

    def line(self) -> str:
        """Return the one-line run summary."""
        named = ("ok", "no_data", "not_published", "failed")
        other = self.requests - sum(self.outcomes[o] for o in named)
        return (
            f"raw.{self.source}: requests={self.requests} ok={self.outcomes['ok']} "
            f"no_data={self.outcomes['no_data']} failed={self.outcomes['failed']} "
            f"not_published={self.outcomes['not_published']} other={other} "
            f"bytes={self.bytes} seconds={self.seconds:.1f} partitions_written={self.partitions_written} "
            f"partitions_skipped={self.partitions_skipped} retried_failed={self.retried_failed} "
            f"retried_unpublished={self.retried_unpublished}"
        )


def to_row(result: FetchResult) -> dict[str, Any]:
    """Return the raw-table row for one call (no credentials anywhere)."""
    req = result.request
    body = result.body
    return {
        "request_id": req.request_id,
        "action": req.action,
        "params_json": req.params_json,
        "window_start_dt": req.window_start,
        "window_end_dt": req.window_end,
        "http_status": result.http_status,
        "result_cd": result.result_cd,
        "outcome": result.outcome.value,
        "error_msg": result.error_msg,
        "body": body,
        "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest()
        if body is not None
        else None,
        "body_bytes": result.body_bytes if body is not None else None,
        "returntype": req.returntype,
        "api_mode": result.api_mode,
        "fetched_at": result.fetched_at,
        "attempts": result.attempts,
        "elapsed_ms": result.elapsed_ms,
        "req_dt": req.req_dt,
    }


def _date_list(dates: Sequence[date]) -> str:
    return ", ".join(f"DATE'{d.isoformat()}'" for d in sorted(set(dates)))


class RawStore:
    """Reads status from and writes rows to one raw table."""

    def __init__(self, spark: SparkSession, spec: TableSpec) -> None:
        self.spark, self.spec = spark, spec
        ensure_table(spark, spec)

    def status(self, start: date, end: date) -> dict[tuple[date, str], str]:
        """Return (req_dt, request_id) → outcome for the stored rows of ``start..end``."""
        rows = (
            self.spark.table(self.spec.full_name)
            .where(f"req_dt >= DATE'{start.isoformat()}' AND req_dt <= DATE'{end.isoformat()}'")
            .select("req_dt", "request_id", "outcome")
            .collect()
        )
        return {(r.req_dt, r.request_id): r.outcome for r in rows}

    def failed_requests(
        self, exclude: set[date], unpublished_from: date | None = None
    ) -> list[tuple[KamisRequest, str]]:
        """Return (request, stored outcome) of stored rows to ask again outside ``exclude``.

        Those are the failed / non-KAMIS rows, and the ``not_published`` rows of ``req_dt`` ≥
        ``unpublished_from`` (none when it is None).
        """
        retry = ", ".join(f"'{o}'" for o in sorted(RETRY_OUTCOMES))
        where = f"outcome IN ({retry})"
        if unpublished_from is not None:
            where += (
                f" OR (outcome = '{Outcome.NOT_PUBLISHED.value}'"
                f" AND req_dt >= DATE'{unpublished_from.isoformat()}')"
            )
        rows = (
            self.spark.table(self.spec.full_name)
            .where(where)
            .select(
                "action", "params_json", "window_start_dt", "window_end_dt", "req_dt", "outcome"
            )
            .collect()
        )
        return [
            (
                from_stored(r.action, r.params_json, r.window_start_dt, r.window_end_dt, r.req_dt),
                r.outcome,
            )
            for r in rows
            if r.req_dt not in exclude
        ]

    def _frame(self, rows: Sequence[dict[str, Any]]) -> DataFrame:
        keys = Counter((r["req_dt"], r["request_id"]) for r in rows)
        dupes = [k for k, n in keys.items() if n > 1]
        if dupes:
            raise ValueError(
                f"{self.spec.full_name}: {len(dupes)} duplicate (req_dt, request_id) keys, e.g. {dupes[0]}"
            )
        return self.spark.createDataFrame(list(rows), schema=self.spec.struct())

    def replace_partitions(self, rows: Sequence[dict[str, Any]], req_dts: Sequence[date]) -> None:
        """Overwrite exactly the ``req_dts`` partitions with ``rows``."""
        if not req_dts:
            return
        outside = {r["req_dt"] for r in rows} - set(req_dts)
        if outside:
            raise ValueError(f"rows for partitions {sorted(outside)} outside {sorted(req_dts)}")
        (
            self._frame(rows)
            .write.format("delta")
            .mode("overwrite")
            .option("replaceWhere", f"req_dt IN ({_date_list(req_dts)})")
            .saveAsTable(self.spec.full_name)
        )

    def upsert(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert or replace rows by ``(req_dt, request_id)``."""
        if not rows:
            return
        from delta.tables import DeltaTable

        dts = _date_list([r["req_dt"] for r in rows])
        (
            DeltaTable.forName(self.spark, self.spec.full_name)
            .alias("t")
            .merge(
                self._frame(rows).alias("s"),
                f"t.req_dt IN ({dts}) AND t.req_dt = s.req_dt AND t.request_id = s.request_id",
            )
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute()
        )


def run_scope(ctx: JobContext) -> Scope:
    """Return the plan's scope: ``kamis.scope.*`` job options over the profile's ``kamis.scope``."""
    settings = dict(ctx.profile.get("kamis.scope") or {})
    for key in ("regions", "categories", "items"):
        value = ctx.opt(f"kamis.scope.{key}")
        if value is not None:
            settings[key] = value
    return Scope.from_settings(settings)


def _needs_fetch(outcome: str | None, req_dt: date, recheck_from: date) -> bool:
    if outcome is None or outcome not in _SETTLED_VALUES:
        return True
    return outcome == Outcome.NO_DATA.value and req_dt >= recheck_from


def collect(ctx: JobContext, source: str, client: KamisClient | None = None) -> CollectSummary:
    """Run one source for ``ctx.window.start..ctx.window.end`` and store its calls; return the summary.

    Args:
        ctx: Job context (window, full_refresh, options: ``progress``, ``kamis.*``).
        source: A source key of the registry (:data:`spark_jobs.sources.SOURCES`).
        client: A client to use (default: :func:`kamis_client` for the run).
    """
    if client is None:
        with kamis_client(ctx) as own:
            return collect(ctx, source, own)
    t0 = time.perf_counter()
    spec = SOURCE_TABLE[source]
    store = RawStore(ctx.spark, spec)
    progress = ctx.flag("progress", sys.stderr.isatty())  # bars only on a terminal
    recheck_from = ctx.window.end - timedelta(days=int(_setting(ctx, "kamis.recheck_days", 2)) - 1)
    unpublished_from = ctx.window.lookback_start
    summary = CollectSummary(source)
    record = source_record(source)
    chunks = record.chunks(ctx.window.start, ctx.window.end)
    scope = run_scope(ctx)
    planned_dts: set[date] = set()
    for c_start, c_end in tqdm(
        chunks, desc=f"raw.{source}", unit="chunk", disable=not progress or len(chunks) < 2
    ):
        by_dt: dict[date, list[KamisRequest]] = defaultdict(list)
        for req in scope.filter(record.plan_chunk(c_start, c_end, client.returntype)):
            by_dt[req.req_dt].append(req)
        planned_dts.update(by_dt)
        stored = {} if ctx.window.full_refresh else store.status(min(by_dt), max(by_dt))
        replace_dts, replace_reqs, topup_reqs = [], [], []
        for dt, reqs in sorted(by_dt.items()):
            todo = [
                r for r in reqs if _needs_fetch(stored.get((dt, r.request_id)), dt, recheck_from)
            ]
            if not todo:
                summary.partitions_skipped += 1
            elif ctx.window.full_refresh or not any(k[0] == dt for k in stored):
                replace_dts.append(dt)
                replace_reqs.extend(reqs)
            else:
                topup_reqs.extend(todo)
        if not replace_reqs and not topup_reqs:
            continue
        results = client.fetch_all(
            replace_reqs + topup_reqs, progress=progress, desc=f"{source} {c_start}..{c_end}"
        )
        summary.add(results)
        rows = [to_row(r) for r in results]
        store.replace_partitions(rows[: len(replace_reqs)], replace_dts)
        store.upsert(rows[len(replace_reqs) :])
        summary.partitions_written += len(replace_dts) + len({r.req_dt for r in topup_reqs})
    retry = store.failed_requests(exclude=planned_dts, unpublished_from=unpublished_from)
    if retry:
        results = client.fetch_all(
            [r for r, _ in retry], progress=progress, desc=f"{source} asked again"
        )
        summary.add(results)
        summary.retried_unpublished = sum(o == Outcome.NOT_PUBLISHED.value for _, o in retry)
        summary.retried_failed = len(retry) - summary.retried_unpublished
        store.upsert([to_row(r) for r in results])
    summary.seconds = time.perf_counter() - t0
    log.info(summary.line())
    return summary

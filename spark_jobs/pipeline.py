"""Run registered jobs in pipeline order inside one SparkSession."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from spark_jobs.config import Profile
from spark_jobs.jobs import Job, JobContext, registered_jobs

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger("jangbogi.pipeline")


@dataclass(frozen=True)
class JobRun:
    """One job's outcome inside a pipeline run."""

    name: str
    seconds: float
    result: Any


def select_jobs(selectors: Iterable[str]) -> list[str]:
    """Expand selectors (a job name, a layer ``raw``/``silver``/``gold``, or ``all``) in pipeline order."""
    jobs = registered_jobs()
    wanted: list[str] = []
    for sel in selectors:
        if sel == "all":
            picked = list(jobs)
        elif sel in ("raw", "silver", "gold"):
            picked = [n for n, j in jobs.items() if j.layer == sel]
        elif sel in jobs:
            picked = [sel]
        else:
            raise KeyError(f"unknown job or layer {sel!r}; known jobs: {', '.join(jobs)}")
        wanted.extend(n for n in picked if n not in wanted)
    order = list(jobs)
    return sorted(wanted, key=order.index)


def job_context(job: Job, ctx: JobContext) -> JobContext:
    """Return the context ``job`` runs with: gold reaches back over the publication look-back.

    The raw jobs ask again the days KAMIS had not yet published (``kamis.publication_lookback_days``)
    and the silver jobs re-derive them, so an incremental gold job must rebuild those days too, or
    a price published late would reach silver but never a mart.
    """
    return ctx.with_lookback() if job.layer == "gold" else ctx


def run_jobs(
    spark: SparkSession,
    profile: Profile,
    names: Iterable[str],
    start: date,
    end: date,
    full_refresh: bool = False,
    options: dict[str, Any] | None = None,
) -> list[JobRun]:
    """Run the named jobs (or layers) in order for ``start``..``end``; stop at the first failure."""
    jobs = registered_jobs()
    ctx = JobContext.of(spark, profile, start, end, full_refresh, options or {})
    runs = []
    for name in select_jobs(names):
        t0 = time.perf_counter()
        job_ctx = job_context(jobs[name], ctx)
        log.info("job %s %s..%s starting", name, job_ctx.window.start, job_ctx.window.end)
        result = jobs[name].fn(job_ctx)
        secs = time.perf_counter() - t0
        log.info("job %s finished in %.1f s", name, secs)
        runs.append(JobRun(name, secs, result))
    return runs

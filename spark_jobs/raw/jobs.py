"""Raw jobs: one per record of the source registry, each storing every call verbatim (minus credentials)."""

from __future__ import annotations

from spark_jobs.jobs import JobContext, JobFn, job
from spark_jobs.raw.collect import CollectSummary, collect
from spark_jobs.sources import SOURCES, KamisSource


def _raw_job(source: KamisSource) -> JobFn:
    def run(ctx: JobContext) -> CollectSummary:
        return collect(ctx, source.key)

    run.__name__ = run.__qualname__ = source.key
    run.__doc__ = f"Collect {' / '.join(source.actions)} calls: {source.job_description}."
    return job(f"raw.{source.key}", source.job_description, order=source.order)(run)


JOBS: dict[str, JobFn] = {s.key: _raw_job(s) for s in SOURCES}


def __getattr__(name: str) -> JobFn:
    """Return a source's raw job by its key (``raw.jobs.product_info``)."""
    if name in JOBS:
        return JOBS[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

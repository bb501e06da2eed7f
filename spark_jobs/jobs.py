"""The job registry: every spark-submit-able job, its layer, one-line description and inputs."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from spark_jobs.config import Profile

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# Modules whose import registers jobs (each layer keeps its own list).
JOB_MODULES = ("spark_jobs.raw.jobs", "spark_jobs.silver.jobs", "spark_jobs.gold.jobs")


@dataclass(frozen=True)
class JobContext:
    """What every job gets: the session, the profile and the date window.

    Attributes:
        spark: The active SparkSession.
        profile: The loaded profile (storage, KAMIS endpoint …).
        start: First date of the window (inclusive).
        end: Last date of the window (inclusive).
        full_refresh: Rebuild the whole table rather than the window's partitions.
        options: Job-specific options from the command line (``--opt key=value``).
    """

    spark: SparkSession
    profile: Profile
    start: date
    end: date
    full_refresh: bool = False
    options: dict[str, Any] | None = None

    def days(self) -> list[date]:
        """Return every date in the window."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def opt(self, key: str, default: Any = None) -> Any:
        """Return a job option."""
        return (self.options or {}).get(key, default)

    def flag(self, key: str, default: bool = False) -> bool:
        """Return a yes/no job option; command-line strings such as "false", "0", "no" are False."""
        value = self.opt(key, default)
        if isinstance(value, str):
            return value.strip().lower() not in ("", "0", "false", "no", "off")
        return bool(value)


JobFn = Callable[[JobContext], Any]


@dataclass(frozen=True)
class Job:
    """A registered job."""

    name: str
    layer: str
    description: str
    fn: JobFn
    order: int


_JOBS: dict[str, Job] = {}


def job(name: str, description: str, order: int = 100) -> Callable[[JobFn], JobFn]:
    """Register ``fn`` as job ``name`` (``<layer>.<table or source>``); ``order`` sorts the pipeline."""

    def deco(fn: JobFn) -> JobFn:
        if name in _JOBS and _JOBS[name].fn is not fn:
            raise ValueError(f"job {name!r} registered twice")
        _JOBS[name] = Job(name, name.split(".", 1)[0], description, fn, order)
        return fn

    return deco


def registered_jobs() -> dict[str, Job]:
    """Import every layer's job module and return the jobs in pipeline order."""
    for module in JOB_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a layer not built yet registers nothing
            if exc.name != module:
                raise
    layer_rank = {"raw": 0, "silver": 1, "gold": 2}
    ordered = sorted(_JOBS.values(), key=lambda j: (layer_rank.get(j.layer, 9), j.order, j.name))
    return {j.name: j for j in ordered}


def get_job(name: str) -> Job:
    """Return a registered job or raise KeyError naming the known ones."""
    jobs = registered_jobs()
    if name not in jobs:
        raise KeyError(f"unknown job {name!r}; known: {', '.join(jobs)}")
    return jobs[name]

"""The job registry: every spark-submit-able job, its layer, one-line description and inputs."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from spark_jobs.config import Profile
from spark_jobs.window import Window

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from spark_jobs.lake import PublishResult
    from spark_jobs.quality.audit import ExtraCheck
    from spark_jobs.table_spec import TableSpec

# Modules whose import registers jobs (each layer keeps its own list).
JOB_MODULES = ("spark_jobs.raw.jobs", "spark_jobs.silver.jobs", "spark_jobs.gold.jobs")


# Days (ending at a run's window end) whose not_published answers every run asks again.
DEFAULT_PUBLICATION_LOOKBACK = 7


@dataclass(frozen=True)
class JobContext:
    """What every job gets: the session, the profile, the date window and the options.

    Attributes:
        spark: The active SparkSession.
        profile: The loaded profile (storage, KAMIS endpoint …).
        window: The days the job reads and publishes (:class:`~spark_jobs.window.Window`).
        options: Job-specific options from the command line (``--opt key=value``).
    """

    spark: SparkSession
    profile: Profile
    window: Window
    options: dict[str, Any] | None = None

    @classmethod
    def of(
        cls,
        spark: SparkSession,
        profile: Profile,
        start: date,
        end: date,
        full_refresh: bool = False,
        options: dict[str, Any] | None = None,
    ) -> JobContext:
        """Return the context of a run over ``start..end``; its window is built here, once.

        The publication look-back is ``kamis.publication_lookback_days`` (an option, else the
        profile's, default 7).
        """
        options = options or {}
        days = options.get("kamis.publication_lookback_days")
        if days is None:
            days = profile.get("kamis.publication_lookback_days", DEFAULT_PUBLICATION_LOOKBACK)
        return cls(spark, profile, Window.of(start, end, full_refresh, int(days)), options)

    def with_lookback(self) -> JobContext:
        """Return this context with its window starting at the publication look-back."""
        return replace(self, window=self.window.with_lookback())

    def read(
        self,
        spec: TableSpec,
        back_days: int = 0,
        ahead_days: int = 0,
        ranges: Sequence[tuple[date, date]] | None = None,
    ) -> DataFrame:
        """Read ``spec`` over the window's read range.

        Everything on a full refresh, and for a table without a date column.

        Args:
            spec: The table.
            back_days: History read before the window.
            ahead_days: Days read after the window.
            ranges: Explicit date ranges to read instead (their union), e.g. seasonal history.
        """
        from spark_jobs.lake import read_window

        if self.window.full_refresh or spec.date_column is None:
            return read_window(self.spark, spec, None, None)
        if ranges is None:
            return read_window(self.spark, spec, *self.window.read_range(back_days, ahead_days))
        if len(ranges) == 1:
            return read_window(self.spark, spec, *ranges[0])
        from pyspark.sql import functions as F

        df = read_window(self.spark, spec, ranges[0][0], ranges[-1][1])
        cond = None
        for lo, hi in ranges:
            part = F.col(spec.date_column).between(F.lit(lo), F.lit(hi))
            cond = part if cond is None else cond | part
        return df.where(cond)

    def publish(
        self,
        spec: TableSpec,
        df: DataFrame,
        start: date | None = None,
        end: date | None = None,
        extra_checks: Sequence[ExtraCheck] = (),
        replace_filter: str | None = None,
    ) -> PublishResult:
        """Write-audit-publish ``df`` into ``spec`` over the window's publish range.

        ``start``/``end`` override the range (whole weeks); a full refresh overwrites the table.
        ``conform`` happens here, in ``lake.publish``.
        """
        from spark_jobs.lake import publish

        return publish(
            self.spark,
            spec,
            df,
            start or self.window.start,
            end or self.window.end,
            self.window.full_refresh,
            extra_checks,
            replace_filter,
        )

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

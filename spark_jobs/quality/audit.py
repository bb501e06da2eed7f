"""One audit step for every table: grain uniqueness, NOT NULL, CHECK rules, extra checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


class AuditError(RuntimeError):
    """A table failed its audit; the published table was left as it was."""


@dataclass
class AuditReport:
    """What an audit found: row count and one message per violated rule."""

    table: str
    rows: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when no rule was violated."""
        return not self.failures


# An extra check gets the staged DataFrame and returns a failure message or None.
ExtraCheck = Callable[["DataFrame"], "str | None"]


def audit(
    df: DataFrame,
    spec: TableSpec,
    extra: Sequence[ExtraCheck] = (),
    inside: str | None = None,
) -> AuditReport:
    """Check ``df`` against ``spec``'s grain, NOT NULL columns and CHECK rules.

    Row count, NOT NULL, CHECK, the window and the grain's distinct count are one aggregation
    (one pass over the rows); the duplicated keys are listed only when there are some.

    Args:
        df: The rows about to be published (pinned, so that every check sees the same rows).
        spec: The table contract.
        extra: Job-specific checks (rows against raw, freshness …).
        inside: A SQL predicate every row must satisfy (the publish window), or None.

    Returns:
        The report; callers raise :class:`AuditError` when it is not ok.
    """
    from pyspark.sql import functions as F

    report = AuditReport(spec.full_name)
    aggs = [F.count(F.lit(1)).alias("__rows")]
    if spec.grain:
        aggs.append(F.count_distinct(F.struct(*spec.grain)).alias("__keys"))
    if inside is not None:
        aggs.append(F.sum((~F.coalesce(F.expr(inside), F.lit(False))).cast("int")).alias("__out"))
    for col in spec.not_null:
        aggs.append(F.sum(F.col(col).isNull().cast("int")).alias(f"nn__{col}"))
    for name, expr in spec.checks.items():
        aggs.append(
            F.sum((~F.coalesce(F.expr(expr), F.lit(True))).cast("int")).alias(f"ck__{name}")
        )
    row = df.agg(*aggs).collect()[0].asDict()
    report.rows = int(row.pop("__rows"))
    keys = row.pop("__keys", None)
    outside = row.pop("__out", None)
    if outside:
        report.failures.append(f"{outside} rows outside the window ({inside})")
    for key, bad in row.items():
        if bad:
            kind, name = key.split("__", 1)
            what = "null values in NOT NULL column" if kind == "nn" else "rows violating CHECK"
            report.failures.append(
                f"{bad} {what} {name!r}" + (f" ({spec.checks[name]})" if kind == "ck" else "")
            )
    if spec.grain and report.rows and keys is not None and keys < report.rows:
        dupes = df.groupBy(*spec.grain).count().where("count > 1")
        n = dupes.count()
        sample = ", ".join(str(r.asDict()) for r in dupes.limit(3).collect())
        report.failures.append(f"{n} duplicated grain keys {spec.grain}, e.g. {sample}")
    for check in extra:
        msg = check(df)
        if msg:
            report.failures.append(msg)
    return report

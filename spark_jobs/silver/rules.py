"""Shared silver transforms: typing rules that split rows into good / quarantined, newest-wins de-dup.

A :class:`Rule` names a reason and a condition that makes a row bad. :func:`validate` applies the
table's own rules, then the contract's NOT NULL and CHECK rules (so the audit cannot fail on data:
every row that would break the contract is quarantined with the rule's name instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

# Lineage columns ordering the versions of a row: newest fetch, then request, then body position.
NEWEST_FIRST = ("fetched_at", "request_id", "row_no")


@dataclass(frozen=True)
class Rule:
    """A typing rule: rows where ``bad`` is true go to quarantine with ``reason`` and ``detail``."""

    reason: str
    bad: Column
    detail: Column


def iso_date(col: str) -> Column:
    """Return ``col`` ('YYYY-MM-DD' string) as a DATE, null when it is not a valid date."""
    from pyspark.sql import functions as F

    return F.try_to_date(F.col(col), "yyyy-MM-dd")


def bad_date_rule(raw_col: str, typed_col: str, required: bool = True) -> Rule:
    """Return a rule for a date string that does not parse (or is missing when ``required``)."""
    from pyspark.sql import functions as F

    unparsable = F.col(raw_col).isNotNull() & F.col(typed_col).isNull()
    bad = (unparsable | F.col(raw_col).isNull()) if required else unparsable
    return Rule(
        "bad_date", bad, F.concat(F.lit(f"{raw_col}="), F.coalesce(F.col(raw_col), F.lit("null")))
    )


def positive_price_rule(cols: Sequence[str]) -> Rule:
    """Return a rule for any price that is zero or negative (null prices are fine)."""
    from pyspark.sql import functions as F

    bad = F.lit(False)
    detail = F.lit(None).cast("string")
    for c in reversed(cols):
        bad = bad | F.coalesce(F.col(c) <= 0, F.lit(False))
        detail = F.when(F.col(c) <= 0, F.concat(F.lit(f"{c}="), F.col(c).cast("string"))).otherwise(
            detail
        )
    return Rule("non_positive_price", bad, detail)


def known_code_rule(reason: str, col: str, flag_col: str, required: bool = True) -> Rule:
    """Return a rule for a code absent from a reference set (``flag_col`` true when found)."""
    from pyspark.sql import functions as F

    missing = F.col(flag_col).isNull()
    bad = missing if required else (F.col(col).isNotNull() & missing)
    return Rule(reason, bad, F.concat(F.lit(f"{col}="), F.coalesce(F.col(col), F.lit("null"))))


def flag_known(df: DataFrame, codes: DataFrame, col: str, flag_col: str) -> DataFrame:
    """Left-join a set of known codes (a frame with column ``col``) as a boolean ``flag_col``."""
    from pyspark.sql import functions as F

    known = (
        codes.select(F.col(col))
        .where(F.col(col).isNotNull())
        .distinct()
        .withColumn(flag_col, F.lit(True))
    )
    return df.join(F.broadcast(known), on=col, how="left")


def validate(
    df: DataFrame,
    spec: TableSpec,
    rules: Iterable[Rule],
    payload_cols: Sequence[str],
    skip_not_null: Sequence[str] = (),
    apply_checks: bool = True,
) -> tuple[DataFrame, DataFrame]:
    """Split typed rows into (good, quarantined) by the rules, then the contract's NOT NULL / CHECKs.

    Args:
        df: Typed rows with lineage (action, request_id, req_dt) and the payload columns.
        spec: The target table's contract.
        rules: Table-specific rules, applied first (the first failing rule names the reason).
        payload_cols: Columns serialised as the quarantine payload (the row as parsed).
        skip_not_null: NOT NULL columns the caller handles itself (e.g. prices it filters).
        apply_checks: False when the rows are not yet in the table's shape (a pivot follows) and
            the table-specific rules already cover its CHECKs.

    Returns:
        ``good`` (df's columns) and ``bad`` with columns action, request_id, reason, detail,
        payload, req_dt.
    """
    from pyspark.sql import functions as F

    all_rules = list(rules)
    for col in spec.not_null:
        if col in df.columns and col not in skip_not_null:
            all_rules.append(Rule(f"null_{col}", F.col(col).isNull(), F.lit(f"{col} is null")))
    for name, expr in spec.checks.items() if apply_checks else ():
        all_rules.append(Rule(f"check_{name}", ~F.coalesce(F.expr(expr), F.lit(True)), F.lit(expr)))
    reason = F.coalesce(
        *[F.when(r.bad, F.lit(r.reason)) for r in all_rules], F.lit(None).cast("string")
    )
    detail = F.coalesce(*[F.when(r.bad, r.detail) for r in all_rules], F.lit(None).cast("string"))
    payload = F.substring(F.to_json(F.struct(*[F.col(c) for c in payload_cols])), 1, 2000)
    marked = df.withColumn("__reason", reason).withColumn("__detail", detail)
    good = marked.where(F.col("__reason").isNull()).drop("__reason", "__detail")
    bad = marked.where(F.col("__reason").isNotNull()).select(
        "action",
        "request_id",
        F.col("__reason").alias("reason"),
        F.col("__detail").alias("detail"),
        payload.alias("payload"),
        "req_dt",
    )
    return good, bad


def newest_per_key(
    df: DataFrame, keys: Sequence[str], order: Sequence[str] = NEWEST_FIRST
) -> DataFrame:
    """Keep one row per ``keys``: the newest fetch wins (ties: larger request_id, later row)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = Window.partitionBy(*keys).orderBy(*[F.col(c).desc() for c in order])
    return df.withColumn("__rn", F.row_number().over(w)).where("__rn = 1").drop("__rn")


def within(df: DataFrame, col: str, start: date | None, end: date | None) -> DataFrame:
    """Keep rows whose ``col`` lies in ``start``..``end`` (inclusive; no filter when None)."""
    from pyspark.sql import functions as F

    if start is not None:
        df = df.where(F.col(col) >= F.lit(start))
    if end is not None:
        df = df.where(F.col(col) <= F.lit(end))
    return df

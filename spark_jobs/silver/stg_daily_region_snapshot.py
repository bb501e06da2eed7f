"""stg_daily_region_snapshot: dailyCountyList snapshots (latest survey day per region, as collected)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from spark_jobs import sources
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult
from spark_jobs.silver.parse import COUNTY_FIELDS
from spark_jobs.silver.rules import (
    bad_date_rule,
    flag_known,
    iso_date,
    known_code_rule,
    newest_per_key,
    positive_price_rule,
    validate,
    within,
)
from spark_jobs.silver.stg_quarantine import to_quarantine
from spark_jobs.silver.tables import STG_DAILY_REGION_SNAPSHOT as SPEC
from spark_jobs.silver.template import Known, StgJob

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(
    rows: DataFrame,
    regions: DataFrame,
    start: date | None,
    end: date | None,
    detected_at: datetime,
) -> tuple[DataFrame, DataFrame]:
    """DailyCountyList rows → snapshot rows keyed by the day they were collected (req_dt).

    Args:
        rows: The parse step's dailyCountyList rows (COUNTY_FIELDS + lineage).
        regions: Known region codes (country_cd).
        start: First collected_dt published (None: all).
        end: Last collected_dt published (None: all).
        detected_at: Stamped on quarantine rows.
    """
    from pyspark.sql import functions as F

    typed = (
        rows.withColumnRenamed("snapshot_dt", "snapshot_dt__s")
        .withColumn("snapshot_dt", iso_date("snapshot_dt__s"))
        .withColumn("collected_dt", F.col("req_dt"))
    )
    typed = flag_known(typed, regions, "country_cd", "__region_ok")
    rules = [
        bad_date_rule("snapshot_dt__s", "snapshot_dt"),
        positive_price_rule(["price", "price_1d", "price_1m", "price_1y"]),
        known_code_rule("unknown_region", "country_cd", "__region_ok"),
    ]
    payload = [c if c != "snapshot_dt" else "snapshot_dt__s" for c in COUNTY_FIELDS]
    good, bad = validate(typed, SPEC, rules, payload)
    out = within(newest_per_key(good, SPEC.grain), "collected_dt", start, end)
    return out.select(*SPEC.columns), to_quarantine(bad, SPEC.name, detected_at, start, end)


def _build(rows: DataFrame, known: Known, start, end, detected_at):
    out, bad = transform(rows, known.regions, start, end, detected_at)
    return {SPEC.name: out}, bad


JOB = StgJob(sources.DAILY_COUNTY, (SPEC,), _build)


@job(
    "silver.stg_daily_region_snapshot",
    "dailyCountyList bodies → latest regional snapshot per collection day",
    order=21,
)
def run(ctx: JobContext) -> PublishResult:
    """Run the silver template for this table (see :class:`~spark_jobs.silver.template.StgJob`)."""
    return JOB.run(ctx)

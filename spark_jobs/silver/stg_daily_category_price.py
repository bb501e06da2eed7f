"""stg_daily_category_price: dailyPriceByCategoryList rows, typed, checked and de-duplicated."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from spark_jobs import sources
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult
from spark_jobs.silver.parse import CATEGORY_FIELDS
from spark_jobs.silver.rules import (
    Rule,
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
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE as SPEC
from spark_jobs.silver.template import Known, StgJob

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

PRICES = ("price", "price_1d", "price_1w", "price_2w", "price_1m", "price_1y", "price_normal")
# Reference dates → allowed distance in days before res_dt. The "MM/DD" labels carry no year, so
# a label resolved into the wrong year lands ~365 days off and is caught here.
LABEL_DAYS = {
    "dt_1d": (1, 31),
    "dt_1w": (1, 31),
    "dt_2w": (1, 31),
    "dt_1m": (28, 31),
    "dt_1y": (365, 366),
}


def _label_rule() -> Rule:
    from pyspark.sql import functions as F

    bad = F.lit(False)
    detail = F.lit(None).cast("string")
    for col, (lo, hi) in reversed(LABEL_DAYS.items()):
        gap = F.datediff(F.col("res_dt"), F.col(col))
        off = F.coalesce((gap < lo) | (gap > hi), F.lit(False))
        bad = bad | off
        detail = F.when(
            off,
            F.concat(
                F.lit(f"{col}="),
                F.col(col).cast("string"),
                F.lit(" res_dt="),
                F.col("res_dt").cast("string"),
            ),
        ).otherwise(detail)
    return Rule("label_date_out_of_range", bad, detail)


def transform(
    rows: DataFrame,
    regions: DataFrame,
    items: DataFrame,
    start: date | None,
    end: date | None,
    detected_at: datetime,
) -> tuple[DataFrame, DataFrame]:
    """Type, check and de-duplicate parsed dailyPriceByCategoryList rows.

    Args:
        rows: The parse step's rows (CATEGORY_FIELDS as strings/doubles + lineage, row_no).
        regions: Known region codes (column country_cd, incl. '0000').
        items: Known item codes (column item_cd).
        start: First res_dt published (None: all).
        end: Last res_dt published (None: all).
        detected_at: Stamped on quarantine rows.

    Returns:
        (table rows in the contract's columns, quarantine rows for stg_quarantine).
    """
    from pyspark.sql import functions as F

    date_cols = ("res_dt", *LABEL_DAYS)
    typed = rows.select(
        *[F.col(c).alias(f"{c}__s") for c in date_cols],
        *[c for c in rows.columns if c not in date_cols],
        *[iso_date(c).alias(c) for c in date_cols],
    )
    typed = flag_known(typed, regions, "country_cd", "__region_ok")
    typed = flag_known(typed, items, "item_cd", "__item_ok")
    rules = [
        bad_date_rule("res_dt__s", "res_dt"),
        *[bad_date_rule(f"{c}__s", c, required=False) for c in LABEL_DAYS],
        _label_rule(),
        positive_price_rule(PRICES),
        known_code_rule("unknown_region", "country_cd", "__region_ok"),
        known_code_rule("unknown_item", "item_cd", "__item_ok"),
    ]
    payload = [c if c not in date_cols else f"{c}__s" for c in CATEGORY_FIELDS]
    good, bad = validate(typed, SPEC, rules, payload)
    out = within(newest_per_key(good, SPEC.grain), "res_dt", start, end)
    return out.select(*SPEC.columns), to_quarantine(bad, SPEC.name, detected_at, start, end)


def _build(rows: DataFrame, known: Known, start, end, detected_at):
    out, bad = transform(rows, known.regions, known.items, start, end, detected_at)
    return {SPEC.name: out}, bad


# The window reaches back over the publication look-back: the raw job asks those days again when
# KAMIS had not published them, and their prices must reach this table without a backfill.
JOB = StgJob(sources.DAILY_PRICE_BY_CATEGORY, (SPEC,), _build, follows_lookback=True)


@job(
    "silver.stg_daily_category_price",
    "dailyPriceByCategoryList bodies → typed daily prices per region and item",
    order=20,
)
def run(ctx: JobContext) -> PublishResult:
    """Run the silver template for this table (see :class:`~spark_jobs.silver.template.StgJob`)."""
    return JOB.run(ctx)

"""stg_daily_category_price: dailyPriceByCategoryList rows, typed, checked and de-duplicated."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import publish
from spark_jobs.raw.collect import with_publication_lookback
from spark_jobs.raw.tables import DAILY_PRICE_BY_CATEGORY
from spark_jobs.silver import runner
from spark_jobs.silver.parse import CATEGORY_FIELDS, parse_raw, rows_against_raw
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
from spark_jobs.silver.stg_quarantine import publish_quarantine, to_quarantine
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE as SPEC

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


@job(
    "silver.stg_daily_category_price",
    "dailyPriceByCategoryList bodies → typed daily prices per region and item",
    order=20,
)
def run(ctx: JobContext):
    """Parse the window's raw bodies, publish the table and its quarantine rows.

    The window reaches back over the publication look-back (``with_publication_lookback``):
    the raw job asks those days again when KAMIS had not published them, and their prices
    must reach this table without a separate backfill.
    """
    ctx = with_publication_lookback(ctx)
    start, end = runner.job_window(ctx)
    raw = runner.read_raw_window(ctx.spark, DAILY_PRICE_BY_CATEGORY, start, end)
    parsed = parse_raw(raw, CATEGORY_FIELDS).persist()
    try:
        detected_at = runner.now_utc()
        regions, items = runner.known_regions(ctx.spark), runner.known_items(ctx.spark)
        out, bad = transform(parsed.rows, regions, items, start, end, detected_at)
        quarantine = to_quarantine(
            parsed.quarantine, SPEC.name, detected_at, start, end
        ).unionByName(bad)
        publish_quarantine(ctx.spark, quarantine, [SPEC.name], ctx.start, ctx.end, ctx.full_refresh)
        return publish(
            ctx.spark, SPEC, out, ctx.start, ctx.end, ctx.full_refresh, [rows_against_raw(parsed)]
        )
    finally:
        parsed.unpersist()

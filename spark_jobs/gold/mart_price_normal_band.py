"""mart_price_normal_band: our own 평년 (normal-year price), its band and the price index.

KAMIS' definition, rebuilt from our history: for a day d and each of the previous 5 years, the
mean price of the survey days in d−3..d+3 shifted to that year is that year's mean; the highest
and the lowest yearly mean are dropped and the rest averaged. A year counts only with at least
3 prices in its period (one stray price is no yearly mean), and with fewer than 3 such years
there is no 평년 (and no band), so the buy signal and the alerts never lean on thin history.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._common import pct_change
from spark_jobs.gold._signals import (
    HISTORY_YEARS,
    LABELS,
    SERIES_KEY,
    centered_stats,
    earlier_years,
    in_window,
    lookback_ranges,
    ratio_pct,
    read_prices,
    retail_series,
)
from spark_jobs.gold.tables import MART_PRICE_NORMAL_BAND as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

# Days either side of d in the 평년 period (d−3..d+3).
HALF_WIDTH_DAYS = 3
# Yearly means needed: dropping the highest and lowest must leave at least one.
MIN_YEARS = 3
# Prices a year's period needs to count: most of the ~5 survey days of a 7-day period.
MIN_OBS_PER_YEAR = 3


def transform(prices: DataFrame, start: date | None = None, end: date | None = None) -> DataFrame:
    """Return one row per retail series and day in ``start``..``end`` with its 평년 and band.

    Args:
        prices: ``stg_daily_category_price`` rows covering the window and, for each of the
            previous 5 years, the window shifted to that year ±3 days.
        start: First ``res_dt`` to build (None = open).
        end: Last ``res_dt`` to build (None = open).

    Returns:
        The mart's columns (see the contract's column_docs).
    """
    from pyspark.sql import functions as F

    series = retail_series(prices)
    targets = in_window(series, start, end)
    centers = earlier_years(targets.select(*SERIES_KEY, "res_dt"), HISTORY_YEARS)
    yearly = centers.join(
        centered_stats(series, centers, HALF_WIDTH_DAYS), [*SERIES_KEY, "center_day"]
    ).where(F.col("obs_cnt") > 0)
    full = F.col("obs_cnt") >= MIN_OBS_PER_YEAR
    yearly = yearly.withColumn("mean_price", F.when(full, F.col("mean_price")))
    n = F.count("mean_price")
    per_day = yearly.groupBy(*SERIES_KEY, "res_dt").agg(
        n.alias("years_used"),
        F.count(F.lit(1)).alias("years_priced"),
        F.sum(F.when(full, F.col("obs_cnt")).otherwise(F.lit(0))).alias("obs_used"),
        # ANSI mode raises on x / 0, so the division only runs with ≥ 3 years.
        F.when(
            n >= MIN_YEARS,
            (F.sum("mean_price") - F.max("mean_price") - F.min("mean_price")) / (n - 2),
        ).alias("normal_raw"),
        F.min("mean_price").alias("min_raw"),
        F.max("mean_price").alias("max_raw"),
    )
    enough = F.col("years_used") >= MIN_YEARS
    return conform(
        targets.join(per_day, [*SERIES_KEY, "res_dt"], "left").select(
            "res_dt",
            *SERIES_KEY,
            *LABELS,
            "price",
            F.when(enough, F.round("normal_raw", 1)).alias("normal_price"),
            F.when(enough, F.round("min_raw", 1)).alias("band_min"),
            F.when(enough, F.round("max_raw", 1)).alias("band_max"),
            F.coalesce("years_used", F.lit(0)).alias("years_used"),
            F.coalesce("years_priced", F.lit(0)).alias("years_priced"),
            F.coalesce("obs_used", F.lit(0)).alias("obs_used"),
            F.when(enough, ratio_pct(F.col("price"), F.col("normal_raw"))).alias("price_index"),
            F.col("price_normal").alias("api_normal_price"),
            F.when(enough, pct_change(F.col("normal_raw"), F.col("price_normal"))).alias(
                "normal_diff_pct"
            ),
        ),
        SPEC,
    )


@job(
    "gold.mart_price_normal_band",
    "our own 평년 (5 years, ±3 days, max/min dropped), band and price index",
    order=50,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window plus the same ±3-day periods of the previous 5 years, build, publish."""
    ranges = lookback_ranges(
        ctx.window.start, ctx.window.end, years=HISTORY_YEARS, half_width=HALF_WIDTH_DAYS
    )
    return ctx.publish(SPEC, transform(read_prices(ctx, ranges), *ctx.window.bounds))

"""mart_volatility: how much an item's price swings, as of each day, over 4 and 52 weeks.

The coefficient of variation (sample standard deviation / mean × 100) of the priced survey days
in the 28 and 364 calendar days ending on res_dt, with the number of prices behind each figure so
readers can discount thin ones.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._signals import (
    LABELS,
    SERIES_KEY,
    days_window,
    in_window,
    lookback_ranges,
    read_prices,
    retail_series,
)
from spark_jobs.gold.tables import MART_VOLATILITY as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

SHORT_DAYS = 4 * 7
LONG_DAYS = 52 * 7


def _cv_and_count(days: int) -> tuple[Column, Column]:
    """CV % (1 dp; null below 2 prices) and the number of prices in the ``days`` days ending on the row."""
    from pyspark.sql import functions as F

    w = days_window(-(days - 1), 0)
    mean, sd, n = F.avg("price").over(w), F.stddev_samp("price").over(w), F.count("price").over(w)
    return F.when((n >= 2) & (mean > 0), F.round(sd / mean * 100, 1)), n


def transform(prices: DataFrame, start: date | None = None, end: date | None = None) -> DataFrame:
    """Return one row per retail series and day in ``start``..``end`` (a '-' day included).

    Args:
        prices: ``stg_daily_category_price`` rows covering the window and the 363 days before it.
        start: First ``res_dt`` to build (None = open).
        end: Last ``res_dt`` to build (None = open).

    Returns:
        The mart's columns: cv_4w_pct / obs_4w over 28 days, cv_52w_pct / obs_52w over 364 days.
    """
    cv_4w, obs_4w = _cv_and_count(SHORT_DAYS)
    cv_52w, obs_52w = _cv_and_count(LONG_DAYS)
    stats = retail_series(prices).select(
        "*",
        cv_4w.alias("cv_4w_pct"),
        cv_52w.alias("cv_52w_pct"),
        obs_4w.alias("obs_4w"),
        obs_52w.alias("obs_52w"),
    )
    return conform(
        in_window(stats, start, end).select(
            "res_dt", *SERIES_KEY, *LABELS, "cv_4w_pct", "cv_52w_pct", "obs_4w", "obs_52w"
        ),
        SPEC,
    )


@job(
    "gold.mart_volatility",
    "coefficient of variation of retail prices over 4 and 52 weeks",
    order=70,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window plus 363 days of look-back, build, publish."""
    ranges = lookback_ranges(ctx.window.start, ctx.window.end, back_days=LONG_DAYS - 1)
    return ctx.publish(SPEC, transform(read_prices(ctx, ranges), *ctx.window.bounds))

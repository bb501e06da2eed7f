"""mart_price_trend: daily retail series with 7- and 28-day moving averages, MoM and YoY.

The moving averages are calendar-day range windows over the survey days that have a price, so a
weekend or a holiday shortens a window instead of stretching it. MoM and YoY compare with KAMIS'
own reference prices on the same row (dpr5 one month before, dpr6 one year before), which need
no history of ours; ``normal_price`` is KAMIS' 평년 (dpr7) — our own is in mart_price_normal_band.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._common import pct_change
from spark_jobs.gold._signals import (
    LABELS,
    SERIES_KEY,
    in_window,
    lookback_ranges,
    moving_avg,
    read_prices,
    retail_series,
)
from spark_jobs.gold.tables import MART_PRICE_TREND as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

SHORT_DAYS = 7
LONG_DAYS = 28
# A moving average needs at least this many priced days in its window (about half of the
# 5 / 20 working days a full window holds), so a series that just started shows no average.
MIN_OBS_SHORT = 3
MIN_OBS_LONG = 12


def transform(prices: DataFrame, start: date | None = None, end: date | None = None) -> DataFrame:
    """Return one row per priced retail series and day in ``start``..``end``.

    Args:
        prices: ``stg_daily_category_price`` rows covering the window and the 27 days before it.
        start: First ``res_dt`` to build (None = open).
        end: Last ``res_dt`` to build (None = open).

    Returns:
        The mart's columns: price, ma7, ma28 (1 dp), price_1m / mom_pct (vs KAMIS dpr5),
        price_1y / yoy_pct (vs KAMIS dpr6), normal_price (KAMIS dpr7).
    """
    from pyspark.sql import functions as F

    priced = retail_series(prices).where(F.col("price").isNotNull())
    with_ma = priced.select(
        "*",
        moving_avg(SHORT_DAYS, MIN_OBS_SHORT).alias("ma7"),
        moving_avg(LONG_DAYS, MIN_OBS_LONG).alias("ma28"),
    )
    return conform(
        in_window(with_ma, start, end).select(
            "res_dt",
            *SERIES_KEY,
            *LABELS,
            "price",
            "ma7",
            "ma28",
            "price_1m",
            pct_change(F.col("price"), F.col("price_1m")).alias("mom_pct"),
            "price_1y",
            pct_change(F.col("price"), F.col("price_1y")).alias("yoy_pct"),
            F.col("price_normal").alias("normal_price"),
        ),
        SPEC,
    )


@job(
    "gold.mart_price_trend",
    "daily retail series with 7/28-day moving averages, MoM and YoY",
    order=60,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window plus 27 days of look-back, build, publish."""
    ranges = lookback_ranges(ctx.window.start, ctx.window.end, back_days=LONG_DAYS - 1)
    return ctx.publish(SPEC, transform(read_prices(ctx, ranges), *ctx.window.bounds))

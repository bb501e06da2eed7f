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
    trailing_pairs,
    use_pairs,
)
from spark_jobs.gold.tables import MART_VOLATILITY as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

SHORT_DAYS = 4 * 7
LONG_DAYS = 52 * 7


def _cv(mean: Column, sd: Column, n: Column) -> Column:
    """CV % (1 dp) of a mean and sample standard deviation; null below 2 prices or at a mean ≤ 0."""
    from pyspark.sql import functions as F

    return F.when((n >= 2) & (mean > 0), F.round(sd / mean * 100, 1))


def _by_window(series: DataFrame, start: date | None, end: date | None) -> DataFrame:
    """The figures from two range windows over every row read (a rebuild's form)."""
    from pyspark.sql import functions as F

    cols = []
    for days, tag in ((SHORT_DAYS, "4w"), (LONG_DAYS, "52w")):
        w = days_window(-(days - 1), 0)
        n = F.count("price").over(w)
        cols += [
            _cv(F.avg("price").over(w), F.stddev_samp("price").over(w), n).alias(f"cv_{tag}_pct"),
            n.alias(f"obs_{tag}"),
        ]
    return in_window(series.select("*", *cols), start, end)


def _by_pairs(series: DataFrame, start: date | None, end: date | None) -> DataFrame:
    """The same figures from each published row's own look-back (a short window's form)."""
    from pyspark.sql import functions as F

    targets = in_window(series, start, end)
    pairs = trailing_pairs(targets, series.where(F.col("price").isNotNull()), LONG_DAYS - 1)
    cols = []
    for days, tag in ((SHORT_DAYS, "4w"), (LONG_DAYS, "52w")):
        price = F.when(F.col("lag") < days, F.col("h_price"))
        n = F.count(price)
        cols += [
            _cv(F.avg(price), F.stddev_samp(price), n).alias(f"cv_{tag}_pct"),
            n.alias(f"obs_{tag}"),
        ]
    stats = pairs.groupBy(*SERIES_KEY, "day_no").agg(*cols)
    return targets.join(stats, [*SERIES_KEY, "day_no"], "left")


def transform(
    prices: DataFrame,
    start: date | None = None,
    end: date | None = None,
    pairs: bool | None = None,
) -> DataFrame:
    """Return one row per retail series and day in ``start``..``end`` (a '-' day included).

    Args:
        prices: ``stg_daily_category_price`` rows covering the window and the 363 days before it.
        start: First ``res_dt`` to build (None = open).
        end: Last ``res_dt`` to build (None = open).
        pairs: Build from look-back pairs (True) or range windows (False); None: pairs for a
            window of at most ``PAIRS_MAX_DAYS`` days (see ``_signals``). Both give the same rows.

    Returns:
        The mart's columns: cv_4w_pct / obs_4w over 28 days, cv_52w_pct / obs_52w over 364 days.
    """
    series = retail_series(prices)
    build = _by_pairs if use_pairs(start, end, pairs) else _by_window
    return conform(
        build(series, start, end).select(
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

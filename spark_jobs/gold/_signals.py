"""Shared pieces of the price-signal marts (normal band, trend, buy signal, alerts, volatility).

Every one of them works on the retail series of ``stg_daily_category_price``: one price per
survey day for each (region, item, kind, rank). KAMIS surveys on working days only, so the
windows here are calendar-day *range* windows over the days that exist (``day_no`` = days since
1970-01-01), never row counts; weekends, holidays and '-' prices simply contribute nothing.

Seasonal statistics ("the same period in earlier years") use probe rows: each wanted centre date
(a target day shifted back 1..5 years) is added to the series as a price-less row, one range
window of ±k days runs over the union, and the probes read their statistics off it. This is
linear in history + targets (no range join, no per-target explosion of history).

Trailing statistics over a long look-back (a year for the buy signal and the 52-week volatility)
have two equal forms. A range window computes the figure for *every* row it reads, history
included, and Spark re-aggregates a sliding frame row by row: rows × frame work, most of it
thrown away when a daily run keeps one week. So when a run publishes at most
:data:`PAIRS_MAX_DAYS` days, :func:`trailing_pairs` pairs each published row with its own
series' look-back (an equi-join on the series with a day range) and the statistic is one
group-by over those pairs: targets × frame work, flat in how many earlier rows are read for
other purposes. A rebuild (every row is a target) keeps the window.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

from spark_jobs.gold._common import category_nm, date_between
from spark_jobs.gold._units import unit_text
from spark_jobs.kamis import codes
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, WindowSpec

    from spark_jobs.jobs import JobContext

# The survey unit is part of a series: when KAMIS changes it (1kg → 500g) a new series starts,
# so the halved price is not read as a −50 % move. ``series_unit`` is the unit text ('' when
# unknown, so joins on it match); it is a working column, never a mart column.
SERIES_UNIT = "series_unit"
SERIES_KEY = ["country_cd", "item_cd", "kind_cd", "rank_cd", SERIES_UNIT]
# Descriptive columns carried from the silver row onto every mart row.
LABELS = ["country_nm", "category_cd", "category_nm", "item_nm", "kind_nm", "rank_nm", "unit"]
# How many earlier years the seasonal statistics look at (KAMIS 평년 uses 5).
HISTORY_YEARS = 5
# A window whose earliest price lies within this many days of its start counts as full
# (holidays such as 설날 keep KAMIS silent for up to a week).
FULL_WINDOW_SLACK_DAYS = 7
# Up to this many published days a trailing statistic is built from (row, look-back) pairs;
# beyond it (a rebuild, a long backfill) from one range window over all rows read.
PAIRS_MAX_DAYS = 62


def with_series_unit(df: DataFrame) -> DataFrame:
    """Add ``series_unit``: the unit (or the kind name's '(…)' suffix), '' when neither is known."""
    from pyspark.sql import functions as F

    return df.withColumn(SERIES_UNIT, F.coalesce(unit_text(), F.lit("")))


def retail_series(prices: DataFrame) -> DataFrame:
    """Return the retail rows of ``stg_daily_category_price`` with ``category_nm``, ``day_no`` and ``series_unit``.

    Rows with a null price are kept (they are still "the item was listed that day"); every
    statistic below ignores null prices.
    """
    from pyspark.sql import functions as F

    return (
        with_series_unit(prices.where(F.col("product_cls_cd") == codes.RETAIL))
        .withColumn("category_nm", category_nm())
        .withColumn("day_no", F.unix_date("res_dt"))
    )


def pct_text(x: Column) -> Column:
    """Render a percentage for a sentence: one decimal below 1 % ('0.4'), else whole ('12')."""
    from pyspark.sql import functions as F

    tenth = F.round(x, 1)
    return F.when(F.abs(tenth) < 1, F.format_number(tenth, 1)).otherwise(
        F.round(x, 0).cast("int").cast("string")
    )


def span_days(days_back: int, last: int = 0) -> Column:
    """Calendar days from the earliest price in the window ``day_no − days_back .. day_no + last`` to the row.

    How much history a windowed figure really rests on: 30 days into a demo, a 365-day window
    holds 30 days (say so instead of '지난 1년').
    """
    from pyspark.sql import functions as F

    return F.col("day_no") - F.min("day_no").over(days_window(-days_back, last))


def span_label(span: Column, window_days: int, full: str, prefix: str) -> Column:
    """``full`` (e.g. '지난 1년') when ``span`` covers the window bar a week, else '<prefix>N일'.

    Args:
        span: Calendar days the history really covers.
        window_days: The window's length in days.
        full: Label of a (nearly) full window.
        prefix: Start of the shorter label, e.g. '지난 ' → '지난 30일'.
    """
    from pyspark.sql import functions as F

    return F.when(span >= window_days - FULL_WINDOW_SLACK_DAYS, F.lit(full)).otherwise(
        F.concat(F.lit(prefix), span.cast("int").cast("string"), F.lit("일"))
    )


def in_window(df: DataFrame, start: date | None, end: date | None) -> DataFrame:
    """Keep rows whose ``res_dt`` lies in ``start``..``end`` (a None bound is open)."""
    return df.where(date_between("res_dt", start, end))


def days_window(first: int, last: int) -> WindowSpec:
    """Return a per-series window over calendar days ``day_no + first .. day_no + last``."""
    from pyspark.sql import Window

    return Window.partitionBy(*SERIES_KEY).orderBy("day_no").rangeBetween(first, last)


def moving_avg(days: int, min_obs: int, digits: int | None = 1) -> Column:
    """Mean price over the ``days`` calendar days ending on the row; null below ``min_obs`` prices.

    Rounded to ``digits`` decimals (None: unrounded, for figures derived from it).
    """
    from pyspark.sql import functions as F

    w = days_window(-(days - 1), 0)
    mean = F.avg("price").over(w)
    return F.when(
        F.count("price").over(w) >= min_obs, mean if digits is None else F.round(mean, digits)
    )


def use_pairs(start: date | None, end: date | None, pairs: bool | None = None) -> bool:
    """Whether trailing statistics for ``start``..``end`` are built by :func:`trailing_pairs`.

    Args:
        start: First published day (None: open, a rebuild).
        end: Last published day (None: open).
        pairs: Force one form (tests compare both); None chooses by the window's length.
    """
    if pairs is not None:
        return pairs
    return start is not None and end is not None and (end - start).days < PAIRS_MAX_DAYS


def trailing_pairs(
    targets: DataFrame, history: DataFrame, back_days: int, keep: tuple[str, ...] = ()
) -> DataFrame:
    """Pair each target (series, day) with its series' history rows ``day_no − back_days .. day_no``.

    Args:
        targets: Rows with ``SERIES_KEY`` and ``day_no`` (and the ``keep`` columns); duplicates
            are dropped, so a statistic is computed once per distinct target.
        history: Rows with ``SERIES_KEY``, ``day_no`` and ``price`` (every row counts: filter
            null prices out first where a statistic should ignore them).
        back_days: How many calendar days before the target its look-back reaches.
        keep: Further target columns to carry (e.g. today's price for a percentile).

    Returns:
        ``SERIES_KEY``, ``day_no``, the ``keep`` columns, ``h_day_no`` and ``h_price``: one row per
        pair, or one row with null ``h_*`` for a target without any history (a left join), and
        ``lag`` = day_no − h_day_no (0 = the target's own day).
    """
    from pyspark.sql import functions as F

    t = targets.select(*SERIES_KEY, "day_no", *keep).distinct().alias("t")
    h = history.select(
        *[F.col(k).alias(f"h_{k}") for k in SERIES_KEY],
        F.col("day_no").alias("h_day_no"),
        F.col("price").alias("h_price"),
    ).alias("h")
    on = [F.col(f"t.{k}") == F.col(f"h.h_{k}") for k in SERIES_KEY]
    on += [F.col("h.h_day_no").between(F.col("t.day_no") - back_days, F.col("t.day_no"))]
    return t.join(h, on, "left").select(
        *[F.col(f"t.{c}").alias(c) for c in (*SERIES_KEY, "day_no", *keep)],
        "h_day_no",
        "h_price",
        (F.col("t.day_no") - F.col("h_day_no")).alias("lag"),
    )


def ratio_pct(new: Column, base: Column) -> Column:
    """Return new / base × 100 rounded to 1 decimal (null when base is null or not positive)."""
    from pyspark.sql import functions as F

    return F.when(base > 0, F.round(new / base * 100, 1))


def earlier_years(targets: DataFrame, years: int = HISTORY_YEARS) -> DataFrame:
    """Add ``years_back`` 1..years and the target day shifted back that many years.

    ``center_dt`` = add_months(res_dt, −12·years_back) (29 Feb → 28 Feb), ``center_day`` its day_no.
    """
    from pyspark.sql import functions as F

    return (
        targets.withColumn("years_back", F.explode(F.sequence(F.lit(1), F.lit(years))))
        .withColumn("center_dt", F.add_months("res_dt", F.col("years_back") * -12))
        .withColumn("center_day", F.unix_date("center_dt"))
    )


def centered_stats(series: DataFrame, centers: DataFrame, half_width: int) -> DataFrame:
    """Price statistics of the survey days within ±``half_width`` days of each wanted centre.

    Args:
        series: Output of :func:`retail_series` (history; null prices are ignored).
        centers: Rows with ``SERIES_KEY`` and ``center_day`` (duplicates are fine).
        half_width: Days either side of the centre (3 for the 평년 period, 15 for alerts).

    Returns:
        One row per distinct (series, center_day) with ``obs_cnt`` (priced days in the period),
        ``mean_price`` and ``m2`` (sum of squared deviations from the mean); mean and m2 are
        null when obs_cnt is 0.
    """
    from pyspark.sql import functions as F

    observed = series.where(F.col("price").isNotNull()).select(
        *SERIES_KEY, "day_no", "price", F.lit(False).alias("is_probe")
    )
    probes = (
        centers.select(*SERIES_KEY, F.col("center_day").alias("day_no"))
        .distinct()
        .select(
            *SERIES_KEY,
            "day_no",
            F.lit(None).cast("double").alias("price"),
            F.lit(True).alias("is_probe"),
        )
    )
    w = days_window(-half_width, half_width)
    obs_cnt = F.count("price").over(w)
    return (
        observed.unionByName(probes)
        .select(
            *SERIES_KEY,
            "day_no",
            "is_probe",
            obs_cnt.alias("obs_cnt"),
            F.avg("price").over(w).alias("mean_price"),
            (F.var_pop("price").over(w) * obs_cnt).alias("m2"),
        )
        .where("is_probe")
        .select(*SERIES_KEY, F.col("day_no").alias("center_day"), "obs_cnt", "mean_price", "m2")
    )


def years_before(d: date, years: int) -> date:
    """Return ``d`` shifted back whole years the way Spark's add_months does (29 Feb → 28 Feb)."""
    y = d.year - years
    return date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))


def lookback_ranges(
    start: date, end: date, back_days: int = 0, years: int = 0, half_width: int = 0
) -> list[tuple[date, date]]:
    """Return the merged date ranges a job must read to build ``start``..``end``.

    Args:
        start: First output day.
        end: Last output day.
        back_days: Trailing history: ``start − back_days`` .. ``end`` is read.
        years: Seasonal history: for each of the previous ``years`` years, the window shifted
            back that many years and widened by ``half_width`` days either side.
        half_width: See ``years``.

    Returns:
        Sorted, non-overlapping, non-adjacent inclusive ranges.
    """
    ranges = [(start - timedelta(days=back_days), end)]
    for y in range(1, years + 1):
        ranges.append(
            (
                years_before(start, y) - timedelta(days=half_width),
                years_before(end, y) + timedelta(days=half_width),
            )
        )
    merged: list[tuple[date, date]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def read_prices(ctx: JobContext, ranges: list[tuple[date, date]]) -> DataFrame:
    """Read ``stg_daily_category_price`` over ``ranges`` (all of it on a full refresh)."""
    return ctx.read(STG_DAILY_CATEGORY_PRICE, ranges=ranges)

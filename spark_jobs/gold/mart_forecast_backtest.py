"""mart_forecast_backtest: is the weekly forecast worth showing? Rolling-origin scores per series.

For every retail series with enough weekly history (gold/_forecast.py) the model is refitted at
every 2nd week of the last 52 weeks on the history up to that week and scored 1, 2 and 4 weeks
later against the real weekly mean, beside two baselines: the last value, and last year's same
week scaled by the recent level. ``usable`` says the model beat both; mart_price_forecast carries
it and the dashboard shows only usable forecasts.

One series is one pandas group (``applyInPandas``): the fits run in the Python workers, both cores
busy, and nothing but the weekly means (a few hundred rows per series) crosses into Python.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from spark_jobs.gold import _forecast as fc
from spark_jobs.gold._forecast import read_history
from spark_jobs.gold._signals import SERIES_KEY
from spark_jobs.gold.tables import MART_FORECAST_BACKTEST as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform, table_exists

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

_SCORES = """horizon_weeks INT, model_nm STRING, weeks_used INT, _last_week DATE, origin_cnt INT,
    model_mape_pct DOUBLE, coverage_pct DOUBLE, naive_mape_pct DOUBLE, seasonal_mape_pct DOUBLE,
    seasonal_origin_cnt INT, model_seasonal_mape_pct DOUBLE, usable BOOLEAN, error_q80_pct DOUBLE,
    calibrated_coverage_pct DOUBLE"""


def _score(as_of_week: pd.Timestamp):
    """Return the ``applyInPandas`` function scoring one series' weekly means."""

    def score(pdf: pd.DataFrame) -> pd.DataFrame:
        import pandas as pd

        key = {k: pdf[k].iloc[0] for k in SERIES_KEY}
        series = fc.prepare(pdf[fc.WEEK], pdf["price"], as_of_week)
        rows = [] if series is None else fc.backtest(series)
        for r in rows:
            r.update(key)
            r["model_nm"] = fc.model_name(len(series.y))
            r["weeks_used"] = len(series.y)
            r["_last_week"] = series.weeks[-1].date()
        cols = [*SERIES_KEY, *(c.split()[0] for c in _SCORES.split(","))]
        return pd.DataFrame(rows, columns=cols)

    return score


def transform(prices: DataFrame, as_of: date) -> DataFrame:
    """Return the backtest of every forecastable retail series as of ``as_of``.

    Args:
        prices: ``stg_daily_category_price`` rows of the three years up to ``as_of``.
        as_of: The day the forecast is made (the run's last day); weeks after it are not used.

    Returns:
        The mart's columns, one row per series and horizon with at least one scored origin.
    """
    from pyspark.sql import functions as F

    weekly = fc.weekly_prices(prices, as_of).select(*SERIES_KEY, fc.WEEK, "price")
    if not fc.any_long_enough(weekly):
        return conform(fc.empty(prices, SPEC), SPEC)
    key_ddl = ", ".join(f"{k} STRING" for k in SERIES_KEY)
    scores = weekly.groupBy(*SERIES_KEY).applyInPandas(
        _score(fc.as_of_week(as_of)), f"{key_ddl}, {_SCORES}"
    )
    rows = fc.one_series_per_item(scores).join(fc.series_labels(prices, as_of), SERIES_KEY)
    cols = [F.round(c, 2).alias(c) if c.endswith("_pct") else F.col(c) for c in SPEC.columns[1:]]
    return conform(rows.select(F.lit(as_of).alias("as_of_dt"), *cols), SPEC)


def carried(previous: DataFrame, as_of: date) -> DataFrame | None:
    """Return the backtest of an earlier day of ``as_of``'s week, re-dated to ``as_of``.

    The backtest is weekly: its origins are weeks, and within one week a new day moves only the
    current week's mean, the newest target of 13-odd origins. So a daily run reuses the newest
    earlier day of the same Monday-to-Sunday week and scores afresh only on the week's first run
    (a year of 1,320 series takes about 51 s to score, 2026-12).

    Args:
        previous: ``mart_forecast_backtest`` rows (any days; those of ``as_of``'s week before it
            are used).
        as_of: The day the rows are published for.

    Returns:
        The newest earlier day's rows with ``as_of_dt`` = ``as_of``, or None when the week has
        no earlier day.
    """
    from pyspark.sql import functions as F

    monday = as_of - timedelta(days=as_of.weekday())
    week = previous.where(F.col("as_of_dt").between(F.lit(monday), F.lit(as_of - timedelta(1))))
    newest = week.agg(F.max("as_of_dt")).first()[0]
    if newest is None:
        return None
    rows = week.where(F.col("as_of_dt") == F.lit(newest)).withColumn("as_of_dt", F.lit(as_of))
    return conform(rows, SPEC)


@job(
    "gold.mart_forecast_backtest",
    "rolling-origin backtest of the weekly forecast against last value and last year's week",
    order=82,
)
def run(ctx: JobContext) -> PublishResult:
    """Publish the backtest as of the window's last day: carried within its week, else scored.

    ``--opt forecast.backtest_daily=true`` scores every day; a full refresh always scores.
    """
    end = ctx.window.end
    if not ctx.window.full_refresh and not ctx.flag("forecast.backtest_daily"):
        monday = end - timedelta(days=end.weekday())
        if table_exists(ctx.spark, SPEC) and monday < end:
            rows = carried(ctx.read(SPEC, ranges=[(monday, end - timedelta(1))]), end)
            if rows is not None:
                return ctx.publish(SPEC, rows)
    return ctx.publish(SPEC, transform(read_history(ctx), end))

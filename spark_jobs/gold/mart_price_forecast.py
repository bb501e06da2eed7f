"""mart_price_forecast: the expected weekly price 1, 2 and 4 weeks ahead, with an 80 % interval.

The model (statsforecast; why, and which model for how much history: gold/_forecast.py) is fitted
once per series on its weekly means up to the run's last day, inside Spark (``applyInPandas``).
Every row carries ``usable`` from mart_forecast_backtest (built just before, same day): a forecast
that did not beat the last value and last year's week there is kept, but marked not usable.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold import _forecast as fc
from spark_jobs.gold._common import pct_change
from spark_jobs.gold._forecast import read_history
from spark_jobs.gold._signals import SERIES_KEY
from spark_jobs.gold.tables import MART_FORECAST_BACKTEST
from spark_jobs.gold.tables import MART_PRICE_FORECAST as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

_POINTS = """horizon_weeks INT, model_nm STRING, weeks_used INT, _last_week DATE, last_price DOUBLE,
    forecast_price DOUBLE, lo_80_price DOUBLE, hi_80_price DOUBLE"""


def _fit(as_of_week: pd.Timestamp):
    """Return the ``applyInPandas`` function forecasting one series' weekly means."""

    def fit(pdf: pd.DataFrame) -> pd.DataFrame:
        import math

        import pandas as pd

        cols = [*SERIES_KEY, *(c.split()[0] for c in _POINTS.split(","))]
        series = fc.prepare(pdf[fc.WEEK], pdf["price"], as_of_week)
        if series is None:
            return pd.DataFrame([], columns=cols)
        mean, lo, hi = fc.forecast(series.y)
        horizons = [
            h
            for h in fc.HORIZONS
            if math.isfinite(mean[h - 1]) and math.isfinite(lo[h - 1]) and math.isfinite(hi[h - 1])
        ]
        n = len(horizons)
        first = pdf.iloc[0]
        columns = {k: [first[k]] * n for k in SERIES_KEY}
        columns.update(
            horizon_weeks=horizons,
            model_nm=[fc.model_name(len(series.y))] * n,
            weeks_used=[len(series.y)] * n,
            _last_week=[series.weeks[-1].date()] * n,
            last_price=[float(series.y[-1])] * n,
            forecast_price=[float(mean[h - 1]) for h in horizons],
            # prices are positive: an interval reaching below 0 is cut there
            lo_80_price=[max(float(lo[h - 1]), 0.0) for h in horizons],
            hi_80_price=[float(hi[h - 1]) for h in horizons],
        )
        return pd.DataFrame(columns, columns=cols)

    return fit


def transform(prices: DataFrame, backtest: DataFrame | None, as_of: date) -> DataFrame:
    """Return the forecasts of every forecastable retail series as of ``as_of``.

    Args:
        prices: ``stg_daily_category_price`` rows of the three years up to ``as_of``.
        backtest: ``mart_forecast_backtest`` rows (those of ``as_of`` are used); None = no
            backtest, nothing is usable.
        as_of: The day the forecast is made; weeks after it are not used.

    Returns:
        The mart's columns, one row per series and horizon.
    """
    from pyspark.sql import functions as F

    weekly = fc.weekly_prices(prices, as_of).select(*SERIES_KEY, fc.WEEK, "price")
    if not fc.any_long_enough(weekly):
        return conform(fc.empty(prices, SPEC), SPEC)
    key_ddl = ", ".join(f"{k} STRING" for k in SERIES_KEY)
    points = weekly.groupBy(*SERIES_KEY).applyInPandas(
        _fit(fc.as_of_week(as_of)), f"{key_ddl}, {_POINTS}"
    )
    rows = fc.one_series_per_item(points).join(fc.series_labels(prices, as_of), SERIES_KEY)
    item = ["country_cd", "item_cd", "kind_cd", "rank_cd", "horizon_weeks"]
    if backtest is not None:
        scores = backtest.where(F.col("as_of_dt") == F.lit(as_of)).select(
            *item,
            F.col("usable").alias("_usable"),
            F.col("model_mape_pct").alias("backtest_mape_pct"),
            F.coalesce("calibrated_coverage_pct", "coverage_pct").alias("backtest_coverage_pct"),
            F.col("error_q80_pct").alias("_q80"),
        )
        rows = rows.join(scores, item, "left")
    else:
        rows = rows.select(
            "*",
            F.lit(None).cast("boolean").alias("_usable"),
            F.lit(None).cast("double").alias("backtest_mape_pct"),
            F.lit(None).cast("double").alias("backtest_coverage_pct"),
            F.lit(None).cast("double").alias("_q80"),
        )
    last, mean = F.round("last_price", 1), F.round("forecast_price", 1)
    # the model's interval, widened to ± the backtest's 80th-percentile relative error (calibrated;
    # fc.widen is the same rule in the backtest). least/greatest skip the null of a series
    # without a backtest row, which keeps the model's interval.
    q = F.col("_q80") / 100
    lo = F.least("lo_80_price", F.col("forecast_price") * (1 - q))
    hi = F.greatest("hi_80_price", F.col("forecast_price") * (1 + q))
    rows = rows.withColumn("lo_80_price", F.greatest(lo, F.lit(0.0)))
    rows = rows.withColumn("hi_80_price", hi)
    out = rows.select(
        F.lit(as_of).alias("as_of_dt"),
        "*",
        F.col("_last_week").alias("last_week_start_dt"),
        F.date_add("_last_week", F.col("horizon_weeks") * 7).alias("target_week_start_dt"),
        pct_change(mean, last).alias("change_pct"),
        F.coalesce("_usable", F.lit(False)).alias("usable"),
    ).select(
        *[
            c
            for c in SPEC.columns
            if c not in {"last_price", "forecast_price", "lo_80_price", "hi_80_price"}
        ],
        last.alias("last_price"),
        mean.alias("forecast_price"),
        F.least(F.round("lo_80_price", 1), mean).alias("lo_80_price"),
        F.greatest(F.round("hi_80_price", 1), mean).alias("hi_80_price"),
    )
    return conform(out, SPEC)


@job(
    "gold.mart_price_forecast",
    "expected weekly price 1, 2 and 4 weeks ahead with an 80 % interval (statsforecast per series)",
    order=84,
)
def run(ctx: JobContext) -> PublishResult:
    """Forecast as of the window's last day, mark usable from that day's backtest, publish."""
    end = ctx.window.end
    backtest = ctx.read(MART_FORECAST_BACKTEST, ranges=[(end, end)])
    return ctx.publish(SPEC, transform(read_history(ctx), backtest, end))

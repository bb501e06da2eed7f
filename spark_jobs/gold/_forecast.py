"""Weekly price forecasts with statsforecast, per series, and their rolling-origin backtest.

Why statsforecast (2.1.1) and not statsmodels (0.15.0), measured on this 2-core machine on
weekly series of 156 points (2026-12): importing statsforecast's models takes 1.4 s against 1.0 s
for statsmodels' ETS, and 2.1.1 no longer JIT-compiles with numba (its models run on the
compiled ``coreforecast`` kernels), so there is no first-call cost (13 ms for the first fit,
10 ms after). Per series, ``AutoETS`` *chooses* among the ETS models by AICc in 10 ms and
``MSTL`` + ETS trend in 14 ms with 80 % intervals; statsmodels needs one fixed ETS model per
call (25 ms for a single damped-trend ETS, 39 ms with STL) and a hand-written selection loop
around it. statsforecast also pulls statsmodels in as its own dependency, so it adds nothing
beyond it that we would not carry anyway.

The model, chosen by how much history a series has (the same rule in the backtest and the
forecast): from :data:`SEASONAL_MIN_WEEKS` weekly prices on, ``MSTL`` with a 52-week season and
an ``AutoETS`` (no season) trend; below that but from :data:`MIN_WEEKS` on, ``AutoETS`` without
a season (a year of history cannot separate a yearly season from noise).

The model code is plain pandas / numpy on one series (it runs inside ``applyInPandas``); the
Spark helpers at the end build the weekly means it reads.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from spark_jobs.gold._signals import (
    LABELS,
    SERIES_KEY,
    SERIES_UNIT,
    lookback_ranges,
    read_prices,
    retail_series,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from spark_jobs.jobs import JobContext
    from spark_jobs.table_spec import TableSpec

HORIZONS = (1, 2, 4)  # weeks ahead
LEVEL = 80  # prediction interval, %
SEASON_WEEKS = 52
# A series needs this many weekly prices (weeks with at least one survey price) to be forecast.
MIN_WEEKS = 26
# From this many weeks of history on the model has a yearly season (two full years + a margin).
SEASONAL_MIN_WEEKS = 2 * SEASON_WEEKS + 4
# A gap longer than this (weeks without a price) cuts the history: only what follows is used.
MAX_GAP_WEEKS = 4
# The last price must lie within this many weeks of the as-of week, or there is no forecast.
MAX_STALE_WEEKS = 2
# Three years of weekly history: two for the yearly season, one more for the backtest origins.
HISTORY_DAYS = 3 * 364 + 6
# Backtest: origins in the last 52 weeks, every ORIGIN_STEP_WEEKS, each fitted afresh.
BACKTEST_WEEKS = 52
ORIGIN_STEP_WEEKS = 2
# Below this many scored origins (per horizon) a series' forecast is never usable.
MIN_ORIGINS = 6
# "Beats" a baseline means a MAPE at least 5 % (relative) below it: a model that only ties with the
# last value on a random walk adds nothing but noise.
BEAT_FACTOR = 0.95
# Seasonal baseline: same week last year × (mean of the last 4 weeks / same 4 weeks last year).
LEVEL_WEEKS = 4
# The model's own 80 % interval is too narrow beyond a week (62–68 % coverage at 2 and 4 weeks on
# a simulated year), so the interval shown is widened to at least ± the 80th percentile of the
# series' backtest relative errors at that horizon (split-conformal calibration).
CALIBRATION_QUANTILE = LEVEL / 100


def model_name(n: int) -> str:
    """Return the model used on ``n`` weeks of history ('' when too short to forecast)."""
    if n >= SEASONAL_MIN_WEEKS:
        return "MSTL(52)+AutoETS"
    if n >= MIN_WEEKS:
        return "AutoETS"
    return ""


def forecast(y: np.ndarray, h: int = max(HORIZONS)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (mean, lo80, hi80) for the ``h`` weeks after the regular weekly series ``y``.

    Raises ValueError when ``y`` is shorter than :data:`MIN_WEEKS`.
    """
    from statsforecast.models import MSTL, AutoETS

    n = len(y)
    if n >= SEASONAL_MIN_WEEKS:
        model = MSTL(season_length=SEASON_WEEKS, trend_forecaster=AutoETS(model="ZZN"))
    elif n >= MIN_WEEKS:
        model = AutoETS(model="ZZN")
    else:
        raise ValueError(f"{n} weeks < {MIN_WEEKS}")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        out = model.forecast(y=np.asarray(y, dtype=float), h=h, level=[LEVEL])
    return (
        np.asarray(out["mean"], dtype=float),
        np.asarray(out[f"lo-{LEVEL}"], dtype=float),
        np.asarray(out[f"hi-{LEVEL}"], dtype=float),
    )


@dataclass(frozen=True)
class Weekly:
    """One series on a regular weekly grid.

    Attributes:
        weeks: Week start dates (Mondays), consecutive.
        y: Price per week; weeks without a price are linearly interpolated.
        observed: True where the week had a real price (only those are scored).
    """

    weeks: pd.DatetimeIndex
    y: np.ndarray
    observed: np.ndarray


def regular(weeks: pd.Series | np.ndarray, prices: pd.Series | np.ndarray) -> Weekly:
    """Put one series' weekly means on a regular Monday grid, from after its last long gap.

    Plain numpy (it runs once per series, thousands of times a run): the same result as the
    pandas steps it replaced (sort by week, keep a week's last price, drop missing prices, cut
    after the last gap of more than :data:`MAX_GAP_WEEKS`, reindex on a 7-day grid from the
    first week, interpolate linearly), about ten times faster.

    Args:
        weeks: Week start dates (Mondays) with a price.
        prices: The week's mean price.
    """
    days = np.asarray(weeks, dtype="datetime64[D]").astype(np.int64)
    values = np.asarray(prices, dtype=float)
    order = np.argsort(days, kind="stable")
    days, values = days[order], values[order]
    last = np.ones(len(days), dtype=bool)  # a week's last price wins
    last[:-1] = days[1:] != days[:-1]
    days, values = days[last], values[last]
    ok = ~np.isnan(values)
    days, values = days[ok], values[ok]
    if len(days) == 0:
        return Weekly(pd.DatetimeIndex([]), np.array([]), np.array([], dtype=bool))
    gaps = np.diff(days) // 7 - 1
    cut = np.nonzero(gaps > MAX_GAP_WEEKS)[0]
    if len(cut):
        days, values = days[cut[-1] + 1 :], values[cut[-1] + 1 :]
    offset = days - days[0]
    on_grid = offset % 7 == 0  # a date off the Monday grid is not a week of it
    n = int(offset[-1] // 7) + 1
    position = (offset[on_grid] // 7).astype(float)
    observed = np.zeros(n, dtype=bool)
    observed[position.astype(int)] = True
    y = np.interp(np.arange(n, dtype=float), position, values[on_grid])
    grid = pd.DatetimeIndex((days[0] + 7 * np.arange(n)).astype("datetime64[D]"))
    return Weekly(grid, y, observed)


def seasonal_baseline(y: np.ndarray, o: int, h: int) -> float | None:
    """Same week last year scaled by the recent level, made at origin ``o`` for ``o + h``.

    ``y[o + h − 52] × mean(y[o−3..o]) / mean(y[o−55..o−52])``; None when the history is too short.
    """
    first = o - SEASON_WEEKS - (LEVEL_WEEKS - 1)
    if first < 0:
        return None
    recent = y[o - LEVEL_WEEKS + 1 : o + 1].mean()
    year_ago = y[first : o - SEASON_WEEKS + 1].mean()
    if not year_ago > 0:
        return None
    return float(y[o + h - SEASON_WEEKS] * recent / year_ago)


def backtest_origins(n: int) -> list[int]:
    """Return the origins (indexes of the last week used) of the rolling backtest on ``n`` weeks.

    Origins run every :data:`ORIGIN_STEP_WEEKS` weeks back from the second-to-last week, over the
    last :data:`BACKTEST_WEEKS` weeks, each with at least :data:`MIN_WEEKS` weeks of history.
    """
    last = n - 2
    lo = max(MIN_WEEKS - 1, n - 1 - BACKTEST_WEEKS)
    return sorted(range(last, lo - 1, -ORIGIN_STEP_WEEKS))


def error_quantile(actual: list[float], pred: list[float]) -> float | None:
    """Return the 80th percentile of |actual − pred| / pred (a fraction), None without errors.

    The "higher" quantile: of 10 errors the 8th smallest, so at least 80 % are at or below it.
    """
    a, p = np.asarray(actual, dtype=float), np.asarray(pred, dtype=float)
    ok = p > 0
    if not ok.any():
        return None
    rel = np.abs(a[ok] - p[ok]) / p[ok]
    return float(np.quantile(rel, CALIBRATION_QUANTILE, method="higher"))


def widen(mean: float, lo: float, hi: float, q: float | None) -> tuple[float, float]:
    """Return the interval (lo, hi) widened to at least mean × (1 ± q); unchanged when q is None."""
    if q is None or not math.isfinite(q):
        return lo, hi
    return min(lo, mean * (1 - q)), max(hi, mean * (1 + q))


def calibrated_coverage(
    origins: list[int],
    h: int,
    actual: list[float],
    pred: list[float],
    lo: list[float],
    hi: list[float],
) -> float | None:
    """Return the out-of-sample coverage (%) of the widened interval over the backtest's origins.

    At each origin the interval is widened by the error quantile of the earlier origins whose
    target week was already known then (``o_j + h <= o``), as a forecast made that day would be;
    origins with fewer than :data:`MIN_ORIGINS` such errors are not scored. None when none is.
    """
    inside: list[bool] = []
    for i, o in enumerate(origins):
        known = [j for j in range(i) if origins[j] + h <= o]
        if len(known) < MIN_ORIGINS:
            continue
        q = error_quantile([actual[j] for j in known], [pred[j] for j in known])
        low, high = widen(pred[i], lo[i], hi[i], q)
        inside.append(low <= actual[i] <= high)
    return float(np.mean(inside) * 100) if inside else None


def _mape(actual: list[float], pred: list[float]) -> float | None:
    if not actual:
        return None
    a, p = np.asarray(actual), np.asarray(pred)
    return float(np.mean(np.abs(a - p) / a) * 100)


def backtest(series: Weekly) -> list[dict]:
    """Score the model and the two baselines over the rolling origins, per horizon.

    Returns one dict per horizon of :data:`HORIZONS` with ``origin_cnt`` (origins whose target week
    had a real price), ``model_mape_pct``, ``coverage_pct`` (share of targets inside the 80 %
    interval), ``naive_mape_pct`` (last value), ``seasonal_mape_pct`` and ``seasonal_origin_cnt``
    (the seasonal baseline exists only with 55+ weeks before the origin), ``model_seasonal_mape_pct``
    (the model on those same origins) and ``usable``: at least :data:`MIN_ORIGINS` origins, a lower
    MAPE than the last value, and a lower MAPE than the seasonal baseline on its origins when it
    has at least :data:`MIN_ORIGINS` of them (else it cannot judge), "lower" meaning below
    :data:`BEAT_FACTOR` × the baseline's; ``error_q80_pct`` (:func:`error_quantile` × 100 over
    all scored origins: the forecast's interval is widened by it) and ``calibrated_coverage_pct``
    (:func:`calibrated_coverage`); an empty list when the series is too short.
    """
    y, obs = series.y, series.observed
    scores: dict[int, dict[str, list[float]]] = {
        h: {
            k: []
            for k in ("origin", "actual", "model", "lo", "hi", "naive", "s_actual", "s_model", "s")
        }
        for h in HORIZONS
    }
    for o in backtest_origins(len(y)):
        try:
            mean, lo, hi = forecast(y[: o + 1])
        except ValueError:
            continue
        for h in HORIZONS:
            t = o + h
            if t >= len(y) or not obs[t] or not (y[t] > 0) or not math.isfinite(mean[h - 1]):
                continue
            sc = scores[h]
            sc["origin"].append(o)
            sc["actual"].append(y[t])
            sc["model"].append(mean[h - 1])
            sc["lo"].append(lo[h - 1])
            sc["hi"].append(hi[h - 1])
            sc["naive"].append(y[o])
            s = seasonal_baseline(y, o, h)
            if s is not None:
                sc["s_actual"].append(y[t])
                sc["s_model"].append(mean[h - 1])
                sc["s"].append(s)
    out = []
    for h in HORIZONS:
        sc = scores[h]
        n = len(sc["actual"])
        if n == 0:
            continue
        a = np.asarray(sc["actual"])
        inside = (np.asarray(sc["lo"]) <= a) & (a <= np.asarray(sc["hi"]))
        model = _mape(sc["actual"], sc["model"])
        naive = _mape(sc["actual"], sc["naive"])
        seasonal = _mape(sc["s_actual"], sc["s"])
        model_s = _mape(sc["s_actual"], sc["s_model"])
        # the seasonal baseline is a fair judge only where it exists often enough
        judged = len(sc["s"]) >= MIN_ORIGINS
        beats_seasonal = not judged or model_s < BEAT_FACTOR * seasonal
        out.append(
            {
                "horizon_weeks": h,
                "origin_cnt": n,
                "model_mape_pct": model,
                "coverage_pct": float(inside.mean() * 100),
                "error_q80_pct": _pct(error_quantile(sc["actual"], sc["model"])),
                "calibrated_coverage_pct": calibrated_coverage(
                    sc["origin"], h, sc["actual"], sc["model"], sc["lo"], sc["hi"]
                ),
                "naive_mape_pct": naive,
                "seasonal_mape_pct": seasonal,
                "seasonal_origin_cnt": len(sc["s"]),
                "model_seasonal_mape_pct": model_s,
                "usable": bool(n >= MIN_ORIGINS and model < BEAT_FACTOR * naive and beats_seasonal),
            }
        )
    return out


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else fraction * 100


def prepare(weeks: pd.Series, prices: pd.Series, as_of_week: pd.Timestamp) -> Weekly | None:
    """Return the regular weekly series up to ``as_of_week``, or None when it cannot be forecast.

    None when fewer than :data:`MIN_WEEKS` weeks (after the last long gap) had a price, or when
    the last price is more than :data:`MAX_STALE_WEEKS` weeks before ``as_of_week``.
    """
    days = np.asarray(weeks, dtype="datetime64[D]")
    keep = days <= np.datetime64(as_of_week.date(), "D")
    series = regular(days[keep], np.asarray(prices, dtype=float)[keep])
    if series.observed.sum() < MIN_WEEKS:
        return None
    if (as_of_week - series.weeks[-1]).days > 7 * MAX_STALE_WEEKS:
        return None
    return series


# --- Spark side: weekly means in, one pandas frame per series through applyInPandas --------

WEEK = "week_start_dt"


def read_history(ctx: JobContext, days: int = HISTORY_DAYS) -> DataFrame:
    """Read the ``days`` of prices up to the window's end (all of them on a full refresh)."""
    end = ctx.window.end
    return read_prices(ctx, lookback_ranges(end, end, back_days=days))


def as_of_week(as_of: date) -> pd.Timestamp:
    """Return the Monday of ``as_of``'s week."""
    return pd.Timestamp(as_of - timedelta(days=as_of.weekday()))


def weekly_prices(prices: DataFrame, as_of: date) -> DataFrame:
    """Return ``SERIES_KEY`` + ``week_start_dt`` (Monday) + ``price`` (the week's mean) up to ``as_of``.

    Args:
        prices: ``stg_daily_category_price`` rows (retail rows are kept, null prices ignored).
        as_of: Last day used.
    """
    from pyspark.sql import functions as F

    return (
        retail_series(prices)
        .where(F.col("price").isNotNull() & (F.col("res_dt") <= F.lit(as_of)))
        .groupBy(*SERIES_KEY, F.date_trunc("week", "res_dt").cast("date").alias(WEEK))
        .agg(F.avg("price").alias("price"))
    )


def any_long_enough(weekly: DataFrame) -> bool:
    """Return whether some series in ``weekly`` has :data:`MIN_WEEKS` weekly prices.

    When none has, no series can be forecast or scored and the jobs skip the pandas UDF: without
    this a short lake (a first month) still starts the Python workers and imports the models
    (about 30 s of a daily run measured on 30 days, 2026-12).
    """
    from pyspark.sql import functions as F

    longest = weekly.groupBy(*SERIES_KEY).count().agg(F.max("count")).first()[0]
    return longest is not None and longest >= MIN_WEEKS


def empty(spark_df: DataFrame, spec: TableSpec) -> DataFrame:
    """Return an empty frame with ``spec``'s columns (from ``spark_df``'s session)."""
    return spark_df.sparkSession.createDataFrame([], spec.struct())


def series_labels(prices: DataFrame, as_of: date) -> DataFrame:
    """Return ``SERIES_KEY`` + ``LABELS`` taken from each series' latest row up to ``as_of``."""
    from pyspark.sql import functions as F

    latest = F.max_by(F.struct(*LABELS), "res_dt")
    return (
        retail_series(prices)
        .where(F.col("price").isNotNull() & (F.col("res_dt") <= F.lit(as_of)))
        .groupBy(*SERIES_KEY)
        .agg(latest.alias("_l"))
        .select(*SERIES_KEY, *[F.col(f"_l.{c}").alias(c) for c in LABELS])
    )


def one_series_per_item(df: DataFrame) -> DataFrame:
    """Keep, per region and item/kind/rank, the unit series whose last week is newest (then longest).

    Right after a survey-unit change both series can still be fresh; the mart grain has no unit.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = Window.partitionBy("country_cd", "item_cd", "kind_cd", "rank_cd").orderBy(
        F.col("_last_week").desc(), F.col("weeks_used").desc(), F.col(SERIES_UNIT)
    )
    pick = F.dense_rank().over(w)
    return df.withColumn("_pick", pick).where("_pick = 1").drop("_pick")

"""mart_price_alerts: unusual retail prices — outside the 평년 band, or far from the seasonal baseline.

Two independent tests per priced row, one alert row each:

* band: price above band_max / below band_min of mart_price_normal_band (above_band / below_band);
* z-score: (price − baseline mean) / max(baseline stddev, 3 % of the mean) with |z| ≥ 2.5
  (spike / plunge). The baseline is seasonal — every price of res_dt ± 15 days in each of the
  5 earlier years, pooled — or, for a series without that history, the prices of the 56 days
  before res_dt (named '최근 N일' in the text when they reach back less than 7 weeks).

The dashboard lists them newest first (ORDER BY res_dt DESC, severity DESC).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._signals import (
    HISTORY_YEARS,
    LABELS,
    SERIES_KEY,
    centered_stats,
    days_window,
    earlier_years,
    in_window,
    lookback_ranges,
    pct_text,
    read_prices,
    retail_series,
    span_days,
    span_label,
    with_series_unit,
)
from spark_jobs.gold.tables import MART_PRICE_ALERTS as SPEC
from spark_jobs.gold.tables import MART_PRICE_NORMAL_BAND
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

SEASON_HALF_WIDTH_DAYS = 15  # the seasonal period is res_dt ± 15 days in each earlier year
RECENT_DAYS = 56  # fallback baseline: the 8 weeks before res_dt
MIN_BASELINE_OBS = 10  # prices a baseline needs (seasonal first, then recent)
Z_ALERT = 2.5  # |z| from this on is a spike / plunge
Z_SEVERITY = (3.5, 4.5)  # |z| below the first → severity 1, below the second → 2, else 3
BAND_SEVERITY_PCT = (
    10.0,
    25.0,
)  # % outside the band: below the first → 1, below the second → 2, else 3
# Floor on the baseline stddev, as a share of its mean: a flat (or nearly flat) history has a
# stddev of ~0, which made z undefined and hid a 30 % jump. With the floor a move of at least
# 2.5 × 3 % = 7.5 % from a flat baseline is a spike; smaller steps (a sticky price revised by a
# few %) are not, and a series whose own spread is above 3 % of its mean is not affected.
MIN_REL_SD = 0.03

ALERT_NM = {
    "above_band": "평년 범위 초과",
    "below_band": "평년 범위 미만",
    "spike": "급등",
    "plunge": "급락",
}
# recent: '최근 N일' instead when the baseline reaches back less than 49 days
BASELINE_NM = {"seasonal": "예년 같은 시기", "recent": "최근 8주"}


def _seasonal(series: DataFrame, targets: DataFrame) -> DataFrame:
    """Pooled mean and sample stddev of the prices of res_dt ± 15 days in the 5 earlier years.

    Per-year (n, mean, M2) from :func:`centered_stats` pool exactly:
    M2 = Σ M2_y + Σ n_y·mean_y² − N·mean², mean = Σ n_y·mean_y / N.
    """
    from pyspark.sql import functions as F

    centers = earlier_years(targets.select(*SERIES_KEY, "res_dt"), HISTORY_YEARS)
    yearly = centers.join(
        centered_stats(series, centers, SEASON_HALF_WIDTH_DAYS), [*SERIES_KEY, "center_day"]
    )
    n, m = F.col("obs_cnt"), F.col("mean_price")
    pooled = (
        yearly.where(n > 0)
        .groupBy(*SERIES_KEY, "res_dt")
        .agg(
            F.sum(n).alias("season_obs"),
            F.sum(n * m).alias("s1"),
            F.sum(F.col("m2") + n * m * m).alias("s2"),
        )
    )
    big = F.col("season_obs") >= MIN_BASELINE_OBS  # guards the divisions (ANSI mode)
    mean = F.col("s1") / F.col("season_obs")
    var = (F.col("s2") - F.col("season_obs") * mean * mean) / (F.col("season_obs") - 1)
    return pooled.select(
        *SERIES_KEY,
        "res_dt",
        "season_obs",
        F.when(big, mean).alias("season_mean"),
        F.when(big, F.sqrt(F.greatest(var, F.lit(0.0)))).alias("season_sd"),
    )


def _severity(alert: Column, out_pct: Column, z: Column) -> Column:
    """1..3 from how far outside the band (band alerts) or how large |z| (z alerts)."""
    from pyspark.sql import functions as F

    band = (
        F.when(out_pct < BAND_SEVERITY_PCT[0], 1)
        .when(out_pct < BAND_SEVERITY_PCT[1], 2)
        .otherwise(3)
    )
    zs = F.when(F.abs(z) < Z_SEVERITY[0], 1).when(F.abs(z) < Z_SEVERITY[1], 2).otherwise(3)
    return F.when(alert.isin("above_band", "below_band"), band).otherwise(zs)


def _text(alert: Column, out_pct: Column, z: Column) -> Column:
    """One Korean sentence, e.g. '서울 배추(월동) 4,600원: 평년 범위 최고 4,000원보다 15% 비싸요'."""
    from pyspark.sql import functions as F

    def won(c: str) -> Column:
        return F.concat(F.format_number(F.col(c), 0), F.lit("원"))

    kind = F.when(F.col("kind_nm").isNotNull(), F.concat(F.lit("("), F.col("kind_nm"), F.lit(")")))
    subject = F.concat_ws(
        "",
        F.col("country_nm"),
        F.lit(" "),
        F.coalesce("item_nm", "item_cd"),
        kind,
        F.lit(" "),
        won("price"),
        F.lit(": "),
    )
    out = pct_text(out_pct)
    basis = F.when(F.col("baseline_cd") == "recent", F.col("recent_nm")).otherwise(
        F.create_map(*[F.lit(x) for kv in BASELINE_NM.items() for x in kv])[F.col("baseline_cd")]
    )
    moved = F.concat(basis, F.lit(" 평균 "), won("baseline_mean"), F.lit("보다 크게 "))
    zt = F.concat(F.lit(" (z "), F.format_number(z, 1), F.lit(")"))
    body = (
        F.when(
            alert == "above_band",
            F.concat(
                F.lit("평년 범위 최고 "), won("band_max"), F.lit("보다 "), out, F.lit("% 비싸요")
            ),
        )
        .when(
            alert == "below_band",
            F.concat(
                F.lit("평년 범위 최저 "), won("band_min"), F.lit("보다 "), out, F.lit("% 싸요")
            ),
        )
        .when(alert == "spike", F.concat(moved, F.lit("올랐어요"), zt))
        .otherwise(F.concat(moved, F.lit("내렸어요"), zt))
    )
    return F.concat(subject, body)


def transform(
    prices: DataFrame,
    band: DataFrame | None = None,
    start: date | None = None,
    end: date | None = None,
) -> DataFrame:
    """Return one row per alert of a priced retail series on a day in ``start``..``end``.

    Args:
        prices: ``stg_daily_category_price`` rows covering the window, the 56 days before it and,
            for each of the previous 5 years, the window shifted to that year ± 15 days.
        band: ``mart_price_normal_band`` rows for the window (band_min / band_max); None or a
            missing row means no band test.
        start: First ``res_dt`` to build (None = open).
        end: Last ``res_dt`` to build (None = open).

    Returns:
        The mart's columns; a row may raise a band and a z alert at once (two rows).
    """
    from pyspark.sql import functions as F

    series = retail_series(prices)
    recent = days_window(-RECENT_DAYS, -1)
    priced = series.where(F.col("price").isNotNull()).select(
        "*",
        F.count("price").over(recent).alias("recent_obs"),
        F.avg("price").over(recent).alias("recent_mean"),
        F.stddev_samp("price").over(recent).alias("recent_sd"),
        # the recent baseline names the days it really covers (30 days into a demo: 29, not 8 weeks)
        span_label(span_days(RECENT_DAYS, -1), RECENT_DAYS, BASELINE_NM["recent"], "최근 ").alias(
            "recent_nm"
        ),
    )
    targets = in_window(priced, start, end)
    rows = targets.join(_seasonal(series, targets), [*SERIES_KEY, "res_dt"], "left")
    if band is not None:
        rows = rows.join(
            with_series_unit(band).select(*SERIES_KEY, "res_dt", "band_min", "band_max"),
            [*SERIES_KEY, "res_dt"],
            "left",
        )
    else:
        rows = rows.withColumn("band_min", F.lit(None).cast("double")).withColumn(
            "band_max", F.lit(None).cast("double")
        )

    seasonal_ok = F.coalesce(F.col("season_obs"), F.lit(0)) >= MIN_BASELINE_OBS
    recent_ok = F.col("recent_obs") >= MIN_BASELINE_OBS
    rows = (
        rows.withColumn(
            "baseline_cd", F.when(seasonal_ok, F.lit("seasonal")).when(recent_ok, F.lit("recent"))
        )
        .withColumn(
            "baseline_mean",
            F.when(seasonal_ok, F.col("season_mean")).when(recent_ok, F.col("recent_mean")),
        )
        .withColumn(
            "baseline_sd",
            F.when(seasonal_ok, F.col("season_sd")).when(recent_ok, F.col("recent_sd")),
        )
        .withColumn(
            "baseline_obs",
            F.when(seasonal_ok, F.col("season_obs"))
            .when(recent_ok, F.col("recent_obs"))
            .otherwise(F.lit(0)),
        )
    )
    sd, mean = F.col("baseline_sd"), F.col("baseline_mean")
    floor = F.abs(mean) * MIN_REL_SD
    z = F.when(
        mean.isNotNull() & (F.greatest(sd, floor) > 0),
        (F.col("price") - mean) / F.greatest(sd, floor),
    )
    price, lo, hi = F.col("price"), F.col("band_min"), F.col("band_max")
    candidates = F.array(
        F.when(price > hi, F.lit("above_band")),
        F.when(price < lo, F.lit("below_band")),
        F.when(F.col("z_raw") >= Z_ALERT, F.lit("spike")),
        F.when(F.col("z_raw") <= -Z_ALERT, F.lit("plunge")),
    )
    alerts = rows.withColumn("z_raw", z).withColumn(
        "alert_cd", F.explode(F.array_compact(candidates))
    )
    alert = F.col("alert_cd")
    out_pct = F.when(alert == "above_band", (price - hi) / hi * 100).when(
        alert == "below_band", (lo - price) / lo * 100
    )
    alert_nm = F.create_map(*[F.lit(x) for kv in ALERT_NM.items() for x in kv])
    return conform(
        alerts.withColumn("out_pct", out_pct).select(
            "res_dt",
            *SERIES_KEY,
            *LABELS,
            "price",
            F.round("baseline_mean", 1).alias("baseline_price"),
            F.round("z_raw", 2).alias("z_score"),
            "alert_cd",
            alert_nm[alert].alias("alert_nm"),
            _severity(alert, F.col("out_pct"), F.col("z_raw")).alias("severity"),
            _text(alert, F.col("out_pct"), F.col("z_raw")).alias("alert_txt"),
            "baseline_cd",
            "baseline_obs",
            "band_min",
            "band_max",
        ),
        SPEC,
    )


@job(
    "gold.mart_price_alerts",
    "unusual retail prices: outside the 평년 band or |z| ≥ 2.5 vs the seasonal baseline",
    order=90,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window, 56 days before it and ±15 days of the 5 earlier years, plus the window's band; publish."""
    start, end = ctx.window.bounds
    ranges = lookback_ranges(
        ctx.window.start,
        ctx.window.end,
        back_days=RECENT_DAYS,
        years=HISTORY_YEARS,
        half_width=SEASON_HALF_WIDTH_DAYS,
    )
    band = ctx.read(MART_PRICE_NORMAL_BAND)
    return ctx.publish(SPEC, transform(read_prices(ctx, ranges), band, start, end))

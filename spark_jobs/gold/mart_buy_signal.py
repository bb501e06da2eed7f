"""mart_buy_signal: 싸요 / 보통 / 비싸요 for each retail item and region, with a one-line reason.

Two votes decide: where today's price ranks in the item's own last 365 days (percentile), and
where it stands against our 평년 (price_index from mart_price_normal_band). A vote for cheap with
none for expensive gives 싸요, the reverse 비싸요, anything else (no vote, or both) 보통. The trend
against the 28-day average is reported in the reason but does not vote: a falling price is not
cheap by itself.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._common import pct_change
from spark_jobs.gold._signals import (
    LABELS,
    SERIES_KEY,
    days_window,
    in_window,
    lookback_ranges,
    moving_avg,
    pct_text,
    read_prices,
    retail_series,
    span_days,
    span_label,
    trailing_pairs,
    use_pairs,
    with_series_unit,
)
from spark_jobs.gold.mart_price_normal_band import MIN_YEARS as MIN_BAND_YEARS
from spark_jobs.gold.mart_price_trend import LONG_DAYS, MIN_OBS_LONG
from spark_jobs.gold.tables import MART_BUY_SIGNAL as SPEC
from spark_jobs.gold.tables import MART_PRICE_NORMAL_BAND
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

HISTORY_DAYS = 365
# Below this many prices in the last 365 days the percentile does not vote.
MIN_HISTORY_OBS = 20
CHEAP_PERCENTILE = 25.0  # percentile ≤ this → a vote for cheap
EXPENSIVE_PERCENTILE = 75.0  # percentile ≥ this → a vote for expensive
CHEAP_INDEX = 90.0  # price_index ≤ this (10 % under 평년) → a vote for cheap
EXPENSIVE_INDEX = 110.0  # price_index ≥ this → a vote for expensive
TREND_NOTE_PCT = 5.0  # |trend_pct| from this on is mentioned in the reason

SIGNAL_NM = {"cheap": "싸요", "normal": "보통", "expensive": "비싸요"}


def _pct(lower: Column, equal: Column, n: Column) -> Column:
    """Today's mid-rank percentile among ``n`` prices, ``lower`` below it and ``equal`` to it (today's own included).

    percentile = (lower + (equal − 1) / 2) / (n − 1) × 100, so the lowest price is 0, the highest
    100 and ties share the middle; a lone price is 50.
    """
    from pyspark.sql import functions as F

    return F.when(n > 1, F.round((lower + (equal - 1) / 2) / (n - 1) * 100, 1)).otherwise(
        F.lit(50.0)
    )


def _labels(span_year: Column, span_month: Column) -> list[Column]:
    """'지난 1년' / '최근 4주', or the days really held, from the spans of the two look-backs."""
    return [
        span_label(span_year + 1, HISTORY_DAYS, "지난 1년", "지난 ").alias("_year"),
        span_label(span_month + 1, LONG_DAYS, "최근 4주", "최근 ").alias("_month"),
    ]


def _by_window(priced: DataFrame, start: date | None, end: date | None) -> DataFrame:
    """The per-row statistics from range windows over every row read (a rebuild's form)."""
    from pyspark.sql import functions as F

    prices = F.collect_list("price").over(days_window(-(HISTORY_DAYS - 1), 0))
    n = F.size(prices)
    lower = F.size(F.filter(prices, lambda x: x < F.col("price")))
    equal = F.size(F.filter(prices, lambda x: x == F.col("price")))
    stats = priced.select(
        "*",
        _pct(lower, equal, n).alias("percentile"),
        n.alias("obs_365"),
        moving_avg(LONG_DAYS, MIN_OBS_LONG, digits=None).alias("ma28"),
        *_labels(span_days(HISTORY_DAYS - 1), span_days(LONG_DAYS - 1)),
    )
    return in_window(stats, start, end)


def _by_pairs(priced: DataFrame, start: date | None, end: date | None) -> DataFrame:
    """The same statistics from each published row's own look-back (a short window's form)."""
    from pyspark.sql import functions as F

    targets = in_window(priced, start, end)
    pairs = trailing_pairs(targets, priced, HISTORY_DAYS - 1, keep=("price",))
    h = F.col("h_price")
    n = F.count(h)
    lower = F.count(F.when(h < F.col("price"), h))
    equal = F.count(F.when(h == F.col("price"), h))
    month = F.col("lag") < LONG_DAYS
    recent = F.when(month, h)
    stats = pairs.groupBy(*SERIES_KEY, "day_no", "price").agg(
        _pct(lower, equal, n).alias("percentile"),
        n.alias("obs_365"),
        F.when(F.count(recent) >= MIN_OBS_LONG, F.avg(recent)).alias("ma28"),
        *_labels(
            F.col("day_no") - F.min("h_day_no"),
            F.col("day_no") - F.min(F.when(month, F.col("h_day_no"))),
        ),
    )
    return targets.join(stats, [*SERIES_KEY, "day_no", "price"], "left")


def _reason(
    pct: Column, obs: Column, index: Column, trend: Column, year: Column, month: Column
) -> Column:
    """One Korean line: the percentile (or the lack of history), the band, a notable trend.

    ``year`` / ``month`` name the history really held ('지난 1년' or '지난 30일', '최근 4주' or
    '최근 16일'), so a short history never claims a full year.
    """
    from pyspark.sql import functions as F

    rank = (
        F.when(
            obs < MIN_HISTORY_OBS,
            F.concat(F.lit("지난 1년 가격 기록 "), obs.cast("string"), F.lit("일뿐")),
        )
        .when(pct == 0, F.concat(year, F.lit(" 중 최저 가격")))
        .when(pct == 100, F.concat(year, F.lit(" 중 최고 가격")))
        .when(pct <= 50, F.concat(year, F.lit(" 중 하위 "), pct_text(pct), F.lit("% 가격")))
        .otherwise(F.concat(year, F.lit(" 중 상위 "), pct_text(100 - pct), F.lit("% 가격")))
    )
    gap = index - 100
    band = (
        F.when(gap < 0, F.concat(F.lit("평년보다 "), pct_text(-gap), F.lit("% 저렴")))
        .when(gap > 0, F.concat(F.lit("평년보다 "), pct_text(gap), F.lit("% 비쌈")))
        .when(gap == 0, F.lit("평년 수준"))
    )
    move = F.when(
        trend <= -TREND_NOTE_PCT,
        F.concat(month, F.lit(" 평균보다 "), pct_text(-trend), F.lit("% 낮음")),
    ).when(
        trend >= TREND_NOTE_PCT,
        F.concat(month, F.lit(" 평균보다 "), pct_text(trend), F.lit("% 높음")),
    )
    return F.concat_ws(", ", rank, band, move)


def transform(
    prices: DataFrame,
    band: DataFrame | None = None,
    start: date | None = None,
    end: date | None = None,
    pairs: bool | None = None,
) -> DataFrame:
    """Return one row per priced retail series and day in ``start``..``end`` with its signal.

    Args:
        prices: ``stg_daily_category_price`` rows covering the window and the 364 days before it.
        band: ``mart_price_normal_band`` rows for the window (its ``price_index`` is the band
            vote when ``years_used`` ≥ 3); None, a missing row or fewer years means no band vote.
        start: First ``res_dt`` to build (None = open).
        end: Last ``res_dt`` to build (None = open).
        pairs: Build the statistics from look-back pairs (True) or range windows (False); None:
            pairs for a window of at most ``PAIRS_MAX_DAYS`` days (see ``_signals``). Both give
            the same rows.

    Returns:
        The mart's columns.
    """
    from pyspark.sql import functions as F

    priced = retail_series(prices).where(F.col("price").isNotNull())
    build = _by_pairs if use_pairs(start, end, pairs) else _by_window
    rows = build(priced, start, end)
    if band is not None:
        # the band votes only on a 평년 built from enough years (each with enough prices)
        trusted = F.when(F.col("years_used") >= MIN_BAND_YEARS, F.col("price_index"))
        rows = rows.join(
            with_series_unit(band).select(*SERIES_KEY, "res_dt", trusted.alias("price_index")),
            [*SERIES_KEY, "res_dt"],
            "left",
        )
    else:
        rows = rows.withColumn("price_index", F.lit(None).cast("double"))
    p, n, idx = F.col("percentile"), F.col("obs_365"), F.col("price_index")
    trend = pct_change(F.col("price"), F.col("ma28"))
    known = n >= MIN_HISTORY_OBS
    cheap = (known & (p <= CHEAP_PERCENTILE)) | F.coalesce(idx <= CHEAP_INDEX, F.lit(False))
    dear = (known & (p >= EXPENSIVE_PERCENTILE)) | F.coalesce(idx >= EXPENSIVE_INDEX, F.lit(False))
    signal = (
        F.when(cheap & ~dear, F.lit("cheap"))
        .when(dear & ~cheap, F.lit("expensive"))
        .otherwise(F.lit("normal"))
    )
    signal_nm = F.create_map(*[F.lit(x) for kv in SIGNAL_NM.items() for x in kv])
    return conform(
        rows.withColumn("trend_pct", trend)
        .withColumn("signal_cd", signal)
        .select(
            "res_dt",
            *SERIES_KEY,
            *LABELS,
            "price",
            "percentile",
            "price_index",
            "trend_pct",
            "signal_cd",
            signal_nm[F.col("signal_cd")].alias("signal_nm"),
            _reason(p, n, idx, F.col("trend_pct"), F.col("_year"), F.col("_month")).alias(
                "reason_txt"
            ),
            "obs_365",
        ),
        SPEC,
    )


@job(
    "gold.mart_buy_signal",
    "싸요/보통/비싸요 per item and region from its 1-year percentile and 평년 band",
    order=80,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window plus 364 days of prices and the window's normal band, build, publish."""
    start, end = ctx.window.bounds
    prices = read_prices(
        ctx, lookback_ranges(ctx.window.start, ctx.window.end, back_days=HISTORY_DAYS - 1)
    )
    band = ctx.read(MART_PRICE_NORMAL_BAND)
    return ctx.publish(SPEC, transform(prices, band, start, end))

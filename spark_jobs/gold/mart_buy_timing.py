"""mart_buy_timing: 지금 사세요 / 기다려 보세요 / 보통 per item and region today.

The decision rule (constants below), on each series' latest buy signal (mart_buy_signal, the 7
days ending the as-of day) and its *usable* forecasts (mart_price_forecast, 1, 2 and 4 weeks),
with every change measured from today's price:

- 기다려 보세요 (wait): some usable horizon expects a fall of at least 5 % and its 80 % interval's
  upper end is not above today's price (waiting is unlikely to cost more). The horizon with the
  largest expected fall is cited (ties: the nearer week).
- 지금 사세요 (buy_now): no such fall, and either the signal is 싸요, or some usable horizon
  expects a rise of at least 5 % with the interval's lower end not below today's price (the
  largest rise is cited).
- 보통 (normal): everything else, among them every series without a usable forecast that is not
  싸요: an unproven forecast never moves a shopper.

The reason names the cited forecast and its backtest error ("2주 뒤 약 8% 내릴 것으로 보여요,
지난 1년 예측 오차 5%"); without one it is the buy signal's reason after its 싸요/보통/비싸요.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from spark_jobs.gold._common import pct_change
from spark_jobs.gold._signals import LABELS, pct_text
from spark_jobs.gold.tables import MART_BUY_SIGNAL, MART_PRICE_FORECAST
from spark_jobs.gold.tables import MART_BUY_TIMING as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

MOVE_PCT = 5.0  # an expected change from this size on counts
# Produce is not surveyed on weekends and holidays: "today" is a series' latest day in this span.
LATEST_DAYS = 7
KEY = ["country_cd", "item_cd", "kind_cd", "rank_cd"]
TIMING_NM = {"buy_now": "지금 사세요", "wait": "기다려 보세요", "normal": "보통"}


def latest_signals(signal: DataFrame, as_of: date) -> DataFrame:
    """Return each series' latest mart_buy_signal row within the 7 days ending ``as_of``."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    recent = signal.where(
        F.col("res_dt").between(F.lit(as_of - timedelta(days=LATEST_DAYS - 1)), F.lit(as_of))
    )
    w = Window.partitionBy(*KEY).orderBy(F.col("res_dt").desc())
    return recent.withColumn("_rn", F.row_number().over(w)).where("_rn = 1").drop("_rn")


def transform(signal: DataFrame, forecast: DataFrame, as_of: date) -> DataFrame:
    """Return one decision per series with a buy signal in the 7 days ending ``as_of``.

    Args:
        signal: ``mart_buy_signal`` rows of (at least) those 7 days.
        forecast: ``mart_price_forecast`` rows (those of ``as_of`` that are usable are used).
        as_of: The decision day.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    today = latest_signals(signal, as_of)
    fc = forecast.where((F.col("as_of_dt") == F.lit(as_of)) & F.col("usable")).select(
        *KEY,
        F.col("unit").alias("_fc_unit"),
        "horizon_weeks",
        F.col("forecast_price").alias("expected_price"),
        "lo_80_price",
        "hi_80_price",
        F.round("backtest_mape_pct", 1).alias("backtest_mape_pct"),
    )
    price = F.col("price")
    moves = (
        today.select(*KEY, "unit", "price")
        .join(fc, KEY)
        .where(F.col("unit").eqNullSafe(F.col("_fc_unit")))
        .select(
            *KEY,
            "horizon_weeks",
            "expected_price",
            "backtest_mape_pct",
            pct_change(F.col("expected_price"), price).alias("expected_change_pct"),
            pct_change(F.col("lo_80_price"), price).alias("lo_change_pct"),
            pct_change(F.col("hi_80_price"), price).alias("hi_change_pct"),
        )
    )
    chg, lo, hi = F.col("expected_change_pct"), F.col("lo_change_pct"), F.col("hi_change_pct")
    moves = moves.withColumn(
        "_kind",
        F.when((chg <= -MOVE_PCT) & (hi <= 0), F.lit("fall")).when(
            (chg >= MOVE_PCT) & (lo >= 0), F.lit("rise")
        ),
    ).where(F.col("_kind").isNotNull())
    # the largest fall (or rise) is cited; ties go to the nearer week
    w = Window.partitionBy(*KEY, "_kind").orderBy(F.abs(chg).desc(), "horizon_weeks")
    best = moves.withColumn("_rn", F.row_number().over(w)).where("_rn = 1").drop("_rn")
    fall = best.where(F.col("_kind") == "fall").drop("_kind")
    rise = best.where(F.col("_kind") == "rise").drop("_kind")
    cols = [c for c in fall.columns if c not in KEY]
    rows = (
        today.join(fall.select(*KEY, *[F.col(c).alias(f"f_{c}") for c in cols]), KEY, "left")
        .join(rise.select(*KEY, *[F.col(c).alias(f"r_{c}") for c in cols]), KEY, "left")
        .withColumn(
            "timing_cd",
            F.when(F.col("f_horizon_weeks").isNotNull(), F.lit("wait"))
            .when(
                (F.col("signal_cd") == "cheap") | F.col("r_horizon_weeks").isNotNull(),
                F.lit("buy_now"),
            )
            .otherwise(F.lit("normal")),
        )
    )
    # the cited forecast: the fall for wait, the rise for buy_now (none when only 싸요 decided)
    cited = {
        c: F.when(F.col("timing_cd") == "wait", F.col(f"f_{c}")).when(
            F.col("timing_cd") == "buy_now", F.col(f"r_{c}")
        )
        for c in cols
    }
    chg_c, h_c, mape_c = (
        cited["expected_change_pct"],
        cited["horizon_weeks"],
        cited["backtest_mape_pct"],
    )
    move_txt = F.concat(
        h_c.cast("string"),
        F.lit("주 뒤 약 "),
        pct_text(F.abs(chg_c)),
        F.when(chg_c < 0, F.lit("% 내릴")).otherwise(F.lit("% 오를")),
        F.lit(" 것으로 보여요, 지난 1년 예측 오차 "),
        pct_text(mape_c),
        F.lit("%"),
    )
    reason = F.when(h_c.isNotNull(), move_txt).otherwise(
        F.concat(F.col("signal_nm"), F.lit(": "), F.col("reason_txt"))
    )
    timing_nm = F.create_map(*[F.lit(x) for kv in TIMING_NM.items() for x in kv])
    out = rows.select(
        F.lit(as_of).alias("as_of_dt"),
        "res_dt",
        *KEY,
        *LABELS,
        "price",
        "signal_cd",
        "signal_nm",
        "timing_cd",
        timing_nm[F.col("timing_cd")].alias("timing_nm"),
        *[cited[c].alias(c) for c in cols],
        reason.alias("reason_txt"),
    )
    return conform(out, SPEC)


@job(
    "gold.mart_buy_timing",
    "지금 사세요 / 기다려 보세요 / 보통 from the buy signal and the usable forecast",
    order=86,
)
def run(ctx: JobContext) -> PublishResult:
    """Decide for the window's last day from its last 7 days of signals and its forecasts."""
    end = ctx.window.end
    signal = ctx.read(MART_BUY_SIGNAL, ranges=[(end - timedelta(days=LATEST_DAYS - 1), end)])
    forecast = ctx.read(MART_PRICE_FORECAST, ranges=[(end, end)])
    return ctx.publish(SPEC, transform(signal, forecast, end))

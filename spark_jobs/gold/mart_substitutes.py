"""mart_substitutes: when something is 비싸요, what else of the same use is cheaper and in season.

For each series whose latest buy signal (the 7 days ending the as-of day) is 비싸요 in a region,
up to three other items of its use group (reference/substitute_groups.json; another kind of the
same item only where the group lists both kinds, as 돼지고기 부위) that, in the same region and days:

- are 싸요 or 보통 (mart_buy_signal);
- are in season in the as-of month (dim_season: a row for the month with the same item_cd and the
  same kind_cd or none; an item the calendar never lists — meat, imports — is not seasonal and is
  always in season);
- cost less per common unit: price / quantity of the survey unit in its base unit (kg, L, 개,
  포기 …, gold/_units.py), compared only between equal base units.

Each substitute item/kind appears once (its cheapest rank per base unit); the three cheapest are
ranked 1..3.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from spark_jobs.gold._signals import LABELS
from spark_jobs.gold._units import base_qty, base_unit, unit_text
from spark_jobs.gold.mart_buy_timing import LATEST_DAYS, latest_signals
from spark_jobs.gold.tables import MART_BUY_SIGNAL
from spark_jobs.gold.tables import MART_SUBSTITUTES as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.paths import REFERENCE_DIR
from spark_jobs.silver.tables import DIM_SEASON

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

GROUPS_JSON = REFERENCE_DIR / "substitute_groups.json"
MAX_SUBSTITUTES = 3
GROUP_SCHEMA = "group_cd STRING, group_nm STRING, item_cd STRING, kind_cd STRING"


def read_groups(path: Path = GROUPS_JSON) -> list[dict]:
    """Return one dict per group member: group_cd, group_nm, item_cd, kind_cd (None = every kind)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [
        {
            "group_cd": g["group_cd"],
            "group_nm": g["group_nm"],
            "item_cd": m["item_cd"],
            "kind_cd": m.get("kind_cd"),
        }
        for g in doc["groups"]
        for m in g["members"]
    ]


def groups_frame(spark: SparkSession, path: Path = GROUPS_JSON) -> DataFrame:
    """Return the groups file as a DataFrame (``GROUP_SCHEMA``)."""
    return spark.createDataFrame(read_groups(path), GROUP_SCHEMA)


def _with_group(rows: DataFrame, groups: DataFrame) -> DataFrame:
    """Join each row to the groups it belongs to (by item_cd, and kind_cd unless the member has none).

    ``_member_kind`` keeps the member's kind_cd (null: the item as a whole).
    """
    from pyspark.sql import functions as F

    g = groups.select(
        "group_cd", "group_nm", F.col("item_cd").alias("_g_item"), F.col("kind_cd").alias("_g_kind")
    )
    on = (F.col("item_cd") == F.col("_g_item")) & (
        F.col("_g_kind").isNull() | (F.col("kind_cd") == F.col("_g_kind"))
    )
    return rows.join(g, on).drop("_g_item").withColumnRenamed("_g_kind", "_member_kind")


def _in_season(rows: DataFrame, season: DataFrame, month: int) -> DataFrame:
    """Keep rows in season in ``month``; items absent from the calendar are always in season."""
    from pyspark.sql import functions as F

    listed = (
        season.where(F.col("item_cd").isNotNull())
        .select(F.col("item_cd").alias("_s_item"))
        .distinct()
    )
    now = (
        season.where((F.col("month") == month) & F.col("item_cd").isNotNull())
        .select(F.col("item_cd").alias("_n_item"), F.col("kind_cd").alias("_n_kind"))
        .distinct()
    )
    in_month = rows.join(
        now,
        (F.col("item_cd") == F.col("_n_item"))
        & (F.col("_n_kind").isNull() | (F.col("kind_cd") == F.col("_n_kind"))),
        "left_semi",
    )
    never_listed = rows.join(listed, F.col("item_cd") == F.col("_s_item"), "left_anti")
    return in_month.unionByName(never_listed)


def transform(signal: DataFrame, season: DataFrame, groups: DataFrame, as_of: date) -> DataFrame:
    """Return up to three substitutes for each series that is 비싸요 as of ``as_of``.

    Args:
        signal: ``mart_buy_signal`` rows of (at least) the 7 days ending ``as_of``.
        season: ``dim_season`` rows (item_cd, kind_cd, month).
        groups: Use groups (``GROUP_SCHEMA``, e.g. :func:`groups_frame`).
        as_of: The day.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    text = unit_text()
    today = (
        latest_signals(signal, as_of)
        .withColumn("base_unit", base_unit(text))
        .withColumn("unit_price", F.round(F.col("price") / base_qty(text), 1))
        .where(F.col("unit_price").isNotNull() & F.col("base_unit").isNotNull())
    )
    dear = _with_group(today.where(F.col("signal_cd") == "expensive"), groups)
    candidates = _in_season(
        _with_group(today.where(F.col("signal_cd").isin("cheap", "normal")), groups),
        season,
        as_of.month,
    )
    sub_cols = ["item_cd", "item_nm", "kind_cd", "kind_nm", "rank_cd", "rank_nm", "unit"]
    subs = candidates.select(
        "country_cd",
        "group_cd",
        "base_unit",
        *[F.col(c).alias(f"sub_{c}") for c in sub_cols],
        F.col("price").alias("sub_price"),
        F.col("unit_price").alias("sub_unit_price"),
        F.col("signal_cd").alias("sub_signal_cd"),
        F.col("signal_nm").alias("sub_signal_nm"),
        F.col("_member_kind").alias("_sub_member_kind"),
    )
    # another item, or another kind of the same item when the group lists both kinds by name
    # (돼지 삼겹살 ↔ 앞다리); an item listed as a whole does not stand in for itself (오렌지 kinds)
    other = (F.col("sub_item_cd") != F.col("item_cd")) | (
        F.col("_member_kind").isNotNull()
        & F.col("_sub_member_kind").isNotNull()
        & (F.col("sub_kind_cd") != F.col("kind_cd"))
    )
    pairs = dear.join(subs, ["country_cd", "group_cd", "base_unit"]).where(
        other & (F.col("sub_unit_price") < F.col("unit_price"))
    )
    key = ["country_cd", "item_cd", "kind_cd", "rank_cd"]
    # one row per substitute item/kind (its cheapest rank), even when two groups hold the pair
    once = Window.partitionBy(*key, "sub_item_cd", "sub_kind_cd").orderBy(
        "sub_unit_price", "sub_rank_cd", "group_cd"
    )
    ranked = Window.partitionBy(*key).orderBy("sub_unit_price", "sub_item_cd", "sub_kind_cd")
    out = (
        pairs.withColumn("_once", F.row_number().over(once))
        .where("_once = 1")
        .withColumn("rank_no", F.row_number().over(ranked))
        .where(F.col("rank_no") <= MAX_SUBSTITUTES)
        .select(
            F.lit(as_of).alias("as_of_dt"),
            "res_dt",
            *key,
            *LABELS,
            "price",
            "group_cd",
            "group_nm",
            "base_unit",
            "unit_price",
            "rank_no",
            *[f"sub_{c}" for c in sub_cols],
            "sub_price",
            "sub_unit_price",
            "sub_signal_cd",
            "sub_signal_nm",
            F.round(
                (F.col("unit_price") - F.col("sub_unit_price")) / F.col("unit_price") * 100, 1
            ).alias("saving_pct"),
        )
    )
    return conform(out, SPEC)


@job(
    "gold.mart_substitutes",
    "cheaper in-season items of the same use group for what is 비싸요 today",
    order=88,
)
def run(ctx: JobContext) -> PublishResult:
    """Read the last 7 days of signals, the season calendar and the groups; publish the day's rows."""
    end = ctx.window.end
    signal = ctx.read(MART_BUY_SIGNAL, ranges=[(end - timedelta(days=LATEST_DAYS - 1), end)])
    season = ctx.read(DIM_SEASON)
    return ctx.publish(SPEC, transform(signal, season, groups_frame(ctx.spark), end))

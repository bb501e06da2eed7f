"""stg_daily_market_price (market rows with a price) and stg_daily_market_avg (평균 / 평년 pivoted).

Both come from periodRetailProductList bodies. Period windows overlap (a daily run re-asks the
last ``kamis.plan.CORRECTION_DAYS`` days), so every (day, region, market, item/kind/rank) keeps the
row of the newest body. The plan asks without a region: a body holds every city's markets (each
row labelled with its own city) and the national 평균 / 평년 (0000); a city's 평균 is the rounded
mean of its rows here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from spark_jobs import sources
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult
from spark_jobs.silver.parse import PERIOD_FIELDS
from spark_jobs.silver.rules import (
    Rule,
    bad_date_rule,
    flag_known,
    iso_date,
    known_code_rule,
    newest_per_key,
    positive_price_rule,
    validate,
    within,
)
from spark_jobs.silver.stg_quarantine import to_quarantine
from spark_jobs.silver.tables import STG_DAILY_MARKET_AVG as AVG_SPEC
from spark_jobs.silver.tables import STG_DAILY_MARKET_PRICE as SPEC
from spark_jobs.silver.template import Known, StgJob

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

AGGREGATE_TYPES = ("average", "normal")


def _typed(rows: DataFrame, regions: DataFrame, items: DataFrame) -> DataFrame:
    typed = rows.withColumnRenamed("res_dt", "res_dt__s").withColumn(
        "res_dt", iso_date("res_dt__s")
    )
    typed = flag_known(typed, regions, "country_cd", "__region_ok")
    return flag_known(typed, items, "item_cd", "__item_ok")


def _common_rules() -> list[Rule]:
    return [
        bad_date_rule("res_dt__s", "res_dt"),
        positive_price_rule(["price"]),
        known_code_rule("unknown_region", "country_cd", "__region_ok"),
        known_code_rule("unknown_item", "item_cd", "__item_ok"),
    ]


def _payload() -> list[str]:
    return [c if c != "res_dt" else "res_dt__s" for c in PERIOD_FIELDS]


def transform_market(
    rows: DataFrame,
    regions: DataFrame,
    items: DataFrame,
    start: date | None,
    end: date | None,
    detected_at: datetime,
) -> tuple[DataFrame, DataFrame]:
    """Market rows → stg_daily_market_price: newest body wins, then only rows with a price.

    Args:
        rows: The parse step's periodRetailProductList rows (all row types).
        regions: Known region codes (country_cd).
        items: Known item codes (item_cd).
        start: First res_dt published (None: all).
        end: Last res_dt published (None: all).
        detected_at: Stamped on quarantine rows.
    """
    from pyspark.sql import functions as F

    market = rows.where(~F.coalesce(F.col("row_type").isin(*AGGREGATE_TYPES), F.lit(False)))
    # Livestock period rows come per city with marketname null (API.md §2.4); for a requested
    # region that row equals the 평균 row already kept in stg_daily_market_avg, so it is not a
    # market price and not an error either: leave it out rather than quarantine it.
    livestock_city = F.col("market_nm").isNull() & (F.col("category_cd") == F.lit("500"))
    market = market.where(~F.coalesce(livestock_city, F.lit(False)))
    typed = _typed(market, regions, items)
    row_type = Rule(
        "unknown_row_type",
        ~F.coalesce(F.col("row_type") == "market", F.lit(False)),
        F.concat(F.lit("row_type="), F.coalesce("row_type", F.lit("null"))),
    )
    good, bad = validate(
        typed, SPEC, [row_type, *_common_rules()], _payload(), skip_not_null=("price",)
    )
    # A '-' price in the newest body means the market had no price that day: the row is dropped
    # after de-duplication so that an older body cannot resurrect a withdrawn price.
    out = newest_per_key(good, SPEC.grain).where(F.col("price").isNotNull())
    out = within(out, "res_dt", start, end)
    return out.select(*SPEC.columns), to_quarantine(bad, SPEC.name, detected_at, start, end)


def transform_avg(
    rows: DataFrame,
    regions: DataFrame,
    items: DataFrame,
    start: date | None,
    end: date | None,
    detected_at: datetime,
) -> tuple[DataFrame, DataFrame]:
    """평균 / 평년 rows → stg_daily_market_avg (avg_price, normal_price per day and averaged region).

    Each row type is de-duplicated on its own (newest body wins), then the two are pivoted; the
    lineage is the newer of the two rows. Days where both values are missing are left out.
    """
    from pyspark.sql import functions as F

    aggregates = rows.where(F.col("row_type").isin(*AGGREGATE_TYPES))
    typed = _typed(aggregates, regions, items)
    good, bad = validate(typed, AVG_SPEC, _common_rules(), _payload(), apply_checks=False)
    latest = newest_per_key(good, [*AVG_SPEC.grain, "row_type"])
    pivoted = latest.groupBy(*AVG_SPEC.grain).agg(
        F.max(F.when(F.col("row_type") == "average", F.col("price"))).alias("avg_price"),
        F.max(F.when(F.col("row_type") == "normal", F.col("price"))).alias("normal_price"),
        *[
            F.max_by(c, "fetched_at").alias(c)
            for c in ("category_cd", "item_nm", "kind_nm", "rank_nm", "unit", "request_id")
        ],
        F.max("fetched_at").alias("fetched_at"),
    )
    out = pivoted.where(F.col("avg_price").isNotNull() | F.col("normal_price").isNotNull())
    out = within(out, "res_dt", start, end)
    return out.select(*AVG_SPEC.columns), to_quarantine(bad, AVG_SPEC.name, detected_at, start, end)


def _build(rows: DataFrame, known: Known, start, end, detected_at):
    regions, items = known.regions, known.items
    market, bad_market = transform_market(rows, regions, items, start, end, detected_at)
    avg, bad_avg = transform_avg(rows, regions, items, start, end, detected_at)
    return {SPEC.name: market, AVG_SPEC.name: avg}, bad_market.unionByName(bad_avg)


# Period windows overlap the run's window; as for stg_daily_category_price the window reaches
# back over the publication look-back so that days the raw job asked again reach the tables.
JOB = StgJob(
    sources.PERIOD_RETAIL_PRODUCT,
    (SPEC, AVG_SPEC),
    _build,
    follows_lookback=True,
    overlapping=True,
)


@job(
    "silver.stg_daily_market_price",
    "periodRetailProductList bodies → market prices and daily 평균/평년",
    order=22,
)
def run(ctx: JobContext) -> PublishResult:
    """Run the silver template for this table (see :class:`~spark_jobs.silver.template.StgJob`)."""
    return JOB.run(ctx)

"""stg_weekly_eco_price: EcoPriceList / periodEcoPriceList store rows with store type and survey week."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from spark_jobs import sources
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult
from spark_jobs.silver.parse import ECO_FIELDS
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
from spark_jobs.silver.tables import STG_WEEKLY_ECO_PRICE as SPEC
from spark_jobs.silver.template import Known, StgJob

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

# 'A-대형마트' → brand 'A', store type '대형마트' (a mark after the letter, "B`", is dropped as the parser does).
STORE_PATTERN = r"^([A-Za-z][^-]*)-(.+)$"
# EcoPriceList answers with the latest survey day, which can be days before the requested day.
LAG_DAYS = 14


def transform(
    rows: DataFrame,
    regions: DataFrame,
    items: DataFrame,
    start: date | None,
    end: date | None,
    detected_at: datetime,
) -> tuple[DataFrame, DataFrame]:
    """Eco rows → stg_weekly_eco_price.

    The 평균 row (row_type 'average') is dropped on purpose: it is the mean of the store rows and
    can be recomputed. Store type and brand come from the parser or, when it left them empty, from
    marketname; week_start_dt is the Monday of res_dt's week. Rows without a price are left out
    after de-duplication (newest body wins).
    """
    from pyspark.sql import functions as F

    store = rows.where(~F.coalesce(F.col("row_type") == "average", F.lit(False)))
    typed = (
        store.withColumnRenamed("res_dt", "res_dt__s")
        .withColumn("res_dt", iso_date("res_dt__s"))
        .withColumn("week_start_dt", F.date_trunc("week", F.col("res_dt")).cast("date"))
        .withColumn(
            "store_type_nm",
            F.coalesce(
                "store_type_nm",
                F.nullif(F.regexp_extract("market_nm", STORE_PATTERN, 2), F.lit("")),
            ),
        )
        .withColumn(
            "store_brand_cd",
            F.coalesce(
                "store_brand_cd",
                F.nullif(
                    F.regexp_replace(
                        F.regexp_extract("market_nm", STORE_PATTERN, 1), "[^0-9A-Za-z]", ""
                    ),
                    F.lit(""),
                ),
            ),
        )
    )
    typed = flag_known(typed, regions, "country_cd", "__region_ok")
    typed = flag_known(typed, items, "item_cd", "__item_ok")
    rules = [
        Rule(
            "unknown_row_type",
            ~F.coalesce(F.col("row_type") == "market", F.lit(False)),
            F.concat(F.lit("row_type="), F.coalesce("row_type", F.lit("null"))),
        ),
        bad_date_rule("res_dt__s", "res_dt"),
        positive_price_rule(["price"]),
        known_code_rule("unknown_region", "country_cd", "__region_ok", required=False),
        known_code_rule("unknown_item", "item_cd", "__item_ok"),
    ]
    payload = [c if c != "res_dt" else "res_dt__s" for c in ECO_FIELDS]
    good, bad = validate(typed, SPEC, rules, payload, skip_not_null=("price",))
    out = newest_per_key(good, SPEC.grain).where(F.col("price").isNotNull())
    out = within(out, "res_dt", start, end)
    return out.select(*SPEC.columns), to_quarantine(bad, SPEC.name, detected_at, start, end)


def effective_start(rows: DataFrame, start: date, end: date) -> date:
    """Return the earliest day the window's bodies carry (EcoPriceList lags), but never after start."""
    from pyspark.sql import functions as F

    asked = within(rows, "req_dt", start, end)
    first = asked.select(F.min(F.try_to_date(F.col("res_dt"), "yyyy-MM-dd"))).first()[0]
    return min(start, first) if first is not None else start


def _build(rows: DataFrame, known: Known, start, end, detected_at):
    out, bad = transform(rows, known.regions, known.items, start, end, detected_at)
    return {SPEC.name: out}, bad


# A daily EcoPriceList call for day D returns the latest survey day (often before D), so the
# published window starts at the earliest day the window's bodies carry; bodies fetched up to
# LAG_DAYS later are read too, so that the newest body still wins for every republished day.
JOB = StgJob(
    sources.ECO_PRICE,
    (SPEC,),
    _build,
    overlapping=True,
    slack_days=LAG_DAYS,
    first_day=effective_start,
)


@job(
    "silver.stg_weekly_eco_price",
    "EcoPriceList / periodEcoPriceList bodies → eco store prices per week",
    order=23,
)
def run(ctx: JobContext) -> PublishResult:
    """Run the silver template for this table (see :class:`~spark_jobs.silver.template.StgJob`)."""
    return JOB.run(ctx)

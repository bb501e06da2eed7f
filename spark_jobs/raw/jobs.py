"""Raw jobs: one per KAMIS source, each storing every call verbatim (minus credentials)."""

from __future__ import annotations

from spark_jobs.jobs import JobContext, job
from spark_jobs.kamis import plan
from spark_jobs.raw.collect import CollectSummary, collect


@job(
    "raw.daily_price_by_category_list",
    "dailyPriceByCategoryList: class × category × region per day",
    order=10,
)
def daily_price_by_category_list(ctx: JobContext) -> CollectSummary:
    """Collect 186 dailyPriceByCategoryList calls per day of the window."""
    return collect(ctx, plan.DAILY_PRICE_BY_CATEGORY)


@job(
    "raw.daily_county_list",
    "dailyCountyList: latest snapshot of every region (req_dt = window end)",
    order=20,
)
def daily_county_list(ctx: JobContext) -> CollectSummary:
    """Collect one dailyCountyList snapshot per region."""
    return collect(ctx, plan.DAILY_COUNTY)


@job(
    "raw.period_retail_product_list",
    "periodRetailProductList: retail item/kind/rank × region per month",
    order=30,
)
def period_retail_product_list(ctx: JobContext) -> CollectSummary:
    """Collect one periodRetailProductList call per retail combo and region per month chunk."""
    return collect(ctx, plan.PERIOD_RETAIL_PRODUCT)


@job("raw.eco_price_list", "EcoPriceList / periodEcoPriceList: every eco item/kind/grade", order=40)
def eco_price_list(ctx: JobContext) -> CollectSummary:
    """Collect the eco calls (a single day: EcoPriceList; a longer chunk: periodEcoPriceList)."""
    return collect(ctx, plan.ECO_PRICE)


@job("raw.product_info", "productInfo: the item/kind/grade code table, once per run", order=50)
def product_info(ctx: JobContext) -> CollectSummary:
    """Collect the productInfo code table."""
    return collect(ctx, plan.PRODUCT_INFO)

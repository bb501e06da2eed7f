"""mart_retail_price_latest: mean market price per day, region, channel and item."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spark_jobs.gold._channels import channel_means, channel_prices
from spark_jobs.gold._common import date_between
from spark_jobs.gold.tables import MART_RETAIL_PRICE_LATEST as SPEC
from spark_jobs.jobs import JobContext, job
from spark_jobs.lake import PublishResult, conform
from spark_jobs.silver.tables import DIM_MARKET, STG_DAILY_MARKET_PRICE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(
    market_prices: DataFrame, markets: DataFrame, start: date | None = None, end: date | None = None
) -> DataFrame:
    """Average each day's market prices per region × channel (large_retail / traditional) × item."""
    rows = market_prices.where(date_between("res_dt", start, end))
    return conform(channel_means(channel_prices(rows, markets)), SPEC)


@job(
    "gold.mart_retail_price_latest", "mean retail price per day, region, channel and item", order=20
)
def run(ctx: JobContext) -> PublishResult:
    """Read the window's market prices and dim_market, average, publish."""
    prices = ctx.read(STG_DAILY_MARKET_PRICE)
    markets = ctx.read(DIM_MARKET)
    return ctx.publish(SPEC, transform(prices, markets, *ctx.window.bounds))

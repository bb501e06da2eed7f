"""The full request plan for a date window, per source, and its request counts.

Sources (one raw table each):

1. ``daily_price_by_category_list``: per day, retail 01 × categories 100..600 × (national + 24
   regions) and wholesale 02 × categories × (national + 5 regions) = 150 + 36 = 186 calls.
2. ``daily_county_list``: the latest snapshot of every region, once per run (req_dt = window
   end). The 5 wholesale regions are a subset of the 24 retail ones and the action has no class
   parameter, so this is 24 distinct calls (29 would duplicate 5 calls exactly).
3. ``period_retail_product_list``: every retail (item, kind, rank) (301 produce + 45 livestock)
   × 24 regions, one call per combination and region covering the window (split at one year).
4. ``eco_price_list``: every eco (item, kind, grade) (114): EcoPriceList for a single day,
   periodEcoPriceList for a longer window.
5. ``product_info``: once per run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from spark_jobs.kamis import codes
from spark_jobs.kamis import requests as kr
from spark_jobs.kamis.requests import KamisRequest

DAILY_PRICE_BY_CATEGORY = "daily_price_by_category_list"
DAILY_COUNTY = "daily_county_list"
PERIOD_RETAIL_PRODUCT = "period_retail_product_list"
ECO_PRICE = "eco_price_list"
PRODUCT_INFO = "product_info"
SOURCES = (DAILY_PRICE_BY_CATEGORY, DAILY_COUNTY, PERIOD_RETAIL_PRODUCT, ECO_PRICE, PRODUCT_INFO)


def daily_price_by_category_plan(day: date, returntype: str = "json") -> list[KamisRequest]:
    """Return the 186 dailyPriceByCategoryList calls of one day."""
    out = []
    for cls in (codes.RETAIL, codes.WHOLESALE):
        regions: list[str | None] = [None, *(r.code for r in codes.regions_for_class(cls))]
        for category in codes.CATEGORIES:
            for region in regions:
                out.append(
                    kr.daily_price_by_category(day, cls, category, region, returntype=returntype)
                )
    return out


def daily_county_plan(req_dt: date, returntype: str = "json") -> list[KamisRequest]:
    """Return one dailyCountyList call per distinct region (24)."""
    return [kr.daily_county(r.code, req_dt, returntype) for r in codes.regions()]


def period_retail_product_plan(
    start: date, end: date, returntype: str = "json"
) -> list[KamisRequest]:
    """Return one periodRetailProductList call per retail combo × retail region × ≤1-year window."""
    out = []
    for w_start, w_end in kr.split_window(start, end):
        for combo in codes.retail_combos():
            for region in codes.retail_regions():
                out.append(
                    kr.period_retail_product(
                        combo, w_start, w_end, region.code, returntype=returntype
                    )
                )
    return out


def eco_price_plan(start: date, end: date, returntype: str = "json") -> list[KamisRequest]:
    """Return the eco calls: EcoPriceList for a single day, periodEcoPriceList per ≤1-year window."""
    if start == end:
        return [kr.eco_price(c, start, returntype=returntype) for c in codes.eco_combos()]
    return [
        kr.period_eco_price(c, w_start, w_end, returntype=returntype)
        for w_start, w_end in kr.split_window(start, end)
        for c in codes.eco_combos()
    ]


def product_info_plan(req_dt: date, returntype: str = "json") -> list[KamisRequest]:
    """Return the single productInfo call."""
    return [kr.product_info(req_dt, returntype)]


def month_chunks(start: date, end: date) -> Iterator[tuple[date, date]]:
    """Yield calendar-month pieces of ``start..end`` (the unit a backfill resumes by)."""
    if end < start:
        raise ValueError(f"window end {end} is before start {start}")
    cur = start
    while cur <= end:
        nxt = date(cur.year + (cur.month == 12), cur.month % 12 + 1, 1)
        stop = min(end, nxt - timedelta(days=1))
        yield cur, stop
        cur = stop + timedelta(days=1)


def plan_chunk(source: str, start: date, end: date, returntype: str = "json") -> list[KamisRequest]:
    """Return the calls ``source`` makes for one chunk ``start..end`` of a run."""
    builders: dict[str, Callable[[], list[KamisRequest]]] = {
        DAILY_PRICE_BY_CATEGORY: lambda: [
            r
            for i in range((end - start).days + 1)
            for r in daily_price_by_category_plan(start + timedelta(days=i), returntype)
        ],
        DAILY_COUNTY: lambda: daily_county_plan(end, returntype),
        PERIOD_RETAIL_PRODUCT: lambda: period_retail_product_plan(start, end, returntype),
        ECO_PRICE: lambda: eco_price_plan(start, end, returntype),
        PRODUCT_INFO: lambda: product_info_plan(end, returntype),
    }
    if source not in builders:
        raise KeyError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
    return builders[source]()


def chunks_for(source: str, start: date, end: date) -> list[tuple[date, date]]:
    """Return the chunks a run over ``start..end`` processes: months, or one for snapshot sources."""
    if source in (DAILY_COUNTY, PRODUCT_INFO):
        return [(end, end)]
    return list(month_chunks(start, end))


@dataclass(frozen=True)
class PlanCount:
    """How many calls a source makes for one day's run."""

    source: str
    requests: int
    note: str


def requests_per_day() -> list[PlanCount]:
    """Count the calls of a one-day run, per source (the daily plan)."""
    day = date(2026, 6, 4)
    notes = {
        DAILY_PRICE_BY_CATEGORY: "2 classes × 6 categories × (national + 24 retail / 5 wholesale regions)",
        DAILY_COUNTY: "one per distinct region (snapshot)",
        PERIOD_RETAIL_PRODUCT: (
            f"{len(codes.produce_retail_combos())} produce + {len(codes.livestock_retail_combos())} livestock "
            f"combos × {len(codes.retail_regions())} regions"
        ),
        ECO_PRICE: f"{len(codes.eco_combos())} eco combos (EcoPriceList)",
        PRODUCT_INFO: "code table, once per run",
    }
    return [PlanCount(s, len(plan_chunk(s, day, day)), notes[s]) for s in SOURCES]

"""The request fan-out of each KAMIS source: which calls one day or one window needs.

Which source uses which builder, and how a run is cut into chunks, is in the source registry
(:mod:`spark_jobs.sources`). The builders:

1. dailyPriceByCategoryList: per day, retail 01 × categories 100..600 × (national + 24
   regions) and wholesale 02 × categories × (national + 5 regions) = 150 + 36 = 186 calls.
2. dailyCountyList: the latest snapshot of every region, once per run (req_dt = window
   end). The 5 wholesale regions are a subset of the 24 retail ones and the action has no class
   parameter, so this is 24 distinct calls (29 would duplicate 5 calls exactly).
3. periodRetailProductList: every retail (item, kind, rank) (301 produce + 45 livestock)
   × 24 regions, one call per combination and region covering the window (split at one year).
4. EcoPriceList / periodEcoPriceList: every eco (item, kind, grade) (114): EcoPriceList for a
   single day, periodEcoPriceList for a longer window.
5. productInfo: once per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from spark_jobs.kamis import codes
from spark_jobs.kamis import requests as kr
from spark_jobs.kamis.requests import KamisRequest


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

"""The request fan-out of each KAMIS source: which calls one day or one window needs.

Which source uses which builder, and how a run is cut into chunks, is in the source registry
(:mod:`spark_jobs.sources`). The builders:

1. dailyPriceByCategoryList: per day, retail 01 × categories 100..600 × (national + 24
   regions) and wholesale 02 × categories × (national + 5 regions) = 150 + 36 = 186 calls.
2. dailyCountyList: the latest snapshot of every region, once per run (req_dt = window
   end). The 5 wholesale regions are a subset of the 24 retail ones and the action has no class
   parameter, so this is 24 distinct calls (29 would duplicate 5 calls exactly).
3. periodRetailProductList: every retail (item, kind, rank) (301 produce + 45 livestock), one
   call per combination with the region omitted — KAMIS then answers every city and market in one
   body (API.md §3.3) — over the chunk widened back to the last :data:`CORRECTION_DAYS` days, so a
   daily run asks 346 calls (before: 346 × 24 regions = 8,304 one-day calls).
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

# Days a periodRetailProductList call reaches back from its chunk's end. Every day is asked again
# by the runs of the following CORRECTION_DAYS - 1 days, so a price KAMIS publishes late (after the
# afternoon publication, or corrected later) reaches the lake within a week. It equals the
# pipeline's publication look-back (``kamis.publication_lookback_days``, 7 in every profile): the
# silver job re-derives exactly those days, and each of them is then in the newest body.
CORRECTION_DAYS = 7


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


def correction_window(start: date, end: date, days: int = CORRECTION_DAYS) -> tuple[date, date]:
    """Return ``start..end`` widened back so that it covers at least the ``days`` days ending at ``end``."""
    if end < start:
        raise ValueError(f"window end {end} is before start {start}")
    return min(start, end - timedelta(days=days - 1)), end


def period_retail_product_plan(
    start: date, end: date, returntype: str = "json"
) -> list[KamisRequest]:
    """Return one region-less periodRetailProductList call per retail combo × ≤1-year window.

    The window is ``start..end`` widened back to :data:`CORRECTION_DAYS` days
    (:func:`correction_window`); every call is filed under ``end`` (its ``req_dt``). Without a
    region KAMIS returns every city's markets and the national 평균/평년 in one body.
    """
    w_start, w_end = correction_window(start, end)
    return [
        kr.period_retail_product(combo, a, b, returntype=returntype)
        for a, b in kr.split_window(w_start, w_end)
        for combo in codes.retail_combos()
    ]


def period_retail_product_plan_per_region(
    start: date, end: date, returntype: str = "json"
) -> list[KamisRequest]:
    """Return the plan before issue 12: one call per retail combo × retail region × ≤1-year window.

    Not used by the pipeline; kept for the benchmark (``bench/bench_collect_plan.py``) and the
    test that the region-less plan yields the same silver rows.
    """
    return [
        kr.period_retail_product(combo, w_start, w_end, region.code, returntype=returntype)
        for w_start, w_end in kr.split_window(start, end)
        for combo in codes.retail_combos()
        for region in codes.retail_regions()
    ]


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

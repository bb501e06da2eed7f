"""Measures of the channel and region structure of market prices, for real and simulated data alike.

The simulator's channel and region effects are calibrated on real ``periodRetailProductList``
market rows (``calibration_market_prices.csv``, plus the Seoul onion body among the KAMIS
samples); ``docs/SIMULATOR.md`` lists the figures. The same functions measure the simulator, so a
test can hold the two side by side.

Measures (a row is one market's price of one item on one day):

* **channel gap** of an item: the mean over days of the nationwide gap
  ``(mean large-retail price − mean traditional price) / mean traditional price × 100`` — what
  the 유통업체별 tab shows for 전국. Positive: traditional markets are cheaper.
* **region spread** of an item: each price is divided by the day's geometric mean of its channel
  nationwide (so a region is not dearer for having more large retailers); a region's effect is the
  mean log of those ratios over its markets and days; the spread is their population standard
  deviation across regions.
* **market spread** of an item: the same ratios averaged per market, minus the mean of the
  region's markets of that channel; the standard deviation over regions that have two or more
  markets of a channel.
"""

from __future__ import annotations

import csv
import math
import statistics as st
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL_MARKET_PRICES = HERE / "calibration_market_prices.csv"

LARGE, TRADITIONAL = "large", "traditional"


@dataclass(frozen=True)
class MarketPrice:
    """One market's price of one item on one day."""

    item: str
    region: str
    market: str
    channel: str  # "large" (X-유통) or "traditional"
    day: date
    price: float


@dataclass(frozen=True)
class Shape:
    """The channel and region structure of a set of market prices (see the module docstring)."""

    gaps: dict[str, float]  # item → channel gap %
    region_sd: dict[str, float]  # item → region spread (log)
    market_sd: dict[str, float]  # item → market spread within region and channel (log)

    @property
    def traditional_cheaper_share(self) -> float:
        """Return the share of items whose traditional markets are cheaper (gap > 0)."""
        return sum(g > 0 for g in self.gaps.values()) / len(self.gaps)

    @property
    def gap_mean(self) -> float:
        """Return the mean channel gap over items, in %."""
        return st.mean(self.gaps.values())

    @property
    def gap_sd(self) -> float:
        """Return the spread (population sd) of the channel gap across items, in % points."""
        return st.pstdev(self.gaps.values())

    @property
    def region_sd_median(self) -> float:
        """Return the median over items of the region spread."""
        return st.median(self.region_sd.values())

    @property
    def market_sd_median(self) -> float:
        """Return the median over items of the market spread."""
        return st.median(self.market_sd.values())


def channel_of(market_name: str) -> str:
    """Return ``large`` for an anonymised large retailer (``X-유통``), else ``traditional``."""
    return LARGE if market_name.endswith("-유통") else TRADITIONAL


def channel_gaps(rows: Iterable[MarketPrice]) -> dict[str, float]:
    """Return each item's mean nationwide channel gap in % over the days both channels priced it."""
    by_day: dict[tuple[str, date], dict[str, list[float]]] = defaultdict(
        lambda: {LARGE: [], TRADITIONAL: []}
    )
    for r in rows:
        by_day[(r.item, r.day)][r.channel].append(r.price)
    per_item: dict[str, list[float]] = defaultdict(list)
    for (item, _), ch in by_day.items():
        if ch[LARGE] and ch[TRADITIONAL]:
            t = st.mean(ch[TRADITIONAL])
            per_item[item].append((st.mean(ch[LARGE]) - t) / t * 100)
    return {item: st.mean(v) for item, v in sorted(per_item.items())}


def _market_effects(rows: Sequence[MarketPrice]) -> dict[tuple[str, str, str], list[float]]:
    """Return (item, region, market) → log(price / the day's nationwide channel geometric mean)."""
    groups: dict[tuple[str, date, str], list[MarketPrice]] = defaultdict(list)
    for r in rows:
        groups[(r.item, r.day, r.channel)].append(r)
    out: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for group in groups.values():
        g = st.mean(math.log(r.price) for r in group)
        for r in group:
            out[(r.item, r.region, r.market)].append(math.log(r.price) - g)
    return out


def region_and_market_sd(
    rows: Sequence[MarketPrice], min_days: int = 5
) -> tuple[dict[str, float], dict[str, float]]:
    """Return (item → region spread, item → market spread) in log units (markets with ``min_days``)."""
    effects = {k: st.mean(v) for k, v in _market_effects(rows).items() if len(v) >= min_days}
    regions: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    cells: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for (item, region, market), e in effects.items():
        regions[item][region].append(e)
        cells[(item, region, channel_of(market))].append(e)
    region_sd = {
        item: st.pstdev([st.mean(v) for v in by_region.values()])
        for item, by_region in sorted(regions.items())
        if len(by_region) >= 3
    }
    devs: dict[str, list[float]] = defaultdict(list)
    for (item, _, _), v in cells.items():
        if len(v) >= 2:
            m = st.mean(v)
            devs[item].extend(x - m for x in v)
    market_sd = {item: st.pstdev(v) for item, v in sorted(devs.items()) if len(v) >= 2}
    return region_sd, market_sd


def shape(rows: Iterable[MarketPrice]) -> Shape:
    """Return the channel and region structure of ``rows``."""
    rows = list(rows)
    region_sd, market_sd = region_and_market_sd(rows)
    return Shape(channel_gaps(rows), region_sd, market_sd)


# -- the real data -----------------------------------------------------------------------------


def real_market_prices(path: Path = REAL_MARKET_PRICES) -> list[MarketPrice]:
    """Return the real market rows of the calibration extract (ACEBUCKS2, 2024, every city)."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            MarketPrice(
                r["item_code"],
                r["country_cd"],
                r["marketname"],
                channel_of(r["marketname"]),
                date.fromisoformat(r["res_dt"]),
                float(r["price"]),
            )
            for r in csv.DictReader(f)
        ]


def period_body_market_prices(body: dict, item: str, region: str) -> list[MarketPrice]:
    """Return the market rows (not 평균/평년) of a real ``periodProductList`` JSON body."""
    items = body["data"]["item"]
    out = []
    for it in items:
        name, price = it.get("marketname"), it.get("price") or "-"
        if not name or price == "-":
            continue
        day = date(int(it["yyyy"]), *map(int, it["regday"].split("/")))
        out.append(
            MarketPrice(item, region, name, channel_of(name), day, float(price.replace(",", "")))
        )
    return out


# -- the simulator -----------------------------------------------------------------------------


def simulated_market_prices(model: object, days: Sequence[date]) -> list[MarketPrice]:
    """Return simulated retail market rows: per produce item its first top-grade series, on ``days``.

    One series per item (the lowest kind code with grade 04, else the first series), as the real
    extract holds one kind and grade per item; livestock is left out (one price per region).
    """
    from spark_jobs.simulator.catalog import RETAIL

    catalog = model.catalog  # type: ignore[attr-defined]
    chosen: dict[str, object] = {}
    for s in catalog.series:
        if s.cls != RETAIL or s.livestock or s.zero_price:
            continue
        best = chosen.get(s.item_code)
        if best is None or _pick_key(s) < _pick_key(best):
            chosen[s.item_code] = s
    out = []
    for item, s in sorted(chosen.items()):
        for m in catalog.markets_for(s, None):
            if m.channel not in (LARGE, TRADITIONAL):
                continue
            for d in days:
                p = model.market_price(s, m, d)  # type: ignore[attr-defined]
                if p is not None:
                    out.append(MarketPrice(item, m.region_code, m.name, m.channel, d, float(p)))
    return out


def _pick_key(s: object) -> tuple[bool, str, str]:
    return (s.rank_code != "04", s.kind_code, s.rank_code)  # type: ignore[attr-defined]

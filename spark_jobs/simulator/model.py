"""One deterministic price model behind every simulated action.

A market's price for a series on a day is a pure function of (seed, series, market, day):

    level(item, kind, d)  = ref_price × shape(d) / shape(ref_date)
    shape(d)              = seasonality × slow trend × two slow waves × tiny daily wobble
    market price          = level at the start of the market's "sticky" bucket (prices are
                            re-labelled every 1–7 days) × region factor × channel factor ×
                            market factor × day noise, rounded to 10 won (100 won above 10,000)

The region, channel and market factors are log-normal, calibrated on real market rows (see
``docs/SIMULATOR.md`` and ``calibration.py``): a region is dearer or cheaper per item (plus a
share common to all its items); large retailers are dearer than traditional markets for some
items and cheaper for others (a per-item gap, varied a little per region); each market sits
above or below its channel for each kind.

The shape is shared by every grade and channel of one (item, kind), so retail, wholesale and
eco numbers move together; randomness comes from a keyed hash (blake2b of seed + key + day), not
from a global RNG, so any single day costs O(1) and is the same for every request.

Published aggregates are defined from the market prices (and tested that way):
* ``average``: round-half-up arithmetic mean of the market prices reported that day;
* ``normal`` (평년): the average on the same calendar day of each of the five previous years
  (every day is priced by the model, survey calendar or not), dropping the highest and the
  lowest year and averaging the other three, rounded half up.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from spark_jobs.kamis.survey_calendar import is_survey_day, minus_years
from spark_jobs.simulator.catalog import Catalog, Market, Series, get_catalog

MISSING_RATE = 0.06  # a carried market has no price on a given day
NOT_CARRIED_RATE = 0.12  # a market never carries a series (never for a region's first market)

# Items whose price peaks in summer (배추, 무, 알배기배추, 열무, 얼갈이).
SUMMER_PEAK = {"211", "231", "279", "233", "215"}
# Eco store types (EcoPriceList) and the other non-retail channels: fixed level factors.
CHANNEL_FACTOR = {
    "wholesale": 1.0, "livestock": 1.0,
    "대형마트": 1.0, "백화점": 1.3, "SSM": 0.97, "생협": 1.05, "전문점": 1.1, "직매장": 0.95,
}  # fmt: skip
# Retail channels, log(large-retail price / traditional price) per item ~ N(MEAN, SD), plus a
# per (item, region) deviation. Calibrated in docs/SIMULATOR.md (real: 3 of 6 items cheaper at
# traditional markets, mean gap +3.5 %, spread 14.9 % points across items).
CHANNEL_GAP_MEAN = 0.02
CHANNEL_GAP_SD = 0.14
CHANNEL_GAP_REGION_SD = 0.05
# Region effect per (item, region) in log units: a part shared by all items of the region and an
# item-specific part (real: sd 0.103 across cities, cross-item correlation about 0.25).
REGION_SHARED_SD = 0.03
REGION_ITEM_SD = 0.04
# A market's lasting offset from its channel for one kind, in log units (real: sd 0.12).
MARKET_SD = 0.15
WAVE_SCALE = {"100": 0.4, "500": 0.6}
SEASON_AMPLITUDE = {"100": 0.04, "200": 0.22, "300": 0.06, "400": 0.2, "500": 0.05, "600": 0.1}


def round_half_up(x: float) -> int:
    """Round to the nearest integer, halves away from zero (KAMIS-style, not banker's)."""
    return math.floor(x + 0.5)


def _digest(seed: int, *parts: object) -> bytes:
    text = "|".join(str(p) for p in (seed, *parts))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def hash_uniform(seed: int, *parts: object) -> float:
    """Return a uniform number in [0, 1) determined by the seed and the key parts."""
    return int.from_bytes(_digest(seed, *parts)[:8], "big") / 2.0**64


def hash_normal(seed: int, *parts: object) -> float:
    """Return an approximately standard-normal number determined by the seed and key parts."""
    b = _digest(seed, *parts)
    u = [int.from_bytes(b[i : i + 4], "big") / 2.0**32 for i in (0, 4, 8)]
    return (sum(u) - 1.5) * 2.0


_M64 = (1 << 64) - 1


def mix64(x: int) -> int:
    """Return the splitmix64 finaliser of ``x`` (a fast, well-mixed 64-bit integer hash)."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def fast_uniform(a: int, b: int, t: int) -> float:
    """Return a uniform number in [0, 1) from two 64-bit keys and a day/bucket number."""
    return mix64(a ^ mix64(b ^ mix64(t + 0x9E3779B97F4A7C15))) / 18446744073709551616.0


def fast_normal(a: int, b: int, t: int) -> float:
    """Return an approximately standard-normal number (Irwin–Hall of 3) from integer keys."""
    h = mix64(a ^ mix64(b ^ mix64(t + 0x632BE59BD9B4E019)))
    h2 = mix64(h)
    u = ((h & 0xFFFFFFFF) + (h >> 32) + (h2 & 0xFFFFFFFF)) / 4294967296.0
    return (u - 1.5) * 2.0


def _key64(seed: int, *parts: object) -> int:
    return int.from_bytes(_digest(seed, *parts)[:8], "big")


def _lognormal(sd: float, z: float) -> float:
    """Return exp(sd·z − sd²/2): a log-normal factor with mean 1 for a standard-normal ``z``."""
    return math.exp(sd * z - sd * sd / 2)


def _round_price(x: float) -> int:
    step = 100 if x >= 10000 else 10
    return max(step, round_half_up(x / step) * step)


class PriceModel:
    """Deterministic market prices for every series in the catalog, for a seed."""

    def __init__(self, seed: int, catalog: Catalog | None = None) -> None:
        self.seed = seed
        self.catalog = catalog or get_catalog()
        self.market_price = lru_cache(maxsize=1 << 21)(self._market_price)
        self.average = lru_cache(maxsize=1 << 19)(self._average)
        self._shape_cache: dict[tuple[str, str, int], float] = {}
        self._kind_cache: dict[
            tuple[str, str], tuple[float, float, float, float, float, float, int]
        ] = {}
        self._scale: dict[int, float] = {}
        self._hkeys: dict[str, int] = {}
        self._pair_cache: dict[tuple[int, int], tuple[bool, float, int, int, int, int]] = {}
        self._season_peak: dict[str, tuple[float, float]] = {}
        self._in_season = _load_in_season_months()

    # -- the common level ------------------------------------------------------------------
    def _season(self, s: Series, d: date) -> float:
        peak = self._season_peak.get(s.item_code)
        if peak is None:
            amp = SEASON_AMPLITUDE.get(s.category, 0.08)
            months = self._in_season.get(s.item_name)
            if s.item_code in SUMMER_PEAK:
                peak_doy, amp = 220.0, 0.35
            elif months:
                # cheapest in the middle of the in-season months, dearest half a year away
                ang = math.atan2(
                    sum(math.sin(2 * math.pi * (m - 0.5) / 12) for m in months),
                    sum(math.cos(2 * math.pi * (m - 0.5) / 12) for m in months),
                )
                peak_doy = (ang / (2 * math.pi) * 365.25 + 182.6) % 365.25
            else:
                peak_doy = hash_uniform(self.seed, "peak", s.item_code) * 365.25
                amp *= 0.5
            peak = (peak_doy, amp)
            self._season_peak[s.item_code] = peak
        doy = d.timetuple().tm_yday
        return 1.0 + peak[1] * math.cos(2 * math.pi * (doy - peak[0]) / 365.25)

    def _kind_params(self, s: Series) -> tuple[float, float, float, float, float, float, int]:
        ik = (s.item_code, s.kind_code)
        v = self._kind_cache.get(ik)
        if v is None:
            k = f"{s.item_code}/{s.kind_code}"
            v = (
                0.02 + 0.04 * (hash_uniform(self.seed, "trend", k) - 0.5),
                2 * math.pi / (40 + 50 * hash_uniform(self.seed, "p1", k)),
                2 * math.pi / (120 + 100 * hash_uniform(self.seed, "p2", k)),
                2 * math.pi * hash_uniform(self.seed, "f1", k),
                2 * math.pi * hash_uniform(self.seed, "f2", k),
                WAVE_SCALE.get(s.category, 1.0),
                _key64(self.seed, "day", k),
            )
            self._kind_cache[ik] = v
        return v

    def shape(self, s: Series, d: date) -> float:
        """Return the common (all grades, channels, markets) relative level of a kind on ``d``."""
        key = (s.item_code, s.kind_code, d.toordinal())
        v = self._shape_cache.get(key)
        if v is None:
            growth, w1, w2, f1, f2, a, day_key = self._kind_params(s)
            t = d.toordinal()
            wave = 1 + a * (0.06 * math.sin(w1 * t + f1) + 0.04 * math.sin(w2 * t + f2))
            wobble = 1 + 0.01 * fast_normal(day_key, 0, t)
            v = self._season(s, d) * math.exp(growth * (t - 738000) / 365.25) * wave * wobble
            self._shape_cache[key] = v
        return v

    def level(self, s: Series, d: date) -> float:
        """Return the national reference level of a series on ``d`` (no market effects)."""
        scale = self._scale.get(s.idx)
        if scale is None:
            scale = self._scale[s.idx] = s.ref_price / self.shape(s, s.ref_date)
        return scale * self.shape(s, d)

    # -- markets ---------------------------------------------------------------------------
    def _pair(self, s: Series, m: Market) -> tuple[bool, float, int, int, int, int]:
        key = (s.idx, m.idx)
        v = self._pair_cache.get(key)
        if v is None:
            sh, mh = self._hkey(s.key), self._hkey(m.key)
            first = self.catalog.markets_for(s, m.region_code)[0] is m
            carried = first or fast_uniform(sh, mh, 11) >= NOT_CARRIED_RATE
            ikh = self._hkey(f"{s.item_code}/{s.kind_code}")
            region_f = self._region_factor(s.item_code, m.region_code)
            market_f = self._channel_factor(s.item_code, m.region_code, m.channel) * _lognormal(
                MARKET_SD, fast_normal(ikh, mh, 13)
            )
            sticky = 1 if s.livestock else (1, 2, 3, 5, 7)[int(fast_uniform(sh, mh, 14) * 5)]
            offset = int(fast_uniform(sh, mh, 15) * sticky)
            v = (
                carried,
                region_f * market_f,
                sticky,
                offset,
                mix64(sh ^ mh ^ 16),
                mix64(sh ^ mh ^ 17),
            )
            self._pair_cache[key] = v
        return v

    def _region_factor(self, item: str, region: str) -> float:
        """Return the (item, region) level factor: a shared regional part times an item part."""
        shared = fast_normal(self._hkey("region"), self._hkey(region), 21)
        own = fast_normal(self._hkey(item), self._hkey(region), 22)
        return _lognormal(REGION_SHARED_SD, shared) * _lognormal(REGION_ITEM_SD, own)

    def _channel_factor(self, item: str, region: str, channel: str) -> float:
        """Return the channel's level factor; retail channels split the item's gap half each way."""
        if channel not in ("large", "traditional"):
            return CHANNEL_FACTOR.get(channel, 1.0)
        gap = (
            CHANNEL_GAP_MEAN
            + CHANNEL_GAP_SD * fast_normal(self._hkey("channel"), self._hkey(item), 23)
            + CHANNEL_GAP_REGION_SD * fast_normal(self._hkey(item), self._hkey(region), 24)
        )
        return math.exp(gap / 2 if channel == "large" else -gap / 2)

    def _hkey(self, text: str) -> int:
        v = self._hkeys.get(text)
        if v is None:
            v = self._hkeys[text] = _key64(self.seed, text)
        return v

    def carries(self, s: Series, m: Market) -> bool:
        """Return True when market ``m`` reports series ``s`` at all."""
        return self._pair(s, m)[0]

    def _market_price(self, s: Series, m: Market, d: date, per_kg: bool = False) -> int | None:
        """Return market ``m``'s price of ``s`` on ``d`` ignoring the survey calendar (None = no price)."""
        if s.zero_price or d.month not in s.available:
            return None
        carried, factor, sticky, offset, miss_key, noise_key = self._pair(s, m)
        if not carried:
            return None
        t = d.toordinal()
        if fast_uniform(miss_key, 1, t) < MISSING_RATE:
            return None
        bucket = (t + offset) // sticky
        start = date.fromordinal(bucket * sticky - offset)
        sigma = 0.015 if s.livestock else 0.05
        noise = math.exp(sigma * fast_normal(noise_key, 2, bucket))
        raw = self.level(s, start) * factor * noise
        price = round_half_up(raw) if s.livestock else _round_price(raw)
        if per_kg and _is_mass(s):
            return round_half_up(price * 1000 / s.grams)
        return price

    def observed_price(self, s: Series, m: Market, d: date, per_kg: bool = False) -> int | None:
        """Return the price as published: None on days this kind of series is not surveyed."""
        if not is_survey_day(d, s.livestock):
            return None
        return self.market_price(s, m, d, per_kg)

    # -- aggregates ------------------------------------------------------------------------
    def _average(self, s: Series, region: str | None, d: date, per_kg: bool = False,
                 calendar: bool = True) -> int | None:  # fmt: skip
        """Return the rounded mean of the day's market prices in ``region`` (None = all regions)."""
        if calendar and not is_survey_day(d, s.livestock):
            return None
        prices = [
            p
            for m in self.catalog.markets_for(s, region)
            if (p := self.market_price(s, m, d, per_kg)) is not None
        ]
        return round_half_up(sum(prices) / len(prices)) if prices else None

    def normal(self, s: Series, region: str | None, d: date, per_kg: bool = False) -> int | None:
        """Return 평년: the five previous years' same-day averages, trimmed of max and min."""
        years = [self.average(s, region, minus_years(d, k), per_kg, False) for k in range(1, 6)]
        return trimmed_mean([y for y in years if y is not None])

    def market_rows(self, s: Series, region: str | None, days: Sequence[date], per_kg: bool = False
                    ) -> list[tuple[Market, list[int | None]]]:  # fmt: skip
        """Return each carrying market of ``region`` with its published prices on ``days``."""
        out = []
        for m in self.catalog.markets_for(s, region):
            if self.carries(s, m):
                out.append((m, [self.observed_price(s, m, d, per_kg) for d in days]))
        return out


def trimmed_mean(values: Sequence[int]) -> int | None:
    """Mean after dropping one highest and one lowest value (when three or more), rounded half up."""
    if not values:
        return None
    vs = sorted(values)
    if len(vs) >= 3:
        vs = vs[1:-1]
    return round_half_up(sum(vs) / len(vs))


def _is_mass(s: Series) -> bool:
    from spark_jobs.simulator.catalog import is_mass_unit

    return is_mass_unit(s.unit)


def _load_in_season_months() -> dict[str, frozenset[int]]:
    import csv

    from spark_jobs.paths import REFERENCE_DIR

    out: dict[str, set[int]] = {}
    with (REFERENCE_DIR / "seasonal_info.csv").open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["item_nm"], set()).add(int(r["month"]))
    return {k: frozenset(v) for k, v in out.items()}


def days_between(start: date, end: date) -> list[date]:
    """Return every date from ``start`` to ``end`` inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]

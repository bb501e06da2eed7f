"""Synthetic gold marts that follow the registry's contracts (for tests, benchmarks and demos).

Rows are the cross product of a mart's grain dimensions (days, regions, items, channels …) from
spark_jobs/gold/tables.py, narrowed where a mart covers less than every item and region (eco
items, in-season items, no national row, rare alerts: :data:`COVERAGE`), with plausible values
per column name. A mart therefore holds about as many rows as the dashboard's store would: top-3
marts 3 rows per region-day, the basket mart baskets × regions × channels per day, the item
series items × regions per day. Generation is vectorised and chunked by date so millions of rows
stream into a serving store without holding them all in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import numpy as np
import pyarrow as pa

from spark_jobs.table_spec import TableSpec
from spark_jobs.table_spec import split_ddl as _split_ddl

_ARROW = {
    "STRING": pa.string(),
    "DATE": pa.date32(),
    "INT": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us", tz="UTC"),
}


def arrow_schema(spec: TableSpec) -> pa.Schema:
    """Return the Arrow schema of a table's DDL (NOT NULL → non-nullable), as Spark writes it to Delta."""
    fields = []
    for col in _split_ddl(spec.schema):
        parts = col.split()
        name, typ = parts[0].strip("`"), parts[1].upper()
        fields.append(pa.field(name, _ARROW[typ], nullable="NOT NULL" not in col.upper()))
    return pa.schema(fields)


@dataclass(frozen=True)
class Item:
    """An item/kind/rank with its names and a typical retail price in won."""

    category_cd: str
    category_nm: str
    item_cd: str
    item_nm: str
    kind_cd: str
    kind_nm: str
    rank_cd: str
    rank_nm: str
    unit: str
    base_price: float


_CATEGORIES = [
    ("100", "식량작물"),
    ("200", "채소류"),
    ("300", "특용작물"),
    ("400", "과일류"),
    ("500", "축산물"),
    ("600", "수산물"),
]
_ITEM_NAMES = [
    "쌀",
    "배추",
    "무",
    "양파",
    "대파",
    "사과",
    "배",
    "돼지고기",
    "달걀",
    "고등어",
    "감자",
    "당근",
    "오이",
    "토마토",
    "딸기",
]
_RANKS = [("04", "상품"), ("05", "중품")]
_REGIONS = [
    ("0000", "전국"),
    ("1101", "서울"),
    ("2100", "부산"),
    ("2200", "대구"),
    ("2300", "인천"),
    ("2401", "광주"),
    ("2501", "대전"),
    ("2601", "울산"),
    ("2701", "세종"),
    ("3111", "수원"),
    ("3113", "성남"),
    ("3138", "고양"),
    ("3145", "용인"),
    ("3211", "춘천"),
    ("3214", "강릉"),
    ("3311", "청주"),
    ("3411", "천안"),
    ("3511", "전주"),
    ("3613", "순천"),
    ("3711", "포항"),
    ("3714", "안동"),
    ("3814", "창원"),
    ("3818", "김해"),
    ("3911", "제주"),
    ("3613", "여수"),
]
CHANNELS = [("large_retail", "대형유통"), ("traditional", "전통시장")]
STORE_TYPES = ["대형마트", "백화점", "SSM", "생협", "전문점"]
BASKETS = [
    ("kimchi", "김장 바구니"),
    ("weekly", "일주일 장보기"),
    ("bbq", "바비큐"),
    ("fruit", "과일 바구니"),
]
SIGNALS = [("cheap", "싸요"), ("normal", "보통"), ("expensive", "비싸요")]
ALERTS = [("above_band", "평년 밴드 위"), ("below_band", "평년 밴드 아래"), ("spike", "급등")]


def make_items(n: int) -> list[Item]:
    """Return ``n`` distinct item/kind/rank rows with realistic codes and Korean names."""
    out = []
    for i in range(n):
        cat_cd, cat_nm = _CATEGORIES[i % len(_CATEGORIES)]
        rank_cd, rank_nm = _RANKS[(i // len(_CATEGORIES)) % len(_RANKS)]
        k = i // (len(_CATEGORIES) * len(_RANKS))
        item_cd = f"{cat_cd[0]}{k:02d}" if k < 100 else f"{cat_cd[0]}{k}"
        name = _ITEM_NAMES[(i + k) % len(_ITEM_NAMES)]
        out.append(
            Item(
                cat_cd,
                cat_nm,
                item_cd,
                f"{name}{k}",
                "01",
                "일반",
                rank_cd,
                rank_nm,
                "1kg",
                1000.0 + (i * 137) % 9000,
            )
        )
    return out


def make_regions(n: int) -> list[tuple[str, str]]:
    """Return ``n`` regions (code, name), national '0000' first; codes unique."""
    seen: dict[str, str] = {}
    for cd, nm in _REGIONS:
        seen.setdefault(cd, nm)
    regions = list(seen.items())
    while len(regions) < n:
        regions.append((f"9{len(regions):03d}", f"지역{len(regions)}"))
    return regions[:n]


def survey_days(start: date, end: date, weekdays_only: bool = True) -> list[date]:
    """Return the days from ``start`` to ``end`` inclusive (weekdays only by default, as KAMIS surveys)."""
    days, d = [], start
    while d <= end:
        if not weekdays_only or d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def _strings(values: Sequence[str], idx: np.ndarray) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(idx.astype(np.int32)), pa.array(list(values), pa.string())
    ).cast(pa.string())


def _with_nulls(
    arr: np.ndarray, rng: np.random.Generator, nullable: bool, rate: float = 0.03
) -> pa.Array:
    if not nullable or len(arr) == 0:
        return pa.array(arr)
    return pa.array(arr, mask=rng.random(len(arr)) < rate)


@dataclass(frozen=True)
class Coverage:
    """Which part of the item × region universe a mart holds rows for, beyond its grain.

    Attributes:
        items: ``all``; ``eco`` (the eco combos' share of the retail combos); ``season`` (only the
            items in season in the row's month).
        national: Whether the mart has rows for the national level '0000'.
        share: Fraction of the grain's cells that hold a row, drawn at random (alerts are rare).
    """

    items: str = "all"
    national: bool = True
    share: float = 1.0


ALERT_SHARE = 0.03
# Beyond their grain (spark_jobs/gold/tables.py) only these marts cover less than every item
# and region; the rest are a full cross product of their grain (top-3: 3 per region-day, basket:
# baskets × regions × channels per day, update status: one row per source, …). The basket mart
# keeps a national row (the real one has market regions only) so region filters in tests find
# every synthetic region.
COVERAGE: dict[str, Coverage] = {
    # dim_season items of res_dt's month, regions only ("0000 national average left out")
    "mart_season_region_product": Coverage(items="season", national=False),
    # market prices: market regions only, the national level is not a market
    "mart_retail_price_latest": Coverage(national=False),
    "mart_retail_region_comparison": Coverage(national=False),
    # eco prices exist for the 114 eco (item, kind, grade) combos, not every retail combo
    "mart_eco_price_by_store_type": Coverage(items="eco"),
    "mart_eco_premium": Coverage(items="eco"),
    "mart_price_alerts": Coverage(share=ALERT_SHARE),
}
ECO_GRADES = {"04": ("07", "유기농"), "05": ("08", "무농약")}


@lru_cache(maxsize=1)
def eco_share() -> float:
    """Return the eco combos' share of the retail combos KAMIS is asked for (114 / 346)."""
    from spark_jobs.kamis import codes

    return len(codes.eco_combos()) / len(codes.retail_combos())


@lru_cache(maxsize=1)
def season_shares() -> tuple[float, ...]:
    """Return, per month 1..12, the share of retail combos whose item is in season that month.

    From reference/seasonal_info.csv matched by item name to the retail combos (as dim_season
    falls back to the item when the kind does not resolve): 7 % in April up to 29 % in August.
    """
    from spark_jobs.kamis import codes

    combos = codes.retail_combos()
    path = codes.REFERENCE / "seasonal_info.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    shares = []
    for month in range(1, 13):
        names = {r["item_nm"] for r in rows if int(r["month"]) == month}
        shares.append(sum(c.item_nm in names for c in combos) / len(combos))
    return tuple(shares)


def eco_items(n: int) -> np.ndarray:
    """Return the indices of the eco items among ``n`` items: the eco share, evenly spread (≥ 1)."""
    k = max(1, min(n, round(n * eco_share())))
    return np.unique(np.linspace(0, n - 1, k).round().astype(int))


def season_matrix(n: int) -> np.ndarray:
    """Return a (12, n) bool matrix: item i is in season in month m+1 (a month's share, ≥ 1 item).

    Each month takes a consecutive run of items starting where the previous month started plus
    n/12, so the in-season set drifts through the year.
    """
    out = np.zeros((12, n), dtype=bool)
    for m, share in enumerate(season_shares()):
        k = max(1, min(n, round(n * share)))
        out[m, (m * n // 12 + np.arange(k)) % n] = True
    return out


def coverage(spec: TableSpec) -> Coverage:
    """Return how much of the item × region universe ``spec`` covers (full by default)."""
    return COVERAGE.get(spec.name, Coverage())


def _dims(
    spec: TableSpec, days: Sequence[date], regions: Sequence[tuple[str, str]], items: Sequence[Item]
) -> list[tuple[str, np.ndarray]]:
    """Return the grain's dimensions in row order, each with the indices of its values."""
    grain = set(spec.grain)
    cov = coverage(spec)
    region_ix = np.array(
        [i for i, (cd, _) in enumerate(regions) if cov.national or cd != "0000"], dtype=int
    )
    item_ix = eco_items(len(items)) if cov.items == "eco" else np.arange(len(items))
    dims: list[tuple[str, np.ndarray]] = []
    if spec.date_column and spec.date_column in grain:
        dims.append(("date", np.arange(len(days))))
    if "source_nm" in grain:
        dims.append(("source", np.arange(4)))
    for key, name, values in (
        ("basket_cd", "basket", np.arange(len(BASKETS))),
        ("country_cd", "region", region_ix),
        ("channel_cd", "channel", np.arange(len(CHANNELS))),
        ("rank_no", "rank_no", np.arange(3)),
        ("store_type_nm", "store", np.arange(len(STORE_TYPES))),
        ("item_cd", "item", item_ix),
    ):
        if key in grain:
            dims.append((name, values))
    return dims


def synth_batches(
    spec: TableSpec,
    days: Sequence[date],
    regions: Sequence[tuple[str, str]],
    items: Sequence[Item],
    seed: int = 0,
    days_per_batch: int = 20,
) -> Iterator[pa.RecordBatch]:
    """Yield record batches of a synthetic mart, ``days_per_batch`` days at a time.

    Rows are the grain's cross product narrowed by the mart's :data:`COVERAGE` (eco items,
    in-season items, no national row, alerts ~3 %). Weekly marts (``week_start_dt``) use the
    Mondays of ``days``.
    """
    if spec.date_column == "week_start_dt":
        days = sorted({d - timedelta(days=d.weekday()) for d in days})
    schema = arrow_schema(spec)
    has_date = any(name == "date" for name, _ in _dims(spec, days, regions, items))
    chunks = (
        [days[i : i + days_per_batch] for i in range(0, len(days), days_per_batch)]
        if has_date
        else [days]
    )
    for n, chunk in enumerate(chunks):
        rng = np.random.default_rng([seed, n, sum(map(ord, spec.name))])
        batch = _batch(spec, schema, chunk, days, regions, items, rng)
        if batch.num_rows:
            yield batch


def synth_mart(
    spec: TableSpec,
    days: Sequence[date],
    regions: Sequence[tuple[str, str]],
    items: Sequence[Item],
    seed: int = 0,
) -> pa.Table:
    """Return a whole synthetic mart as one Arrow table."""
    return pa.Table.from_batches(
        list(synth_batches(spec, days, regions, items, seed)), schema=arrow_schema(spec)
    )


def _batch(
    spec: TableSpec,
    schema: pa.Schema,
    chunk: Sequence[date],
    all_days: Sequence[date],
    regions: Sequence[tuple[str, str]],
    items: Sequence[Item],
    rng: np.random.Generator,
) -> pa.RecordBatch:
    dims = _dims(spec, chunk, regions, items)
    sizes = [len(v) for _, v in dims]
    total = int(np.prod(sizes)) if sizes else 1
    grids = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), dtype=int)
    ix = {name: values[grids[i]] for i, (name, values) in enumerate(dims)}
    cov = coverage(spec)
    if "item" not in ix:
        pool = eco_items(len(items)) if cov.items == "eco" else np.arange(len(items))
        ix["item"] = pool[rng.integers(0, len(pool), total)]
    if "region" not in ix:
        ix["region"] = np.zeros(total, dtype=int)
    day_arr = np.array(chunk, dtype="datetime64[D]")
    dates = (
        day_arr[ix["date"]] if "date" in ix else np.full(total, np.datetime64(all_days[-1], "D"))
    )
    keep = np.ones(total, dtype=bool)
    if cov.items == "season":
        months = dates.astype("datetime64[M]").astype(int) % 12
        keep &= season_matrix(len(items))[months, ix["item"]]
    if cov.share < 1.0:
        keep &= rng.random(total) < cov.share
    if not keep.all():
        ix = {k: v[keep] for k, v in ix.items()}
        dates = dates[keep]
        total = int(keep.sum())
    item_ix = ix["item"]
    base = np.array([it.base_price for it in items])[item_ix]
    day_num = (dates - np.datetime64("2000-01-01")).astype(int)
    # a yearly cycle plus noise, so series look like prices and percentiles spread out
    price = np.round(
        base * (1 + 0.15 * np.sin(day_num / 58.0 + item_ix)) * rng.lognormal(0, 0.05, total), 0
    )

    cols: dict[str, pa.Array] = {}
    for f in schema:
        cols[f.name] = _column(f, ix, total, dates, price, items, regions, rng)
    return pa.RecordBatch.from_arrays([cols[f.name] for f in schema], schema=schema)


def _column(
    f: pa.Field,
    ix: dict[str, np.ndarray],
    total: int,
    dates: np.ndarray,
    price: np.ndarray,
    items: Sequence[Item],
    regions: Sequence[tuple[str, str]],
    rng: np.random.Generator,
) -> pa.Array:
    name, t = f.name, f.type
    item_attrs = {
        "category_cd",
        "category_nm",
        "item_cd",
        "item_nm",
        "kind_cd",
        "kind_nm",
        "rank_cd",
        "rank_nm",
        "unit",
    }
    choice_cols = {
        "channel_cd": (CHANNELS, "channel", 0),
        "channel_nm": (CHANNELS, "channel", 1),
        "basket_cd": (BASKETS, "basket", 0),
        "basket_nm": (BASKETS, "basket", 1),
    }
    if name in item_attrs:
        return _strings([getattr(it, name) for it in items], ix["item"])
    if name in ("eco_rank_cd", "eco_rank_nm"):
        grade = [ECO_GRADES.get(it.rank_cd, ("07", "유기농")) for it in items]
        return _strings([g[0 if name == "eco_rank_cd" else 1] for g in grade], ix["item"])
    if name == "base_unit":
        return _strings(["kg"], np.zeros(total, int))
    if name in ("country_cd", "country_nm"):
        return _strings([r[0 if name == "country_cd" else 1] for r in regions], ix["region"])
    if name in choice_cols:
        values, dim, pos = choice_cols[name]
        idx = ix.get(dim, rng.integers(0, len(values), total))
        return _strings([v[pos] for v in values], idx)
    if name == "store_type_nm":
        return _strings(STORE_TYPES, ix.get("store", rng.integers(0, len(STORE_TYPES), total)))
    if name in ("source_nm", "table_nm"):
        return _strings(
            [f"{name[:-3]}_{i}" for i in range(4)], ix.get("source", np.arange(total) % 4)
        )
    if name in (
        "signal_cd",
        "signal_nm",
        "alert_cd",
        "alert_nm",
        "cheaper_channel_cd",
        "cheaper_channel_nm",
    ):
        values = {"signal": SIGNALS, "alert": ALERTS, "cheaper_channel": CHANNELS}[
            name.rsplit("_", 1)[0]
        ]
        key = name.rsplit("_", 1)[0]
        if key not in ix:
            ix[key] = rng.integers(0, len(values), total)
        return _strings([v[0 if name.endswith("_cd") else 1] for v in values], ix[key])
    if name == "rank_no":
        return pa.array(ix.get("rank_no", np.zeros(total, int)) + 1, pa.int32())
    if name == "month":
        return pa.array(dates.astype("datetime64[M]").astype(int) % 12 + 1, pa.int32())
    if pa.types.is_date(t):
        offset = {"prev_dt": -1, "dt_1y": -365}.get(name, 0)
        return pa.array(dates + np.timedelta64(offset, "D"), pa.date32())
    if pa.types.is_timestamp(t):
        return pa.array([datetime(2026, 11, 30, 6, 0, tzinfo=UTC)] * total, t)
    if pa.types.is_boolean(t):
        return pa.array(rng.random(total) < 0.25)
    if pa.types.is_integer(t):
        hi = 20 if name.endswith("_cnt") or name.startswith("obs_") else 5
        return pa.array(rng.integers(1 if hi == 5 else 0, hi + 1, total), t)
    if pa.types.is_floating(t):
        if name in ("latitude", "longitude"):
            centre = 36.5 if name == "latitude" else 127.8
            return pa.array(
                centre
                + np.array([(sum(map(ord, r[0])) * 37 % 200) / 100 - 1 for r in regions])[
                    ix["region"]
                ]
            )
        if name.endswith("_pct"):
            values = np.round(rng.normal(0, 8, total), 1)
        elif name == "percentile":
            values = np.round(rng.uniform(0, 100, total), 1)
        elif name == "z_score":
            values = np.round(rng.normal(0, 2, total), 2)
        elif name == "price_index":
            values = np.round(rng.normal(100, 10, total), 1)
        else:
            values = np.round(price * rng.uniform(0.9, 1.1, total), 0)
        return _with_nulls(values, rng, f.nullable)
    if name == "data_version":
        return pa.array(["v20261130"] * total)
    return _strings([f"{name} 설명 {k}" for k in range(7)], np.arange(total) % 7)

"""What the simulator knows about: series (class × item × kind × rank), regions and markets.

Built once from the code tables in ``spark_jobs/reference`` (param_tree.json for produce ranks,
the JangIngeon code table for units, livestock_codes.csv for category 500, the markets seen in
real responses) plus ``base_prices.csv`` (real price levels from the DCX/igb samples).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from spark_jobs.kamis.codes import RETAIL, WHOLESALE
from spark_jobs.paths import REFERENCE_DIR

HERE = Path(__file__).resolve().parent
CODES = REFERENCE_DIR / "codes"

ECO = "eco"

CATEGORY_NAMES = {
    "100": "식량작물", "200": "채소류", "300": "특용작물",
    "400": "과일류", "500": "축산물", "600": "수산물",
}  # fmt: skip

RANK_NAMES = {
    "04": "상품", "05": "중품", "07": "유기농", "08": "무농약", "19": "특대", "20": "大",
    "21": "中", "22": "小", "24": "L과", "25": "M과", "13": "대과", "14": "중과",
    "15": "대과", "16": "중과", "27": "대멸", "28": "중멸", "29": "세멸",
}  # fmt: skip

# Relative level of a grade against the top produce grade (04 상품 = 1).
RANK_FACTOR = {
    "04": 1.0, "05": 0.8, "07": 1.0, "08": 1.0, "19": 1.3, "20": 1.15, "21": 1.0, "22": 0.8,
    "24": 1.1, "25": 0.9, "13": 1.05, "14": 0.9, "15": 1.05, "16": 0.9, "27": 1.1, "28": 1.0,
    "29": 0.9, "01": 1.25, "02": 1.1, "03": 1.0, "00": 1.0, "71": 1.0, "72": 1.2, "81": 1.0,
    "82": 1.05,
}  # fmt: skip

# Approximate grams per counted unit (개/포기/마리/장/접 …), used to convert between units.
COUNT_WEIGHT_G = {
    "211": 2500, "212": 2000, "279": 1200, "221": 7000, "222": 200, "223": 200, "224": 350,
    "231": 1500, "251": 150, "257": 1500, "280": 400, "244": 5000, "411": 300, "412": 600,
    "413": 250, "415": 100, "416": 200, "419": 100, "420": 1500, "421": 250, "423": 350,
    "424": 120, "428": 400, "430": 200, "611": 400, "612": 150, "613": 500, "614": 150,
    "615": 700, "616": 600, "619": 300, "639": 100, "640": 80, "649": 300, "653": 80,
    "654": 25, "641": 2.5, "656": 400,
}  # fmt: skip

# Retail top-grade won per kg for items with no real price in the samples.
ITEM_PER_KG = {
    "113": 8000, "114": 15000, "144": 6000, "161": 8000, "162": 5000, "163": 12000,
    "164": 15000, "216": 4000, "217": 10000, "218": 9000, "244": 9000, "251": 5000,
    "254": 8000, "259": 6000, "261": 8000, "262": 5000, "263": 7000, "264": 10000,
    "265": 4000, "266": 1800, "313": 20000, "321": 12000, "322": 20000, "413": 10000,
    "415": 5000, "416": 5000, "423": 6000, "425": 25000, "426": 15000, "427": 40000,
    "429": 30000, "616": 12000, "639": 40000, "656": 30000, "658": 8000, "659": 12000,
    "660": 20000, "661": 12000, "662": 15000, "663": 15000,
}  # fmt: skip

# Months in which a kind is on sale at all (other months: no price anywhere).
AVAILABLE_MONTHS: dict[tuple[str, str], frozenset[int]] = {
    ("226", "00"): frozenset({12, 1, 2, 3, 4, 5}),
    ("222", "00"): frozenset(range(2, 10)),
    ("211", "01"): frozenset({4, 5, 6}),
    ("211", "02"): frozenset({7, 8, 9}),
    ("211", "03"): frozenset({10, 11, 12}),
    ("211", "06"): frozenset({1, 2, 3, 4}),
    ("231", "01"): frozenset({4, 5, 6, 7}),
    ("231", "02"): frozenset({7, 8, 9, 10}),
    ("231", "03"): frozenset({10, 11, 12}),
    ("231", "06"): frozenset({12, 1, 2, 3, 4, 5, 6}),
    ("245", "02"): frozenset({4, 5, 6}),
    ("241", "01"): frozenset({8, 9, 10, 11, 12}),
    ("111", "05"): frozenset({9, 10, 11, 12}),
    ("111", "11"): frozenset({9, 10, 11, 12}),
    ("258", "04"): frozenset({5, 6, 7, 8}),
    ("258", "06"): frozenset({5, 6, 7, 8}),
}

# Traditional markets invented for regions where only large retailers were observed.
INVENTED_MARKETS = {
    "2701": ["조치원"], "3112": ["모란"], "3138": ["일산"], "3145": ["용인중앙"],
    "3214": ["강릉중앙"], "3411": ["천안중앙"], "3714": ["안동구"], "3818": ["동상"],
    "3113": ["제일", "A-유통", "E-유통"], "2300": ["B-유통"], "2601": ["A-유통"],
}  # fmt: skip
WHOLESALE_MARKETS = {
    "1101": ["가락", "강서"], "2100": ["엄궁", "반여"], "2200": ["북부"],
    "2401": ["각화", "서부"], "2501": ["오정", "노은"],
}  # fmt: skip

_UNIT_RE = re.compile(r"^([\d.]+)\s*(kg|g|L|개|포기|마리|손|장|접|속|구)")


def unit_grams(unit: str, item_code: str) -> float:
    """Return the approximate weight in grams of one survey unit such as ``20kg`` or ``10개``."""
    m = _UNIT_RE.match(unit)
    if not m:
        return 1000.0
    n, u = float(m.group(1)), m.group(2)
    if u == "kg":
        return n * 1000
    if u in ("g",):
        return n
    if u == "L":
        return n * 1030
    per = COUNT_WEIGHT_G.get(item_code, 300.0)
    if u == "손":
        per *= 2
    elif u == "접":
        per = COUNT_WEIGHT_G.get(item_code, 50.0) * 100 if item_code != "244" else 5000
        return n * per
    elif u == "속":
        per = 2.5 * 100
    return n * per


def is_mass_unit(unit: str) -> bool:
    """Return True when ``unit`` is a weight (g/kg), so per-kg conversion applies."""
    m = _UNIT_RE.match(unit)
    return bool(m) and m.group(2) in ("g", "kg")


@dataclass(frozen=True, eq=False)
class Series:
    """One priced series: product class × item × kind × rank, with its survey unit."""

    idx: int
    cls: str
    category: str
    item_code: str
    item_name: str
    kind_code: str
    kind_name: str
    rank_code: str
    rank_name: str
    unit: str
    grams: float
    livestock: bool
    ref_price: float
    ref_date: date
    zero_price: bool = False
    available: frozenset[int] = field(default=frozenset(range(1, 13)))

    @property
    def key(self) -> str:
        """Return a stable text key (the hash input for this series)."""
        return f"{self.cls}/{self.item_code}/{self.kind_code}/{self.rank_code}"


@dataclass(frozen=True, eq=False)
class Market:
    """One price-reporting place: a market, a retailer, an eco channel or a livestock region."""

    idx: int
    cls: str
    region_code: str
    region_name: str
    name: str | None
    channel: str

    @property
    def key(self) -> str:
        """Return a stable text key (the hash input for this market)."""
        return f"{self.cls}/{self.region_code}/{self.name}"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _unit(size: str, unit: str) -> str:
    if not unit:
        return ""
    size = size.rstrip("0").rstrip(".") if "." in size else size
    return f"{size}{unit}"


class Catalog:
    """Every series, region and market the simulator serves, indexed for fast lookup."""

    def __init__(self) -> None:
        regions = _read_csv(CODES / "regions_county_codes.csv")
        self.retail_regions: dict[str, str] = {r["code"]: r["name"] for r in regions}
        self.wholesale_regions: dict[str, str] = {
            r["code"]: r["name"] for r in regions if r["wholesale_doc"] == "Y"
        }
        self.region_by_name = {v: k for k, v in self.retail_regions.items()}
        self.jig = _read_csv(CODES / "kamis_item_kind_code_table_JangIngeon.csv")
        self.series: list[Series] = []
        self.markets: list[Market] = []
        self._build_markets()
        self._build_series()
        self.by_key: dict[tuple[str, str, str, str], Series] = {
            (s.cls, s.item_code, s.kind_code, s.rank_code): s for s in self.series
        }
        self.by_cls_cat: dict[tuple[str, str], list[Series]] = {}
        for s in self.series:
            self.by_cls_cat.setdefault((s.cls, s.category), []).append(s)
        for lst in self.by_cls_cat.values():
            lst.sort(key=lambda s: (s.item_code, s.kind_code, s.rank_code))

    # -- markets -------------------------------------------------------------------------
    def _add_market(self, cls: str, code: str, name: str | None, channel: str) -> None:
        region = self.retail_regions[code]
        self.markets.append(Market(len(self.markets), cls, code, region, name, channel))

    def _build_markets(self) -> None:
        seen: dict[str, list[str]] = {c: [] for c in self.retail_regions}
        eco: dict[str, list[str]] = {}
        for r in _read_csv(CODES / "markets_observed_in_real_responses.csv"):
            code = self.region_by_name.get(r["countyname"])
            if code is None:
                continue
            if r["action"] == "periodRetailProductList":
                seen[code].append(r["marketname"])
            elif r["action"] == "EcoPriceList":
                eco.setdefault(code, []).append(r["marketname"])
        for code in self.retail_regions:
            names = seen[code] + [n for n in INVENTED_MARKETS.get(code, []) if n not in seen[code]]
            if not any(n.endswith("-유통") for n in names):
                names.append("E-유통")  # every region has both channels
            if all(n.endswith("-유통") for n in names):
                names.append(f"{self.retail_regions[code]}중앙")
            for n in names:
                self._add_market(RETAIL, code, n, "large" if n.endswith("-유통") else "traditional")
        for code, names in WHOLESALE_MARKETS.items():
            for n in names:
                self._add_market(WHOLESALE, code, n, "wholesale")
        for code, names in eco.items():
            for n in names:
                self._add_market(ECO, code, n, n.split("-", 1)[1])
        for code in self.retail_regions:
            self._add_market("livestock", code, None, "livestock")
        self._markets_by: dict[tuple[str, str | None], tuple[Market, ...]] = {}
        for m in self.markets:
            self._markets_by.setdefault((m.cls, m.region_code), ())
            self._markets_by[(m.cls, m.region_code)] += (m,)
            self._markets_by.setdefault((m.cls, None), ())
            self._markets_by[(m.cls, None)] += (m,)

    def markets_for(self, series: Series, region: str | None) -> tuple[Market, ...]:
        """Return the markets that report ``series`` in ``region`` (None = every region)."""
        cls = "livestock" if series.livestock else series.cls
        return self._markets_by.get((cls, region), ())

    def eco_regions(self) -> list[str]:
        """Return the region codes that have eco channels."""
        return [c for c in self.retail_regions if (ECO, c) in self._markets_by]

    # -- series --------------------------------------------------------------------------
    def _build_series(self) -> None:
        base = {
            (r["item_code"], r["kind_code"], r["rank_code"]): r
            for r in _read_csv(HERE / "base_prices.csv")
        }
        jig = {(r["품목 코드"], r["품종코드"]): list(r.values()) for r in self.jig}
        tree = json.loads((REFERENCE_DIR / "seed_codes" / "param_tree.json").read_text("utf-8"))
        per_kg = self._per_kg_from_samples(base)
        combos: dict[tuple[str, str, str, str], tuple[str, str, str, str]] = {}
        for cat, cv in tree.items():
            for item, iv in cv["products"].items():
                for kind, kv in iv["varieties"].items():
                    for cls, codes in (
                        (RETAIL, "retail_codes"),
                        (WHOLESALE, "whole_codes"),
                        (ECO, "eco_codes"),
                    ):
                        for rank in kv[codes]:
                            combos[(cls, item, kind, rank)] = (cat, iv["name"], kv["name"], "")
        for r in _read_csv(
            CODES / "item_kind_rank_seen_in_real_dailyPriceByCategoryList_retail.csv"
        ):
            if r["category_code"] != "500":
                key = (RETAIL, r["item_code"], r["kind_code"], r["rank_code"])
                combos.setdefault(key, (r["category_code"], r["item_name"], r["kind_name"], ""))
        for (cls, item, kind, rank), (cat, item_nm, kind_nm, _) in sorted(combos.items()):
            row = jig.get((item, kind), [""] * 15)
            if cls == RETAIL:
                unit = _unit(row[9], row[8]) or _unit(row[7], row[6]) or "1kg"
            elif cls == WHOLESALE:
                unit = _unit(row[7], row[6]) or _unit(row[9], row[8]) or "10kg"
            else:
                unit = _unit(row[11], row[10]) or _unit(row[9], row[8]) or "1kg"
            b = base.get((item, kind, rank)) if cls == RETAIL else None
            top = base.get((item, kind, "04")) if cls == RETAIL and rank == "05" else None
            if b is not None and top is not None:
                # 중품 is always below 상품: keep the real ratio when it is plausible.
                ratio = min(max(float(b["price"]) / float(top["price"]), 0.6), 0.92)
                if b["ref_date"] != top["ref_date"]:
                    ratio = RANK_FACTOR["05"]
                b = {**top, "price": str(float(top["price"]) * ratio)}
            display = f"{kind_nm}({unit})"
            same_kind = [v for (i, k, _), v in base.items() if (i, k) == (item, kind)]
            if cls == RETAIL and same_kind:
                display = same_kind[0]["kind_name"]
                unit = same_kind[0]["unit"]
            grams = unit_grams(unit, item)
            kg_price, ref_date = (
                per_kg.get((item, kind))
                or per_kg.get((item, "*"))
                or (ITEM_PER_KG.get(item, 8000.0), date(2023, 4, 28))
            )
            rank_f = RANK_FACTOR.get(rank, 1.0)
            if b is not None:
                ref_price, ref_date = float(b["price"]), date.fromisoformat(b["ref_date"])
            else:
                ref_price = kg_price * grams / 1000 * rank_f
                if cls == WHOLESALE:
                    ref_price *= 0.65
                elif cls == ECO:
                    ref_price *= 1.45 if rank == "07" else 1.3
            self._add_series(
                cls,
                cat,
                item,
                item_nm,
                kind,
                display,
                rank,
                RANK_NAMES.get(rank, rank),
                unit,
                grams,
                False,
                ref_price,
                ref_date,
            )
        self._build_livestock(base)

    @staticmethod
    def _per_kg_from_samples(base: dict) -> dict[tuple[str, str], tuple[float, date]]:
        """Return top-grade (won/kg, date) per (item, kind) and per (item, '*') from the samples."""
        out: dict[tuple[str, str], tuple[float, date]] = {}
        by_item: dict[str, list[tuple[float, date]]] = {}
        for (item, kind, rank), r in base.items():
            if r["category_code"] == "500":
                continue
            g = unit_grams(r["unit"], item)
            v = (
                float(r["price"]) / RANK_FACTOR.get(rank, 1.0) / g * 1000,
                date.fromisoformat(r["ref_date"]),
            )
            out.setdefault((item, kind), v)
            by_item.setdefault(item, []).append(v)
        for item, vs in by_item.items():
            out[(item, "*")] = sorted(vs)[len(vs) // 2]
        return out

    def _add_series(self, cls, cat, item, item_nm, kind, kind_nm, rank, rank_nm, unit, grams,
                    livestock, ref_price, ref_date, zero=False) -> None:  # fmt: skip
        self.series.append(
            Series(
                len(self.series),
                cls,
                cat,
                item,
                item_nm,
                kind,
                kind_nm,
                rank,
                rank_nm,
                unit,
                grams,
                livestock,
                ref_price,
                ref_date,
                zero,
                AVAILABLE_MONTHS.get((item, kind), frozenset(range(1, 13))),
            )
        )

    def _build_livestock(self, base: dict) -> None:
        defaults = {"4301": 9000.0, "4304": 2000.0, "4401": 4000.0, "4402": 1500.0,
                    "9901": 6000.0, "9903": 5000.0, "9908": 2900.0}  # fmt: skip
        for r in _read_csv(CODES / "livestock_codes.csv"):
            if ".." in r["kind_code"]:
                continue
            unit = r["unit_seen"] or ("1kg" if r["item_code"] == "9901" else "100g")
            for rank, rank_nm in zip(
                r["rank_code"].split("/"), r["rank_name"].split("/"), strict=True
            ):
                b = base.get((r["item_code"], r["kind_code"], rank))
                if b is not None:
                    ref_price, ref_date = float(b["price"]), date.fromisoformat(b["ref_date"])
                else:
                    ref_price = defaults[r["item_code"]] * RANK_FACTOR.get(rank, 1.0)
                    ref_date = date(2023, 4, 28)
                zero = (r["item_code"], r["kind_code"]) == ("9901", "24")
                self._add_series(
                    RETAIL,
                    "500",
                    r["item_code"],
                    r["item_name"],
                    r["kind_code"],
                    r["kind_name"],
                    rank,
                    rank_nm,
                    unit,
                    unit_grams(unit, r["item_code"]),
                    True,
                    ref_price,
                    ref_date,
                    zero,
                )

    def regions_for(self, cls: str) -> dict[str, str]:
        """Return the region codes and names valid for a product class."""
        return self.wholesale_regions if cls == WHOLESALE else self.retail_regions


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    """Return the (immutable, shared) catalog."""
    return Catalog()

"""Loaders for the KAMIS code tables shipped in ``spark_jobs/reference`` (cached, pure).

Regions: 24 retail + 5 wholesale codes (``codes/regions_county_codes.csv`` cross-checked with
``seed_codes/*_country_code.json``). Item/kind/rank combinations: produce from
``seed_codes/param_tree.json`` (301 retail, 114 eco), livestock from ``codes/livestock_codes.csv``.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
NATIONAL_CD = "0000"
NATIONAL_NM = "전국"
CATEGORIES: tuple[str, ...] = ("100", "200", "300", "400", "500", "600")
RETAIL, WHOLESALE = "01", "02"
LIVESTOCK_CATEGORY = "500"


@dataclass(frozen=True)
class Region:
    """A KAMIS region (지역) code with its city name and the classes it is surveyed for."""

    code: str
    name: str
    retail: bool
    wholesale: bool


@dataclass(frozen=True)
class ItemCombo:
    """One (category, item, kind, rank) combination a per-item call can ask for."""

    category_cd: str
    item_cd: str
    item_nm: str | None
    kind_cd: str
    kind_nm: str | None
    rank_cd: str
    verified: bool = True


def _read_csv(rel: str) -> list[dict[str, str]]:
    with (REFERENCE / rel).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _read_json(rel: str) -> object:
    return json.loads((REFERENCE / rel).read_text(encoding="utf-8-sig"))


@cache
def regions() -> tuple[Region, ...]:
    """Return every region code (24 retail, 5 of them also wholesale) in file order.

    Raises:
        ValueError: The CSV and the seed JSON lists disagree on a code or name.
    """
    retail_seed = _read_json("seed_codes/retail_country_code.json")
    wholesale_seed = {v: k for k, v in _read_json("seed_codes/wholesale_country_code.json").items()}  # type: ignore[union-attr]
    out = []
    for row in _read_csv("codes/regions_county_codes.csv"):
        code, name = row["code"], row["name"]
        is_wholesale = row["wholesale_doc"] == "Y"
        if retail_seed.get(code) != name:  # type: ignore[union-attr]
            raise ValueError(f"region {code} {name}: retail seed says {retail_seed.get(code)!r}")  # type: ignore[union-attr]
        if is_wholesale != (code in wholesale_seed) or (
            is_wholesale and wholesale_seed[code] != name
        ):
            raise ValueError(f"region {code} {name}: wholesale seed disagrees")
        out.append(Region(code, name, retail=True, wholesale=is_wholesale))
    return tuple(out)


def retail_regions() -> tuple[Region, ...]:
    """Return the 24 retail regions."""
    return tuple(r for r in regions() if r.retail)


def wholesale_regions() -> tuple[Region, ...]:
    """Return the 5 wholesale regions."""
    return tuple(r for r in regions() if r.wholesale)


def regions_for_class(product_cls_cd: str) -> tuple[Region, ...]:
    """Return the regions a product class (01 retail / 02 wholesale) is surveyed in."""
    if product_cls_cd == RETAIL:
        return retail_regions()
    if product_cls_cd == WHOLESALE:
        return wholesale_regions()
    raise ValueError(f"unknown product class {product_cls_cd!r} (want 01 or 02)")


@cache
def region_name_to_code() -> dict[str, str]:
    """Return city name → region code (e.g. 서울 → 1101)."""
    return {r.name: r.code for r in regions()}


@cache
def region_code_to_name() -> dict[str, str]:
    """Return region code → city name, including 0000 → 전국."""
    out = {r.code: r.name for r in regions()}
    out[NATIONAL_CD] = NATIONAL_NM
    return out


def region_code(name: str | None) -> str | None:
    """Return the region code for a city name (``None`` when unknown)."""
    if name is None:
        return None
    return region_name_to_code().get(name.strip())


def region_name(code: str | None) -> str | None:
    """Return the city name for a region code (``None`` when unknown)."""
    return None if code is None else region_code_to_name().get(code)


@cache
def param_tree() -> dict:
    """Return the produce code tree {category: {name, products: {item: {name, varieties}}}}."""
    return _read_json("seed_codes/param_tree.json")  # type: ignore[return-value]


def _tree_combos(field: str) -> tuple[ItemCombo, ...]:
    out = []
    for cat, cnode in param_tree().items():
        for item, inode in cnode["products"].items():
            for kind, knode in inode["varieties"].items():
                for rank in knode[field]:
                    out.append(ItemCombo(cat, item, inode["name"], kind, knode["name"], rank))
    return tuple(out)


@cache
def produce_retail_combos() -> tuple[ItemCombo, ...]:
    """Return the 301 retail (item, kind, rank) combinations of categories 100-400 and 600."""
    return _tree_combos("retail_codes")


@cache
def eco_combos() -> tuple[ItemCombo, ...]:
    """Return the 114 eco (item, kind, grade) combinations of ``eco_api_params.json``.

    Names come from the produce tree; the eco file and the tree's ``eco_codes`` must agree.
    """
    tree = {(c.category_cd, c.item_cd, c.kind_cd, c.rank_cd): c for c in _tree_combos("eco_codes")}
    out = []
    for p in _read_json("seed_codes/eco_api_params.json"):  # type: ignore[union-attr]
        key = (p["p_itemcategorycode"], p["p_itemcode"], p["p_kindcode"], p["p_productrankcode"])
        known = tree.get(key)
        out.append(known or ItemCombo(*key[:2], None, key[2], None, key[3]))
    return tuple(out)


def _expand(text: str) -> list[str]:
    """Expand ``01/02/03`` and ``01..08`` code cells into code lists."""
    m = re.fullmatch(r"(\d+)\.\.(\d+)", text.strip())
    if m:
        width = len(m.group(1))
        return [str(i).zfill(width) for i in range(int(m.group(1)), int(m.group(2)) + 1)]
    return [c.strip() for c in text.split("/") if c.strip()]


@cache
def livestock_retail_combos() -> tuple[ItemCombo, ...]:
    """Return the livestock (category 500) retail combinations from ``livestock_codes.csv``.

    Rows list several kinds (``01..08``) or ranks (``01/02/03``); names are kept only where the
    number of names matches the number of codes. Unverified rows are flagged ``verified=False``.
    """
    out = []
    for row in _read_csv("codes/livestock_codes.csv"):
        kinds = _expand(row["kind_code"])
        kind_names = [n for n in row["kind_name"].split("/") if n]
        ranks = _expand(row["rank_code"])
        verified = row["verified_in_real_response"] == "Y"
        for i, kind in enumerate(kinds):
            kind_nm = kind_names[i] if len(kind_names) == len(kinds) else None
            for rank in ranks:
                out.append(
                    ItemCombo(
                        LIVESTOCK_CATEGORY,
                        row["item_code"],
                        row["item_name"],
                        kind,
                        kind_nm,
                        rank,
                        verified,
                    )
                )
    return tuple(out)


def retail_combos() -> tuple[ItemCombo, ...]:
    """Return every retail combination: produce (301) then livestock."""
    return produce_retail_combos() + livestock_retail_combos()


@cache
def rank_names() -> dict[str, str]:
    """Return rank code → short name (e.g. 04 → 상품, 07 → 유기농); ambiguous codes keep their first name."""
    out: dict[str, str] = {}
    for row in _read_csv("codes/rank_codes.csv"):
        name = re.sub(r"\s*\(.*$", "", row["name"]).strip()
        if name:
            out.setdefault(row["code"], name)
    return out


@cache
def category_names() -> dict[str, str]:
    """Return category code → name (100 → 식량작물 …)."""
    return dict(_read_json("seed_codes/category_code.json"))  # type: ignore[arg-type]


@cache
def item_kind_names() -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """Return (item_cd, kind_cd) → (item name, kind name) over produce and livestock."""
    out: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for cnode in param_tree().values():
        for item, inode in cnode["products"].items():
            for kind, knode in inode["varieties"].items():
                out[(item, kind)] = (inode["name"], knode["name"])
    for c in livestock_retail_combos():
        out.setdefault((c.item_cd, c.kind_cd), (c.item_nm, c.kind_nm))
    return out

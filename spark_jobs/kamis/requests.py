"""Typed KAMIS requests: one builder per action with that action's own parameter spellings.

Spellings differ per action and a wrong one is silently ignored by KAMIS (API.md §5.8):

=========================  ==================  ====================  ======================
action                     region              product class         category
=========================  ==================  ====================  ======================
dailyPriceByCategoryList   p_country_code      p_product_cls_code    p_item_category_code
dailyCountyList            p_countycode        —                     —
periodProductList          p_countycode        p_productclscode      p_itemcategorycode
periodRetailProductList    p_countrycode       — (fixed retail)      p_itemcategorycode
EcoPriceList               p_countrycode       —                     p_itemcategorycode
periodEcoPriceList         p_countrycode       —                     p_itemcategorycode
=========================  ==================  ====================  ======================

Requests never hold the cert key or id: the transport adds them at send time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from spark_jobs.kamis import codes
from spark_jobs.kamis.codes import ItemCombo

DAILY_PRICE_BY_CATEGORY = "dailyPriceByCategoryList"
DAILY_COUNTY = "dailyCountyList"
DAILY_SALES = "dailySalesList"
PERIOD_RETAIL_PRODUCT = "periodRetailProductList"
PERIOD_PRODUCT = "periodProductList"
ECO_PRICE = "EcoPriceList"
PERIOD_ECO_PRICE = "periodEcoPriceList"
PRODUCT_INFO = "productInfo"

ACTIONS = (
    DAILY_PRICE_BY_CATEGORY,
    DAILY_COUNTY,
    DAILY_SALES,
    PERIOD_RETAIL_PRODUCT,
    PERIOD_PRODUCT,
    ECO_PRICE,
    PERIOD_ECO_PRICE,
    PRODUCT_INFO,
)

# Parameter names that carry credentials (sent and echoed); never stored.
AUTH_PARAMS = frozenset({"p_cert_key", "p_cert_id", "p_key", "p_id"})
MAX_PERIOD_DAYS = 366  # ≤ 1 year per period call (inclusive day count)


@dataclass(frozen=True)
class KamisRequest:
    """One KAMIS call: its action, parameters (no credentials) and the dates it is for.

    Attributes:
        action: KAMIS action name.
        params: Request parameters without ``action`` and without credentials.
        window_start: First date asked for (None for snapshot actions).
        window_end: Last date asked for (None for snapshot actions).
        req_dt: The raw partition the call belongs to.
    """

    action: str
    params: Mapping[str, str] = field(hash=False)
    window_start: date | None
    window_end: date | None
    req_dt: date

    def __post_init__(self) -> None:
        leaked = AUTH_PARAMS.intersection(self.params)
        if leaked:
            raise ValueError(f"credentials must not be put in a request's params: {sorted(leaked)}")

    @property
    def params_json(self) -> str:
        """Return the parameters as sorted compact JSON (what the raw table stores)."""
        return json.dumps(
            dict(self.params), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )

    @property
    def request_id(self) -> str:
        """Return sha256 of action + sorted parameters: the call's identity within ``req_dt``."""
        return hashlib.sha256(f"{self.action}?{self.params_json}".encode()).hexdigest()

    @property
    def returntype(self) -> str:
        """Return ``json`` or ``xml``."""
        return self.params.get("p_returntype", "json")

    def query(self) -> dict[str, str]:
        """Return the query parameters to send (``action`` first, no credentials)."""
        return {"action": self.action, **self.params}

    def describe(self) -> str:
        """Return a short, secret-free description for logs and error messages."""
        return f"{self.action}?{'&'.join(f'{k}={v}' for k, v in sorted(self.params.items()))}"


def _iso(d: date) -> str:
    return d.isoformat()


def _check_returntype(returntype: str) -> str:
    if returntype not in ("json", "xml"):
        raise ValueError(f"returntype must be json or xml, not {returntype!r}")
    return returntype


def _check_region(region_cd: str, product_cls_cd: str = codes.RETAIL) -> str:
    known = {r.code for r in codes.regions_for_class(product_cls_cd)}
    if region_cd not in known:
        raise ValueError(f"region {region_cd!r} is not a KAMIS region for class {product_cls_cd}")
    return region_cd


def _check_window(start: date, end: date) -> None:
    if end < start:
        raise ValueError(f"window end {end} is before start {start}")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ValueError(f"window {start}..{end} is longer than one year; split it")


def _combo_params(combo: ItemCombo) -> dict[str, str]:
    return {
        "p_itemcategorycode": combo.category_cd,
        "p_itemcode": combo.item_cd,
        "p_kindcode": combo.kind_cd,
        "p_productrankcode": combo.rank_cd,
    }


def daily_price_by_category(
    day: date,
    product_cls_cd: str,
    category_cd: str,
    region_cd: str | None = None,
    convert_kg_yn: str = "N",
    returntype: str = "json",
) -> KamisRequest:
    """Build a dailyPriceByCategoryList call (region None = national average)."""
    if category_cd not in codes.CATEGORIES:
        raise ValueError(f"unknown category {category_cd!r}")
    params = {
        "p_product_cls_code": product_cls_cd,
        "p_item_category_code": category_cd,
        "p_regday": _iso(day),
        "p_convert_kg_yn": convert_kg_yn,
        "p_returntype": _check_returntype(returntype),
    }
    if region_cd is not None:
        params["p_country_code"] = _check_region(region_cd, product_cls_cd)
    return KamisRequest(DAILY_PRICE_BY_CATEGORY, params, day, day, day)


def daily_county(region_cd: str, req_dt: date, returntype: str = "json") -> KamisRequest:
    """Build a dailyCountyList call (latest snapshot, no date parameter; stored under ``req_dt``)."""
    params = {
        "p_countycode": _check_region(region_cd),
        "p_returntype": _check_returntype(returntype),
    }
    return KamisRequest(DAILY_COUNTY, params, None, None, req_dt)


def daily_sales(req_dt: date, returntype: str = "json") -> KamisRequest:
    """Build a dailySalesList call (latest snapshot of every product)."""
    return KamisRequest(
        DAILY_SALES, {"p_returntype": _check_returntype(returntype)}, None, None, req_dt
    )


def _window_params(
    combo: ItemCombo, start: date, end: date, convert_kg_yn: str, returntype: str
) -> dict[str, str]:
    """Return the parameters every period action shares (their region spellings differ)."""
    _check_window(start, end)
    return {
        "p_startday": _iso(start),
        "p_endday": _iso(end),
        **_combo_params(combo),
        "p_convert_kg_yn": convert_kg_yn,
        "p_returntype": _check_returntype(returntype),
    }


def period_retail_product(
    combo: ItemCombo,
    start: date,
    end: date,
    region_cd: str | None = None,
    convert_kg_yn: str = "N",
    returntype: str = "json",
) -> KamisRequest:
    """Build a periodRetailProductList call for one combo over ``start..end`` (≤ 1 year)."""
    params = _window_params(combo, start, end, convert_kg_yn, returntype)
    if region_cd is not None:
        params["p_countrycode"] = _check_region(region_cd)
    return KamisRequest(PERIOD_RETAIL_PRODUCT, params, start, end, end)


def period_product(
    combo: ItemCombo,
    start: date,
    end: date,
    product_cls_cd: str = codes.RETAIL,
    region_cd: str | None = None,
    convert_kg_yn: str = "N",
    returntype: str = "json",
) -> KamisRequest:
    """Build an (older) periodProductList call; prefer :func:`period_retail_product`."""
    params = {
        "p_productclscode": product_cls_cd,
        **_window_params(combo, start, end, convert_kg_yn, returntype),
    }
    if region_cd is not None:
        params["p_countycode"] = _check_region(region_cd, product_cls_cd)
    return KamisRequest(PERIOD_PRODUCT, params, start, end, end)


def eco_price(
    combo: ItemCombo,
    day: date,
    region_cd: str | None = None,
    convert_kg_yn: str = "N",
    returntype: str = "json",
) -> KamisRequest:
    """Build an EcoPriceList call for one eco (item, kind, grade) on one day."""
    params = {
        "p_regday": _iso(day),
        **_combo_params(combo),
        "p_convert_kg_yn": convert_kg_yn,
        "p_returntype": _check_returntype(returntype),
    }
    if region_cd is not None:
        params["p_countrycode"] = _check_region(region_cd)
    return KamisRequest(ECO_PRICE, params, day, day, day)


def period_eco_price(
    combo: ItemCombo,
    start: date,
    end: date,
    region_cd: str | None = None,
    convert_kg_yn: str = "N",
    returntype: str = "json",
) -> KamisRequest:
    """Build a periodEcoPriceList call for one eco combination over ``start..end``."""
    params = _window_params(combo, start, end, convert_kg_yn, returntype)
    if region_cd is not None:
        params["p_countrycode"] = _check_region(region_cd)
    return KamisRequest(PERIOD_ECO_PRICE, params, start, end, end)


def product_info(req_dt: date, returntype: str = "json") -> KamisRequest:
    """Build a productInfo call (the code table; no date parameter)."""
    return KamisRequest(
        PRODUCT_INFO, {"p_returntype": _check_returntype(returntype)}, None, None, req_dt
    )


def from_stored(
    action: str, params_json: str, window_start: date | None, window_end: date | None, req_dt: date
) -> KamisRequest:
    """Rebuild a request from a raw row (used to re-request failed calls)."""
    params = json.loads(params_json)
    return KamisRequest(
        action, {str(k): str(v) for k, v in params.items()}, window_start, window_end, req_dt
    )


def split_window(
    start: date, end: date, max_days: int = MAX_PERIOD_DAYS
) -> list[tuple[date, date]]:
    """Split ``start..end`` into consecutive windows of at most ``max_days`` days."""
    if end < start:
        raise ValueError(f"window end {end} is before start {start}")
    out = []
    cur = start
    while cur <= end:
        stop = min(end, cur + timedelta(days=max_days - 1))
        out.append((cur, stop))
        cur = stop + timedelta(days=1)
    return out

"""Parse KAMIS bodies (JSON or XML) into normalised rows: ``parse_body(action, body, params)``.

Handles every quirk of API.md §5: ``data`` as an object or as ``["001"]``; per-action envelopes
(``data.item[]`` vs top-level ``error_code`` + ``price[]`` / ``info[]``); ``[]``/``null``/``""``/
``"-"`` as empty (and ``"0"`` for prices); thousands commas; ``condition`` as a list of dicts, a
list of lists or ``{"item": {…}}``; a single row as an object; dates from ``"MM/DD"`` labels,
``yyyy`` + ``"MM/DD"`` and ``YYYY-MM-DD`` across year boundaries; XML bodies; anything else is
``Outcome.NOT_KAMIS`` with a reason carrying its first bytes.
"""

from __future__ import annotations

import calendar
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from spark_jobs.kamis import codes
from spark_jobs.kamis import requests as kr
from spark_jobs.kamis.outcomes import RESULT_CODES, Outcome, ParseResult

__all__ = ["Outcome", "ParseResult", "normalise_rows", "parse_body", "parse_document"]

Row = dict[str, Any]
_CODE = re.compile(r"^\d{3}$")
_MMDD = re.compile(r"(\d{1,2})[/.-](\d{1,2})")
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_UNIT_IN_NAME = re.compile(r"\(([^()]*)\)\s*$")
_EMPTY_TEXT = {"", "-"}
# A price is digits with optional thousands commas in their places ("3,547", "730", "1234.5");
# inner blanks, misplaced commas, NaN/Infinity and exponents are not prices.
_PRICE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# No KAMIS survey unit costs 100 million won; anything larger is a corrupted value.
MAX_PRICE = 100_000_000.0
_PREVIEW = 80
# Longest plausible gap between a requested day and the survey KAMIS answers it with (설날 or
# 추석 with a weekend and substitute holidays is five or six days; two weeks leaves room).
MAX_LABEL_LAG_DAYS = 14


class RowError(ValueError):
    """A row that cannot be normalised (the rest of the body still parses)."""


# ---------------------------------------------------------------- scalar helpers


def text(value: Any) -> str | None:
    """Return a scalar as stripped text; ``[]``, ``{}``, ``None``, ``""`` and ``"-"`` are None."""
    if value is None or isinstance(value, (list, dict)):
        if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], (list, dict)):
            return text(value[0])
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    out = str(value).strip()
    return None if out in _EMPTY_TEXT else out


def code(value: Any, width: int) -> str | None:
    """Return a code as a string with its leading zeros (numbers are zero-padded to ``width``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)).zfill(width)
    out = text(value)
    if out is not None and out.isdigit() and len(out) < width:
        out = out.zfill(width)
    return out


def price(value: Any) -> float | None:
    """Return a price as float; ``"-"``, ``"0"``, ``[]``, null and blanks mean no price.

    Raises:
        RowError: The value is neither empty nor a number.
    """
    raw = text(value)
    if raw is None:
        return None
    if not _PRICE.match(raw):
        raise RowError(f"not a price: {raw[:40]!r}")
    out = float(raw.replace(",", ""))
    if abs(out) > MAX_PRICE:
        raise RowError(f"implausible price: {raw[:40]!r}")
    return None if out == 0 else out


def number(value: Any) -> float | None:
    """Return a plain number (zero kept), None when empty.

    Raises:
        RowError: The value is neither empty nor a number.
    """
    raw = text(value)
    if raw is None:
        return None
    try:
        return float(raw.replace(",", ""))
    except ValueError as exc:
        raise RowError(f"not a number: {raw!r}") from exc


def iso_date(value: Any) -> date | None:
    """Parse ``YYYY-MM-DD`` or ``YYYYMMDD`` (None when empty).

    Raises:
        RowError: The value is not such a date.
    """
    raw = text(value)
    if raw is None:
        return None
    m = _ISO.match(raw)
    if not m:
        raise RowError(f"not a date: {raw!r}")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise RowError(f"not a date: {raw!r}") from exc


def label_date(label: Any, anchor: date) -> date | None:
    """Resolve an ``"MM/DD"`` label (e.g. ``"1일전 (12/31)"``) to the latest such date ≤ ``anchor``.

    Labels never point after the day asked for, so a December label seen in January belongs to
    the previous year. Returns None when the label has no date.

    Raises:
        RowError: The label's MM/DD is no calendar date (``"02/30"``, ``"13/45"``).
    """
    raw = text(label)
    if raw is None:
        return None
    m = _MMDD.search(raw)
    if not m:
        return None
    month, day = int(m.group(1)), int(m.group(2))
    for year in (anchor.year, anchor.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= anchor:
            return candidate
    raise RowError(f"no such date in label: {raw!r}")


def year_day(yyyy: Any, regday: Any, window: tuple[date | None, date | None]) -> date:
    """Return the date of a period row from ``yyyy`` + ``"MM/DD"`` (or a full ``regday``).

    Without ``yyyy`` the year is taken from the request window (the latest fitting date ≤ end).

    Raises:
        RowError: No date can be formed.
    """
    raw = text(regday)
    if raw is None:
        raise RowError("row has no regday")
    if _ISO.match(raw):
        return iso_date(raw)  # type: ignore[return-value]
    m = _MMDD.fullmatch(raw)
    if not m:
        raise RowError(f"regday is not MM/DD: {raw!r}")
    year = text(yyyy)
    if year is not None and year.isdigit():
        try:
            return date(int(year), int(m.group(1)), int(m.group(2)))
        except ValueError as exc:
            raise RowError(f"no such date: {year}/{raw}") from exc
    end = window[1] or window[0]
    if end is None:
        raise RowError(f"row has regday {raw!r} but no year")
    resolved = label_date(raw, end)
    if resolved is None:
        raise RowError(f"no such date: {raw!r}")
    return resolved


def minus_months(d: date, months: int) -> date:
    """Return ``d`` minus calendar months, clamping the day (03-31 − 1 month = 02-28/29)."""
    year, month0 = divmod(d.year * 12 + d.month - 1 - months, 12)
    month = month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _iso_or_none(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


# ---------------------------------------------------------------- document decoding


def _xml_to_obj(elem: ET.Element) -> Any:
    """Turn an XML element into JSON-like data: leaves → text/None, repeated tags → lists."""
    children = list(elem)
    if not children:
        value = (elem.text or "").strip()
        return value or None
    counts = Counter(child.tag for child in children)
    out: dict[str, Any] = {}
    for child in children:
        value = _xml_to_obj(child)
        if counts[child.tag] > 1:
            out.setdefault(child.tag, []).append(value)
        else:
            out[child.tag] = value
    return out


def _preview(body: str) -> str:
    return repr(body[:_PREVIEW])


def _not_kamis(why: str, body: str) -> ParseResult:
    return ParseResult(Outcome.NOT_KAMIS, None, f"not a KAMIS body ({why}): {_preview(body)}")


def decode(body: str | bytes) -> str:
    """Decode a body: UTF-8 (BOM dropped), falling back to CP949 for legacy XML."""
    if isinstance(body, str):
        return body.lstrip("\ufeff")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp949", errors="replace")


def load_document(body: str | bytes) -> tuple[Any, ParseResult | None]:
    """Return the body as JSON-like data, or a NOT_KAMIS result saying why it is not one."""
    textual = decode(body)
    if "\ufffd" in textual:
        # decode() replaced bytes that are neither UTF-8 nor CP949: the body is corrupt.
        return None, _not_kamis("not valid UTF-8", textual)
    stripped = textual.lstrip()
    if not stripped:
        return None, _not_kamis("empty body", textual)
    head = stripped[:200].lower()
    if stripped[0] in "{[":
        try:
            return json.loads(stripped), None
        except json.JSONDecodeError as exc:
            return None, _not_kamis(f"invalid JSON at char {exc.pos}: {exc.msg}", textual)
    if stripped[0] == "<":
        if "<html" in head or "<!doctype html" in head:
            return None, _not_kamis("HTML page", textual)
        try:
            root = ET.fromstring(stripped.encode("utf-8") if "encoding=" in head else stripped)
        except ET.ParseError as exc:
            return None, _not_kamis(f"invalid XML: {exc}", textual)
        if root.tag.lower() in ("html", "body"):
            return None, _not_kamis("HTML page", textual)
        return _xml_to_obj(root), None
    return None, _not_kamis("neither JSON nor XML", textual)


# ---------------------------------------------------------------- envelope


def condition_echo(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Return the ``condition`` echo as one flat dict (list of dicts, ``{"item": {…}}`` or dict)."""
    cond = doc.get("condition")
    out: dict[str, Any] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if set(node) == {"item"}:
                visit(node["item"])
                return
            for k, v in node.items():
                if isinstance(v, (dict, list)) and k == "item":
                    visit(v)
                else:
                    out[k] = v
        elif isinstance(node, list):
            for n in node:
                visit(n)

    visit(cond)
    return out


def _as_rows(node: Any) -> list[Any]:
    """Return item rows as a list: a single row object becomes a one-element list."""
    if node is None or node == "" or node == []:
        return []
    if isinstance(node, list):
        return [n for n in node if n not in (None, "", [])]
    return [node]


def _result_code(value: Any) -> str | None:
    raw = text(value)
    if raw is not None and _CODE.match(raw):
        return raw
    return None


def envelope(doc: Any) -> tuple[str | None, list[Any], str]:
    """Return (result code, raw rows, problem) for a decoded body; problem is '' when fine."""
    if not isinstance(doc, dict):
        return None, [], "top level is not an object"
    data = doc.get("data", None)
    if "data" in doc:
        if isinstance(data, dict):
            cd = _result_code(data.get("error_code", data.get("result_code")))
            rows = _as_rows(data.get("item"))
            if cd is None:
                item = data.get("item")
                cd = _result_code(item) if not isinstance(item, (dict, list)) else None
                if cd is not None:
                    rows = []
            if cd is None and rows:
                cd = "000"
            if cd is None:
                return None, [], "data holds neither error_code nor item"
            return cd, rows, ""
        if isinstance(data, list):
            cd = _result_code(data[0]) if len(data) == 1 else None
            if cd is None:
                return None, [], f"data is a list without a result code: {str(data)[:40]}"
            return cd, [], ""
        cd = _result_code(data)
        if cd is None:
            return None, [], f"data is {type(data).__name__} without a result code"
        return cd, [], ""
    for key in ("error_code", "result_code"):
        if key in doc:
            cd = _result_code(doc[key])
            if cd is None:
                return None, [], f"{key} is not a result code: {str(doc[key])[:20]}"
            rows: list[Any] = []
            for rows_key in ("price", "info", "item"):
                if rows_key in doc:
                    rows = _as_rows(doc[rows_key])
                    break
            return cd, rows, ""
    return None, [], "no data / error_code member"


# ---------------------------------------------------------------- per-action normalisers


class _Ctx:
    """What a row normaliser knows besides the row: request params and the condition echo."""

    def __init__(self, params: Mapping[str, Any] | None, cond: Mapping[str, Any]) -> None:
        self.params = dict(params or {})
        self.cond = dict(cond)

    def get(self, *names: str) -> str | None:
        """Return the first non-empty of ``names`` from params, then from the echo."""
        for source in (self.params, self.cond):
            for n in names:
                value = text(source.get(n))
                if value is not None:
                    return value
        return None

    def code(self, width: int, *names: str) -> str | None:
        """Return a code parameter zero-padded to ``width``."""
        for source in (self.params, self.cond):
            for n in names:
                if n in source:
                    value = code(source[n], width)
                    if value is not None:
                        return value
        return None

    def day(self, *names: str) -> date | None:
        """Return a date parameter (``YYYY-MM-DD`` or ``YYYYMMDD``)."""
        raw = self.get(*names)
        try:
            return iso_date(raw)
        except RowError:
            return None


def _required(value: Any, name: str) -> Any:
    if value is None:
        raise RowError(f"missing {name}")
    return value


def _row_dict(raw: Any) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise RowError(f"row is {type(raw).__name__}, not an object")
    return raw


def _names(item_cd: str | None, kind_cd: str | None) -> tuple[str | None, str | None]:
    if item_cd is None or kind_cd is None:
        return None, None
    return codes.item_kind_names().get((item_cd, kind_cd), (None, None))


def _unit_from_kind(kind_nm: str | None) -> str | None:
    if kind_nm is None:
        return None
    m = _UNIT_IN_NAME.search(kind_nm)
    return m.group(1).strip() or None if m else None


def _survey_day(label: Any, asked: date) -> date:
    """Return the day a category row's prices are for: its ``"당일 (MM/DD)"`` label, else ``asked``.

    API.md §3.1: day1/dpr1 is the day the label names and the other labels count back from it,
    so when KAMIS answers a day with an earlier survey's prices the label, not p_regday, dates
    them (the repeated answer then de-duplicates onto that survey's own row). A label more than
    :data:`MAX_LABEL_LAG_DAYS` before the request is no plausible survey gap.

    Raises:
        RowError: The label lies too far before the requested day.
    """
    labelled = label_date(label, asked)
    if labelled is None or labelled == asked:
        return asked
    lag = (asked - labelled).days
    if lag > MAX_LABEL_LAG_DAYS:
        raise RowError(
            f"day1 label {text(label)!r} is {labelled.isoformat()}, {lag} days before "
            f"p_regday {asked.isoformat()}"
        )
    return labelled


def _daily_price_by_category(raw: Any, ctx: _Ctx) -> Row:
    r = _row_dict(raw)
    res = ctx.day("p_regday")
    if res is None:
        # No regday asked or echoed: the "당일 (MM/DD)" label with the current year cannot be
        # trusted, so the row is not normalisable.
        raise RowError("no p_regday in params or condition")
    res = _survey_day(r.get("day1"), res)
    country = ctx.code(4, "p_country_code", "p_countrycode", "p_countycode") or codes.NATIONAL_CD
    dt_1d = label_date(r.get("day2"), res) or res - timedelta(days=1)
    dt_1w = label_date(r.get("day3"), res) or res - timedelta(days=7)
    dt_2w = label_date(r.get("day4"), res) or res - timedelta(days=14)
    return {
        "product_cls_cd": ctx.code(2, "p_product_cls_code", "p_productclscode") or codes.WHOLESALE,
        "category_cd": ctx.code(3, "p_item_category_code", "p_category_code", "p_itemcategorycode"),
        "country_cd": country,
        "country_nm": codes.region_name(country),
        "item_cd": _required(code(r.get("item_code"), 3), "item_code"),
        "item_nm": text(r.get("item_name")),
        "kind_cd": _required(code(r.get("kind_code"), 2), "kind_code"),
        "kind_nm": text(r.get("kind_name")),
        "rank_cd": _required(code(r.get("rank_code"), 2), "rank_code"),
        "rank_nm": text(r.get("rank")),
        "unit": text(r.get("unit")),
        "res_dt": res.isoformat(),
        "price": price(r.get("dpr1")),
        "price_1d": price(r.get("dpr2")),
        "dt_1d": dt_1d.isoformat(),
        "price_1w": price(r.get("dpr3")),
        "dt_1w": dt_1w.isoformat(),
        "price_2w": price(r.get("dpr4")),
        "dt_2w": dt_2w.isoformat(),
        "price_1m": price(r.get("dpr5")),
        "dt_1m": minus_months(res, 1).isoformat(),
        "price_1y": price(r.get("dpr6")),
        "dt_1y": minus_months(res, 12).isoformat(),
        "price_normal": price(r.get("dpr7")),
        "convert_kg_yn": ctx.get("p_convert_kg_yn") or "N",
    }


def _item_codes(ctx: _Ctx) -> dict[str, Any]:
    item_cd = ctx.code(3, "p_itemcode")
    kind_cd = ctx.code(2, "p_kindcode")
    rank_cd = ctx.code(2, "p_productrankcode")
    return {
        "category_cd": ctx.code(3, "p_itemcategorycode", "p_item_category_code", "p_category_code"),
        "item_cd": item_cd,
        "kind_cd": kind_cd,
        "rank_cd": rank_cd,
        "rank_nm": codes.rank_names().get(rank_cd) if rank_cd else None,
    }


def _market_region(county: str) -> tuple[str, str]:
    cd = codes.region_code(county)
    if cd is None:
        raise RowError(f"unknown countyname {county!r}")
    return cd, county


def _period_product(raw: Any, ctx: _Ctx) -> Row:
    r = _row_dict(raw)
    county = _required(text(r.get("countyname")), "countyname")
    row_type = {"평균": "average", "평년": "normal"}.get(county, "market")
    window = (ctx.day("p_startday"), ctx.day("p_endday"))
    res = year_day(r.get("yyyy"), r.get("regday"), window)
    ids = _item_codes(ctx)
    if row_type == "market":
        country_cd, country_nm = _market_region(county)
        market_nm = text(r.get("marketname"))
    else:
        country_cd = ctx.code(4, "p_countrycode", "p_countycode") or codes.NATIONAL_CD
        country_nm, market_nm = codes.region_name(country_cd), None
    item_nm, kind_nm = text(r.get("itemname")), text(r.get("kindname"))
    return {
        "row_type": row_type,
        "country_cd": country_cd,
        "country_nm": country_nm,
        "market_nm": market_nm,
        **ids,
        "item_nm": item_nm,
        "kind_nm": kind_nm,
        "unit": _unit_from_kind(kind_nm),
        "res_dt": res.isoformat(),
        "price": price(r.get("price")),
    }


def _fill_names(rows: list[Row]) -> None:
    """Give aggregate rows (평균/평년, names null) the names the body's market rows carry."""
    named = next((r for r in rows if r.get("item_nm") and r.get("kind_nm")), None)
    for r in rows:
        if r.get("item_nm") is None or r.get("kind_nm") is None:
            if named is not None:
                r["item_nm"], r["kind_nm"] = named["item_nm"], named["kind_nm"]
            else:
                r["item_nm"], r["kind_nm"] = _names(r.get("item_cd"), r.get("kind_cd"))
            if r.get("unit") is None:
                r["unit"] = named["unit"] if named is not None else _unit_from_kind(r["kind_nm"])


def _label_aggregates(rows: list[Row]) -> None:
    """Give 평균/평년 rows the region they average, not the region asked for.

    KAMIS averages every market in the body (API.md §3.3/§3.4). When a market row lies outside
    the region asked for, the region filter was not applied (omitted or misspelled, API.md §5.8)
    and the body is the all-regions answer, whose 평균 is the national average (0000 전국).
    """
    aggregates = [r for r in rows if r.get("row_type") in ("average", "normal")]
    cities = {r["country_cd"] for r in rows if r.get("row_type") == "market"}
    for r in aggregates:
        if cities - {r["country_cd"]}:
            r["country_cd"], r["country_nm"] = codes.NATIONAL_CD, codes.NATIONAL_NM


def _eco(raw: Any, ctx: _Ctx) -> Row:
    r = _row_dict(raw)
    county = _required(text(r.get("countyname")), "countyname")
    row_type = "average" if county == "평균" else "market"
    ids = _item_codes(ctx)
    store_type_nm = store_brand_cd = market_nm = None
    if row_type == "market":
        country_cd, country_nm = _market_region(county)
        market_nm = text(r.get("marketname"))
        if market_nm and "-" in market_nm:
            brand, _, store = market_nm.partition("-")
            store_brand_cd = re.sub(r"[^0-9A-Za-z]", "", brand) or None
            store_type_nm = store.strip() or None
        else:
            store_type_nm = market_nm
    else:
        country_cd = ctx.code(4, "p_countrycode", "p_countycode") or codes.NATIONAL_CD
        country_nm = codes.region_name(country_cd)
    regday = text(r.get("regday"))
    if regday is not None and _ISO.match(regday):
        res = iso_date(regday)
    else:
        res = year_day(
            r.get("yyyy"),
            regday,
            (ctx.day("p_startday", "p_regday"), ctx.day("p_endday", "p_regday")),
        )
    item_nm, kind_nm = _names(ids["item_cd"], ids["kind_cd"])
    return {
        "row_type": row_type,
        "country_cd": country_cd,
        "country_nm": country_nm,
        "market_nm": market_nm,
        "store_type_nm": store_type_nm,
        "store_brand_cd": store_brand_cd,
        **ids,
        "item_nm": text(r.get("itemname")) or item_nm,
        "kind_nm": text(r.get("kindname")) or kind_nm,
        "unit": text(r.get("unit")),
        "res_dt": _iso_or_none(res),
        "price": price(r.get("price")),
    }


def _daily_county(raw: Any, ctx: _Ctx) -> Row:
    r = _row_dict(raw)
    snap = iso_date(r.get("lastest_day") or r.get("lastest_date"))
    if snap is None:
        cond_dt = ctx.get("p_regday") or _condition_snapshot(ctx.cond)
        snap = iso_date(cond_dt) if cond_dt else None
    country = (
        code(r.get("county_code"), 4)
        or ctx.code(4, "p_countycode", "p_countrycode")
        or codes.NATIONAL_CD
    )
    direction = text(r.get("direction"))
    return {
        "snapshot_dt": _required(_iso_or_none(snap), "lastest_day"),
        "country_cd": country,
        "country_nm": text(r.get("county_name")) or codes.region_name(country),
        "product_cls_cd": code(r.get("product_cls_code"), 2),
        "category_cd": code(r.get("category_code"), 3),
        "category_nm": text(r.get("category_name")),
        "productno": text(r.get("productno")),
        "product_nm": text(r.get("productName")) or text(r.get("productname")),
        "item_nm": text(r.get("item_name")),
        "unit": text(r.get("unit")),
        "price": price(r.get("dpr1")),
        "price_1d": price(r.get("dpr2")),
        "price_1m": price(r.get("dpr3")),
        "price_1y": price(r.get("dpr4")),
        "direction_cd": direction,
        "change_pct": number(r.get("value")),
    }


def _condition_snapshot(cond: Mapping[str, Any]) -> str | None:
    for v in cond.values():
        raw = text(v)
        if raw and _ISO.match(raw):
            return raw
    return None


def _product_info(raw: Any, _ctx: _Ctx) -> Row:
    r = _row_dict(raw)
    return {
        "category_cd": _required(code(r.get("itemcategorycode"), 3), "itemcategorycode"),
        "category_nm": text(r.get("itemcategoryname")),
        "item_cd": _required(code(r.get("itemcode"), 3), "itemcode"),
        "item_nm": text(r.get("itemname")),
        "kind_cd": _required(code(r.get("kindcode"), 2), "kindcode"),
        "kind_nm": text(r.get("kindname")),
        "wholesale_unit": text(r.get("wholesale_unit")),
        "wholesale_unitsize": text(r.get("wholesale_unitsize")),
        "retail_unit": text(r.get("retail_unit")),
        "retail_unitsize": text(r.get("retail_unitsize")),
        "eco_unit": text(r.get("eco_unit")),
        "eco_unitsize": text(r.get("eco_unitsize")),
        "whole_rank_cds": text(r.get("whole_productrankcode")),
        "retail_rank_cds": text(r.get("retail_productrankcode")),
        "eco_rank_cds": text(r.get("new_natreu_productrankcode")),
    }


_NORMALISERS: dict[str, Callable[[Any, _Ctx], Row]] = {
    kr.DAILY_PRICE_BY_CATEGORY: _daily_price_by_category,
    kr.PERIOD_RETAIL_PRODUCT: _period_product,
    kr.PERIOD_PRODUCT: _period_product,
    "periodWholesaleProductList": _period_product,
    kr.ECO_PRICE: _eco,
    kr.PERIOD_ECO_PRICE: _eco,
    kr.DAILY_COUNTY: _daily_county,
    kr.DAILY_SALES: _daily_county,
    kr.PRODUCT_INFO: _product_info,
}
_FILL_NAMES = {kr.PERIOD_RETAIL_PRODUCT, kr.PERIOD_PRODUCT, "periodWholesaleProductList"}
_AGGREGATE_ACTIONS = _FILL_NAMES | {kr.ECO_PRICE, kr.PERIOD_ECO_PRICE}


def supported_actions() -> tuple[str, ...]:
    """Return the actions the parser normalises."""
    return tuple(_NORMALISERS)


def normalise_rows(
    action: str,
    raw_rows: list[Any],
    params: Mapping[str, Any] | None = None,
    condition: Mapping[str, Any] | None = None,
) -> tuple[list[Row], list[tuple[int, str, dict[str, Any]]]]:
    """Normalise ``raw_rows`` of ``action``; rows that fail go to the error list with a reason."""
    if action not in _NORMALISERS:
        raise KeyError(f"unsupported action {action!r}; supported: {', '.join(_NORMALISERS)}")
    fn = _NORMALISERS[action]
    ctx = _Ctx(params, condition or {})
    rows: list[Row] = []
    errors: list[tuple[int, str, dict[str, Any]]] = []
    for i, raw in enumerate(raw_rows):
        try:
            rows.append(fn(raw, ctx))
        except RowError as exc:
            errors.append((i, str(exc), dict(raw) if isinstance(raw, Mapping) else {"value": raw}))
    if action in _FILL_NAMES:
        _fill_names(rows)
    if action in _AGGREGATE_ACTIONS:
        _label_aggregates(rows)
    return rows, errors


def parse_document(action: str, doc: Any, params: Mapping[str, Any] | None = None) -> ParseResult:
    """Parse an already decoded body (dict from JSON or XML)."""
    cd, raw_rows, problem = envelope(doc)
    if problem:
        return ParseResult(
            Outcome.NOT_KAMIS,
            None,
            f"not a KAMIS body ({problem}): {_preview(json.dumps(doc, ensure_ascii=False))}",
        )
    assert cd is not None
    if cd not in RESULT_CODES:
        return ParseResult(Outcome.NOT_KAMIS, cd, f"unknown KAMIS result code {cd}")
    outcome, meaning = RESULT_CODES[cd]
    if outcome is not Outcome.OK:
        return ParseResult(outcome, cd, f"kamis error {cd}: {meaning}")
    rows, errors = normalise_rows(action, raw_rows, params, condition_echo(doc))
    if not rows and not errors:
        return ParseResult(Outcome.NO_DATA, cd, "result 000 with no rows")
    unpriced = _unpriced_day(action, rows)
    if unpriced is not None:
        return ParseResult(unpriced[0], cd, unpriced[1], rows, errors)
    return ParseResult(Outcome.OK, cd, "", rows, errors)


def _unpriced_day(action: str, rows: list[Row]) -> tuple[Outcome, str] | None:
    """Classify a 000 body with no price for the day it was asked for; None when it has one.

    KAMIS answers a day whose survey is not yet published (until the afternoon KST) with 000 and
    every price "-" (API.md §3.1, EOL): on a survey day that is NOT_PUBLISHED, to be asked again;
    on a day without a survey (weekends and holidays for produce) it is NO_DATA. Category bodies
    are judged on dpr1 (the other columns are earlier days); period bodies on their 평균 and
    market prices (평년 is a normal-year value and may be present).
    """
    if action == kr.DAILY_PRICE_BY_CATEGORY:
        dated = rows
    elif action in _FILL_NAMES:
        dated = [r for r in rows if r.get("row_type") in ("average", "market")]
    else:
        return None
    if not dated or any(r.get("price") is not None for r in dated):
        return None
    # The KAMIS survey calendar (the simulator renders the same one).
    from spark_jobs.kamis.survey_calendar import is_produce_survey_day

    day = max(date.fromisoformat(r["res_dt"]) for r in dated)
    category = next((r.get("category_cd") for r in dated if r.get("category_cd")), None)
    if category == codes.LIVESTOCK_CATEGORY or is_produce_survey_day(day):
        return Outcome.NOT_PUBLISHED, (
            f"result 000 but no price for survey day {day.isoformat()}: not yet published"
        )
    return Outcome.NO_DATA, (
        f"result 000 but no price: {day.isoformat()} is no survey day for category {category}"
    )


def parse_body(
    action: str, body: str | bytes, params: Mapping[str, Any] | None = None
) -> ParseResult:
    """Parse one KAMIS response body into normalised rows.

    Args:
        action: The KAMIS action the body answers (selects the envelope and row normaliser).
        body: The body as received or stored (JSON or XML; str or bytes).
        params: The request parameters (codes/dates the body lacks); falls back to the echo.

    Returns:
        The outcome, result code, reason, rows and per-row errors.
    """
    if action not in _NORMALISERS:
        raise KeyError(f"unsupported action {action!r}; supported: {', '.join(_NORMALISERS)}")
    try:
        doc, failure = load_document(body)
        if failure is not None:
            return failure
        return parse_document(action, doc, params)
    except RecursionError:
        # A nesting bomb (JSON arrays or XML elements thousands deep) must not kill the caller.
        return _not_kamis("nested too deep", decode(body))

"""Korean number, price and text formatting shared by every renderer ("3,450원/1포기", "+12.5%")."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

MISSING = "–"
FORMATS = ("text", "price", "pct", "pct_plain", "int", "float", "date", "index", "rank")
_TEMPLATE = re.compile(r"\{([a-z0-9_]+)(?::([a-z_]+))?(?:\|([^}/]+)/([^}]+))?\}")


def is_missing(value: Any) -> bool:
    """Return True for None, NaN and pandas' missing markers."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def price(value: Any, unit: Any = None) -> str:
    """Format a price in won with thousands separators, optionally per unit ("3,450원/1포기")."""
    if is_missing(value):
        return MISSING
    text = f"{round(float(value)):,}원"
    return f"{text}/{unit}" if unit and not is_missing(unit) else text


def pct(value: Any, signed: bool = True) -> str:
    """Format a percentage that is already in percent (12.5 → "+12.5%")."""
    if is_missing(value):
        return MISSING
    number = float(value)
    if math.isclose(number, 0.0, abs_tol=0.05):
        return "0.0%"
    return f"{number:+.1f}%" if signed else f"{number:.1f}%"


def integer(value: Any) -> str:
    """Format a count with thousands separators."""
    return MISSING if is_missing(value) else f"{round(float(value)):,}"


def number(value: Any) -> str:
    """Format a float with one decimal and thousands separators."""
    return MISSING if is_missing(value) else f"{float(value):,.1f}"


def date(value: Any) -> str:
    """Format a date as YYYY-MM-DD."""
    if is_missing(value):
        return MISSING
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


WEEKDAYS = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")


def to_date(value: Any) -> dt.date | None:
    """Return ``value`` as a date (None when missing)."""
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def weekday(value: Any) -> str:
    """Return the Korean weekday of a date ("금요일")."""
    day = to_date(value)
    return MISSING if day is None else WEEKDAYS[day.weekday()]


def survey_basis(res_dt: Any, latest_dt: Any) -> str:
    """Return "금요일 조사 기준" when a price's survey day is older than the newest day, else ""."""
    day, latest = to_date(res_dt), to_date(latest_dt)
    if day is None or latest is None or day >= latest:
        return ""
    return f"{weekday(day)} 조사 기준"


def rank(value: Any) -> str:
    """Format a rank ("3위")."""
    return MISSING if is_missing(value) else f"{int(value)}위"


def value(value: Any, fmt: str = "text", unit: Any = None) -> str:
    """Format ``value`` with one of :data:`FORMATS`."""
    if fmt == "price":
        return price(value, unit)
    if fmt == "pct":
        return pct(value)
    if fmt == "pct_plain":
        return pct(value, signed=False)
    if fmt == "int":
        return integer(value)
    if fmt in ("float", "index"):
        return number(value)
    if fmt == "date":
        return date(value)
    if fmt == "rank":
        return rank(value)
    if is_missing(value):
        return MISSING
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def has_final_consonant(word: str) -> bool:
    """Return True when the last Hangul syllable of ``word`` has a final consonant (받침)."""
    for ch in reversed(word.strip()):
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3:
            return (code - 0xAC00) % 28 != 0
        if ch.isdigit():
            return ch in "013678"
    return False


def josa(word: str, with_final: str, without_final: str) -> str:
    """Attach the particle that fits ``word`` ("전통시장" + 이/가 → "전통시장이", "대형마트가")."""
    return word + (with_final if has_final_consonant(word) else without_final)


def fill(template: str, row: Mapping[str, Any], unit_column: str | None = "unit") -> str:
    """Fill ``{col}``, ``{col:fmt}`` and ``{col|이/가}`` placeholders from ``row``.

    ``{price:price}`` appends ``row[unit_column]`` when present, so prices read "3,450원/1포기".
    """

    def sub(m: re.Match[str]) -> str:
        col, fmt, with_final, without_final = m.groups()
        raw = row.get(col)
        if with_final is not None:
            return josa(value(raw), with_final, without_final)
        unit = row.get(unit_column) if (fmt == "price" and unit_column) else None
        return value(raw, fmt or "text", unit)

    return _TEMPLATE.sub(sub, template)


def template_columns(template: str) -> list[str]:
    """Return the column names a template refers to (for spec validation)."""
    return [m.group(1) for m in _TEMPLATE.finditer(template)]

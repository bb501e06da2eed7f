"""Pickers shared by the tabs; each returns query parameter values (codes, dates), labels in Korean."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components import codes, urlstate
from dashboard.renderers import formats
from spark_jobs.kamis.codes import NATIONAL_CD

ITEM_KEY = ("item_cd", "kind_cd", "rank_cd")
NATIONAL = NATIONAL_CD
PERIODS = {"1개월": 31, "3개월": 92, "6개월": 183, "1년": 366, "전체": None}
DEFAULT_PERIOD = "3개월"


def item_label(row: pd.Series | dict[str, Any]) -> str:
    """Return "배추 (월동 · 상품) · 1포기" for an item/kind/rank row."""
    kind = row.get("kind_nm")
    grade = row.get("rank_nm") or row.get("eco_rank_nm")
    details = " · ".join(str(x) for x in (kind, grade) if not formats.is_missing(x) and x)
    unit = row.get("unit")
    text = f"{row.get('item_nm')} ({details})" if details else str(row.get("item_nm"))
    return f"{text} · {unit}" if unit and not formats.is_missing(unit) else text


def region_picker(
    regions: pd.DataFrame, key: str, label: str = "지역", default: str = NATIONAL
) -> str | None:
    """Pick a region; returns its ``country_cd`` (None when there are no regions).

    A known region in the URL (``?region=1101``) is the first choice when this picker offers it;
    a remembered value the store does not know is refused with a message and reset. The choice
    goes back to the URL (``components/urlstate.py``).
    """
    if regions.empty:
        return None
    names = dict(zip(regions["country_cd"], regions["country_nm"], strict=True))
    options = list(names)
    wanted = codes.url_code("region")
    if wanted in options:
        default = wanted
    index = options.index(default) if default in options else 0
    _refuse_unknown(key, "region")
    _keep_valid(key, options, options[index])
    country_cd = st.selectbox(
        label, options, index=index, format_func=lambda c: names.get(c, c), key=key
    )
    urlstate.record({"region": country_cd})
    return country_cd


def item_picker(items: pd.DataFrame, key: str, label: str = "품목") -> dict[str, Any] | None:
    """Pick an item/kind/rank; returns its codes plus the row (None when there are no items).

    A known item in the URL (``?item=211&kind=01&rank=04``) is the first choice when offered:
    that kind and grade, else the item's first kind/grade. The choice goes back to the URL.
    """
    if items.empty:
        return None
    unique = items.drop_duplicates(list(ITEM_KEY)).reset_index(drop=True)
    labels = [item_label(r) for r in unique.to_dict("records")]
    if key not in st.session_state:
        first = url_item_index(unique)
        if first is not None:
            st.session_state[key] = first
    _keep_valid(key, list(range(len(unique))), 0)
    index = st.selectbox(label, range(len(unique)), format_func=lambda i: labels[i], key=key)
    row = unique.iloc[int(index)].to_dict()
    urlstate.record({name: _code(row.get(f"{name}_cd")) for name in ("item", "kind", "rank")})
    return {k: row[k] for k in ITEM_KEY} | {"row": row}


def _code(value: Any) -> str | None:
    return None if formats.is_missing(value) else str(value)


def url_item_index(unique: pd.DataFrame) -> int | None:
    """Return the row of ``unique`` (one per item/kind/rank) the URL asks for, best match first.

    The URL's item with its kind and grade, else with its kind, else its first kind/grade; None
    when the URL names no item this list offers (the picker then keeps its default quietly, as a
    link made on another tab may name an item this tab does not show).
    """
    wanted = codes.url_code("item")
    if wanted is None:
        return None
    kind, rank = codes.url_code("kind"), codes.url_code("rank")
    same_item = unique["item_cd"] == wanted
    for mask in (
        same_item & (unique["kind_cd"] == kind) & (unique["rank_cd"] == rank),
        same_item & (unique["kind_cd"] == kind),
        same_item,
    ):
        rows = unique.index[mask].tolist()
        if rows:
            return int(rows[0])
    return None


def _refuse_unknown(key: str, kind: str) -> None:
    """Refuse (message, reset) a remembered code for ``key`` that the serving store does not know."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if not codes.known_codes().accepts(kind, value):
        codes.refuse(kind, "filter", value)
        del st.session_state[key]


def _keep_valid(key: str, options: list[Any], default: Any) -> None:
    """Reset a picker whose remembered choice is no longer offered (its options depend on another picker)."""
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = default


def period_picker(latest: Any, key: str) -> dt.date:
    """Pick how far back a series goes; returns its first day relative to the latest data day.

    The URL's period (``?period=1y``) is the first choice; the choice goes back to the URL.
    """
    wanted = codes.url_code("period", urlstate.PERIOD_CODES)
    default = urlstate.PERIOD_CODES[wanted] if wanted else DEFAULT_PERIOD
    choice = st.segmented_control("기간", list(PERIODS), default=default, key=key) or DEFAULT_PERIOD
    code_of = {label: code for code, label in urlstate.PERIOD_CODES.items()}
    urlstate.record({"period": code_of[choice]})
    days = PERIODS[choice]
    end = pd.Timestamp(latest).date()
    return dt.date(1900, 1, 1) if days is None else end - dt.timedelta(days=days)

"""Pickers shared by the tabs; each returns query parameter values (codes, dates), labels in Korean."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components import codes
from dashboard.renderers import formats
from spark_jobs.kamis.codes import NATIONAL_CD

ITEM_KEY = ("item_cd", "kind_cd", "rank_cd")
NATIONAL = NATIONAL_CD
PERIODS = {"1개월": 31, "3개월": 92, "6개월": 183, "1년": 366, "전체": None}


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
    a remembered value the store does not know is refused with a message and reset.
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
    return st.selectbox(label, options, index=index, format_func=lambda c: names.get(c, c), key=key)


def item_picker(items: pd.DataFrame, key: str, label: str = "품목") -> dict[str, Any] | None:
    """Pick an item/kind/rank; returns its codes plus the row (None when there are no items).

    A known item in the URL (``?item=211``) selects that item's first kind/grade when offered.
    """
    if items.empty:
        return None
    unique = items.drop_duplicates(list(ITEM_KEY)).reset_index(drop=True)
    labels = [item_label(r) for r in unique.to_dict("records")]
    wanted = codes.url_code("item")
    matches = unique.index[unique["item_cd"] == wanted].tolist() if wanted else []
    if matches and key not in st.session_state:
        st.session_state[key] = int(matches[0])
    _keep_valid(key, list(range(len(unique))), 0)
    index = st.selectbox(label, range(len(unique)), format_func=lambda i: labels[i], key=key)
    row = unique.iloc[int(index)].to_dict()
    return {k: row[k] for k in ITEM_KEY} | {"row": row}


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
    """Pick how far back a series goes; returns its first day relative to the latest data day."""
    choice = st.segmented_control("기간", list(PERIODS), default="3개월", key=key) or "3개월"
    days = PERIODS[choice]
    end = pd.Timestamp(latest).date()
    return dt.date(1900, 1, 1) if days is None else end - dt.timedelta(days=days)

"""The view in the URL: a copied link reopens the same tab and selections.

The query string holds the open tab and what its pickers show, under one name per idea, shared by
the tabs: ``?tab=trend&region=1101&item=211&kind=01&rank=04&period=1y`` or
``?tab=basket&basket=kimjang``. A picker drawn for the first time in a session starts from the
URL's value when it offers it; every run then writes back what the open tab shows (the
parameters the tab does not draw stay, so a region chosen on one tab is the next tab's first
choice). Values come in through ``codes.url_code``: a malformed or unknown one is refused with a
Korean message, the picker keeps its default, and the value is dropped from the URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from dashboard.components import codes

# in the order they are written
PARAMS = ("tab", "region", "item", "kind", "rank", "period", "basket")
PERIOD_CODES = {"1m": "1개월", "3m": "3개월", "6m": "6개월", "1y": "1년", "all": "전체"}
_VIEW_KEY = "_jbg_url_view"


def start_run() -> None:
    """Forget the previous run's view (call once at the top of the page, after ``codes.start_run``)."""
    st.session_state[_VIEW_KEY] = {}


def check(tab_codes: Iterable[str]) -> None:
    """Check every view parameter in the URL at once, so a bad one is refused on every tab.

    Region and item must be known to the store, tab and period one of the app's choices, kind,
    grade and basket well formed (whether the open tab offers them is the picker's business).
    """
    codes.url_code("tab", tab_codes)
    codes.url_code("region")
    codes.url_code("item")
    codes.url_code("kind")
    codes.url_code("rank")
    codes.url_code("period", PERIOD_CODES)
    codes.url_code("basket")


def record(values: Mapping[str, str | None]) -> None:
    """Note what the open tab shows; ``None`` removes a parameter (e.g. no preset basket)."""
    unknown = set(values) - set(PARAMS)
    if unknown:
        raise ValueError(f"not a view parameter: {sorted(unknown)}")
    st.session_state.setdefault(_VIEW_KEY, {}).update(values)


def view() -> dict[str, str]:
    """Return the URL this run should leave: recorded values over the URL's accepted ones."""
    shown: dict[str, str | None] = st.session_state.get(_VIEW_KEY, {})
    refused = codes.refused_in_url()
    out: dict[str, str] = {}
    for name in PARAMS:
        if name in shown:
            value = shown[name]
        elif name in st.query_params and name not in refused:
            value = st.query_params.get(name)
        else:
            value = None
        if value is not None:
            out[name] = str(value)
    return out


def write() -> None:
    """Put this run's view in the URL when it changed (refused and unknown parameters go)."""
    wanted = view()
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != {k: [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)

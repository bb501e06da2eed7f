"""jangbogi (장보기): what is cheap today, where, in which kind of store, and is now a good time to buy.

Run with ``streamlit run dashboard/app.py``. The app only lays out the tabs; each tab is a
component that composes charts declared in ``dashboard/charts/*.yaml``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the repository root.
_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from dashboard.components import (  # noqa: E402
    basket,
    codes,
    eco,
    ops,
    retail,
    season,
    today,
    trend,
    urlstate,
)
from dashboard.components.data import data_version  # noqa: E402
from dashboard.db.base import QueryError  # noqa: E402

# tab label → (its name in the URL, ``?tab=trend``; its component)
TABS = {
    "오늘의 식재료": ("today", today.render),
    "가격 추이": ("trend", trend.render),
    "제철 지도": ("season", season.render),
    "유통업체별": ("retail", retail.render),
    "친환경": ("eco", eco.render),
    "장바구니": ("basket", basket.render),
}
TAB_KEY = "main_tab"


def main() -> None:
    """Lay out the page: header, then one lazily rendered tab at a time."""
    st.set_page_config(page_title="장보기 · 오늘 뭐가 싸요?", page_icon="🥬", layout="wide")
    st.title("장보기")
    st.caption("KAMIS 농축수산물 가격으로 오늘 무엇이, 어디서, 어떤 가게에서 싼지 알려드려요.")
    try:
        data_version()
    except QueryError:
        st.info(
            "아직 게시된 가격 자료가 없어요. `jangbogi publish` 로 자료를 게시한 뒤 새로고침해 주세요.",
            icon=":material/inventory_2:",
        )
        st.stop()
    codes.start_run()
    urlstate.start_run()
    label_of = {code: label for label, (code, _) in TABS.items()}
    urlstate.check(label_of)  # bad ?tab= / ?region= / ... : refused with a message, then dropped
    if st.sidebar.toggle("운영 (operations)", key="ops_view"):
        ops.render()  # freshness per source and the last job runs, instead of the shopper tabs
        return
    wanted = codes.url_code("tab", label_of)
    if wanted is not None and TAB_KEY not in st.session_state:
        st.session_state[TAB_KEY] = label_of[wanted]  # a shared link opens on its tab
    tabs = st.tabs(list(TABS), key=TAB_KEY, on_change="rerun")
    try:
        for tab, (code, draw) in zip(tabs, TABS.values(), strict=True):
            # Only the selected tab runs (on_change="rerun" makes `open` meaningful).
            if tab.open is not False:
                urlstate.record({"tab": code})
                with tab:
                    draw()
    finally:
        urlstate.write()  # the URL now names this view (also when a tab stopped early)


main()

"""Tab 4 · 유통업체별: which channel is cheaper per category, item gaps, and a regional price map."""

from __future__ import annotations

import streamlit as st

from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import ITEM_KEY, item_picker


def render() -> None:
    """Draw the tab."""
    show_chart("retail_channel_cards")
    with st.expander("품목별로 자세히 보기"):
        show_chart("retail_channel_items", title=False)
    items = fetch("retail_region_items")
    if items.empty:
        st.info("지역별 시장 가격 자료가 아직 없어요.")
        return
    item = item_picker(items, key="retail_item", label="지도에서 볼 품목")
    assert item is not None
    show_chart("retail_region_map", {k: item[k] for k in ITEM_KEY})

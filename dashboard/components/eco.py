"""Tab 5 · 친환경: eco prices by store type, the biggest store-type gaps, the eco premium."""

from __future__ import annotations

import streamlit as st

from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import ITEM_KEY, item_picker, region_picker


def render() -> None:
    """Draw the tab."""
    items = fetch("eco_items")
    if items.empty:
        st.info("친환경 가격 자료가 아직 없어요.")
    else:
        item = item_picker(items, key="eco_item", label="친환경 품목")
        assert item is not None
        show_chart("eco_store_type_bar", {k: item[k] for k in ITEM_KEY})
        show_chart("eco_store_gaps")
    regions = fetch("eco_regions")
    country_cd = region_picker(regions, key="eco_region", label="친환경 프리미엄 지역")
    if country_cd is None:
        st.info("친환경 프리미엄 자료가 아직 없어요.")
        return
    show_chart("eco_premium_bar", {"country_cd": country_cd})
    with st.expander("기준 단위당 가격 자세히"):
        show_chart("eco_premium_table", {"country_cd": country_cd}, title=False)

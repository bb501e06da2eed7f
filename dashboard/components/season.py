"""Tab 3 · 제철 지도: an in-season item's price by region on a map; a region's in-season items."""

from __future__ import annotations

import streamlit as st

from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import ITEM_KEY, item_picker, region_picker
from dashboard.renderers import formats


def render() -> None:
    """Draw the tab."""
    items = fetch("season_items")
    if items.empty:
        st.info("지금은 제철 품목 자료가 없어요.")
        return
    first = items.iloc[0]
    st.markdown(
        f"**{formats.integer(first['month'])}월 · {first['season_nm']}** 제철 품목 {len(items)}가지 "
        f"(기준일 {formats.date(first['res_dt'])})"
    )
    item = item_picker(items, key="season_item", label="제철 품목")
    assert item is not None
    show_chart("season_map", {k: item[k] for k in ITEM_KEY})
    regions = fetch("season_regions")
    country_cd = region_picker(
        regions,
        key="season_region",
        label="지역을 고르면 그 지역의 제철 품목을 보여드려요",
        default="1101",
    )
    if country_cd is not None:
        show_chart("season_region_items", {"country_cd": country_cd})

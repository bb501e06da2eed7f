"""Tab 2 · 가격 추이: item/kind/region pickers, YoY and MoM KPIs, the line chart with the 평년 band."""

from __future__ import annotations

import streamlit as st

from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import ITEM_KEY, item_picker, period_picker, region_picker


def render() -> None:
    """Draw the tab."""
    series = fetch("trend_items")
    if series.empty:
        st.info("아직 가격 추이 자료가 없어요.")
        return
    c1, c2, c3 = st.columns([3, 2, 3])
    with c1:
        item = item_picker(series, key="trend_item")
    assert item is not None  # series is not empty
    mask = (series[list(ITEM_KEY)] == [item[k] for k in ITEM_KEY]).all(axis=1)
    regions = series[mask][["country_cd", "country_nm", "latest_dt"]]
    with c2:
        country_cd = region_picker(regions, key="trend_region")
    latest = regions.loc[regions["country_cd"] == country_cd, "latest_dt"].max()
    with c3:
        start_dt = period_picker(latest, key="trend_period")
    values = {**{k: item[k] for k in ITEM_KEY}, "country_cd": country_cd, "start_dt": start_dt}
    show_chart("trend_kpis", values)
    show_chart("trend_line", values)

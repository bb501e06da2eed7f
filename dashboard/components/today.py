"""Tab 1 · 오늘의 식재료: freshness, top-3 drops and rises, the up/down donut, buy signals and alerts."""

from __future__ import annotations

import streamlit as st

from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import region_picker
from dashboard.renderers import formats

STALE_AFTER_DAYS = 3


def freshness_warnings() -> None:
    """Warn, per source, when its latest data is more than three days old."""
    status = fetch("update_status")
    if status.empty:
        st.info("아직 수집 현황이 없어요.")
        return
    stale = status[status["lag_days"].fillna(0) > STALE_AFTER_DAYS]
    for row in stale.to_dict("records"):
        st.warning(
            f"'{row['source_nm']}' 자료가 {formats.integer(row['lag_days'])}일 늦어요 "
            f"(최신 자료일 {formats.date(row['latest_dt'])}). 가격이 오늘과 다를 수 있어요.",
            icon=":material/warning:",
        )
    if stale.empty:
        latest = formats.date(status["latest_dt"].max())
        st.success(
            f"모든 자료가 최신이에요 (최신 자료일 {latest}).", icon=":material/check_circle:"
        )
    with st.expander("데이터 신선도 자세히"):
        show_chart("today_update_status", title=False)


def render() -> None:
    """Draw the tab."""
    freshness_warnings()
    regions = fetch("regions")
    country_cd = region_picker(regions, key="today_region")
    if country_cd is None:
        st.info("아직 오늘의 가격 자료가 없어요.")
        return
    values = {"country_cd": country_cd}
    show_chart("today_drop_top3", values)
    show_chart("today_rise_top3", values)
    left, right = st.columns([2, 3])
    with left:
        show_chart("today_updown_donut", values)
    with right:
        show_chart("today_signal_counts", values)
        show_chart("today_buy_signal", values, title=False)
    show_chart("today_alerts", values)

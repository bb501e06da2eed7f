"""Tab 1 · 오늘의 식재료: freshness, top-3 drops and rises, the up/down donut, buy signals and alerts.

"Today" for a shopper is each item's own latest survey day: produce is not surveyed on weekends
and holidays while livestock is, so the named queries pick every item's latest price within a
week of the region's newest day, and rows from an older day say so ("금요일 조사 기준").
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import region_picker
from dashboard.renderers import formats
from spark_jobs.sources import labels as source_labels


class Source(NamedTuple):
    """A collected source: its Korean name and how many days late its data may be before a warning."""

    name_ko: str
    stale_after_days: int


# Korean names and warning thresholds come from the source registry (the daily sources are
# surveyed on working days, so a Monday before publication sees Friday: 3 days; the eco prices are
# surveyed once a week and published some days later); the silver tables built from a source are
# "<its name> 표" (mart_update_status names them by table).
SOURCES = {name: Source(label, days) for name, (label, days) in source_labels().items()}
DEFAULT_STALE_AFTER_DAYS = 3


def source_of(source_nm: str) -> Source:
    """Return the Korean name and warning threshold of a source (its own name for an unknown one)."""
    return SOURCES.get(source_nm, Source(source_nm, DEFAULT_STALE_AFTER_DAYS))


def with_sources(status: pd.DataFrame) -> pd.DataFrame:
    """Add ``source_ko_nm`` and ``stale_after_days`` to ``mart_update_status`` rows."""
    out = status.copy()
    out["source_ko_nm"] = [source_of(s).name_ko for s in out["source_nm"]]
    out["stale_after_days"] = [source_of(s).stale_after_days for s in out["source_nm"]]
    return out


def freshness_warnings() -> None:
    """Warn, per source, when its latest data is older than that source's threshold."""
    status = fetch("update_status")
    if status.empty:
        st.info("아직 수집 현황이 없어요.")
        return
    status = with_sources(status)
    stale = status[status["lag_days"].fillna(0) > status["stale_after_days"]]
    for row in stale.to_dict("records"):
        st.warning(
            f"{formats.josa(row['source_ko_nm'], '이', '가')} {formats.integer(row['lag_days'])}일 늦었어요 "
            f"(최신 자료일 {formats.date(row['latest_dt'])}). 가격이 오늘과 다를 수 있어요.",
            icon=":material/warning:",
        )
    if stale.empty:
        latest = formats.date(status["latest_dt"].max())
        st.success(
            f"모든 자료가 최신이에요 (최신 자료일 {latest}).", icon=":material/check_circle:"
        )
    with st.expander("데이터 신선도 자세히"):
        show_chart("today_update_status", transform=with_sources, title=False)


def with_survey_basis(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``basis_txt`` ("금요일 조사 기준" for rows older than ``latest_dt``, else "") and ``as_of_txt``."""
    out = df.copy()
    basis = [
        formats.survey_basis(d, latest)
        for d, latest in zip(out["res_dt"], out["latest_dt"], strict=True)
    ]
    out["basis_txt"] = basis
    out["as_of_txt"] = [
        f"{formats.date(d)} · {b}" if b else formats.date(d)
        for d, b in zip(out["res_dt"], basis, strict=True)
    ]
    return out


def with_item_names(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``item_full_nm``: "배추 (월동)", with the grade when one item/kind is shown in several grades."""
    out = df.copy()
    kinds = out[["item_nm", "kind_nm"]].astype(str).agg("|".join, axis=1)
    several = kinds.map(kinds.value_counts()) > 1
    names = []
    for row, show_grade in zip(out.to_dict("records"), several, strict=True):
        parts = [row.get("kind_nm")] + ([row.get("rank_nm")] if show_grade else [])
        parts = [
            str(p) for p in parts if p and not formats.is_missing(p) and p != row.get("item_nm")
        ]
        names.append(f"{row['item_nm']} ({' · '.join(parts)})" if parts else str(row["item_nm"]))
    out["item_full_nm"] = names
    return out


def signal_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The buy-signal table's rows: survey day notes and names that tell grades apart."""
    return with_item_names(with_survey_basis(df))


def donut_caption(counts: pd.DataFrame) -> None:
    """Say which day the counts stand on, and how many items come from an older survey day."""
    if counts.empty or formats.is_missing(counts.iloc[0].get("latest_dt")):
        return
    row = counts.iloc[0]
    latest = row["latest_dt"]
    text = f"{formats.date(latest)} ({formats.weekday(latest)}) 기준"
    stale = 0 if formats.is_missing(row.get("stale_cnt")) else int(row["stale_cnt"])
    if stale:
        text += (
            f" · {formats.integer(stale)}개 품목은 {formats.weekday(row['stale_dt'])} 조사 기준이에요"
            " (그날 조사하지 않은 품목은 가장 최근 조사일 가격으로 보여드려요)"
        )
    st.caption(text)


def render() -> None:
    """Draw the tab."""
    freshness_warnings()
    regions = fetch("regions")
    country_cd = region_picker(regions, key="today_region")
    if country_cd is None:
        st.info("아직 오늘의 가격 자료가 없어요.")
        return
    values = {"country_cd": country_cd}
    show_chart("today_drop_top3", values, transform=with_survey_basis)
    show_chart("today_rise_top3", values, transform=with_survey_basis)
    left, right = st.columns([2, 3])
    with left:
        counts = show_chart("today_updown_donut", values)
        donut_caption(counts)
    with right:
        show_chart("today_signal_counts", values)
        show_chart("today_buy_signal", values, transform=signal_rows, title=False)
    show_chart("today_alerts", values)

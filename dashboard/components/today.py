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


def substitute_lines(subs: pd.DataFrame) -> dict[tuple[str, str, str], tuple[str, list[str]]]:
    """Return, per 비싸요 item/kind/rank, the substitutes' heading and one line per substitute.

    A line reads "참다래 (국산) 900원/개 · 68.9% 저렴 · 보통": the price per common unit (both
    items' prices per one base unit, mart_substitutes), the saving and the substitute's own signal.
    """
    out: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    if subs.empty:
        return out
    subs = subs.sort_values(["item_cd", "kind_cd", "rank_cd", "rank_no"]).reset_index(drop=True)
    names = with_item_names(
        subs.rename(columns={"item_nm": "_i", "kind_nm": "_k", "rank_nm": "_r"}).rename(
            columns={"sub_item_nm": "item_nm", "sub_kind_nm": "kind_nm", "sub_rank_nm": "rank_nm"}
        )
    )["item_full_nm"]
    for row, name in zip(subs.to_dict("records"), names, strict=True):
        key = (row["item_cd"], row["kind_cd"], row["rank_cd"])
        title = f"대신 이건 어때요 · {row['item_nm']} {formats.price(row['unit_price'], row['base_unit'])}"
        line = (
            f"{name} {formats.price(row['sub_unit_price'], row['base_unit'])}"
            f" · {formats.pct(row['saving_pct'], signed=False)} 저렴 · {row['sub_signal_nm']}"
        )
        out.setdefault(key, (title, []))[1].append(line)
    return out


TIMING_CARDS = 30  # cards in "지금 살까, 기다릴까" before the ones that carry substitutes


def timing_rows(subs: pd.DataFrame, cards: int = TIMING_CARDS):
    """Return the buy-timing cards' transform: survey-day notes, names, substitutes of 비싸요 items.

    The cards keep the query's order (기다려 보세요 → 지금 사세요 → 보통). At most ``cards`` of them
    are shown, but a 비싸요 item with substitutes is never cut: its card stays in its place, and
    cards without substitutes make room for it from the end.
    """
    by_item = substitute_lines(subs)

    def transform(df: pd.DataFrame) -> pd.DataFrame:
        out = with_item_names(with_survey_basis(df.assign(latest_dt=df["res_dt"].max())))
        titles, lines = [], []
        for row in out.to_dict("records"):
            found = by_item.get((row["item_cd"], row["kind_cd"], row["rank_cd"]))
            # substitutes only ever go under an item that is 비싸요 today
            if found is None or row["signal_cd"] != "expensive":
                titles.append("")
                lines.append(None)
            else:
                titles.append(found[0])
                lines.append(found[1][:3])
        out["substitute_title"] = titles
        out["substitute_lines"] = lines
        has_subs = out["substitute_lines"].notna()
        plain_room = max(cards - int(has_subs.sum()), 0)
        keep = has_subs | (~has_subs).cumsum().le(plain_room)
        return out[keep].reset_index(drop=True)

    return transform


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
    subs = fetch("substitutes", values)
    show_chart("today_buy_timing", values, transform=timing_rows(subs))
    left, right = st.columns([2, 3])
    with left:
        counts = show_chart("today_updown_donut", values)
        donut_caption(counts)
    with right:
        show_chart("today_signal_counts", values)
        show_chart("today_buy_signal", values, transform=signal_rows, title=False)
    show_chart("today_alerts", values)

"""Tab 6 · 장바구니: a preset basket's cost per region and channel, or your own items and quantities."""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd
import streamlit as st

from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import ITEM_KEY, item_label
from dashboard.renderers import formats
from spark_jobs.paths import REFERENCE_DIR

BASKETS_CSV = REFERENCE_DIR / "baskets.csv"
ItemKey = tuple[str, str, str]


def basket_options(prices: pd.DataFrame, picks: Mapping[ItemKey, float]) -> pd.DataFrame:
    """Return the cost of ``picks`` (item/kind/rank → quantity) per region and channel.

    ``prices`` are rows of ``mart_retail_price_latest`` (one price per region, channel and item).
    An option is complete when every picked item has a price there; ``total_cost`` = Σ qty × price
    over the priced items, and ``is_cheapest`` marks the complete option(s) with the lowest total.
    """
    columns = [
        "country_cd",
        "country_nm",
        "channel_cd",
        "channel_nm",
        "option_nm",
        "total_cost",
        "priced_cnt",
        "item_cnt",
        "missing_txt",
        "complete",
        "is_cheapest",
    ]
    if prices.empty or not picks:
        return pd.DataFrame(columns=columns)
    names = {tuple(r[k] for k in ITEM_KEY): item_label(r) for r in prices.to_dict("records")}
    rows = []
    for (country_cd, channel_cd), group in prices.groupby(["country_cd", "channel_cd"], sort=True):
        price_of = {
            tuple(r[k] for k in ITEM_KEY): float(r["price"]) for r in group.to_dict("records")
        }
        priced = [key for key in picks if key in price_of]
        missing = [names.get(key, "/".join(key)) for key in picks if key not in price_of]
        first = group.iloc[0]
        rows.append(
            {
                "country_cd": country_cd,
                "country_nm": first["country_nm"],
                "channel_cd": channel_cd,
                "channel_nm": first["channel_nm"],
                "option_nm": f"{first['country_nm']} · {first['channel_nm']}",
                "total_cost": sum(picks[key] * price_of[key] for key in priced),
                "priced_cnt": len(priced),
                "item_cnt": len(picks),
                "missing_txt": ", ".join(missing) if missing else "없음",
                "complete": not missing,
            }
        )
    out = pd.DataFrame(rows, columns=columns[:-1])
    complete = out[out["complete"]]
    best = complete["total_cost"].min() if not complete.empty else math.nan
    out["is_cheapest"] = out["complete"] & out["total_cost"].sub(best).abs().lt(0.005)
    return out.sort_values(["complete", "total_cost"], ascending=[False, True]).reset_index(
        drop=True
    )


@lru_cache(maxsize=1)
def preset_contents() -> dict[str, list[dict[str, str]]]:
    """Return ``reference/baskets.csv`` rows per ``basket_cd`` (empty when the file is absent)."""
    if not BASKETS_CSV.is_file():
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    with BASKETS_CSV.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("basket_cd"):
                out.setdefault(row["basket_cd"], []).append(row)
    return out


def _preset() -> None:
    presets = fetch("basket_presets")
    if presets.empty:
        st.info("추천 장바구니 자료가 아직 없어요. '직접 담기'로 골라 보세요.")
        return
    names = dict(zip(presets["basket_cd"], presets["basket_nm"], strict=True))
    basket_cd = st.selectbox(
        "추천 장바구니", list(names), format_func=lambda c: names[c], key="basket_preset"
    )
    contents = preset_contents().get(basket_cd, [])
    if contents:
        st.caption("담긴 품목: " + ", ".join(_content_text(r) for r in contents))
    cost = fetch("basket_cost", {"basket_cd": basket_cd})
    best = cost[cost["is_cheapest"].fillna(False).astype(bool)] if not cost.empty else cost
    if not best.empty:
        row = best.iloc[0]
        st.success(
            f"가장 저렴한 곳: **{row['country_nm']} {row['channel_nm']}** · {formats.price(row['total_cost'])}",
            icon=":material/shopping_cart:",
        )
    show_chart("basket_cost_bar", {"basket_cd": basket_cd})
    show_chart("basket_cost_table", {"basket_cd": basket_cd})


def _content_text(row: Mapping[str, str]) -> str:
    name = row.get("item_nm") or row.get("item_cd", "")
    qty = row.get("qty") or row.get("quantity") or ""
    return f"{name} ×{qty}" if qty else str(name)


def _custom() -> None:
    prices = fetch("retail_price_latest")
    if prices.empty:
        st.info("오늘의 시장 가격 자료가 아직 없어요.")
        return
    items = prices.drop_duplicates(list(ITEM_KEY)).reset_index(drop=True)
    labels = {tuple(r[k] for k in ITEM_KEY): item_label(r) for r in items.to_dict("records")}
    keys = list(labels)
    chosen = st.multiselect(
        "품목을 담아 보세요",
        keys,
        default=keys[: min(2, len(keys))],
        format_func=lambda k: labels[k],
        key="basket_items",
    )
    picks: dict[ItemKey, float] = {}
    cols = st.columns(3)
    for i, key in enumerate(chosen):
        with cols[i % 3]:
            qty = st.number_input(
                f"{labels[key]} 수량",
                min_value=1,
                max_value=99,
                value=1,
                step=1,
                key=f"qty_{'_'.join(key)}",
            )
            picks[key] = float(qty)
    if not picks:
        st.info("품목을 하나 이상 담으면 지역 · 유통업체별 비용을 계산해 드려요.")
        return
    options = basket_options(prices, picks)
    best = options[options["is_cheapest"]]
    if best.empty:
        st.info("고른 품목을 모두 파는 곳이 아직 없어요. 품목을 바꿔 보세요.")
    else:
        row = best.iloc[0]
        st.success(
            f"가장 저렴한 곳: **{row['option_nm']}** · 합계 {formats.price(row['total_cost'])}",
            icon=":material/shopping_cart:",
        )
    show_chart("basket_custom_bar", transform=lambda _df: options[options["complete"]])
    show_chart("basket_custom_table", transform=lambda _df: options, title=False)


def render() -> None:
    """Draw the tab."""
    mode = st.radio(
        "장바구니",
        ["직접 담기", "추천 장바구니"],
        horizontal=True,
        key="basket_mode",
        label_visibility="collapsed",
    )
    if mode == "추천 장바구니":
        _preset()
    else:
        _custom()

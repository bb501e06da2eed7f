"""Tab 6 · 장바구니: a preset basket's cost per region and channel, or your own items and quantities."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dashboard.components import codes, urlstate
from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import ITEM_KEY, item_label
from dashboard.reference import basket_lines
from dashboard.renderers import formats

ItemKey = tuple[str, str, str]
COMPLETE, INCOMPLETE = "모든 품목 있음", "빠진 품목 있음"
CUSTOM, PRESET = "직접 담기", "추천 장바구니"
# The custom basket opens with an everyday week's vegetables (item_cd, kind_cd or None for any
# kind), one kind and grade each: 양파, 대파, 감자, 당근, 애호박, 배추, 무.
EVERYDAY = (
    ("245", None),
    ("246", "00"),
    ("152", None),
    ("232", None),
    ("224", "01"),
    ("211", None),
    ("231", None),
)
EVERYDAY_MAX = 4


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


def everyday_picks(items: pd.DataFrame, limit: int = EVERYDAY_MAX) -> list[ItemKey]:
    """Return the custom basket's opening selection: up to ``limit`` everyday items on sale.

    One key per item in :data:`EVERYDAY` order, preferring the 상품 grade (rank_cd 04); when
    none of them is on sale, the first items of distinct item_cd (never two grades of one item).
    """
    rows = items.drop_duplicates(list(ITEM_KEY)).to_dict("records")

    def best(candidates: list[dict]) -> ItemKey:
        top = next((r for r in candidates if r["rank_cd"] == "04"), candidates[0])
        return tuple(top[k] for k in ITEM_KEY)  # type: ignore[return-value]

    picks: list[ItemKey] = []
    for item_cd, kind_cd in EVERYDAY:
        found = [r for r in rows if r["item_cd"] == item_cd and kind_cd in (None, r["kind_cd"])]
        if found:
            picks.append(best(found))
        if len(picks) == limit:
            return picks
    if picks:
        return picks
    by_item: dict[str, list[dict]] = {}
    for r in rows:
        by_item.setdefault(r["item_cd"], []).append(r)
    return [best(group) for group in list(by_item.values())[: min(2, limit)]]


def with_completeness(cost: pd.DataFrame) -> pd.DataFrame:
    """Mark each cell complete or not (``completeness_nm``); incomplete cells are not ranked."""
    out = cost.copy()
    complete = out["priced_item_cnt"] == out["item_cnt"]
    if "is_complete" in out.columns:
        complete &= out["is_complete"].fillna(False).astype(bool)
    out["is_complete"] = complete
    out["completeness_nm"] = [COMPLETE if c else INCOMPLETE for c in complete]
    out["cheapest_rank"] = out["cheapest_rank"].where(complete)
    out["is_cheapest"] = complete & out["is_cheapest"].fillna(False).astype(bool)
    for col in ("missing_txt", "substitute_txt"):
        if col not in out.columns:
            out[col] = None
        out[col] = out[col].where(out[col].notna() & (out[col] != ""), "없음")
    return out


def url_basket() -> str | None:
    """Return the URL's preset basket (``?basket=kimjang``) when it is one; refuse it otherwise."""
    wanted = codes.url_code("basket")
    if wanted is None:
        return None
    presets = fetch("basket_presets")
    if not presets.empty and wanted in set(presets["basket_cd"]):
        return wanted
    codes.refuse("basket", "url", wanted)
    return None


def _preset(wanted: str | None) -> None:
    presets = fetch("basket_presets")
    if presets.empty:
        st.info("추천 장바구니 자료가 아직 없어요. '직접 담기'로 골라 보세요.")
        urlstate.record({"basket": None})
        return
    names = dict(zip(presets["basket_cd"], presets["basket_nm"], strict=True))
    if wanted in names and "basket_preset" not in st.session_state:
        st.session_state["basket_preset"] = wanted  # a shared link opens on its basket
    basket_cd = st.selectbox(
        "추천 장바구니", list(names), format_func=lambda c: names[c], key="basket_preset"
    )
    urlstate.record({"basket": basket_cd})
    contents = basket_lines().get(basket_cd, [])
    if contents:
        st.caption("담긴 품목: " + ", ".join(_content_text(r) for r in contents))
    cost = fetch("basket_cost", {"basket_cd": basket_cd})
    cost = with_completeness(cost) if not cost.empty else cost
    # Only complete baskets compete: a cell missing lines looks cheaper by exactly those lines.
    best = cost[cost["is_cheapest"]] if not cost.empty else cost
    if not best.empty:
        row = best.iloc[0]
        st.success(
            f"가장 저렴한 곳: **{row['country_nm']} {row['channel_nm']}** · {formats.price(row['total_cost'])}",
            icon=":material/shopping_cart:",
        )
    elif not cost.empty:
        st.info("모든 품목의 가격이 있는 곳이 아직 없어요. 빠진 품목이 있는 곳은 그만큼 싸 보여요.")
    incomplete = cost[~cost["is_complete"]] if not cost.empty else cost
    if not incomplete.empty:
        st.warning(
            "빠진 품목이 있어 그만큼 싸 보이는 곳 (순위에서 뺐어요): "
            + "; ".join(
                f"{r['country_nm']} {r['channel_nm']} — {r['missing_txt']} 없음"
                for r in incomplete.to_dict("records")
            ),
            icon=":material/remove_shopping_cart:",
        )
    substituted = cost[cost["substitute_txt"] != "없음"] if not cost.empty else cost
    if not substituted.empty:
        st.caption(
            "제철이 아닌 품종은 같은 품목의 제철 품종으로 대신 담았어요: "
            + "; ".join(
                f"{r['country_nm']} {r['channel_nm']} ({r['substitute_txt']})"
                for r in substituted.to_dict("records")
            )
        )
    show_chart("basket_cost_bar", {"basket_cd": basket_cd}, transform=with_completeness)
    show_chart("basket_cost_table", {"basket_cd": basket_cd}, transform=with_completeness)


def _content_text(row: Mapping[str, str]) -> str:
    name = row.get("item_nm") or row.get("item_cd", "")
    kind = row.get("kind_nm") or ""
    if kind and kind != name:
        name = f"{name}({kind})"  # 파(쪽파) and 파(대파) are two lines
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
        default=everyday_picks(items),
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
    """Draw the tab; a preset basket in the URL opens it (the URL names the preset shown)."""
    wanted = url_basket()
    if wanted is not None and "basket_mode" not in st.session_state:
        st.session_state["basket_mode"] = PRESET
    mode = st.radio(
        "장바구니",
        [CUSTOM, PRESET],
        horizontal=True,
        key="basket_mode",
        label_visibility="collapsed",
    )
    if mode == PRESET:
        _preset(wanted)
    else:
        urlstate.record({"basket": None})  # your own basket is not in the URL (yet)
        _custom()

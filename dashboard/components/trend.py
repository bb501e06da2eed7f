"""Tab 2 · 가격 추이: item/kind/region pickers, YoY and MoM KPIs, the line chart with the 평년 band.

After the history the line chart draws the usable forecast (mart_price_forecast, usable only: it
beat the last-value and last-year baselines in mart_forecast_backtest) as the expected weekly price
1, 2 and 4 weeks ahead with its 80 % band; a line under the chart gives the backtest error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components.chart import fetch, show_chart
from dashboard.components.widgets import ITEM_KEY, item_picker, period_picker, region_picker
from dashboard.renderers import formats

FORECAST_COLUMNS = ("forecast_price", "lo_80_price", "hi_80_price")
NOT_USABLE = "이 품목은 예측이 단순 기준보다 낫지 않아 보여 주지 않아요."
NO_FORECAST = "이 품목은 이 지역의 가격 예측이 아직 없어요."


def forecast_rows(forecast: pd.DataFrame) -> pd.DataFrame:
    """Return the forecast as line-chart rows: the last week's price, then each usable horizon.

    The first row (the last week's mean at its Monday, band of zero width) joins the forecast to
    the history; each horizon sits at its target week's Monday.
    """
    if forecast.empty:
        return pd.DataFrame(columns=["res_dt", "unit", *FORECAST_COLUMNS])
    first = forecast.iloc[0]
    last = float(first["last_price"])
    rows = [{"res_dt": first["last_week_start_dt"], "unit": first["unit"],
             **dict.fromkeys(FORECAST_COLUMNS, last)}]  # fmt: skip
    rows += [
        {
            "res_dt": r["target_week_start_dt"],
            "unit": r["unit"],
            "forecast_price": r["forecast_price"],
            "lo_80_price": r["lo_80_price"],
            "hi_80_price": r["hi_80_price"],
        }
        for r in forecast.to_dict("records")
    ]
    return pd.DataFrame(rows)


def with_forecast(forecast: pd.DataFrame):
    """Return the line chart's transform: the history rows followed by ``forecast_rows``."""

    def transform(history: pd.DataFrame) -> pd.DataFrame:
        out = history.copy()
        for c in FORECAST_COLUMNS:
            out[c] = float("nan")
        extra = forecast_rows(forecast)
        if extra.empty:
            return out
        return pd.concat(
            [out, extra.astype({c: float for c in FORECAST_COLUMNS})], ignore_index=True
        )

    return transform


def forecast_text(forecast: pd.DataFrame, backtest: pd.DataFrame) -> tuple[str, str]:
    """Return (the expected prices line, the backtest error line); ("", reason) without a forecast."""
    if forecast.empty:
        return "", NOT_USABLE if not backtest.empty else NO_FORECAST
    ahead = " · ".join(
        f"{int(r['horizon_weeks'])}주 뒤 {formats.price(r['forecast_price'], r['unit'])} "
        # "\~": in Markdown two single tildes strike through the text between them
        f"({formats.integer(r['lo_80_price'])}\\~{formats.price(r['hi_80_price'])})"
        for r in forecast.to_dict("records")
    )
    errors = ", ".join(
        f"{int(r['horizon_weeks'])}주 {formats.pct(r['backtest_mape_pct'], signed=False)}"
        for r in forecast.to_dict("records")
        if not formats.is_missing(r["backtest_mape_pct"])
    )
    error_line = f"지난 1년 예측 오차(MAPE) {errors}" if errors else ""
    shown = set(forecast["horizon_weeks"].astype(int))
    dropped = [] if backtest.empty else sorted(
        int(h) for h in backtest["horizon_weeks"] if int(h) not in shown
    )  # fmt: skip
    if dropped:
        weeks = "·".join(f"{h}주" for h in dropped)
        error_line += f" · {weeks} 예측은 단순 기준보다 낫지 않아 뺐어요"
    return f"**예상 가격** (주 평균, 붉은 음영은 80% 범위): {ahead}", error_line.lstrip(" ·")


def forecast_of(values: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the usable forecast and the backtest of the selected item and region."""
    params = {k: values[k] for k in (*ITEM_KEY, "country_cd")}
    return fetch("price_forecast", params), fetch("forecast_backtest", params)


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
    forecast, backtest = forecast_of(values)
    show_chart("trend_line", values, transform=with_forecast(forecast))
    ahead, errors = forecast_text(forecast, backtest)
    if ahead:
        st.markdown(ahead)
    if errors:
        st.caption(errors)

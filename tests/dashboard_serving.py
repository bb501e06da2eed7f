"""A small, known serving store for the dashboard tests: hand-written rows for every gold mart.

Rows follow spark_jobs/gold/tables.py and are published with the real serving code
(``publish_marts`` + ``DuckDBStore``), so the app reads exactly what a publish would give it.
Values are chosen so that the tests can check what the app shows by hand:
- 서울 (1101) on 2026-11-30: top-1 drop 배추 −17.9 % ((3,450 − 4,200) / 4,200 = −0.17857),
  top-1 rise 사과 +11.2 % (2,900 / 26,000 = 0.11154); an older day (11-27) has another top-1.
  The today tab derives top 3 and counts from mart_price_trend (TREND_PAIRS), consistent with them.
- saturday_rows(): the same store as a Saturday publish leaves it (produce last surveyed Friday).
- buy signals in 서울: 싸요 2 (배추, 양파), 보통 1 (무), 비싸요 1 (사과).
- forecasts in 서울 (forecast_rows): 배추 usable 1 and 2 weeks ahead (4 weeks did not beat the
  baselines), 사과 usable (−8.0 % in 2 weeks), 무 not usable at all, 양파 without a forecast;
  buy timing: 사과 기다려 보세요, 배추 and 양파 지금 사세요 (싸요), 무 보통; 사과 (비싸요) has two
  substitutes per 개: 참다래 900원 (−68.9 %) and 배 2,500원 (−13.5 %) against its 2,890원.
- EcoPriceList (친환경 가격, weekly) lags 14 days (> its 10 → warning); the others are current.
- retail prices per region × channel for the custom basket (totals worked out in the tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from spark_jobs.gold import tables as gold
from spark_jobs.serving.duckdb_store import DuckDBStore
from spark_jobs.serving.publish import publish_marts
from spark_jobs.serving.source import MartData
from spark_jobs.table_spec import TableSpec
from testkit.synthetic import arrow_schema

TODAY = dt.date(2026, 11, 30)
PREV = dt.date(2026, 11, 27)
WEEK = dt.date(2026, 11, 23)
DATA_VERSION = "fixture-v1"

REGIONS = {
    "0000": ("전국", None, None),
    "1101": ("서울", 37.5666103, 126.9783882),
    "2100": ("부산", 35.179816, 129.0750223),
    "3111": ("수원", 37.263476, 127.028646),
}
ITEMS = {
    "배추": ("200", "채소류", "211", "배추", "01", "월동", "04", "상품", "1포기"),
    "무": ("200", "채소류", "231", "무", "01", "월동", "04", "상품", "1개"),
    "양파": ("200", "채소류", "245", "양파", "00", "양파", "04", "상품", "1kg"),
    "사과": ("400", "과일류", "411", "사과", "05", "후지", "04", "상품", "10개"),
    "감귤": ("400", "과일류", "415", "감귤", "01", "노지", "04", "상품", "10개"),
    "배": ("400", "과일류", "412", "배", "01", "신고", "04", "상품", "10개"),
    "참다래": ("400", "과일류", "419", "참다래", "01", "국산", "04", "상품", "10개"),
    "대파": ("200", "채소류", "246", "파", "00", "대파", "04", "상품", "1kg"),
    "쌀": ("100", "식량작물", "111", "쌀", "01", "20kg", "04", "상품", "20kg"),
    "쌀중품": ("100", "식량작물", "111", "쌀", "01", "20kg", "05", "중품", "20kg"),
    "삼겹살": ("500", "축산물", "4304", "돼지", "27", "삼겹살", "00", "삼겹살", "100g"),
    "닭": ("500", "축산물", "9901", "닭", "99", "육계(kg)", "00", "육계(kg)", "1kg"),
    "안심1++": ("500", "축산물", "4301", "소", "21", "안심", "01", "1++등급", "100g"),
    "안심1+": ("500", "축산물", "4301", "소", "21", "안심", "02", "1+등급", "100g"),
}
CHANNELS = {"large_retail": "대형마트", "traditional": "전통시장"}

# 배추 in 서울: ten survey days ending today (weekdays); the last jump is the −17.9 % drop.
CABBAGE_DAYS = [dt.date(2026, 11, d) for d in (17, 18, 19, 20, 23, 24, 25, 26, 27, 30)]
CABBAGE_PRICES = [4300, 4280, 4250, 4200, 4150, 4100, 4000, 3950, 4200, 3450]

# Retail prices today per (region, channel): item → price (부산 대형마트 has no 사과).
# 쌀 comes in two grades and sorts first (item_cd 111): the custom basket must not open with both.
RICE = {"쌀": 62000, "쌀중품": 56000}
RETAIL_PRICES = {
    ("1101", "large_retail"): {**RICE, "배추": 3600, "양파": 2900, "사과": 27000},
    ("1101", "traditional"): {**RICE, "배추": 3300, "양파": 3150, "사과": 29500},
    ("2100", "large_retail"): {**RICE, "배추": 3500, "양파": 2850},
    ("2100", "traditional"): {**RICE, "배추": 3200, "양파": 3000, "사과": 28000},
}


def region(cd: str) -> dict[str, Any]:
    """Return the region columns."""
    return {"country_cd": cd, "country_nm": REGIONS[cd][0]}


def coords(cd: str) -> dict[str, Any]:
    """Return the region's coordinates."""
    return {"latitude": REGIONS[cd][1], "longitude": REGIONS[cd][2]}


def item(name: str) -> dict[str, Any]:
    """Return the category and item/kind/rank columns of an item."""
    cat_cd, cat_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm, unit = ITEMS[name]
    return {
        "category_cd": cat_cd,
        "category_nm": cat_nm,
        "item_cd": item_cd,
        "item_nm": item_nm,
        "kind_cd": kind_cd,
        "kind_nm": kind_nm,
        "rank_cd": rank_cd,
        "rank_nm": rank_nm,
        "unit": unit,
    }


def change(price: float, prev: float) -> dict[str, Any]:
    """Return price, prev_price, change_pr and change_pct (1 decimal), as the top-3 marts define them."""
    return {
        "price": float(price),
        "prev_price": float(prev),
        "prev_dt": PREV,
        "change_pr": float(price - prev),
        "change_pct": round((price - prev) / prev * 100, 1),
    }


def _top3(rows: Iterable[tuple[dt.date, str, int, str, float, float]]) -> list[dict[str, Any]]:
    return [
        {"res_dt": day, **region(cd), "rank_no": rank, **item(name), **change(price, prev)}
        for day, cd, rank, name, price, prev in rows
    ]


def _window_mean(days: list[dt.date], prices: list[float], i: int, span: int) -> float:
    """Mean price over the ``span`` calendar days ending days[i] (survey days only)."""
    start = days[i] - dt.timedelta(days=span - 1)
    values = [p for d, p in zip(days[: i + 1], prices[: i + 1], strict=True) if d >= start]
    return sum(values) / len(values)


# The other series of mart_price_trend: (region, item, previous survey day's price, today's).
# With 배추 (4,200 → 3,450) they give 서울's latest changes: falls 배추 −17.9 %, 무 −12.5 %,
# 양파 −5.4 %; rises 사과 +11.2 %, 감귤 +8.0 %; 대파 flat → 내렸어요 3, 올랐어요 2, 그대로예요 1.
TREND_PAIRS = [
    ("1101", "무", 2400, 2100),
    ("1101", "양파", 3150, 2980),  # (2980 − 3150) / 3150 = −0.05397
    ("1101", "사과", 26000, 28900),
    ("1101", "감귤", 5000, 5400),
    ("1101", "대파", 3000, 3000),
    ("0000", "양파", 3500, 3020),  # −13.7 %
    ("0000", "감귤", 5100, 5600),  # +9.8 %
]


def trend_pairs(
    pairs: Iterable[tuple[str, str, float, float]], prev: dt.date = PREV, today: dt.date = TODAY
) -> list[dict[str, Any]]:
    """Return two mart_price_trend rows (``prev``, ``today``) per (region, item, prev price, price)."""
    return [
        {"res_dt": day, **region(cd), **item(name), "price": float(price)}
        for cd, name, before, after in pairs
        for day, price in ((prev, before), (today, after))
    ]


def mart_rows() -> dict[str, list[dict[str, Any]]]:
    """Return the hand-written rows of every gold mart, keyed by mart name."""
    updated = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    rows: dict[str, list[dict[str, Any]]] = {}
    rows[gold.MART_PRICE_DROP_TOP3.name] = _top3(
        [
            (TODAY, "1101", 1, "배추", 3450, 4200),  # −17.9 %
            (TODAY, "1101", 2, "무", 2100, 2400),  # −12.5 %
            (TODAY, "1101", 3, "양파", 2980, 3150),  # −5.4 %
            (PREV, "1101", 1, "사과", 26000, 28600),  # older day: must not show
            (TODAY, "0000", 1, "양파", 3020, 3500),  # −13.7 %
        ]
    )
    rows[gold.MART_PRICE_RISE_TOP3.name] = _top3(
        [
            (TODAY, "1101", 1, "사과", 28900, 26000),  # +11.2 %
            (TODAY, "1101", 2, "감귤", 5400, 5000),  # +8.0 %
            (TODAY, "0000", 1, "감귤", 5600, 5100),  # +9.8 %
        ]
    )
    rows[gold.MART_PRICE_REGION_COUNT.name] = [
        {
            "res_dt": TODAY,
            **region("1101"),
            "up_cnt": 7,
            "down_cnt": 12,
            "flat_cnt": 5,
            "total_cnt": 24,
        },
        {
            "res_dt": PREV,
            **region("1101"),
            "up_cnt": 10,
            "down_cnt": 3,
            "flat_cnt": 11,
            "total_cnt": 24,
        },
        {
            "res_dt": TODAY,
            **region("0000"),
            "up_cnt": 9,
            "down_cnt": 10,
            "flat_cnt": 5,
            "total_cnt": 24,
        },
    ]
    status = [
        ("dailyPriceByCategoryList", "stg_daily_category_price", TODAY, 1200, 17, 0),
        ("periodRetailProductList", "stg_daily_market_price", TODAY, 5400, 24, 0),
        ("EcoPriceList", "stg_daily_eco_price", dt.date(2026, 11, 16), 300, 8, 14),
    ]
    rows[gold.MART_UPDATE_STATUS.name] = [
        {
            "source_nm": s,
            "table_nm": t,
            "latest_dt": d,
            "row_cnt": n,
            "region_cnt": r,
            "lag_days": lag,
            "as_of_dt": TODAY,
            "data_version": DATA_VERSION,
            "updated_at": updated,
            "source_version": f"{s[:8].lower():0<16}"[:16],
        }
        for s, t, d, n, r, lag in status
    ]
    season = [
        ("배추", "1101", 3450, -8.5, 2, 3),
        ("배추", "2100", 3300, -5.0, 1, 3),
        ("배추", "3111", 3600, 2.0, 3, 3),
    ]
    season += [("사과", "1101", 28900, 12.0, 2, 2), ("사과", "2100", 27500, 6.0, 1, 2)]
    rows[gold.MART_SEASON_REGION_PRODUCT.name] = [
        {
            "res_dt": TODAY,
            "month": 11,
            "season_nm": "가을",
            **region(cd),
            **coords(cd),
            **item(name),
            "price": float(price),
            "price_1y": round(price / (1 + yoy / 100), 1),
            "yoy_pct": yoy,
            "national_rank": rank,
            "region_cnt": n,
        }
        for name, cd, price, yoy, rank, n in season
    ]
    rows[gold.MART_RETAIL_PRICE_LATEST.name] = [
        {
            "res_dt": TODAY,
            **region(cd),
            "channel_cd": ch,
            "channel_nm": CHANNELS[ch],
            **{k: v for k, v in item(name).items()},
            "price": float(price),
            "market_cnt": 2,
        }
        for (cd, ch), prices in RETAIL_PRICES.items()
        for name, price in prices.items()
    ]
    channel = [
        ("배추", 3550, 3250),
        ("양파", 2875, 3075),
        ("무", 2200, 2000),
        ("사과", 27000, 28750),
        ("감귤", 5200, 5600),
    ]
    rows[gold.MART_RETAIL_CHANNEL_COMPARISON.name] = [
        {
            "res_dt": TODAY,
            **region("0000"),
            **item(name),
            "large_retail_price": float(large),
            "large_retail_cnt": 2,
            "traditional_price": float(trad),
            "traditional_cnt": 2,
            "diff_pr": float(large - trad),
            "diff_pct": round((large - trad) / trad * 100, 1),
            "cheaper_channel_cd": "large_retail" if large < trad else "traditional",
            "cheaper_channel_nm": CHANNELS["large_retail" if large < trad else "traditional"],
        }
        for name, large, trad in channel
    ]
    regional = [("배추", "1101", 3450, 2), ("배추", "2100", 3350, 1), ("배추", "3111", 3550, 3)]
    regional += [("양파", "1101", 3025, 2), ("양파", "2100", 2925, 1)]
    national = {"배추": 3450.0, "양파": 2975.0}  # (3450 + 3350 + 3550) / 3; (3025 + 2925) / 2
    rows[gold.MART_RETAIL_REGION_COMPARISON.name] = [
        {
            "res_dt": TODAY,
            **region(cd),
            **coords(cd),
            **item(name),
            "price": float(price),
            "market_cnt": 2,
            "national_avg_price": national[name],
            "diff_pct": round((price - national[name]) / national[name] * 100, 1),
            "region_rank": rank,
        }
        for name, cd, price, rank in regional
    ]
    eco = [
        ("배추", "대형마트", 5200, 5000, 5400, 3, "생협", 6.1),  # 300 / 4900
        ("배추", "백화점", 6800, 6500, 7100, 2, "생협", 38.8),  # 1900 / 4900
        ("배추", "생협", 4900, 4800, 5000, 2, "생협", 0.0),
        ("사과", "대형마트", 35000, 34000, 36000, 2, "대형마트", 0.0),
        ("사과", "전문점", 42000, 41000, 43000, 1, "대형마트", 20.0),  # 7000 / 35000
    ]
    rows[gold.MART_ECO_PRICE_BY_STORE_TYPE.name] = [
        {
            "week_start_dt": WEEK,
            **item(name),
            "rank_cd": "07",
            "rank_nm": "유기농",
            "store_type_nm": store,
            "avg_price": float(avg),
            "min_price": float(lo),
            "max_price": float(hi),
            "market_cnt": n,
            "cheapest_store_type_nm": cheapest,
            "gap_pct": gap,
        }
        for name, store, avg, lo, hi, n, cheapest, gap in eco
    ]
    premium = [
        ("0000", "배추", 5200, 3680, "1포기", 41.3),
        ("0000", "사과", 3500, 2800, "1개", 25.0),
        ("1101", "배추", 5100, 3700, "1포기", 37.8),
    ]
    rows[gold.MART_ECO_PREMIUM.name] = [
        {
            "week_start_dt": WEEK,
            **region(cd),
            **{k: v for k, v in item(name).items() if k not in ("rank_cd", "rank_nm", "unit")},
            "eco_rank_cd": "07",
            "eco_rank_nm": "유기농",
            "base_unit": unit,
            "eco_unit_price": float(eco_p),
            "conventional_unit_price": float(conv),
            "premium_pct": pct,  # (eco / conv − 1) × 100: 5200/3680 → 41.3, 3500/2800 → 25.0, 5100/3700 → 37.8
            "eco_obs_cnt": 3,
            "conventional_obs_cnt": 5,
        }
        for cd, name, eco_p, conv, unit, pct in premium
    ]
    band_rows, trend_rows = [], []
    for i, (day, price) in enumerate(zip(CABBAGE_DAYS, CABBAGE_PRICES, strict=True)):
        last = i == len(CABBAGE_DAYS) - 1
        trend_rows.append(
            {
                "res_dt": day,
                **region("1101"),
                **item("배추"),
                "price": float(price),
                "ma7": round(_window_mean(CABBAGE_DAYS, CABBAGE_PRICES, i, 7), 1),
                "ma28": round(_window_mean(CABBAGE_DAYS, CABBAGE_PRICES, i, 28), 1),
                "price_1m": 4312.5 if last else None,
                "mom_pct": -20.0 if last else None,  # (3450 − 4312.5) / 4312.5 = −0.2
                "price_1y": 3770.5 if last else None,
                "yoy_pct": -8.5 if last else None,  # (3450 − 3770.5) / 3770.5 = −0.0850
                "normal_price": 3800.0,
            }
        )
        band_rows.append(
            {
                "res_dt": day,
                **region("1101"),
                **item("배추"),
                "price": float(price),
                "normal_price": 3800.0,
                "band_min": 3300.0,
                "band_max": 4300.0,
                "years_used": 5,
                "price_index": round(price / 3800 * 100, 1),
                "api_normal_price": 3750.0,
                "normal_diff_pct": 1.3,
            }
        )
    trend_rows += trend_pairs(TREND_PAIRS)
    trend_rows.append(
        {"res_dt": TODAY, **region("0000"), **item("배추"), "price": 3480.0, "ma7": 3480.0}
    )
    rows[gold.MART_PRICE_TREND.name] = trend_rows
    rows[gold.MART_PRICE_NORMAL_BAND.name] = band_rows
    signals = [
        ("배추", 3450, 8.0, "cheap", "싸요", "1년 중 하위 8% 가격이에요"),
        ("양파", 2980, 20.0, "cheap", "싸요", "1년 중 하위 20% 가격이에요"),
        ("무", 2100, 45.0, "normal", "보통", "평소 수준이에요"),
        ("사과", 28900, 93.0, "expensive", "비싸요", "1년 중 상위 7% 가격이에요"),
    ]
    rows[gold.MART_BUY_SIGNAL.name] = [
        {
            "res_dt": TODAY,
            **region("1101"),
            **item(name),
            "price": float(price),
            "percentile": pctl,
            "price_index": None,
            "trend_pct": None,
            "signal_cd": cd,
            "signal_nm": nm,
            "reason_txt": why,
        }
        for name, price, pctl, cd, nm, why in signals
    ] + [
        {
            "res_dt": TODAY,
            **region("0000"),
            **item("배추"),
            "price": 3480.0,
            "percentile": 50.0,
            "signal_cd": "normal",
            "signal_nm": "보통",
            "reason_txt": "평소 수준이에요",
        }
    ]
    alerts = [
        (PREV, "사과", 26000, "band_high", "평년보다 비싸요", 2, "평년 범위 위로 올라갔어요"),
        (TODAY, "배추", 3450, "z_low", "갑자기 내렸어요", 3, "평소보다 크게 내렸어요"),
        (TODAY, "무", 2100, "band_low", "평년보다 싸요", 1, "평년 범위 아래예요"),
    ]
    rows[gold.MART_PRICE_ALERTS.name] = [
        {
            "res_dt": day,
            **region("1101"),
            **item(name),
            "price": float(price),
            "baseline_price": None,
            "z_score": None,
            "alert_cd": cd,
            "alert_nm": nm,
            "severity": sev,
            "alert_txt": txt,
        }
        for day, name, price, cd, nm, sev, txt in alerts
    ]
    baskets = [
        ("kimjang", "김장 바구니", "1101", "traditional", 48500, 3, 3, 1),
        ("kimjang", "김장 바구니", "2100", "traditional", 49800, 3, 3, 2),
        ("kimjang", "김장 바구니", "1101", "large_retail", 52000, 3, 3, 3),
        ("kimjang", "김장 바구니", "2100", "large_retail", 53000, 3, 3, 4),
        ("fruit", "과일 바구니", "1101", "large_retail", 32200, 2, 2, 1),
        ("fruit", "과일 바구니", "1101", "traditional", 35100, 2, 2, 2),
    ]
    rows[gold.MART_BASKET_COST.name] = [
        {
            "res_dt": TODAY,
            "basket_cd": b,
            "basket_nm": nm,
            **region(cd),
            "channel_cd": ch,
            "channel_nm": CHANNELS[ch],
            "total_cost": float(total),
            "item_cnt": n,
            "priced_item_cnt": priced,
            "cheapest_rank": rank,
            "is_cheapest": rank == 1,
            "is_complete": priced == n,
            "substituted_item_cnt": 0,
        }
        for b, nm, cd, ch, total, n, priced, rank in baskets
    ]
    rows[gold.MART_VOLATILITY.name] = [
        {
            "res_dt": TODAY,
            **region("1101"),
            **item("배추"),
            "cv_4w_pct": 6.2,
            "cv_52w_pct": 18.4,
            "obs_4w": 10,
            "obs_52w": 240,
        }
    ]
    rows.update(forecast_rows())
    return rows


# (item, horizon, forecast, lo 80, hi 80, change %, backtest MAPE %, usable) in 서울 as of TODAY;
# the last week is TODAY's (a Monday): 배추 3,450, 사과 28,900, 무 2,100.
FORECASTS = [
    ("배추", 1, 3380.0, 3150.0, 3610.0, -2.0, 3.2, True),  # (3380 − 3450) / 3450 = −0.0203
    ("배추", 2, 3330.0, 3020.0, 3640.0, -3.5, 5.4, True),  # −0.0348
    ("배추", 4, 3600.0, 3000.0, 4200.0, 4.3, 11.0, False),  # did not beat the last value
    ("사과", 1, 27800.0, 26500.0, 29100.0, -3.8, 4.1, True),
    ("사과", 2, 26600.0, 25000.0, 28200.0, -8.0, 5.0, True),  # (26600 − 28900) / 28900 = −0.0796
    ("사과", 4, 27000.0, 24500.0, 29500.0, -6.6, 7.9, True),
    ("무", 1, 2150.0, 1900.0, 2400.0, 2.4, 9.0, False),
    ("무", 2, 2200.0, 1850.0, 2550.0, 4.8, 12.0, False),
    ("무", 4, 2250.0, 1800.0, 2700.0, 7.1, 15.0, False),
]
LAST_PRICE = {"배추": 3450.0, "사과": 28900.0, "무": 2100.0}
# (item, signal_cd, signal_nm, timing_cd, timing_nm, horizon, expected price, change %, reason)
TIMINGS = [
    ("사과", "expensive", "비싸요", "wait", "기다려 보세요", 2, 26600.0, -8.0,
     "2주 뒤 약 8% 내릴 것으로 보여요, 지난 1년 예측 오차 5%"),
    ("배추", "cheap", "싸요", "buy_now", "지금 사세요", None, None, None,
     "싸요: 1년 중 하위 8% 가격이에요"),
    ("양파", "cheap", "싸요", "buy_now", "지금 사세요", None, None, None,
     "싸요: 1년 중 하위 20% 가격이에요"),
    ("무", "normal", "보통", "normal", "보통", None, None, None, "보통: 평소 수준이에요"),
]  # fmt: skip
TODAY_PRICE = {"배추": 3450.0, "양파": 2980.0, "무": 2100.0, "사과": 28900.0}
# 사과 28,900원/10개 = 2,890원/개; (substitute, rank, price per 10개, signal_cd, signal_nm, saving %)
SUBSTITUTES = [
    ("참다래", 1, 9000.0, "cheap", "싸요", 68.9),  # 900원/개: (2890 − 900) / 2890 = 0.6886
    ("배", 2, 25000.0, "normal", "보통", 13.5),  # 2,500원/개: (2890 − 2500) / 2890 = 0.1349
]


def forecast_rows() -> dict[str, list[dict[str, Any]]]:
    """Return the four forecast marts of the fixture store (see FORECASTS, TIMINGS, SUBSTITUTES)."""
    target = {h: TODAY + dt.timedelta(weeks=h) for h in (1, 2, 4)}
    forecast = [
        {
            "as_of_dt": TODAY,
            **region("1101"),
            **item(name),
            "horizon_weeks": h,
            "last_week_start_dt": TODAY,
            "last_price": LAST_PRICE[name],
            "target_week_start_dt": target[h],
            "forecast_price": f,
            "lo_80_price": lo,
            "hi_80_price": hi,
            "change_pct": chg,
            "model_nm": "AutoETS",
            "weeks_used": 104,
            "usable": usable,
            "backtest_mape_pct": mape,
            "backtest_coverage_pct": 80.0,
        }
        for name, h, f, lo, hi, chg, mape, usable in FORECASTS
    ]
    backtest = [
        {
            "as_of_dt": TODAY,
            **{k: v for k, v in r.items() if k in ("country_cd", "country_nm")},
            **item(name),
            "horizon_weeks": h,
            "model_nm": "AutoETS",
            "weeks_used": 104,
            "origin_cnt": 26,
            "model_mape_pct": mape,
            "coverage_pct": 80.0,
            "naive_mape_pct": 10.5,
            "seasonal_mape_pct": None,
            "seasonal_origin_cnt": 0,
            "usable": usable,
        }
        for r, (name, h, *_, mape, usable) in zip(forecast, FORECASTS, strict=True)
    ]
    timing = [
        {
            "as_of_dt": TODAY,
            "res_dt": TODAY,
            **region("1101"),
            **item(name),
            "price": TODAY_PRICE[name],
            "signal_cd": sig_cd,
            "signal_nm": sig_nm,
            "timing_cd": t_cd,
            "timing_nm": t_nm,
            "horizon_weeks": h,
            "expected_price": exp_p,
            "expected_change_pct": chg,
            "backtest_mape_pct": 5.0 if h else None,
            "reason_txt": why,
        }
        for name, sig_cd, sig_nm, t_cd, t_nm, h, exp_p, chg, why in TIMINGS
    ]
    apple = item("사과")
    subs = [
        {
            "as_of_dt": TODAY,
            "res_dt": TODAY,
            **region("1101"),
            **apple,
            "price": 28900.0,
            "group_cd": "table_fruit",
            "group_nm": "후식 과일(개 단위)",
            "base_unit": "개",
            "unit_price": 2890.0,
            "rank_no": rank,
            **{f"sub_{k}": v for k, v in item(name).items() if k[:4] in ("item", "kind", "rank")},
            "sub_unit": "10개",
            "sub_price": price,
            "sub_unit_price": price / 10,
            "sub_signal_cd": sig_cd,
            "sub_signal_nm": sig_nm,
            "saving_pct": saving,
        }
        for name, rank, price, sig_cd, sig_nm, saving in SUBSTITUTES
    ]
    return {
        gold.MART_PRICE_FORECAST.name: forecast,
        gold.MART_FORECAST_BACKTEST.name: backtest,
        gold.MART_BUY_TIMING.name: timing,
        gold.MART_SUBSTITUTES.name: subs,
    }


SAT = dt.date(2026, 11, 28)  # a Saturday: livestock is surveyed, produce is not
FRI = dt.date(2026, 11, 27)
THU = dt.date(2026, 11, 26)
# 서울's retail series around the Saturday: (item, day before, price, day, price).
# 사과 was last priced on 11-20, outside the 7 days ending 11-28, so it is not "today" any more.
SAT_TREND = [
    ("배추", THU, 4000, FRI, 3400),  # −15.0 % (Friday)
    ("무", THU, 2000, FRI, 2100),  # +5.0 % (Friday)
    ("양파", THU, 3000, FRI, 3000),  # flat (Friday)
    ("삼겹살", FRI, 2500, SAT, 2600),  # +4.0 %
    ("닭", FRI, 6000, SAT, 5700),  # −5.0 %
    ("안심1++", FRI, 14000, SAT, 14420),  # +3.0 %
    ("안심1+", FRI, 11000, SAT, 10560),  # −4.0 %
    ("사과", dt.date(2026, 11, 19), 28000, dt.date(2026, 11, 20), 30000),  # too old
]
# (day, item, percentile, signal_cd, signal_nm) of mart_buy_signal in 서울.
SAT_SIGNALS = [
    (FRI, "배추", 10.0, "cheap", "싸요"),
    (FRI, "무", 50.0, "normal", "보통"),
    (FRI, "양파", 40.0, "normal", "보통"),
    (FRI, "삼겹살", 60.0, "normal", "보통"),
    (FRI, "닭", 55.0, "normal", "보통"),
    (FRI, "안심1++", 50.0, "normal", "보통"),
    (FRI, "안심1+", 50.0, "normal", "보통"),
    (SAT, "삼겹살", 90.0, "expensive", "비싸요"),
    (SAT, "닭", 15.0, "cheap", "싸요"),
    (SAT, "안심1++", 85.0, "expensive", "비싸요"),
    (SAT, "안심1+", 20.0, "cheap", "싸요"),
    (dt.date(2026, 11, 20), "사과", 95.0, "expensive", "비싸요"),
]


def saturday_rows() -> dict[str, list[dict[str, Any]]]:
    """Return the marts as a publish on Saturday 2026-11-28 leaves them for 서울 (see SAT_TREND).

    The day-level marts (top 3, region counts) hold what the pipeline computes per day: on the
    Saturday only the livestock moves. Each item's latest survey day tells a different story:
    내렸어요 3 (배추, 닭, 안심 1+), 올랐어요 3 (무, 삼겹살, 안심 1++), 그대로예요 1 (양파);
    top falls 배추 −15.0 % (금), 닭 −5.0 %, 안심 1+ −4.0 %; top rises 무 +5.0 % (금), 삼겹살 +4.0 %,
    안심 1++ +3.0 %; signals 싸요 3 (배추 금, 닭, 안심 1+), 보통 2 (양파 금, 무 금), 비싸요 2.
    Freshness: category prices current, market prices 1 day, the weekly eco prices 7 days old.
    """
    rows = mart_rows()
    for name in forecast_rows():  # the forecast marts are as of Monday 11-30: not in this store
        del rows[name]
    prices = {(name, d): p for name, d0, p0, d1, p1 in SAT_TREND for d, p in ((d0, p0), (d1, p1))}
    rows[gold.MART_PRICE_TREND.name] = [
        {"res_dt": d, **region("1101"), **item(name), "price": float(p)}
        for (name, d), p in sorted(prices.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    by_day: dict[dt.date, list[tuple[str, float, float]]] = {}
    prev_day = {name: d0 for name, d0, _, _, _ in SAT_TREND}
    for name, _, p0, d1, p1 in SAT_TREND:
        by_day.setdefault(d1, []).append((name, p1, p0))

    def top3(day: dt.date, rising: bool) -> list[dict[str, Any]]:
        moved = [(n, p, b) for n, p, b in by_day.get(day, []) if (p > b if rising else p < b)]
        moved.sort(key=lambda t: (t[1] - t[2]) / t[2], reverse=rising)
        return [
            {
                "res_dt": day,
                **region("1101"),
                "rank_no": i,
                **item(n),
                **change(p, b),
                "prev_dt": prev_day[n],
            }
            for i, (n, p, b) in enumerate(moved[:3], start=1)
        ]

    rows[gold.MART_PRICE_DROP_TOP3.name] = top3(FRI, False) + top3(SAT, False)
    rows[gold.MART_PRICE_RISE_TOP3.name] = top3(FRI, True) + top3(SAT, True)
    rows[gold.MART_PRICE_REGION_COUNT.name] = [
        {
            "res_dt": day,
            **region("1101"),
            "up_cnt": sum(p > b for _, p, b in moved),
            "down_cnt": sum(p < b for _, p, b in moved),
            "flat_cnt": sum(p == b for _, p, b in moved),
            "total_cnt": len(moved),
        }
        for day, moved in sorted(by_day.items())
    ]
    rows[gold.MART_BUY_SIGNAL.name] = [
        {
            "res_dt": day,
            **region("1101"),
            **item(name),
            "price": float(prices[(name, day)]),
            "percentile": pctl,
            "signal_cd": cd,
            "signal_nm": nm,
            "reason_txt": "지난 30일 가격과 비교했어요",
            "obs_365": 30,
        }
        for day, name, pctl, cd, nm in SAT_SIGNALS
    ]
    for r in rows[gold.MART_PRICE_ALERTS.name]:
        r["res_dt"] = FRI if r["res_dt"] == TODAY else THU
    status = [
        ("dailyPriceByCategoryList", "stg_daily_category_price", SAT, 0),
        ("periodRetailProductList", "stg_daily_market_price", FRI, 1),
        ("EcoPriceList", "stg_daily_eco_price", dt.date(2026, 11, 21), 7),
    ]
    template = rows[gold.MART_UPDATE_STATUS.name][0]
    rows[gold.MART_UPDATE_STATUS.name] = [
        {
            **template,
            "source_nm": s,
            "table_nm": t,
            "latest_dt": d,
            "lag_days": lag,
            "as_of_dt": SAT,
        }
        for s, t, d, lag in status
    ]
    return rows


JUNE = dt.date(2026, 6, 5)  # a Friday in June: 가을 배추 and 가을 무 are not surveyed
KIMJANG_NM = "김장 장바구니 (배추 10포기)"
SPRING_SUBS = "배추 가을→봄, 무 가을→봄"
# (region, channel, total, priced lines of 8, rank, substitute_txt, missing_txt) on JUNE.
# 부산 대형마트 has no 배추 of any allowed kind: without its 10 heads it looks ₩37,400 cheaper
# than the cheapest complete basket (95,700 − 58,300); it is marked and not ranked.
JUNE_KIMJANG = [
    ("2100", "traditional", 95700, 8, 1, SPRING_SUBS, None),
    ("1101", "traditional", 98400, 8, 2, SPRING_SUBS, None),
    ("3111", "large_retail", 101200, 8, 3, "배추 가을→여름(고랭지), 무 가을→봄", None),
    ("1101", "large_retail", 104900, 8, 4, "배추 가을→봄, 무 가을→월동", None),
    ("2100", "large_retail", 58300, 7, 0, "무 가을→봄", "배추 가을"),
]


def june_rows() -> dict[str, list[dict[str, Any]]]:
    """Return the fixture marts with the June 김장 basket of ``JUNE_KIMJANG`` as mart_basket_cost."""
    rows = mart_rows()
    rows[gold.MART_BASKET_COST.name] = [
        {
            "res_dt": JUNE,
            "basket_cd": "kimjang",
            "basket_nm": KIMJANG_NM,
            **region(cd),
            "channel_cd": ch,
            "channel_nm": CHANNELS[ch],
            "total_cost": float(total),
            "item_cnt": 8,
            "priced_item_cnt": priced,
            "cheapest_rank": rank,
            "is_cheapest": rank == 1,
            "is_complete": priced == 8,
            "substituted_item_cnt": subs.count("→"),
            "substitute_txt": subs,
            "missing_txt": missing,
        }
        for cd, ch, total, priced, rank, subs, missing in JUNE_KIMJANG
    ]
    return rows


def arrow_table(spec: TableSpec, rows: list[dict[str, Any]]) -> pa.Table:
    """Return ``rows`` as an Arrow table with the mart's schema (columns not given are null)."""
    schema = arrow_schema(spec)
    unknown = {k for r in rows for k in r} - set(schema.names)
    if unknown:
        raise KeyError(f"{spec.name}: unknown columns {sorted(unknown)}")
    return pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in rows], schema=schema)


def build_serving_store(
    path: Path,
    rows: dict[str, list[dict[str, Any]]] | None = None,
    publish_id: str = "20261130T090000.000000Z-fixture0",
) -> Path:
    """Publish the fixture marts (or ``rows``) to a DuckDB serving store at ``path``; return ``path``."""
    rows = mart_rows() if rows is None else rows
    specs = {spec.name: spec for spec in gold.TABLES}
    marts = [MartData(name, arrow_table(specs[name], r), 1) for name, r in rows.items()]
    publish_marts(DuckDBStore(path), marts, publish_id=publish_id)
    return path


@pytest.fixture(scope="session")
def serving_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture serving store (published once per test session)."""
    return build_serving_store(tmp_path_factory.mktemp("serving") / "jangbogi.duckdb")


@pytest.fixture
def serving_env(serving_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app at the fixture store (``JANGBOGI_ENV=local`` + ``JANGBOGI_SERVING_PATH``)."""
    monkeypatch.setenv("JANGBOGI_ENV", "local")
    monkeypatch.setenv("JANGBOGI_SERVING_PATH", str(serving_path))
    yield serving_path


@pytest.fixture(scope="session")
def empty_serving_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A serving store where every mart exists but has no rows."""
    return build_serving_store(
        tmp_path_factory.mktemp("serving_empty") / "jangbogi.duckdb",
        {spec.name: [] for spec in gold.TABLES},
        publish_id="20261130T090000.000000Z-empty000",
    )


@pytest.fixture(scope="session")
def saturday_serving_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Saturday store (``saturday_rows``): produce last surveyed on Friday."""
    return build_serving_store(
        tmp_path_factory.mktemp("serving_sat") / "jangbogi.duckdb",
        saturday_rows(),
        publish_id="20261128T090000.000000Z-saturday",
    )


@pytest.fixture(scope="session")
def june_serving_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The June store (``june_rows``): a 김장 basket out of season, one cell incomplete."""
    return build_serving_store(
        tmp_path_factory.mktemp("serving_june") / "jangbogi.duckdb",
        june_rows(),
        publish_id="20260605T090000.000000Z-june0000",
    )

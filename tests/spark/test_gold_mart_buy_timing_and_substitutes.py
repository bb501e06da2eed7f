"""mart_buy_timing (decision rule cases) and mart_substitutes (in season, cheaper per unit, ≤ 3).

As-of day Sunday 2026-11-29; the signals are from Friday 11-27 (the latest of the 7 days
11-23..11-29). Forecasts are mart_price_forecast rows of 11-29.
"""

from __future__ import annotations

from datetime import date

import pytest

from spark_jobs.gold import mart_buy_timing, mart_substitutes
from spark_jobs.gold._common import frame
from spark_jobs.gold.tables import MART_BUY_SIGNAL, MART_PRICE_FORECAST
from spark_jobs.silver.tables import DIM_SEASON

pytestmark = pytest.mark.spark

AS_OF = date(2026, 11, 29)
FRI = date(2026, 11, 27)
SIGNAL_NM = {"cheap": "싸요", "normal": "보통", "expensive": "비싸요"}


def _sig(item, kind, price, signal, unit="1kg", region="1101", day=FRI, rank="04") -> dict:
    return {
        "res_dt": day,
        "country_cd": region,
        "country_nm": "서울",
        "item_cd": item,
        "item_nm": f"품목{item}",
        "kind_cd": kind,
        "kind_nm": f"품종{kind}",
        "rank_cd": rank,
        "rank_nm": "상품",
        "unit": unit,
        "price": float(price),
        "percentile": 50.0,
        "signal_cd": signal,
        "signal_nm": SIGNAL_NM[signal],
        "reason_txt": "이유",
        "obs_365": 200,
    }


def _fc(item, h, mean, lo, hi, usable=True, mape=5.0, unit="1kg") -> dict:
    return {
        "as_of_dt": AS_OF,
        "country_cd": "1101",
        "item_cd": item,
        "kind_cd": "00",
        "rank_cd": "04",
        "unit": unit,
        "horizon_weeks": h,
        "forecast_price": float(mean),
        "lo_80_price": float(lo),
        "hi_80_price": float(hi),
        "usable": usable,
        "backtest_mape_pct": mape,
    }


def test_buy_timing_rule(spark) -> None:
    signal = frame(
        spark,
        MART_BUY_SIGNAL,
        [
            _sig("211", "00", 900, "cheap", day=date(2026, 11, 26)),  # older than Friday's row
            _sig("211", "00", 1000, "expensive"),
            _sig("212", "00", 2000, "normal"),
            _sig("213", "00", 500, "cheap"),
            _sig("213", "00", 300, "cheap", day=date(2026, 11, 20)),  # before the 7 days
            _sig("214", "00", 800, "expensive"),
            _sig("215", "00", 100, "cheap"),
        ],
    )
    forecast = frame(
        spark,
        MART_PRICE_FORECAST,
        [
            # 211 (today 1000): h1 −5 % but upper end +1 % → no; h2 −8 %, upper end −1 % → fall;
            # h4 −10 % but upper end +2 % → no. → wait, citing h2 (MAPE 5 → '5%')
            _fc("211", 1, 950, 900, 1010),
            _fc("211", 2, 920, 860, 990),
            _fc("211", 4, 900, 780, 1020),
            # 212 (2000, 보통): h1 +6 %, lower end +0.5 % → rise; h2 +10 % but lower end −0.5 % → no
            #   → buy_now citing h1 (MAPE 3.4 → '3%')
            _fc("212", 1, 2120, 2010, 2230, mape=3.4),
            _fc("212", 2, 2200, 1990, 2400, mape=3.4),
            # 213 (500, 싸요): a −20 % forecast that is not usable is ignored → buy_now on 싸요
            _fc("213", 2, 400, 350, 450, usable=False),
            # 214 (800, 비싸요): a usable −25 % forecast, but for the 500g series → ignored → 보통
            _fc("214", 1, 600, 500, 700, unit="500g"),
            # 215 (100, 싸요): usable h4 −10 %, upper end exactly today's price (0 %) → wait
            _fc("215", 4, 90, 80, 100, mape=0.4),
        ],
    )
    out = {r["item_cd"]: r for r in mart_buy_timing.transform(signal, forecast, AS_OF).collect()}
    assert sorted(out) == ["211", "212", "213", "214", "215"]
    got = {
        k: (
            r["timing_cd"],
            r["timing_nm"],
            r["horizon_weeks"],
            r["expected_change_pct"],
            r["lo_change_pct"],
            r["hi_change_pct"],
            r["reason_txt"],
        )
        for k, r in out.items()
    }
    assert got == {
        "211": (
            "wait",
            "기다려 보세요",
            2,
            -8.0,
            -14.0,
            -1.0,
            "2주 뒤 약 8% 내릴 것으로 보여요, 지난 1년 예측 오차 5%",
        ),
        "212": (
            "buy_now",
            "지금 사세요",
            1,
            6.0,
            0.5,
            11.5,
            "1주 뒤 약 6% 오를 것으로 보여요, 지난 1년 예측 오차 3%",
        ),
        "213": ("buy_now", "지금 사세요", None, None, None, None, "싸요: 이유"),
        "214": ("normal", "보통", None, None, None, None, "비싸요: 이유"),
        "215": (
            "wait",
            "기다려 보세요",
            4,
            -10.0,
            -20.0,
            0.0,
            "4주 뒤 약 10% 내릴 것으로 보여요, 지난 1년 예측 오차 0.4%",
        ),
    }
    assert out["211"]["res_dt"] == FRI and out["211"]["price"] == 1000.0
    assert out["211"]["expected_price"] == 920.0 and out["211"]["as_of_dt"] == AS_OF


GROUPS = (
    [
        {"group_cd": "cabbage", "group_nm": "배추류", "item_cd": i, "kind_cd": None}
        for i in ("211", "212", "215", "279")
    ]
    + [
        {"group_cd": "pork", "group_nm": "돼지고기 부위", "item_cd": "4304", "kind_cd": k}
        for k in ("25", "27", "28", "29", "68", "99")
    ]
    + [{"group_cd": "pork", "group_nm": "돼지고기 부위", "item_cd": "4402", "kind_cd": "27"}]
)

SEASON = [
    # 배추 봄(01) and 월동(06) are listed for November; 양배추 only for March;
    # 알배기배추 and 얼갈이배추 for November; pork is not in the calendar at all
    {
        "item_cd": "211",
        "kind_cd": "01",
        "item_nm": "배추",
        "kind_nm": "봄",
        "month": 11,
        "season_nm": "가을",
    },
    {
        "item_cd": "211",
        "kind_cd": "06",
        "item_nm": "배추",
        "kind_nm": "월동",
        "month": 11,
        "season_nm": "가을",
    },
    {
        "item_cd": "212",
        "kind_cd": None,
        "item_nm": "양배추",
        "kind_nm": "양배추",
        "month": 3,
        "season_nm": "봄",
    },
    {
        "item_cd": "279",
        "kind_cd": None,
        "item_nm": "알배기배추",
        "kind_nm": "알배기배추",
        "month": 11,
        "season_nm": "가을",
    },
    {
        "item_cd": "215",
        "kind_cd": None,
        "item_nm": "얼갈이배추",
        "kind_nm": "얼갈이배추",
        "month": 11,
        "season_nm": "가을",
    },
]


def test_substitutes_are_in_season_cheaper_per_unit_and_at_most_three(spark) -> None:
    signal = frame(
        spark,
        MART_BUY_SIGNAL,
        [
            # 서울 배추 봄 5000 per 포기 is 비싸요
            _sig("211", "01", 5000, "expensive", unit="1포기"),
            # 배추 월동 is in season and cheaper, but the group lists 배추 as a whole: the same
            # item does not stand in for itself
            _sig("211", "06", 4000, "normal", unit="1포기"),
            _sig("212", "00", 3000, "normal", unit="1포기"),  # 양배추: out of season (March)
            _sig("215", "00", 1000, "cheap", unit="1kg"),  # 얼갈이: per kg, cannot meet 포기
            _sig("279", "00", 2500, "cheap", unit="1포기"),  # 알배기 상품
            _sig(
                "279", "00", 2000, "cheap", unit="1포기", rank="05"
            ),  # 알배기 중품: its cheaper rank
            # 서울 삼겹살 2800 per 100g = 28000 per kg is 비싸요
            _sig("4304", "27", 2800, "expensive", unit="100g"),
            _sig("4304", "25", 1500, "normal", unit="100g"),  # 앞다리 15000/kg (4th: cut)
            _sig("4304", "68", 3000, "normal", unit="100g"),  # 목심 30000/kg: dearer
            _sig(
                "4304", "28", 2000, "expensive", unit="100g"
            ),  # 갈비: 비싸요 itself, never offered
            _sig("4304", "99", 12000, "normal", unit="1kg"),  # 12000/kg
            _sig("4304", "29", 13000, "normal", unit="1kg"),  # 13000/kg
            _sig("4402", "27", 1200, "cheap", unit="100g"),  # 수입 삼겹살 12000/kg (tie)
            # 부산 배추 봄 is 비싸요 but nothing there is cheaper per 포기
            _sig("211", "01", 3000, "expensive", unit="1포기", region="2100"),
            _sig("279", "00", 3500, "normal", unit="1포기", region="2100"),
        ],
    )
    season = frame(spark, DIM_SEASON, SEASON)
    groups = spark.createDataFrame(GROUPS, mart_substitutes.GROUP_SCHEMA)
    out = mart_substitutes.transform(signal, season, groups, AS_OF).collect()
    got = sorted(
        (
            r["country_cd"],
            r["item_cd"],
            r["kind_cd"],
            r["rank_no"],
            r["sub_item_cd"],
            r["sub_kind_cd"],
            r["sub_rank_cd"],
            r["base_unit"],
            r["unit_price"],
            r["sub_unit_price"],
            r["saving_pct"],
        )
        for r in out
    )
    assert got == [
        # 배추: only 알배기배추, its 중품 (2000 per 포기): (5000 − 2000) / 5000 = 60 %
        ("1101", "211", "01", 1, "279", "00", "05", "포기", 5000.0, 2000.0, 60.0),
        # 삼겹살 28000/kg: 12000 (4304/99, before 4402 by code), 12000 (4402/27), 13000 (4304/29);
        # savings (28000 − 12000) / 28000 = 57.1 %, (28000 − 13000) / 28000 = 53.6 %
        ("1101", "4304", "27", 1, "4304", "99", "04", "kg", 28000.0, 12000.0, 57.1),
        ("1101", "4304", "27", 2, "4402", "27", "04", "kg", 28000.0, 12000.0, 57.1),
        ("1101", "4304", "27", 3, "4304", "29", "04", "kg", 28000.0, 13000.0, 53.6),
        # 갈비 2000 per 100g = 20000 per kg is 비싸요 too: the same three (앞다리 15000 4th);
        # (20000 − 12000) / 20000 = 40 %, (20000 − 13000) / 20000 = 35 %
        ("1101", "4304", "28", 1, "4304", "99", "04", "kg", 20000.0, 12000.0, 40.0),
        ("1101", "4304", "28", 2, "4402", "27", "04", "kg", 20000.0, 12000.0, 40.0),
        ("1101", "4304", "28", 3, "4304", "29", "04", "kg", 20000.0, 13000.0, 35.0),
    ]
    for r in out:
        assert r["sub_unit_price"] < r["unit_price"] and r["sub_signal_cd"] in ("cheap", "normal")
        assert r["group_nm"] in ("배추류", "돼지고기 부위") and r["as_of_dt"] == AS_OF

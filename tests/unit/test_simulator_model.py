"""The price model: calendar, levels, economics and the cross-API consistency rules.

Aggregates are recomputed here from ``PriceModel.market_price`` (the raw per-market prices)
with plain arithmetic, then compared with what the rendered bodies say.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from statistics import mean

import pytest

from spark_jobs.kamis.survey_calendar import (
    is_eco_survey_day,
    is_holiday,
    is_produce_survey_day,
    minus_months,
)
from spark_jobs.simulator import get_model, render_body
from spark_jobs.simulator.catalog import get_catalog

pytestmark = pytest.mark.unit

SEED = 11
TODAY = date(2026, 6, 5)
AUTH = {"p_cert_key": "k", "p_cert_id": "i", "p_returntype": "json"}


def _num(s: str) -> int | None:
    return None if s == "-" else int(s.replace(",", ""))


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


def _body(action: str, **params: str) -> dict:
    return json.loads(render_body(action, {**AUTH, **params}, SEED, TODAY).body)


def _series(cls: str, item: str, kind: str, rank: str):
    return get_catalog().by_key[(cls, item, kind, rank)]


def _market_mean(s, region: str | None, d: date) -> int | None:
    """Independent 평균: the half-up mean of every market price of the region(s) on ``d``."""
    model = get_model(SEED)
    prices = [
        p
        for m in get_catalog().markets_for(s, region)
        if (p := model.market_price(s, m, d)) is not None
    ]
    return _half_up(sum(prices) / len(prices)) if prices else None


def _normal(s, region: str | None, d: date) -> int | None:
    """Independent 평년: same day of the previous 5 years, drop max and min, mean the rest."""
    years = []
    for k in range(1, 6):
        try:
            prev = d.replace(year=d.year - k)
        except ValueError:
            prev = d.replace(year=d.year - k, day=28)
        if (v := _market_mean(s, region, prev)) is not None:
            years.append(v)
    years.sort()
    if len(years) >= 3:
        years = years[1:-1]
    return _half_up(sum(years) / len(years)) if years else None


def test_holiday_table() -> None:
    for d in ("2019-02-05", "2020-04-15", "2022-03-09", "2023-05-29", "2024-09-17", "2025-10-08",
              "2026-02-17", "2026-05-25", "2026-08-17", "2026-10-05", "2027-02-09", "2027-12-27",
              "2025-01-01", "2024-12-25"):  # fmt: skip
        assert is_holiday(date.fromisoformat(d)), d
    assert not is_holiday(date(2026, 6, 4))
    assert is_produce_survey_day(date(2026, 6, 4)) and not is_produce_survey_day(date(2026, 6, 6))
    assert is_eco_survey_day(date(2026, 6, 2)) and not is_eco_survey_day(date(2026, 6, 3))
    assert minus_months(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_period_average_is_the_rounded_mean_of_the_listed_markets() -> None:
    for region in ("1101", None):
        params = {"p_itemcategorycode": "200", "p_itemcode": "212", "p_kindcode": "00", "p_productrankcode": "04",
                  "p_startday": "2026-05-18", "p_endday": "2026-06-05"}  # fmt: skip
        if region:
            params["p_countrycode"] = region
        rows = _body("periodRetailProductList", **params)["data"]["item"]
        avg = {r["regday"]: _num(r["price"]) for r in rows if r["countyname"] == "평균"}
        by_day: dict[str, list[int]] = {}
        for r in rows:
            if r["countyname"] not in ("평균", "평년") and (p := _num(r["price"])) is not None:
                by_day.setdefault(r["regday"], []).append(p)
        assert avg and set(avg) == set(by_day)
        for day, prices in by_day.items():
            assert avg[day] == _half_up(sum(prices) / len(prices)), day
        if region:
            assert (
                any(_num(r["price"]) is None for r in rows if r["countyname"] == "서울")
                or len(rows) > 0
            )


def test_normal_row_and_dpr7_are_the_trimmed_five_year_mean() -> None:
    s = _series("01", "245", "00", "04")
    rows = _body("periodRetailProductList", p_itemcategorycode="200", p_itemcode="245", p_kindcode="00",
                 p_productrankcode="04", p_startday="2026-06-01", p_endday="2026-06-05",
                 p_countrycode="2200")["data"]["item"]  # fmt: skip
    normals = {r["regday"]: _num(r["price"]) for r in rows if r["countyname"] == "평년"}
    for regday, value in normals.items():
        d = date(2026, int(regday[:2]), int(regday[3:]))
        assert value == _normal(s, "2200", d)
    items = _body("dailyPriceByCategoryList", p_product_cls_code="01", p_item_category_code="200",
                  p_regday="2026-06-04")["data"]["item"]  # fmt: skip
    onion = next(
        it
        for it in items
        if (it["item_code"], it["kind_code"], it["rank_code"]) == ("245", "00", "04")
    )
    assert _num(onion["dpr7"]) == _normal(s, None, date(2026, 6, 4))


@pytest.mark.parametrize("region", [None, "3511"])
def test_category_columns_are_the_average_series_at_the_six_dates(region: str | None) -> None:
    d = date(2026, 6, 4)
    params = {"p_product_cls_code": "01", "p_item_category_code": "400", "p_regday": d.isoformat()}
    if region:
        params["p_country_code"] = region
    items = _body("dailyPriceByCategoryList", **params)["data"]["item"]
    dates = [
        d,
        d - timedelta(1),
        d - timedelta(7),
        d - timedelta(14),
        date(2026, 5, 4),
        date(2025, 6, 4),
    ]
    checked = 0
    for it in items:
        s = _series("01", it["item_code"], it["kind_code"], it["rank_code"])
        for i, day in enumerate(dates, start=1):
            want = _market_mean(s, region, day) if is_produce_survey_day(day) else None
            assert _num(it[f"dpr{i}"]) == want, (it["item_name"], i)
            checked += want is not None
    assert checked > 100
    # and the same number as periodRetailProductList's 평균 for that date
    apple = next(
        it
        for it in items
        if (it["item_code"], it["kind_code"], it["rank_code"]) == ("411", "05", "04")
    )
    period = {"p_itemcategorycode": "400", "p_itemcode": "411", "p_kindcode": "05", "p_productrankcode": "04",
              "p_startday": "2026-05-28", "p_endday": "2026-05-28"}  # fmt: skip
    if region:
        period["p_countrycode"] = region
    rows = _body("periodRetailProductList", **period)["data"]["item"]
    assert next(r["price"] for r in rows if r["countyname"] == "평균") == apple["dpr3"]


def test_daily_county_list_is_latest_survey_day_top_grade() -> None:
    saturday = date(2026, 6, 6)
    doc = json.loads(
        render_body("dailyCountyList", {**AUTH, "p_countycode": "3111"}, SEED, saturday).body
    )
    rows = doc["price"]
    assert {r["lastest_day"] for r in rows} == {"2026-06-05"}  # Saturday → Friday's survey
    cat = json.loads(render_body("dailyPriceByCategoryList", {**AUTH, "p_product_cls_code": "01",
                     "p_item_category_code": "200", "p_country_code": "3111", "p_regday": "2026-06-05"}, SEED, saturday).body)  # fmt: skip
    top: dict = {}
    for it in cat["data"]["item"]:  # 상품 기준: grade 04 where the kind has it, else its only grade
        key = (it["item_name"], it["kind_name"])
        if key not in top or it["rank_code"] == "04":
            top[key] = it
    matched = 0
    for r in rows:
        if r["category_code"] == "200" and r["product_cls_code"] == "01":
            item, kind = r["productName"].split("/", 1)
            it = top[(item, kind)]
            assert r["dpr1"] == it["dpr1"] and r["unit"] == it["unit"]
            # Thursday is both the previous survey day and the calendar day before
            assert r["dpr2"] == it["dpr2"] or (r["dpr2"] == [] and it["dpr2"] == "-")
            matched += 1
    assert matched > 20


def test_eco_average_and_latest_survey_day() -> None:
    doc = _body("EcoPriceList", p_regday="2026-06-04", p_itemcategorycode="200", p_itemcode="225",
                p_kindcode="00", p_productrankcode="08")  # fmt: skip
    items = doc["data"]["item"]
    assert {r["regday"] for r in items} == {"2026-06-02"}  # Thursday → that week's Tuesday survey
    prices = [_num(r["price"]) for r in items[1:]]
    assert _num(items[0]["price"]) == _half_up(sum(prices) / len(prices))


def test_eco_premium_wholesale_discount_and_grade_order() -> None:
    model = get_model(SEED)
    days = [date(2025, 1, 7) + timedelta(7 * k) for k in range(52)]  # Tuesdays
    conv = _series("01", "225", "00", "04")  # 토마토 1kg retail 상품
    eco = _series("eco", "225", "00", "07")  # 토마토 1kg eco 유기농
    whole = _series("02", "225", "00", "04")  # 토마토 5kg wholesale
    mid = _series("01", "225", "00", "05")
    ratio_eco = mean(
        model.average(eco, None, d, True, False) / model.average(conv, None, d, True, False)
        for d in days
    )
    ratio_whole = mean(
        model.average(whole, None, d, True, False) / model.average(conv, None, d, True, False)
        for d in days
    )
    assert 1.2 <= ratio_eco <= 1.6
    assert 0.5 <= ratio_whole <= 0.85
    below = sum(
        model.average(mid, None, d, False, False) < model.average(conv, None, d, False, False)
        for d in days
    )
    assert below == len(days)


def test_realistic_levels_and_seasonality() -> None:
    model = get_model(SEED)
    rice = _series("01", "111", "01", "04")
    assert 40000 <= model.average(rice, None, date(2026, 6, 4)) <= 65000
    cabbage = _series("01", "211", "01", "04")
    assert 2500 <= model.average(cabbage, None, date(2026, 6, 4)) <= 6500
    radish = _series("02", "231", "06", "04")  # available all months it is listed for
    summer = model.level(_series("01", "231", "02", "04"), date(2025, 8, 10))
    spring = model.level(_series("01", "231", "02", "04"), date(2025, 3, 10))
    assert summer > 1.3 * spring  # 무 dear in summer
    assert radish.unit == "20kg"
    apple = _series("01", "411", "05", "04")  # in season Jul–Nov: cheaper in October than in March
    assert model.level(apple, date(2025, 10, 1)) < model.level(apple, date(2025, 3, 1))


def test_markets_missing_sometimes_and_both_channels_everywhere() -> None:
    cat = get_catalog()
    for region in cat.retail_regions:
        channels = {m.channel for m in cat.markets if m.cls == "01" and m.region_code == region}
        assert channels == {"traditional", "large"}, region
    model = get_model(SEED)
    s = _series("01", "223", "02", "04")
    days = [date(2026, 3, 2) + timedelta(k) for k in range(60)]
    vals = [
        model.market_price(s, m, d)
        for m in cat.markets_for(s, None)
        if model.carries(s, m)
        for d in days
    ]
    missing = sum(v is None for v in vals) / len(vals)
    assert 0.02 < missing < 0.12


def test_a_day_is_computable_alone_and_identical_across_models() -> None:
    from spark_jobs.simulator.model import PriceModel

    s = _series("01", "246", "00", "04")
    m = get_catalog().markets_for(s, "1101")[0]
    fresh, warm = PriceModel(SEED), get_model(SEED)
    for d in (date(2019, 3, 4), date(2026, 6, 4), date(2027, 12, 1)):
        assert fresh.market_price(s, m, d) == warm.market_price(s, m, d)

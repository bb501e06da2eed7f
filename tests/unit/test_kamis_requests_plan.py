"""Code tables, per-action parameter spellings, request identity and the request plan."""

from __future__ import annotations

import json
from datetime import date

import pytest

from spark_jobs import sources
from spark_jobs.kamis import codes, plan
from spark_jobs.kamis import requests as kr

pytestmark = pytest.mark.unit

D = date(2026, 6, 4)
COMBO = codes.ItemCombo("200", "245", "양파", "00", "양파", "04")


def test_regions():
    assert len(codes.retail_regions()) == 24 and len(codes.wholesale_regions()) == 5
    assert [r.code for r in codes.wholesale_regions()] == ["1101", "2100", "2200", "2401", "2501"]
    assert (
        codes.region_code("광주") == "2401" and codes.region_code("대전") == "2501"
    )  # not 2500/2400
    assert codes.region_name("3818") == "김해" and codes.region_name("0000") == "전국"
    assert codes.region_code("평균") is None


def test_combos():
    assert len(codes.produce_retail_combos()) == 301
    assert len(codes.eco_combos()) == 114
    assert {c.rank_cd for c in codes.eco_combos()} == {"07", "08"}
    live = codes.livestock_retail_combos()
    # 4301: 5 kinds × 3 grades = 15; 4304: 4; 4401: 5 kinds × 2 = 10; 4402: 1; 9901: 24, 99, 01..08 = 10;
    # 9903: 2 kinds × 2 = 4; 9908: 1 → 45 (31 verified in real responses)
    assert len(live) == 45 and sum(c.verified for c in live) == 31
    assert codes.ItemCombo("500", "9903", "계란", "23", "특란30구", "72") in live
    assert len(set(codes.retail_combos())) == 346
    assert codes.eco_combos()[0] == codes.ItemCombo("100", "111", "쌀", "02", "백미", "07")


def test_rank_and_category_names():
    assert codes.rank_names()["04"] == "상품" and codes.rank_names()["82"] == "호주산"
    assert "00" not in codes.rank_names()
    assert codes.category_names()["500"] == "축산물"


@pytest.mark.parametrize(
    ("req", "expected"),
    [
        (
            kr.daily_price_by_category(D, "01", "200", "1101"),
            {"p_product_cls_code": "01", "p_item_category_code": "200", "p_country_code": "1101", "p_regday": "2026-06-04"},
        ),
        (kr.daily_county("3911", D), {"p_countycode": "3911"}),
        (
            kr.period_retail_product(COMBO, date(2026, 5, 1), D, "1101"),
            {"p_startday": "2026-05-01", "p_endday": "2026-06-04", "p_countrycode": "1101", "p_itemcategorycode": "200",
             "p_itemcode": "245", "p_kindcode": "00", "p_productrankcode": "04"},
        ),
        (
            kr.period_product(COMBO, date(2026, 5, 1), D, "02", "2100"),
            {"p_productclscode": "02", "p_countycode": "2100", "p_itemcategorycode": "200"},
        ),
        (kr.eco_price(COMBO, D, "1101"), {"p_regday": "2026-06-04", "p_countrycode": "1101", "p_itemcategorycode": "200"}),
        (kr.period_eco_price(COMBO, date(2026, 5, 1), D), {"p_startday": "2026-05-01", "p_endday": "2026-06-04"}),
    ],
)  # fmt: skip
def test_parameter_spellings(req, expected):
    for k, v in expected.items():
        assert req.params[k] == v
    wrong = {"p_country_code", "p_countycode", "p_countrycode"} - {
        k for k in expected if "count" in k
    }
    assert not wrong & set(req.params)
    assert req.params["p_returntype"] == "json"


def test_dates_and_partitions():
    r = kr.period_retail_product(COMBO, date(2026, 5, 1), D, "1101")
    assert (r.window_start, r.window_end, r.req_dt) == (date(2026, 5, 1), D, D)
    c = kr.daily_county("1101", D)
    assert (c.window_start, c.window_end, c.req_dt) == (None, None, D)


def test_request_id_is_stable_and_credential_free():
    a = kr.daily_price_by_category(D, "01", "200", "1101")
    b = kr.daily_price_by_category(D, "01", "200", "1101")
    assert a.request_id == b.request_id and len(a.request_id) == 64
    assert a.request_id != kr.daily_price_by_category(D, "01", "200", "2100").request_id
    assert json.loads(a.params_json) == dict(a.params)
    with pytest.raises(ValueError, match="credentials"):
        kr.KamisRequest("productInfo", {"p_cert_key": "x"}, None, None, D)


def test_from_stored_round_trip():
    a = kr.period_retail_product(COMBO, date(2026, 5, 1), D, "1101")
    b = kr.from_stored(a.action, a.params_json, a.window_start, a.window_end, a.req_dt)
    assert b.request_id == a.request_id and b == a


def test_validation():
    with pytest.raises(ValueError, match="region"):
        kr.daily_price_by_category(D, "02", "200", "2300")  # 인천 is retail only
    with pytest.raises(ValueError, match="category"):
        kr.daily_price_by_category(D, "01", "700")
    with pytest.raises(ValueError, match="one year"):
        kr.period_retail_product(COMBO, date(2025, 1, 1), date(2026, 1, 2))
    with pytest.raises(ValueError, match="before"):
        kr.period_eco_price(COMBO, D, date(2026, 1, 1))


def test_split_window():
    # 2024 is a leap year: 366 days per piece
    assert kr.split_window(date(2024, 1, 1), date(2025, 1, 5)) == [
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 1, 5)),
    ]
    assert kr.split_window(D, D) == [(D, D)]


def test_daily_category_plan_counts():
    reqs = plan.daily_price_by_category_plan(D)
    # retail 6 categories × (1 national + 24) = 150; wholesale 6 × (1 + 5) = 36
    assert len(reqs) == 186 and len({r.request_id for r in reqs}) == 186
    retail = [r for r in reqs if r.params["p_product_cls_code"] == "01"]
    assert len(retail) == 150 and sum("p_country_code" not in r.params for r in retail) == 6


def test_month_chunks():
    assert list(plan.month_chunks(date(2025, 12, 20), date(2026, 2, 3))) == [
        (date(2025, 12, 20), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 3)),
    ]


def test_plan_chunk_per_source():
    assert len(sources.plan_chunk(sources.DAILY_PRICE_BY_CATEGORY, date(2026, 6, 1), D)) == 4 * 186
    period = sources.plan_chunk(sources.PERIOD_RETAIL_PRODUCT, date(2026, 6, 1), D)
    # one region-less call per combo; a 4-day chunk is widened back to the last 7 days
    assert len(period) == 346 and {r.req_dt for r in period} == {D}
    assert {(r.window_start, r.window_end) for r in period} == {(date(2026, 5, 29), D)}
    eco_day = sources.plan_chunk(sources.ECO_PRICE, D, D)
    eco_window = sources.plan_chunk(sources.ECO_PRICE, date(2026, 6, 1), D)
    assert {r.action for r in eco_day} == {"EcoPriceList"} and len(eco_day) == 114
    assert {r.action for r in eco_window} == {"periodEcoPriceList"} and len(eco_window) == 114
    assert [r.action for r in sources.plan_chunk(sources.PRODUCT_INFO, date(2026, 6, 1), D)] == [
        "productInfo"
    ]
    county = sources.plan_chunk(sources.DAILY_COUNTY, date(2026, 6, 1), D)
    assert len(county) == 24 and {r.req_dt for r in county} == {D}
    assert sources.chunks_for(sources.DAILY_COUNTY, date(2026, 5, 1), D) == [(D, D)]


def test_requests_per_day():
    counts = {p.source: p.requests for p in sources.requests_per_day()}
    assert counts == {
        "daily_price_by_category_list": 186,
        "daily_county_list": 24,
        "period_retail_product_list": 346,
        "eco_price_list": 114,
        "product_info": 1,
    }
    # 186 + 24 + 346 + 114 + 1; before issue 12 the period source made 346 × 24 = 8,304 calls
    # and the day 186 + 24 + 8,304 + 114 + 1 = 8,629
    assert sum(counts.values()) == 671


def test_period_plan_is_region_less_over_the_correction_window():
    assert plan.CORRECTION_DAYS == 7
    reqs = plan.period_retail_product_plan(D, D)
    # 301 produce + 45 livestock combos, once each: no region parameter in any spelling
    assert len(reqs) == 346 and len({r.request_id for r in reqs}) == 346
    assert not any(
        {"p_countrycode", "p_countycode", "p_country_code"} & set(r.params) for r in reqs
    )
    assert {(r.params["p_startday"], r.params["p_endday"]) for r in reqs} == {
        ("2026-05-29", "2026-06-04")
    }
    assert {r.req_dt for r in reqs} == {D}
    # a chunk of 7 days or more is asked as it is (a backfill month: 31 days, one call per combo)
    month = plan.period_retail_product_plan(date(2026, 5, 1), date(2026, 5, 31))
    assert len(month) == 346
    assert {(r.window_start, r.window_end) for r in month} == {
        (date(2026, 5, 1), date(2026, 5, 31))
    }
    assert plan.correction_window(date(2026, 5, 25), D) == (date(2026, 5, 25), D)
    assert plan.correction_window(date(2026, 6, 3), D) == (date(2026, 5, 29), D)
    # a window longer than a year is split: 2025-01-01..2026-01-02 is 367 days → 366 (to 2026-01-01) + 1
    long = plan.period_retail_product_plan(date(2025, 1, 1), date(2026, 1, 2))
    assert len(long) == 692 and {r.req_dt for r in long} == {date(2026, 1, 1), date(2026, 1, 2)}


def test_region_less_call_is_another_request_than_a_regional_one():
    combo = codes.retail_combos()[0]
    national = kr.period_retail_product(combo, date(2026, 5, 29), D)
    seoul = kr.period_retail_product(combo, date(2026, 5, 29), D, "1101")
    one_day = kr.period_retail_product(combo, D, D)
    assert len({national.request_id, seoul.request_id, one_day.request_id}) == 3
    assert national.req_dt == seoul.req_dt == D


def test_per_region_plan_kept_for_the_benchmark():
    # the plan before issue 12: 346 combos × 24 retail regions, one-day window
    reqs = plan.period_retail_product_plan_per_region(D, D)
    assert len(reqs) == 8304 and len({r.request_id for r in reqs}) == 8304
    assert {r.params["p_countrycode"] for r in reqs} == {r.code for r in codes.retail_regions()}
    assert {(r.window_start, r.window_end) for r in reqs} == {(D, D)}


def test_backfill_months_ask_each_combo_once_per_month():
    from spark_jobs.backfill import month_windows

    # a backfill runs month windows; the collector plans each month as one chunk
    windows = month_windows(date(2026, 1, 15), date(2026, 3, 3))
    reqs = [
        r
        for w in windows
        for c in sources.chunks_for(sources.PERIOD_RETAIL_PRODUCT, *w)
        for r in sources.plan_chunk(sources.PERIOD_RETAIL_PRODUCT, *c)
    ]
    # 3 months × 346 combos = 1,038 calls (the per-region plan: × 24 = 24,912)
    assert len(reqs) == 3 * 346
    assert sorted({(r.window_start, r.window_end) for r in reqs}) == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        # the 3-day last month is widened back to 7 days (re-asks 02-25..02-28)
        (date(2026, 2, 25), date(2026, 3, 3)),
    ]

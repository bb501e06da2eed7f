"""The body's own labels win over the request: the 당일 day label (issue 8 item 8) and the region
of 평균/평년 rows in a body that holds several cities (item 9). Real sample bodies where they apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spark_jobs.kamis.parsing import Outcome, parse_body

pytestmark = pytest.mark.unit

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "kamis_samples"
CAT200 = "dailyPriceByCategoryList__cat200_vegetables_retail_national_2026-06-04__igb.json"
ECO = "EcoPriceList__defaults_rice_kind02_rank07_2024-10-22__acebucks_raw_curl.json"
ONION = "periodProductList__onion245_kind00_rank04_seoul_28day_2026-05-08_to_06-04__igb.json"
RICE = "periodProductList__rice111_fixture_2020-10-21_22__spoqa_kamispy.json"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


# --------------------------------------------------------------- item 8: the 당일 label


def test_a_non_survey_day_answered_with_an_earlier_survey_keeps_the_survey_date():
    # The real 2026-06-04 body, as if KAMIS had answered a request for Saturday 2026-06-06
    # (현충일) with it: echo and params say 06-06, every row's day1 says "당일 (06/04)".
    doc = sample(CAT200)
    doc["condition"][0]["p_regday"] = "2026-06-06"
    params = {"p_regday": "2026-06-06", "p_product_cls_code": "01", "p_item_category_code": "200"}
    res = parse_body("dailyPriceByCategoryList", json.dumps(doc, ensure_ascii=False), params)
    assert res.outcome is Outcome.OK and res.row_errors == [] and len(res.rows) == 51
    assert {r["res_dt"] for r in res.rows} == {"2026-06-04"}  # not 2026-06-06
    first = res.rows[0]
    # 배추 봄(1포기) 상품: dpr1 3,547 on 06/04; the other dates count back from 06/04:
    # 1일전 06/03, 1주일전 05/28, 2주일전 05/21 (labels), 1개월전 05-04, 1년전 2025-06-04
    assert (first["item_cd"], first["price"]) == ("211", 3547.0)
    assert (first["dt_1d"], first["dt_1w"], first["dt_2w"]) == (
        "2026-06-03",
        "2026-05-28",
        "2026-05-21",
    )
    assert (first["dt_1m"], first["dt_1y"]) == ("2026-05-04", "2025-06-04")


def test_the_label_of_the_day_asked_for_changes_nothing():
    res = parse_body("dailyPriceByCategoryList", (SAMPLES / CAT200).read_text(encoding="utf-8"))
    assert {r["res_dt"] for r in res.rows} == {"2026-06-04"}


def test_a_day_label_far_from_the_request_is_a_row_error_with_the_gap():
    doc = sample(CAT200)
    doc["data"]["item"] = doc["data"]["item"][:2]
    doc["data"]["item"][1]["day1"] = "당일 (04/01)"  # 2026-04-01 → 06-04: 29 + 31 + 4 = 64 days
    res = parse_body("dailyPriceByCategoryList", json.dumps(doc, ensure_ascii=False))
    assert [r["res_dt"] for r in res.rows] == ["2026-06-04"]
    assert [(i, why) for i, why, _ in res.row_errors] == [
        (1, "day1 label '당일 (04/01)' is 2026-04-01, 64 days before p_regday 2026-06-04")
    ]


# --------------------------------------------------------------- item 9: 평균 of a many-city body


def test_eco_body_of_five_cities_asked_for_seoul_averages_every_city():
    # The real eco body holds 서울 8, 부산 4, 광주 4, 대구 3, 대전 3 channel rows: KAMIS ignored the
    # region (or it was misspelled), so its 평균 26,068 is the all-cities average, not Seoul's.
    params = {"p_regday": "2024-10-22", "p_countrycode": "1101", "p_itemcategorycode": "100",
              "p_itemcode": "111", "p_kindcode": "02", "p_productrankcode": "07"}  # fmt: skip
    res = parse_body("EcoPriceList", (SAMPLES / ECO).read_text(encoding="utf-8"), params)
    avg = res.rows[0]
    assert (avg["row_type"], avg["price"]) == ("average", 26068.0)
    assert (avg["country_cd"], avg["country_nm"]) == ("0000", "전국")
    assert {r["country_cd"] for r in res.rows[1:]} == {"1101", "2100", "2200", "2401", "2501"}


def test_period_body_of_two_cities_asked_for_seoul_is_labelled_national():
    # rice fixture: markets 서울 경동 and 부산 부전; 평균 58,633 (10/21) averages both cities.
    params = {"p_startday": "2020-10-21", "p_endday": "2020-10-22", "p_countycode": "1101"}
    res = parse_body("periodProductList", (SAMPLES / RICE).read_text(encoding="utf-8"), params)
    aggregates = [r for r in res.rows if r["row_type"] != "market"]
    assert [(r["row_type"], r["price"]) for r in aggregates] == [
        ("average", 58633.0),
        ("average", 58544.0),
        ("normal", 46112.0),
        ("normal", 46260.0),
    ]
    assert {(r["country_cd"], r["country_nm"]) for r in aggregates} == {("0000", "전국")}


def test_period_body_of_another_city_is_not_labelled_with_the_requested_one():
    # onion body: only 서울 markets, but the call asked for 부산 (2100) and got Seoul's answer.
    params = {"p_startday": "2026-05-08", "p_endday": "2026-06-04", "p_countrycode": "2100"}
    res = parse_body(
        "periodRetailProductList", (SAMPLES / ONION).read_text(encoding="utf-8"), params
    )
    aggregates = [r for r in res.rows if r["row_type"] != "market"]
    assert len(aggregates) == 36 and {r["country_cd"] for r in aggregates} == {"0000"}


def test_period_body_of_the_requested_city_keeps_its_region():
    # onion body asked for 서울 (the echo's p_countycode 1101): 평균 = mean of 9 Seoul markets.
    res = parse_body("periodProductList", (SAMPLES / ONION).read_text(encoding="utf-8"))
    aggregates = [r for r in res.rows if r["row_type"] != "market"]
    assert {(r["country_cd"], r["country_nm"]) for r in aggregates} == {("1101", "서울")}

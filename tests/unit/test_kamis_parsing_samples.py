"""The parser on every real body in tests/fixtures/kamis_samples (values read off the files by hand)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from spark_jobs.kamis.parsing import Outcome, normalise_rows, parse_body, parse_document

pytestmark = pytest.mark.unit

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "kamis_samples"


def body(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def test_every_sample_file_is_covered_by_a_test_here():
    names = {p.name for p in SAMPLES.iterdir() if p.suffix in (".json", ".csv")}
    source = Path(__file__).read_text(encoding="utf-8")
    # Each file's distinctive part must be named in this module.
    missing = [n for n in names if n.split("__")[1] not in source]
    assert missing == []


# --------------------------------------------------------------- dailyPriceByCategoryList 2026 (cat200)

CAT200 = "dailyPriceByCategoryList__cat200_vegetables_retail_national_2026-06-04__igb.json"


def test_category_vegetables_2026_rows_and_prices():
    res = parse_body("dailyPriceByCategoryList", body(CAT200))
    assert res.outcome is Outcome.OK and res.result_cd == "000" and res.row_errors == []
    assert len(res.rows) == 51
    first = res.rows[0]
    # 배추 봄(1포기) 상품: dpr1 "3,547", dpr2 "-", dpr3 "3,631", dpr4 "3,312", dpr5 "3,170", dpr6 "3,196", dpr7 "3,566"
    assert first["item_cd"] == "211" and first["kind_cd"] == "01" and first["rank_cd"] == "04"
    assert (first["item_nm"], first["kind_nm"], first["rank_nm"], first["unit"]) == (
        "배추",
        "봄(1포기)",
        "상품",
        "1포기",
    )
    assert (first["price"], first["price_1d"], first["price_1w"], first["price_2w"]) == (
        3547.0,
        None,
        3631.0,
        3312.0,
    )
    assert (first["price_1m"], first["price_1y"], first["price_normal"]) == (3170.0, 3196.0, 3566.0)
    # codes from the condition echo: class 01, category 200, no region → 0000 전국
    assert (
        first["product_cls_cd"],
        first["category_cd"],
        first["country_cd"],
        first["country_nm"],
    ) == (
        "01",
        "200",
        "0000",
        "전국",
    )
    # dates: res 06-04, labels 06/03 05/28 05/21; 1개월전 = 05-04, 1년전 = 2025-06-04
    assert (first["res_dt"], first["dt_1d"], first["dt_1w"], first["dt_2w"]) == (
        "2026-06-04",
        "2026-06-03",
        "2026-05-28",
        "2026-05-21",
    )
    assert (first["dt_1m"], first["dt_1y"]) == ("2026-05-04", "2025-06-04")
    # 시금치 730 has no thousands comma
    spinach = next(r for r in res.rows if r["item_cd"] == "213")
    assert spinach["price"] == 730.0 and spinach["unit"] == "100g"


def test_category_vegetables_2026_the_day_before_is_dash_for_every_row():
    res = parse_body("dailyPriceByCategoryList", body(CAT200))
    # 2026-06-03 (1일전) is "-" in all 51 rows (API.md §3.1)
    assert [r["price_1d"] for r in res.rows] == [None] * 51
    # only 딸기 and 꽈리고추 중품 have no price on the day
    no_price = sorted((r["item_nm"], r["rank_cd"]) for r in res.rows if r["price"] is None)
    assert no_price == [("딸기", "04"), ("풋고추", "05")]


def test_category_params_win_over_the_condition_echo():
    params = {
        "p_product_cls_code": "01",
        "p_item_category_code": "200",
        "p_country_code": "1101",
        "p_regday": "2026-06-04",
    }
    res = parse_body("dailyPriceByCategoryList", body(CAT200), params)
    assert {r["country_cd"] for r in res.rows} == {"1101"} and {
        r["country_nm"] for r in res.rows
    } == {"서울"}


# --------------------------------------------------------------- error bodies

ERR200 = "dailyPriceByCategoryList__error200_no_certkey_no_regday__2024-10-31__acebucks.json"
ERR001 = "periodProductList__error001_fixture__spoqa_kamispy.json"


def test_error_200_inside_the_all_data_wrapper():
    wrapper = json.loads(body(ERR200))
    assert set(wrapper) == {"all_data", "datetime"}
    res = parse_document("dailyPriceByCategoryList", wrapper["all_data"])
    assert (res.outcome, res.result_cd, res.rows) == (Outcome.BAD_REQUEST, "200", [])
    assert "Wrong Parameters" in res.reason


def test_the_wrapper_itself_is_not_a_kamis_body():
    res = parse_body("dailyPriceByCategoryList", body(ERR200))
    assert res.outcome is Outcome.NOT_KAMIS and "all_data" in res.reason


def test_error_001_no_data():
    res = parse_body("periodProductList", body(ERR001))
    assert (res.outcome, res.result_cd, res.rows) == (Outcome.NO_DATA, "001", [])


# --------------------------------------------------------------- periodProductList

ONION = "periodProductList__onion245_kind00_rank04_seoul_28day_2026-05-08_to_06-04__igb.json"
RICE = "periodProductList__rice111_fixture_2020-10-21_22__spoqa_kamispy.json"


def test_period_onion_2026_condition_as_item_object():
    res = parse_body("periodProductList", body(ONION))
    assert res.outcome is Outcome.OK and res.row_errors == []
    # 198 rows = 18 dates × (평균 + 평년 + 9 Seoul markets)
    assert len(res.rows) == 198
    by_type = {
        t: [r for r in res.rows if r["row_type"] == t] for t in ("average", "normal", "market")
    }
    assert [len(by_type[t]) for t in ("average", "normal", "market")] == [18, 18, 162]
    # codes come from the {"item": {...}} condition echo (p_countycode 1101)
    assert {(r["category_cd"], r["item_cd"], r["kind_cd"], r["rank_cd"]) for r in res.rows} == {
        ("200", "245", "00", "04")
    }
    avg = {r["res_dt"]: r["price"] for r in by_type["average"]}
    assert avg["2026-05-08"] == 1808.0 and avg["2026-06-04"] == 1739.0
    assert min(avg) == "2026-05-08" and max(avg) == "2026-06-04"
    assert (
        by_type["normal"][0]["price"] == 2196.0 and by_type["normal"][0]["res_dt"] == "2026-05-08"
    )
    # aggregate rows: region = the requested one, no market; names filled from the market rows
    assert {(r["country_cd"], r["country_nm"], r["market_nm"]) for r in by_type["average"]} == {
        ("1101", "서울", None)
    }
    assert by_type["average"][0]["item_nm"] == "양파" and by_type["average"][0]["unit"] == "1kg"
    markets = {r["market_nm"] for r in by_type["market"]}
    assert markets == {
        "경동",
        "복조리",
        "A-유통",
        "B-유통",
        "B`-유통",
        "C-유통",
        "E-유통",
        "I-유통",
        "L-유통",
    }
    last = res.rows[-1]
    assert (last["market_nm"], last["res_dt"], last["price"], last["kind_nm"]) == (
        "L-유통",
        "2026-06-04",
        1320.0,
        "양파(1kg)",
    )


def test_period_onion_average_is_the_mean_of_the_seoul_markets():
    res = parse_body("periodProductList", body(ONION))
    day = [
        r["price"] for r in res.rows if r["row_type"] == "market" and r["res_dt"] == "2026-06-04"
    ]
    avg = next(
        r["price"] for r in res.rows if r["row_type"] == "average" and r["res_dt"] == "2026-06-04"
    )
    assert (
        len(day) == 9 and round(sum(day) / len(day)) == avg
    )  # API.md: 06/04 1,739 = mean of 9 markets


def test_period_rice_2020_condition_as_list_and_empty_lists():
    res = parse_body("periodProductList", body(RICE))
    assert res.outcome is Outcome.OK and len(res.rows) == 8
    types = [r["row_type"] for r in res.rows]
    assert types == [
        "average",
        "average",
        "normal",
        "normal",
        "market",
        "market",
        "market",
        "market",
    ]
    # 평균 58,633 (10/21), 58,544 (10/22); 평년 46,112 / 46,260; 서울 경동 57,300 / 58,300
    assert [r["price"] for r in res.rows[:6]] == [
        58633.0,
        58544.0,
        46112.0,
        46260.0,
        57300.0,
        58300.0,
    ]
    assert [r["res_dt"] for r in res.rows[:2]] == ["2020-10-21", "2020-10-22"]
    # p_countycode [] → national aggregate
    assert res.rows[0]["country_cd"] == "0000" and res.rows[0]["market_nm"] is None
    assert (res.rows[4]["country_cd"], res.rows[4]["market_nm"]) == ("1101", "경동")
    assert res.rows[-1]["country_cd"] == "2100" and res.rows[-1]["market_nm"] == "부전"


# --------------------------------------------------------------- EcoPriceList, dailySalesList, productInfo

ECO = "EcoPriceList__defaults_rice_kind02_rank07_2024-10-22__acebucks_raw_curl.json"
SALES = "dailySalesList__fixture_2020-10-16__spoqa_kamispy.json"
INFO = "productInfo__EXCERPT_first7_of_full_table_2026__igb.json"


def test_eco_average_row_and_channels():
    res = parse_body("EcoPriceList", body(ECO))
    assert res.outcome is Outcome.OK and len(res.rows) == 23
    avg = res.rows[0]
    # {"seqnum":"1","countyname":"평균","marketname":null,"unit":"4kg","price":"26,068"}
    assert (avg["row_type"], avg["country_cd"], avg["market_nm"], avg["price"], avg["unit"]) == (
        "average",
        "0000",
        None,
        26068.0,
        "4kg",
    )
    seoul = res.rows[1]
    assert (
        seoul["country_cd"],
        seoul["market_nm"],
        seoul["store_type_nm"],
        seoul["store_brand_cd"],
    ) == (
        "1101",
        "A-대형마트",
        "대형마트",
        "A",
    )
    assert seoul["price"] == 20800.0 and seoul["res_dt"] == "2024-10-22"
    # codes from the echo (defaults 100/111/02/07), names from the code table
    assert (avg["category_cd"], avg["item_cd"], avg["kind_cd"], avg["rank_cd"], avg["rank_nm"]) == (
        "100",
        "111",
        "02",
        "07",
        "유기농",
    )
    assert (avg["item_nm"], avg["kind_nm"]) == ("쌀", "백미")
    counts = {}
    for r in res.rows[1:]:
        counts[r["country_nm"]] = counts.get(r["country_nm"], 0) + 1
    assert counts == {"서울": 8, "부산": 4, "광주": 4, "대구": 3, "대전": 3}


def test_daily_sales_list_2020_condition_list_of_lists():
    res = parse_body("dailySalesList", body(SALES))
    assert res.outcome is Outcome.OK and len(res.rows) == 2
    rice, new_rice = res.rows
    assert (rice["snapshot_dt"], rice["productno"], rice["product_nm"], rice["unit"]) == (
        "2020-10-16",
        "272",
        "쌀/일반계",
        "20kg",
    )
    assert (rice["price"], rice["price_1d"], rice["price_1m"], rice["price_1y"]) == (
        55094.0,
        55053.0,
        52723.0,
        51034.0,
    )
    assert (
        rice["direction_cd"],
        rice["change_pct"],
        rice["product_cls_cd"],
        rice["category_cd"],
    ) == ("1", 0.1, "01", "100")
    assert new_rice["price_1m"] is None  # dpr3 []


def test_product_info_excerpt():
    res = parse_body("productInfo", body(INFO))
    assert res.outcome is Outcome.OK and len(res.rows) == 7
    first, second = res.rows[0], res.rows[1]
    assert (first["item_cd"], first["kind_cd"], first["kind_nm"], first["retail_rank_cds"]) == (
        "111",
        "01",
        "20kg",
        "04,05",
    )
    assert (first["eco_unit"], first["eco_rank_cds"], first["wholesale_unitsize"]) == (
        None,
        None,
        "20",
    )
    assert (
        second["kind_nm"],
        second["eco_unit"],
        second["eco_unitsize"],
        second["eco_rank_cds"],
    ) == ("백미", "kg", "4", "07,08")
    assert second["retail_unit"] is None and second["whole_rank_cds"] is None


# --------------------------------------------------------------- DCX pandas dumps: data.item rows, not bodies

DCX = {
    "cat100_retail_seoul_2023-04-17": ("100", "2023-04-17", 9),
    "cat100_retail_seoul_2023-04-28": ("100", "2023-04-28", 9),
    "cat200_retail_seoul_2023-04-28": ("200", "2023-04-28", 54),
    "cat300_retail_seoul_2023-04-28": ("300", "2023-04-28", 11),
    "cat400_retail_seoul_2023-04-28": ("400", "2023-04-28", 18),
    "cat500_retail_seoul_2023-04-28": ("500", "2023-04-28", 30),
    "cat600_retail_seoul_2023-04-28": ("600", "2023-04-28", 25),
}


def dcx_rows(part: str) -> tuple[list[dict], dict]:
    cat, day, _ = DCX[part]
    path = SAMPLES / f"dailyPriceByCategoryList__{part}__DCX_pandas_dump.utf8.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [{k: v for k, v in r.items() if k} for r in csv.DictReader(fh)]
    params = {
        "p_product_cls_code": "01",
        "p_item_category_code": cat,
        "p_country_code": "1101",
        "p_regday": day,
    }
    return rows, params


@pytest.mark.parametrize("part", sorted(DCX))
def test_dcx_dumps_normalise_every_row(part):
    rows, params = dcx_rows(part)
    out, errors = normalise_rows("dailyPriceByCategoryList", rows, params)
    assert errors == [] and len(out) == DCX[part][2]
    assert {(r["country_cd"], r["country_nm"], r["category_cd"], r["res_dt"]) for r in out} == {
        ("1101", "서울", DCX[part][0], DCX[part][1])
    }


def test_dcx_sunday_before_monday_is_dash():
    # 2023-04-17 is a Monday; "1일전 (04/16)" is the Sunday: every dpr2 is "-"
    out, _ = normalise_rows("dailyPriceByCategoryList", *dcx_rows("cat100_retail_seoul_2023-04-17"))
    assert [r["price_1d"] for r in out] == [None] * 9
    assert {r["dt_1d"] for r in out} == {"2023-04-16"} and {r["dt_1w"] for r in out} == {
        "2023-04-10"
    }
    rice = out[0]
    assert (rice["item_nm"], rice["price"], rice["price_1w"], rice["price_normal"]) == (
        "쌀",
        50129.0,
        48800.0,
        51390.0,
    )


def test_dcx_livestock_zero_prices_and_missing_normal():
    out, _ = normalise_rows("dailyPriceByCategoryList", *dcx_rows("cat500_retail_seoul_2023-04-28"))
    # 수입 소고기 갈비살 호주산 (4401/37/82): dpr1..dpr5 "0" = no price, dpr6 "4,996"
    galbisal = next(
        r for r in out if (r["item_cd"], r["kind_cd"], r["rank_cd"]) == ("4401", "37", "82")
    )
    assert [galbisal[k] for k in ("price", "price_1d", "price_1w", "price_2w", "price_1m")] == [
        None
    ] * 5
    assert galbisal["price_1y"] == 4996.0
    # livestock 일평년 was "-" in 2023 for every row
    assert {r["price_normal"] for r in out} == {None}
    egg = next(r for r in out if (r["item_cd"], r["kind_cd"], r["rank_cd"]) == ("9903", "23", "72"))
    assert (egg["price"], egg["price_1y"], egg["unit"], egg["rank_nm"]) == (
        7160.0,
        10250.0,
        "30구",
        "등급란",
    )


def test_dcx_fish_size_ranks_and_missing_cells():
    out, _ = normalise_rows("dailyPriceByCategoryList", *dcx_rows("cat600_retail_seoul_2023-04-28"))
    mackerel = out[1]  # 고등어 국산(신선 냉장)(1마리) 大: dpr4 "-", dpr6 "-"
    assert (mackerel["rank_cd"], mackerel["rank_nm"], mackerel["price"], mackerel["price_1d"]) == (
        "20",
        "大",
        5215.0,
        5627.0,
    )
    assert (mackerel["price_2w"], mackerel["price_1y"], mackerel["price_normal"]) == (
        None,
        None,
        None,
    )

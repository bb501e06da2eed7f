"""Each parsing quirk of API.md §5 on tiny hand-made bodies, and every result code."""

from __future__ import annotations

import json
from datetime import date

import pytest

from spark_jobs.kamis.parsing import (
    Outcome,
    condition_echo,
    label_date,
    minus_months,
    parse_body,
    price,
    year_day,
)

pytestmark = pytest.mark.unit


def cat_item(**over: str) -> dict:
    row = {
        "item_name": "배추", "item_code": "211", "kind_name": "봄(1포기)", "kind_code": "01", "rank": "상품",
        "rank_code": "04", "unit": "1포기", "day1": "당일 (06/04)", "dpr1": "3,547", "day2": "1일전 (06/03)",
        "dpr2": "-", "day3": "1주일전 (05/28)", "dpr3": "3,631", "day4": "2주일전 (05/21)", "dpr4": "3,312",
        "day5": "1개월전", "dpr5": "3,170", "day6": "1년전", "dpr6": "3,196", "day7": "일평년", "dpr7": "3,566",
    }  # fmt: skip
    row.update(over)
    return row


def cat_body(items, regday: str = "2026-06-04", code: str = "000") -> str:
    cond = [
        {
            "p_product_cls_code": "01",
            "p_country_code": [],
            "p_regday": regday,
            "p_category_code": "200",
        }
    ]
    return json.dumps(
        {"condition": cond, "data": {"error_code": code, "item": items}}, ensure_ascii=False
    )


# --------------------------------------------------------------- result codes


@pytest.mark.parametrize(
    ("data", "outcome", "code"),
    [
        (["001"], Outcome.NO_DATA, "001"),
        (["200"], Outcome.BAD_REQUEST, "200"),
        (["900"], Outcome.UNAUTHENTICATED, "900"),
        ("001", Outcome.NO_DATA, "001"),
        ({"error_code": "001"}, Outcome.NO_DATA, "001"),
        ({"error_code": "900", "item": []}, Outcome.UNAUTHENTICATED, "900"),
        ({"error_code": "000", "item": []}, Outcome.NO_DATA, "000"),
        ({"error_code": "000", "item": None}, Outcome.NO_DATA, "000"),
        ({"error_code": "000", "item": ""}, Outcome.NO_DATA, "000"),
    ],
)
def test_result_codes(data, outcome, code):
    res = parse_body("dailyPriceByCategoryList", json.dumps({"condition": [], "data": data}))
    assert (res.outcome, res.result_cd, res.rows) == (outcome, code, [])


def test_result_000_with_rows_is_ok():
    res = parse_body("dailyPriceByCategoryList", cat_body([cat_item()]))
    assert (res.outcome, res.result_cd, len(res.rows)) == (Outcome.OK, "000", 1)


def test_unknown_result_code_is_not_kamis():
    res = parse_body("dailyPriceByCategoryList", json.dumps({"data": ["555"]}))
    assert res.outcome is Outcome.NOT_KAMIS and res.result_cd == "555"


@pytest.mark.parametrize(
    ("doc", "outcome"),
    [
        ({"condition": [["20241031"]], "error_code": "000", "price": []}, Outcome.NO_DATA),
        ({"condition": [["20241031"]], "error_code": "001"}, Outcome.NO_DATA),
        ({"condition": [["20241031"]], "error_code": "900", "price": []}, Outcome.UNAUTHENTICATED),
        ({"condition": [[[]]], "error_code": "200", "info": []}, Outcome.BAD_REQUEST),
    ],
)
def test_top_level_error_code_envelopes(doc, outcome):
    action = "productInfo" if "info" in doc else "dailySalesList"
    assert parse_body(action, json.dumps(doc)).outcome is outcome


# --------------------------------------------------------------- row shapes and values


def test_single_row_as_object_instead_of_list():
    res = parse_body("dailyPriceByCategoryList", cat_body(cat_item()))
    assert res.outcome is Outcome.OK and len(res.rows) == 1 and res.rows[0]["price"] == 3547.0


def test_single_price_row_as_object_in_top_level_envelope():
    row = {
        "productno": "272",
        "lastest_day": "2024-10-31",
        "dpr1": "55,094",
        "dpr2": [],
        "dpr3": "-",
        "dpr4": "0",
    }
    res = parse_body(
        "dailySalesList",
        json.dumps({"condition": [["20241031"]], "error_code": "000", "price": row}),
    )
    assert len(res.rows) == 1
    assert (
        res.rows[0]["price"],
        res.rows[0]["price_1d"],
        res.rows[0]["price_1m"],
        res.rows[0]["price_1y"],
    ) == (
        55094.0,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3,547", 3547.0), ("1,234,567", 1234567.0), ("730", 730.0), ("12.5", 12.5), (" 1,000 ", 1000.0),
     ("-", None), ("", None), ("0", None), ([], None), (None, None), (4200, 4200.0)],
)  # fmt: skip
def test_price_values(raw, expected):
    assert price(raw) == expected


def test_non_numeric_price_is_a_row_error_and_the_rest_still_parses():
    res = parse_body(
        "dailyPriceByCategoryList", cat_body([cat_item(dpr1="n/a"), cat_item(item_code="212")])
    )
    assert res.outcome is Outcome.OK
    assert [r["item_cd"] for r in res.rows] == ["212"]
    assert len(res.row_errors) == 1
    index, reason, raw = res.row_errors[0]
    assert index == 0 and "n/a" in reason and raw["dpr1"] == "n/a"


def test_row_without_item_code_is_a_row_error():
    res = parse_body("dailyPriceByCategoryList", cat_body([cat_item(item_code=[])]))
    assert res.rows == [] and res.row_errors[0][1] == "missing item_code"


def test_livestock_zero_means_no_price():
    res = parse_body(
        "dailyPriceByCategoryList",
        cat_body([cat_item(item_code="9901", kind_code="24", rank_code="00", dpr1="0", dpr2="0")]),
    )
    row = res.rows[0]
    assert (row["price"], row["price_1d"], row["item_cd"], row["rank_cd"]) == (
        None,
        None,
        "9901",
        "00",
    )


def test_numeric_codes_keep_leading_zeros():
    body = json.dumps(
        {
            "condition": {"item": {"p_startday": "2026-05-08", "p_endday": "2026-05-08", "p_itemcategorycode": 200,
                                   "p_itemcode": 245, "p_kindcode": 0, "p_productrankcode": 4, "p_countycode": 1101}},
            "data": {"error_code": "000", "item": [{"countyname": "평균", "itemname": None, "kindname": None,
                                                   "marketname": None, "yyyy": "2026", "regday": "05/08", "price": "1,808"}]},
        }
    )  # fmt: skip
    row = parse_body("periodProductList", body).rows[0]
    assert (
        row["category_cd"],
        row["item_cd"],
        row["kind_cd"],
        row["rank_cd"],
        row["country_cd"],
    ) == (
        "200",
        "245",
        "00",
        "04",
        "1101",
    )
    # no market row to copy names from: the code table gives 양파 / 양파
    assert row["item_nm"] == "양파"


# --------------------------------------------------------------- condition shapes


@pytest.mark.parametrize(
    "cond",
    [
        [{"p_regday": "2026-06-04", "p_cert_id": "x"}],
        {"item": {"p_regday": "2026-06-04"}},
        {"p_regday": "2026-06-04"},
        [[{"p_regday": "2026-06-04"}]],
    ],
)
def test_condition_shapes(cond):
    assert condition_echo({"condition": cond})["p_regday"] == "2026-06-04"


def test_condition_list_of_lists_without_dicts_is_empty():
    assert (
        condition_echo({"condition": [[[]]]}) == {}
        and condition_echo({"condition": [["20241031"]]}) == {}
    )


# --------------------------------------------------------------- dates


def test_year_boundary_labels_dec_to_jan():
    body = cat_body(
        [
            cat_item(
                day1="당일 (01/02)",
                day2="1일전 (01/01)",
                day3="1주일전 (12/26)",
                day4="2주일전 (12/19)",
            )
        ],
        regday="2026-01-02",
    )
    row = parse_body("dailyPriceByCategoryList", body).rows[0]
    assert (row["dt_1d"], row["dt_1w"], row["dt_2w"]) == ("2026-01-01", "2025-12-26", "2025-12-19")
    # 1개월전 of 01-02 is 2025-12-02; 1년전 2025-01-02
    assert (row["dt_1m"], row["dt_1y"]) == ("2025-12-02", "2025-01-02")


def test_label_date_resolution():
    anchor = date(2026, 1, 5)
    assert label_date("1주일전 (12/29)", anchor) == date(2025, 12, 29)
    assert label_date("당일 (01/05)", anchor) == date(2026, 1, 5)
    assert label_date("1개월전", anchor) is None
    # 02/29 in a non-leap anchor year falls back to the last leap year before it
    assert label_date("(02/29)", date(2025, 3, 1)) == date(2024, 2, 29)


def test_labels_without_dates_fall_back_to_calendar_offsets():
    body = cat_body(
        [cat_item(day1="당일 (03/01)", day2="1일전", day3="1주일전", day4="2주일전")],
        regday="2026-03-01",
    )
    row = parse_body("dailyPriceByCategoryList", body).rows[0]
    assert (row["dt_1d"], row["dt_1w"], row["dt_2w"]) == ("2026-02-28", "2026-02-22", "2026-02-15")


def test_minus_months_clamps_the_day():
    assert minus_months(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert minus_months(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert minus_months(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_period_rows_across_the_year_boundary():
    items = [
        {"countyname": "평균", "itemname": [], "kindname": [], "marketname": [], "yyyy": "2025", "regday": "12/31", "price": "1,000"},
        {"countyname": "평균", "itemname": [], "kindname": [], "marketname": [], "yyyy": "2026", "regday": "01/02", "price": "1,100"},
    ]  # fmt: skip
    body = json.dumps(
        {
            "condition": [{"p_startday": "2025-12-29", "p_endday": "2026-01-02"}],
            "data": {"error_code": "000", "item": items},
        }
    )
    rows = parse_body(
        "periodRetailProductList", body, {"p_itemcode": "245", "p_kindcode": "00"}
    ).rows
    assert [r["res_dt"] for r in rows] == ["2025-12-31", "2026-01-02"]


def test_year_day_without_yyyy_uses_the_window():
    window = (date(2025, 12, 29), date(2026, 1, 2))
    assert year_day(None, "12/30", window) == date(2025, 12, 30)
    assert year_day([], "01/02", window) == date(2026, 1, 2)
    assert year_day("2026", "2026-01-02", window) == date(2026, 1, 2)


def test_daily_price_without_any_regday_is_a_row_error():
    body = json.dumps(
        {"condition": [{"p_regday": []}], "data": {"error_code": "000", "item": [cat_item()]}}
    )
    res = parse_body("dailyPriceByCategoryList", body)
    assert res.rows == [] and "p_regday" in res.row_errors[0][1]


# --------------------------------------------------------------- XML bodies

XML_CAT = """<?xml version="1.0" encoding="UTF-8"?>
<document>
  <condition><p_product_cls_code>01</p_product_cls_code><p_country_code/><p_regday>2026-06-04</p_regday>
    <p_convert_kg_yn>N</p_convert_kg_yn><p_category_code>200</p_category_code></condition>
  <data>
    <error_code>000</error_code>
    <item><item_name>배추</item_name><item_code>211</item_code><kind_name>봄(1포기)</kind_name><kind_code>01</kind_code>
      <rank>상품</rank><rank_code>04</rank_code><unit>1포기</unit><day1>당일 (06/04)</day1><dpr1>3,547</dpr1>
      <day2>1일전 (06/03)</day2><dpr2>-</dpr2><day3>1주일전 (05/28)</day3><dpr3>3,631</dpr3><day7>일평년</day7><dpr7/></item>
    <item><item_name>양배추</item_name><item_code>212</item_code><kind_name>양배추(1포기)</kind_name><kind_code>00</kind_code>
      <rank>상품</rank><rank_code>04</rank_code><unit>1포기</unit><dpr1>3,228</dpr1></item>
  </data>
</document>"""


def test_xml_repeated_items():
    res = parse_body("dailyPriceByCategoryList", XML_CAT)
    assert res.outcome is Outcome.OK and [r["item_cd"] for r in res.rows] == ["211", "212"]
    first = res.rows[0]
    assert (first["price"], first["price_1d"], first["price_1w"], first["price_normal"]) == (
        3547.0,
        None,
        3631.0,
        None,
    )
    assert (
        first["product_cls_cd"],
        first["category_cd"],
        first["country_cd"],
        first["res_dt"],
    ) == ("01", "200", "0000", "2026-06-04")


def test_xml_single_item_and_bytes_input():
    one = XML_CAT.split("<item><item_name>양배추")[0] + "</data></document>"
    res = parse_body("dailyPriceByCategoryList", one.encode("utf-8"))
    assert len(res.rows) == 1 and res.rows[0]["item_nm"] == "배추"


@pytest.mark.parametrize(
    ("xml", "outcome", "code"),
    [
        ("<document><condition/><data>001</data></document>", Outcome.NO_DATA, "001"),
        (
            "<document><condition/><data><item>900</item></data></document>",
            Outcome.UNAUTHENTICATED,
            "900",
        ),
        (
            "<document><data><error_code>200</error_code></data></document>",
            Outcome.BAD_REQUEST,
            "200",
        ),
        ("<response><condition/><error_code>001</error_code></response>", Outcome.NO_DATA, "001"),
    ],
)
def test_xml_error_bodies(xml, outcome, code):
    res = parse_body("dailyPriceByCategoryList", xml)
    assert (res.outcome, res.result_cd) == (outcome, code)


def test_xml_top_level_price_rows_for_county_list():
    xml = (
        "<document><condition><p_countycode>1101</p_countycode></condition><error_code>000</error_code>"
        "<price><county_code>1101</county_code><county_name>서울</county_name><product_cls_code>01</product_cls_code>"
        "<category_code>200</category_code><productno>301</productno><lastest_day>2026-06-04</lastest_day>"
        "<productName>배추</productName><item_name>배추</item_name><unit>1포기</unit><dpr1>3,547</dpr1>"
        "<dpr2>3,500</dpr2><dpr3/><dpr4>3,196</dpr4><direction>1</direction><value>1.3</value></price>"
        "</document>"
    )
    res = parse_body("dailyCountyList", xml)
    assert res.outcome is Outcome.OK and len(res.rows) == 1
    row = res.rows[0]
    assert (
        row["snapshot_dt"],
        row["country_cd"],
        row["country_nm"],
        row["price"],
        row["price_1m"],
        row["change_pct"],
    ) == (
        "2026-06-04",
        "1101",
        "서울",
        3547.0,
        None,
        1.3,
    )


# --------------------------------------------------------------- not KAMIS


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (
            "<!DOCTYPE html><html><head><title>페이지를 찾을 수 없습니다</title></head></html>",
            "HTML page",
        ),
        ("<html><body>404 Not Found</body></html>", "HTML page"),
        (
            '{"condition":[{"p_regday":"2026-06-04"}],"data":{"error_code":"000","item":[{"item_na',
            "invalid JSON",
        ),
        ("", "empty body"),
        ("   \n", "empty body"),
        ("Service Unavailable", "neither JSON nor XML"),
        ("<document><data>", "invalid XML"),
        ('{"hello": "world"}', "no data / error_code"),
        ("[1, 2, 3]", "top level is not an object"),
        ('{"data": ["x", "y"]}', "without a result code"),
    ],
)
def test_not_kamis_bodies(body, why):
    res = parse_body("dailyPriceByCategoryList", body)
    assert res.outcome is Outcome.NOT_KAMIS and res.result_cd is None
    assert why in res.reason
    assert (
        body[:20].strip() == "" or repr(body[:20])[1:-1][:10] in res.reason
    )  # carries the first bytes


def test_unsupported_action_raises():
    with pytest.raises(KeyError):
        parse_body("noSuchAction", "{}")

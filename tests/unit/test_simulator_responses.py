"""Simulator bodies rendered without HTTP: envelopes, field names, formats, result codes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from spark_jobs.simulator import render_body

pytestmark = pytest.mark.unit

SEED = 11
TODAY = date(2026, 6, 5)  # a Friday
AUTH = {"p_cert_key": "SECRET-KEY-123", "p_cert_id": "4242", "p_returntype": "json"}
PRICE = re.compile(r"^(-|\d{1,3}(,\d{3})*)$")
ONION = {
    "p_itemcategorycode": "200",
    "p_itemcode": "245",
    "p_kindcode": "00",
    "p_productrankcode": "04",
}


def body(action: str, shape: str = "2026", **params: str) -> dict:
    rep = render_body(action, {**AUTH, **params}, SEED, TODAY, shape)
    assert rep.status == 200
    return json.loads(rep.body)


def xml_root(action: str, **params: str) -> ET.Element:
    rep = render_body(action, {**AUTH, **params, "p_returntype": "xml"}, SEED, TODAY)
    assert rep.content_type.startswith("text/xml")
    return ET.fromstring(rep.body)


def category(**params: str) -> dict:
    base = {"p_product_cls_code": "01", "p_item_category_code": "200", "p_regday": "2026-06-04"}
    return body("dailyPriceByCategoryList", **{**base, **params})


def test_category_envelope_and_21_string_fields() -> None:
    doc = category()
    assert doc["condition"] == [
        {
            "p_product_cls_code": "01", "p_country_code": [], "p_regday": "2026-06-04",
            "p_convert_kg_yn": "N", "p_category_code": "200", "p_cert_key": "SECRET-KEY-123",
            "p_cert_id": "4242", "p_returntype": "json",
        }
    ]  # fmt: skip
    assert doc["data"]["error_code"] == "000"
    items = doc["data"]["item"]
    assert len(items) > 40
    for it in items:
        assert len(it) == 21 and all(isinstance(v, str) for v in it.values())
        assert [it[f"day{i}"] for i in range(1, 8)] == [
            "당일 (06/04)", "1일전 (06/03)", "1주일전 (05/28)", "2주일전 (05/21)", "1개월전", "1년전", "일평년",
        ]  # fmt: skip
        assert all(PRICE.match(it[f"dpr{i}"]) for i in range(1, 8)), it
    # 2026-06-03 was a public holiday (local elections): no produce survey, every dpr2 is "-".
    assert {it["dpr2"] for it in items} == {"-"}
    cabbage = next(it for it in items if it["item_code"] == "211" and it["rank_code"] == "04")
    assert (cabbage["kind_name"], cabbage["unit"], cabbage["rank"]) == (
        "봄(1포기)",
        "1포기",
        "상품",
    )


def test_category_xml_envelope() -> None:
    root = xml_root(
        "dailyPriceByCategoryList",
        p_product_cls_code="01",
        p_item_category_code="100",
        p_regday="2026-06-04",
    )
    assert root.tag == "document"
    assert root.findtext("condition/p_cert_key") == "SECRET-KEY-123"
    assert root.findtext("data/error_code") == "000"
    items = root.findall("data/item")
    assert items and len(list(items[0])) == 21
    assert items[0].findtext("item_name") == "쌀"


def test_period_envelope_grouping_and_shapes() -> None:
    params = {
        **ONION,
        "p_startday": "2026-06-01",
        "p_endday": "2026-06-05",
        "p_countrycode": "1101",
    }
    doc = body("periodRetailProductList", **params)
    cond = doc["condition"]["item"]
    assert (cond["p_countycode"], cond["p_key"], cond["p_id"]) == ("1101", "SECRET-KEY-123", "4242")
    items = doc["data"]["item"]
    assert all(
        set(r) == {"itemname", "kindname", "countyname", "marketname", "yyyy", "regday", "price"}
        for r in items
    )
    kinds = [r["countyname"] for r in items]
    n = kinds.count("평균")
    assert n == 4  # 06-01, 02, 04, 05 (06-03 was a holiday)
    assert kinds[:n] == ["평균"] * n and kinds[n : 2 * n] == ["평년"] * n
    assert set(kinds[2 * n :]) == {"서울"}
    assert [r["regday"] for r in items[:n]] == ["06/01", "06/02", "06/04", "06/05"]
    assert all(r["itemname"] is None and r["marketname"] is None for r in items[: 2 * n])
    markets = {r["marketname"] for r in items[2 * n :]}
    assert {"경동", "복조리"} & markets and any(m.endswith("-유통") for m in markets)
    assert items[2 * n]["kindname"] == "양파(1kg)" and items[2 * n]["yyyy"] == "2026"
    old = body("periodRetailProductList", shape="2020", **params)
    assert isinstance(old["condition"], list) and old["condition"][0]["p_countycode"] == "1101"
    assert old["data"]["item"][0]["itemname"] == [] and old["data"]["item"][0]["marketname"] == []


def test_xml_derived_single_row_is_an_object() -> None:
    doc = body("periodRetailProductList", shape="xml-derived", p_itemcategorycode="200",
               p_itemcode="245", p_kindcode="00", p_productrankcode="04", p_startday="2026-06-05",
               p_endday="2026-06-05", p_countrycode="2701")  # fmt: skip
    assert isinstance(doc["data"]["item"], list)  # 평균 + 평년 + markets: several rows
    one = body("EcoPriceList", shape="xml-derived", p_regday="2026-06-02", p_countrycode="1101",
               p_itemcode="999")  # fmt: skip
    assert one["data"] == ["001"]
    doc = body("periodProductList", shape="xml-derived", p_itemcategorycode="200", p_itemcode="245",
               p_kindcode="00", p_productrankcode="04", p_startday="2026-06-05", p_endday="2026-06-05",
               p_productclscode="01", p_countycode="2701")  # fmt: skip
    assert isinstance(doc["data"]["item"], list)


def test_eco_envelope_and_default_parameters() -> None:
    doc = body("EcoPriceList")  # only auth: defaults 100/111/02/07, latest Tuesday ≤ today
    cond = doc["condition"][0]
    assert (cond["p_regday"], cond["p_itemcode"], cond["p_kindcode"], cond["p_productrankcode"]) == (
        "2026-06-02", "111", "02", "07",
    )  # fmt: skip
    assert cond["p_countycode"] == [] and cond["p_key"] == "SECRET-KEY-123"
    items = doc["data"]["item"]
    assert (
        items[0]["seqnum"] == "1"
        and items[0]["countyname"] == "평균"
        and items[0]["marketname"] is None
    )
    assert all(
        r["seqnum"] == "2" and r["regday"] == "2026-06-02" and r["unit"] == "4kg" for r in items[1:]
    )
    assert {r["marketname"].split("-", 1)[1] for r in items[1:]} <= {
        "대형마트",
        "백화점",
        "SSM",
        "생협",
        "전문점",
        "직매장",
    }


def test_daily_county_list_envelope() -> None:
    doc = body("dailyCountyList", p_countycode="2100")
    assert doc["error_code"] == "000" and doc["condition"][0]["p_cert_key"] == "SECRET-KEY-123"
    rows = doc["price"]
    assert {r["lastest_day"] for r in rows} == {"2026-06-05"}
    assert {r["product_cls_code"] for r in rows} == {"01", "02"}  # 부산 is also a wholesale region
    assert "500" not in {r["category_code"] for r in rows}
    for r in rows:
        assert r["county_code"] == "2100" and r["county_name"] == "부산"
        assert (r["day1"], r["day2"], r["day3"], r["day4"]) == ("당일", "1일전", "1개월전", "1년전")
        assert r["direction"] in {"0", "1", "2"} and re.match(r"^\d+\.\d$", r["value"])
    retail_only = body("dailyCountyList", p_countycode="3911")["price"]
    assert {r["product_cls_code"] for r in retail_only} == {"01"}


def test_product_info_envelope() -> None:
    doc = body("productInfo", p_cert_key="", p_cert_id="")  # answers without auth, as the real one
    assert doc["condition"] == [[[]]] and doc["error_code"] == "000"
    assert len(doc["info"]) == 232
    first = doc["info"][0]
    assert (
        first["itemcode"] == "111"
        and first["eco_unit"] == []
        and first["retail_productrankcode"] == "04,05"
    )
    assert "500" not in {r["itemcategorycode"] for r in doc["info"]}


def test_unknown_path_and_action_give_html_not_found() -> None:
    from spark_jobs.simulator import PriceModel, Renderer

    r = Renderer(PriceModel(SEED), TODAY)
    for path, params in (
        ("/service/price/other.do", {"action": "productInfo"}),
        ("/service/price/xml.do", {"action": "nope"}),
    ):
        rep = r.render(path, params)
        assert rep.status == 404 and rep.content_type.startswith("text/html")
        assert b"page not found" in rep.body


@pytest.mark.parametrize(
    ("action", "params"),
    [
        (
            "dailyPriceByCategoryList",
            {"p_product_cls_code": "01", "p_item_category_code": "100", "p_regday": "2026-06-04"},
        ),
        (
            "periodRetailProductList",
            {**ONION, "p_startday": "2026-06-01", "p_endday": "2026-06-05"},
        ),
        ("EcoPriceList", {}),
        ("dailyCountyList", {"p_countycode": "1101"}),
    ],
)
def test_missing_key_or_id_is_900(action: str, params: dict) -> None:
    for missing in ("p_cert_key", "p_cert_id"):
        doc = body(action, **{**params, missing: ""})
        got = doc["data"] if "data" in doc else [doc["error_code"]]
        assert got == ["900"]


def test_bad_parameters_are_200() -> None:
    assert category(p_regday="2026/06/04")["data"] == ["200"]
    assert category(p_regday="2026-13-01")["data"] == ["200"]
    assert category(p_item_category_code="700")["data"] == ["200"]
    assert category(p_country_code="9999")["data"] == ["200"]
    assert category(p_product_cls_code="02", p_country_code="2300")["data"] == [
        "200"
    ]  # 인천: retail only
    # no regday at all: 200 with the echo showing [] (as in the real 2024 body)
    doc = body("dailyPriceByCategoryList", p_item_category_code="100")
    assert (
        doc["data"] == ["200"]
        and doc["condition"][0]["p_regday"] == []
        and doc["condition"][0]["p_product_cls_code"] == "02"
    )
    assert body("periodRetailProductList", **ONION, p_startday="2026-06-05", p_endday="2026-06-01")[
        "data"
    ] == ["200"]
    assert body("periodRetailProductList", **ONION, p_startday="2024-01-01", p_endday="2026-06-01")[
        "data"
    ] == ["200"]
    assert body("dailyCountyList", p_countycode="0000")["error_code"] == "200"


def test_no_data_001_weekend_holiday_future_and_unknown_item() -> None:
    assert category(p_regday="2026-05-30")["data"] == ["001"]  # Saturday
    assert category(p_regday="2026-02-17")["data"] == ["001"]  # 설날
    assert category(p_regday="2026-05-25")["data"] == ["001"]  # 부처님오신날 substitute holiday
    assert category(p_regday="2026-06-08")["data"] == ["001"]  # after the simulator's today
    assert body("periodRetailProductList", **ONION, p_startday="2026-05-30", p_endday="2026-05-31")[
        "data"
    ] == ["001"]
    assert body(
        "periodRetailProductList",
        **{**ONION, "p_itemcode": "999"},
        p_startday="2026-06-01",
        p_endday="2026-06-05",
    )["data"] == ["001"]
    assert body("EcoPriceList", p_regday="2026-06-09")["data"] == ["001"]


def test_livestock_is_surveyed_on_weekends_and_holidays() -> None:
    for day in ("2026-05-30", "2026-05-31", "2026-02-17"):
        items = category(p_item_category_code="500", p_regday=day)["data"]["item"]
        pork = next(it for it in items if (it["item_code"], it["kind_code"]) == ("4304", "27"))
        assert pork["dpr1"] != "-" and pork["dpr2"] != "-"
    rows = body("periodRetailProductList", p_itemcategorycode="500", p_itemcode="4304", p_kindcode="27",
                p_productrankcode="00", p_startday="2026-05-29", p_endday="2026-06-01",
                p_countrycode="1101")["data"]["item"]  # fmt: skip
    avg = [r for r in rows if r["countyname"] == "평균"]
    seoul = [r for r in rows if r["countyname"] == "서울"]
    assert [r["regday"] for r in avg] == ["05/29", "05/30", "05/31", "06/01"]
    assert [r["price"] for r in seoul] == [r["price"] for r in avg]  # one region: 서울 row == 평균
    assert all(r["marketname"] is None and r["itemname"] == "돼지" for r in seoul)


def test_wrong_parameter_spellings_are_ignored() -> None:
    # periodRetailProductList filters on p_countrycode; p_countycode is ignored → all regions.
    p = {**ONION, "p_startday": "2026-06-05", "p_endday": "2026-06-05"}
    wrong = body("periodRetailProductList", **p, p_countycode="1101")
    regions = {r["countyname"] for r in wrong["data"]["item"]} - {"평균", "평년"}
    assert len(regions) > 20 and wrong["condition"]["item"]["p_countycode"] == []
    right = body("periodRetailProductList", **p, p_countrycode="1101")
    assert {r["countyname"] for r in right["data"]["item"]} - {"평균", "평년"} == {"서울"}
    # periodProductList is the other way round.
    pp = body("periodProductList", **p, p_productclscode="01", p_countrycode="1101")
    assert len({r["countyname"] for r in pp["data"]["item"]}) > 20
    # category API: p_category_code / p_countrycode are not its spellings → defaults (100, national).
    doc = category(p_item_category_code="", p_category_code="200", p_countrycode="1101")
    assert (
        doc["condition"][0]["p_category_code"] == "100"
        and doc["condition"][0]["p_country_code"] == []
    )
    assert doc["data"]["item"][0]["item_code"] == "111"
    # EcoPriceList: p_countycode is ignored (p_countrycode is the filter).
    eco = body("EcoPriceList", p_regday="2026-06-02", p_countycode="1101")
    assert len({r["countyname"] for r in eco["data"]["item"]}) > 2
    eco_right = body("EcoPriceList", p_regday="2026-06-02", p_countrycode="1101")
    assert {r["countyname"] for r in eco_right["data"]["item"]} == {"평균", "서울"}


def test_period_end_clamped_to_today_and_compact_dates_accepted() -> None:
    doc = body("periodRetailProductList", **ONION, p_startday="20260601", p_endday="20261231")
    assert doc["condition"]["item"]["p_endday"] == "2026-06-05"
    assert doc["condition"]["item"]["p_startday"] == "2026-06-01"
    assert max(r["regday"] for r in doc["data"]["item"]) == "06/05"


def test_convert_kg_prices_per_kilogram() -> None:
    # 풋고추 is surveyed per 100 g: with Y the price is per kg (≈10×), unit text unchanged.
    n = category(p_item_category_code="200")
    y = category(p_item_category_code="200", p_convert_kg_yn="Y")

    def pick(d):
        return next(
            it
            for it in d["data"]["item"]
            if (it["item_code"], it["kind_code"], it["rank_code"]) == ("242", "00", "04")
        )

    pn, py = (int(pick(d)["dpr1"].replace(",", "")) for d in (n, y))
    assert pick(y)["unit"] == "100g" and 9.5 <= py / pn <= 10.5
    count = lambda d: next(it for it in d["data"]["item"] if it["item_code"] == "221")["dpr1"]  # noqa: E731
    assert count(n) == count(y)  # 수박 1개: a count unit is not converted


def test_same_seed_same_bytes_other_seed_other_prices() -> None:
    params = {
        **AUTH,
        "p_product_cls_code": "01",
        "p_item_category_code": "400",
        "p_regday": "2026-06-04",
    }
    a = render_body("dailyPriceByCategoryList", params, 123, TODAY).body
    b = render_body("dailyPriceByCategoryList", params, 123, TODAY).body
    c = render_body("dailyPriceByCategoryList", params, 124, TODAY).body
    assert a == b and a != c

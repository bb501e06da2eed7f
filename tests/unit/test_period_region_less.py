"""The region-less periodRetailProductList call (issue 12): simulator answer and parser.

One call without ``p_countrycode`` answers every city and market (API.md §3.3); the daily plan
relies on it giving the same market rows as the 24 per-region calls it replaces.
"""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest

from spark_jobs.kamis import codes
from spark_jobs.kamis.parsing import parse_body
from spark_jobs.simulator import render_body
from spark_jobs.simulator.model import round_half_up

pytestmark = pytest.mark.unit

SEED = 11
TODAY = date(2026, 6, 5)  # a Friday
AUTH = {"p_cert_key": "SECRET-KEY-123", "p_cert_id": "4242", "p_returntype": "json"}
ONION = {
    "p_itemcategorycode": "200",
    "p_itemcode": "245",
    "p_kindcode": "00",
    "p_productrankcode": "04",
}
PORK = {
    "p_itemcategorycode": "500",
    "p_itemcode": "4304",
    "p_kindcode": "27",
    "p_productrankcode": "00",
}
WINDOW = {"p_startday": "2026-05-30", "p_endday": "2026-06-05"}  # the 7-day correction window
REAL = "periodProductList__onion245_kind00_rank04_seoul_28day_2026-05-08_to_06-04__igb.json"
RETAIL = [r.code for r in codes.retail_regions()]


def sim(action: str = "periodRetailProductList", **params: str) -> tuple[dict, str]:
    rep = render_body(action, {**AUTH, **params, "p_convert_kg_yn": "N"}, SEED, TODAY)
    assert rep.status == 200
    text = rep.body.decode("utf-8")
    return json.loads(text), text


def params_of(**params: str) -> dict[str, str]:
    return {**params, "p_convert_kg_yn": "N", "p_returntype": "json"}


def groups(items: list[dict]) -> list[tuple]:
    return [k for k, _ in itertools.groupby((r["countyname"], r["marketname"]) for r in items)]


def test_region_less_body_has_the_real_body_shape(samples_dir):
    real = json.loads((samples_dir / REAL).read_text("utf-8"))
    doc, _ = sim(**ONION, **WINDOW)
    # envelope, condition echo (2026: an {"item": {...}} object with the same keys), row fields
    assert doc.keys() == real.keys() and doc["data"].keys() == real["data"].keys()
    assert doc["data"]["error_code"] == "000"
    assert doc["condition"]["item"].keys() == real["condition"]["item"].keys()
    assert doc["condition"]["item"]["p_countycode"] == []  # no region asked
    items, real_items = doc["data"]["item"], real["data"]["item"]
    assert {frozenset(r) for r in items} == {frozenset(r) for r in real_items}
    # value types as in the real body: strings, aggregates with null names
    for rows in (items, real_items):
        agg = [r for r in rows if r["countyname"] in ("평균", "평년")]
        assert agg and all(
            r["itemname"] is None and r["kindname"] is None and r["marketname"] is None for r in agg
        )
        assert all(isinstance(r["price"], str) and isinstance(r["yyyy"], str) for r in rows)
    # grouping as in the real body: all 평균, all 평년, then one block per (city, market)
    g = groups(items)
    assert g[:2] == [("평균", None), ("평년", None)] and groups(real_items)[:2] == g[:2]
    assert len(g) == len(set(g))
    cities = [c for c, _ in g[2:]]
    assert cities == sorted(cities, key=cities.index)  # each city's markets together
    assert len(set(cities)) >= 20  # a real all-region body had 23 cities (API.md §2.3)
    # one 평균 row per survey day of the window (05-30/31 weekend, 06-03 holiday)
    days = [r["regday"] for r in items if r["countyname"] == "평균"]
    assert days == ["06/01", "06/02", "06/04", "06/05"]


def test_region_less_body_is_the_union_of_the_regional_bodies():
    doc, _ = sim(**ONION, **WINDOW)
    markets = [r for r in doc["data"]["item"] if r["countyname"] not in ("평균", "평년")]
    union = []
    for region in RETAIL:
        one, _ = sim(**ONION, **WINDOW, p_countrycode=region)
        if isinstance(one["data"], dict):
            union += [r for r in one["data"]["item"] if r["countyname"] not in ("평균", "평년")]
    as_set = {tuple(sorted(r.items())) for r in markets}
    regional = {tuple(sorted(r.items())) for r in union}
    assert len(as_set) == len(markets) and len(regional) == len(union)
    # every regional row is in the region-less body; the only extra rows are "-" (a market of a
    # city with no price at all that day: the regional body leaves such a day out, the all-city
    # body lists its dates for every market)
    assert regional <= as_set
    assert {dict(r)["price"] for r in as_set - regional} <= {"-"}
    # 평균 of the region-less body: the rounded mean of every market priced that day
    for avg in (r for r in doc["data"]["item"] if r["countyname"] == "평균"):
        prices = [
            int(r["price"].replace(",", ""))
            for r in markets
            if r["regday"] == avg["regday"] and r["price"] != "-"
        ]
        assert int(avg["price"].replace(",", "")) == round_half_up(sum(prices) / len(prices))


@pytest.mark.parametrize("combo", [ONION, PORK], ids=["onion", "pork"])
def test_parser_gives_the_regional_market_rows_and_a_national_average(combo):
    _, text = sim(**combo, **WINDOW)
    res = parse_body("periodRetailProductList", text, params_of(**combo, **WINDOW))
    assert res.outcome.value == "ok" and res.row_errors == []
    market = [r for r in res.rows if r["row_type"] == "market"]
    aggregates = [r for r in res.rows if r["row_type"] != "market"]
    # 평균/평년 of a region-less body average every city: the national 0000
    assert aggregates and {(r["country_cd"], r["country_nm"]) for r in aggregates} == {
        ("0000", "전국")
    }
    assert {r["item_cd"] for r in res.rows} == {combo["p_itemcode"]}
    # market rows: the same rows as the 24 regional bodies' market rows, each with its own city
    union = []
    for region in RETAIL:
        _, one = sim(**combo, **WINDOW, p_countrycode=region)
        got = parse_body(
            "periodRetailProductList", one, params_of(**combo, **WINDOW, p_countrycode=region)
        )
        union += [r for r in got.rows if r["row_type"] == "market"]

    def key(r: dict) -> tuple:
        return tuple(sorted((k, str(v)) for k, v in r.items()))

    # priced rows are exactly the same; the region-less body only adds "-" rows (see above)
    priced = sorted(key(r) for r in market if r["price"] is not None)
    assert priced and priced == sorted(key(r) for r in union if r["price"] is not None)
    assert {key(r) for r in union} <= {key(r) for r in market}
    assert len({r["country_cd"] for r in market}) >= 20


def test_regional_average_rows_keep_their_region():
    # the regional call (the plan before issue 12) labels its 평균 with the region asked for
    _, text = sim(**ONION, **WINDOW, p_countrycode="1101")
    res = parse_body(
        "periodRetailProductList", text, params_of(**ONION, **WINDOW, p_countrycode="1101")
    )
    assert {r["country_cd"] for r in res.rows} == {"1101"}

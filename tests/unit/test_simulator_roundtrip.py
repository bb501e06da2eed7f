"""Simulator body → spark_jobs.kamis.parsing.parse_body rows, for every action, shape and format."""

from __future__ import annotations

from datetime import date

import pytest

from spark_jobs.kamis.parsing import Outcome, parse_body
from spark_jobs.simulator import render_body

pytestmark = pytest.mark.unit

SEED = 5
TODAY = date(2026, 6, 5)
AUTH = {"p_cert_key": "K-SECRET", "p_cert_id": "77"}
CASES = [
    ("dailyPriceByCategoryList", {"p_product_cls_code": "01", "p_item_category_code": "200", "p_regday": "2026-06-04", "p_country_code": "1101"}),
    ("dailyPriceByCategoryList", {"p_product_cls_code": "01", "p_item_category_code": "500", "p_regday": "2026-05-31"}),
    ("periodRetailProductList", {"p_startday": "2026-06-01", "p_endday": "2026-06-05", "p_itemcategorycode": "200",
                                 "p_itemcode": "245", "p_kindcode": "00", "p_productrankcode": "04", "p_countrycode": "1101"}),
    ("periodWholesaleProductList", {"p_startday": "2026-06-01", "p_endday": "2026-06-05", "p_itemcategorycode": "200",
                                    "p_itemcode": "245", "p_kindcode": "00", "p_productrankcode": "04"}),
    ("EcoPriceList", {"p_regday": "2026-06-04"}),
    ("periodEcoPriceList", {"p_startday": "2026-05-01", "p_endday": "2026-06-05"}),
    ("dailyCountyList", {"p_countycode": "1101"}),
    ("productInfo", {}),
]  # fmt: skip


@pytest.mark.parametrize("shape", ["2026", "2020", "xml-derived"])
@pytest.mark.parametrize("returntype", ["json", "xml"])
@pytest.mark.parametrize(
    ("action", "params"), CASES, ids=[f"{a}-{i}" for i, (a, _) in enumerate(CASES)]
)
def test_every_body_parses_without_row_errors(
    action: str, params: dict, returntype: str, shape: str
) -> None:
    req = {**AUTH, **params, "p_returntype": returntype}
    res = parse_body(action, render_body(action, req, SEED, TODAY, shape).body, req)
    assert res.outcome == Outcome.OK and res.result_cd == "000", res.reason
    assert res.rows and not res.row_errors


def test_category_rows_carry_dates_and_prices() -> None:
    req = {
        **AUTH,
        "p_returntype": "json",
        "p_product_cls_code": "01",
        "p_item_category_code": "200",
        "p_regday": "2026-06-04",
    }
    res = parse_body(
        "dailyPriceByCategoryList",
        render_body("dailyPriceByCategoryList", req, SEED, TODAY).body,
        req,
    )
    onion = next(
        r for r in res.rows if (r["item_cd"], r["kind_cd"], r["rank_cd"]) == ("245", "00", "04")
    )
    assert (
        onion["res_dt"] == "2026-06-04"
        and onion["dt_1w"] == "2026-05-28"
        and onion["dt_1y"] == "2025-06-04"
    )
    assert onion["country_cd"] == "0000" and onion["price_1d"] is None and onion["price"] > 0


def test_period_market_rows_resolve_regions() -> None:
    req = {**AUTH, "p_returntype": "xml", **dict(CASES[2][1])}
    res = parse_body(
        "periodRetailProductList",
        render_body("periodRetailProductList", req, SEED, TODAY).body,
        req,
    )
    kinds = {r["row_type"] for r in res.rows}
    assert kinds == {"market", "average", "normal"}
    assert {r["country_cd"] for r in res.rows if r["row_type"] == "market"} == {"1101"}


@pytest.mark.parametrize(
    ("params", "outcome", "code"),
    [
        ({"p_regday": "2026-05-30"}, Outcome.NO_DATA, "001"),
        ({"p_regday": "2026-05-29", "p_cert_key": ""}, Outcome.UNAUTHENTICATED, "900"),
        ({"p_regday": "29-05-2026"}, Outcome.BAD_REQUEST, "200"),
    ],
)
def test_result_codes_parse(params: dict, outcome: Outcome, code: str) -> None:
    for rt in ("json", "xml"):
        req = {
            **AUTH,
            "p_returntype": rt,
            "p_product_cls_code": "01",
            "p_item_category_code": "100",
            **params,
        }
        res = parse_body(
            "dailyPriceByCategoryList",
            render_body("dailyPriceByCategoryList", req, SEED, TODAY).body,
            req,
        )
        assert (res.outcome, res.result_cd) == (outcome, code)

"""A 000 answer with no price for the day asked (issue 8 item 1): not yet published on a survey
day, no data on a day without a survey. Built on the real 2026-06-04 (Thursday) bodies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spark_jobs.kamis.parsing import Outcome, parse_body
from spark_jobs.silver.parse import CATEGORY_FIELDS, parse_records

pytestmark = pytest.mark.unit

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "kamis_samples"
CAT200 = "dailyPriceByCategoryList__cat200_vegetables_retail_national_2026-06-04__igb.json"
ONION = "periodProductList__onion245_kind00_rank04_seoul_28day_2026-05-08_to_06-04__igb.json"


def cat200(regday: str = "2026-06-04", category: str = "200", dpr1: str | None = "-") -> str:
    """The real cat200 body re-dated to ``regday``, every dpr1 replaced by ``dpr1``."""
    doc = json.loads((SAMPLES / CAT200).read_text(encoding="utf-8"))
    doc["condition"][0].update(p_regday=regday, p_category_code=category)
    for row in doc["data"]["item"]:
        row["day1"] = f"당일 ({regday[5:7]}/{regday[8:]})"
        if dpr1 is not None:
            row["dpr1"] = dpr1
    return json.dumps(doc, ensure_ascii=False)


def test_all_dash_answer_for_a_survey_day_is_not_yet_published():
    # 2026-06-04 is a Thursday, a produce survey day; the 51 rows keep dpr2..dpr7, dpr1 is "-".
    res = parse_body("dailyPriceByCategoryList", cat200())
    assert (res.outcome, res.result_cd) == (Outcome.NOT_PUBLISHED, "000")
    assert res.reason == "result 000 but no price for survey day 2026-06-04: not yet published"


def test_the_real_answer_with_two_dash_rows_is_data():
    # the real body has 2 of 51 rows with dpr1 "-": a published day with gaps, not unpublished
    res = parse_body("dailyPriceByCategoryList", cat200(dpr1=None))
    assert res.outcome is Outcome.OK and sum(r["price"] is None for r in res.rows) == 2


def test_all_dash_produce_answer_on_a_saturday_is_no_data():
    res = parse_body("dailyPriceByCategoryList", cat200("2026-06-13"))  # Saturday
    assert res.outcome is Outcome.NO_DATA
    assert res.reason == "result 000 but no price: 2026-06-13 is no survey day for category 200"


def test_all_dash_livestock_answer_on_a_saturday_is_not_yet_published():
    # livestock (500) is surveyed every calendar day
    res = parse_body("dailyPriceByCategoryList", cat200("2026-06-13", category="500"))
    assert res.outcome is Outcome.NOT_PUBLISHED


def test_period_body_whose_day_has_no_average_and_no_market_price_is_not_yet_published():
    # the real onion body cut to its last day 06/04 (평균 1,739, 평년, 9 Seoul markets); then
    # every 평균 and market price "-" while 평년 keeps its value, as before publication.
    doc = json.loads((SAMPLES / ONION).read_text(encoding="utf-8"))
    doc["data"]["item"] = [r for r in doc["data"]["item"] if r["regday"] == "06/04"]
    assert len(doc["data"]["item"]) == 11
    params = {"p_startday": "2026-06-04", "p_endday": "2026-06-04", "p_countrycode": "1101",
              "p_itemcategorycode": "200"}  # fmt: skip
    published = parse_body("periodRetailProductList", json.dumps(doc, ensure_ascii=False), params)
    assert published.outcome is Outcome.OK
    for row in doc["data"]["item"]:
        if row["countyname"] != "평년":
            row["price"] = "-"
    res = parse_body("periodRetailProductList", json.dumps(doc, ensure_ascii=False), params)
    assert res.outcome is Outcome.NOT_PUBLISHED


def test_silver_takes_no_rows_from_a_not_yet_published_body():
    raw = {"request_id": "r1", "action": "dailyPriceByCategoryList", "outcome": "not_published",
           "error_msg": None, "body": cat200(),
           "params_json": json.dumps({"p_regday": "2026-06-04"})}  # fmt: skip
    recs = list(parse_records(raw, CATEGORY_FIELDS, parse_body))
    assert [(r["kind"], r.get("parse_outcome")) for r in recs] == [("body", "not_published")]


def test_parse_cli_says_the_day_is_not_yet_published(tmp_path):
    import io

    from spark_jobs.kamis.parse_cli import run

    path = tmp_path / "cat200.json"
    path.write_text(cat200(), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run("dailyPriceByCategoryList", path, out, err) == 0
    assert err.getvalue() == (
        "not_published: result 000 but no price for survey day 2026-06-04: not yet published\n"
    )
    assert len(out.getvalue().splitlines()) == 51

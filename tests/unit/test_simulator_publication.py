"""The simulator publishes today's (KST) prices only from its publication hour (issue 8 item 1):
before it, today is answered like KAMIS answers an unpublished day. Fixed clocks, no HTTP."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from spark_jobs.dates import KST
from spark_jobs.kamis.parsing import Outcome, parse_body
from spark_jobs.simulator import get_model
from spark_jobs.simulator.actions import PATH, Renderer
from spark_jobs.simulator.server import SimulatorServer

pytestmark = pytest.mark.unit

SEED = 11
TODAY = date(2026, 6, 4)  # Thursday; 06-03 is a holiday (지방선거), 06-02 a Tuesday survey day
AUTH = {"p_cert_key": "k", "p_cert_id": "i", "p_returntype": "json"}
CAT = {"p_product_cls_code": "01", "p_item_category_code": "200"}
ONION = {"p_itemcategorycode": "200", "p_itemcode": "245", "p_kindcode": "00",
         "p_productrankcode": "04", "p_countrycode": "1101"}  # fmt: skip


def at(hour: int, minute: int = 0, day: date = TODAY) -> Renderer:
    """A renderer whose clock stands at ``day`` ``hour:minute`` KST; publication at 14:00."""
    now = datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)
    return Renderer(get_model(SEED), TODAY, publication_hour_kst=14, clock=lambda: now)


def render(r: Renderer, action: str, **params: str) -> str:
    return r.render(PATH, {**AUTH, **params, "action": action}).body.decode("utf-8")


def rows(text: str) -> list[dict]:
    return json.loads(text)["data"]["item"]


def test_today_before_the_hour_is_000_with_every_price_of_the_day_dash():
    early = render(at(13, 59), "dailyPriceByCategoryList", p_regday="2026-06-04", **CAT)
    late = render(at(14, 0), "dailyPriceByCategoryList", p_regday="2026-06-04", **CAT)
    assert json.loads(early)["data"]["error_code"] == "000"
    assert {r["dpr1"] for r in rows(early)} == {"-"}
    assert any(r["dpr1"] != "-" for r in rows(late))
    # everything but dpr1 is the published body's: the earlier days are published
    assert [{**r, "dpr1": None} for r in rows(early)] == [{**r, "dpr1": None} for r in rows(late)]
    params = {"p_regday": "2026-06-04", **CAT}
    assert parse_body("dailyPriceByCategoryList", early, params).outcome is Outcome.NOT_PUBLISHED
    assert parse_body("dailyPriceByCategoryList", late, params).outcome is Outcome.OK


def test_earlier_days_are_published_before_the_hour():
    early = render(at(8), "dailyPriceByCategoryList", p_regday="2026-06-02", **CAT)
    late = render(at(15), "dailyPriceByCategoryList", p_regday="2026-06-02", **CAT)
    assert early == late and any(r["dpr1"] != "-" for r in rows(early))


def test_livestock_is_unpublished_before_the_hour_too():
    early = render(at(9), "dailyPriceByCategoryList", p_regday="2026-06-04",
                   p_product_cls_code="01", p_item_category_code="500")  # fmt: skip
    assert {r["dpr1"] for r in rows(early)} == {"-"}


def test_the_clock_is_read_in_kst_whatever_its_zone():
    # 05:00 UTC = 14:00 KST; a naive clock means KST
    m = get_model(SEED)
    assert Renderer(
        m, TODAY, clock=lambda: datetime(2026, 6, 4, 5, 0, tzinfo=UTC)
    ).today_published()
    assert not Renderer(
        m, TODAY, clock=lambda: datetime(2026, 6, 4, 4, 59, tzinfo=UTC)
    ).today_published()
    assert not Renderer(m, TODAY, clock=lambda: datetime(2026, 6, 4, 13, 59)).today_published()
    # the next day, the simulator's today is long published
    assert Renderer(
        m, TODAY, clock=lambda: datetime(2026, 6, 5, 1, 0, tzinfo=KST)
    ).today_published()


def test_period_window_ending_today_has_today_dash_before_the_hour():
    # window 06-02..06-04: 06-02 surveyed, 06-03 holiday (absent), 06-04 today
    params = {"p_startday": "2026-06-02", "p_endday": "2026-06-04", **ONION}
    early = rows(render(at(10), "periodRetailProductList", **params))
    late = rows(render(at(16), "periodRetailProductList", **params))
    today_early = [r for r in early if r["regday"] == "06/04"]
    assert {r["regday"] for r in early} == {"06/02", "06/04"}
    assert {r["price"] for r in today_early if r["countyname"] != "평년"} == {"-"}
    assert [r["price"] for r in today_early if r["countyname"] == "평년"] == [
        r["price"] for r in late if r["regday"] == "06/04" and r["countyname"] == "평년"
    ]
    assert [r for r in early if r["regday"] == "06/02"] == [
        r for r in late if r["regday"] == "06/02"
    ]
    one_day = {**params, "p_startday": "2026-06-04"}
    text = render(at(10), "periodRetailProductList", **one_day)
    assert parse_body("periodRetailProductList", text, one_day).outcome is Outcome.NOT_PUBLISHED


def test_county_snapshot_is_the_previous_survey_day_before_the_hour():
    early = json.loads(render(at(10), "dailyCountyList", p_countycode="1101"))["price"]
    late = json.loads(render(at(14), "dailyCountyList", p_countycode="1101"))["price"]
    # 06-03 is a holiday, so the latest published survey before 14:00 on 06-04 is 06-02
    assert {r["lastest_day"] for r in early} == {"2026-06-02"}
    assert {r["lastest_day"] for r in late} == {"2026-06-04"}


def test_the_server_hands_its_hour_and_clock_to_the_renderer():
    sim = SimulatorServer(SEED, TODAY, publication_hour_kst=9,
                          clock=lambda: datetime(2026, 6, 4, 8, 59, tzinfo=KST))  # fmt: skip
    assert (sim.renderer.publication_hour_kst, sim.renderer.today_published()) == (9, False)


def test_the_simulate_command_takes_the_publication_hour():
    from spark_jobs.cli import build_parser
    from spark_jobs.simulator.server import run_from_args

    args = build_parser().parse_args(["simulate", "--port", "0", "--publication-hour-kst", "9"])
    assert (args.fn, args.publication_hour_kst) == (run_from_args, 9)
    assert build_parser().parse_args(["simulate"]).publication_hour_kst is None  # → 14 KST

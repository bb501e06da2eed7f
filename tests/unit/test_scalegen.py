"""testkit.scalegen without Spark: the plan, the fast classification, the stamps, no credentials."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from spark_jobs.dates import KST
from spark_jobs.kamis.client import SIMULATOR_CREDENTIALS
from spark_jobs.kamis.outcomes import Outcome
from spark_jobs.kamis.parsing import decode, parse_body
from spark_jobs.kamis.redact import redact_body
from spark_jobs.kamis.scope import Scope
from spark_jobs.simulator import get_model
from spark_jobs.simulator.actions import PATH, Renderer
from testkit import scalegen

pytestmark = pytest.mark.unit

SEED = scalegen.DEFAULT_SEED
SURVEY_DAY, HOLIDAY = date(2026, 6, 4), date(2026, 6, 3)  # Thursday; 지방선거
SEOUL = Scope.from_settings({"regions": "1101"})


def _renderer(day: date, hour_kst: int | None = None) -> Renderer:
    if hour_kst is None:
        return Renderer(get_model(SEED), day)
    now = datetime(day.year, day.month, day.day, hour_kst, tzinfo=KST)
    return Renderer(get_model(SEED), day, publication_hour_kst=14, clock=lambda: now)


def test_day_plan_is_the_daily_collectors():
    plan = scalegen.day_plan(SURVEY_DAY, Scope())
    counts = {k: len(v) for k, v in plan.items()}
    assert counts == {"daily_price_by_category_list": 186, "daily_county_list": 24,
                      "period_retail_product_list": 346, "eco_price_list": 114,
                      "product_info": 1}  # fmt: skip
    assert all(r.req_dt == SURVEY_DAY for reqs in plan.values() for r in reqs)
    period = plan["period_retail_product_list"][0]
    assert (period.window_start, period.window_end) == (SURVEY_DAY - timedelta(days=6), SURVEY_DAY)


@pytest.mark.parametrize(
    ("day", "scope", "hour", "expected"),
    [
        (SURVEY_DAY, Scope(), None, Outcome.OK),  # full coverage, published
        (HOLIDAY, SEOUL, None, Outcome.NO_DATA),  # no produce survey: 001 and "-" bodies
        (SURVEY_DAY, SEOUL, 9, Outcome.NOT_PUBLISHED),  # 09:00 KST: today not yet published
    ],
    ids=["survey-day", "holiday", "before-publication"],
)
def test_classify_equals_the_collectors_parse(day, scope, hour, expected):
    renderer = _renderer(day, hour)
    outcomes: Counter[Outcome] = Counter()
    for reqs in scalegen.day_plan(day, scope).values():
        for req in reqs:
            reply = renderer.render(PATH, {**req.query(), **SIMULATOR_CREDENTIALS})
            body = redact_body(decode(reply.body))
            parsed = parse_body(req.action, body, req.params)
            got = scalegen.classify(req.action, body, req.params)
            assert got == (parsed.outcome, parsed.result_cd, parsed.reason), req.describe()
            outcomes[got[0]] += 1
    assert outcomes[expected] > 0, outcomes


def test_rows_carry_no_credentials_and_the_collectors_columns():
    cfg = scalegen.GenConfig(SURVEY_DAY, SURVEY_DAY, Scope.from_settings({"items": "211"}))
    rows = scalegen.day_rows(SURVEY_DAY, cfg)
    flat = [r for out in rows.values() for r in out]
    assert flat and all(r["api_mode"] == "simulator" and r["attempts"] == 1 for r in flat)
    for value in SIMULATOR_CREDENTIALS.values():
        assert not any(value in (r["body"] or "") or value in r["params_json"] for r in flat)
    assert not any("p_cert" in (r["body"] or "") for r in flat)


def test_fetch_stamps_grow_with_the_day_and_the_call():
    now = datetime(2030, 1, 1, tzinfo=UTC)
    a = scalegen.fetch_stamp(SURVEY_DAY, 0, 14, now)
    b = scalegen.fetch_stamp(SURVEY_DAY, 670, 14, now)
    c = scalegen.fetch_stamp(SURVEY_DAY + timedelta(days=1), 0, 14, now)
    assert a == datetime(2026, 6, 4, 15, tzinfo=KST) and a < b < c
    assert scalegen.fetch_stamp(SURVEY_DAY, 0, 14, a - timedelta(hours=1)) < a  # capped at now


def test_blocks_cut_consecutive_days():
    days = [SURVEY_DAY + timedelta(days=i) for i in range(10)]
    assert [len(b) for b in scalegen.blocks(days, 4)] == [4, 4, 2]

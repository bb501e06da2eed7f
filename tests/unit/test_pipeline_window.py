from datetime import date

import pytest

from spark_jobs.config import load_profile
from spark_jobs.jobs import Job, JobContext
from spark_jobs.pipeline import job_context

pytestmark = pytest.mark.unit


def _job(layer: str) -> Job:
    return Job(f"{layer}.probe", layer, "probe", lambda ctx: None, 1)


def _ctx(full_refresh: bool = False, options: dict | None = None) -> JobContext:
    # A one-day daily run for Tuesday 2026-12-01.
    return JobContext.of(
        None, load_profile("local"), date(2026, 12, 1), date(2026, 12, 1), full_refresh, options
    )


def test_gold_rebuilds_the_publication_look_back_so_late_days_reach_the_marts():
    # kamis.publication_lookback_days = 7 in the local profile: 12-01 back to 11-25.
    ctx = job_context(_job("gold"), _ctx())
    assert (ctx.window.start, ctx.window.end) == (date(2026, 11, 25), date(2026, 12, 1))


def test_the_look_back_follows_the_setting_and_leaves_raw_silver_and_full_refreshes_alone():
    ctx = job_context(_job("gold"), _ctx(options={"kamis.publication_lookback_days": "3"}))
    assert ctx.window.start == date(2026, 11, 29)  # 12-01, 11-30, 11-29
    assert job_context(_job("gold"), _ctx(full_refresh=True)).window.start == date(2026, 12, 1)
    for layer in ("raw", "silver"):
        assert job_context(_job(layer), _ctx()).window.start == date(2026, 12, 1)

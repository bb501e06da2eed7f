"""The signal marts' look-back ranges and job registration (pure Python, no Spark)."""

from __future__ import annotations

from datetime import date

import pytest

from spark_jobs.gold._signals import lookback_ranges, years_before
from spark_jobs.jobs import registered_jobs

pytestmark = pytest.mark.unit


def test_years_before_clamps_leap_day_like_add_months() -> None:
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert years_before(date(2024, 2, 29), 4) == date(2020, 2, 29)
    assert years_before(date(2024, 3, 13), 5) == date(2019, 3, 13)


def test_band_lookback_is_five_shifted_slices_plus_the_window() -> None:
    # one day, 5 years back, ±3 days: 5 seven-day slices and the day itself
    got = lookback_ranges(date(2024, 3, 13), date(2024, 3, 13), years=5, half_width=3)
    assert got == [
        (date(2019, 3, 10), date(2019, 3, 16)),
        (date(2020, 3, 10), date(2020, 3, 16)),
        (date(2021, 3, 10), date(2021, 3, 16)),
        (date(2022, 3, 10), date(2022, 3, 16)),
        (date(2023, 3, 10), date(2023, 3, 16)),
        (date(2024, 3, 13), date(2024, 3, 13)),
    ]


def test_overlapping_slices_merge() -> None:
    # a 2-year window: 56 trailing days give 2021-11-06..2023-12-31; the 1-year-back slice
    # 2020-12-29..2023-01-03 (2021-01-01 − 3, 2022-12-31 + 3) overlaps it → one range
    got = lookback_ranges(date(2022, 1, 1), date(2023, 12, 31), back_days=56, years=1, half_width=3)
    assert got == [(date(2020, 12, 29), date(2023, 12, 31))]
    # trailing look-back only
    assert lookback_ranges(date(2024, 1, 28), date(2024, 1, 31), back_days=27) == [
        (date(2024, 1, 1), date(2024, 1, 31))
    ]


def test_signal_jobs_registered_in_order() -> None:
    jobs = registered_jobs()
    names = [
        "gold.mart_price_normal_band",
        "gold.mart_price_trend",
        "gold.mart_volatility",
        "gold.mart_buy_signal",
        "gold.mart_price_alerts",
    ]
    assert [jobs[n].order for n in names] == [50, 60, 70, 80, 90]
    # the band is published before the marts that read it
    order = list(jobs)
    assert (
        order.index("gold.mart_price_normal_band")
        < order.index("gold.mart_buy_signal")
        < order.index("gold.mart_price_alerts")
    )

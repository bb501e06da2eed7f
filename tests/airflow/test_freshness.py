"""The freshness check's verdicts, worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from spark_jobs.ops.freshness import late_sources

pytestmark = pytest.mark.unit
D = date(2026, 11, 26)


def _row(name, latest, as_of=D):
    return {"source_nm": name, "latest_dt": latest, "as_of_dt": as_of}


def test_fresh_sources_pass():
    rows = [
        _row("dailyPriceByCategoryList", date(2026, 11, 26)),
        _row("EcoPriceList", date(2026, 11, 20)),
    ]
    assert late_sources(rows, D) == []


def test_late_missing_and_stale_status_are_reported():
    rows = [
        _row("dailyPriceByCategoryList", date(2026, 11, 22)),  # 4 days > 3
        _row("dailyCountyList", None),
        _row("productInfo", date(2026, 11, 25), as_of=date(2026, 11, 25)),
        _row("EcoPriceList", date(2026, 11, 16)),  # 10 days: allowed for a weekly source
    ]
    late = late_sources(rows, D)
    assert [line.split(":")[0] for line in late] == [
        "dailyPriceByCategoryList",
        "dailyCountyList",
        "productInfo",
    ]
    assert late_sources([], D) == ["mart_update_status: no rows (the gold build has not run)"]

from datetime import date

import pytest

from spark_jobs.backfill import backfill, load_done, month_windows

pytestmark = pytest.mark.unit


def test_month_windows_split_at_month_ends_with_partial_first_and_last():
    assert month_windows(date(2024, 1, 15), date(2024, 3, 10)) == [
        (date(2024, 1, 15), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        (date(2024, 3, 1), date(2024, 3, 10)),
    ]
    assert month_windows(date(2026, 12, 5), date(2026, 12, 5)) == [
        (date(2026, 12, 5), date(2026, 12, 5))
    ]
    assert len(month_windows(date(2021, 1, 1), date(2025, 12, 31))) == 60
    with pytest.raises(ValueError, match="before start"):
        month_windows(date(2026, 2, 1), date(2026, 1, 1))


def test_a_stopped_backfill_resumes_at_the_first_unfinished_month(tmp_path):
    state = tmp_path / "bf" / "state.json"
    calls: list[tuple[date, date]] = []

    def failing_in_february(s: date, e: date) -> None:
        calls.append((s, e))
        if s.month == 2:
            raise RuntimeError("KAMIS down")

    with pytest.raises(RuntimeError, match="KAMIS down"):
        backfill(date(2026, 1, 1), date(2026, 4, 30), failing_in_february, state, progress=False)
    assert calls == [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28))]
    assert load_done(state) == {"2026-01-01..2026-01-31"}

    calls.clear()
    ran = backfill(
        date(2026, 1, 1),
        date(2026, 4, 30),
        lambda s, e: calls.append((s, e)),
        state,
        progress=False,
    )
    # January is not run again; February (cut short) and the rest are
    assert (
        calls
        == ran
        == [
            (date(2026, 2, 1), date(2026, 2, 28)),
            (date(2026, 3, 1), date(2026, 3, 31)),
            (date(2026, 4, 1), date(2026, 4, 30)),
        ]
    )
    assert len(load_done(state)) == 4
    # a finished backfill run again does nothing
    assert (
        backfill(date(2026, 1, 1), date(2026, 4, 30), lambda s, e: 1 / 0, state, progress=False)
        == []
    )

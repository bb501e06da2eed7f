"""Date helpers: KAMIS dates are Korean calendar dates (Asia/Seoul)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


def today_kst() -> date:
    """Return today's date in Korea."""
    return datetime.now(KST).date()


def parse_date(text: str) -> date:
    """Parse ``YYYY-MM-DD`` with a clear error."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not a date (want YYYY-MM-DD): {text!r}") from exc


def date_range(start: date, end: date) -> list[date]:
    """Return every date from ``start`` to ``end`` inclusive."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def date_arg(text: str) -> date:
    """``argparse`` type for ``YYYY-MM-DD`` whose error message says what was wrong."""
    import argparse

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc

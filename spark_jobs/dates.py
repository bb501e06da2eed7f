"""Date helpers: KAMIS dates are Korean calendar dates (Asia/Seoul)."""

from __future__ import annotations

from datetime import date, datetime
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


def date_arg(text: str) -> date:
    """``argparse`` type for ``YYYY-MM-DD`` whose error message says what was wrong."""
    import argparse

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc

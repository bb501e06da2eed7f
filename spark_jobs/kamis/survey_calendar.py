"""Survey calendar: Korean public holidays 2019–2027 and which days each source is surveyed.

Produce (categories 100–400, 600) is surveyed on weekdays that are not public holidays;
livestock (500) every calendar day; eco prices once a week, on Tuesday (skipped when Tuesday is
a holiday). The holiday table is fixed (lunar dates are looked up, not computed).
"""

from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta
from functools import cache

ECO_SURVEY_WEEKDAY = 1  # Tuesday (Monday = 0)

_FIXED = ("01-01", "03-01", "05-05", "06-06", "08-15", "10-03", "10-09", "12-25")

# 설날 (3 days), 추석 (3 days), 부처님오신날, substitute holidays, election days and one-off
# temporary holidays, per year (ISO month-day).
_LUNAR_AND_SPECIAL: dict[int, tuple[str, ...]] = {
    2019: ("02-04", "02-05", "02-06", "05-06", "05-12", "09-12", "09-13", "09-14"),
    2020: (
        "01-24",
        "01-25",
        "01-26",
        "01-27",
        "04-15",
        "04-30",
        "08-17",
        "09-30",
        "10-01",
        "10-02",
    ),
    2021: (
        "02-11",
        "02-12",
        "02-13",
        "05-19",
        "08-16",
        "09-20",
        "09-21",
        "09-22",
        "10-04",
        "10-11",
    ),
    2022: (
        "01-31",
        "02-01",
        "02-02",
        "03-09",
        "05-08",
        "06-01",
        "09-09",
        "09-10",
        "09-11",
        "09-12",
        "10-10",
    ),
    2023: (
        "01-21",
        "01-22",
        "01-23",
        "01-24",
        "05-27",
        "05-29",
        "09-28",
        "09-29",
        "09-30",
        "10-02",
    ),
    2024: (
        "02-09",
        "02-10",
        "02-11",
        "02-12",
        "04-10",
        "05-06",
        "05-15",
        "09-16",
        "09-17",
        "09-18",
        "10-01",
    ),
    2025: (
        "01-27",
        "01-28",
        "01-29",
        "01-30",
        "03-03",
        "05-06",
        "06-03",
        "10-05",
        "10-06",
        "10-07",
        "10-08",
    ),
    2026: (
        "02-16",
        "02-17",
        "02-18",
        "03-02",
        "05-24",
        "05-25",
        "06-03",
        "08-17",
        "09-24",
        "09-25",
        "09-26",
        "10-05",
    ),
    2027: (
        "02-06",
        "02-07",
        "02-08",
        "02-09",
        "05-13",
        "08-16",
        "09-14",
        "09-15",
        "09-16",
        "10-04",
        "10-11",
        "12-27",
    ),
}

HOLIDAY_YEARS = range(2019, 2028)


@cache
def holidays(year: int) -> frozenset[date]:
    """Return the Korean public holidays of ``year`` (fixed ones only outside 2019–2027)."""
    days = list(_FIXED) + list(_LUNAR_AND_SPECIAL.get(year, ()))
    return frozenset(date.fromisoformat(f"{year}-{md}") for md in days)


def is_holiday(d: date) -> bool:
    """Return True when ``d`` is a Korean public holiday."""
    return d in holidays(d.year)


def is_produce_survey_day(d: date) -> bool:
    """Return True when produce prices are surveyed on ``d`` (weekdays that are not holidays)."""
    return d.weekday() < 5 and not is_holiday(d)


def is_eco_survey_day(d: date) -> bool:
    """Return True when eco prices are surveyed on ``d`` (Tuesdays that are not holidays)."""
    return d.weekday() == ECO_SURVEY_WEEKDAY and not is_holiday(d)


def is_survey_day(d: date, livestock: bool) -> bool:
    """Return True when a series of this kind has a survey on ``d``."""
    return True if livestock else is_produce_survey_day(d)


def latest_survey_day(d: date, livestock: bool = False, eco: bool = False) -> date:
    """Return the latest survey day on or before ``d``."""
    check = is_eco_survey_day if eco else (lambda x: is_survey_day(x, livestock))
    while not check(d):
        d -= timedelta(days=1)
    return d


def previous_survey_day(d: date, livestock: bool = False) -> date:
    """Return the latest survey day strictly before ``d``."""
    return latest_survey_day(d - timedelta(days=1), livestock)


def minus_months(d: date, months: int) -> date:
    """Return ``d`` minus whole calendar months, clamped to the end of a shorter month."""
    total = d.year * 12 + d.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def minus_years(d: date, years: int) -> date:
    """Return the same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)

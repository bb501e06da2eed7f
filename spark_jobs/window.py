"""A job's date window: what it reads, what it publishes, and whether it rebuilds everything.

Built once per run (:meth:`Window.of`) and carried on the job context; every read, filter and
publish of a job takes its dates from here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class Window:
    """The days a job works on.

    Attributes:
        start: First day published (inclusive).
        end: Last day published (inclusive).
        full_refresh: Rebuild whole tables: read everything, overwrite everything.
        lookback_start: First day of the publication look-back (≤ ``start``; None: no look-back):
            KAMIS answers a day before publishing it, the raw jobs ask those days again, and the
            jobs downstream of collection re-derive them (:meth:`with_lookback`).
    """

    start: date
    end: date
    full_refresh: bool = False
    lookback_start: date | None = None

    @classmethod
    def of(
        cls, start: date, end: date, full_refresh: bool = False, lookback_days: int = 0
    ) -> Window:
        """Return the window ``start..end`` whose look-back covers the ``lookback_days`` days ending at ``end``."""
        if end < start:
            raise ValueError(f"window end {end} is before start {start}")
        if lookback_days <= 0:
            return cls(start, end, full_refresh)
        return cls(start, end, full_refresh, min(start, end - timedelta(days=lookback_days - 1)))

    @property
    def first_lookback_day(self) -> date:
        """Return the first day of the publication look-back (``start`` when there is none)."""
        return self.lookback_start or self.start

    def with_lookback(self) -> Window:
        """Return the window starting at the look-back (unchanged on a full refresh)."""
        if self.full_refresh:
            return self
        return replace(self, start=self.first_lookback_day)

    @property
    def bounds(self) -> tuple[date | None, date | None]:
        """Return the publish range a transform keeps: ``(None, None)`` (everything) on a full refresh."""
        return (None, None) if self.full_refresh else (self.start, self.end)

    def read_range(
        self, back_days: int = 0, ahead_days: int = 0
    ) -> tuple[date | None, date | None]:
        """Return the publish range widened by ``back_days`` before and ``ahead_days`` after.

        ``(None, None)`` (everything) on a full refresh.
        """
        if self.full_refresh:
            return None, None
        return self.start - timedelta(days=back_days), self.end + timedelta(days=ahead_days)

"""Backfill a date range month by month in one SparkSession, resumable from a state file."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tqdm import tqdm

# run(start, end) runs every job for one window; raising stops the backfill (state kept).
WindowRunner = Callable[[date, date], Any]


def month_windows(start: date, end: date) -> list[tuple[date, date]]:
    """Split ``start``..``end`` into calendar-month windows (the first and last may be partial)."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    windows = []
    first = start
    while first <= end:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(end, next_month - timedelta(days=1))
        windows.append((first, last))
        first = last + timedelta(days=1)
    return windows


def _key(window: tuple[date, date]) -> str:
    return f"{window[0]}..{window[1]}"


def load_done(state: Path) -> set[str]:
    """Return the windows a previous backfill of the same range finished."""
    if not state.exists():
        return set()
    return set(json.loads(state.read_text(encoding="utf-8")).get("done", []))


def _save_done(state: Path, done: Iterable[str]) -> None:
    state.parent.mkdir(parents=True, exist_ok=True)
    tmp = state.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": sorted(done)}, indent=1), encoding="utf-8")
    os.replace(tmp, state)  # atomic: a crash leaves the old or the new state, never half


def state_path(root: Path, start: date, end: date) -> Path:
    """Return the state file of a backfill of ``start``..``end`` under ``root``."""
    return root / f"{start}_{end}.json"


def backfill(
    start: date,
    end: date,
    run: WindowRunner,
    state: Path,
    progress: bool | None = None,
) -> list[tuple[date, date]]:
    """Run ``run`` for every month window of ``start``..``end`` not finished before; return those run.

    Each finished window is recorded in ``state`` at once, so a backfill that stopped (crash,
    kill, a failed month) resumes at the first unfinished month when started again with the
    same range. Jobs are idempotent per window, so re-running a month that was cut short is safe.

    Args:
        start: First day of the range.
        end: Last day of the range.
        run: Runs every job for one window.
        state: The JSON file that records finished windows.
        progress: Show a progress bar (default: only on a terminal).
    """
    windows = month_windows(start, end)
    done = load_done(state)
    ran: list[tuple[date, date]] = []
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(windows, desc="backfill", unit="month", disable=not show, file=sys.stderr)
    for window in bar:
        if _key(window) in done:
            continue
        bar.set_postfix_str(_key(window))
        run(*window)
        done.add(_key(window))
        _save_done(state, done)
        ran.append(window)
    return ran

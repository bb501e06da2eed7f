"""Freshness check per source and per mart: fail (exit 1) when one is late.

``python -m spark_jobs.ops.freshness --date D`` (no Spark: delta-rs reads the lake).

- A source (a row of ``mart_update_status``) is late when its latest data is more than its
  allowed lag behind ``D`` (weekly eco prices get a week more), or when the status itself was
  not computed for ``D``.
- A gold mart is late when its latest date (the file statistics of its date column) is more than
  its allowed lag behind ``D``: the lag of the source it is built from, so a mart that the gold
  build failed to refresh is caught even when its inputs are fresh. A mart with no rows yet is
  reported but not failed: the day-over-day and history marts are empty until the lake holds a
  previous survey day or enough history, which is not lateness. ``mart_price_alerts`` holds rows
  only on alarming days, so only its table is required.

Airflow's failure notifier turns the exit code into one alert.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from spark_jobs import sources
from spark_jobs.dates import date_arg

DEFAULT_MAX_LAG_DAYS = 3
# Sources (and the silver tables watched for them) whose allowed lag is not the default: the
# source registry's ``max_lag_days`` (weekly eco prices: 10).
MAX_LAG_DAYS: dict[str, int] = sources.max_lag_days()
WEEKLY_MAX_LAG_DAYS = sources.ECO_PRICE.max_lag_days or DEFAULT_MAX_LAG_DAYS
# Marts whose allowed lag differs from the daily default: weekly eco marts (dated by their
# Monday), and sparse marts with rows only on some days (None: no lag limit, table required).
MART_MAX_LAG_DAYS: dict[str, int | None] = {
    "mart_eco_price_by_store_type": WEEKLY_MAX_LAG_DAYS,
    "mart_eco_premium": WEEKLY_MAX_LAG_DAYS,
    "mart_price_alerts": None,
}


@dataclass(frozen=True)
class MartState:
    """What the lake says about one gold mart.

    Attributes:
        name: Mart name.
        exists: Whether its Delta table exists.
        rows: Row count of its current snapshot.
        latest_dt: Latest value of its date column (None when empty).
    """

    name: str
    exists: bool
    rows: int = 0
    latest_dt: date | None = None


def late_sources(
    rows: Sequence[dict], as_of: date, max_lag: int = DEFAULT_MAX_LAG_DAYS
) -> list[str]:
    """Return one line per late source (empty when every source is fresh)."""
    if not rows:
        return ["mart_update_status: no rows (the gold build has not run)"]
    late = []
    for row in rows:
        name = row["source_nm"]
        allowed = MAX_LAG_DAYS.get(name, max_lag)
        latest, status_dt = row.get("latest_dt"), row.get("as_of_dt")
        if status_dt is not None and status_dt < as_of:
            late.append(f"{name}: status computed for {status_dt}, not {as_of}")
        elif latest is None:
            late.append(f"{name}: no data at all")
        elif (as_of - latest).days > allowed:
            late.append(
                f"{name}: latest {latest} is {(as_of - latest).days} days behind {as_of} (allowed {allowed})"
            )
    return late


def late_marts(
    marts: Sequence[MartState], as_of: date, max_lag: int = DEFAULT_MAX_LAG_DAYS
) -> tuple[list[str], list[str]]:
    """Return (late lines, notes) for the gold marts; notes name the marts with no rows yet."""
    late, notes = [], []
    for mart in marts:
        allowed = MART_MAX_LAG_DAYS.get(mart.name, max_lag)
        if not mart.exists:
            late.append(f"{mart.name}: no table (the gold build has not run)")
        elif mart.latest_dt is None:
            notes.append(f"{mart.name}: no rows yet (needs a previous survey day or history)")
        elif allowed is not None and (as_of - mart.latest_dt).days > allowed:
            lag = (as_of - mart.latest_dt).days
            late.append(
                f"{mart.name}: latest {mart.latest_dt} is {lag} days behind {as_of} (allowed {allowed})"
            )
    return late, notes


def mart_state(warehouse: str, name: str, date_column: str) -> MartState:
    """Read a mart's row count and latest date from its Delta log (file statistics, no scan)."""
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    from spark_jobs.serving.source import mart_uri

    try:
        dt = DeltaTable(mart_uri(warehouse, name))
    except TableNotFoundError:
        return MartState(name, exists=False)
    import pyarrow as pa

    actions = pa.table(dt.get_add_actions(flatten=True)).to_pydict()  # arro3 → pyarrow
    rows = sum(int(n or 0) for n in actions.get("num_records", []))
    maxima = [v for v in actions.get(f"max.{date_column}", []) if v is not None]
    if rows and len(maxima) < len(actions.get("num_records", [])):  # a file without statistics
        column = dt.to_pyarrow_table(columns=[date_column]).column(date_column)
        maxima = [v for v in column.to_pylist() if v is not None]
    latest = max(maxima) if maxima else None
    if isinstance(latest, str):
        latest = date.fromisoformat(latest[:10])
    elif latest is not None and not isinstance(latest, date):
        latest = date.fromisoformat(str(latest)[:10])
    return MartState(name, exists=True, rows=rows, latest_dt=latest)


def gold_mart_states(warehouse: str) -> list[MartState]:
    """Return the state of every dated gold mart of the table registry."""
    from spark_jobs.gold.tables import TABLES

    specs = sorted((s for s in TABLES if s.date_column), key=lambda s: s.name)
    return [mart_state(warehouse, s.name, s.date_column) for s in specs]


def main(argv: Sequence[str] | None = None) -> int:
    """Read mart_update_status from the lake and report late sources."""
    from spark_jobs.config import load_profile
    from spark_jobs.gold.tables import MART_UPDATE_STATUS
    from spark_jobs.serving.source import read_mart

    p = argparse.ArgumentParser(prog="python -m spark_jobs.ops.freshness", description=__doc__)
    p.add_argument("--date", type=date_arg, required=True, help="the data date the run built")
    p.add_argument("--max-lag-days", type=int, default=DEFAULT_MAX_LAG_DAYS)
    p.add_argument("--profile", default=None)
    args = p.parse_args(argv)
    profile = load_profile(args.profile)
    mart = read_mart(profile.path("storage.warehouse"), MART_UPDATE_STATUS.name)
    rows = mart.table.to_pylist() if mart is not None else []
    late = late_sources(rows, args.date, args.max_lag_days)
    marts = gold_mart_states(profile.path("storage.warehouse"))
    mart_late, notes = late_marts(marts, args.date, args.max_lag_days)
    for line in late + mart_late:
        print(f"LATE {line}", file=sys.stderr)
    for line in notes:
        print(f"NOTE {line}", file=sys.stderr)
    if not late and not mart_late:
        print(
            f"fresh: {len(rows)} sources and {len(marts) - len(notes)} marts up to date for "
            f"{args.date} ({len(notes)} marts have no rows yet)",
            file=sys.stderr,
        )
    return 1 if late or mart_late else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # delta-rs/pyarrow threads can abort the interpreter's teardown ("terminate called without
    # an active exception", exit -6), which would hide the verdict: leave without it.
    os._exit(code)

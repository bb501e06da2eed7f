"""Freshness check against ``mart_update_status``: fail (exit 1) when a source is late.

``python -m spark_jobs.ops.freshness --date D`` (no Spark: delta-rs reads the mart). A source is
late when its latest data is more than its allowed lag behind ``D`` (weekly eco prices get a
week more), or when the status itself was not computed for ``D``. Airflow's failure notifier
turns the exit code into one alert.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date

from spark_jobs.dates import date_arg

DEFAULT_MAX_LAG_DAYS = 3
MAX_LAG_DAYS = {"EcoPriceList": 10, "stg_weekly_eco_price": 10}


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
    for line in late:
        print(f"LATE {line}", file=sys.stderr)
    if not late:
        print(f"fresh: {len(rows)} sources up to date for {args.date}", file=sys.stderr)
    return 1 if late else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # delta-rs/pyarrow threads can abort the interpreter's teardown ("terminate called without
    # an active exception", exit -6), which would hide the verdict: leave without it.
    os._exit(code)

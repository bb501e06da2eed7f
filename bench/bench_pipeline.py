"""Wall time of the embedded pipeline: an N-day run, then one incremental day, rows per table.

Runs ``jangbogi run`` as a user would (one Spark session, the in-process simulator, full
coverage unless ``--opt kamis.scope.*`` narrows it) in a throw-away JANGBOGI_HOME, repeats the
incremental day ``--repeats`` times and prints medians.

    python bench/bench_pipeline.py --days 60 --repeats 3
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spark_jobs.registry import all_tables  # noqa: E402

JOB_LINE = re.compile(r"^(\S+)\s+([\d.]+) s$")


def run(home: Path, start: date, end: date, opts: list[str]) -> tuple[float, dict[str, float]]:
    """Run the pipeline once; return wall seconds and per-job seconds."""
    env = dict(os.environ, JANGBOGI_HOME=str(home), JANGBOGI_ENV="local")
    cmd = [sys.executable, "-m", "spark_jobs.cli", "run", "--start", str(start), "--end", str(end)]
    for o in opts:
        cmd += ["--opt", o]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"pipeline failed:\n{proc.stderr[-4000:]}")
    jobs = {
        m.group(1): float(m.group(2))
        for line in proc.stderr.splitlines()
        if (m := JOB_LINE.match(line.strip()))
    }
    return secs, jobs


def rows_per_table(home: Path) -> dict[str, int]:
    """Count rows of every registered table with delta-rs (no Spark)."""
    from deltalake import DeltaTable

    out = {}
    for spec in all_tables().values():
        path = home / "var" / "warehouse" / f"{spec.database}.db" / spec.name
        out[spec.full_name] = (
            DeltaTable(str(path)).to_pyarrow_dataset().count_rows()
            if (path / "_delta_log").is_dir()
            else -1
        )
    return out


def main() -> None:
    """Parse arguments, run the benchmark, print the figures."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--days", type=int, default=60)
    p.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 27))
    p.add_argument(
        "--repeats", type=int, default=3, help="incremental-day repeats (median reported)"
    )
    p.add_argument(
        "--opt", action="append", default=[], help="pipeline option, e.g. kamis.scope.regions=1101"
    )
    p.add_argument(
        "--home", type=Path, default=None, help="keep the lake here instead of a temp folder"
    )
    args = p.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="jangbogi-bench-"))
    start = args.end - timedelta(days=args.days - 1)
    print(
        f"lake: {home}\nwindow: {start}..{args.end} ({args.days} days), options: {args.opt or 'full coverage'}"
    )
    full_secs, jobs = run(home, start, args.end, args.opt)
    print(f"\n{args.days}-day run: {full_secs:.1f} s wall")
    for name, secs in jobs.items():
        print(f"  {name:45s} {secs:8.1f} s")
    incr = [run(home, args.end, args.end, args.opt)[0] for _ in range(args.repeats)]
    print(
        f"\nincremental day ({args.end}), {args.repeats} repeats: median {statistics.median(incr):.1f} s (all: {', '.join(f'{s:.1f}' for s in incr)})"
    )
    print("\nrows per table:")
    for name, n in rows_per_table(home).items():
        print(f"  {name:50s} {n:>12,}")


if __name__ == "__main__":
    main()

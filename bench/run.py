"""`make bench`: every benchmark in one run, figures printed side by side.

1. the pipeline (60-day run, incremental day, rows per table),
2. dashboard query latency per backend (p50/p95, 1 and 5 years of marts),
3. the simulator's throughput for one full day.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    """Run each benchmark script in turn; stop at the first failure."""
    steps = [
        [sys.executable, str(BENCH / "bench_pipeline.py"), "--days", "60", "--repeats", "3"],
        [sys.executable, str(BENCH / "bench_queries.py"), "--years", "1", "5"],
        [sys.executable, str(BENCH / "bench_simulator.py")],
    ]
    for cmd in steps:
        print(f"\n$ {' '.join(cmd)}", flush=True)
        rc = subprocess.call(cmd, cwd=BENCH.parent)
        if rc:
            return rc
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench` / `make bench-full`: the issue-12 benchmarks in one run, one JSON and one report.

Each step is a benchmark script run as a subprocess that writes its own JSON; this script keeps
them side by side in ``bench/results/<date>-<machine>[-full].json`` and renders the Markdown
report beside it (machine, versions, medians over the repeats with min and max, the targets).

Quick (``make bench``, under 10 minutes on 2 cores): the collection plan at 20 ms latency, the
lake on 14 generated days of two regions (silver + gold rebuild, then a Monday and a Tuesday
daily run, the Tuesday 3 times), the dashboard queries on 1 year of 60 items × 5 regions.

Full (``make bench-full``): the collection plan at 200 ms, the lake on ``--years`` of
full-coverage generated days (silver rebuild, then the Monday and Tuesday daily runs with
publish), the dashboard queries at 1 and 5 years of 300 items × 25 regions.

    python bench/run.py [--full] [--years 1] [--machine NAME] [--only lake queries]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from bench.report import render  # noqa: E402

# The lake benchmarks end on a Sunday, so the two daily runs after it are a Monday (the week's
# first run: the forecast backtest is scored) and a Tuesday (the backtest is carried).
LAKE_END = date(2026, 11, 29)


def steps(args: argparse.Namespace, work: Path) -> dict[str, list[str]]:
    """Return each step's command (it writes ``work/<step>.json``)."""
    py = sys.executable
    if args.full:
        days = 364 * args.years
        lake = ["--days", str(days), "--silver-gold", "--rebuild-jobs", "silver", "--publish"]
        plan = ["--latency-ms", "200"]
        queries = ["--years", "1", "5", "--items", "300", "--regions", "25"]
    else:
        lake = ["--days", "14", "--regions", "1101,2100", "--silver-gold"]
        plan = ["--latency-ms", "20"]
        queries = ["--years", "1", "--items", "60", "--regions", "5"]
    out = {
        "collect_plan": [py, str(BENCH / "bench_collect_plan.py"), *plan, "--concurrency", "8"],
        "lake": [py, str(BENCH / "bench_scalegen.py"), *lake, "--end", str(LAKE_END)],
        "queries": [py, str(BENCH / "bench_queries.py"), *queries, "--repeats", "20"],
    }
    out["collect_plan"] += ["--repeats", "3"]
    out["lake"] += ["--home", str(work / "lake"), "--incremental", "--incremental-days", "2"]
    out["lake"] += ["--repeats", "3"]
    out["queries"] += ["--workdir", str(work / "queries")]
    for name, cmd in out.items():
        cmd += ["--out", str(work / f"{name}.json")]
    return {k: v for k, v in out.items() if not args.only or k in args.only}


def versions() -> dict[str, str]:
    """Return the versions the figures depend on."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("pyspark", "delta-spark", "duckdb", "psycopg2-binary", "pandas", "pyarrow",
                "statsforecast", "deltalake"):  # fmt: skip
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            continue
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    out["java"] = java.splitlines()[0] if java else "?"
    return out


def machine() -> dict[str, Any]:
    """Return the machine's CPU count, memory and kernel."""
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    return {"cpus": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1), "cpu": cpu,
            "kernel": platform.release()}  # fmt: skip


def main() -> int:
    """Run the steps, stop at the first failure, write the JSON and the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="1 (or --years) and 5 years, full coverage")
    ap.add_argument("--years", type=int, default=1, help="years of generated lake (--full)")
    ap.add_argument("--machine", default=os.environ.get("JANGBOGI_MACHINE", "vm"))
    ap.add_argument("--only", nargs="+", choices=["collect_plan", "lake", "queries"])
    ap.add_argument("--workdir", type=Path, help="keep the lakes here (default: a temp folder)")
    ap.add_argument("--results", type=Path, default=BENCH / "results")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="jangbogi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {
        "kind": "full" if args.full else "quick",
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {"name": args.machine, **machine()},
        "versions": versions(),
        "commands": {},
        "seconds": {},
        "results": {},
    }
    for name, cmd in steps(args, work).items():
        print(f"\n$ {' '.join(cmd)}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, cwd=REPO)
        doc["commands"][name] = " ".join(Path(c).name if c == sys.executable else c for c in cmd)
        doc["seconds"][name] = round(time.perf_counter() - t0, 1)
        if rc:
            print(f"{name} failed (exit {rc})", file=sys.stderr)
            return rc
        doc["results"][name] = json.loads((work / f"{name}.json").read_text(encoding="utf-8"))
    stem = f"{date.today()}-{args.machine}" + ("-full" if args.full else "")
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{stem}.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    (args.results / f"{stem}.md").write_text(render(doc), encoding="utf-8")
    print(f"\nwrote {args.results / stem}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

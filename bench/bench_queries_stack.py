"""The live non-Docker stack measured: start-up (cold, warm), memory at rest, and every named
dashboard query on Trino beside DuckDB and PostgreSQL.

Starts its own stack (scripts/stack.sh on free ports, a throw-away folder), runs the pipeline on
the ``stack`` profile for ``--days`` days against the simulator (small scope unless
``--full-scope``), publishes to the stack's PostgreSQL and to a DuckDB file, then runs each named
query once to warm up and ``--repeats`` times per backend and prints p50/p95. Finally stops the
stack, starts it again on the same data (warm start) and stops it. Run it alone on the machine:

    flock /tmp/jangbogi-heavy.lock .venv/bin/python bench/bench_queries_stack.py --repeats 20
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard.db import connect  # noqa: E402
from dashboard.db.queries import DEFAULT_SQL_DIR, QueryCatalog  # noqa: E402
from spark_jobs.config import load_profile  # noqa: E402
from spark_jobs.serving.publish import publish_all  # noqa: E402
from tests.stack.live import Stack, down, new_stack, pids, up  # noqa: E402
from tests.stack.named_params import choose_params  # noqa: E402

END = date(2026, 11, 27)
SCOPE = {
    "kamis.scope.regions": "1101,2100",
    "kamis.scope.categories": "200,400",
    "kamis.scope.items": "211,245,411",
}


def rss_mb(pid: int) -> float:
    """Return the resident memory of ``pid`` and all its descendants, in MB (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS"))
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (OSError, StopIteration):
            continue
        todo.extend(int(c) for c in children)
    return total / 1024


def memory(s: Stack) -> dict[str, float]:
    """RSS per service (PostgreSQL with its backends)."""
    return {name: round(rss_mb(pid), 1) for name, pid in pids(s).items()}


def time_queries(conn, names, params, repeats) -> dict[str, dict[str, float]]:
    """p50/p95 seconds and row count of each named query on one backend (after one warm-up run)."""
    out = {}
    for name in names:
        rows = len(conn.run(name, params[name]))
        samples = []
        for _ in range(repeats):
            t = time.perf_counter()
            conn.run(name, params[name])
            samples.append(time.perf_counter() - t)
        samples.sort()
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        out[name] = {"p50": statistics.median(samples), "p95": p95, "rows": rows}
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print them; write JSON to bench/results/."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--full-scope", action="store_true", help="every region, category and item")
    ap.add_argument("--rest-s", type=float, default=15.0, help="idle time before reading RSS")
    args = ap.parse_args(argv)
    start = END - timedelta(days=args.days - 1)
    names = QueryCatalog(DEFAULT_SQL_DIR).names()
    report: dict[str, object] = {"days": args.days, "repeats": args.repeats}
    s = new_stack()
    home = s.root / "home"
    try:
        up(s)
        report["cold_start_s"] = round(s.up_seconds, 1)
        print(f"cold start: {s.up_seconds:.1f} s", flush=True)
        time.sleep(args.rest_s)
        report["rss_mb_idle"] = memory(s)
        print(f"RSS at rest, empty: {report['rss_mb_idle']}", flush=True)

        opts = (
            [] if args.full_scope else [a for k, v in SCOPE.items() for a in ("--opt", f"{k}={v}")]
        )
        cmd = [
            sys.executable,
            "-m",
            "spark_jobs.cli",
            "run",
            "--start",
            str(start),
            "--end",
            str(END),
        ]
        t0 = time.perf_counter()
        subprocess.run(
            [*cmd, *opts], env=s.profile_env(home), cwd=REPO, check=True, capture_output=True
        )
        report["pipeline_s"] = round(time.perf_counter() - t0, 1)
        print(f"pipeline ({args.days} days): {report['pipeline_s']} s", flush=True)

        duck_path = home / "bench.duckdb"
        base = {
            "storage.warehouse": str(home / "var" / "warehouse"),
            "query_engine.host": "127.0.0.1",
            "query_engine.port": s.trino_port,
            "serving.dsn": s.serving_dsn,
            "serving.path": str(duck_path),
        }
        publish_all(load_profile("stack", {**base, "serving.kind": "duckdb"}))
        profile = load_profile("stack", base)
        conns = {b: connect(profile, b) for b in ("trino", "duckdb", "postgres")}
        params = choose_params(conns["duckdb"], names, start)
        timings = {b: time_queries(c, names, params, args.repeats) for b, c in conns.items()}
        for c in conns.values():
            c.close()
        report["queries"] = timings
        time.sleep(args.rest_s)
        report["rss_mb_after_queries"] = memory(s)

        down(s, remove=False)
        up(s)
        report["warm_start_s"] = round(s.up_seconds, 1)
        print(f"warm start: {s.up_seconds:.1f} s", flush=True)
    finally:
        down(s)

    print("\n| query | rows | Trino p50 / p95 ms | DuckDB p50 / p95 ms | PostgreSQL p50 / p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for name in names:
        cells = [
            f"{timings[b][name]['p50'] * 1000:.1f} / {timings[b][name]['p95'] * 1000:.1f}"
            for b in ("trino", "duckdb", "postgres")
        ]
        print(f"| {name} | {timings['duckdb'][name]['rows']} | " + " | ".join(cells) + " |")
    print(f"\nRSS MB at rest after the queries: {report['rss_mb_after_queries']}")
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"queries_stack_{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    print(f"written {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("SPARK_TESTING", "1")
    raise SystemExit(main())

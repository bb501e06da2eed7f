"""One day's KAMIS collection, before and after the region-less period plan (issue 12), side by side.

For one day it counts the calls of every source's plan — "before": periodRetailProductList per
item/kind/rank × region with one-day windows (``kamis.plan.period_retail_product_plan_per_region``,
the plan before issue 12); "after": the registry's plan (one region-less call per item/kind/rank
over the last ``CORRECTION_DAYS`` days) — and times the collector's fetch of the whole day
(``KamisClient.fetch_all``, the call ``raw/collect.py`` makes: HTTP, retries, body parse and
outcome) at N-way concurrency against a fresh in-process simulator that adds a fixed latency to
every request, beside the ideal ``calls × latency / concurrency``. Medians (with min and max) over
the repeats; the two plans alternate within a repeat so that machine load hits both alike.

    python bench/bench_collect_plan.py --day 2026-06-04 --latency-ms 200 --concurrency 8 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spark_jobs import sources  # noqa: E402
from spark_jobs.kamis import plan as kp  # noqa: E402
from spark_jobs.kamis.requests import KamisRequest  # noqa: E402


def day_plans(day: date) -> dict[str, list[KamisRequest]]:
    """Return one day's calls of every source, before and after issue 12 (same order of sources)."""
    after: list[KamisRequest] = []
    before: list[KamisRequest] = []
    for s in sources.SOURCES:
        reqs = s.plan_chunk(day, day)
        after += reqs
        if s is sources.PERIOD_RETAIL_PRODUCT:
            reqs = kp.period_retail_product_plan_per_region(day, day)
        before += reqs
    return {"before": before, "after": after}


def per_source(plan: list[KamisRequest]) -> dict[str, int]:
    """Return the calls per source key."""
    return dict(Counter(sources.BY_ACTION[r.action].key for r in plan))


def time_fetch(plan: list[KamisRequest], day: date, seed: int, latency_ms: float, concurrency: int
               ) -> tuple[float, dict[str, int], int]:  # fmt: skip
    """Fetch ``plan`` on a fresh simulator; return seconds, outcomes and body bytes."""
    from spark_jobs.config import load_profile
    from spark_jobs.kamis.client import KamisClient
    from spark_jobs.simulator.server import SimulatorServer

    profile = load_profile("local")
    # publication hour 0: the day is published, as for a run after the afternoon publication
    with SimulatorServer(seed, day, publication_hour_kst=0, latency_ms=latency_ms) as sim:
        client = KamisClient(
            profile,
            sim.base_url,
            overrides={"concurrency": concurrency, "requests_per_second": 0},
        )
        t0 = time.perf_counter()
        results = client.fetch_all(plan, progress=False)
        secs = time.perf_counter() - t0
    outcomes = dict(Counter(r.outcome.value for r in results))
    return secs, outcomes, sum(r.body_bytes for r in results if r.body is not None)


def stats(values: list[float]) -> dict[str, float]:
    """Return median, min and max."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main() -> None:
    """Count and time one day's collection before and after; print a Markdown table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--day", type=date.fromisoformat, default=date(2026, 6, 4))
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--latency-ms", type=float, default=200.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = ap.parse_args()

    plans = day_plans(args.day)
    runs: dict[str, list[float]] = {k: [] for k in plans}
    meta: dict[str, dict] = {}
    for i in range(args.repeats):
        for name, plan in plans.items():
            secs, outcomes, nbytes = time_fetch(
                plan, args.day, args.seed, args.latency_ms, args.concurrency
            )
            runs[name].append(secs)
            meta[name] = {"outcomes": outcomes, "body_bytes": nbytes}
            print(f"repeat {i + 1} {name}: {len(plan)} calls {secs:.1f} s {outcomes}", flush=True)

    lat = args.latency_ms / 1000
    report = {
        "bench": "collect_plan",
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": platform.node(),
        "python": platform.python_version(),
        "cpus": __import__("os").cpu_count(),
        "day": args.day.isoformat(),
        "latency_ms": args.latency_ms,
        "concurrency": args.concurrency,
        "repeats": args.repeats,
        "plans": {
            name: {
                "calls": len(plan),
                "calls_per_source": per_source(plan),
                "ideal_s": len(plan) * lat / args.concurrency,
                "seconds": stats(runs[name]),
                **meta[name],
            }
            for name, plan in plans.items()
        },
    }
    b, a = report["plans"]["before"], report["plans"]["after"]
    print()
    print(f"One day ({args.day}), {args.concurrency}-way, +{args.latency_ms:.0f} ms per call, "
          f"median of {args.repeats} (min–max)")  # fmt: skip
    print()
    print(
        "| plan | calls/day | periodRetailProductList | body MB | seconds | ideal s | seconds / ideal |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, p in (("before", b), ("after", a)):
        s = p["seconds"]
        print(
            f"| {name} | {p['calls']:,} | {p['calls_per_source']['period_retail_product_list']:,} "
            f"| {p['body_bytes'] / 1e6:.1f} | {s['median']:.1f} ({s['min']:.1f}–{s['max']:.1f}) "
            f"| {p['ideal_s']:.1f} | {s['median'] / p['ideal_s'] if p['ideal_s'] else float('nan'):.2f} |"
        )
    print()
    print(f"calls ÷ {b['calls'] / a['calls']:.1f}; seconds ÷ "
          f"{b['seconds']['median'] / a['seconds']['median']:.1f}")  # fmt: skip
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

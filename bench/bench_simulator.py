"""The simulator's throughput: a full day's collection plan sent to a fresh server, timed.

Sends every request the collector sends for one day (all five sources, the registry's plan:
``spark_jobs.sources`` / ``spark_jobs.kamis.plan``), sequentially and with
N-way concurrency, each on a fresh in-process ``SimulatorServer``, and prints requests per second.

    python bench/bench_simulator.py --day 2026-06-04 --concurrency 1 8
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spark_jobs import sources  # noqa: E402

AUTH = {"p_cert_key": "SIMKEY", "p_cert_id": "SIMID", "p_returntype": "json"}


def day_plan(day: date) -> list[dict[str, str]]:
    """Return one day's requests for all five sources: the registry's plan, as the collector sends it.

    (periodRetailProductList once per item/kind/rank, region omitted, over the correction window
    ending ``day``: ``spark_jobs.kamis.plan``.)
    """
    plan = [req for s in sources.SOURCES for req in s.plan_chunk(day, day)]
    return [{"action": r.action, **r.params, **AUTH} for r in plan]


def run_plan(
    base_url: str, plan: list[dict[str, str]], concurrency: int = 1
) -> tuple[float, Counter]:
    """Send every request of ``plan`` (keep-alive sessions); return seconds and result codes."""
    import threading

    import requests

    local = threading.local()

    def one(params: dict[str, str]) -> str:
        s = getattr(local, "s", None)
        if s is None:
            s = local.s = requests.Session()
        r = s.get(base_url, params=params, timeout=60)
        r.raise_for_status()
        body = r.json()
        data = body.get("data")
        if isinstance(data, list):
            return str(data[0])
        return str(data["error_code"] if isinstance(data, dict) else body.get("error_code"))

    t0 = time.perf_counter()
    if concurrency == 1:
        codes = Counter(one(p) for p in plan)
    else:
        with ThreadPoolExecutor(concurrency) as ex:
            codes = Counter(ex.map(one, plan))
    return time.perf_counter() - t0, codes


def main() -> None:
    """Time one day's plan sequentially and with N-way concurrency on a fresh server each."""
    from spark_jobs.simulator.server import SimulatorServer

    ap = argparse.ArgumentParser()
    ap.add_argument("--day", type=date.fromisoformat, default=date(2026, 6, 4))
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--concurrency", type=int, nargs="*", default=[1, 8])
    args = ap.parse_args()
    plan = day_plan(args.day)
    print(f"plan: {len(plan)} requests", Counter(p["action"] for p in plan))
    for n in args.concurrency:
        with SimulatorServer(args.seed, args.day) as sim:
            secs, codes = run_plan(sim.base_url, plan, n)
        print(f"concurrency {n}: {secs:.1f} s ({len(plan) / secs:.0f} req/s) codes {dict(codes)}")


if __name__ == "__main__":
    main()

"""Faults: the simulator fails 20 % of requests; the raw runs recover every call, gold is unchanged.

The reference lake (a complete, fault-free run) is copied and its raw layer (every source)
collected again with ``--full-refresh`` against a simulator that fails about one request in
five — 5xx pages, timeouts, connection resets, truncated, malformed, HTML and empty bodies, slow
answers and 429 bursts with Retry-After. Every source, not only the largest: that one alone
(``dailyPriceByCategoryList``) drew 81 requests over its rounds in a trial, 35 % of them faults,
at the edge of the 12-35 % check below; every source draws about 140 (28 %: the 429 bursts
add to the one in five). Every request the simulator receives is logged (credential-free), so
the test knows each call's fate independently of the pipeline:

* the calls stored as ``failed`` / ``not_kamis`` are exactly those whose last attempt drew a
  fault (retries absorbed the rest), and each row's ``attempts`` is what the simulator saw;
* the next runs fetch exactly those again (plus the recent ``no_data`` re-checks) until none is
  left; then the raw table equals the reference's, and after the price jobs rerun, the silver
  prices and the gold ``mart_price_trend`` equal the fault-free run's, row for row;
* the fake cert key and id appear in none of the error messages, tables or logs.

It runs in CI (one JVM start per round, usually 3-4 rounds, then the two price jobs) and under
``make soak`` over the soak's longer window.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from deltalake import DeltaTable

from tests.reliability import lakecheck as lc
from tests.reliability.conftest import SIM_SEED

pytestmark = [
    pytest.mark.integration,
    pytest.mark.reliability,
]

# About 20 % of requests draw a fault (a 429 burst makes its next 3 requests 429 too).
FAULTS = {
    "error_rate": 0.04,
    "timeout_rate": 0.02,
    "reset_rate": 0.03,
    "truncate_rate": 0.02,
    "malformed_rate": 0.02,
    "html_rate": 0.01,
    "empty_rate": 0.02,
    "slow_rate": 0.01,
    "throttle_rate": 0.03,
}
SIM_KNOBS = {
    "timeout_sleep_s": 2.5,
    "slow_sleep_s": 0.4,
    "throttle_burst": 4,
    "throttle_retry_after_s": 1,
}
CLIENT = {
    "kamis.timeout_s": "1.5",
    "kamis.max_attempts": "3",
    "kamis.backoff_base_s": "0.1",
    "kamis.backoff_max_s": "1.5",
    "kamis.concurrency": "4",
}
MAX_ROUNDS = 5
PRICE_JOBS = ["silver.stg_daily_category_price", "gold.mart_price_trend"]


def request_id(action: str, params: tuple[tuple[str, str], ...]) -> str:
    """The raw table's request_id of a call the simulator logged (see KamisRequest.request_id)."""
    rest = {k: v for k, v in params if k != "action"}
    text = json.dumps(rest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{action}?{text}".encode()).hexdigest()


def raw_rows(warehouse: Path) -> dict[str, dict]:
    """Return request_id → (outcome, attempts, http_status, error) over every raw table."""
    out = {}
    for name, path in lc.delta_tables(warehouse).items():
        if not name.startswith("kamis_raw."):
            continue
        cols = ["request_id", "outcome", "attempts", "http_status", "error_msg"]
        for row in DeltaTable(str(path)).to_pyarrow_table(columns=cols).to_pylist():
            out[row["request_id"]] = row
    return out


def test_20_percent_faults_recover_to_the_fault_free_gold(reference, tmp_path: Path) -> None:
    from spark_jobs.simulator.server import SimulatorServer

    home = reference.fresh_home()
    warehouse = home / "var" / "warehouse"
    opts = lc.scope_opts(CLIENT)
    logs: list[Path] = []
    kinds: Counter[str] = Counter()
    requests_total = 0
    retried_calls = 0
    with SimulatorServer(
        SIM_SEED, today=lc.END, publication_hour_kst=0, record=True, **SIM_KNOBS, **FAULTS
    ) as sim:
        env = reference.env(home, sim.base_url)
        failed: set[str] = set()
        rounds = []
        for round_no in range(1, MAX_ROUNDS + 1):
            seen_before = len(sim.request_log)
            extra = ["--full-refresh"] if round_no == 1 else []
            log = tmp_path / f"raw{round_no}.log"
            logs.append(log)
            run = lc.run_pipeline(
                lc.spark_submit(["raw"], lc.START, lc.END, *extra, *opts), env, log
            )
            assert run.returncode == 0, run.text()[-5000:]
            this_round = sim.request_log[seen_before:]
            requests_total += len(this_round)
            kinds.update(r.kind for r in this_round if r.kind)
            attempts: dict[str, list[str]] = defaultdict(list)
            for r in sorted(this_round, key=lambda r: r.counter):
                attempts[request_id(r.action, r.params)].append(r.kind)
            retried_calls += sum(len(a) > 1 for a in attempts.values())
            # the previous round's failures are all asked again
            assert failed <= set(attempts), failed - set(attempts)
            rows = raw_rows(warehouse)
            # the run records exactly the calls whose last attempt drew a fault
            expected_failed = {rid for rid, a in attempts.items() if a[-1] not in ("", "slow")}
            failed = {rid for rid, r in rows.items() if r["outcome"] in ("failed", "not_kamis")}
            assert failed == expected_failed
            for rid, a in attempts.items():
                assert rows[rid]["attempts"] == len(a), (rid, a, rows[rid])
            rounds.append((len(this_round), len(attempts), len(failed)))
            print(
                f"fault round {round_no}: {len(this_round)} requests for {len(attempts)} calls, "
                f"{sum(1 for r in this_round if r.kind)} faults, {len(failed)} calls left failed"
            )
            if not failed:
                break
        assert not failed, f"calls still failing after {MAX_ROUNDS} runs: {len(failed)}"
        faulted = sum(kinds.values())
        print(
            f"faults: {faulted} of {requests_total} requests ({faulted / requests_total:.0%}) "
            f"by kind {dict(sorted(kinds.items()))}; calls retried by the transport: "
            f"{retried_calls}; rounds (requests, calls, left failed): {rounds}"
        )
        assert 0.12 <= faulted / requests_total <= 0.35
        assert {"error_5xx", "timeout", "truncate", "throttle"} <= set(kinds), kinds
        assert len(kinds) >= 7, kinds

    # the raw table is the reference's again (bodies, outcomes, statuses), and so is every other
    got = lc.lake_checksums(warehouse)
    assert got == reference.checksums
    # gold prices rebuilt from the recovered raw layer equal the fault-free run's
    log = tmp_path / "prices.log"
    logs.append(log)
    run = lc.run_pipeline(lc.spark_submit(PRICE_JOBS, lc.START, lc.END, *opts), env, log)
    assert run.returncode == 0, run.text()[-5000:]
    got = lc.lake_checksums(warehouse)
    for name in (
        "kamis_silver.stg_daily_category_price",
        *(f"kamis_gold.{j[5:]}" for j in PRICE_JOBS[1:]),
    ):
        assert got[name] == reference.checksums[name], name
    prices = sum(n for n, _ in got["kamis_gold.mart_price_trend"].values())
    assert prices == sum(n for n, _ in reference.checksums["kamis_gold.mart_price_trend"].values())
    print(f"gold mart_price_trend: {prices} prices, the same as the fault-free run; rows lost 0")

    # the error messages of the failed attempts carried no credentials
    found = lc.find_secrets(home, logs)
    assert found["hits"] == [], found["hits"]

"""The simulator over real HTTP: transport, concurrency, fault knobs and latency."""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import requests

from spark_jobs.simulator.server import SimulatorServer

pytestmark = pytest.mark.integration

TODAY = date(2026, 6, 5)
AUTH = {"p_cert_key": "K", "p_cert_id": "I", "p_returntype": "json"}
INFO = {**AUTH, "action": "productInfo"}
CAT = {**AUTH, "action": "dailyPriceByCategoryList", "p_product_cls_code": "01",
       "p_item_category_code": "100", "p_regday": "2026-06-04", "p_country_code": "1101"}  # fmt: skip


def test_serves_json_xml_and_not_found_and_counts_requests() -> None:
    with SimulatorServer(1, TODAY) as sim:
        assert sim.base_url == f"http://127.0.0.1:{sim.port}/service/price/xml.do"
        with requests.Session() as s:
            r = s.get(sim.base_url, params=CAT, timeout=10)
            assert r.status_code == 200 and json.loads(r.content)["data"]["error_code"] == "000"
            x = s.get(sim.base_url, params={**CAT, "p_returntype": "xml"}, timeout=10)
            assert x.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<document>')
            nf = s.get(sim.base_url.replace("xml.do", "nothing.do"), timeout=10)
            assert nf.status_code == 404 and b"page not found" in nf.content
        assert sim.request_count == 3


def test_same_seed_same_bytes_across_servers() -> None:
    bodies = []
    for _ in range(2):
        with SimulatorServer(99, TODAY) as sim:
            bodies.append(requests.get(sim.base_url, params=CAT, timeout=10).content)
    assert bodies[0] == bodies[1]


def test_many_concurrent_requests() -> None:
    params = [
        {**CAT, "p_country_code": c} for c in ("1101", "2100", "2200", "2300", "2401", "2501")
    ] * 20
    with SimulatorServer(2, TODAY) as sim:
        t0 = time.perf_counter()
        with ThreadPoolExecutor(8) as ex:
            codes = list(
                ex.map(
                    lambda p: requests.get(sim.base_url, params=p, timeout=30).status_code, params
                )
            )
        elapsed = time.perf_counter() - t0
    assert codes == [200] * len(params)
    assert elapsed < 60


def _outcome(session: requests.Session, url: str) -> str:
    try:
        r = session.get(url, params=INFO, timeout=0.5)
    except requests.exceptions.ReadTimeout:
        return "timeout"
    except requests.exceptions.ChunkedEncodingError:
        return "truncate"
    except requests.exceptions.ConnectionError as e:
        return "truncate" if "IncompleteRead" in str(e) else "reset"
    if r.status_code >= 500:
        return "error_5xx"
    if r.headers["Content-Type"].startswith("text/html"):
        return "html"
    try:
        json.loads(r.content)
    except ValueError:
        return "malformed"
    return "ok"


def test_fault_knobs_fire_at_roughly_their_rates() -> None:
    rates = {"error_rate": 0.1, "reset_rate": 0.1, "truncate_rate": 0.1, "malformed_rate": 0.1,
             "html_rate": 0.1, "timeout_rate": 0.05}  # fmt: skip
    n = 300
    with SimulatorServer(3, TODAY, timeout_sleep_s=1.0, **rates) as sim:
        seen = Counter()
        for _ in range(n):
            with (
                requests.Session() as s
            ):  # a fresh connection: a fault may have killed the last one
                seen[_outcome(s, sim.base_url)] += 1
        assert sim.request_count == n
    expected = {"error_5xx": 0.1, "reset": 0.1, "truncate": 0.1, "malformed": 0.1, "html": 0.1,
                "timeout": 0.05, "ok": 0.45}  # fmt: skip
    for kind, p in expected.items():
        assert abs(seen[kind] / n - p) < 0.06, (kind, seen)


def test_faults_are_deterministic_by_seed_and_counter() -> None:
    runs = []
    for _ in range(2):
        with (
            SimulatorServer(4, TODAY, error_rate=0.3, html_rate=0.2) as sim,
            requests.Session() as s,
        ):
            runs.append([_outcome(s, sim.base_url) for _ in range(40)])
    assert runs[0] == runs[1] and {"error_5xx", "html", "ok"} <= set(runs[0])


def test_latency_knob_really_delays() -> None:
    with (
        SimulatorServer(5, TODAY) as fast,
        SimulatorServer(5, TODAY, latency_ms=200) as slow,
        requests.Session() as s,
    ):
        s.get(fast.base_url, params=INFO, timeout=10)
        s.get(slow.base_url, params=INFO, timeout=10)
        t0 = time.perf_counter()
        for _ in range(5):
            s.get(slow.base_url, params=INFO, timeout=10)
        per_slow = (time.perf_counter() - t0) / 5
        t0 = time.perf_counter()
        for _ in range(5):
            s.get(fast.base_url, params=INFO, timeout=10)
        per_fast = (time.perf_counter() - t0) / 5
    assert per_slow >= 0.195 and per_slow - per_fast >= 0.15


def test_rejects_unknown_knobs() -> None:
    with pytest.raises(TypeError):
        SimulatorServer(1, TODAY, latency=5)
    with pytest.raises(ValueError):
        SimulatorServer(1, TODAY, error_rate=0.7, html_rate=0.5)


def test_empty_slow_and_429_burst_knobs() -> None:
    """Empty 200 bodies, slow answers, and 429 bursts whose Retry-After alternates seconds / date."""
    from spark_jobs.kamis.transport import parse_retry_after

    rates = {"empty_rate": 0.1, "slow_rate": 0.1, "throttle_rate": 0.05}
    n = 200
    seen: Counter[str] = Counter()
    retry_after: list[str] = []
    waits: set[float | None] = set()  # parsed on receipt: an HTTP date is only a few seconds ahead
    took_s: list[float] = []  # request i (0-based) is the server's arrival number i + 1
    answered: list[bool] = []
    with SimulatorServer(
        6, TODAY, slow_sleep_s=0.05, throttle_burst=3, throttle_retry_after_s=2, **rates
    ) as sim:
        with requests.Session() as s:
            for _ in range(n):
                t0 = time.perf_counter()
                r = s.get(sim.base_url, params=INFO, timeout=5)
                took_s.append(time.perf_counter() - t0)
                if r.status_code == 429:
                    seen["throttle"] += 1
                    retry_after.append(r.headers["Retry-After"])
                    waits.add(parse_retry_after(r.headers["Retry-After"]))
                elif r.content == b"":
                    seen["empty"] += 1
                else:  # a slow answer is still the right answer
                    assert r.status_code == 200 and json.loads(r.content)["info"]
                    seen["answered"] += 1
                answered.append(r.status_code == 200 and r.content != b"")
        log = sim.fault_log
        counts = sim.fault_counts()
    # Slowness is read from the fault log, not guessed from timings (a normal answer may also
    # take 50 ms on a loaded machine): every request the server slowed really waited.
    slow = [r.counter for r in log if r.kind == "slow"]
    seen["slow"] = len(slow)
    assert all(took_s[c - 1] >= 0.05 for c in slow), [round(took_s[c - 1], 3) for c in slow]
    assert slow and all(answered[c - 1] for c in slow)
    assert {k: seen[k] for k in ("empty", "throttle")} == {
        k: counts[k] for k in ("empty", "throttle")
    }
    assert abs(seen["empty"] / n - 0.1) < 0.06 and abs(seen["slow"] / n - 0.1) < 0.06
    # every burst is 3 consecutive 429 answers (a burst may be cut by the end of the run)
    throttled = [r.counter for r in log if r.kind == "throttle"]
    assert len(throttled) >= 6 and throttled[:3] == list(range(throttled[0], throttled[0] + 3))
    assert any(v == "2" for v in retry_after)  # delay-seconds
    assert any(v.endswith(" GMT") for v in retry_after)  # an HTTP date
    assert all(w is not None and 1.5 <= w <= 3.0 for w in waits), retry_after
    # the fault log keeps the action and parameters, never the credentials
    assert all(r.action == "productInfo" for r in log)
    assert all(
        "p_cert_key" not in dict(r.params) and "p_cert_id" not in dict(r.params) for r in log
    )

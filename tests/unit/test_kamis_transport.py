"""Transport against a local http.server: retries on 5xx / 429 / resets / timeouts, none on other 4xx,
Retry-After, backoff, rate, concurrency."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from spark_jobs.kamis import requests as kr
from spark_jobs.kamis.client import KamisClient
from spark_jobs.kamis.outcomes import Outcome
from spark_jobs.kamis.transport import (
    BROWSER_USER_AGENT,
    TokenBucket,
    Transport,
    TransportConfig,
    backoff_delay,
    parse_retry_after,
    retry_delay,
)
from testkit.fake_kamis import FakeKamis, Reply, echo_body, scripted

pytestmark = pytest.mark.unit

REQ = kr.product_info(__import__("datetime").date(2026, 6, 4))
OK_BODY = b'{"condition":[[[]]],"error_code":"000","info":[{"itemcategorycode":"100","itemcode":"111","kindcode":"01"}]}'


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def transport(url: str, sleep=None, **cfg) -> Transport:
    defaults = {
        "max_attempts": 4,
        "backoff_base_s": 0.5,
        "backoff_max_s": 8,
        "requests_per_second": 0,
        "timeout_s": 2,
    }
    defaults.update(cfg)
    config = TransportConfig(base_url=url, **defaults)
    return Transport(
        config,
        lambda: {"p_cert_key": "k", "p_cert_id": "i"},
        sleep=sleep or Sleeps(),
        rand=lambda: 1.0,
    )


def test_5xx_then_success_retries_with_backoff():
    sleeps = Sleeps()
    with FakeKamis(scripted([Reply(503), Reply(500, b"oops"), Reply(200, OK_BODY)])) as srv:
        resp = transport(srv.base_url, sleeps).send(REQ)
    assert (resp.status, resp.content, resp.attempts, resp.error_msg) == (200, OK_BODY, 3, None)
    assert len(srv.queries) == 3
    # full jitter with rand()=1.0: min(8, 0.5·2^0)=0.5, min(8, 0.5·2^1)=1.0
    assert sleeps.calls == [0.5, 1.0]


def test_connection_reset_then_success():
    with FakeKamis(scripted([Reply(reset=True), Reply(200, OK_BODY)])) as srv:
        resp = transport(srv.base_url).send(REQ)
    assert resp.ok and resp.attempts == 2


def test_timeout_then_success():
    with FakeKamis(scripted([Reply(200, OK_BODY, delay_s=1.5), Reply(200, OK_BODY)])) as srv:
        t0 = time.perf_counter()
        resp = transport(srv.base_url, timeout_s=0.3).send(REQ)
        took = time.perf_counter() - t0
    assert resp.ok and resp.attempts == 2 and took < 1.4


def test_timeouts_exhaust_attempts():
    with FakeKamis(scripted([Reply(200, OK_BODY, delay_s=0.8)])) as srv:
        resp = transport(srv.base_url, timeout_s=0.2, max_attempts=2).send(REQ)
    assert (resp.status, resp.content, resp.attempts) == (None, None, 2)
    assert resp.error_msg.startswith("ReadTimeout") and resp.error_msg.endswith("after 2 attempts")


@pytest.mark.parametrize("status", [400, 403, 404, 405, 418])
def test_no_retry_on_4xx(status):
    sleeps = Sleeps()
    with FakeKamis(scripted([Reply(status, b"<html>nope</html>"), Reply(200, OK_BODY)])) as srv:
        resp = transport(srv.base_url, sleeps).send(REQ)
    assert (resp.status, resp.attempts, resp.content) == (status, 1, None)
    assert len(srv.queries) == 1 and sleeps.calls == []
    assert resp.error_msg.startswith(f"HTTP {status}")


def test_5xx_exhausts_attempts():
    sleeps = Sleeps()
    with FakeKamis(scripted([Reply(502)])) as srv:
        resp = transport(srv.base_url, sleeps, max_attempts=3).send(REQ)
    assert (resp.status, resp.attempts, len(srv.queries)) == (502, 3, 3)
    assert sleeps.calls == [0.5, 1.0]  # no sleep after the last attempt
    assert "HTTP 502" in resp.error_msg and "after 3 attempts" in resp.error_msg


def test_connection_refused_is_retried_and_reported():
    with FakeKamis(scripted([Reply()])) as srv:
        url = srv.base_url
    resp = transport(url, max_attempts=2).send(REQ)  # server is gone
    assert (
        resp.status is None and resp.attempts == 2 and resp.error_msg.startswith("ConnectionError")
    )


def test_backoff_bounds():
    # delay_n ∈ [0, min(cap, base·2^(n-1))]
    for n, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (10, 8.0)]:
        assert backoff_delay(n, 0.5, 8.0, rand=lambda: 0.0) == 0.0
        assert backoff_delay(n, 0.5, 8.0, rand=lambda: 0.999999) == pytest.approx(ceiling, rel=1e-5)
        for _ in range(50):
            assert 0.0 <= backoff_delay(n, 0.5, 8.0) <= ceiling


def test_browser_user_agent_and_credentials_only_on_the_wire():
    with FakeKamis(scripted([Reply(200, OK_BODY)])) as srv:
        transport(srv.base_url).send(REQ)
    assert (
        srv.headers[0]["User-Agent"] == BROWSER_USER_AGENT and "Mozilla/5.0" in BROWSER_USER_AGENT
    )
    assert srv.queries[0] == {
        "action": "productInfo",
        "p_returntype": "json",
        "p_cert_key": "k",
        "p_cert_id": "i",
    }
    assert "p_cert_key" not in REQ.params


def test_token_bucket_rate():
    now = [0.0]

    def sleep(s: float) -> None:
        now[0] += s

    bucket = TokenBucket(rate=10, clock=lambda: now[0], sleep=sleep)
    for _ in range(21):
        bucket.acquire()
    # one token at start, then one every 0.1 s: 20 more tokens need 2.0 s
    assert now[0] == pytest.approx(2.0)


def test_rate_limit_across_threads_real_clock():
    with FakeKamis(scripted([Reply(200, OK_BODY)])) as srv:
        client = KamisClient(
            None, srv.base_url, overrides={"requests_per_second": 40, "concurrency": 8}
        )
        t0 = time.perf_counter()
        results = client.fetch_all([REQ] * 20, progress=False)
        took = time.perf_counter() - t0
    assert all(r.outcome is Outcome.OK for r in results)
    assert took >= 19 / 40 * 0.9  # 20 calls at 40/s need ≥ 0.475 s whatever the thread count


def test_bounded_concurrency():
    in_flight, peak, lock = [0], [0], threading.Lock()

    def slow(query):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.15)
        with lock:
            in_flight[0] -= 1
        return Reply(
            200,
            echo_body(query, [{"itemcategorycode": "100", "itemcode": "111", "kindcode": "01"}]),
        )

    with FakeKamis(slow) as srv:
        client = KamisClient(
            None, srv.base_url, overrides={"requests_per_second": 0, "concurrency": 3}
        )
        results = client.fetch_all([REQ] * 9, progress=False)
    assert peak[0] == 3 and len(results) == 9


# --- 429 Too Many Requests and Retry-After ------------------------------------------------------

NOW = datetime(2026, 12, 2, 6, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("7", 7.0),
        (" 120 ", 120.0),
        ("Wed, 02 Dec 2026 06:00:30 GMT", 30.0),  # IMF-fixdate
        ("Wednesday, 02-Dec-26 06:01:00 GMT", 60.0),  # obsolete RFC 850
        ("Wed Dec  2 06:00:05 2026", 5.0),  # obsolete asctime (GMT by definition)
        ("Wed, 02 Dec 2026 05:59:00 GMT", 0.0),  # a date in the past: retry now
        (None, None),
        ("", None),
        ("   ", None),
        ("-5", None),  # delay-seconds is a non-negative integer
        ("1.5", None),
        ("soon", None),
        ("٣", None),  # a non-ASCII digit is no delay-seconds
        ("Wed, 32 Dec 2026 06:00:00 GMT", None),
    ],
)
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, now=NOW) == expected


def test_retry_delay_honours_retry_after_bounded_by_the_backoff_max():
    assert retry_delay(1, 0.5, 8.0, 3.0, rand=lambda: 1.0) == 3.0
    assert retry_delay(1, 0.5, 8.0, 3600.0, rand=lambda: 1.0) == 8.0
    assert retry_delay(1, 0.5, 8.0, 0.0, rand=lambda: 1.0) == 0.0
    assert retry_delay(3, 0.5, 8.0, None, rand=lambda: 1.0) == 2.0  # no header: full jitter


def test_429_with_retry_after_seconds_is_retried_after_that_wait():
    sleeps = Sleeps()
    replies = [Reply(429, b"slow down", headers=(("Retry-After", "3"),)), Reply(200, OK_BODY)]
    with FakeKamis(scripted(replies)) as srv:
        resp = transport(srv.base_url, sleeps).send(REQ)
    assert (resp.status, resp.content, resp.attempts, resp.error_msg) == (200, OK_BODY, 2, None)
    assert len(srv.queries) == 2
    assert sleeps.calls == [3.0]  # the header's delay, not the jitter's 0.5


def test_429_with_retry_after_http_date():
    sleeps = Sleeps()
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    replies = [Reply(429, headers=(("Retry-After", when),)), Reply(200, OK_BODY)]
    with FakeKamis(scripted(replies)) as srv:
        resp = transport(srv.base_url, sleeps).send(REQ)
    assert resp.ok and resp.attempts == 2
    # the date has whole seconds: the wait is 4-5 s from now, never the jitter's 0.5
    assert len(sleeps.calls) == 1 and 3.5 <= sleeps.calls[0] <= 5.0


def test_retry_after_is_bounded_by_the_backoff_max():
    sleeps = Sleeps()
    replies = [Reply(429, headers=(("Retry-After", "86400"),)), Reply(200, OK_BODY)]
    with FakeKamis(scripted(replies)) as srv:
        resp = transport(srv.base_url, sleeps, backoff_max_s=2).send(REQ)
    assert resp.ok and sleeps.calls == [2.0]


def test_429_without_retry_after_backs_off_with_jitter():
    sleeps = Sleeps()
    with FakeKamis(scripted([Reply(429), Reply(429), Reply(200, OK_BODY)])) as srv:
        resp = transport(srv.base_url, sleeps).send(REQ)
    assert resp.ok and resp.attempts == 3 and sleeps.calls == [0.5, 1.0]


def test_invalid_retry_after_falls_back_to_jitter():
    sleeps = Sleeps()
    replies = [Reply(429, headers=(("Retry-After", "tomorrow"),)), Reply(200, OK_BODY)]
    with FakeKamis(scripted(replies)) as srv:
        resp = transport(srv.base_url, sleeps).send(REQ)
    assert resp.ok and sleeps.calls == [0.5]


def test_503_with_retry_after_is_honoured_too():
    sleeps = Sleeps()
    replies = [Reply(503, headers=(("Retry-After", "2"),)), Reply(200, OK_BODY)]
    with FakeKamis(scripted(replies)) as srv:
        resp = transport(srv.base_url, sleeps).send(REQ)
    assert resp.ok and sleeps.calls == [2.0]


def test_429_burst_exhausts_attempts_and_reports_the_status():
    sleeps = Sleeps()
    with FakeKamis(scripted([Reply(429, headers=(("Retry-After", "1"),))])) as srv:
        resp = transport(srv.base_url, sleeps, max_attempts=3).send(REQ)
    assert (resp.status, resp.content, resp.attempts, len(srv.queries)) == (429, None, 3, 3)
    assert sleeps.calls == [1.0, 1.0]
    assert resp.error_msg.startswith("HTTP 429") and resp.error_msg.endswith("after 3 attempts")
    assert "p_cert_key" not in resp.error_msg


def test_retry_after_wait_is_real_on_the_wire():
    """With the real sleep, the second request arrives no sooner than Retry-After says."""
    replies = [Reply(429, headers=(("Retry-After", "1"),)), Reply(200, OK_BODY)]
    with FakeKamis(scripted(replies)) as srv:
        config = TransportConfig(
            base_url=srv.base_url, max_attempts=2, backoff_base_s=0.01, backoff_max_s=5,
            requests_per_second=0, timeout_s=2,
        )  # fmt: skip
        resp = Transport(config, lambda: {"p_cert_key": "k", "p_cert_id": "i"}).send(REQ)
        gap = srv.times[1] - srv.times[0]
    assert resp.ok and resp.attempts == 2
    assert 1.0 <= gap < 2.0

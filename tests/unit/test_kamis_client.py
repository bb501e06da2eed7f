"""KamisClient: mode selection, outcomes per answer, and the cert key never leaking anywhere."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from spark_jobs.kamis import requests as kr
from spark_jobs.kamis.client import REAL, SIMULATOR, KamisClient, KamisConfigError
from spark_jobs.kamis.outcomes import Outcome
from spark_jobs.logs import SecretFilter
from testkit.fake_kamis import FakeKamis, Reply, echo_body

pytestmark = pytest.mark.unit

KEY, CERT_ID = "SECRET-KEY-TEST-1234", "SECRET-ID-98765"
DAY = date(2026, 6, 4)
ITEM = {
    "item_name": "배추", "item_code": "211", "kind_name": "봄(1포기)", "kind_code": "01", "rank": "상품",
    "rank_code": "04", "unit": "1포기", "day1": "당일 (06/04)", "dpr1": "3,547", "day2": "1일전 (06/03)", "dpr2": "-",
}  # fmt: skip
FAST = {"max_attempts": 2, "backoff_base_s": 0.01, "backoff_max_s": 0.02, "requests_per_second": 0}


@pytest.fixture
def secrets(monkeypatch):
    monkeypatch.setenv("KAMIS_CERT_KEY", KEY)
    monkeypatch.setenv("KAMIS_CERT_ID", CERT_ID)


def test_simulator_mode_without_credentials_needs_a_url():
    with pytest.raises(KamisConfigError, match="base URL"):
        KamisClient(None)
    client = KamisClient(None, "http://127.0.0.1:1/service/price/xml.do")
    assert client.mode == SIMULATOR


def test_real_mode_from_env_and_profile(secrets, profile, monkeypatch):
    monkeypatch.delenv("KAMIS_BASE_URL", raising=False)
    client = KamisClient(profile)
    assert client.mode == REAL and client.base_url == profile.get("kamis.base_url")
    monkeypatch.setenv("KAMIS_BASE_URL", "http://127.0.0.1:9/x")
    assert KamisClient(profile).base_url == "http://127.0.0.1:9/x"


def test_profile_requiring_the_real_api_refuses_simulator_mode():
    with pytest.raises(KamisConfigError, match="requires the real"):
        KamisClient(None, "http://x", overrides={"require_real_api": True})


def test_simulator_mode_sends_placeholder_credentials_not_env_ones():
    with FakeKamis(lambda q: Reply(200, echo_body(q, [ITEM]))) as srv:
        res = KamisClient(None, srv.base_url, overrides=FAST).fetch(
            kr.daily_price_by_category(DAY, "01", "200")
        )
    assert srv.queries[0]["p_cert_key"] == "jangbogi-simulator"
    assert (
        res.outcome is Outcome.OK
        and res.api_mode == SIMULATOR
        and "jangbogi-simulator" not in res.body
    )


@pytest.mark.parametrize(
    ("reply", "outcome", "code"),
    [
        (lambda q: Reply(200, echo_body(q, [ITEM])), Outcome.OK, "000"),
        (lambda q: Reply(200, echo_body(q, None, "001")), Outcome.NO_DATA, "001"),
        (lambda q: Reply(200, echo_body(q, None, "200")), Outcome.BAD_REQUEST, "200"),
        (lambda q: Reply(200, echo_body(q, None, "900")), Outcome.UNAUTHENTICATED, "900"),
        (
            lambda q: Reply(200, b"<html><body>page not found</body></html>"),
            Outcome.NOT_KAMIS,
            None,
        ),
        (lambda q: Reply(503), Outcome.FAILED, None),
        (lambda q: Reply(404, b"<html>404</html>"), Outcome.FAILED, None),
    ],
)
def test_outcomes(reply, outcome, code):
    with FakeKamis(reply) as srv:
        res = KamisClient(None, srv.base_url, overrides=FAST).fetch(
            kr.daily_price_by_category(DAY, "01", "200")
        )
    assert (res.outcome, res.result_cd) == (outcome, code)
    if outcome is Outcome.FAILED:
        assert res.body is None and res.error_msg
    else:
        assert res.http_status == 200 and res.body is not None
    if outcome is Outcome.NOT_KAMIS:
        assert "HTML page" in res.error_msg and "page not found" in res.error_msg


def test_cert_key_never_in_results_logs_or_errors(secrets, caplog):
    """Every way a key could leak: echoed body, HTML error, 5xx, refused connection, bad URL, logs."""
    caplog.set_level(logging.DEBUG)
    for handler in logging.getLogger().handlers:
        handler.addFilter(SecretFilter())
    seen: list[str] = []

    def responder(query):
        seen.append(query.get("p_cert_key", ""))
        kind = query.get("p_item_category_code")
        if kind == "100":
            return Reply(200, echo_body(query, [ITEM]))
        if kind == "200":
            return Reply(200, f"<html>invalid key {KEY} for id {CERT_ID}</html>".encode())
        if kind == "300":
            return Reply(500, f"error for {KEY}".encode())
        xml = f"<document><condition><p_cert_key>{KEY}</p_cert_key><p_cert_id>{CERT_ID}</p_cert_id></condition><data>001</data></document>"
        return Reply(200, xml.encode())

    reqs = [kr.daily_price_by_category(DAY, "01", c) for c in ("100", "200", "300", "400")]
    with FakeKamis(responder) as srv:
        client = KamisClient(None, srv.base_url, overrides=FAST)
        assert client.mode == REAL
        results = client.fetch_all(reqs, progress=False)
        url = srv.base_url
    assert set(seen) == {KEY}  # the real key was sent
    gone = KamisClient(None, url, overrides=FAST).fetch(reqs[0])  # connection refused
    bad = KamisClient(None, "http://[bad-url/x", overrides=FAST).fetch(reqs[0])  # invalid URL
    assert [r.outcome for r in results] == [
        Outcome.OK,
        Outcome.NOT_KAMIS,
        Outcome.FAILED,
        Outcome.NO_DATA,
    ]
    assert gone.outcome is Outcome.FAILED and bad.outcome is Outcome.FAILED
    captured = [repr(r) for r in [*results, gone, bad]] + [r.body or "" for r in results]
    captured += [r.error_msg or "" for r in [*results, gone, bad]]
    captured += [rec.getMessage() for rec in caplog.records] + [caplog.text]
    captured += [repr(client.__dict__), repr(client.transport.__dict__), repr(client.config)]
    for text in captured:
        assert KEY not in text and CERT_ID not in text
    assert results[0].body.startswith(
        '{"condition":[{"p_product_cls_code":"01"'
    )  # echo kept, key removed
    assert "***" in results[1].body  # leftover literal key masked in a non-KAMIS body


def test_fetch_all_keeps_order():
    with FakeKamis(
        lambda q: Reply(200, echo_body(q, [dict(ITEM, item_code=q["p_item_category_code"])]))
    ) as srv:
        reqs = [kr.daily_price_by_category(DAY, "01", c) for c in ("600", "100", "500", "200")]
        results = KamisClient(None, srv.base_url, overrides=FAST).fetch_all(reqs, progress=False)
    assert [r.request for r in results] == reqs

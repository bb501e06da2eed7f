"""Credential removal from bodies (JSON and XML) and params keeps the rest byte-for-byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spark_jobs.kamis.redact import redact_body, redact_params, redact_text

pytestmark = pytest.mark.unit

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "kamis_samples"


def test_compact_json_member_removed_rest_verbatim():
    body = '{"condition":[{"p_regday":"2026-06-04","p_cert_key":"SECRET-KEY-TEST-1234","p_cert_id":"8301","p_returntype":"json"}],"data":["001"]}'
    assert (
        redact_body(body)
        == '{"condition":[{"p_regday":"2026-06-04","p_returntype":"json"}],"data":["001"]}'
    )


def test_key_first_and_last_members():
    assert (
        redact_body('{"condition":[{"p_key":"abc","p_regday":"x"}]}')
        == '{"condition":[{"p_regday":"x"}]}'
    )
    assert (
        redact_body('{"condition":[{"p_regday":"x","p_id":"abc"}]}')
        == '{"condition":[{"p_regday":"x"}]}'
    )
    assert redact_body('{"condition":[{"p_key":"abc"}]}') == '{"condition":[{}]}'


def test_empty_list_null_and_number_values():
    body = '{"condition":[{"p_cert_key":[],"p_cert_id":null,"p_id":4915,"p_x":"1"}]}'
    assert redact_body(body) == '{"condition":[{"p_x":"1"}]}'


def test_escaped_quotes_inside_the_value():
    assert redact_body(r'{"c":[{"a":"1","p_cert_key":"ab\"c,d"}]}') == '{"c":[{"a":"1"}]}'


def test_pretty_printed_json_stays_valid_and_otherwise_identical():
    body = (
        SAMPLES / "periodProductList__rice111_fixture_2020-10-21_22__spoqa_kamispy.json"
    ).read_text(encoding="utf-8")
    out = redact_body(body)
    assert '"p_id"' not in out and '"p_key"' not in out
    original, redacted = json.loads(body), json.loads(out)
    for k in ("p_id", "p_key"):
        original["condition"][0].pop(k)
    assert original == redacted
    # only the two members (and their line breaks/commas) went away
    assert out.splitlines() == [
        line for line in body.splitlines() if '"p_id"' not in line and '"p_key"' not in line
    ]


@pytest.mark.parametrize("path", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_sample_redacts_to_valid_json_without_credentials(path):
    body = (SAMPLES / path).read_text(encoding="utf-8")
    out = redact_body(body)
    json.loads(out)
    for key in ('"p_cert_key"', '"p_cert_id"', '"p_key"', '"p_id"'):
        assert key not in out
    # nothing but credential members changed: the data part is identical
    assert json.loads(out).get("data") == json.loads(body).get("data")


def test_xml_elements_removed_rest_verbatim():
    body = (
        "<document>\n  <condition>\n    <p_regday>2026-06-04</p_regday>\n    <p_cert_key>SECRET-KEY-TEST-1234</p_cert_key>\n"
        '    <p_cert_id/>\n    <p_key attr="1">k</p_key>\n    <p_returntype>xml</p_returntype>\n  </condition>\n</document>'
    )
    expected = "<document>\n  <condition>\n    <p_regday>2026-06-04</p_regday>\n    <p_returntype>xml</p_returntype>\n  </condition>\n</document>"
    assert redact_body(body) == expected


def test_xml_similar_tag_names_are_kept():
    body = "<c><p_idx>1</p_idx><p_keyword>x</p_keyword><p_id>9</p_id></c>"
    assert redact_body(body) == "<c><p_idx>1</p_idx><p_keyword>x</p_keyword></c>"


def test_leftover_secret_values_are_masked():
    body = "<html>your key SECRET-KEY-TEST-1234 is invalid</html>"
    assert redact_body(body, ["SECRET-KEY-TEST-1234"]) == "<html>your key *** is invalid</html>"


def test_params_and_text():
    assert redact_params({"p_cert_key": "k", "p_cert_id": "i", "p_regday": "d"}) == {
        "p_regday": "d"
    }
    url = "http://h/x?action=a&p_cert_key=SECRET-KEY-TEST-1234&p_cert_id=77&p_regday=2026-06-04"
    assert (
        redact_text(url) == "http://h/x?action=a&p_cert_key=***&p_cert_id=***&p_regday=2026-06-04"
    )

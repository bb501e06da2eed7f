"""parse_records: the per-body routing of the parse step (pure Python, stub parser)."""

from __future__ import annotations

import json

import pytest

from spark_jobs.kamis.outcomes import Outcome, ParseResult
from spark_jobs.silver.parse import PERIOD_FIELDS, parse_records

pytestmark = pytest.mark.unit


def raw(outcome="ok", body="{}", **kw):
    return {"request_id": "r1", "action": "periodRetailProductList", "params_json": json.dumps({"p_x": "1"}),
            "outcome": outcome, "error_msg": kw.get("error_msg"), "body": body}  # fmt: skip


def kinds(records):
    return [(r["kind"], r.get("reason"), r.get("parse_outcome")) for r in records]


def test_failed_raw_rows_are_skipped_not_quarantined():
    recs = list(parse_records(raw("failed", None), PERIOD_FIELDS, lambda *a: pytest.fail("parsed")))
    assert kinds(recs) == [("body", None, "skipped")]


def test_not_kamis_raw_body_is_quarantined_with_payload_truncated():
    recs = list(
        parse_records(
            raw("not_kamis", "<html>" + "x" * 3000, error_msg="html page"), PERIOD_FIELDS, None
        )
    )
    assert kinds(recs) == [("error", "not_kamis", None), ("body", None, "not_kamis")]
    assert recs[0]["detail"] == "html page" and len(recs[0]["payload"]) == 2000


def test_rows_row_errors_and_params_are_passed():
    seen = {}

    def stub(action, body, params):
        seen.update(action=action, params=params)
        return ParseResult(
            Outcome.OK, "000", "",
            rows=[{"row_type": "market", "price": 3547.0, "item_cd": "211", "extra": "ignored"}],
            row_errors=[(4, "unknown countyname '화성'", {"countyname": "화성"})],
        )  # fmt: skip

    recs = list(parse_records(raw(), PERIOD_FIELDS, stub))
    assert seen == {"action": "periodRetailProductList", "params": {"p_x": "1"}}
    assert kinds(recs) == [("error", "row_error", None), ("row", None, None), ("body", None, "ok")]
    assert recs[0]["row_no"] == 4 and json.loads(recs[0]["payload"]) == {"countyname": "화성"}
    assert recs[1]["price"] == 3547.0 and recs[1]["item_cd"] == "211" and "extra" not in recs[1]


def test_no_data_gives_nothing_and_empty_ok_body_is_quarantined():
    no_data = list(
        parse_records(raw(), PERIOD_FIELDS, lambda *a: ParseResult(Outcome.NO_DATA, "001"))
    )
    assert kinds(no_data) == [("body", None, "no_data")]
    empty = list(parse_records(raw(), PERIOD_FIELDS, lambda *a: ParseResult(Outcome.OK, "000")))
    assert kinds(empty) == [("error", "empty_body", None), ("body", None, "ok")]


def test_unauthenticated_and_exceptions_are_quarantined():
    unauth = list(
        parse_records(
            raw(),
            PERIOD_FIELDS,
            lambda *a: ParseResult(Outcome.UNAUTHENTICATED, "900", "Unauthenticated request"),
        )
    )
    assert kinds(unauth)[0] == ("error", "unauthenticated", None)
    assert unauth[0]["detail"] == "result_cd=900: Unauthenticated request"

    def boom(*a):
        raise KeyError("data")

    crashed = list(parse_records(raw(), PERIOD_FIELDS, boom))
    assert kinds(crashed) == [("error", "parse_exception", None), ("body", None, "exception")]
    assert crashed[0]["detail"] == "KeyError: 'data'"


def test_non_numeric_price_is_a_bad_number_row():
    recs = list(
        parse_records(
            raw(), PERIOD_FIELDS, lambda *a: ParseResult(Outcome.OK, "000", rows=[{"price": "abc"}])
        )
    )
    assert kinds(recs)[0] == ("error", "bad_number", None)

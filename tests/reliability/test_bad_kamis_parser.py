"""Hostile KAMIS bodies through the parser the client and the silver step use (no JVM)."""

from __future__ import annotations

import time

import pytest

from spark_jobs.kamis.parsing import decode, parse_body
from tests.reliability.corpus import PARAMS, cases, committed_files

pytestmark = [pytest.mark.reliability, pytest.mark.unit]

CASES = cases()
BODY_LEVEL = {"not_kamis", "unauthenticated", "bad_request"}


def test_corpus_is_complete_and_listed():
    listed = {c.file for c in CASES if "generated" not in c.file}
    assert listed == committed_files()
    assert len(CASES) >= 30
    # Every quirk the issue names has at least one body.
    quirks = " ".join(c.quirk.lower() for c in CASES)
    for word in ("wrong types", "spaces", "huge", "negative", "unknown", "same row", "after the day",
                 "02/30", "html", "empty body", "utf-8", "xml where json", "bomb", "50 mb"):  # fmt: skip
        assert word in quirks, word


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_parser_classifies_each_body(case):
    t0 = time.perf_counter()
    # The client's path: bytes → decode → parse_body(action, text, params).
    result = parse_body(case.action, decode(case.body()), dict(PARAMS))
    assert time.perf_counter() - t0 < 10
    assert result.outcome.value == case.outcome, result.reason
    assert case.reason_contains in result.reason
    if case.outcome in BODY_LEVEL:
        assert result.rows == [] and result.row_errors == []
        assert len(result.reason) < 300  # a reason, not the body
    else:
        row_level = [r for r in case.quarantine if r == "row_error"]
        assert len(result.row_errors) == len(row_level), result.row_errors
        # The rows left over are the ones the silver rules must refuse (unknown codes, ≤ 0).
        assert len(result.rows) == len(case.quarantine) - len(row_level)
        for _, reason, _ in result.row_errors:
            assert reason and len(reason) < 300

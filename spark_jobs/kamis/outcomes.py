"""Typed outcomes shared by the transport, the parser, the client and the raw layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from spark_jobs.kamis.requests import KamisRequest


class Outcome(StrEnum):
    """What a KAMIS call produced (the value is what the raw table stores in ``outcome``)."""

    OK = "ok"
    NO_DATA = "no_data"
    # Result 000 but no price for a survey day that was asked for: KAMIS has not published the
    # day's survey yet (it does so in the afternoon KST); asked again within a look-back.
    NOT_PUBLISHED = "not_published"
    BAD_REQUEST = "bad_request"
    UNAUTHENTICATED = "unauthenticated"
    NOT_KAMIS = "not_kamis"
    FAILED = "failed"


# KAMIS result code → (outcome, meaning) (API.md §1).
RESULT_CODES: dict[str, tuple[Outcome, str]] = {
    "000": (Outcome.OK, "Success"),
    "001": (Outcome.NO_DATA, "no data"),
    "200": (Outcome.BAD_REQUEST, "Wrong Parameters"),
    "900": (Outcome.UNAUTHENTICATED, "Unauthenticated request"),
}

# Outcomes after which a call need not be repeated.
SETTLED = frozenset({Outcome.OK, Outcome.NO_DATA})


@dataclass(frozen=True)
class ParseResult:
    """A parsed KAMIS body.

    Attributes:
        outcome: What the body says (OK, NO_DATA, NOT_PUBLISHED, BAD_REQUEST, UNAUTHENTICATED,
            NOT_KAMIS).
        result_cd: The KAMIS code ('000', '001', '200', '900') or None when there is none.
        reason: Why the body is not data (errors, NOT_KAMIS); empty for OK.
        rows: Normalised rows (keys = silver column names).
        row_errors: (index, reason, raw row) for rows that could not be normalised.
    """

    outcome: Outcome
    result_cd: str | None = None
    reason: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_errors: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class FetchResult:
    """One call's result as the raw layer stores it (no secret anywhere in it).

    Attributes:
        request: The request (its params never hold the cert key or id).
        http_status: Status of the last attempt, None when no response arrived.
        body: Response body with the echoed key/id removed; None when the call failed.
        result_cd: KAMIS result code found in the body.
        outcome: ok / no_data / not_published / bad_request / unauthenticated / not_kamis / failed.
        attempts: HTTP attempts made.
        elapsed_ms: Wall time across attempts (backoff included).
        error_msg: Why the call failed or is not data, built from redacted text only.
        fetched_at: When the last attempt finished (UTC).
        api_mode: ``real`` or ``simulator``.
    """

    request: KamisRequest
    http_status: int | None
    body: str | None
    result_cd: str | None
    outcome: Outcome
    attempts: int
    elapsed_ms: int
    error_msg: str | None
    fetched_at: datetime
    api_mode: str

    @property
    def body_bytes(self) -> int:
        """Return the stored body's size in UTF-8 bytes (0 when there is no body)."""
        return len(self.body.encode("utf-8")) if self.body is not None else 0

"""KamisClient: real API when KAMIS_CERT_KEY and KAMIS_CERT_ID are set, otherwise a simulator.

``fetch(request) -> FetchResult`` sends one call, redacts the body and classifies it with the
parser; ``fetch_all`` runs many with bounded concurrency and a tqdm progress bar.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed

from tqdm import tqdm

from spark_jobs.config import Profile
from spark_jobs.kamis.outcomes import FetchResult, Outcome
from spark_jobs.kamis.parsing import decode, parse_body
from spark_jobs.kamis.redact import redact_body
from spark_jobs.kamis.requests import KamisRequest
from spark_jobs.kamis.transport import Transport, TransportConfig

log = logging.getLogger(__name__)

KEY_VAR, ID_VAR, URL_VAR = "KAMIS_CERT_KEY", "KAMIS_CERT_ID", "KAMIS_BASE_URL"
REAL, SIMULATOR = "real", "simulator"
# What the client sends to a simulator (not secrets; the simulator answers 900 without a key).
SIMULATOR_CREDENTIALS = {"p_cert_key": "jangbogi-simulator", "p_cert_id": "jangbogi"}


class KamisConfigError(RuntimeError):
    """The client cannot be set up (no base URL, or real API required but not configured)."""


def real_mode_available() -> bool:
    """Return True when both KAMIS_CERT_KEY and KAMIS_CERT_ID are set."""
    return bool(os.environ.get(KEY_VAR)) and bool(os.environ.get(ID_VAR))


def _real_credentials() -> Mapping[str, str]:
    return {"p_cert_key": os.environ.get(KEY_VAR, ""), "p_cert_id": os.environ.get(ID_VAR, "")}


def _secret_values() -> list[str]:
    return [v for v in (os.environ.get(KEY_VAR, ""), os.environ.get(ID_VAR, "")) if v]


class KamisClient:
    """Fetches KAMIS calls and returns secret-free :class:`FetchResult` objects."""

    def __init__(
        self,
        profile: Profile | None = None,
        base_url: str | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
        rand: Callable[[], float] | None = None,
        overrides: Mapping[str, object] | None = None,
    ) -> None:
        """Create a client.

        Args:
            profile: Supplies ``kamis.*`` settings (base_url, timeouts, retries, concurrency, rate).
            base_url: Endpoint to use; required in simulator mode (e.g. an in-process simulator's
                ``.base_url``); in real mode it overrides ``KAMIS_BASE_URL`` / ``kamis.base_url``.
            sleep: Sleep function for backoff and rate limiting (tests).
            rand: Jitter source (tests).
            overrides: ``kamis.*`` settings that win over the profile (e.g. ``{"max_attempts": 1}``).

        Raises:
            KamisConfigError: No endpoint, or the profile requires the real API but no credentials are set.
        """
        kamis: dict[str, object] = dict((profile.get("kamis", {}) if profile else {}) or {})
        kamis.update(overrides or {})
        self.mode = REAL if real_mode_available() else SIMULATOR
        if self.mode == SIMULATOR and kamis.get("require_real_api"):
            raise KamisConfigError(
                f"this profile requires the real KAMIS API: set {KEY_VAR} and {ID_VAR}"
            )
        if base_url is None and self.mode == REAL:
            base_url = os.environ.get(URL_VAR) or str(kamis.get("base_url") or "") or None
        if not base_url:
            raise KamisConfigError(
                "simulator mode needs a base URL (start the simulator and pass its .base_url)"
            )
        self.returntype = str(kamis.get("returntype", "json"))
        self.config = TransportConfig.from_profile(kamis, base_url)
        credentials = (
            _real_credentials if self.mode == REAL else (lambda: dict(SIMULATOR_CREDENTIALS))
        )
        extra = {k: v for k, v in (("sleep", sleep), ("rand", rand)) if v is not None}
        self.transport = Transport(self.config, credentials, _secret_values, **extra)  # type: ignore[arg-type]

    @property
    def base_url(self) -> str:
        """Return the endpoint calls go to."""
        return self.config.base_url

    def fetch(self, request: KamisRequest) -> FetchResult:
        """Send one call and classify its answer (never raises for HTTP or body problems)."""
        raw = self.transport.send(request)
        if not raw.ok:
            return FetchResult(
                request, raw.status, None, None, Outcome.FAILED, raw.attempts, raw.elapsed_ms,
                raw.error_msg, raw.fetched_at, self.mode,
            )  # fmt: skip
        body = redact_body(decode(raw.content or b""), _secret_values())
        parsed = parse_body(request.action, body, request.params)
        error = None if parsed.outcome is Outcome.OK else parsed.reason
        return FetchResult(
            request, raw.status, body, parsed.result_cd, parsed.outcome, raw.attempts, raw.elapsed_ms,
            error, raw.fetched_at, self.mode,
        )  # fmt: skip

    def fetch_all(
        self, requests: Sequence[KamisRequest], progress: bool = True, desc: str | None = None
    ) -> list[FetchResult]:
        """Fetch many calls with ``kamis.concurrency`` threads; results keep the input order."""
        results: list[FetchResult | None] = [None] * len(requests)
        workers = max(1, min(self.config.concurrency, len(requests) or 1))
        with (
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kamis") as pool,
            tqdm(
                total=len(requests),
                disable=not progress,
                desc=desc or "kamis",
                unit="req",
                leave=False,
            ) as bar,
        ):
            futures = {pool.submit(self.fetch, r): i for i, r in enumerate(requests)}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                bar.update(1)
        return [r for r in results if r is not None]

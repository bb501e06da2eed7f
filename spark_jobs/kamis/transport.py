"""HTTP transport for KAMIS: timeouts, browser UA, full-jitter retries and a global rate limit.

Retries cover connection errors, timeouts, 5xx and 429 Too Many Requests (no other 4xx); a
``Retry-After`` header on a 429 or 503 (delay-seconds or an HTTP date) sets the wait before the
next attempt instead of the jitter, bounded by ``backoff_max_s``; a token bucket shared by all
threads caps requests per second; ``KamisClient.fetch_all`` bounds the concurrency.

Credentials are fetched from a callable at send time and exist only in the outgoing query;
they are never kept on an object, logged or put into an error message (messages are built from
the request's own credential-free description and masked once more).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from requests.adapters import HTTPAdapter

from spark_jobs.kamis.redact import redact_text
from spark_jobs.kamis.requests import KamisRequest

log = logging.getLogger(__name__)


class _RedactingFilter(logging.Filter):
    """Masks credentials in records of loggers that print request URLs (urllib3 at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactingFilter())

BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
RETRYABLE_EXCEPTIONS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)
Credentials = Callable[[], Mapping[str, str]]
TOO_MANY_REQUESTS = 429
# Statuses whose Retry-After header the transport honours (RFC 9110 §10.2.3, RFC 6585 §4).
RETRY_AFTER_STATUSES = frozenset({TOO_MANY_REQUESTS, 503})


def retryable_status(status: int) -> bool:
    """Return True for the HTTP statuses worth another attempt: 5xx and 429."""
    return status >= 500 or status == TOO_MANY_REQUESTS


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks to wait, or None when absent or invalid.

    Args:
        value: The header value: delay-seconds (``"120"``) or an HTTP date
            (``"Wed, 21 Oct 2026 07:28:00 GMT"``, also the obsolete RFC 850 / asctime forms).
        now: The current time for an HTTP date (default: now, UTC).

    Returns:
        Seconds from ``now`` (0 for a date in the past), or None for a missing, empty, negative
        or unparseable value.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are always GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def retry_delay(
    attempt: int, base: float, cap: float, retry_after: float | None,
    rand: Callable[[], float] = random.random,
) -> float:  # fmt: skip
    """Return the wait after failed ``attempt``: ``Retry-After`` when given (at most ``cap``), else full jitter."""
    if retry_after is not None:
        return min(max(0.0, retry_after), max(0.0, cap))
    return backoff_delay(attempt, base, cap, rand)


@dataclass(frozen=True)
class TransportConfig:
    """Transport settings (profile ``kamis.*``).

    Attributes:
        base_url: Endpoint, e.g. ``http://www.kamis.or.kr/service/price/xml.do``.
        timeout_s: Read timeout per attempt.
        connect_timeout_s: Connect timeout per attempt.
        max_attempts: Attempts per call (1 = no retry).
        backoff_base_s: First backoff ceiling; doubles per attempt.
        backoff_max_s: Largest backoff ceiling.
        concurrency: Parallel calls in ``fetch_all``.
        requests_per_second: Global rate limit across threads (0 = unlimited).
        user_agent: Sent with every call (KAMIS drops requests without a browser UA).
    """

    base_url: str
    timeout_s: float = 30.0
    connect_timeout_s: float = 10.0
    max_attempts: int = 4
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    concurrency: int = 8
    requests_per_second: float = 200.0
    user_agent: str = BROWSER_USER_AGENT

    @classmethod
    def from_profile(cls, kamis: Mapping[str, object], base_url: str) -> TransportConfig:
        """Build from a profile's ``kamis`` mapping (missing keys keep the defaults)."""
        fields = {
            "timeout_s": float,
            "connect_timeout_s": float,
            "max_attempts": int,
            "backoff_base_s": float,
            "backoff_max_s": float,
            "concurrency": int,
            "requests_per_second": float,
            "user_agent": str,
        }
        kwargs = {k: conv(kamis[k]) for k, conv in fields.items() if kamis.get(k) is not None}  # type: ignore[operator]
        return cls(base_url=base_url, **kwargs)  # type: ignore[arg-type]


class TokenBucket:
    """A thread-safe token bucket: at most ``rate`` acquisitions per second, bursts of ``capacity``."""

    def __init__(
        self,
        rate: float,
        capacity: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self._tokens = self.capacity
        self._clock, self._sleep = clock, sleep
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until a token is available (no-op when the rate is 0 or negative)."""
        if self.rate <= 0:
            return
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1 - 1e-9:
                    self._tokens = max(0.0, self._tokens - 1)
                    return
                wait = (1 - self._tokens) / self.rate
            self._sleep(wait)


def backoff_delay(
    attempt: int, base: float, cap: float, rand: Callable[[], float] = random.random
) -> float:
    """Return the full-jitter delay after failed ``attempt`` (1-based): U(0, min(cap, base·2^(n-1)))."""
    return rand() * min(cap, base * (2 ** (attempt - 1)))


@dataclass(frozen=True)
class RawResponse:
    """What came back from one call (credential-free)."""

    status: int | None
    content: bytes | None
    attempts: int
    elapsed_ms: int
    error_msg: str | None
    fetched_at: datetime

    @property
    def ok(self) -> bool:
        """Return True when a 200 response with content arrived."""
        return self.status == 200 and self.content is not None


class Transport:
    """Sends :class:`KamisRequest` objects over HTTP with retries and rate limiting."""

    def __init__(
        self,
        config: TransportConfig,
        credentials: Credentials,
        secrets: Callable[[], list[str]] = list,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        """Create a transport.

        Args:
            config: Endpoint, timeouts, retry and rate settings.
            credentials: Returns ``{"p_cert_key": …, "p_cert_id": …}`` at send time.
            secrets: Returns the credential values to mask in any text (defence in depth).
            sleep: Sleep function (tests inject a recorder).
            rand: Uniform [0, 1) source for the jitter.
        """
        self.config = config
        self._credentials = credentials
        self._secrets = secrets
        self._sleep = sleep
        self._rand = rand
        self.bucket = TokenBucket(config.requests_per_second, sleep=sleep)
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update(
                {"User-Agent": self.config.user_agent, "Accept": "application/json, text/xml, */*"}
            )
            self._local.session = session
        return session

    def _describe(self, request: KamisRequest, what: str) -> str:
        return redact_text(
            f"{what} (GET {self.config.base_url}?{request.describe()})", self._secrets()
        )

    def send(self, request: KamisRequest) -> RawResponse:
        """Send one call, retrying connection errors, timeouts, 5xx and 429; never raises for HTTP trouble."""
        cfg = self.config
        t0 = time.perf_counter()
        status: int | None = None
        error: str | None = None
        attempt = 0
        for attempt in range(1, max(1, cfg.max_attempts) + 1):
            self.bucket.acquire()
            retryable = False
            retry_after: float | None = None
            try:
                query = {**request.query(), **self._credentials()}
                with self._session().get(
                    cfg.base_url, params=query, timeout=(cfg.connect_timeout_s, cfg.timeout_s)
                ) as resp:
                    status = resp.status_code
                    content = resp.content
                    if status in RETRY_AFTER_STATUSES:
                        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
                if status == 200:
                    return RawResponse(status, content, attempt, _ms(t0), None, _now())
                error = self._describe(request, f"HTTP {status}")
                retryable = retryable_status(status)
            except RETRYABLE_EXCEPTIONS as exc:
                status, error, retryable = None, self._describe(request, type(exc).__name__), True
            except requests.RequestException as exc:
                status, error = None, self._describe(request, type(exc).__name__)
            if not retryable or attempt >= cfg.max_attempts:
                break
            delay = retry_delay(
                attempt, cfg.backoff_base_s, cfg.backoff_max_s, retry_after, self._rand
            )
            log.warning(
                "attempt %d/%d failed, retrying in %.2f s%s: %s",
                attempt,
                cfg.max_attempts,
                delay,
                " (Retry-After)" if retry_after is not None else "",
                error,
            )
            self._sleep(delay)
        final = f"{error} after {attempt} attempt{'s' if attempt != 1 else ''}"
        return RawResponse(status, None, attempt, _ms(t0), final, _now())


def _ms(t0: float) -> int:
    return round((time.perf_counter() - t0) * 1000)


def _now() -> datetime:
    return datetime.now(UTC)

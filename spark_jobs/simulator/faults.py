"""Fault injection for reliability tests: each request draws at most one fault.

Every knob is a probability per request except the latency, sleep and burst ones. The draw is a
hash of the seed and the request's sequence number (1, 2, 3, … in arrival order), so a run with
the same seed and the same request order sees the same faults.

A ``throttle`` draw starts a 429 burst: that request and the next ``throttle_burst - 1`` to
arrive answer ``429 Too Many Requests`` with a ``Retry-After`` header (the server keeps that
state, see ``server.SimulatorServer``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from spark_jobs.simulator.model import hash_normal, hash_uniform

FAULT_KINDS = (
    "error_5xx", "timeout", "reset", "truncate", "malformed", "html", "empty", "slow", "throttle",
)  # fmt: skip


@dataclass(frozen=True)
class FaultConfig:
    """Knobs: latency (ms, mean and jitter = standard deviation) and per-request fault rates."""

    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_rate: float = 0.0  # HTTP 500/502/503 with an HTML page
    timeout_rate: float = 0.0  # sleep ``timeout_sleep_s`` before answering
    timeout_sleep_s: float = 35.0
    reset_rate: float = 0.0  # close the connection with a TCP reset, no reply
    truncate_rate: float = 0.0  # promise the full Content-Length, send half, close
    malformed_rate: float = 0.0  # 200 with a syntactically broken JSON/XML body
    html_rate: float = 0.0  # 200 with an HTML error page instead of JSON/XML
    empty_rate: float = 0.0  # 200 with an empty body
    slow_rate: float = 0.0  # the right answer after ``slow_sleep_s`` (slow, not timed out)
    slow_sleep_s: float = 2.0
    throttle_rate: float = 0.0  # start a burst of 429 answers with Retry-After
    throttle_burst: float = 5.0  # requests answered 429 per burst (the first included)
    throttle_retry_after_s: float = 1.0  # what Retry-After asks for (seconds)

    def __post_init__(self) -> None:
        rates = self.rates()
        if any(r < 0 or r > 1 for r in rates) or sum(rates) > 1 + 1e-9:
            raise ValueError("fault rates must be in [0, 1] and sum to at most 1")
        waits = (self.latency_ms, self.latency_jitter_ms, self.timeout_sleep_s, self.slow_sleep_s,
                 self.throttle_retry_after_s)  # fmt: skip
        if any(w < 0 for w in waits):
            raise ValueError("latency and sleep values must be non-negative")
        if self.throttle_burst < 1:
            raise ValueError("throttle_burst must be at least 1")

    def rates(self) -> tuple[float, ...]:
        """Return the per-request probabilities in the order of :data:`FAULT_KINDS`."""
        return (self.error_rate, self.timeout_rate, self.reset_rate, self.truncate_rate,
                self.malformed_rate, self.html_rate, self.empty_rate, self.slow_rate,
                self.throttle_rate)  # fmt: skip

    @property
    def active(self) -> bool:
        """Return True when any fault or added latency is configured."""
        return any(self.rates()) or bool(self.latency_ms or self.latency_jitter_ms)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Return the constructor keyword names."""
        return tuple(f.name for f in fields(cls))

    def draw(self, seed: int, counter: int) -> tuple[str | None, float]:
        """Return (fault kind or None, latency in seconds) for request number ``counter``."""
        latency = 0.0
        if self.latency_ms or self.latency_jitter_ms:
            z = hash_normal(seed, "latency", counter)
            latency = max(0.0, self.latency_ms + self.latency_jitter_ms * z) / 1000.0
        u = hash_uniform(seed, "fault", counter)
        acc = 0.0
        for kind, rate in zip(FAULT_KINDS, self.rates(), strict=True):
            acc += rate
            if u < acc:
                return kind, latency
        return None, latency

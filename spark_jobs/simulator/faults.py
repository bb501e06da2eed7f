"""Fault injection for reliability tests: each request draws at most one fault.

Every knob is a probability per request except the latency ones. The draw is a hash of the
seed and the request's sequence number (1, 2, 3, … in arrival order), so a run with the same
seed and the same request order sees the same faults.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from spark_jobs.simulator.model import hash_normal, hash_uniform

FAULT_KINDS = ("error_5xx", "timeout", "reset", "truncate", "malformed", "html")


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

    def __post_init__(self) -> None:
        rates = [self.error_rate, self.timeout_rate, self.reset_rate, self.truncate_rate,
                 self.malformed_rate, self.html_rate]  # fmt: skip
        if any(r < 0 or r > 1 for r in rates) or sum(rates) > 1:
            raise ValueError("fault rates must be in [0, 1] and sum to at most 1")
        if self.latency_ms < 0 or self.latency_jitter_ms < 0 or self.timeout_sleep_s < 0:
            raise ValueError("latency and sleep values must be non-negative")

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
        for kind, rate in zip(
            FAULT_KINDS,
            (self.error_rate, self.timeout_rate, self.reset_rate, self.truncate_rate,
             self.malformed_rate, self.html_rate),
            strict=True,
        ):  # fmt: skip
            acc += rate
            if u < acc:
                return kind, latency
        return None, latency

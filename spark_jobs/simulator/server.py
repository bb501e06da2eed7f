"""The KAMIS-compatible HTTP server (stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive).

``SimulatorServer`` runs it in a background thread (a context manager for tests and local runs);
``serve_forever`` runs it in the foreground for ``jangbogi simulate``.
"""

from __future__ import annotations

import contextlib
import logging
import math
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from spark_jobs.simulator.actions import PATH, PUBLICATION_HOUR_KST, Renderer, Reply, kst_now
from spark_jobs.simulator.encode import ERROR_HTML
from spark_jobs.simulator.faults import FaultConfig
from spark_jobs.simulator.model import PriceModel

log = logging.getLogger(__name__)
# Query parameters never kept in the simulator's fault log.
_SECRET_PARAMS = frozenset({"p_cert_key", "p_cert_id"})


@dataclass(frozen=True)
class FaultRecord:
    """One request that drew a fault: arrival number, fault kind, action and credential-free params."""

    counter: int
    kind: str
    action: str
    params: tuple[tuple[str, str], ...]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""

    def setup(self) -> None:
        """Disable Nagle: headers and body go out as separate writes on a keep-alive socket."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging (the query string carries the cert key)."""

    def do_GET(self) -> None:
        """Answer one request, possibly with an injected fault."""
        sim: SimulatorServer = self.server.simulator  # type: ignore[attr-defined]
        counter, fault, latency, burst = sim._next_request()
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if fault is not None or sim.record:
            sim._record_fault(counter, fault, params)
        if latency:
            time.sleep(latency)
        if fault == "throttle":
            self._send_throttled(sim.faults.throttle_retry_after_s, as_date=burst % 2 == 0)
            return
        if fault == "reset":
            self._reset()
            return
        if fault == "error_5xx":
            status = (500, 502, 503)[counter % 3]
            self._send(Reply(status, "text/html;charset=UTF-8", ERROR_HTML.encode("utf-8")))
            return
        if fault == "html":
            self._send(Reply(200, "text/html;charset=UTF-8", ERROR_HTML.encode("utf-8")))
            return
        if fault == "empty":
            self._send(Reply(200, "application/json;charset=UTF-8", b""))
            return
        if fault == "timeout":
            time.sleep(sim.faults.timeout_sleep_s)
        if fault == "slow":
            time.sleep(sim.faults.slow_sleep_s)
        reply = sim.renderer.render(url.path, params)
        if fault == "malformed" and reply.status == 200:
            body = reply.body
            reply = Reply(200, reply.content_type, body[: max(1, len(body) * 2 // 3)] + b'",}]<')
        if fault == "truncate":
            self._send(reply, truncate=True)
            return
        self._send(reply)

    def _send(self, reply: Reply, truncate: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body[: len(reply.body) // 2] if truncate else reply.body)
        if truncate:
            self.wfile.flush()
            self.close_connection = True

    def _send_throttled(self, retry_after_s: float, as_date: bool) -> None:
        """Answer 429 with Retry-After as delay-seconds, or (``as_date``) as an HTTP date."""
        seconds = max(0, math.ceil(retry_after_s))
        if as_date:  # an HTTP date has whole seconds: one more so the wait is never shorter
            when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=seconds + 1)
            value = format_datetime(when, usegmt=True)
        else:
            value = str(seconds)
        body = b"<html><body><h1>429 Too Many Requests</h1></body></html>"
        self.send_response(429)
        self.send_header("Content-Type", "text/html;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Retry-After", value)
        self.end_headers()
        self.wfile.write(body)

    def _reset(self) -> None:
        """Drop the connection with an RST (SO_LINGER 0) and write nothing."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client-side disconnects (resets, timeouts) are expected; log at debug only."""
        log.debug("simulator connection error from %s", client_address, exc_info=True)


class SimulatorServer:
    """A KAMIS-compatible server in a background thread.

    Args:
        seed: price model seed (same seed ⇒ byte-identical bodies).
        today: the simulator's "today" (future dates answer 001); default today in Korea.
        host: interface to bind.
        port: port to bind (0 = any free port).
        shape: "2026", "2020" or "xml-derived" (see ``actions``).
        publication_hour_kst: hour (KST) from which ``today``'s prices are published; before
            it today is answered like KAMIS before publication (see ``actions``).
        clock: current time (aware, or naive meaning KST); tests inject a fixed one.
        **faults: ``FaultConfig`` knobs (latency_ms, latency_jitter_ms, error_rate,
            timeout_rate, timeout_sleep_s, reset_rate, truncate_rate, malformed_rate, html_rate,
            empty_rate, slow_rate, slow_sleep_s, throttle_rate, throttle_burst,
            throttle_retry_after_s). ``fault_log`` lists every request that drew one.
        record: Also keep every request (fault or not) in ``request_log`` (tests; unbounded).
    """

    def __init__(self, seed: int, today: date | None = None, host: str = "127.0.0.1",
                 port: int = 0, shape: str = "2026",
                 publication_hour_kst: int = PUBLICATION_HOUR_KST,
                 clock: Callable[[], datetime] = kst_now, record: bool = False,
                 **faults: float) -> None:  # fmt: skip
        from spark_jobs.dates import today_kst

        unknown = set(faults) - set(FaultConfig.names())
        if unknown:
            raise TypeError(f"unknown fault knobs: {sorted(unknown)}")
        self.seed = seed
        self.today = today or today_kst()
        self.faults = FaultConfig(**faults)
        self.model = PriceModel(seed)
        self.renderer = Renderer(self.model, self.today, shape, publication_hour_kst, clock)
        self._host, self._port = host, port
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._count = 0
        self._burst_left = 0
        self._bursts = 0
        self.fault_log: list[FaultRecord] = []
        self.record = record
        self.request_log: list[FaultRecord] = []  # kind "" = answered normally

    def _next_request(self) -> tuple[int, str | None, float, int]:
        """Return (arrival number, fault or None, latency s, burst number) for a new request."""
        with self._lock:
            self._count += 1
            counter = self._count
            fault, latency = self.faults.draw(self.seed, counter)
            if self._burst_left > 0:  # inside a 429 burst, whatever the draw
                self._burst_left -= 1
                return counter, "throttle", latency, self._bursts
            if fault == "throttle":
                self._bursts += 1
                self._burst_left = int(self.faults.throttle_burst) - 1
            return counter, fault, latency, self._bursts

    def _record_fault(self, counter: int, kind: str | None, params: dict[str, str]) -> None:
        safe = tuple(sorted((k, v) for k, v in params.items() if k not in _SECRET_PARAMS))
        record = FaultRecord(counter, kind or "", params.get("action", ""), safe)
        with self._lock:
            if kind is not None:
                self.fault_log.append(record)
            if self.record:
                self.request_log.append(record)

    def fault_counts(self) -> Counter[str]:
        """Return how many requests drew each fault kind so far."""
        with self._lock:
            return Counter(r.kind for r in self.fault_log)

    @property
    def request_count(self) -> int:
        """Return how many requests have arrived so far."""
        return self._count

    @property
    def port(self) -> int:
        """Return the bound port (after ``start``)."""
        return self._httpd.server_address[1] if self._httpd else self._port

    @property
    def base_url(self) -> str:
        """Return ``http://host:port/service/price/xml.do``."""
        return f"http://{self._host}:{self.port}{PATH}"

    def bind(self) -> None:
        """Bind the listening socket (idempotent)."""
        if self._httpd is None:
            self._httpd = _Server((self._host, self._port), _Handler)
            self._httpd.simulator = self  # type: ignore[attr-defined]

    def start(self) -> SimulatorServer:
        """Bind and serve in a daemon thread; return self."""
        self.bind()
        assert self._httpd is not None
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="kamis-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        self.stop()


def serve_forever(host: str, port: int, seed: int, today: date | None = None,
                  shape: str = "2026", publication_hour_kst: int = PUBLICATION_HOUR_KST,
                  **faults: float) -> None:  # fmt: skip
    """Serve the simulator in the foreground until interrupted (``jangbogi simulate``)."""
    sim = SimulatorServer(seed, today, host, port, shape, publication_hour_kst, **faults)
    sim.bind()
    print(
        f"KAMIS simulator on {sim.base_url} (seed {seed}, today {sim.today}, shape {shape}, "
        f"today's prices from {publication_hour_kst:02d}:00 KST)",
        flush=True,
    )
    assert sim._httpd is not None
    try:
        sim._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sim._httpd.server_close()


def run_from_args(args: Any) -> int:
    """Run ``serve_forever`` from the ``jangbogi simulate`` argparse namespace."""
    faults = {name: getattr(args, name) for name in FaultConfig.names() if hasattr(args, name)}
    hour = getattr(args, "publication_hour_kst", None)
    hour = PUBLICATION_HOUR_KST if hour is None else int(hour)
    serve_forever(args.host, args.port, args.seed, args.today, args.shape, hour, **faults)
    return 0

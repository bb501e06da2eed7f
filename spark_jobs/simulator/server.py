"""The KAMIS-compatible HTTP server (stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive).

``SimulatorServer`` runs it in a background thread (a context manager for tests and local runs);
``serve_forever`` runs it in the foreground for ``jangbogi simulate``.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from spark_jobs.simulator.actions import PATH, PUBLICATION_HOUR_KST, Renderer, Reply, kst_now
from spark_jobs.simulator.encode import ERROR_HTML
from spark_jobs.simulator.faults import FaultConfig
from spark_jobs.simulator.model import PriceModel

log = logging.getLogger(__name__)


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
        counter = sim._next_counter()
        fault, latency = sim.faults.draw(sim.seed, counter)
        if latency:
            time.sleep(latency)
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
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
        if fault == "timeout":
            time.sleep(sim.faults.timeout_sleep_s)
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
            timeout_rate, timeout_sleep_s, reset_rate, truncate_rate, malformed_rate, html_rate).
    """

    def __init__(self, seed: int, today: date | None = None, host: str = "127.0.0.1",
                 port: int = 0, shape: str = "2026",
                 publication_hour_kst: int = PUBLICATION_HOUR_KST,
                 clock: Callable[[], datetime] = kst_now, **faults: float) -> None:  # fmt: skip
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

    def _next_counter(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

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

"""A tiny scripted KAMIS-like HTTP server for tests (fault injection: 5xx, 429, resets, slow answers).

Not the simulator: it answers whatever a responder function returns for each query, and records
every query it receives so tests can assert what the transport sent.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

PATH = "/service/price/xml.do"


@dataclass(frozen=True)
class Reply:
    """What the fake server does for one request.

    Attributes:
        status: HTTP status to send.
        body: Body bytes.
        delay_s: Seconds to wait before answering (use > the client's read timeout for timeouts).
        reset: Close the connection without any response instead.
        content_type: Content-Type header.
        headers: Extra response headers, e.g. ``(("Retry-After", "2"),)``.
    """

    status: int = 200
    body: bytes = b""
    delay_s: float = 0.0
    reset: bool = False
    content_type: str = "text/plain;charset=UTF-8"
    headers: tuple[tuple[str, str], ...] = ()


Responder = Callable[[dict[str, str]], Reply]


class FakeKamis:
    """A threaded HTTP server on 127.0.0.1 answering with ``responder(query)``; a context manager."""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.queries: list[dict[str, str]] = []
        self.headers: list[dict[str, str]] = []
        self.times: list[float] = []  # time.monotonic() at each request's arrival
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                with outer._lock:
                    outer.times.append(time.monotonic())
                    outer.queries.append(query)
                    outer.headers.append(dict(self.headers.items()))
                reply = outer.responder(query)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.reset:
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(reply.body)

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """Return ``http://127.0.0.1:<port>/service/price/xml.do``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{PATH}"

    def __enter__(self) -> FakeKamis:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def scripted(replies: Iterable[Reply]) -> Responder:
    """Return a responder answering with ``replies`` in order (the last one repeats)."""
    queue = list(replies)
    lock = threading.Lock()

    def respond(_query: dict[str, str]) -> Reply:
        with lock:
            return queue.pop(0) if len(queue) > 1 else queue[0]

    return respond


def echo_body(
    query: Mapping[str, str], items: list[dict[str, Any]] | None, code: str = "000"
) -> bytes:
    """Return a KAMIS-shaped JSON body echoing every query parameter (credentials included)."""
    condition = [{k: v for k, v in query.items() if k != "action"}]
    data: Any = {"error_code": code, "item": items} if items is not None else [code]
    return json.dumps(
        {"condition": condition, "data": data}, ensure_ascii=False, separators=(",", ":")
    ).encode()

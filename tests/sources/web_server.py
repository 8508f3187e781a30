"""A small threaded HTTP server on 127.0.0.1 that answers like the web sources do.

Each path gets a queue of canned responses (the last one repeats); every request is
recorded with the server's own clock, so pacing is measured where it matters.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    """One canned response. `truncate` sends fewer bytes than announced; `delay` stalls."""

    status: int = 200
    body: bytes | str | list | dict = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    truncate: bool = False

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float  # the server's monotonic clock when the request arrived


class WebServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else each answer waits ~40 ms for an ACK

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server._handle(self)

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                pass  # a client that hung up (timeouts, size caps): expected here

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def route(self, path: str, *replies: Reply) -> None:
        """Answer `path` (with any query) with `replies` in turn, the last one repeating."""
        self.routes[path] = list(replies)

    def answer(self, path: str, choose) -> None:
        """Answer `path` with `choose(seen)`, a Reply worked out from the request."""
        self.routes[path] = [choose]

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        with self.lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
            self.seen.append(
                Seen(parts.path, parse_qs(parts.query), dict(handler.headers), time.monotonic())
            )
            queue = self.routes.get(parts.path)
            reply = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else Reply(404, "nope")
            if callable(reply):
                reply = reply(self.seen[-1])
        try:
            self._send(handler, reply)
        finally:
            with self.lock:
                self.active -= 1

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.payload()
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        handler.send_header("Content-Length", str(len(body) + (100 if reply.truncate else 0)))
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if reply.truncate:
            handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            handler.wfile.write(body)
            handler.wfile.flush()
        except OSError:
            pass
        if reply.truncate:
            handler.close_connection = True

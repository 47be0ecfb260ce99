"""A small threaded HTTP/1.1 server for a generated BenchSite on 127.0.0.1.

Keep-alive, Content-Length, ETag / If-None-Match (304) like a real outlet; it counts the
requests and bytes it answers so a benchmark can report what a crawl asked for.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from benchmarks.generate import BenchSite, parse_edition_path

ROBOTS = b"User-agent: *\nAllow: /\n"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


class SiteServer:
    """Serve ``site`` on a thread; use as a context manager."""

    def __init__(
        self, site: BenchSite, host: str = "127.0.0.1", port: int = 0, robots: bytes = ROBOTS
    ) -> None:
        self.site = site
        self.robots = robots
        self.requests: list[tuple[float, str]] = []  # (time.monotonic(), path) of each request
        self.host = host
        self.port = port
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def count(self, key: str, amount: int = 1) -> None:
        with self._lock:
            self.counts[key] += amount

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.requests.clear()

    def start(self) -> SiteServer:
        self._server = _Server((self.host, self.port), _handler(self))
        self.port = self._server.server_address[1]
        self.site.base_url = self.base_url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler(server: SiteServer) -> type[BaseHTTPRequestHandler]:
    site = server.site

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "BenchGazette/1.0"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the server counts instead."""

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = urlsplit(self.path).path
            server.count("requests")
            with server._lock:
                server.requests.append((time.monotonic(), path))
            if path == "/robots.txt":
                self._send(200, "text/plain", server.robots)
                return
            if path == "/bench/sitemap-uk.xml":
                self._send(200, "application/xml", site.sitemap())
                return
            found = parse_edition_path(path)
            if not found or not 1 <= found[0] <= site.n_articles:
                server.count("404")
                self._send(404, "text/html; charset=utf-8", b"<html><body>404</body></html>")
                return
            article_id, lang = found
            etag = site.etag(article_id, lang)
            if etag in (self.headers.get("If-None-Match") or ""):
                server.count("304")
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            server.count("pages")
            self._send(200, "text/html; charset=utf-8", site.page(article_id, lang), etag)

        def _send(self, status: int, kind: str, body: bytes, etag: str | None = None) -> None:
            server.count("bytes", len(body))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT")
            self.end_headers()
            self.wfile.write(body)

    return Handler

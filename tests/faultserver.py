"""A loopback HTTP server that misbehaves on purpose, for the fault and hostile-page tests.

Each path is given a *behaviour*: a callable that answers one request on the raw handler.
Well-formed answers go through http.server; the faults http.server cannot produce (a
reset mid-body, a body shorter than its Content-Length, a hang, a dribble) write to the
socket directly. Behaviours can be swapped while the server runs (a site that recovers),
and every request is logged, so a test can assert what was — and was not — fetched.

    with FaultServer() as server:
        server.route("/a.html", page(b"<html>…</html>"))
        server.route("/b.html", status(500))
        server.url("/a.html")
"""

from __future__ import annotations

import gzip
import html
import http.server
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

Behaviour = Callable[["FaultHandler"], None]


class FaultHandler(http.server.BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        self.server.log_request_path(path)
        behaviour = self.server.behaviour_for(path)
        try:
            behaviour(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a size limit, a timeout): expected in these tests
        self.close_connection = True

    def send_bytes(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        """A complete, well-formed answer."""
        self.send_response(code)
        merged = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for name, value in merged.items():
            self.send_header(name, value)
        if "Content-Length" not in merged:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def raw(self, data: bytes) -> None:
        """Bytes straight onto the socket, no framing."""
        self.wfile.write(data)
        self.wfile.flush()

    def reset(self) -> None:
        """Close with RST instead of FIN: SO_LINGER 0 makes the kernel abort the connection."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class FaultServer(http.server.ThreadingHTTPServer):
    """Threaded loopback server; unknown paths answer 404."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), FaultHandler)
        self.routes: dict[str, Behaviour] = {}
        self.prefixes: list[tuple[str, Behaviour]] = []
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, behaviour: Behaviour) -> str:
        """Serve path with behaviour (replacing any previous one); returns its URL."""
        with self._lock:
            self.routes[path] = behaviour
        return self.url(path)

    def route_prefix(self, prefix: str, behaviour: Behaviour) -> None:
        with self._lock:
            self.prefixes.append((prefix, behaviour))

    def behaviour_for(self, path: str) -> Behaviour:
        with self._lock:
            if path in self.routes:
                return self.routes[path]
            for prefix, behaviour in self.prefixes:
                if path.startswith(prefix):
                    return behaviour
        return status(404)

    def log_request_path(self, path: str) -> None:
        with self._lock:
            self.hits[path] += 1

    def start(self) -> FaultServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # releases hanging and dribbling handlers
        self.shutdown()
        self.server_close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# ------------------------------------------------------------------------ behaviours


def page(body: bytes | str, code: int = 200, headers: dict[str, str] | None = None) -> Behaviour:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda h: h.send_bytes(code, data, headers)


def status(code: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Behaviour:
    return lambda h: h.send_bytes(code, body or f"error {code}".encode(), headers)


def redirect(location: str, code: int = 302) -> Behaviour:
    return lambda h: h.send_bytes(code, b"", {"Location": location})


def reset_mid_body(body: bytes, sent: int = 200) -> Behaviour:
    """Headers and the first `sent` bytes, then a TCP reset."""

    def answer(h: FaultHandler) -> None:
        h.raw(_head(200, {"Content-Length": str(len(body))}) + body[:sent])
        h.reset()

    return answer


def truncated(body: bytes, declared: int) -> Behaviour:
    """A Content-Length of `declared` bytes, fewer sent, then an orderly close."""

    def answer(h: FaultHandler) -> None:
        h.raw(_head(200, {"Content-Length": str(declared)}) + body)
        h.connection.shutdown(socket.SHUT_WR)

    return answer


def hang() -> Behaviour:
    """Accept, read the request, never answer (until the server stops)."""
    return lambda h: h.server.stopping.wait(120)


def dribble(body: bytes, chunk: int = 16, delay: float = 0.2) -> Behaviour:
    """A whole, valid answer at a few bytes per interval: a very slow server."""

    def answer(h: FaultHandler) -> None:
        h.raw(_head(200, {"Content-Length": str(len(body))}))
        for start in range(0, len(body), chunk):
            if h.server.stopping.wait(delay):
                return
            h.raw(body[start : start + chunk])

    return answer


def big(size: int, declare_length: bool = True) -> Behaviour:
    """`size` bytes of paragraphs, streamed in 64 KiB writes (never held in memory)."""
    block = (b"<p>" + b"Huge page filler text. " * 40 + b"</p>\n") * 60

    def answer(h: FaultHandler) -> None:
        headers = {"Content-Length": str(size)} if declare_length else {}
        h.raw(_head(200, headers))
        remaining = size
        while remaining > 0 and not h.server.stopping.is_set():
            piece = block[: min(len(block), remaining)]
            h.raw(piece)
            remaining -= len(piece)

    return answer


def gzip_bomb_body(inflated: int, member: int = 64 * 1024 * 1024) -> bytes:
    """A gzip stream inflating to `inflated` bytes of zeros in about 1/1000 of that size.

    Built from repeated gzip members (RFC 1952 allows concatenation), so a 1 GiB bomb
    takes one 64 MiB compression, not a 1 GiB one.
    """
    one = gzip.compress(b"\0" * member, compresslevel=9)
    return one * -(-inflated // member)


def gzip_bomb(body: bytes) -> Behaviour:
    return page(body, headers={"Content-Encoding": "gzip"})


def static_dir(root: Path, prefix: str = "/") -> Behaviour:
    """Files under root, served as UTF-8 HTML (a generated site in a temp dir)."""

    def answer(h: FaultHandler) -> None:
        relative = h.path.split("?", 1)[0][len(prefix) :]
        target = (root / relative).resolve()
        if root.resolve() not in target.parents or not target.is_file():
            h.send_bytes(404, b"not found")
            return
        h.send_bytes(200, target.read_bytes())

    return answer


def delayed(behaviour: Behaviour, seconds: float) -> Behaviour:
    """behaviour after a pause: keeps a crawl busy long enough to interrupt it."""

    def answer(h: FaultHandler) -> None:
        time.sleep(seconds)
        behaviour(h)

    return answer


def _head(code: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {code} {http.HTTPStatus(code).phrase}"]
    merged = {"Content-Type": "text/html; charset=utf-8", **headers}
    lines += [f"{name}: {value}" for name, value in merged.items()]
    lines += ["Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


# ------------------------------------------------------------------------ article pages


def news_page(
    lang: str,
    title: str,
    paragraphs: list[str],
    alternates: dict[str, str] | None = None,
) -> bytes:
    """A plain article page in lang, with hreflang links to its other editions."""
    links = "\n".join(
        f'<link rel="alternate" hreflang="{code}" href="{html.escape(url)}">'
        for code, url in (alternates or {}).items()
    )
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>\n{links}\n</head><body><article>"
        f"<h1>{html.escape(title)}</h1>\n{body}\n</article></body></html>"
    ).encode()


STORY = {
    "uk": (
        "Ремонт мосту в Черкасах",
        [
            "Міська рада Черкас виділила 48 мільйонів гривень на ремонт мосту через Дніпро.",
            "Роботи триватимуть до кінця жовтня, рух транспорту обмежать на двох смугах.",
            "За словами інженерів, опори мосту не ремонтували понад 30 років.",
        ],
    ),
    "en": (
        "Bridge repair in Cherkasy",
        [
            "Cherkasy city council allocated 48 million hryvnias to repair the Dnipro bridge.",
            "Work will last until the end of October, with traffic limited on two lanes.",
            "According to engineers, the bridge supports have not been repaired for over 30 years.",
        ],
    ),
    "ru": (
        "Ремонт моста в Черкассах",
        [
            "Городской совет Черкасс выделил 48 миллионов гривен на ремонт моста через Днепр.",
            "Работы продлятся до конца октября, движение транспорта ограничат на двух полосах.",
            "По словам инженеров, опоры моста не ремонтировали более 30 лет.",
        ],
    ),
}


def story_page(lang: str, article: str, alternates: dict[str, str]) -> bytes:
    """Edition `lang` of the stock story, told apart per article by a numbered last line."""
    title, paragraphs = STORY[lang]
    return news_page(lang, f"{title} ({article})", [*paragraphs, f"№ {article}"], alternates)

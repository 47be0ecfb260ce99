"""The bundled sample outlets on a loopback HTTP server.

Serves the generated pages byte for byte as site.json describes them (status, charset,
redirects), with ETag / Last-Modified validators, so the crawler meets a realistic site in
tests and in ``triglot demo`` without touching the internet. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import threading
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent

NOT_FOUND_BODY = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>404</title></head>'
    b"<body><h1>404 Not Found</h1></body></html>\n"
)


def pages_dir() -> Path:
    """Folder of the generated pages, feeds and robots.txt (package data)."""
    return HERE / "pages"


def profiles_dir() -> Path:
    """Folder of the sample outlets' site profiles (dnipro, polissia, karpaty)."""
    return HERE / "profiles"


@cache
def _load_json(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def manifest() -> dict:
    """site.json: every served path and how it is answered (a fresh copy)."""
    return json.loads(_load_json("site.json"))


def expected() -> dict:
    """expected.json: the gold a perfect extractor returns for every article page."""
    return json.loads(_load_json("expected.json"))


class _Resource:
    """One servable body with its validators."""

    def __init__(self, body: bytes, content_type: str, last_modified: str):
        self.body = body
        self.content_type = content_type
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        self.last_modified = datetime.fromisoformat(last_modified)
        self.last_modified_header = format_datetime(self.last_modified, usegmt=True)


def _content_type(entry: dict) -> str:
    kind = entry.get("content_type", "text/html")
    charset = entry.get("charset")
    return f"{kind}; charset={charset}" if charset else kind


class SampleSite:
    """The bundled sample outlets on a loopback HTTP server (a thread)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, version: int = 1):
        self.host = host
        self.port = port
        self.version = version
        self.requests: list[dict] = []
        self.routes = manifest()
        self._resources: dict[tuple[str, int], _Resource] = {}
        self._load_resources()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def _load_resources(self) -> None:
        root = pages_dir()
        for path, entry in self.routes.items():
            if "file" not in entry:
                continue
            kind = _content_type(entry)
            v1 = _Resource((root / entry["file"]).read_bytes(), kind, entry["last_modified"])
            self._resources[(path, 1)] = v1
            if "v2_file" in entry:
                body = (root / entry["v2_file"]).read_bytes()
                self._resources[(path, 2)] = _Resource(body, kind, entry["v2_last_modified"])

    def resource(self, path: str) -> _Resource | None:
        """What the path serves at the current version (v2 falls back to v1)."""
        if self.version >= 2 and (path, 2) in self._resources:
            return self._resources[(path, 2)]
        return self._resources.get((path, 1))

    @property
    def base_url(self) -> str:
        if self._server is None and not self.port:
            raise RuntimeError("SampleSite is not started (ephemeral port not yet known)")
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of a served path."""
        return self.base_url + path

    def start(self) -> SampleSite:
        if self._server is not None:
            return self
        server = _LoopbackServer((self.host, self.port), _make_handler(self))
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"sample-site:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def serve_forever(self) -> None:
        """Run in the foreground until interrupted (the CLI entry point)."""
        server = _LoopbackServer((self.host, self.port), _make_handler(self))
        self._server = server
        self.port = server.server_address[1]
        try:
            server.serve_forever()
        finally:
            server.server_close()
            self._server = None

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _LoopbackServer(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


def _make_handler(site: SampleSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def version_string(self) -> str:
            return "SampleNews/1.0"

        def do_GET(self) -> None:  # noqa: N802 - the http.server naming
            self._answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the request log lives in site.requests."""

        def _answer(self, send_body: bool) -> None:
            site.requests.append(
                {"method": self.command, "path": self.path, "headers": dict(self.headers)}
            )
            path = urlsplit(self.path).path
            entry = site.routes.get(path)
            if entry is None:
                self._send(404, "text/html; charset=utf-8", NOT_FOUND_BODY, send_body)
                return
            if "redirect" in entry:
                self.send_response(entry.get("status", 301))
                self.send_header("Location", entry["redirect"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            resource = site.resource(path)
            status = entry.get("status", 200)
            if status == 200 and self._not_modified(resource):
                self.send_response(304)
                self.send_header("ETag", resource.etag)
                self.send_header("Last-Modified", resource.last_modified_header)
                self.end_headers()
                return
            validators = resource if status == 200 else None
            self._send(status, resource.content_type, resource.body, send_body, validators)

        def _not_modified(self, resource: _Resource) -> bool:
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                tags = {tag.strip() for tag in if_none_match.split(",")}
                weak = {tag.removeprefix("W/") for tag in tags}
                return "*" in tags or resource.etag in tags or resource.etag in weak
            if_modified_since = self.headers.get("If-Modified-Since")
            if if_modified_since:
                try:
                    since = parsedate_to_datetime(if_modified_since)
                except (TypeError, ValueError):
                    return False
                if since.tzinfo is None:
                    return False
                return resource.last_modified.replace(microsecond=0) <= since
            return False

        def _send(
            self,
            status: int,
            content_type: str,
            body: bytes,
            send_body: bool,
            resource: _Resource | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if resource is not None:
                self.send_header("ETag", resource.etag)
                self.send_header("Last-Modified", resource.last_modified_header)
                self.send_header("Cache-Control", "max-age=60")
            self.end_headers()
            if send_body:
                self.wfile.write(body)

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the Triglot sample outlets.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--version", type=int, default=1, choices=(1, 2))
    args = parser.parse_args(argv)
    site = SampleSite(args.host, args.port, args.version)
    print(
        f"Serving the sample outlets (v{args.version}) on http://{args.host}:{args.port}/",
        flush=True,
    )
    try:
        site.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

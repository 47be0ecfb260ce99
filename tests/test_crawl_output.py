"""What `triglot crawl` prints: warnings and one summary line; a progress line on a
terminal; no line twice, no DEBUG without -vv, no traceback; no remote-control endpoint
and no job files left behind.

The real entry point in a subprocess against a loopback server; the terminal is a real
pseudo-terminal (pty) on stderr.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections import Counter
from pathlib import Path

from faultserver import FaultServer, page, status, story_page

TRIGLOT = Path(sys.executable).with_name("triglot")
LANGS = ("uk", "en", "ru")


def _site(server: FaultServer) -> str:
    for lang in LANGS:
        others = {o: server.url(f"/{o}.html") for o in LANGS if o != lang}
        server.route(f"/{lang}.html", page(story_page(lang, "1", others)))
    server.route("/robots.txt", status(500))  # Scrapy logs this with a traceback attached
    return server.url("/uk.html")


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "PYTHONUTF8": "1"}


def _crawl(tmp_path: Path, url: str, *extra: str, db: str = "a.db") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(TRIGLOT), "crawl", "--db", str(tmp_path / db), "--url", url, *extra],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
        cwd=tmp_path,
    )


def test_crawl_prints_one_summary_line_and_no_noise(tmp_path):
    with FaultServer() as server:
        url = _site(server)
        server.route("/ru.html", status(404))  # one failed edition: one warning line
        done = _crawl(tmp_path, url)
    assert done.returncode == 3, done.stderr
    assert done.stdout.splitlines() == [
        "crawl: pages 2, editions stored 2, new snapshots 2, failures 1, listing failures 0"
    ]
    lines = done.stderr.splitlines()
    print("\n" + done.stderr)
    assert all(" WARNING " in line or " ERROR " in line for line in lines), lines
    assert not [line for line, n in Counter(lines).items() if n > 1]
    assert "Traceback" not in done.stderr and "DEBUG" not in done.stderr
    assert len(lines) <= 4
    assert any("ru.html failed: HTTP 404" in line for line in lines)
    assert "pages fetched" not in done.stderr  # not a terminal: no progress line
    assert not (tmp_path / "state" / "scrapy").exists()  # no remote-control job files


def test_verbose_levels(tmp_path):
    with FaultServer() as server:
        url = _site(server)
        info = _crawl(tmp_path, url, "-v", db="info.db")
        debug = _crawl(tmp_path, url, "-vv", db="debug.db")
    assert " INFO " in info.stderr and " DEBUG " not in info.stderr
    assert "Remote control" not in info.stderr  # the code-execution endpoint never starts
    lines = [line for line in info.stderr.splitlines() if line.strip()]
    assert not [line for line, n in Counter(lines).items() if n > 1]
    assert " DEBUG " in debug.stderr  # -vv shows everything


def test_a_terminal_gets_a_progress_line(tmp_path):
    with FaultServer() as server:
        url = _site(server)
        master, slave = pty.openpty()
        process = subprocess.Popen(
            [str(TRIGLOT), "crawl", "--db", str(tmp_path / "a.db"), "--url", url],
            stdout=subprocess.PIPE,
            stderr=slave,
            env=_env(tmp_path),
            cwd=tmp_path,
        )
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        out, _ = process.communicate(timeout=120)
        os.close(master)
    text = seen.decode("utf-8", "replace")
    assert process.returncode == 0, text
    assert "crawl: 3 pages fetched, 3 stored, 0 failed," in text
    assert "pages/min" in text
    assert b"editions stored 3" in out

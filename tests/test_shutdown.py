"""SIGTERM always ends a crawl, cleanly, even when a request can never finish.

Real crawls in a subprocess against a loopback server: one page answers, one hangs far
past any grace period (or no request slot is ever free). After SIGTERM the process must
exit within the grace period plus start-up slack, with what it stored intact.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultserver import FaultServer, hang, page, story_page

REPO = Path(__file__).resolve().parents[1]
GRACE = 2


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the crawl to start")
        time.sleep(0.1)


@pytest.mark.parametrize("stuck", ["hanging server", "no request slot"])
def test_sigterm_ends_a_stuck_crawl(tmp_path, stuck):
    db = tmp_path / "archive.db"
    with FaultServer() as server:
        server.route("/a.html", page(story_page("uk", "1", {})))
        server.route("/h.html", hang())
        command = [
            sys.executable, "-m", "crawler.runner", "--db", str(db),
            "--url", server.url("/a.html"), "--url", server.url("/h.html"),
            "--set", "DOWNLOAD_TIMEOUT=600", "--set", "DOWNLOAD_DELAY=0",
            "--set", f"TRIGLOT_SHUTDOWN_GRACE={GRACE}", "--set", "LOG_LEVEL=INFO",
        ]  # fmt: skip
        if stuck == "no request slot":
            command += ["--set", "CONCURRENT_REQUESTS_PER_DOMAIN=0"]
        process = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            if stuck == "hanging server":
                _wait_for(lambda: server.hits["/h.html"] and server.hits["/a.html"])
                time.sleep(1)  # /a.html stored
            else:
                _wait_for(db.exists)
                time.sleep(1.5)  # the spider is open, its requests queued for ever
            sent = time.monotonic()
            process.send_signal(signal.SIGTERM)
            _out, err = process.communicate(timeout=GRACE + 30)
            took = time.monotonic() - sent
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    print(f"\n{stuck}: ended {took:.1f}s after SIGTERM (grace {GRACE}s)")
    assert process.returncode is not None and process.returncode >= 0  # not killed by the signal
    assert "Received SIGTERM" in err
    assert "Traceback" not in err
    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("select count(*) from snapshots").fetchone()[0]
    assert stored == (1 if stuck == "hanging server" else 0)

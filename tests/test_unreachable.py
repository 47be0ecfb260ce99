"""A site whose every feed and start page fails is a failure, not "errors 0" and exit 0.

The real `triglot` entry point in a subprocess, against a loopback server that answers
every listing with an error, and against a port where nothing listens.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from faultserver import FaultServer, status

TRIGLOT = Path(sys.executable).with_name("triglot")
PROFILE = """name = "dead"
title = "Dead outlet"
base_url = "http://127.0.0.1:1/"
[start_urls]
uk = ["/feed.xml", "/sitemap.xml"]
en = ["/en/rss"]
[article]
url_patterns = ['/news/\\d+']
[selectors]
title = ["h1"]
body = ["article"]
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


def _setup(tmp_path: Path, base_url: str) -> Path:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "dead.toml").write_text(PROFILE, encoding="utf-8")
    config = tmp_path / "triglot.toml"
    config.write_text(
        f'db = "archive.db"\n[crawl]\nsites = ["dead"]\nprofile_dirs = ["profiles"]\n'
        f"download_delay = 0\nautothrottle = false\n"
        f'[sites.dead]\nbase_url = "{base_url}"\n',
        encoding="utf-8",
    )
    return config


def _run(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(TRIGLOT), *args, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=config.parent,
    )


@pytest.mark.parametrize("how", ["every listing answers 500/404", "nothing listens"])
def test_crawl_and_run_fail_when_every_listing_fails(tmp_path, how):
    server = FaultServer().start()
    try:
        if how == "nothing listens":
            base = f"http://127.0.0.1:{_closed_port()}/"
        else:
            server.route("/feed.xml", status(500))
            server.route("/sitemap.xml", status(404))
            server.route("/en/rss", status(503))
            base = server.base_url + "/"
        config = _setup(tmp_path, base)
        crawl = _run(config, "crawl", "--site", "dead")
        run = _run(config, "run")
    finally:
        server.stop()
    assert crawl.returncode == 4, crawl.stdout + crawl.stderr[-2000:]
    assert "listing failures 3" in crawl.stdout
    assert "Traceback" not in crawl.stderr
    assert run.returncode == 4, run.stdout + run.stderr[-2000:]
    assert "fetch errors 3" in run.stdout and "exit 4" in run.stdout
    conn = sqlite3.connect(tmp_path / "archive.db")
    assert conn.execute("select exit_code, fetch_errors from runs").fetchall() == [(4, 3)]

"""Bring up a fleet for a test: a generated site, `triglot coordinator`, `triglot worker`s.

Real processes throughout (the commands a user types), a real redis-server (tests/
redis_server.py) and the benchmarks' generated site on loopback.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks.generate import write_profile  # noqa: E402

TRIGLOT = str(Path(sys.executable).parent / "triglot")

# Loopback needs no politeness; the politeness test sets its own delay.
FAST = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "TRIGLOT_EXTRACT_WORKERS": 0,
    "RETRY_ENABLED": False,
    "LOG_LEVEL": "INFO",
}


class Fleet:
    def __init__(self, work: Path, redis_url: str, site_url: str, env: dict | None = None):
        self.work = work
        self.redis_url = redis_url
        self.site_url = site_url
        self.profile_dir = work / "profiles"
        write_profile(self.profile_dir)
        self.env = {**os.environ, **(env or {})}
        self.logs: list[Path] = []
        self.processes: list[subprocess.Popen] = []

    def _site_args(self) -> list[str]:
        return ["--profile-dir", str(self.profile_dir), "--base-url", f"bench={self.site_url}/"]

    def _spawn(self, argv: list[str], name: str, env: dict | None) -> subprocess.Popen:
        log = self.work / f"{name}-{len(self.logs)}.log"
        self.logs.append(log)
        process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            env={**self.env, **(env or {})},
            text=True,
        )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        """After a failed test: nothing of the fleet outlives it."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    def coordinator(
        self, db: Path, *extra: str, idle: float = 2.0, env: dict | None = None
    ) -> subprocess.Popen:
        argv = [TRIGLOT, "coordinator", "--redis", self.redis_url, "--db", str(db)]
        argv += ["--site", "bench", *self._site_args(), "--exit-when-idle", str(idle), *extra]
        return self._spawn(argv, "coordinator", env)

    def worker(
        self, *extra: str, idle: float = 2.0, settings: dict | None = None, env: dict | None = None
    ) -> subprocess.Popen:
        argv = [TRIGLOT, "worker", "--redis", self.redis_url, *self._site_args()]
        for key, value in {**FAST, **(settings or {})}.items():
            argv += ["--set", f"{key}={json.dumps(value)}"]
        argv += ["--exit-when-idle", str(idle), *extra]
        return self._spawn(argv, "worker", env)

    def log_text(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in self.logs)


def finish(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    """(exit code, stdout) once the process ends; killed after timeout."""
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        raise
    return process.returncode, out


def worker_stats(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return {}


def kill9(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def wait_for(predicate, timeout: float = 120, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def archive_view(db: Path) -> dict[str, Any]:
    """What must match between two crawls: articles, editions, content hashes."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        articles = {r[0] for r in conn.execute("select key from articles")}
        editions = {tuple(r) for r in conn.execute("select url, lang from editions")}
        snapshots = sorted(
            tuple(r)
            for r in conn.execute(
                "select e.url, s.content_hash from snapshots s join editions e "
                "on e.id = s.edition_id"
            )
        )
        return {"articles": articles, "editions": editions, "snapshots": snapshots}
    finally:
        conn.close()


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()

"""`triglot worker`: N crawler processes on the shared frontier, stopped together.

One process runs the crawl itself (Twisted's reactor allows one crawl per process); more
are children, each `python -m crawler.fleet.worker`, and a SIGTERM to this command reaches
every one of them, each finishing cleanly.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from typing import Any

from triglot import exitcodes
from triglot.config import Config


def worker_overrides(config: Config, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The crawl settings of `triglot run`, for a worker (same triglot.toml)."""
    from triglot.crawlstage import crawl_settings

    return {**crawl_settings(config), **(settings or {})}


def run_workers(
    redis_url: str,
    config: Config,
    *,
    processes: int = 1,
    exit_when_idle: float | None = None,
    profile_dirs: list[str] | None = None,
    base_urls: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    echo: Any = None,
) -> int:
    """Run the workers until idle or SIGTERM; the exit code (REDIS_UNAVAILABLE first)."""
    import click

    from crawler.fleet.redisconn import RedisUnavailable, connect

    echo = echo or click.echo
    try:
        connect(redis_url).close()
    except RedisUnavailable as error:
        echo(f"triglot worker: {error}", err=True)
        return exitcodes.REDIS_UNAVAILABLE
    overrides = worker_overrides(config, settings)
    dirs = [*config.crawl.profile_dirs, *(profile_dirs or [])]
    bases = {**config.base_urls, **(base_urls or {})}
    if processes <= 1:
        from crawler.fleet.worker import run_worker

        try:
            stats = run_worker(
                redis_url,
                exit_when_idle=exit_when_idle,
                profile_dirs=dirs,
                base_urls=bases,
                settings=overrides,
            )
        except RedisUnavailable as error:
            echo(f"triglot worker: {error}", err=True)
            return exitcodes.REDIS_UNAVAILABLE
        echo(json.dumps(stats))
        return exitcodes.OK if stats.get("finish_reason") in ("finished", "shutdown") else 1
    argv = [sys.executable, "-m", "crawler.fleet.worker", "--redis", redis_url]
    if exit_when_idle is not None:
        argv += ["--exit-when-idle", str(exit_when_idle)]
    for directory in dirs:
        argv += ["--profile-dir", directory]
    for name, url in bases.items():
        argv += ["--base-url", f"{name}={url}"]
    for key, value in overrides.items():
        argv += ["--set", f"{key}={json.dumps(value)}"]
    children = [subprocess.Popen(argv) for _ in range(processes)]

    def forward(signum: int, frame: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        codes = [child.wait() for child in children]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return max(codes)

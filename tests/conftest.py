"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator:
    """A fresh redis-server (AOF on) on a free loopback port, stopped after the test."""
    from redis_server import RedisServer

    with RedisServer(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def make_fleet() -> Iterator:
    """Fleet(...) for a test; whatever it started is killed when the test ends."""
    from fleet import Fleet

    made: list = []

    def make(*args, **kwargs):
        made.append(Fleet(*args, **kwargs))
        return made[-1]

    yield make
    for fleet in made:
        fleet.stop_all()

"""Fixtures shared by the test files: free loopback ports, temporary archives, the sample site.

All real parts: the archive is a SQLite file under tmp_path, the sample outlets a real HTTP
server on 127.0.0.1 (triglot/sample_site), a port one that nothing listens on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from smtp_server import free_port as _free_port

import archive
from triglot.sample_site.server import SampleSite


@pytest.fixture()
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (right now)."""
    return _free_port()


@pytest.fixture()
def db(tmp_path) -> Iterator[sqlite_utils.Database]:
    """An empty archive (schema migrated) in tmp_path/archive.db."""
    database = archive.open_db(tmp_path / "archive.db")
    yield database
    database.close()


@pytest.fixture()
def site() -> Iterator[SampleSite]:
    """The bundled sample outlets (version 1) on a free loopback port, for one test."""
    with SampleSite(port=0) as running:
        yield running


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

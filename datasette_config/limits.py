"""Memory limits for a public Datasette: no single request may take the server down.

Three layers, because the SQL time limit caps time, not memory:

* SQLite's own limits on every connection (``sqlite3.Connection.setlimit``): no string or
  blob longer than ``max_value_mb`` (zeroblob, randomblob, printf widths, group_concat and
  recursive string growth fail with "string or blob too big"), and small ceilings on
  statement size, columns, expression depth and attached databases;
* SQLite's process-wide heap (``PRAGMA hard_heap_limit``): sorting or grouping huge values
  fails with "out of memory" instead of growing;
* the serve process's data segment (``RLIMIT_DATA``, set by ``cap_process_memory``): what
  Python builds from the rows (up to max_returned_rows of them) fails with MemoryError,
  answered as an error page, instead of the kernel's OOM killer ending the server.
"""

from __future__ import annotations

import resource
import sqlite3
from dataclasses import dataclass

MB = 1024 * 1024
PLUGIN_NAME = "triglot-limits"  # the plugin config make_datasette fills from [serve]


@dataclass(frozen=True)
class Limits:
    """What one connection, and the whole serve process, may take."""

    max_value_mb: int = 16  # longest string or blob a query may build (stored pages fit)
    max_memory_mb: int = 1024  # the serve process's data segment; 0 = no ceiling

    @property
    def sqlite_heap_bytes(self) -> int:
        """SQLite's share of the ceiling: half, so Python keeps room to answer the error."""
        return self.max_memory_mb * MB // 2 if self.max_memory_mb else 0


# (limit, value): generous for every query the canned queries and pages run
_FIXED_LIMITS = (
    (sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000),  # a hand-written query, not a generated one
    (sqlite3.SQLITE_LIMIT_COLUMN, 500),
    (sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 200),
    (sqlite3.SQLITE_LIMIT_COMPOUND_SELECT, 50),
    (sqlite3.SQLITE_LIMIT_FUNCTION_ARG, 100),
    (sqlite3.SQLITE_LIMIT_ATTACHED, 0),  # no ATTACH of other files through ?sql=
    (sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 10_000),
    (sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1000),
    (sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 10),
    (sqlite3.SQLITE_LIMIT_WORKER_THREADS, 0),
)


def limit_connection(conn: sqlite3.Connection, limits: Limits) -> None:
    """Apply the per-connection limits (and the process-wide SQLite heap limit)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limits.max_value_mb * MB)
    for category, value in _FIXED_LIMITS:
        conn.setlimit(category, value)
    if limits.sqlite_heap_bytes:
        conn.execute(f"PRAGMA hard_heap_limit = {int(limits.sqlite_heap_bytes)}")


def cap_process_memory(max_memory_mb: int) -> None:
    """Cap this process's data segment (heap and anonymous mappings) at max_memory_mb.

    RLIMIT_DATA rather than RLIMIT_AS: address-space reservations (thread stacks, malloc
    arenas) are not memory in use, and counting them would refuse a small server its
    threads. The code already mapped from files (the interpreter, libraries) is taken off
    the data allowance, so the whole resident process stays under the ceiling. A hard
    limit already lower than ours is kept.
    """
    if max_memory_mb <= 0:
        return
    wanted = max(max_memory_mb * MB - _file_backed_rss(), max_memory_mb * MB // 2)
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY and hard < wanted:
        wanted = hard
    resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))


def _file_backed_rss() -> int:
    """Bytes of this process's resident memory mapped from files (0 where unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("RssFile:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0

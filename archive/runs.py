"""The `runs` table: one row per `triglot run`, with the numbers of its summary line."""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils

from archive.store import inserted_id, write_transaction

RUN_NUMBERS = (
    "articles_checked",
    "pages",
    "new_snapshots",
    "fetch_errors",
    "new_divergences",
    "emails_sent",
    "errors",
)


def start_run(db: sqlite_utils.Database, *, command: str, now: str) -> int:
    """The run's row, committed at once so a run that dies still shows it started."""
    with write_transaction(db):
        return inserted_id(
            db.execute("insert into runs (started_at, command) values (?, ?)", [now, command])
        )


def finish_run(
    db: sqlite_utils.Database,
    run_id: int,
    *,
    exit_code: int,
    summary: str,
    numbers: Mapping[str, int],
    now: str,
) -> None:
    """The run's outcome: exit code, summary line and its numbers (RUN_NUMBERS columns)."""
    unknown = set(numbers) - set(RUN_NUMBERS)
    if unknown:
        raise ValueError(f"not columns of runs: {', '.join(sorted(unknown))}")
    assignments = ", ".join(f"{key} = ?" for key in numbers)
    with write_transaction(db):
        db.execute(
            f"update runs set finished_at = ?, exit_code = ?, summary = ?, {assignments} "
            "where id = ?",
            [now, exit_code, summary, *numbers.values(), run_id],
        )


def activity_since(db: sqlite_utils.Database, since: str) -> dict[str, int]:
    """What the crawl did from ``since`` on: articles checked, pages checked, snapshots stored,
    failed checks."""

    def one(sql: str) -> int:
        return db.execute(sql, [since]).fetchone()[0]

    return {
        "articles_checked": one("select count(*) from articles where last_checked >= ?"),
        "pages": one("select count(*) from checks where checked_at >= ?"),
        "new_snapshots": one("select count(*) from snapshots where fetched_at >= ?"),
        "fetch_errors": one(
            "select count(*) from checks where outcome = 'error' and checked_at >= ?"
        ),
    }

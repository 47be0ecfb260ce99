"""The recrawl schedule, kept in the archive (not in the spider) so any crawler process,
or many of them, can take the due queue.

An article is checked often while it is young or changing and less and less as it
settles: the delay is keyed on the time since the article last *changed* (a change
resets it), by steps such as "every 15 min for the first 3 h, hourly to a day, every
3 h to a week, every 3 days to 30 days", and after the horizon it is not checked again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlite_utils

from archive.store import write_transaction

DEFAULT_STEPS: tuple[tuple[float, float], ...] = ((3, 15), (24, 60), (24 * 7, 180), (24 * 30, 4320))
DEFAULT_HORIZON_DAYS = 30.0


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def next_check(
    last_changed: str,
    now: str,
    *,
    steps: Sequence[Sequence[float]] = DEFAULT_STEPS,
    horizon_days: float = DEFAULT_HORIZON_DAYS,
) -> str | None:
    """When to check again, or None when the article is past the horizon."""
    changed, current = _parse(last_changed), _parse(now)
    age = current - changed
    if age >= timedelta(days=horizon_days):
        return None
    hours = age.total_seconds() / 3600
    delay_minutes = steps[-1][1]
    for limit_hours, minutes in steps:
        if hours < limit_hours:
            delay_minutes = minutes
            break
    moment = current + timedelta(minutes=delay_minutes)
    horizon = changed + timedelta(days=horizon_days)
    return min(moment, horizon).isoformat()


def reschedule(
    db: sqlite_utils.Database,
    now: str,
    *,
    checked_since: str | None = None,
    steps: Sequence[Sequence[float]] = DEFAULT_STEPS,
    horizon_days: float = DEFAULT_HORIZON_DAYS,
) -> int:
    """Set next_check for the articles checked since ``checked_since`` (or all)."""
    where, params = "", []
    if checked_since:
        where, params = "where last_checked >= ?", [checked_since]
    rows = db.execute(
        f"select id, coalesce(last_changed, first_seen) from articles {where}", params
    ).fetchall()
    with write_transaction(db):
        for article_id, changed in rows:
            db.execute(
                "update articles set next_check = ? where id = ?",
                [next_check(changed, now, steps=steps, horizon_days=horizon_days), article_id],
            )
    return len(rows)


def due_edition_urls(
    db: sqlite_utils.Database,
    now: str,
    *,
    horizon_days: float = DEFAULT_HORIZON_DAYS,
    limit: int = 5000,
) -> list[str]:
    """Edition URLs of due articles, most overdue first, so nothing starves.

    Editions named by another page but never fetched are included: a late edition joins
    its article when it appears. An article past its horizon is never due, even when the
    crawler was away so long that its last next_check lies before the horizon.
    """
    horizon = (_parse(now) - timedelta(days=horizon_days)).isoformat()
    rows = db.execute(
        "select e.url from articles a join editions e on e.article_id = a.id "
        "where a.next_check is not null and a.next_check <= ? "
        "and coalesce(a.last_changed, a.first_seen) > ? "
        "order by a.next_check, a.id, e.id limit ?",
        [now, horizon, limit],
    ).fetchall()
    return [row[0] for row in rows]

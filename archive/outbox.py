"""The alert outbox: which divergences are new, and the emails that report them.

An alert row is written together with the links to the divergences it reports, in one
transaction, before anything is sent; the unique index on
``alert_divergences.divergence_id`` then guarantees that a divergence belongs to at most
one alert, so it can never be reported by two different emails. The row keeps the full
serialised message, so every retry sends the same bytes with the same Message-ID.

Statuses: ``pending`` (waiting for a first or further attempt), ``sent`` (accepted by the
SMTP server), ``written`` (delivered as an .eml file instead of by SMTP), ``failed`` (gave
up after the configured number of attempts; its divergences stay claimed).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive.store import inserted_id, write_transaction

PENDING, SENT, WRITTEN, FAILED = "pending", "sent", "written", "failed"
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class ComposedMessage:
    """What the outbox stores for one alert; ``message`` is the RFC 5322 text (ASCII)."""

    message_id: str
    subject: str
    message: str


@dataclass(frozen=True)
class OutboxAlert:
    id: int
    created_at: str
    status: str
    attempts: int
    last_error: str | None
    message_id: str
    recipients: list[str]
    subject: str
    message: str


class ClaimConflict(Exception):
    """Another writer claimed or resolved one of the divergences meanwhile."""


_NEW_DIVERGENCES = """
select
  d.*,
  a.site as site,
  a.key as article_key,
  coalesce(a.title, sa.title, sb.title, a.key) as article_title,
  pa.text as paragraph_a_text,
  pb.text as paragraph_b_text,
  sa.fetched_at as fetched_a,
  sb.fetched_at as fetched_b,
  ea.url as url_a,
  eb.url as url_b
from divergences d
join articles a on a.id = d.article_id
left join paragraphs pa on pa.id = d.paragraph_a
left join paragraphs pb on pb.id = d.paragraph_b
left join snapshots sa on sa.id = d.snapshot_a
left join snapshots sb on sb.id = d.snapshot_b
left join editions ea on ea.id = sa.edition_id
left join editions eb on eb.id = sb.edition_id
where d.resolved_at is null
  and d.kind in ({kinds})
  and d.scope in ({scopes})
  and not exists (select 1 from alert_divergences ad where ad.divergence_id = d.id)
order by d.id
"""


def new_divergences(
    db: sqlite_utils.Database, *, kinds: Iterable[str], scopes: Iterable[str]
) -> list[dict[str, Any]]:
    """Unresolved divergences not yet in any alert, with what an email needs to show them.

    Each row carries the divergence's columns plus the article's site, key and title, the
    texts of paragraph_a / paragraph_b, and both editions' URLs and fetch times.
    """
    kinds, scopes = list(kinds), list(scopes)
    if not kinds or not scopes:
        return []
    sql = _NEW_DIVERGENCES.format(
        kinds=",".join("?" for _ in kinds), scopes=",".join("?" for _ in scopes)
    )
    cursor = db.execute(sql, [*kinds, *scopes])
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def next_alert_id(db: sqlite_utils.Database) -> int:
    """The id the next alert row will get (used by --dry-run to show a realistic preview)."""
    return db.execute("select coalesce(max(id), 0) + 1 from alerts").fetchone()[0]


def claim(
    db: sqlite_utils.Database,
    divergence_ids: list[int],
    *,
    recipients: list[str],
    created_at: str,
    compose: Callable[[int], ComposedMessage],
) -> OutboxAlert:
    """Create a pending alert for ``divergence_ids`` in ONE transaction, message included.

    ``compose(alert_id)`` renders the message once the row's id is known (the Message-ID
    embeds it); if it raises, nothing is stored. BEGIN IMMEDIATE serialises concurrent
    claimers; a divergence claimed or resolved by someone else meanwhile raises
    ClaimConflict and stores nothing (archive.store.write_transaction).
    """
    if not divergence_ids:
        raise ValueError("an alert needs at least one divergence")
    if db.conn.in_transaction:
        raise RuntimeError("outbox.claim must run outside any open transaction")
    marks = ",".join("?" for _ in divergence_ids)
    with write_transaction(db):
        taken = db.execute(
            f"select count(*) from divergences d where d.id in ({marks}) and "
            "(d.resolved_at is not null or exists "
            "(select 1 from alert_divergences ad where ad.divergence_id = d.id))",
            divergence_ids,
        ).fetchone()[0]
        found = db.execute(
            f"select count(*) from divergences where id in ({marks})", divergence_ids
        ).fetchone()[0]
        if taken or found != len(set(divergence_ids)):
            raise ClaimConflict(
                f"{taken} of {len(divergence_ids)} divergences were claimed or resolved meanwhile"
            )
        alert_id = inserted_id(
            db.execute(
                "insert into alerts (created_at, status, attempts, recipients) values (?, ?, 0, ?)",
                [created_at, PENDING, json.dumps(recipients)],
            )
        )
        composed = compose(alert_id)
        db.execute(
            "update alerts set message_id = ?, subject = ?, message = ? where id = ?",
            [composed.message_id, composed.subject, composed.message, alert_id],
        )
        db.conn.executemany(
            "insert into alert_divergences (alert_id, divergence_id) values (?, ?)",
            [(alert_id, divergence_id) for divergence_id in divergence_ids],
        )
    return get(db, alert_id)


def _alert(row: dict[str, Any]) -> OutboxAlert:
    return OutboxAlert(
        id=row["id"],
        created_at=row["created_at"],
        status=row["status"],
        attempts=row["attempts"] or 0,
        last_error=row["last_error"],
        message_id=row["message_id"] or "",
        recipients=json.loads(row["recipients"] or "[]"),
        subject=row["subject"] or "",
        message=row["message"] or "",
    )


def get(db: sqlite_utils.Database, alert_id: int) -> OutboxAlert:
    return _alert(db.table("alerts").get(alert_id))


def pending(db: sqlite_utils.Database) -> list[OutboxAlert]:
    """Alerts waiting for delivery, oldest first (a retry goes before anything new)."""
    return [
        _alert(row)
        for row in db.query("select * from alerts where status = ? order by id", [PENDING])
    ]


def pending_count(db: sqlite_utils.Database) -> int:
    return db.execute("select count(*) from alerts where status = ?", [PENDING]).fetchone()[0]


def mark_delivered(
    db: sqlite_utils.Database,
    alert_id: int,
    *,
    at: str,
    status: str = SENT,
    note: str | None = None,
) -> None:
    """Record a delivery (``sent`` by SMTP or ``written`` to a file); ``note`` keeps a warning
    such as recipients the server refused while it accepted the others."""
    if status not in (SENT, WRITTEN):
        raise ValueError(f"not a delivered status: {status}")
    with db.atomic():
        db.execute(
            "update alerts set status = ?, sent_at = ?, attempts = attempts + 1, last_error = ? "
            "where id = ?",
            [status, at, note[:MAX_ERROR_CHARS] if note else None, alert_id],
        )


def record_failure(
    db: sqlite_utils.Database, alert_id: int, error: str, *, max_attempts: int
) -> str:
    """Count a failed attempt; the alert stays pending until ``max_attempts``, then fails.

    Returns the alert's new status.
    """
    with db.atomic():
        db.execute(
            "update alerts set attempts = attempts + 1, last_error = ?, "
            "status = case when attempts + 1 >= ? then ? else ? end where id = ?",
            [error[:MAX_ERROR_CHARS], max_attempts, FAILED, PENDING, alert_id],
        )
        return db.execute("select status from alerts where id = ?", [alert_id]).fetchone()[0]

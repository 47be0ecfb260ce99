"""Which new divergences an alert run reports, and to whom.

A divergence is *new* while it is unresolved and linked to no alert. The run keeps those
whose kind and scope the config lists and whose relative difference reaches
``alerts.min_relative_difference``; digests are grouped by recipient set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive import outbox
from triglot.alerts.text import header_text
from triglot.config import AlertsConfig


def relative_difference(value_a: float | None, value_b: float | None) -> float:
    """|a-b| / max(|a|,|b|); a figure on one side only is a full (1.0) difference."""
    if value_a is None or value_b is None:
        return 1.0
    largest = max(abs(value_a), abs(value_b))
    return 0.0 if largest == 0 else abs(value_a - value_b) / largest


def recipients_for(alerts: AlertsConfig, site: str) -> list[str]:
    """Global recipients plus the site's own, without duplicates (case-insensitive)."""
    seen: set[str] = set()
    result = []
    for address in [*alerts.recipients, *alerts.site_recipients.get(site, [])]:
        address = header_text(address)
        if address and address.lower() not in seen:
            seen.add(address.lower())
            result.append(address)
    return result


@dataclass
class Digest:
    """The new divergences one recipient set gets in this run."""

    recipients: list[str]
    divergences: list[dict[str, Any]]

    @property
    def ids(self) -> list[int]:
        return [d["id"] for d in self.divergences]


def select_new(db: sqlite_utils.Database, alerts: AlertsConfig) -> list[dict[str, Any]]:
    rows = outbox.new_divergences(db, kinds=alerts.kinds, scopes=alerts.scopes)
    return [
        row
        for row in rows
        if relative_difference(row["value_a"], row["value_b"]) >= alerts.min_relative_difference
    ]


def plan_digests(
    divergences: list[dict[str, Any]], alerts: AlertsConfig, *, to_file: bool = False
) -> tuple[list[Digest], int]:
    """Group divergences by recipient set. Returns the digests and how many divergences
    wait because nobody is configured to receive them."""
    groups: dict[tuple[str, ...], Digest] = {}
    unaddressed = 0
    for row in divergences:
        recipients = recipients_for(alerts, row["site"])
        if not recipients:
            if not to_file:
                unaddressed += 1
                continue
            recipients = [header_text(alerts.sender)]
        key = tuple(sorted(address.lower() for address in recipients))
        groups.setdefault(key, Digest(recipients, [])).divergences.append(row)
    return list(groups.values()), unaddressed

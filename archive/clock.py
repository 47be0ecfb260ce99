"""The one clock: UTC, whole seconds, ISO-8601 (sortable as text).

``TRIGLOT_NOW`` (ISO-8601) pins it: tests replay a schedule, operators a backfill. This
module is the only place that reads it; stages take ``now=`` and pass it down, and the
storage functions use the time their item carries (``fetched_at``) or the ``now=`` given.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

NOW_ENV = "TRIGLOT_NOW"


def now() -> str:
    """Now, or the moment ``TRIGLOT_NOW`` pins."""
    pinned = os.environ.get(NOW_ENV)
    if pinned:
        moment = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
        return moment.astimezone(UTC).replace(microsecond=0).isoformat()
    return datetime.now(UTC).replace(microsecond=0).isoformat()

"""The alert run: retry pending alerts, claim new divergences into digests, deliver them."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from archive import clock, outbox
from archive.schema import database_file
from datasette_config.links import database_name
from triglot.alerts.render import DigestRenderer, preview
from triglot.alerts.select import Digest, plan_digests, select_new
from triglot.alerts.text import header_text, plural
from triglot.alerts.transport import DeliveryError, FileTransport, SmtpTransport
from triglot.config import AlertsConfig, Config

log = logging.getLogger("triglot.alerts")

Echo = Callable[[str], Any]


@dataclass
class AlertReport:
    """What one run did. ``sent`` counts every delivery (SMTP or file); ``written`` lists the
    .eml files among them; ``failed`` counts failed delivery attempts of this run; ``pending``
    is what the outbox still holds for a later run."""

    created: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0
    written: list[str] = field(default_factory=list)


def run_alerts(
    db: sqlite_utils.Database,
    config: Config,
    *,
    dry_run: bool = False,
    to_file: str | None = None,
    now: str | None = None,
    echo: Echo = print,
    ssl_context: ssl.SSLContext | None = None,
) -> AlertReport:
    """Retry pending alerts, claim the new divergences into digests, deliver them.

    ``ssl_context`` replaces the default (system CAs, hostname check) for STARTTLS/SSL.
    """
    now = now or clock.now()
    alerts_config = config.alerts
    renderer = DigestRenderer(config, database_name(database_file(db)))
    digests, unaddressed = plan_digests(
        select_new(db, alerts_config), alerts_config, to_file=to_file is not None
    )
    if unaddressed:
        echo(
            f"{plural(unaddressed, 'new divergence')} not alerted: no recipients configured "
            "(alerts.recipients / alerts.site_recipients); they stay new"
        )
    if dry_run:
        return _dry_run(db, renderer, digests, now, echo)

    report = AlertReport()
    transport: SmtpTransport | FileTransport = (
        FileTransport(to_file)
        if to_file is not None
        else SmtpTransport(config.smtp, header_text(alerts_config.sender), ssl_context)
    )
    try:
        for alert in outbox.pending(db):
            echo(f"alert #{alert.id}: retrying (attempt {alert.attempts + 1})")
            _deliver(db, transport, alert, alerts_config, now, report, echo)
        for digest in digests:
            try:
                alert = outbox.claim(
                    db,
                    digest.ids,
                    recipients=digest.recipients,
                    created_at=now,
                    compose=lambda alert_id, digest=digest: renderer.compose(alert_id, digest, now),
                )
            except outbox.ClaimConflict as error:
                echo(f"skipped a digest for {', '.join(digest.recipients)}: {error}")
                continue
            report.created += 1
            echo(f"alert #{alert.id}: {alert.subject}")
            _deliver(db, transport, alert, alerts_config, now, report, echo)
    finally:
        transport.close()
    report.pending = outbox.pending_count(db)
    if not digests and not unaddressed and not report.sent and not report.failed:
        echo("no new divergences to alert")
    return report


def _deliver(
    db: sqlite_utils.Database,
    transport: SmtpTransport | FileTransport,
    alert: outbox.OutboxAlert,
    alerts_config: AlertsConfig,
    now: str,
    report: AlertReport,
    echo: Echo,
) -> None:
    try:
        outcome = transport.deliver(alert)
    except DeliveryError as error:
        report.failed += 1
        status = outbox.record_failure(
            db, alert.id, str(error), max_attempts=alerts_config.max_attempts
        )
        echo(f"alert #{alert.id}: not delivered ({error}); now {status}")
        log.warning("alert %s not delivered: %s", alert.id, error)
        return
    report.sent += 1
    if isinstance(transport, FileTransport):
        outbox.mark_delivered(db, alert.id, at=now, status=outbox.WRITTEN)
        report.written.append(outcome)
        echo(f"alert #{alert.id}: written to {outcome}")
    else:
        outbox.mark_delivered(db, alert.id, at=now, status=outbox.SENT, note=outcome)
        echo(f"alert #{alert.id}: sent to {', '.join(alert.recipients)}")
        if outcome:
            echo(f"alert #{alert.id}: {outcome}")


def _dry_run(
    db: sqlite_utils.Database,
    renderer: DigestRenderer,
    digests: list[Digest],
    now: str,
    echo: Echo,
) -> AlertReport:
    pending = outbox.pending(db)
    for alert in pending:
        echo(f"--- would retry alert #{alert.id} (attempt {alert.attempts + 1}) ---")
        echo(preview(alert.message))
    next_id = outbox.next_alert_id(db)
    for offset, digest in enumerate(digests):
        composed = renderer.compose(next_id + offset, digest, now)
        echo(f"--- would send a new alert ({plural(len(digest.ids), 'divergence')}) ---")
        echo(preview(composed.message))
    if not pending and not digests:
        echo("no new divergences to alert")
    return AlertReport(created=len(digests), pending=len(pending))

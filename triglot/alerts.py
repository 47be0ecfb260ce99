"""Alert emails: one digest per run and recipient group of the divergences found since.

Selection. A divergence is *new* while it is unresolved and linked to no alert. The run
keeps those whose kind and scope the config lists (``alerts.kinds``, ``alerts.scopes``)
and whose relative difference |a-b|/max(|a|,|b|) reaches ``alerts.min_relative_difference``
(a figure present on one side only counts as 1.0). One below the threshold stays new and
is looked at again on every run, so lowering the threshold later reports it.

Recipients. An article of site S goes to ``alerts.recipients`` plus
``alerts.site_recipients[S]``; one message is built per distinct recipient set. With no
recipient for a site, its divergences are neither sent nor consumed: they wait, new, until
someone is configured. ``--to-file`` is the exception: it addresses such a digest to the
sender itself (``alerts.sender``, by default triglot@localhost) so a demo without any
mail setup still produces an email to open.

Delivery guarantee: at-least-once, and never two *different* emails for one divergence.
1. The alert row (recipients, subject, Message-ID and the full serialised message) and
   its alert_divergences rows are committed in one transaction BEFORE sending; the unique
   index on alert_divergences.divergence_id makes a divergence part of at most one alert.
2. Then the message is sent, then the row is marked ``sent``.
3. A failed attempt (connection refused, timeout, TLS or authentication error, all
   recipients refused) leaves it ``pending`` with ``last_error`` and ``attempts + 1``;
   the next run retries pending alerts first, until ``alerts.max_attempts``, then the row
   is ``failed`` (its divergences stay claimed; reset the status to pending by SQL to retry).
4. If the process dies after the server accepted the message but before ``sent`` was
   recorded, the next run sends the byte-identical message again, with the same
   Message-ID ``<triglot-alert-<id>-<hash>@<sender domain>>``, which mail systems
   de-duplicate. Exactly-once is impossible over SMTP; this is the closest.
   Two runs retrying the same pending alert at once could both send it (again the same
   bytes): `triglot run`'s lock is what keeps runs from overlapping.

``--to-file DIR`` delivers through the same outbox but writes ``DIR/triglot-alert-<id>.eml``
instead of connecting to SMTP, for new and pending alerts alike, and marks the alert
``written``: the divergences are consumed, exactly as by a real send, so what the demo
shows is what a subscriber would have got, and a later SMTP run does not send it again.
``--dry-run`` prints what would be sent (pending retries and new digests: headers and
text part) and writes nothing.

Article text is untrusted: everything that reaches a header is stripped of control and
line-separator characters before the email package (whose policy also refuses CR/LF in
headers) sees it, and the HTML part is rendered with Jinja2 autoescaping, so no markup
from an article ever reaches it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import jinja2
import sqlite_utils

from archive import outbox
from archive.store import utcnow
from triglot.config import AlertsConfig, Config, SmtpConfig

log = logging.getLogger(__name__)

TEXT_TEMPLATE = "alert.txt.j2"
HTML_TEMPLATE = "alert.html.j2"
SUBJECT_TITLE_CHARS = 80
CONTEXT_RADIUS = 90  # characters of paragraph kept on each side of the figure
Echo = Callable[[str], Any]
# CRLF line ends and 7-bit transfer encodings (quoted-printable or base64, whichever is
# shorter): the serialised message is pure ASCII, stored as text, re-sent byte for byte
_SEVEN_BIT = policy.SMTP.clone(cte_type="7bit")


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


class AlertError(Exception):
    """A problem with the alert setup itself (e.g. a templates_dir that does not exist)."""


class DeliveryError(Exception):
    """One delivery attempt failed; the message says why (stored as last_error)."""


# ---------------------------------------------------------------- untrusted text


_BIDI_CONTROLS = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def clean_text(text: str | None) -> str:
    """Article text for the body: control characters become spaces, bidi overrides go."""
    if not text:
        return ""
    out = []
    for char in text:
        if char in _BIDI_CONTROLS:
            continue
        category = unicodedata.category(char)
        out.append(" " if category in ("Cc", "Zl", "Zp") else char)
    return " ".join("".join(out).split())


def header_text(text: str | None, limit: int | None = None) -> str:
    """Text safe for a header: one line, no control/format characters, optionally shortened."""
    if not text:
        return ""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category != "Cf":
            kept.append(char)
    line = " ".join("".join(kept).split())
    return shorten(line, limit) if limit else line


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


@dataclass(frozen=True)
class Excerpt:
    """A paragraph shortened around the figure: ``before`` + ``figure`` + ``after``."""

    before: str
    figure: str
    after: str

    @property
    def text(self) -> str:
        return f"{self.before}{self.figure}{self.after}"


def excerpt(paragraph: str | None, figure: str | None, radius: int = CONTEXT_RADIUS) -> Excerpt:
    """The part of ``paragraph`` around ``figure``, cut at word boundaries."""
    text = clean_text(paragraph)
    figure = clean_text(figure)
    position = text.find(figure) if figure else -1
    if position < 0 and figure:
        position = text.casefold().find(figure.casefold())
    if position < 0:
        return Excerpt(shorten(text, 2 * radius), "", "")
    end = position + len(figure)
    start, stop = max(0, position - radius), min(len(text), end + radius)
    before, after = text[start:position], text[end:stop]
    if start > 0:
        space = before.find(" ")
        before = "…" + (before[space + 1 :] if 0 <= space < len(before) - 1 else before)
    if stop < len(text):
        space = after.rfind(" ")
        after = (after[:space] if space > 0 else after) + "…"
    return Excerpt(before, text[position:end], after)


# ---------------------------------------------------------------- selection


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


# ---------------------------------------------------------------- rendering


def database_name(db: sqlite_utils.Database) -> str:
    """The name Datasette gives the archive: its file's stem."""
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and path:
            return Path(path).stem
    return "triglot"


def _tilde_encode(name: str) -> str:
    """Datasette's encoding of a database name in a URL path."""
    safe = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return "".join(
        c if c in safe else "+" if c == " " else "".join(f"~{b:02X}" for b in c.encode("utf-8"))
        for c in name
    )


def _sender_domain(sender: str) -> str:
    domain = sender.rpartition("@")[2].strip(" >")
    domain = re.sub(r"[^A-Za-z0-9.-]", "", domain)
    return domain or "localhost"


def _web_url(url: str | None) -> str:
    """An edition's address for a link, only when it is http(s) (never javascript: etc.)."""
    url = clean_text(url)
    return url if url.lower().startswith(("http://", "https://")) else ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


_KIND_TEXT = {
    ("language", "changed"): "differs between editions",
    ("language", "missing"): "missing from one edition",
    ("version", "changed"): "changed in a new version",
    ("version", "added"): "added in a new version",
    ("version", "removed"): "removed in a new version",
}


class DigestRenderer:
    """Renders a digest with Jinja2 (autoescaped HTML) into a multipart EmailMessage."""

    def __init__(self, config: Config, db_name: str) -> None:
        self.alerts = config.alerts
        self.db_name = db_name
        self.base_url = config.alerts.datasette_url.rstrip("/")
        loaders: list[jinja2.BaseLoader] = []
        if self.alerts.templates_dir:
            if not Path(self.alerts.templates_dir).is_dir():
                raise AlertError(f"alerts.templates_dir {self.alerts.templates_dir}: not a folder")
            loaders.append(jinja2.FileSystemLoader(self.alerts.templates_dir))
        loaders.append(jinja2.PackageLoader("triglot", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=lambda name: bool(name) and name.endswith((".html", ".html.j2", ".htm")),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def article_link(self, article_id: int) -> str:
        return f"{self.base_url}/-/triglot/article/{article_id}"

    def divergence_link(self, divergence_id: int) -> str:
        return f"{self.base_url}/{_tilde_encode(self.db_name)}/divergences/{divergence_id}"

    def _divergence_context(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["scope"] == "version":
            lang = row["lang_a"] or row["lang_b"] or ""
            label_a, label_b = f"{lang} old".strip(), f"{lang} new".strip()
        else:
            label_a, label_b = row["lang_a"] or "?", row["lang_b"] or "?"
        raw_a, raw_b = clean_text(row["raw_a"]), clean_text(row["raw_b"])
        return {
            "id": row["id"],
            "scope": row["scope"],
            "kind": row["kind"],
            "kind_text": _KIND_TEXT.get((row["scope"], row["kind"]), row["kind"]),
            "figure_kind": row["figure_kind"] or "",
            "label_a": label_a,
            "label_b": label_b,
            "raw_a": raw_a,
            "raw_b": raw_b,
            "relative_difference": relative_difference(row["value_a"], row["value_b"]),
            "context_a": excerpt(row["paragraph_a_text"], row["raw_a"]),
            "context_b": excerpt(row["paragraph_b_text"], row["raw_b"]),
            "url_a": _web_url(row["url_a"]),
            "url_b": _web_url(row["url_b"]),
            "detected_at": row["detected_at"],
            "link": self.divergence_link(row["id"]),
        }

    def context(self, divergences: list[dict[str, Any]], now: str) -> dict[str, Any]:
        articles: dict[int, dict[str, Any]] = {}
        for row in divergences:
            article = articles.setdefault(
                row["article_id"],
                {
                    "id": row["article_id"],
                    "title": clean_text(row["article_title"]) or f"article {row['article_id']}",
                    "site": clean_text(row["site"]),
                    "link": self.article_link(row["article_id"]),
                    "divergences": [],
                },
            )
            article["divergences"].append(self._divergence_context(row))
        return {
            "count": len(divergences),
            "article_count": len(articles),
            "articles": list(articles.values()),
            "generated_at": now,
            "datasette_url": self.base_url,
            "divergences_link": f"{self.base_url}/{_tilde_encode(self.db_name)}/divergences",
        }

    def subject(self, context: dict[str, Any]) -> str:
        prefix = header_text(self.alerts.subject_prefix)
        count = _plural(context["count"], "new divergence")
        if context["article_count"] == 1:
            title = header_text(context["articles"][0]["title"], SUBJECT_TITLE_CHARS)
            subject = f"{prefix} {count}: {title}"
        else:
            subject = f"{prefix} {count} in {context['article_count']} articles"
        return subject.strip()

    def message_id(self, alert_id: int, divergences: list[dict[str, Any]], now: str) -> str:
        """Unique across archives (the hash covers the divergences' fingerprints) and stable
        for one alert, since it is computed once and stored with the message."""
        seed = "\x1f".join(
            [self.db_name, str(alert_id), now, *sorted(d["fingerprint"] for d in divergences)]
        )
        digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]
        return f"<triglot-alert-{alert_id}-{digest}@{_sender_domain(self.alerts.sender)}>"

    def compose(self, alert_id: int, digest: Digest, now: str) -> outbox.ComposedMessage:
        context = self.context(digest.divergences, now)
        subject = self.subject(context)
        context["subject"] = subject
        context["alert_id"] = alert_id
        text = self.env.get_template(TEXT_TEMPLATE).render(context)
        html = self.env.get_template(HTML_TEMPLATE).render(context)
        message_id = self.message_id(alert_id, digest.divergences, now)

        message = EmailMessage(policy=_SEVEN_BIT)
        message["From"] = header_text(self.alerts.sender)
        message["To"] = ", ".join(digest.recipients)
        message["Subject"] = subject
        message["Date"] = format_datetime(_as_datetime(now))
        message["Message-ID"] = message_id
        message["Auto-Submitted"] = "auto-generated"
        message["X-Triglot-Alert"] = str(alert_id)
        message.set_content(text, charset="utf-8")
        message.add_alternative(html, subtype="html", charset="utf-8")
        return outbox.ComposedMessage(
            message_id=message_id,
            subject=subject,
            message=message.as_bytes(policy=_SEVEN_BIT).decode("ascii"),
        )


def _as_datetime(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_message(raw: str) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw.encode("ascii"))


def preview(raw: str) -> str:
    """Headers and the plain-text part, as --dry-run shows them."""
    message = parse_message(raw)
    lines = [
        f"{name}: {message[name]}"
        for name in ("From", "To", "Subject", "Date", "Message-ID")
        if message[name] is not None
    ]
    body = message.get_body(("plain",))
    lines += ["", body.get_content() if body is not None else ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- delivery


def _smtp_error(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address}: {code} {_decode(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
        return f"all recipients refused: {refused}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code} {_decode(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _decode(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class SmtpTransport:
    """One SMTP connection for the whole run, opened on first use.

    A failure to connect, secure or authenticate breaks the transport for the rest of the
    run (every remaining alert records the same error instead of waiting for another
    timeout); a refusal of one message leaves the connection usable for the next.
    """

    def __init__(
        self, smtp: SmtpConfig, sender: str, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.config = smtp
        self.sender = sender
        self.ssl_context = ssl_context
        self._client: smtplib.SMTP | None = None
        self._broken: str | None = None

    def _where(self) -> str:
        return f"smtp {self.config.security} {self.config.host}:{self.config.port}"

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        context = self.ssl_context or ssl.create_default_context(
            cafile=config.ca_file or None  # a private CA for the mail server, if any
        )
        if config.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        try:
            client.ehlo()
            if config.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if config.user:
                password = config.password
                if password is None:
                    raise DeliveryError(
                        f"smtp.user is set but TRIGLOT_SMTP_PASSWORD is not ({self._where()})"
                    )
                client.login(config.user, password)
        except BaseException:
            _close_quietly(client)
            raise
        return client

    def deliver(self, alert: outbox.OutboxAlert) -> str | None:
        """Send the stored bytes; returns a warning when some recipients were refused."""
        if self._broken:
            raise DeliveryError(self._broken)
        try:
            if self._client is None:
                self._client = self._connect()
        except DeliveryError as error:
            self._broken = str(error)
            raise
        except (OSError, smtplib.SMTPException) as error:
            self._broken = f"{_smtp_error(error)} ({self._where()})"
            raise DeliveryError(self._broken) from error
        try:
            refused = self._client.sendmail(
                self.sender, alert.recipients, alert.message.encode("ascii")
            )
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self._broken = f"{_smtp_error(error)} ({self._where()})"
            self._client = None
            raise DeliveryError(self._broken) from error
        except smtplib.SMTPException as error:
            raise DeliveryError(f"{_smtp_error(error)} ({self._where()})") from error
        if refused:
            return "some recipients refused: " + "; ".join(
                f"{address}: {code} {_decode(reply)}" for address, (code, reply) in refused.items()
            )
        return None

    def close(self) -> None:
        if self._client is not None:
            _close_quietly(self._client)
            self._client = None


def _close_quietly(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


class FileTransport:
    """--to-file: each alert becomes DIR/triglot-alert-<id>.eml (the exact SMTP bytes)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def path_for(self, alert: outbox.OutboxAlert) -> Path:
        return self.folder / f"triglot-alert-{alert.id}.eml"

    def deliver(self, alert: outbox.OutboxAlert) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.path_for(alert)
            partial = path.with_suffix(".eml.part")
            partial.write_bytes(alert.message.encode("ascii"))
            os.replace(partial, path)
        except OSError as error:
            raise DeliveryError(f"cannot write {self.folder}: {error}") from error
        return str(path)

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- the run


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
    now = now or utcnow()
    alerts_config = config.alerts
    renderer = DigestRenderer(config, database_name(db))
    digests, unaddressed = plan_digests(
        select_new(db, alerts_config), alerts_config, to_file=to_file is not None
    )
    if unaddressed:
        echo(
            f"{_plural(unaddressed, 'new divergence')} not alerted: no recipients configured "
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
        echo(f"--- would send a new alert ({_plural(len(digest.ids), 'divergence')}) ---")
        echo(preview(composed.message))
    if not pending and not digests:
        echo("no new divergences to alert")
    return AlertReport(created=len(digests), pending=len(pending))

"""A digest as an email: Jinja2 templates (autoescaped HTML) into a multipart message."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import jinja2

from archive import outbox
from datasette_config.links import DatasetteLinks
from triglot.alerts.select import Digest, relative_difference
from triglot.alerts.text import clean_text, excerpt, header_text, plural
from triglot.config import Config

TEXT_TEMPLATE = "alert.txt.j2"
HTML_TEMPLATE = "alert.html.j2"
SUBJECT_TITLE_CHARS = 80
# CRLF line ends and 7-bit transfer encodings (quoted-printable or base64, whichever is
# shorter): the serialised message is pure ASCII, stored as text, re-sent byte for byte
_SEVEN_BIT = policy.SMTP.clone(cte_type="7bit")


class AlertError(Exception):
    """A problem with the alert setup itself (e.g. a templates_dir that does not exist)."""


def _sender_domain(sender: str) -> str:
    domain = sender.rpartition("@")[2].strip(" >")
    domain = re.sub(r"[^A-Za-z0-9.-]", "", domain)
    return domain or "localhost"


def _web_url(url: str | None) -> str:
    """An edition's address for a link, only when it is http(s) (never javascript: etc.)."""
    url = clean_text(url)
    return url if url.lower().startswith(("http://", "https://")) else ""


_KIND_TEXT = {
    ("language", "changed"): "differs between editions",
    ("language", "missing"): "missing from one edition",
    ("version", "changed"): "changed in a new version",
    ("version", "added"): "added in a new version",
    ("version", "removed"): "removed in a new version",
    ("version", "title"): "title changed in a new version",
}


class DigestRenderer:
    """Renders a digest with Jinja2 (autoescaped HTML) into a multipart EmailMessage."""

    def __init__(self, config: Config, db_name: str) -> None:
        self.alerts = config.alerts
        self.db_name = db_name
        self.base_url = config.alerts.datasette_url.rstrip("/")
        self.links = DatasetteLinks(self.base_url, db_name)
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
        return self.links.article(article_id)

    def divergence_link(self, divergence_id: int) -> str:
        return self.links.table("divergences", divergence_id)

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
            "divergences_link": self.links.table("divergences"),
        }

    def subject(self, context: dict[str, Any]) -> str:
        prefix = header_text(self.alerts.subject_prefix)
        count = plural(context["count"], "new divergence")
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

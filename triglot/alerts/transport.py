"""Delivering a stored alert: over SMTP (one connection a run), or as an .eml file."""

from __future__ import annotations

import os
import smtplib
import ssl
from pathlib import Path

from archive import outbox
from triglot.config import SmtpConfig


class DeliveryError(Exception):
    """One delivery attempt failed; the message says why (stored as last_error)."""


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

"""A real SMTP server on loopback for tests: aiosmtpd's Controller with a recording handler.

Usage::

    with SmtpServer() as server:                     # plain SMTP on 127.0.0.1:<free port>
        ...  # send to server.port
        server.messages                              # list[ReceivedMessage]

    cert = make_self_signed_cert(tmp_path)           # for 127.0.0.1 and localhost
    with SmtpServer(starttls=cert, users={"bot": "s3cret"}) as server: ...  # AUTH after STARTTLS
    with SmtpServer(implicit_tls=cert) as server: ...                       # SMTPS

``refuse`` makes the server answer 550 to RCPT TO for those addresses.
A client trusts the self-signed certificate through ``SSL_CERT_FILE=cert.cert``, which
Python's ``ssl.create_default_context()`` honours.
"""

from __future__ import annotations

import datetime
import email
import ipaddress
import shutil
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes  # the DATA exactly as received (CRLF line ends, dot-unstuffed)

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)


@dataclass
class RecordingHandler:
    """Stores every accepted envelope; refuses RCPT for the addresses in ``refuse``."""

    refuse: set[str] = field(default_factory=set)
    messages: list[ReceivedMessage] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        self.messages.append(
            ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 Message accepted for delivery"


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_self_signed_cert(folder: Path) -> Certificate:
    """A certificate for 127.0.0.1 / localhost, made now (cryptography, else openssl CLI)."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "smtp.cert", folder / "smtp.key"
    try:
        _cert_with_cryptography(cert, key)
    except ImportError:
        if not shutil.which("openssl"):
            raise RuntimeError("neither cryptography nor openssl is available") from None
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ],
            check=True,
            capture_output=True,
        )
    return Certificate(cert, key)


def _cert_with_cryptography(cert_path: Path, key_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def password_authenticator(users: dict[str, str]):
    """An aiosmtpd authenticator accepting exactly these login/password pairs."""

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        return AuthResult(success=users.get(login) == password, handled=False)

    return authenticate


class SmtpServer:
    """aiosmtpd on 127.0.0.1 at a free port, started and stopped as a context manager."""

    def __init__(
        self,
        *,
        port: int | None = None,
        starttls: Certificate | None = None,
        implicit_tls: Certificate | None = None,
        users: dict[str, str] | None = None,
        refuse: set[str] | None = None,
    ) -> None:
        self.handler = RecordingHandler(refuse={a.lower() for a in refuse or set()})
        self.port = port or free_port()
        kwargs: dict[str, Any] = {}
        if starttls is not None:
            kwargs["tls_context"] = starttls.server_context()
        if implicit_tls is not None:
            kwargs["ssl_context"] = implicit_tls.server_context()
        if users is not None:
            kwargs["authenticator"] = password_authenticator(users)
            kwargs["auth_require_tls"] = True
            kwargs["auth_required"] = True
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    @property
    def messages(self) -> list[ReceivedMessage]:
        return self.handler.messages

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

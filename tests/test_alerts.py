"""Alert emails end to end: a real archive file, a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import re
import socket
import sqlite3
from email import policy
from pathlib import Path
from typing import Any

import pytest
from smtp_server import SmtpServer, free_port, make_self_signed_cert

from archive import open_db, save_edition
from triglot.alerts import (
    AlertError,
    excerpt,
    header_text,
    relative_difference,
    run_alerts,
)
from triglot.config import PASSWORD_ENV, Config

NOW = "2024-05-06T07:08:09+00:00"
LATER = "2024-05-06T08:08:09+00:00"

pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")


# ---------------------------------------------------------------- archive fixtures


class Archive:
    """A temp archive with helpers to add invented articles and divergences."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = open_db(path)
        self._fingerprints = 0

    def article(
        self, key: str, editions: dict[str, tuple[str, list[str]]], *, site: str = "alpha"
    ) -> dict[str, Any]:
        """editions: lang -> (title, paragraphs). Returns ids: article, snapshot[lang],
        paragraph[lang][idx]."""
        ids: dict[str, Any] = {"snapshot": {}, "paragraph": {}}
        for lang, (title, paragraphs) in editions.items():
            result = save_edition(
                self.db,
                {
                    "url": f"https://{site}.example/{lang}/{key}",
                    "site": site,
                    "article_key": f"{site}:{key}",
                    "title": title,
                    "lang": lang,
                    "paragraphs": paragraphs,
                    "fetched_at": NOW,
                },
            )
            ids["article"] = result.article_id
            ids["snapshot"][lang] = result.snapshot_id
            ids["paragraph"][lang] = [
                row[0]
                for row in self.db.execute(
                    "select id from paragraphs where snapshot_id = ? order by idx",
                    [result.snapshot_id],
                ).fetchall()
            ]
        return ids

    def divergence(
        self,
        article: dict[str, Any],
        side_a: tuple[str, str | None, float | None],
        side_b: tuple[str, str | None, float | None],
        *,
        kind: str = "changed",
        scope: str = "language",
        idx: int = 0,
    ) -> int:
        """side_a / side_b: (lang, raw figure, value); for scope version, old and new."""
        (lang_a, raw_a, value_a), (lang_b, raw_b, value_b) = side_a, side_b
        self._fingerprints += 1
        snapshot_a, snapshot_b = article["snapshot"][lang_a], article["snapshot"][lang_b]
        return self.db.execute(
            "insert into divergences (article_id, scope, kind, lang_a, lang_b, snapshot_a, "
            "snapshot_b, row, paragraph_a, paragraph_b, raw_a, raw_b, value_a, value_b, "
            "figure_kind, deepdiff, fingerprint, detected_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'count', '{}', ?, ?)",
            [
                article["article"],
                scope,
                kind,
                lang_a,
                lang_b,
                snapshot_a,
                snapshot_b,
                idx,
                article["paragraph"][lang_a][idx],
                article["paragraph"][lang_b][idx],
                raw_a,
                raw_b,
                value_a,
                value_b,
                f"fp-{self._fingerprints}",
                NOW,
            ],
        ).lastrowid

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        return self.db.execute(sql, params or []).fetchall()

    def alerts(self) -> list[dict[str, Any]]:
        return list(self.db.query("select * from alerts order by id"))

    def claimed(self) -> set[int]:
        return {row[0] for row in self.rows("select divergence_id from alert_divergences")}


METRO = {
    "uk": (
        "Київське метро перевезло 427 тисяч пасажирів за тиждень",
        [
            "За тиждень київське метро перевезло 427 тисяч пасажирів, повідомили в міській "
            "адміністрації. Це на третину більше, ніж місяць тому.",
            "На лінію вийшли 12 нових вагонів.",
        ],
    ),
    "en": (
        "Kyiv metro carried 427,000 passengers in a week",
        [
            "The Kyiv metro carried 427,000 passengers over the week, the city administration "
            "said. That is a third more than a month ago.",
            "Twelve new carriages entered service.",
        ],
    ),
    "ru": (
        "Киевское метро перевезло 472 тысячи пассажиров за неделю",
        [
            "За неделю киевское метро перевезло 472 тысячи пассажиров, сообщили в городской "
            "администрации. Это на треть больше, чем месяц назад.",
            "На линию вышли 14 новых вагонов.",
        ],
    ),
}

BRIDGE = {
    "uk": (
        "Ремонт мосту коштуватиме 1,5 млрд гривень",
        ["Ремонт мосту через Дніпро коштуватиме 1,5 млрд гривень, заявили в агенції."],
    ),
    "en": (
        "Bridge repair to cost UAH 1.8 billion",
        ["Repairing the bridge over the Dnipro will cost UAH 1.8 billion, the agency said."],
    ),
}


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path / "news.db")


def standard_divergences(archive: Archive) -> list[int]:
    """Three changed divergences in two articles of site alpha."""
    metro = archive.article("metro", METRO)
    bridge = archive.article("bridge", BRIDGE)
    return [
        archive.divergence(metro, ("uk", "427 тисяч", 427000), ("ru", "472 тысячи", 472000)),
        archive.divergence(metro, ("uk", "12", 12), ("ru", "14", 14), idx=1),
        archive.divergence(
            bridge, ("uk", "1,5 млрд гривень", 1.5e9), ("en", "UAH 1.8 billion", 1.8e9)
        ),
    ]


def make_config(port: int, **alerts: Any) -> Config:
    config = Config()
    config.smtp.host = "127.0.0.1"
    config.smtp.port = port
    config.smtp.timeout = 5.0
    config.alerts.sender = "alerts@triglot.example"
    config.alerts.recipients = ["desk@news.example", "editor@news.example"]
    config.alerts.datasette_url = "http://archive.example:8001/"
    for key, value in alerts.items():
        setattr(config.alerts, key, value)
    return config


def run(archive: Archive, config: Config, **kwargs: Any):
    lines: list[str] = []
    report = run_alerts(archive.db, config, now=kwargs.pop("now", NOW), echo=lines.append, **kwargs)
    return report, "\n".join(lines)


def parts(raw: bytes) -> tuple[email.message.EmailMessage, str, str]:
    message = email.message_from_bytes(raw, policy=policy.default)
    return (
        message,
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def header_block(raw: bytes) -> str:
    return raw.split(b"\r\n\r\n", 1)[0].decode("ascii")


# ---------------------------------------------------------------- the digest


def test_one_digest_with_all_new_divergences_then_nothing(archive: Archive) -> None:
    ids = standard_divergences(archive)
    with SmtpServer() as server:
        config = make_config(server.port)
        report, _ = run(archive, config)
        assert (report.created, report.sent, report.failed, report.pending) == (1, 1, 0, 0)
        assert len(server.messages) == 1
        received = server.messages[0]
        assert received.mail_from == "alerts@triglot.example"
        assert received.rcpt_tos == ["desk@news.example", "editor@news.example"]
        message, text, html = parts(received.data)
        assert message["Subject"] == "[Triglot] 3 new divergences in 2 articles"
        assert re.fullmatch(
            r"<triglot-alert-1-[0-9a-f]{16}@triglot\.example>", message["Message-ID"]
        )
        for expected in [
            METRO["uk"][0],
            BRIDGE["uk"][0],
            "uk 427 тисяч  vs  ru 472 тысячи",
            "uk 1,5 млрд гривень  vs  en UAH 1.8 billion",
            "http://archive.example:8001/-/triglot/article/1",
            "http://archive.example:8001/-/triglot/article/2",
            *[f"http://archive.example:8001/news/divergences/{i}" for i in ids],
            "київське метро перевезло 427 тисяч пасажирів",  # paragraph context
            "киевское метро перевезло 472 тысячи пассажиров",
        ]:
            assert expected in text
        assert "<mark>427 тисяч</mark>" in html
        assert 'href="http://archive.example:8001/news/divergences/1"' in html

        (alert,) = archive.alerts()
        assert (alert["status"], alert["attempts"], alert["sent_at"]) == ("sent", 1, NOW)
        assert alert["message_id"] == message["Message-ID"]
        assert alert["message"].encode("ascii") == received.data
        assert archive.claimed() == set(ids)

        second, output = run(archive, config, now=LATER)
        assert (second.created, second.sent, second.failed) == (0, 0, 0)
        assert "no new divergences" in output
        assert len(server.messages) == 1


def test_server_down_then_delivered_exactly_once_when_back(archive: Archive) -> None:
    ids = standard_divergences(archive)
    port = free_port()
    config = make_config(port)
    report, output = run(archive, config)
    assert (report.created, report.sent, report.failed, report.pending) == (1, 0, 1, 1)
    (alert,) = archive.alerts()
    assert (alert["status"], alert["attempts"], alert["sent_at"]) == ("pending", 1, None)
    assert "Connection refused" in alert["last_error"]
    assert "not delivered" in output
    assert archive.claimed() == set(ids)

    # a divergence found while the server was down goes into a second, new digest
    metro = archive.article("metro", METRO)
    late = archive.divergence(metro, ("en", "427,000", 427000), ("ru", "472 тысячи", 472000))
    with SmtpServer(port=port) as server:
        report, _ = run(archive, config, now=LATER)
        assert (report.created, report.sent, report.failed, report.pending) == (1, 2, 0, 0)
        retried, fresh = server.messages
        assert retried.data == alert["message"].encode("ascii")
        assert parts(retried.data)[0]["Message-ID"] == alert["message_id"]
        assert parts(fresh.data)[0]["Subject"].startswith("[Triglot] 1 new divergence: ")

        report, _ = run(archive, config, now=LATER)
        assert (report.created, report.sent) == (0, 0)
        assert len(server.messages) == 2
    statuses = [(a["status"], a["attempts"]) for a in archive.alerts()]
    assert statuses == [("sent", 2), ("sent", 1)]
    assert archive.claimed() == {*ids, late}


def test_gives_up_after_max_attempts(archive: Archive) -> None:
    standard_divergences(archive)
    config = make_config(free_port(), max_attempts=2)
    for expected in [("pending", 1), ("failed", 2), ("failed", 2)]:
        run(archive, config)
        (alert,) = archive.alerts()
        assert (alert["status"], alert["attempts"]) == expected


class SilentServer:
    """Accepts TCP connections and never says a word: the client must time out."""

    def __enter__(self) -> SilentServer:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.sock.close()


@pytest.mark.parametrize(
    "failure, expected_error",
    [
        ("connection refused", "Connection refused"),
        ("timeout", "timed out"),
        ("all recipients refused", "all recipients refused: desk@news.example: 550"),
    ],
)
def test_failed_attempt_stays_pending_with_error(
    archive: Archive, failure: str, expected_error: str
) -> None:
    ids = standard_divergences(archive)
    if failure == "connection refused":
        report, _ = run(archive, make_config(free_port()))
    elif failure == "timeout":
        with SilentServer() as silent:
            config = make_config(silent.port)
            config.smtp.timeout = 0.3
            report, _ = run(archive, config)
    else:
        with SmtpServer(refuse={"desk@news.example", "editor@news.example"}) as server:
            report, _ = run(archive, make_config(server.port))
            assert server.messages == []
    assert (report.sent, report.failed, report.pending) == (0, 1, 1)
    (alert,) = archive.alerts()
    assert (alert["status"], alert["attempts"]) == ("pending", 1)
    assert expected_error in alert["last_error"]
    assert archive.claimed() == set(ids)


def test_partly_refused_recipients_count_as_sent_with_a_note(archive: Archive) -> None:
    standard_divergences(archive)
    with SmtpServer(refuse={"editor@news.example"}) as server:
        report, _ = run(archive, make_config(server.port))
        assert server.messages[0].rcpt_tos == ["desk@news.example"]
    assert (report.sent, report.failed) == (1, 0)
    (alert,) = archive.alerts()
    assert alert["status"] == "sent"
    assert "editor@news.example: 550" in alert["last_error"]


def test_crash_between_send_and_record_resends_the_identical_message(archive: Archive) -> None:
    ids = standard_divergences(archive)
    with SmtpServer() as server:
        config = make_config(server.port)
        run(archive, config)
        # the process died after the server accepted the message, before sent_at was stored
        archive.db.execute("update alerts set status = 'pending', sent_at = null, attempts = 0")
        archive.db.conn.commit()
        report, _ = run(archive, config, now=LATER)
        assert (report.created, report.sent) == (0, 1)
        first, second = server.messages
        assert first.data == second.data
        assert parts(first.data)[0]["Message-ID"] == parts(second.data)[0]["Message-ID"]
    assert len(archive.alerts()) == 1
    assert archive.rows(
        "select divergence_id, count(*) from alert_divergences group by divergence_id"
    ) == [(i, 1) for i in ids]


# ---------------------------------------------------------------- SMTP security


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cert = make_self_signed_cert(tmp_path / "tls")
    # the client verifies the server against the system store; point it at our cert
    monkeypatch.setenv("SSL_CERT_FILE", str(cert.cert))
    return cert


@pytest.mark.parametrize(
    "security, user, password, expected_status, expected_error",
    [
        ("starttls", "triglot-bot", "correct horse", "sent", None),
        ("starttls", "triglot-bot", "wrong", "pending", "SMTPAuthenticationError: 535"),
        ("starttls", "triglot-bot", None, "pending", PASSWORD_ENV),
        ("none", "triglot-bot", "correct horse", "pending", "SMTP AUTH extension not supported"),
        ("none", "", None, "pending", "530"),  # the server requires authentication
    ],
)
def test_starttls_and_authentication(
    archive: Archive,
    certificate,
    monkeypatch: pytest.MonkeyPatch,
    security: str,
    user: str,
    password: str | None,
    expected_status: str,
    expected_error: str | None,
) -> None:
    standard_divergences(archive)
    if password is None:
        monkeypatch.delenv(PASSWORD_ENV, raising=False)
    else:
        monkeypatch.setenv(PASSWORD_ENV, password)
    with SmtpServer(starttls=certificate, users={"triglot-bot": "correct horse"}) as server:
        config = make_config(server.port)
        config.smtp.security = security
        config.smtp.user = user
        run(archive, config)
        assert len(server.messages) == (1 if expected_status == "sent" else 0)
    (alert,) = archive.alerts()
    assert alert["status"] == expected_status
    if expected_error:
        assert expected_error in alert["last_error"]
    else:
        assert alert["last_error"] is None


def test_implicit_tls(archive: Archive, certificate) -> None:
    standard_divergences(archive)
    with SmtpServer(implicit_tls=certificate) as server:
        config = make_config(server.port)
        config.smtp.security = "ssl"
        report, _ = run(archive, config)
        assert (report.sent, len(server.messages)) == (1, 1)


def test_untrusted_certificate_is_refused(archive: Archive, tmp_path: Path) -> None:
    standard_divergences(archive)
    cert = make_self_signed_cert(tmp_path / "tls")  # not made trusted through SSL_CERT_FILE
    with SmtpServer(starttls=cert) as server:
        config = make_config(server.port)
        config.smtp.security = "starttls"
        run(archive, config)
        assert server.messages == []
    (alert,) = archive.alerts()
    assert alert["status"] == "pending"
    assert "CERTIFICATE_VERIFY_FAILED" in alert["last_error"]


def test_private_ca_from_the_config_is_trusted(archive: Archive, tmp_path: Path) -> None:
    standard_divergences(archive)
    cert = make_self_signed_cert(tmp_path / "tls")  # trusted only through smtp.ca_file
    with SmtpServer(starttls=cert) as server:
        config = make_config(server.port)
        config.smtp.security = "starttls"
        config.smtp.ca_file = str(cert.cert)
        report, _ = run(archive, config)
        assert (report.sent, len(server.messages)) == (1, 1)


# ---------------------------------------------------------------- untrusted article text


def test_injection_in_titles_and_paragraphs_comes_out_inert(archive: Archive) -> None:
    hostile = archive.article(
        "hostile",
        {
            "uk": (
                "Бюджет\r\nBcc: evil@attacker.example\nX-Injected: yes",
                ["<script>alert('uk')</script> Бюджет міста зріс до 427 тисяч <b>гривень</b>."],
            ),
            "en": (
                '<img src=x onerror="alert(1)"> City budget',
                ["City budget grew to 472,000 <a href='javascript:alert(2)'>hryvnias</a>."],
            ),
        },
    )
    # the title arrives already normalised by the store; force the raw hostile title back
    archive.db.execute(
        "update articles set title = ? where id = ?",
        ["Бюджет\r\nBcc: evil@attacker.example\nX-Injected: yes\u2028Cc: evil2@x", 1],
    )
    archive.divergence(hostile, ("uk", "427 тисяч", 427000), ("en", "472,000", 472000))
    with SmtpServer() as server:
        run(archive, make_config(server.port))
        (received,) = server.messages
    assert received.rcpt_tos == ["desk@news.example", "editor@news.example"]
    headers = header_block(received.data)
    assert not re.search(r"^(Bcc|Cc|X-Injected):", headers, re.MULTILINE | re.IGNORECASE)
    message, text, html = parts(received.data)
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert message["Subject"] == (
        "[Triglot] 1 new divergence: Бюджет Bcc: evil@attacker.example X-Injected: yes Cc: evil2@x"
    )
    for markup in ["<script", "<b>", "<img", "<a href='javascript", "javascript:alert(2)'>"]:
        assert markup not in html
    assert "&lt;script&gt;alert(&#39;uk&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;гривень&lt;/b&gt;" in html
    assert "<script>alert('uk')</script>" in text  # plain text shows it literally, harmlessly


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Plain title", "Plain title"),
        ("Line one\r\nBcc: x@y", "Line one Bcc: x@y"),
        ("tab\tand\x00nul\x1b[31m", "tab and nul [31m"),
        ("next\u0085line\u2028sep\u2029para", "next line sep para"),
        ("rtl\u202eoverride\u200b", "rtloverride"),
    ],
)
def test_header_text_strips_control_characters(raw: str, expected: str) -> None:
    assert header_text(raw) == expected


@pytest.mark.parametrize(
    "paragraph, figure, expected_before, expected_after",
    [
        ("Short 5 words.", "5", "Short ", " words."),
        ("Figure absent here.", "9", "Figure absent here.", ""),
        ("a " * 100 + "FIG" + " b" * 100, "FIG", "…" + "a " * 44, " b" * 44 + "…"),
    ],
)
def test_excerpt_cuts_around_the_figure(
    paragraph: str, figure: str, expected_before: str, expected_after: str
) -> None:
    cut = excerpt(paragraph, figure)
    assert (cut.before, cut.after) == (expected_before, expected_after)


# ---------------------------------------------------------------- who gets what


def test_site_recipients_get_their_sites_articles(archive: Archive) -> None:
    metro = archive.article("metro", METRO, site="alpha")
    bridge = archive.article("bridge", BRIDGE, site="beta")
    alpha = archive.divergence(metro, ("uk", "427 тисяч", 427000), ("ru", "472 тысячи", 472000))
    beta = archive.divergence(
        bridge, ("uk", "1,5 млрд гривень", 1.5e9), ("en", "UAH 1.8 billion", 1.8e9)
    )
    with SmtpServer() as server:
        config = make_config(
            server.port,
            recipients=["desk@news.example"],
            site_recipients={"beta": ["beta-team@news.example", "DESK@news.example"]},
        )
        report, _ = run(archive, config)
        assert report.sent == 2
        by_recipients = {tuple(m.rcpt_tos): parts(m.data)[1] for m in server.messages}
    assert set(by_recipients) == {
        ("desk@news.example",),
        ("desk@news.example", "beta-team@news.example"),
    }
    assert METRO["uk"][0] in by_recipients[("desk@news.example",)]
    assert BRIDGE["uk"][0] not in by_recipients[("desk@news.example",)]
    assert BRIDGE["uk"][0] in by_recipients[("desk@news.example", "beta-team@news.example")]
    assert archive.claimed() == {alpha, beta}


def test_without_recipients_nothing_is_sent_and_divergences_wait(archive: Archive) -> None:
    metro = archive.article("metro", METRO, site="alpha")
    bridge = archive.article("bridge", BRIDGE, site="beta")
    archive.divergence(metro, ("uk", "427 тисяч", 427000), ("ru", "472 тысячи", 472000))
    beta = archive.divergence(
        bridge, ("uk", "1,5 млрд гривень", 1.5e9), ("en", "UAH 1.8 billion", 1.8e9)
    )
    with SmtpServer() as server:
        config = make_config(
            server.port, recipients=[], site_recipients={"beta": ["beta@news.example"]}
        )
        report, output = run(archive, config)
        assert [m.rcpt_tos for m in server.messages] == [["beta@news.example"]]
    assert "1 new divergence not alerted: no recipients configured" in output
    assert archive.claimed() == {beta}


@pytest.mark.parametrize(
    "kinds, scopes, threshold, expected",
    [
        (None, None, None, {"big", "small", "version"}),  # defaults: changed, both scopes
        (["changed", "missing"], None, None, {"big", "small", "missing", "version"}),
        (["missing"], None, None, {"missing"}),
        (None, ["language"], None, {"big", "small"}),
        (None, None, 0.05, {"big", "version"}),  # 427k vs 472k: 9.5%; 1000 vs 1010: 1%
        (None, None, 0.5, set()),
        (["changed", "missing"], None, 0.5, {"missing"}),  # one side only counts as 100%
        (["title"], None, None, {"title"}),  # a changed headline can be chosen too
    ],
)
def test_kind_scope_and_threshold_filters(
    archive: Archive,
    tmp_path: Path,
    kinds: list[str] | None,
    scopes: list[str] | None,
    threshold: float | None,
    expected: set[str],
) -> None:
    metro = archive.article("metro", METRO)
    divergences = {
        "big": archive.divergence(metro, ("uk", "427 тисяч", 427000), ("ru", "472 тысячи", 472000)),
        "small": archive.divergence(metro, ("uk", "1000", 1000), ("en", "1010", 1010), idx=1),
        "missing": archive.divergence(
            metro, ("uk", "12", 12), ("en", None, None), kind="missing", idx=1
        ),
        "version": archive.divergence(
            metro, ("ru", "14", 14), ("ru", "16", 16), scope="version", idx=1
        ),
        "title": archive.divergence(
            metro,
            ("uk", "Старий заголовок", None),
            ("uk", "Новий заголовок", None),
            scope="version",
            kind="title",
        ),
    }
    settings: dict[str, Any] = {}
    if kinds is not None:
        settings["kinds"] = kinds
    if scopes is not None:
        settings["scopes"] = scopes
    if threshold is not None:
        settings["min_relative_difference"] = threshold
    run(archive, make_config(free_port(), **settings), to_file=str(tmp_path / "out"))
    names = {name for name, i in divergences.items() if i in archive.claimed()}
    assert names == expected


def test_relative_difference_table() -> None:
    cases = [((100, 110), 10 / 110), ((0, 0), 0.0), ((-5, 5), 2.0), ((3, None), 1.0)]
    for (a, b), expected in cases:
        assert relative_difference(a, b) == pytest.approx(expected)


# ---------------------------------------------------------------- dry run and files


def database_state(archive: Archive) -> list[list[tuple]]:
    return [
        archive.rows(f"select * from {table} order by rowid")
        for table in ("alerts", "alert_divergences", "divergences")
    ]


def test_dry_run_changes_nothing(archive: Archive) -> None:
    standard_divergences(archive)
    config = make_config(free_port())
    run(archive, config)  # leaves one pending alert (server down)
    metro = archive.article("metro", METRO)
    archive.divergence(metro, ("en", "427,000", 427000), ("ru", "472 тысячи", 472000))
    before = database_state(archive)
    with SmtpServer() as server:
        config.smtp.port = server.port
        report, output = run(archive, config, dry_run=True)
        assert server.messages == []
    assert database_state(archive) == before
    assert (report.created, report.sent, report.pending) == (1, 0, 1)
    assert "would retry alert #1 (attempt 2)" in output
    assert "Subject: [Triglot] 3 new divergences in 2 articles" in output
    assert "Subject: [Triglot] 1 new divergence: " in output
    assert "Message-ID: <triglot-alert-2-" in output
    assert "uk 427 тисяч  vs  ru 472 тысячи" in output


def test_to_file_writes_a_parseable_eml_and_consumes(archive: Archive, tmp_path: Path) -> None:
    ids = standard_divergences(archive)
    out = tmp_path / "outbox"
    config = make_config(free_port(), recipients=[])  # no recipients: addressed to the sender
    report, output = run(archive, config, to_file=str(out))
    assert report.written == [str(out / "triglot-alert-1.eml")]
    assert (report.created, report.sent, report.failed) == (1, 1, 0)
    raw = (out / "triglot-alert-1.eml").read_bytes()
    message, text, html = parts(raw)
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["To"] == "alerts@triglot.example"
    assert "427 тисяч" in text and "<mark>427 тисяч</mark>" in html
    (alert,) = archive.alerts()
    assert (alert["status"], alert["sent_at"]) == ("written", NOW)
    assert archive.claimed() == set(ids)

    with SmtpServer() as server:  # consumed: a later real run sends nothing
        config = make_config(server.port)
        report, _ = run(archive, config, now=LATER)
        assert (report.created, report.sent, server.messages) == (0, 0, [])


# ---------------------------------------------------------------- templates


def test_templates_dir_overrides_the_text_part(archive: Archive, tmp_path: Path) -> None:
    standard_divergences(archive)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "alert.txt.j2").write_text(
        "{% for a in articles %}{{ a.title }}|{% endfor %}\n", encoding="utf-8"
    )
    report, _ = run(
        archive,
        make_config(free_port(), templates_dir=str(templates)),
        to_file=str(tmp_path / "out"),
    )
    _, text, html = parts(Path(report.written[0]).read_bytes())
    assert text.splitlines() == [f"{METRO['uk'][0]}|{BRIDGE['uk'][0]}|"]
    assert "<mark>" in html  # the HTML part falls back to the packaged template


def test_a_failing_template_stores_nothing(archive: Archive, tmp_path: Path) -> None:
    standard_divergences(archive)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "alert.html.j2").write_text("{{ no_such_variable }}", encoding="utf-8")
    before = database_state(archive)
    with pytest.raises(Exception, match="no_such_variable"):
        run(archive, make_config(free_port(), templates_dir=str(templates)))
    assert database_state(archive) == before


def test_missing_templates_dir_is_a_clear_error(archive: Archive, tmp_path: Path) -> None:
    with pytest.raises(AlertError, match="templates_dir"):
        run(archive, make_config(free_port(), templates_dir=str(tmp_path / "nope")))


def test_archive_is_still_readable_by_plain_sqlite(archive: Archive) -> None:
    """The outbox rows are plain columns a researcher can query."""
    standard_divergences(archive)
    with SmtpServer() as server:
        run(archive, make_config(server.port))
    conn = sqlite3.connect(archive.path)
    row = conn.execute("select status, recipients, subject from alerts where id = 1").fetchone()
    assert row == (
        "sent",
        '["desk@news.example", "editor@news.example"]',
        "[Triglot] 3 new divergences in 2 articles",
    )


def test_a_title_change_reads_as_one_in_the_digest(archive: Archive, tmp_path: Path) -> None:
    metro = archive.article("metro", METRO)
    archive.divergence(
        metro,
        ("uk", "Старий заголовок", None),
        ("uk", "Новий заголовок", None),
        scope="version",
        kind="title",
    )
    out = tmp_path / "outbox"
    config = make_config(free_port(), recipients=[], kinds=["title"])
    report, _ = run(archive, config, to_file=str(out))
    assert report.written == [str(out / "triglot-alert-1.eml")]
    _, text, html = parts((out / "triglot-alert-1.eml").read_bytes())
    for part in (text, html):
        assert "title changed in a new version" in part
        assert "% apart" not in part  # a headline has no value to be apart by

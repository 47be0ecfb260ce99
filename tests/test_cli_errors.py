"""Every error a newcomer can make is one line on stderr with a documented exit code.

The real `triglot` entry point in a subprocess, one row per mistake: the exit code, a
fragment of the one line, no traceback — and for the archive refusals, the file unchanged
and no folder created.
"""

from __future__ import annotations

import hashlib
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

TRIGLOT = Path(sys.executable).with_name("triglot")


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _foreign(path: Path) -> None:
    _sql(path, "create table cats (name text)", "insert into cats values ('Murka')")


def _archive(path: Path) -> None:
    """A real Triglot archive, out of WAL so that the file alone holds it."""
    import archive

    archive.open_db(path).conn.close()
    _sql(path, "pragma journal_mode = delete")


def _newer(path: Path) -> None:
    _archive(path)
    _sql(path, "pragma user_version = 99")


def _corrupt(path: Path) -> None:
    _archive(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page: unreadable
    path.write_bytes(bytes(data))


FILES = {  # placeholder: (file name, how to make it)
    "foreign": ("foreign.db", _foreign),
    "newer": ("newer.db", _newer),
    "corrupt": ("corrupt.db", _corrupt),
    "notes": ("notes.txt", lambda p: p.write_text("not a database\n" * 10)),
}

CONFIGS = {
    "unknown_site": '[crawl]\nsites = ["nosuchsite"]\n',
    "sites_number": "sites = 5\n",
    "sites_empty_table": "[sites]\nrbc = {}\n",
    "profile_dirs_number": "[crawl]\nprofile_dirs = [5]\n",
    "profile_dir_missing": '[crawl]\nprofile_dirs = ["missing"]\nsites = ["rbc"]\n',
    "recipients_numbers": "[alerts]\nrecipients = [5, 6]\n",
    "recipients_string": '[alerts]\nrecipients = "desk@example.org"\n',
    "zero_slots": "[crawl]\nconcurrent_requests_per_domain = 0\n",
    "port_range": "[serve]\nport = 99999\n",
}

CASES = [
    # (args, exit code, fragment of the one line)
    (["crawl", "--url", "http://[::1"], 2, "not a valid URL"),
    (["crawl", "--url", "not-a-url"], 2, "only http:// and https://"),
    (["crawl", "--url", "file:///etc/passwd"], 2, "got file://"),
    (["crawl", "--url", "ftp://example.org/a.html"], 2, "got ftp://"),
    (["crawl", "--url", "http://"], 2, "no host"),
    (["crawl", "--site", "nosuchsite"], 2, "no profile named 'nosuchsite'"),
    (["crawl", "--base-url", "rbc"], 2, "expected NAME=VALUE"),
    (["crawl", "--site", "rbc", "--base-url", "rbc=ftp://x"], 2, "not an http(s) URL"),
    (["crawl", "--profile-dir", "/nonexistent/profiles"], 2, "does not exist"),
    (["serve", "--port", "99999"], 2, "99999 is not in the range"),
    (["demo", "--port", "0"], 2, "0 is not in the range"),
    (["crawl", "--config", "{unknown_site}"], 5, "no profile named 'nosuchsite'"),
    (["run", "--config", "{unknown_site}"], 5, "no profile named 'nosuchsite'"),
    (["diff", "--config", "{sites_number}"], 5, "'sites' must be a table"),
    (["diff", "--config", "{sites_empty_table}"], 5, "takes exactly one key"),
    (["diff", "--config", "{profile_dirs_number}"], 5, "must be a list of strings"),
    (["crawl", "--config", "{profile_dir_missing}"], 5, "does not exist"),
    (["alert", "--config", "{recipients_numbers}"], 5, "'alerts.recipients' must be a list of str"),
    (["alert", "--config", "{recipients_string}"], 5, "'alerts.recipients' must be a list"),
    (["run", "--config", "{zero_slots}"], 5, "concurrent_requests_per_domain"),
    (["serve", "--config", "{port_range}"], 5, "'serve.port' must be between 1 and 65535"),
    (["diff", "--db", "/typo/dir/x.db"], 4, "folder /typo/dir does not exist"),
    (["crawl", "--db", "/typo/dir/x.db", "--url", "http://127.0.0.1:9/a"], 4, "does not exist"),
    (["diff", "--db", "{foreign}"], 4, "not a Triglot archive (tables: cats)"),
    (["alert", "--db", "{foreign}"], 4, "not a Triglot archive"),
    (["serve", "--db", "{foreign}"], 4, "not a Triglot archive"),
    (["diff", "--db", "{newer}"], 4, "schema version 99 is newer"),
    (["serve", "--db", "{corrupt}"], 4, "unreadable SQLite file"),
    (["diff", "--db", "{corrupt}"], 4, "unreadable SQLite file"),
    (["diff", "--db", "{notes}"], 4, "not an SQLite database"),
    (["serve", "--port", "{busy}"], 7, "cannot listen on 127.0.0.1:"),
    (["demo", "--no-serve", "--site-port", "{busy}"], 7, "demo sample site (--site-port)"),
    (["demo", "--site-port", "{free}", "--port", "{busy}"], 7, "demo Datasette (--port)"),
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("args", "code", "fragment"), CASES, ids=lambda v: str(v)[:40])
def test_one_line_and_the_documented_exit_code(tmp_path, args, code, fragment):
    busy = socket.create_server(("127.0.0.1", 0))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    values = {"busy": str(busy.getsockname()[1]), "free": str(free)}
    for key, (name, make) in FILES.items():
        make(tmp_path / name)
        values[key] = str(tmp_path / name)
    for name, text in CONFIGS.items():
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
        values[name] = str(tmp_path / f"{name}.toml")
    before = {name: _digest(tmp_path / name) for name, _make in FILES.values()}
    argv = [arg.format(**values) if "{" in arg else arg for arg in args]
    if "--db" not in argv:
        argv += ["--db", str(tmp_path / "archive.db")]
    try:
        done = subprocess.run(
            [str(TRIGLOT), *argv],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONUTF8": "1"},
        )
    finally:
        busy.close()
    lines = done.stderr.splitlines()
    assert done.returncode == code, done.stderr[-2000:]
    assert len(lines) == 1, done.stderr[-2000:]
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in done.stderr
    for name, _make in FILES.values():  # refused files are never changed, never switched to WAL
        assert _digest(tmp_path / name) == before[name], name
        assert not (tmp_path / f"{name}-wal").exists()
    assert not Path("/typo").exists()

"""What the archive looks like after the worst: a killed crawler, a reader or writer in the
way, a read-only file or folder, a full disk. Each case is a real crawl in a subprocess
against a FaultServer on loopback, into a real SQLite file.

What must hold every time: no half-written snapshot (paragraph_count equals its paragraph
rows), no duplicate rows, `PRAGMA integrity_check` is ok, and a crawl that cannot write
says so — non-zero exit, the archive's path in the message — instead of finishing "fine".
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultserver import FaultServer, delayed, static_dir, story_page
from warcio.archiveiterator import ArchiveIterator

import archive
from archive.captures import (
    _records_bytes,
    default_folder,
    last_complete_member,
    payload_digest,
    read_capture,
    resolve_name,
)

REPO = Path(__file__).resolve().parents[1]
LANGS = ("uk", "en", "ru")
FAST = [
    "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false",
    "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "--set", "LOG_LEVEL=WARNING",
]  # fmt: skip


def generate_site(root: Path, server: FaultServer, articles: int) -> list[str]:
    """articles × 3 editions as files under root, served at /site/; returns the uk URLs."""
    entries = []
    for number in range(articles):
        name = f"a{number:03d}"
        urls = {lang: server.url(f"/site/{name}/{lang}.html") for lang in LANGS}
        (root / name).mkdir(parents=True)
        for lang in LANGS:
            (root / name / f"{lang}.html").write_bytes(story_page(lang, name, urls))
        entries.append(urls["uk"])
    return entries


def crawl_command(db: Path, urls: list[str], *extra: str) -> list[str]:
    command = [sys.executable, "-m", "crawler.runner", "--db", str(db), *FAST, *extra]
    for url in urls:
        command += ["--url", url]
    return command


def crawl(db: Path, urls: list[str], *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        crawl_command(db, urls, *extra), cwd=REPO, capture_output=True, text=True, timeout=180
    )


def stats_of(done: subprocess.CompletedProcess) -> dict:
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def scalar(db: Path, sql: str) -> object:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def assert_archive_whole(db: Path) -> None:
    """The invariants no crash, fault or full disk may break."""
    assert scalar(db, "pragma integrity_check") == "ok"
    partial = scalar(
        db,
        "select count(*) from snapshots s where s.paragraph_count != "
        "(select count(*) from paragraphs p where p.snapshot_id = s.id)",
    )
    assert partial == 0, "a snapshot lost paragraphs"
    assert scalar(db, "select count(*) - count(distinct url) from editions") == 0
    duplicates = scalar(
        db,
        "select count(*) from (select 1 from snapshots group by edition_id, content_hash "
        "having count(*) > 1)",
    )
    assert duplicates == 0
    orphans = scalar(
        db, "select count(*) from paragraphs where snapshot_id not in (select id from snapshots)"
    )
    assert orphans == 0
    # the full-text index matches the paragraphs it indexes
    conn = sqlite3.connect(db)
    try:
        conn.execute("insert into paragraphs_fts(paragraphs_fts) values ('integrity-check')")
    finally:
        conn.close()


def assert_captures_whole(db: Path, *, files_readable: bool = True) -> int:
    """Every snapshot points at a whole WARC response record whose digest matches; with
    files_readable, every .warc.gz file also reads to its end as whole records."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "select capture_file, capture_offset, capture_length, capture_digest from snapshots"
        ).fetchall()
    finally:
        conn.close()
    for name, offset, length, digest in rows:
        assert name is not None, "a snapshot without its capture"
        stored = read_capture(resolve_name(name, db), offset, length)
        assert payload_digest(stored.payload) == digest
    if files_readable:
        for path in default_folder(db).glob("*.warc.gz"):
            assert last_complete_member(path) == path.stat().st_size, f"{path} has a cut tail"
            with open(path, "rb") as handle:
                for record in ArchiveIterator(handle, check_digests="raise"):
                    record.content_stream().read()
    return len(rows)


def table_counts(db: Path) -> dict[str, int]:
    tables = ("articles", "editions", "snapshots", "paragraphs", "checks")
    return {t: scalar(db, f"select count(*) from {t}") for t in tables}


# ------------------------------------------------------------------------ kill -9


def test_kill_9_mid_crawl_then_a_normal_crawl_completes(tmp_path) -> None:
    db = tmp_path / "archive.db"
    with FaultServer() as server:
        # a few ms per page keeps the crawl running long enough to be caught mid-way
        server.route_prefix("/site/", delayed(static_dir(tmp_path / "site", "/site/"), 0.01))
        entries = generate_site(tmp_path / "site", server, 200)
        process = subprocess.Popen(
            crawl_command(db, entries),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            snapshots_at_kill = _wait_for_snapshots(db, 60, process)
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, "the crawl ended before it was killed"
        assert 0 < snapshots_at_kill < 600
        assert_archive_whole(db)
        # no snapshot without its capture; a record the kill cut is repaired on the rerun
        assert assert_captures_whole(db, files_readable=False) >= snapshots_at_kill
        (marker,) = default_folder(db).glob("*.warc.gz.open")  # the killed writer's file
        # make sure the kill landed mid-record, as it may: half a record's bytes at the end
        record, _, _ = _records_bytes(
            {"url": entries[0], "status": 200, "body": os.urandom(20_000), "response_headers": []}
        )
        with open(marker.with_suffix(""), "ab") as tail:
            tail.write(record[: len(record) // 2])

        done = crawl(db, entries)
    assert done.returncode == 0, done.stderr[-3000:]
    assert_archive_whole(db)
    assert assert_captures_whole(db) == 600
    assert not list(default_folder(db).glob("*.open"))
    assert scalar(db, "select count(*) from articles") == 200
    stored = scalar(db, "select count(*) from editions where current_snapshot_id is not null")
    assert stored == 600
    assert scalar(db, "select count(*) from snapshots") == 600
    per_article = scalar(
        db,
        "select count(*) from (select article_id from editions "
        "group by article_id having count(distinct lang) = 3)",
    )
    assert per_article == 200


def _wait_for_snapshots(db: Path, at_least: int, process: subprocess.Popen) -> int:
    """Poll the archive (as a reader would) until it holds at_least snapshots."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(sqlite3.Error):
            if db.exists():
                count = scalar(db, "select count(*) from snapshots")
                if count >= at_least:
                    return count
        time.sleep(0.02)
    raise AssertionError("the crawl stored too little before ending")


# ------------------------------------------------------------------------ concurrent access


@pytest.fixture()
def small_site(tmp_path) -> Iterator[tuple[FaultServer, list[str]]]:
    with FaultServer() as server:
        server.route_prefix("/site/", static_dir(tmp_path / "site", "/site/"))
        yield server, generate_site(tmp_path / "site", server, 3)


def test_long_reader_does_not_block_the_crawl_and_sees_a_consistent_archive(
    tmp_path, small_site
) -> None:
    """A Datasette-style reader holds one read transaction for the whole crawl."""
    server, entries = small_site
    db = tmp_path / "archive.db"
    archive.open_db(db).close()
    reader = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    reader.execute("begin")
    seen = [reader.execute("select count(*) from snapshots").fetchone()[0]]
    stop = threading.Event()

    def keep_reading() -> None:
        while not stop.wait(0.1):
            seen.append(reader.execute("select count(*) from snapshots").fetchone()[0])

    thread = threading.Thread(target=keep_reading)
    thread.start()
    try:
        done = crawl(db, entries)
    finally:
        stop.set()
        thread.join()
    seen.append(reader.execute("select count(*) from snapshots").fetchone()[0])
    reader.execute("commit")
    reader.close()
    assert done.returncode == 0, done.stderr[-3000:]
    assert set(seen) == {0}, "the reader's transaction saw a moving archive"
    assert len(seen) > 5  # it really was reading while the crawl ran
    assert stats_of(done)["new_snapshots"] == 9
    assert scalar(db, "select count(*) from snapshots") == 9
    assert_archive_whole(db)


def test_crawler_waits_for_another_writer_and_loses_nothing(tmp_path, small_site) -> None:
    """Another process's write transaction holds the lock while pages arrive: the crawler's
    writes wait (busy timeout) instead of failing."""
    server, entries = small_site
    db = tmp_path / "archive.db"
    archive.open_db(db).close()
    writer = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    writer.execute("begin immediate")
    process = subprocess.Popen(
        crawl_command(db, entries), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while not server.hits.get("/site/a000/uk.html") and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(2)  # pages are fetched and parsed; their writes wait on our lock
        assert scalar(db, "select count(*) from snapshots") == 0
        writer.execute("rollback")
        out, err = process.communicate(timeout=120)
    finally:
        writer.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err.decode()[-3000:]
    stats = json.loads(out.decode().strip().splitlines()[-1])
    assert stats["store_errors"] == 0
    assert stats["new_snapshots"] == 9
    assert scalar(db, "select count(*) from snapshots") == 9
    assert_archive_whole(db)


# ------------------------------------------------------------------------ unwritable archive


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[str]:
    """path (a file or a folder) made read-only for the crawler.

    chmod does not stop root, so as root the path is bind-mounted over itself read-only
    (the kernel then refuses every write with EROFS); otherwise chmod does it.
    """
    if os.geteuid() == 0:
        if not (_mount("--bind", str(path), str(path))):
            raise RuntimeError(f"cannot bind-mount {path}")
        try:
            if not _mount("-o", "remount,bind,ro", str(path)):
                raise RuntimeError(f"cannot remount {path} read-only")
            yield "read-only bind mount"
        finally:
            subprocess.run(["umount", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield "chmod"
    finally:
        path.chmod(mode)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_archive_stops_the_crawl_with_a_clear_error(tmp_path, small_site, what) -> None:
    server, entries = small_site
    folder = tmp_path / "archive"
    folder.mkdir()  # Triglot never creates an archive's folder (a typo must not create one)
    db = folder / "archive.db"
    first = crawl(db, entries[:1])
    assert first.returncode == 0, first.stderr[-3000:]
    before = table_counts(db)
    with read_only(db if what == "file" else folder):
        done = crawl(db, entries[1:])
        stats = stats_of(done)
    assert done.returncode != 0
    assert f"crawl stopped: archive {db} cannot be written" in done.stderr
    assert stats["finish_reason"] == "archive_unwritable"
    assert str(db) in stats["archive_error"]
    assert "Traceback" not in done.stderr
    assert table_counts(db) == before
    assert_archive_whole(db)


@pytest.mark.parametrize("what", ["file", "folder"])
@pytest.mark.parametrize("command", ["crawl", "run"])
def test_triglot_commands_fail_clearly_on_a_read_only_archive(tmp_path, small_site, command, what):
    server, entries = small_site
    folder = tmp_path / "archive"
    folder.mkdir()  # Triglot never creates an archive's folder (a typo must not create one)
    db = folder / "archive.db"
    assert crawl(db, entries[:1]).returncode == 0
    before = table_counts(db)
    triglot = [str(Path(sys.executable).parent / "triglot"), command, "--db", str(db)]
    if command == "crawl":
        triglot += ["--url", entries[1]]
    with read_only(db if what == "file" else folder):
        done = subprocess.run(triglot, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert done.returncode == 4, (done.stdout, done.stderr[-2000:])
    assert str(db) in done.stderr
    assert "Traceback" not in done.stderr
    assert table_counts(db) == before
    assert_archive_whole(db)


@pytest.fixture()
def small_disk(tmp_path) -> Iterator[tuple[Path, list[str]]]:
    """A 1 MiB tmpfs for the archive when this process may mount one; otherwise a normal
    folder and the crawler's TRIGLOT_DB_MAX_PAGES (PRAGMA max_page_count) as the limit."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)):
        try:
            yield folder, []
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return
    archive.open_db(folder / "archive.db").close()
    pages = scalar(folder / "archive.db", "pragma page_count")
    yield folder, ["--set", f"TRIGLOT_DB_MAX_PAGES={pages + 40}"]


def test_full_disk_stops_the_crawl_and_keeps_whole_snapshots(tmp_path, small_disk) -> None:
    folder, limit = small_disk
    db = folder / "archive.db"
    with FaultServer() as server:
        server.route_prefix("/site/", static_dir(tmp_path / "site", "/site/"))
        entries = generate_site(tmp_path / "site", server, 120)
        done = crawl(db, entries, *limit)
    stats = stats_of(done)
    assert done.returncode != 0
    assert f"archive {db} cannot be written" in done.stderr
    assert "full" in stats["archive_error"]
    assert stats["finish_reason"] == "archive_unwritable"
    stored = scalar(db, "select count(*) from snapshots")
    assert 0 < stored < 360  # some pages fitted, the disk ran out before the rest
    assert_archive_whole(db)
    assert assert_captures_whole(db) == stored

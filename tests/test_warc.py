"""Raw captures in WARC: real crawls of the sample outlets (Scrapy in a subprocess, pages on
loopback) into a real archive, the .warc.gz files read back with warcio, the `triglot`
commands run as a user runs them, Datasette through its test client."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from archive.captures import (
    CaptureStore,
    _records_bytes,
    default_folder,
    last_complete_member,
    read_capture,
    resolve_name,
)
from triglot.sample_site import SampleSite, expected, profiles_dir
from triglot.serve import make_datasette

REPO = Path(__file__).resolve().parents[1]
OUTLETS = ("dnipro", "polissia", "karpaty")
FAST = ["--set", "AUTOTHROTTLE_START_DELAY=0", "--set", "DOWNLOAD_DELAY=0"]
FAST += ["--set", "LOG_LEVEL=WARNING"]
# every fetch answered in full (no If-None-Match): the archive, not a 304, decides
NO_CONDITIONAL = json.dumps(
    {
        "crawler.middlewares.ConditionalRequestMiddleware": None,
        "crawler.middlewares.RedirectGuardMiddleware": 650,
        "crawler.middlewares.CaptureMiddleware": 595,
    }
)
TRIGLOT = str(Path(sys.executable).parent / "triglot")


def crawl(
    site: SampleSite, db: Path, *, profile_dir: Path | None = None, settings: tuple = ()
) -> dict:
    command = [sys.executable, "-m", "crawler.runner", "--db", str(db), *FAST]
    for setting in settings:
        command += ["--set", setting]
    command += ["--profile-dir", str(profile_dir or profiles_dir())]
    for name in OUTLETS:
        command += ["--base-url", f"{name}={site.base_url}", "--site", name]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def triglot(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([TRIGLOT, *args], cwd=cwd, capture_output=True, text=True, timeout=180)


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def snapshot_rows(db: Path) -> list[dict]:
    return list(
        sqlite_utils.Database(db).query(
            "select s.*, e.url from snapshots s join editions e on e.id = s.edition_id "
            "order by s.id"
        )
    )


def warc_records(folder: Path) -> list[tuple[Path, int, str, object]]:
    """(file, offset, type, record headers) of every record, digests checked by warcio."""
    found = []
    for path in sorted(folder.glob("*.warc.gz")):
        with open(path, "rb") as handle:
            iterator = ArchiveIterator(handle, check_digests="raise")
            for record in iterator:
                record.content_stream().read()  # reading checks the digests
                found.append((path, iterator.offset, record.rec_type, record.rec_headers))
    return found


def assert_one_response_per_snapshot(db: Path) -> list[dict]:
    rows = snapshot_rows(db)
    assert rows
    records = warc_records(default_folder(db))
    responses = {(p.resolve(), off): h for p, off, kind, h in records if kind == "response"}
    requests = [h for _, _, kind, h in records if kind == "request"]
    assert len(responses) == len(rows)
    concurrent = {h.get_header("WARC-Concurrent-To") for h in requests}
    for row in rows:
        path = resolve_name(row["capture_file"], db).resolve()
        headers = responses[(path, row["capture_offset"])]
        assert headers.get_header("WARC-Target-URI") == row["url"]
        assert headers.get_header("WARC-Payload-Digest") == row["capture_digest"]
        assert headers.get_header("WARC-Record-ID") in concurrent  # its request record
        stored = read_capture(path, row["capture_offset"], row["capture_length"])
        assert sha1_b32(stored.payload) == row["capture_digest"]
        assert stored.status == 200
    return rows


# ---------------------------------------------------------------- a crawl of the outlets


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("warc") / "archive.db"
    with SampleSite(port=0) as site:
        first = crawl(site, db)
        files_after_first = {p: p.stat().st_size for p in default_folder(db).glob("*.warc.gz")}
        second = crawl(site, db)  # everything answers 304
        third = crawl(site, db, settings=("DOWNLOADER_MIDDLEWARES=" + NO_CONDITIONAL,))
    yield {
        "db": db,
        "first": first,
        "second": second,
        "third": third,
        "files_after_first": files_after_first,
    }


def test_one_readable_response_record_per_snapshot(crawled) -> None:
    db = crawled["db"]
    rows = assert_one_response_per_snapshot(db)
    assert len(rows) == crawled["first"]["new_snapshots"] == 29
    assert all(row["extractor_version"] for row in rows)


def test_record_holds_the_bytes_as_received(crawled) -> None:
    """Status line, headers and the body as the server sent it: the sample site serves
    the legacy page as windows-1251 bytes, which the record keeps undecoded."""
    db = crawled["db"]
    (legacy,) = expected()["hard_cases"]["legacy_charset"]
    row = next(r for r in snapshot_rows(db) if r["url"].endswith(legacy))
    stored = read_capture(
        resolve_name(row["capture_file"], db), row["capture_offset"], row["capture_length"]
    )
    page = (REPO / "triglot/sample_site/pages" / legacy.lstrip("/")).read_bytes()
    assert stored.body == page
    assert stored.header("ETag")
    with gzip.open(resolve_name(row["capture_file"], db)) as whole:
        assert b"WARC/1.1" in whole.read(200)


def test_unchanged_rechecks_write_nothing(crawled) -> None:
    """A 304, or a 200 whose content is unchanged, is a check in the archive, not a record."""
    assert crawled["second"]["not_modified"] == 29
    assert crawled["third"]["unchanged"] == 29 and crawled["third"]["new_snapshots"] == 0
    after = {p: p.stat().st_size for p in default_folder(crawled["db"]).glob("*.warc.gz")}
    # a later crawl appends to the newest file only when it has something to write
    assert {p: s for p, s in after.items() if p in crawled["files_after_first"]} == crawled[
        "files_after_first"
    ]
    assert len(warc_records(default_folder(crawled["db"]))) == 1 + 2 * 29  # warcinfo first


def test_export_warc_reads_back_with_digests(crawled, tmp_path) -> None:
    db = crawled["db"]
    out = tmp_path / "out.warc.gz"
    done = triglot("export", "warc", str(out), "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "29 responses and 29 requests" in done.stdout
    with open(out, "rb") as handle:
        records = []
        for record in ArchiveIterator(handle, check_digests="raise"):
            payload = record.raw_stream.read()
            records.append((record.rec_type, record.rec_headers, payload))
    assert records[0][0] == "warcinfo"
    responses = [r for r in records if r[0] == "response"]
    digests = {row["capture_digest"] for row in snapshot_rows(db)}
    assert {h.get_header("WARC-Payload-Digest") for _, h, _ in responses} == digests
    assert all(sha1_b32(p) == h.get_header("WARC-Payload-Digest") for _, h, p in responses)
    # --site narrows it; an unknown site exports an empty (but valid) WARC
    done = triglot("export", "warc", str(out), "--db", str(db), "--site", "karpaty", cwd=tmp_path)
    karpaty = sum(1 for r in snapshot_rows(db) if "/karpaty/" in r["url"])
    assert f"{karpaty} responses" in done.stdout
    done = triglot("export", "warc", str(out), "--db", str(db), "--since", "2999", cwd=tmp_path)
    assert "0 responses" in done.stdout
    with open(out, "rb") as handle:
        assert [r.rec_type for r in ArchiveIterator(handle)] == ["warcinfo"]


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_reextract_all_without_an_extractor_change_changes_nothing(crawled, tmp_path) -> None:
    db = crawled["db"]
    before = dump(db)
    done = triglot(
        "reextract", "--all", "--db", str(db), "--profile-dir", str(profiles_dir()), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "29 captures read, 0 updated, 29 same" in done.stdout
    assert dump(db) == before
    # without --all nothing is stale: nothing is even read
    done = triglot("reextract", "--db", str(db), "--profile-dir", str(profiles_dir()), cwd=tmp_path)
    assert "0 captures read" in done.stdout and "29 already current" in done.stdout


def test_reextract_without_the_sites_profile_leaves_every_snapshot_as_it_was(
    crawled, tmp_path
) -> None:
    """The sample sites' profiles are not built in: without --profile-dir a generic re-read
    would replace each profile reading with a weaker one, so nothing may change."""
    db = crawled["db"]
    before = dump(db)
    done = triglot("reextract", "--all", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert "29 captures read, 0 updated, 0 same, 29 unreadable" in done.stdout
    assert "profile polissia unavailable" in done.stderr and "--profile-dir" in done.stderr
    assert done.stderr.count("profile polissia unavailable (") == 1  # named once, not per page
    assert dump(db) == before


# ---------------------------------------------------------------- extractor changes


def crippled_profiles(folder: Path) -> Path:
    """The sample profiles, polissia's dropping each story's lead paragraph (an extractor
    that misses the standfirst, as the issue saw on real sites)."""
    folder.mkdir()
    for path in profiles_dir().glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "polissia":
            text = text.replace(
                'drop = ["div.newsImage",',
                'drop = ["div.newsText > p:first-of-type", "div.newsImage",',
            )
            assert "first-of-type" in text
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def polissia_paths() -> list[str]:
    return [p for p in expected()["pages"] if p.startswith("/polissia/") and "/news/" in p]


def current_paragraphs(db: Path) -> dict[str, list[str]]:
    rows = sqlite_utils.Database(db).query(
        "select e.url, p.text from editions e join paragraphs p on "
        "p.snapshot_id = e.current_snapshot_id order by e.id, p.idx"
    )
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault("/" + row["url"].split("/", 3)[3], []).append(row["text"])
    return out


def version_divergences(db: Path) -> int:
    return (
        sqlite_utils.Database(db)
        .execute("select count(*) from divergences where scope = 'version' and resolved_at is null")
        .fetchone()[0]
    )


def fts_consistent(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("insert into paragraphs_fts(paragraphs_fts) values ('integrity-check')")
        first = conn.execute(
            "select text from paragraphs p join editions e on e.current_snapshot_id = "
            "p.snapshot_id where e.url like '%/polissia/news/%' and p.idx = 0 limit 1"
        ).fetchone()[0]
        word = first.split()[0].strip(",.")
        hits = conn.execute(
            "select count(*) from paragraphs_fts where paragraphs_fts match ?", [f'"{word}"']
        ).fetchone()[0]
        assert hits >= 1
    finally:
        conn.close()


def test_an_extractor_change_is_never_an_edit(tmp_path, site) -> None:
    """Crawl with an extractor that misses the lead; fix it; recrawl the unchanged pages:
    the stored version is re-read from its capture first, so nothing is a new version."""
    db = tmp_path / "archive.db"
    gold = expected()["pages"]
    crawl(site, db, profile_dir=crippled_profiles(tmp_path / "v1"))
    missed = current_paragraphs(db)
    for path in polissia_paths():
        assert missed[path] == gold[path]["paragraphs"][1:]  # the lead was lost
    assert triglot("diff", "--db", str(db), cwd=tmp_path).returncode == 0
    snapshots = len(snapshot_rows(db))
    stats = crawl(site, db, settings=("DOWNLOADER_MIDDLEWARES=" + NO_CONDITIONAL,))
    assert stats["new_snapshots"] == 0
    assert stats["unchanged"] == 29
    assert len(snapshot_rows(db)) == snapshots
    recovered = current_paragraphs(db)
    for path in polissia_paths():
        assert recovered[path] == gold[path]["paragraphs"]
    versions = {r["extractor_version"] for r in snapshot_rows(db) if "/polissia/" in r["url"]}
    assert len(versions) == 1
    done = triglot("diff", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert version_divergences(db) == 0
    fts_consistent(db)


def test_reextract_recovers_paragraphs_without_version_divergence(tmp_path, site) -> None:
    db = tmp_path / "archive.db"
    gold = expected()["pages"]
    crawl(site, db, profile_dir=crippled_profiles(tmp_path / "v1"))
    assert triglot("diff", "--db", str(db), cwd=tmp_path).returncode == 0
    ids_before = {r["id"] for r in snapshot_rows(db)}
    done = triglot("reextract", "--db", str(db), "--profile-dir", str(profiles_dir()), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    polissia = len(polissia_paths())
    assert f"{polissia} captures read, {polissia} updated" in done.stdout
    assert "articles re-derived" in done.stdout
    assert {r["id"] for r in snapshot_rows(db)} == ids_before
    recovered = current_paragraphs(db)
    for path in polissia_paths():
        assert recovered[path] == gold[path]["paragraphs"]
    assert version_divergences(db) == 0
    # the recovered leads have their figures (the diff stage re-derived them)
    leads_without_figures = (
        sqlite_utils.Database(db)
        .execute(
            "select count(*) from paragraphs p join editions e on e.current_snapshot_id = "
            "p.snapshot_id where e.url like '%/polissia/%' and p.idx = 0 and p.text glob '*[0-9]*' "
            "and not exists (select 1 from figures f where f.paragraph_id = p.id)"
        )
        .fetchone()[0]
    )
    assert leads_without_figures == 0
    fts_consistent(db)
    assert sqlite_utils.Database(db).execute("pragma foreign_key_check").fetchall() == []


# ---------------------------------------------------------------- the writer itself


def capture(number: int, size: int = 3000) -> dict:
    body = gzip.compress(os.urandom(size // 2).hex().encode()[:size])
    return {
        "url": f"http://127.0.0.1/story/{number}",
        "method": "GET",
        "request_headers": [["Host", "127.0.0.1"], ["Accept-Encoding", "gzip"]],
        "status": 200,
        "response_headers": [
            ["Content-Type", "text/html; charset=utf-8"],
            ["Content-Encoding", "gzip"],
            ["Transfer-Encoding", "chunked"],
        ],
        "body": body,
        "fetched_at": "2026-03-14T10:00:00+00:00",
    }


def test_files_rotate_at_the_size_limit_and_every_file_reads(tmp_path) -> None:
    db = tmp_path / "a.db"
    store = CaptureStore(default_folder(db), db, max_bytes=20_000).open()
    refs = [store.write(capture(n)) for n in range(30)]
    store.close()
    files = sorted(default_folder(db).glob("*.warc.gz"))
    assert len(files) >= 4
    assert all(f.stat().st_size < 20_000 + 10_000 for f in files)
    assert not list(default_folder(db).glob("*.open"))
    records = warc_records(default_folder(db))
    assert sum(kind == "warcinfo" for _, _, kind, _ in records) == len(files)
    for n, ref in enumerate(refs):
        stored = read_capture(resolve_name(ref.file, db), ref.offset, ref.length)
        assert stored.payload == capture(n)["body"] or stored.url.endswith(f"/{n}")
        assert stored.header("Transfer-Encoding") is None  # already undone by Twisted
        assert sha1_b32(stored.payload) == ref.digest


def test_a_record_cut_by_a_killed_writer_is_repaired_on_the_next_open(tmp_path) -> None:
    db = tmp_path / "a.db"
    folder = default_folder(db)
    store = CaptureStore(folder, db).open()
    kept = [store.write(capture(n)) for n in range(3)]
    path = resolve_name(kept[0].file, db)
    whole = path.stat().st_size
    # what kill -9 mid-write leaves: part of a member, and the writer's .open marker
    data, _, _ = _records_bytes(capture(99))
    with open(path, "ab") as handle:
        handle.write(data[: len(data) // 2])
    os.close(store._fd)  # the process is gone: its lock goes, its marker stays
    store._fd = None
    assert (path.with_name(path.name + ".open")).exists()
    # warcio reads a cut member without complaint: a fourth, truncated, response
    assert sum(kind == "response" for _, _, kind, _ in warc_records(folder)) == 4
    assert last_complete_member(path) == whole
    again = CaptureStore(folder, db).open()
    assert path.stat().st_size == whole
    more = again.write(capture(4))
    again.close()
    records = warc_records(folder)
    assert sum(kind == "response" for _, _, kind, _ in records) == 4
    for ref in [*kept, more]:
        read_capture(resolve_name(ref.file, db), ref.offset, ref.length)


def test_a_second_writer_never_shares_a_file(tmp_path) -> None:
    db = tmp_path / "a.db"
    one = CaptureStore(default_folder(db), db).open()
    two = CaptureStore(default_folder(db), db).open()
    a, b = one.write(capture(1)), two.write(capture(2))
    assert a.file != b.file
    one.close()
    two.close()
    assert len(warc_records(default_folder(db))) == 2 + 4


# ---------------------------------------------------------------- Datasette


@pytest.mark.asyncio
async def test_article_page_links_each_version_to_its_sandboxed_capture(crawled) -> None:
    db = crawled["db"]
    row = snapshot_rows(db)[0]
    article_id = (
        sqlite_utils.Database(db)
        .execute("select article_id from editions where id = ?", [row["edition_id"]])
        .fetchone()[0]
    )
    ds = make_datasette(db)
    page = await ds.client.get(f"/-/triglot/article/{article_id}")
    assert page.status_code == 200
    assert f'href="/-/triglot/capture/{row["id"]}"' in page.text
    framed = await ds.client.get(f"/-/triglot/capture/{row['id']}")
    assert framed.status_code == 200
    assert f'<iframe sandbox src="/-/triglot/capture/{row["id"]}/raw"' in framed.text
    raw = await ds.client.get(f"/-/triglot/capture/{row['id']}/raw")
    assert raw.status_code == 200
    csp = raw.headers["content-security-policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp
    assert "script-src" not in csp and "allow-scripts" not in csp
    stored = read_capture(
        resolve_name(row["capture_file"], db), row["capture_offset"], row["capture_length"]
    )
    assert raw.content == stored.body
    assert raw.headers["x-content-type-options"] == "nosniff"
    missing = await ds.client.get("/-/triglot/capture/999999/raw")
    assert missing.status_code == 404


def test_capture_bytes_roundtrip_through_gzip_members(tmp_path) -> None:
    """Each record is its own gzip member: the file is a plain concatenation."""
    db = tmp_path / "a.db"
    store = CaptureStore(default_folder(db), db).open()
    ref = store.write(capture(1))
    store.close()
    path = resolve_name(ref.file, db)
    with open(path, "rb") as handle:
        handle.seek(ref.offset)
        member = handle.read(ref.length)
    text = gzip.decompress(member)
    assert text.startswith(b"WARC/1.1\r\n") and b"WARC-Type: response" in text
    assert io.BytesIO(member).read(2) == b"\x1f\x8b"


# ---------------------------------------------------------------- migration, missing files


def test_a_version_1_archive_migrates_and_its_old_snapshots_are_left_alone(tmp_path) -> None:
    import archive
    from archive.schema import _v1_initial

    db_path = tmp_path / "old.db"
    old = sqlite_utils.Database(db_path)
    _v1_initial(old)
    old.execute("PRAGMA user_version = 1")
    old.execute("insert into articles (site, key, first_seen) values ('x', 'x:1', '2025')")
    old.execute(
        "insert into editions (article_id, url, first_seen, lang) values (1, 'http://x/1', "
        "'2025', 'uk')"
    )
    old.execute(
        "insert into snapshots (edition_id, fetched_at, content_hash) values (1, '2025', 'h')"
    )
    old.conn.commit()
    old.close()
    db = archive.open_db(db_path)
    assert archive.schema_version(db) == archive.SCHEMA_VERSION
    columns = {c.name for c in db["snapshots"].columns}
    assert {"capture_file", "capture_offset", "capture_length", "capture_digest"} <= columns
    assert "extractor_version" in columns
    db.close()
    done = triglot("reextract", "--all", "--db", str(db_path), cwd=tmp_path)
    assert done.returncode == 0 and "0 captures read" in done.stdout


def test_an_archive_made_while_migration_2_was_a_placeholder_gets_its_columns(tmp_path):
    import archive
    from archive.schema import _v1_initial

    db_path = tmp_path / "placeholder.db"
    old = sqlite_utils.Database(db_path)
    _v1_initial(old)
    old.execute("PRAGMA user_version = 2")  # main's empty migration 2, before this branch
    old.conn.commit()
    old.close()
    db = archive.open_db(db_path)
    assert archive.schema_version(db) == archive.SCHEMA_VERSION
    columns = {c.name for c in db["snapshots"].columns}
    assert {"capture_file", "capture_digest", "extractor_version"} <= columns
    assert "table_counts" in db.table_names()  # migration 3 ran too


def test_a_missing_capture_file_is_reported_and_nothing_changes(crawled, tmp_path) -> None:
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(crawled["db"], db)
    shutil.copytree(default_folder(crawled["db"]), default_folder(db))
    for path in default_folder(db).glob("*.warc.gz"):
        path.unlink()
    before = dump(db)
    done = triglot(
        "reextract", "--all", "--db", str(db), "--profile-dir", str(profiles_dir()), cwd=tmp_path
    )
    assert done.returncode == 3, done.stderr
    assert "29 unreadable" in done.stdout and "Traceback" not in done.stderr
    assert dump(db) == before
    out = tmp_path / "x.warc.gz"
    done = triglot("export", "warc", str(out), "--db", str(db), cwd=tmp_path)
    assert done.returncode == 3 and "29 captures missing" in done.stdout

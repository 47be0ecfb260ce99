"""`triglot reextract` and `triglot export warc`: the stored raw captures put to use.

reextract reads every chosen capture again with the current extractor (crawler.rereading)
and brings its snapshot up to date in place, one snapshot per transaction, then lets the
diff stage re-derive the articles whose text changed. export copies the chosen captures'
records, byte for byte, into one WARC file (warcinfo first) that replay tools read.
"""

from __future__ import annotations

import io
import os
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive import read
from archive.captures import SOFTWARE, payload_digest, read_records, resolve_name
from archive.store import write_transaction
from crawler.extract import EXTRACTOR_VERSION
from crawler.rereading import ProfileFor, default_profile_for, profile_digest, reread_snapshot


def is_current(recorded: str | None, profile_part: str | None) -> bool:
    """Whether a recorded reading_version is this extractor's (a learned template aside)."""
    if not recorded:
        return False
    page_part, _, digest = recorded.partition("+p")
    return page_part.split("+t")[0] == EXTRACTOR_VERSION and (digest or None) == profile_part


@dataclass
class ReextractReport:
    outcomes: Counter = field(default_factory=Counter)
    skipped_current: int = 0
    articles_rederived: int = 0
    diff_errors: int = 0

    @property
    def read(self) -> int:
        return sum(self.outcomes.values())


def reextract(
    db: sqlite_utils.Database,
    db_path: str | Path,
    *,
    site: str | None = None,
    since: str | None = None,
    everything: bool = False,
    profile_for: ProfileFor | None = None,
    rederive: bool = True,
) -> ReextractReport:
    """Re-read stored captures (stale ones, or ``everything``) and re-derive what changed."""
    lookup = profile_for or default_profile_for()
    report = ReextractReport()
    for chosen in read.captured_snapshots(db, site=site, since=since):
        snapshot_id, snapshot_site, recorded, url = chosen[:4]
        if not everything and is_current(recorded, profile_digest(lookup(snapshot_site, url))):
            report.skipped_current += 1
            continue
        with write_transaction(db):
            result = reread_snapshot(db, snapshot_id, db_path=db_path, profile_for=lookup)
        report.outcomes[result.outcome] += 1
    if rederive and report.outcomes["changed"]:
        from triglot.diffstage import run_diff

        diffed = run_diff(db)
        report.articles_rederived = diffed.articles
        report.diff_errors = diffed.errors
    return report


# ---------------------------------------------------------------------- export


def _member_length(path: Path, offset: int) -> int:
    """Length of the gzip member starting at offset (0 when none is complete there)."""
    decoder = zlib.decompressobj(wbits=31)
    consumed = 0
    with open(path, "rb") as handle:
        handle.seek(offset)
        while not decoder.eof:
            chunk = handle.read(1 << 16)
            if not chunk:
                return 0
            try:
                decoder.decompress(chunk)
            except zlib.error:
                return 0
            consumed += len(chunk) - len(decoder.unused_data)
    return consumed


@dataclass
class ExportReport:
    responses: int = 0
    requests: int = 0
    digest_mismatches: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)


def export_warc(
    db: sqlite_utils.Database,
    db_path: str | Path,
    out: str | Path,
    *,
    site: str | None = None,
    since: str | None = None,
) -> ExportReport:
    """Write the chosen captures (response + request records) as one WARC, warcinfo first.

    Records are copied as stored, so their digests hold; each response's payload digest is
    checked against the snapshot's and a mismatch is reported (the record is still copied,
    as evidence of what is on disk). Written to a temporary file, renamed at the end.
    """
    out = Path(out)
    report = ExportReport()
    rows = [
        (c.id, c.capture_file, c.capture_offset, c.capture_length, c.capture_digest)
        for c in read.captured_snapshots(db, site=site, since=since)
    ]
    temporary = out.with_name(out.name + ".part")
    with open(temporary, "wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        info = {"software": SOFTWARE, "format": "WARC File Format 1.1", "isPartOf": "triglot"}
        writer.write_record(writer.create_warcinfo_record(out.name, info))
        for snapshot_id, name, offset, length, digest in rows:
            path = resolve_name(name, db_path)
            try:
                response = read_records(path, offset, length)
            except (OSError, ValueError):
                report.missing.append(snapshot_id)
                continue
            record = next(iter(ArchiveIterator(io.BytesIO(response))))
            if payload_digest(record.raw_stream.read()) != digest:
                report.digest_mismatches.append(snapshot_id)
            handle.write(response)
            report.responses += 1
            request = _request_after(path, offset + length, record)
            if request:
                handle.write(request)
                report.requests += 1
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, out)
    return report


def _request_after(path: Path, offset: int, response: Any) -> bytes | None:
    """The request record written right after a response, if it is that response's."""
    length = _member_length(path, offset)
    if not length:
        return None
    data = read_records(path, offset, length)
    record = next(iter(ArchiveIterator(io.BytesIO(data))), None)
    response_id = response.rec_headers.get_header("WARC-Record-ID")
    if (
        record is None
        or record.rec_type != "request"
        or record.rec_headers.get_header("WARC-Concurrent-To") != response_id
    ):
        return None
    return data


# ---------------------------------------------------------------------- the commands


def run_reextract(
    ctx: Any,
    site: str | None,
    since: str | None,
    everything: bool,
    profile_dirs: list[str],
    echo: Any,
) -> int:
    """`triglot reextract`: returns the exit code."""
    from triglot import exitcodes

    config = ctx.config
    lookup = default_profile_for([*profile_dirs, *config.crawl.profile_dirs], config.base_urls)
    db = ctx.open_db()
    report = reextract(
        db, ctx.db_path, site=site, since=since, everything=everything, profile_for=lookup
    )
    o = report.outcomes
    echo(
        f"reextract: {report.read} captures read, {o['changed']} updated, {o['same']} same, "
        f"{o['unreadable']} unreadable, {o['empty']} without text now, "
        f"{report.skipped_current} already current; "
        f"{report.articles_rederived} articles re-derived"
    )
    return exitcodes.PARTIAL if o["unreadable"] or o["empty"] or report.diff_errors else 0


def run_export(ctx: Any, out: str, site: str | None, since: str | None, echo: Any) -> int:
    """`triglot export warc`: returns the exit code."""
    from triglot import exitcodes

    try:
        report = export_warc(ctx.open_db(), ctx.db_path, out, site=site, since=since)
    except OSError as error:
        echo(f"triglot export: cannot write {out}: {error}", err=True)
        return exitcodes.NOTHING_DONE
    echo(
        f"export: {report.responses} responses and {report.requests} requests written to {out}"
        + (f"; {len(report.missing)} captures missing" if report.missing else "")
        + (
            f"; {len(report.digest_mismatches)} digest mismatches"
            if report.digest_mismatches
            else ""
        )
    )
    return exitcodes.PARTIAL if report.missing or report.digest_mismatches else exitcodes.OK

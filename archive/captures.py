"""Raw captures: every page that became a snapshot, as received, in rotating WARC files.

The archive's snapshots hold what the extractor read; the WARC files hold what the server
sent (status line, headers, body before content decoding), so a page can be re-read after
the extractor improves and shown to a reader as it was. Records are written through
warcio: one WARC/1.1 ``response`` record and its ``request`` record (WARC-Concurrent-To),
each its own gzip member, with WARC-Payload-Digest and WARC-Block-Digest.

Crash safety, in the order things happen for a new snapshot:

1. both records are appended in one write, flushed and fsync'ed;
2. only then does the snapshot row (file, offset, length, payload digest) commit.

So a snapshot row never points at a record that is not wholly on disk; a crash between 1
and 2 leaves a record no row points at, which costs bytes, never consistency. A failed
write is truncated back at once. A writer that was killed mid-write leaves its
``<file>.open`` marker behind; the next writer to open the folder cuts that file back to
its last complete gzip member, so every file stays readable by warcio's ArchiveIterator.

Each writer process owns the file it appends to (an exclusive flock held while open), so
two crawls never interleave bytes in one file; the second one starts its own file.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import io
import logging
import os
import re
import types
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 1_000_000_000  # what Heritrix and warcprox rotate at
SOFTWARE = "Triglot (warcio)"
_OPEN_SUFFIX = ".open"
# headers that describe the connection, not the message: Twisted has already undone the
# chunking, so keeping "Transfer-Encoding: chunked" would mislabel the body stored
_HOP_BY_HOP = {"transfer-encoding"}


class CaptureError(OSError):
    """The captures folder cannot be written (full disk, read-only, I/O error)."""


@dataclass(frozen=True)
class CaptureRef:
    """Where one response record lives: what a snapshot row records."""

    file: str  # relative to the archive's folder when inside it, else absolute
    offset: int
    length: int  # of the response record's gzip member
    digest: str  # WARC-Payload-Digest, "sha1:<base32>"


def default_folder(db_path: str | Path) -> Path:
    """``<archive stem>-warc/`` beside the archive file."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-warc")


def stored_name(path: Path, db_path: str | Path) -> str:
    """A capture's file as a snapshot row records it: relative to the archive's folder."""
    base = Path(db_path).resolve().parent
    path = path.resolve()
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def resolve_name(name: str, db_path: str | Path) -> Path:
    """The file a snapshot row's capture_file names."""
    path = Path(name)
    return path if path.is_absolute() else Path(db_path).resolve().parent / path


def payload_digest(payload: bytes) -> str:
    """WARC-Payload-Digest as warcio writes it: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


def _warc_date(fetched_at: str | None) -> str:
    if fetched_at:
        moment = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    else:
        moment = datetime.now(UTC)
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def _pairs(values: Any) -> list[tuple[str, str]]:
    """Header pairs from the capture, made safe for an HTTP header block."""
    out = []
    for name, value in values or []:
        name, value = str(name), str(value)
        if name.lower() in _HOP_BY_HOP:
            continue
        out.append((name, value.replace("\r", " ").replace("\n", " ")))
    return out


_deflate: types.ModuleType
try:  # ISA-L's deflate: level 1 is 5x faster than zlib's level 1 and compresses better
    from isal import isal_zlib as _deflate

    GZIP_LEVEL = 1
except ImportError:  # pragma: no cover - a platform without isal wheels: plain zlib
    _deflate = zlib
    GZIP_LEVEL = 6


def _gzip_member(record: Any) -> bytes:
    """One record, serialised by warcio (digests and all), as its own gzip member.

    warcio's own gzip writer deflates at level 9: 3 ms for a 110 KB page, which on a
    busy two-core crawler is a third of a page's whole budget. The member is the same
    standard gzip; only the compressor differs.
    """
    plain = io.BytesIO()
    WARCWriter(plain, gzip=False, warc_version="1.1").write_record(record)
    compressor = _deflate.compressobj(GZIP_LEVEL, _deflate.DEFLATED, 31)
    return compressor.compress(plain.getvalue()) + compressor.flush()


def _records_bytes(capture: dict[str, Any]) -> tuple[bytes, int, str]:
    """(response member + request member, length of the response member, payload digest)."""
    writer = WARCWriter(io.BytesIO(), gzip=False, warc_version="1.1")
    url = capture["url"]
    date = _warc_date(capture.get("fetched_at"))
    status = int(capture.get("status") or 200)
    reason = capture.get("reason") or _reason(status)
    protocol = capture.get("http_version") or "HTTP/1.1"
    body = capture.get("body") or b""
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=StatusAndHeaders(
            f"{status} {reason}", _pairs(capture.get("response_headers")), protocol=protocol
        ),
        warc_headers_dict={"WARC-Date": date},
    )
    response_member = _gzip_member(response)
    method = capture.get("method") or "GET"
    target = capture.get("request_target") or _request_target(url)
    request = writer.create_warc_record(
        url,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        http_headers=StatusAndHeaders(
            f"{method} {target} {protocol}",
            _pairs(capture.get("request_headers")),
            protocol=protocol,
            is_http_request=True,
        ),
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        },
    )
    digest = response.rec_headers.get_header("WARC-Payload-Digest")
    return response_member + _gzip_member(request), len(response_member), digest


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _request_target(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _warcinfo_bytes(filename: str) -> bytes:
    writer = WARCWriter(io.BytesIO(), gzip=False, warc_version="1.1")
    info = {"software": SOFTWARE, "format": "WARC File Format 1.1", "isPartOf": "triglot"}
    return _gzip_member(writer.create_warcinfo_record(filename, info))


def last_complete_member(path: Path) -> int:
    """Byte length of the file's leading run of complete gzip members (all of it when whole).

    zlib reports where each member ends; a member cut short (kill -9 mid-write) or garbage
    after the last one ends the run.
    """
    good = 0
    with open(path, "rb") as handle:
        data = b""
        position = 0  # file offset of data[0]
        decoder = zlib.decompressobj(wbits=31)
        eof = False
        while True:
            chunk = handle.read(1 << 20)
            if not chunk:
                eof = True
            data += chunk
            while data:
                try:
                    decoder.decompress(data)
                except zlib.error:
                    return good
                if not decoder.eof:
                    position += len(data)
                    data = b""
                    break
                consumed = len(data) - len(decoder.unused_data)
                position += consumed
                good = position
                data = decoder.unused_data
                decoder = zlib.decompressobj(wbits=31)
            if eof:
                return good


class CaptureStore:
    """Appends capture records to rotating ``<stem>-NNNNN.warc.gz`` files in one folder."""

    def __init__(
        self, folder: str | Path, db_path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        if max_bytes <= 0:
            raise ValueError("the WARC file size limit must be positive")
        self.folder = Path(folder)
        self.db_path = Path(db_path)
        self.max_bytes = int(max_bytes)
        self.stem = self.db_path.stem
        self._fd: int | None = None
        self._path: Path | None = None
        self.records_written = 0
        self.bytes_written = 0
        self._opened = False
        self._dirty = False

    # ------------------------------------------------------------------ opening

    def open(self) -> CaptureStore:
        """Create the folder and repair files whose writer died mid-write. Raises CaptureError."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for marker in sorted(self.folder.glob(f"*.warc.gz{_OPEN_SUFFIX}")):
                self._repair_abandoned(marker.with_name(marker.name[: -len(_OPEN_SUFFIX)]))
        except OSError as error:
            raise CaptureError(_describe(error, self.folder)) from error
        self._opened = True
        return self

    def _repair_abandoned(self, path: Path) -> None:
        marker = path.with_name(path.name + _OPEN_SUFFIX)
        if not path.exists():
            marker.unlink(missing_ok=True)
            return
        fd = os.open(path, os.O_RDWR)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a live writer owns it
            size = os.fstat(fd).st_size
            good = last_complete_member(path)
            if good < size:
                os.ftruncate(fd, good)
                os.fsync(fd)
                logger.warning(
                    "%s: cut %d bytes of a record left unfinished by a killed writer",
                    path,
                    size - good,
                )
            marker.unlink(missing_ok=True)
        finally:
            os.close(fd)

    def _files(self) -> list[tuple[int, Path]]:
        pattern = re.compile(rf"^{re.escape(self.stem)}-(\d+)\.warc\.gz$")
        found = []
        for path in self.folder.glob(f"{self.stem}-*.warc.gz"):
            match = pattern.match(path.name)
            if match:
                found.append((int(match.group(1)), path))
        return sorted(found)

    def _take_file(self) -> None:
        """The newest file if nobody holds it and it has room, else a new one."""
        files = self._files()
        if files:
            path = files[-1][1]
            if path.stat().st_size < self.max_bytes and self._lock(path, create=False):
                return
        number = files[-1][0] + 1 if files else 1
        while True:
            path = self.folder / f"{self.stem}-{number:05d}.warc.gz"
            if self._lock(path, create=True):
                return
            number += 1

    def _lock(self, path: Path, *, create: bool) -> bool:
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT | os.O_EXCL if create else 0)
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        path.with_name(path.name + _OPEN_SUFFIX).touch()
        self._fd, self._path = fd, path
        if create:
            self._append(_warcinfo_bytes(path.name))
        return True

    # ------------------------------------------------------------------ writing

    def write(self, capture: dict[str, Any], *, sync: bool = True) -> CaptureRef:
        """Append the capture's response + request records. Raises CaptureError.

        With sync (the default) they are fsync'ed before this returns; with sync=False the
        caller calls sync() before it commits anything that points at them (group commit:
        one fsync for a batch of snapshots).
        """
        data, response_length, digest = _records_bytes(capture)
        if not self._opened:
            self.open()
        try:
            if self._fd is not None and os.fstat(self._fd).st_size >= self.max_bytes:
                self._release()
            if self._fd is None:
                self._take_file()
            offset = self._append(data, sync=sync)
        except OSError as error:
            raise CaptureError(_describe(error, self.folder)) from error
        self.records_written += 1
        self.bytes_written += len(data)
        assert self._path is not None
        return CaptureRef(
            stored_name(self._path, self.db_path),
            offset,
            response_length,
            digest,
        )

    def sync(self) -> None:
        """fsync what was written with sync=False. Raises CaptureError."""
        if self._fd is not None and self._dirty:
            try:
                os.fsync(self._fd)
            except OSError as error:
                raise CaptureError(_describe(error, self.folder)) from error
            self._dirty = False

    def _append(self, data: bytes, *, sync: bool = True) -> int:
        """Write data at the end (and fsync it); on failure cut the file back."""
        assert self._fd is not None
        offset = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            if sync:
                os.fsync(self._fd)
            else:
                self._dirty = True
        except OSError:
            try:
                os.ftruncate(self._fd, offset)
            except OSError:
                logger.error("could not cut %s back after a failed write", self._path)
            raise
        return offset

    def _release(self) -> None:
        try:
            self.sync()  # a file is never left with records that are not on disk
        finally:
            fd, path = self._fd, self._path
            self._fd = self._path = None
            if fd is not None:
                os.close(fd)  # drops the flock
        if path is not None:
            path.with_name(path.name + _OPEN_SUFFIX).unlink(missing_ok=True)

    def close(self) -> None:
        """Close the current file cleanly (its .open marker goes)."""
        self._release()


def _describe(error: OSError, folder: Path) -> str:
    import errno

    if error.errno == errno.ENOSPC:
        return f"WARC folder {folder}: disk full ({error.strerror})"
    return f"WARC folder {folder} cannot be written: {error}"


# ---------------------------------------------------------------------- reading


@dataclass
class StoredCapture:
    """One response record read back: the HTTP message as received."""

    url: str
    date: str
    status: int
    headers: list[tuple[str, str]]
    payload: bytes  # the body before content decoding (as it was on the wire)
    digest: str | None  # the record's WARC-Payload-Digest

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def body(self) -> bytes:
        """The body with its Content-Encoding undone (what the page's HTML is)."""
        return content_decode(self.payload, self.header("Content-Encoding"))


def read_capture(path: str | Path, offset: int, length: int | None = None) -> StoredCapture:
    """The response record at ``offset`` of a .warc.gz file."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read(length) if length else handle.read()
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response":
            break
        payload = record.raw_stream.read()
        http = record.http_headers
        return StoredCapture(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            date=record.rec_headers.get_header("WARC-Date"),
            status=int(http.get_statuscode() or 0),
            headers=list(http.headers),
            payload=payload,
            digest=record.rec_headers.get_header("WARC-Payload-Digest"),
        )
    raise ValueError(f"{path} at {offset}: no WARC response record")


def read_records(path: str | Path, offset: int, length: int) -> bytes:
    """The raw bytes of a stored record (gzip member), for copying into an export."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
    if len(data) != length:
        raise ValueError(f"{path}: record at {offset} is cut short")
    return data


def content_decode(body: bytes, encoding: str | None) -> bytes:
    """Undo a Content-Encoding (gzip, deflate, br, zstd), layered ones right to left."""
    for coding in reversed([c.strip().lower() for c in (encoding or "").split(",") if c.strip()]):
        if coding in ("gzip", "x-gzip"):
            body = zlib.decompress(body, wbits=47)  # gzip or zlib, auto-detected
        elif coding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                body = zlib.decompress(body, wbits=-15)  # raw deflate, as some servers send
        elif coding == "br":
            import brotli

            body = brotli.decompress(body)
        elif coding == "zstd":
            body = _unzstd(body)
        elif coding != "identity":
            raise ValueError(f"unknown Content-Encoding {coding!r}")
    return body


def _unzstd(body: bytes) -> bytes:
    try:
        from compression import zstd  # Python 3.14
    except ImportError:
        from backports import zstd
    return zstd.decompress(body)

"""The SQLite archive: schema, snapshot writes, reads for the later stages, the outbox."""

from archive.schema import (
    SCHEMA_VERSION,
    ArchiveRefused,
    check_archive_file,
    migrate,
    open_db,
    schema_version,
)
from archive.store import (
    SaveResult,
    content_hash,
    record_fetch_failure,
    record_not_modified,
    save_edition,
)

__all__ = [
    "SCHEMA_VERSION",
    "ArchiveRefused",
    "check_archive_file",
    "SaveResult",
    "content_hash",
    "migrate",
    "open_db",
    "record_fetch_failure",
    "record_not_modified",
    "save_edition",
    "schema_version",
]

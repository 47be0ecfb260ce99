"""One run at a time per archive: an advisory lock the kernel drops when the holder dies.

flock(2) on `<archive>.lock` cannot go stale: a killed run's lock vanishes with its
process, so a crash never blocks the next cron run.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class LockHeld(Exception):
    """Another process holds the archive's lock."""


class LockUnavailable(Exception):
    """The lock file cannot be made (a read-only folder): nothing can be done."""


class RunLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise LockUnavailable(f"cannot create the lock file {self.path}: {error}") from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise LockHeld(
                f"another triglot run (pid {holder}) holds {self.path}; not starting"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

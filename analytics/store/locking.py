"""Cross-process turns on one database file: many readers or one writer, waiting in line.

DuckDB lets one process open a file read-write only when no other process has it open at all,
even read-only; an open that loses gets "Could not set lock … held by PID …" at once. So every
process of this project (the app, each CLI command) takes ``<db>.lock`` before it opens the file:
shared to read, exclusive to write, and lets go when it closes the database.

Waiters line up on a second file, ``<db>.queue``: whoever waits holds it (exclusively) until it
has the main lock. That keeps a stream of app requests from starving a cron import, and lets the
app see that someone waits (:func:`someone_waiting`) and close its connection as soon as it is
idle. ``flock`` locks belong to an open file, not to a process, so two threads or two openers in
one process exclude each other too; the kernel drops them when a process dies, so a crashed import
never leaves the database locked. Waiting polls with ``LOCK_NB`` because ``flock`` has no timeout.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from analytics.errors import UserError

POLL_SECONDS = 0.05


def busy_error(path: Path | str, waited: float | None = None) -> UserError:
    """The one-line message for a database another process holds (the same in the CLI and the UI)."""
    after = f" after waiting {waited:.0f} s" if waited is not None else ""
    zh_after = f"（已等待 {waited:.0f} 秒）" if waited is not None else ""
    return UserError(
        f"Another process (an import, the app or a command) is using the database {path}{after}; "
        "try again in a moment. 数据库正被其他程序使用，请稍后重试。",
        zh=f"数据库正被其他程序（如导入任务）使用{zh_after}，请稍后重试。",
    )


def _sidecar(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(db_path.name + suffix)


def _open(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)


def _wait_flock(fd: int, mode: int, deadline: float) -> bool:
    """Take ``mode`` on ``fd`` before ``deadline`` (time.monotonic); False when time ran out."""
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)


class DatabaseLock:
    """``<db>.lock``, shared (readers) or exclusive (a writer). Not re-entrant; one holder per object."""

    def __init__(self, db_path: Path | str, *, shared: bool) -> None:
        self.db_path = Path(db_path)
        self.shared = shared
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout: float) -> None:
        """Wait in line up to ``timeout`` seconds; UserError (:func:`busy_error`) when it runs out."""
        if self._fd is not None:
            raise RuntimeError("database lock already held")
        start = time.monotonic()
        deadline = start + timeout
        queue = _open(_sidecar(self.db_path, ".queue"))
        main = _open(_sidecar(self.db_path, ".lock"))
        try:
            got = _wait_flock(queue, fcntl.LOCK_EX, deadline) and _wait_flock(
                main, fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX, deadline
            )
        finally:
            # Unlock explicitly: a forked child (a worker pool) may share the descriptor.
            fcntl.flock(queue, fcntl.LOCK_UN)
            os.close(queue)
        if not got:
            os.close(main)
            raise busy_error(self.db_path, time.monotonic() - start)
        self._fd = main

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def someone_waiting(db_path: Path | str) -> bool:
    """True while another opener of ``db_path`` waits in line (it holds ``<db>.queue``)."""
    fd = _open(_sidecar(Path(db_path), ".queue"))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)

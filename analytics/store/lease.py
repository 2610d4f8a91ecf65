"""The app's connection: one read-write connection its threads share, open only while it is used.

A server process used to keep one read-write connection for ever, which (DuckDB's rule) locks every
other process out, even a read-only ``info``. Now the first request opens the database under the
exclusive cross-process lock (:mod:`analytics.store.locking`), concurrent requests share that
connection through their own cursors (as before: reads run beside the app's own writes), and the
connection is closed and the lock released as soon as the database has been idle for
``idle_seconds``, or at once when another process waits in line. A request that finds the lock
taken (a CLI import is writing) waits up to HOTSPOT_LOCK_TIMEOUT, then fails with one clear line.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics.store import stages
from analytics.store.access import connect_waiting, lock_timeout
from analytics.store.connection import explain_database_error
from analytics.store.locking import DatabaseLock, busy_error, someone_waiting

IDLE_SECONDS = 1.0  # a page's queries come in a burst; an import should not wait longer than this
WATCH_SECONDS = 0.1  # how often an open, idle connection checks whether it should close
_INSTANCES: weakref.WeakSet[SharedConnection] = weakref.WeakSet()


def data_version(path: Path | str) -> str:
    """Changes whenever the database file changes (a commit writes the WAL, a checkpoint the file).

    Read from the file system, not the database, so cached pages keep answering while another
    process holds the database; opening and closing without writing changes neither file.
    """
    parts = [str(path)]
    for file in (Path(path), Path(f"{path}.wal")):
        try:
            st = os.stat(file)
        except FileNotFoundError:
            parts.append("-")
        else:
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
    return "|".join(parts)


class SharedConnection:
    """One database's connection for the threads of a server process (see the module docstring)."""

    def __init__(self, path: Path | str, *, idle_seconds: float = IDLE_SECONDS, timeout: float | None = None) -> None:
        self.path = Path(path)
        self.idle_seconds = idle_seconds
        self._timeout = timeout
        self._cond = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock: DatabaseLock | None = None
        self._users = 0
        self._opening = False
        self._idle_since = 0.0
        self._generation = 0
        self._depth = threading.local()  # nested use in one thread never waits for itself
        self.opened = 0  # times the file was opened; tests and benchmarks read it
        self._versions: tuple[str, dict[str, str]] | None = None  # (the files' data_version, stage versions)
        _INSTANCES.add(self)

    @property
    def is_open(self) -> bool:
        return self._con is not None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the shared connection; the database stays open at least until it is closed."""
        con = self._enter()
        try:
            cur = con.cursor()
            try:
                yield cur
            except duckdb.Error as exc:
                known = explain_database_error(exc, self.path)  # a damaged file: one Chinese line
                if known is not None:
                    raise known from exc
                raise
            finally:
                cur.close()
        finally:
            self._leave()

    def stage_versions(self) -> dict[str, str]:
        """The stages' versions (:mod:`analytics.store.stages`), read with a cursor only when the files
        changed since the last read: while nothing is written, learning them never waits for a lock."""
        files = data_version(self.path)  # before the read: a write in between shows as a change next time
        known = self._versions
        if known is not None and known[0] == files:
            return known[1]
        with self.cursor() as cur:
            found = stages.versions(cur)
        self._versions = (files, found)  # one assignment: threads see the old pair or the new one
        return found

    def forget_versions(self) -> None:
        """Read the versions again at the next use (after this process wrote)."""
        self._versions = None

    def close(self) -> None:
        """Close now if nobody uses the connection (otherwise the last user's exit closes it)."""
        with self._cond:
            if self._users == 0 and self._con is not None:
                self._close_locked()

    def _enter(self) -> duckdb.DuckDBPyConnection:
        depth = getattr(self._depth, "n", 0)
        timeout = lock_timeout() if self._timeout is None else self._timeout
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if self._con is not None:
                    # Join the open connection unless another process waits its turn: then let
                    # the current users finish, close, and queue behind it like everyone else.
                    if depth > 0 or not someone_waiting(self.path):
                        return self._joined(depth)
                    if self._users == 0:
                        self._close_locked()
                        continue
                elif not self._opening:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise busy_error(self.path, timeout)
                self._cond.wait(min(remaining, WATCH_SECONDS))
            self._opening = True
        # Opened outside the mutex: other threads wait on the condition, not on the file lock.
        try:
            lock = DatabaseLock(self.path, shared=False)
            lock.acquire(max(deadline - time.monotonic(), 0.0))
            try:
                con = connect_waiting(self.path, read_only=False, deadline=deadline)
            except BaseException:
                lock.release()
                raise
        except BaseException:
            with self._cond:
                self._opening = False
                self._cond.notify_all()
            raise
        with self._cond:
            self._opening = False
            self._con, self._lock = con, lock
            self.opened += 1
            self._generation += 1
            threading.Thread(target=self._watch, args=(self._generation,), daemon=True).start()
            self._cond.notify_all()
            return self._joined(depth)

    def _joined(self, depth: int) -> duckdb.DuckDBPyConnection:
        assert self._con is not None
        self._users += 1
        self._depth.n = depth + 1
        return self._con

    def _leave(self) -> None:
        with self._cond:
            self._users -= 1
            self._depth.n -= 1
            if self._users == 0:
                self._idle_since = time.monotonic()
                if someone_waiting(self.path):
                    self._close_locked()
            self._cond.notify_all()

    def _watch(self, generation: int) -> None:
        """While this generation of the connection is open: close it once idle long enough."""
        while True:
            time.sleep(WATCH_SECONDS)
            with self._cond:
                if self._generation != generation or self._con is None:
                    return
                if self._users == 0 and (
                    time.monotonic() - self._idle_since >= self.idle_seconds or someone_waiting(self.path)
                ):
                    self._close_locked()
                    return

    def _close_locked(self) -> None:
        con, lock = self._con, self._lock
        self._con = self._lock = None
        try:
            if con is not None:
                con.close()
        finally:
            if lock is not None:
                lock.release()
            self._cond.notify_all()


@atexit.register
def _close_all() -> None:
    """Close at exit, before daemon watcher threads are frozen inside DuckDB (which aborts the process).

    A connection still in use (a daemon thread mid-query) is left to the process's end.
    """
    for shared in list(_INSTANCES):
        with shared._cond:
            if shared._con is not None and shared._users == 0:
                shared._close_locked()

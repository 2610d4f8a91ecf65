"""Cross-process turns on a database file: shared readers, one exclusive writer, waiters in line."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from analytics.errors import UserError
from analytics.store.locking import DatabaseLock, someone_waiting

HOLD = """
import sys, time
from analytics.store.locking import DatabaseLock
lock = DatabaseLock(sys.argv[1], shared=sys.argv[2] == "shared")
lock.acquire(10)
print("held", flush=True)
time.sleep(60)
"""


def _holder(db: Path, mode: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), mode], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_readers_share_and_a_writer_waits_for_them(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    first, second = DatabaseLock(db, shared=True), DatabaseLock(db, shared=True)
    first.acquire(1)
    second.acquire(1)  # readers at once
    writer = DatabaseLock(db, shared=False)
    with pytest.raises(UserError) as exc:
        writer.acquire(0.2)
    assert "请稍后重试" in exc.value.zh and "try again" in exc.value.message
    first.release()
    second.release()
    writer.acquire(1)
    assert writer.held
    writer.release()


def test_another_process_writing_keeps_readers_out_until_it_ends(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    proc = _holder(db, "exclusive")
    try:
        with pytest.raises(UserError):
            DatabaseLock(db, shared=True).acquire(0.2)
    finally:
        proc.kill()
        proc.wait()
    # The kernel drops a dead process's lock: a crashed import never leaves the database locked.
    reader = DatabaseLock(db, shared=True)
    reader.acquire(5)
    reader.release()


def test_a_waiter_is_visible_while_it_waits(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    reader = DatabaseLock(db, shared=True)
    reader.acquire(1)
    assert not someone_waiting(db)
    writer = DatabaseLock(db, shared=False)
    started = threading.Event()

    def wait_for_turn() -> None:
        started.set()
        writer.acquire(30)

    thread = threading.Thread(target=wait_for_turn)
    thread.start()
    started.wait()
    deadline = 100
    while not someone_waiting(db) and deadline:
        threading.Event().wait(0.02)
        deadline -= 1
    assert someone_waiting(db)
    reader.release()
    thread.join(30)
    assert writer.held
    assert not someone_waiting(db)
    writer.release()

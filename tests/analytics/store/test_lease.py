"""The app's shared connection: shared by threads, closed when idle or when another process waits."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from analytics.store.lease import SharedConnection, data_version
from analytics.store.locking import DatabaseLock


def _until(condition, limit: float = 20.0) -> bool:
    """Poll ``condition`` (a state, not a duration, is what the tests check)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_concurrent_and_nested_users_share_one_open(demo_db_copy: Path) -> None:
    shared = SharedConnection(demo_db_copy, idle_seconds=30)
    counts: list[int] = []

    def query() -> None:
        with shared.cursor() as cur:
            counts.append(cur.execute("SELECT count(*) FROM complaints").fetchone()[0])

    with shared.cursor() as outer, shared.cursor() as inner:
        assert outer.execute("SELECT 1").fetchone() == inner.execute("SELECT 1").fetchone()
        threads = [threading.Thread(target=query) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(set(counts)) == 1 and len(counts) == 4
    assert shared.opened == 1
    shared.close()
    assert not shared.is_open


def test_idle_connection_is_closed_and_reopened_on_demand(demo_db_copy: Path) -> None:
    shared = SharedConnection(demo_db_copy, idle_seconds=0.2)
    with shared.cursor() as cur:
        cur.execute("SELECT 1").fetchall()
    assert _until(lambda: not shared.is_open)
    # Closed, the database is free for another process's writer.
    writer = DatabaseLock(demo_db_copy, shared=False)
    writer.acquire(1)
    writer.release()
    with shared.cursor() as cur:
        cur.execute("SELECT 1").fetchall()
    assert shared.opened == 2
    shared.close()


def test_a_waiting_writer_gets_its_turn_while_the_app_stays_busy(demo_db_copy: Path) -> None:
    """Requests that keep coming do not starve a writer: once it waits, they stop joining."""
    shared = SharedConnection(demo_db_copy, idle_seconds=30)
    stop = threading.Event()
    answered: list[int] = []

    def busy_app() -> None:
        while not stop.is_set():
            with shared.cursor() as cur:
                answered.append(cur.execute("SELECT count(*) FROM complaints").fetchone()[0])

    workers = [threading.Thread(target=busy_app) for _ in range(3)]
    for w in workers:
        w.start()
    assert _until(lambda: len(answered) > 10)
    writer = DatabaseLock(demo_db_copy, shared=False)
    writer.acquire(20)  # the app's 30 s idle time never comes: only the waiting line lets it in
    served_before = len(answered)
    writer.release()
    assert _until(lambda: len(answered) > served_before + 10)  # and the app carries on afterwards
    stop.set()
    for w in workers:
        w.join()
    assert shared.opened >= 2
    shared.close()


def test_data_version_changes_with_writes_only(demo_db_copy: Path) -> None:
    shared = SharedConnection(demo_db_copy, idle_seconds=0.1)
    before = data_version(demo_db_copy)
    with shared.cursor() as cur:
        cur.execute("SELECT count(*) FROM complaints").fetchall()
    assert _until(lambda: not shared.is_open)
    assert data_version(demo_db_copy) == before  # opening, reading and closing change nothing
    with shared.cursor() as cur:
        cur.execute("UPDATE complaints SET title = title || '!' WHERE id = (SELECT min(id) FROM complaints)")
    assert data_version(demo_db_copy) != before  # the commit is in the file (WAL) already
    shared.close()


def test_stage_versions_are_read_once_while_the_files_are_unchanged(demo_db_copy: Path) -> None:
    from analytics.store import stages
    from analytics.store.access import open_database

    shared = SharedConnection(demo_db_copy, idle_seconds=0.1)
    first = shared.stage_versions()
    assert _until(lambda: not shared.is_open)
    opened = shared.opened
    assert shared.stage_versions() == first and shared.opened == opened  # the files alone said so
    with open_database(demo_db_copy, write=True) as con, stages.changing(con, "topics"):  # another process
        con.execute("UPDATE topic_curation SET pinned = NOT pinned")
    after = shared.stage_versions()
    assert shared.opened == opened + 1
    assert after["topics"] != first["topics"] and {k: v for k, v in after.items() if k != "topics"} == {
        k: v for k, v in first.items() if k != "topics"
    }
    shared.close()

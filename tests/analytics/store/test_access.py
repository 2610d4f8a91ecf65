"""How commands open the database: missing and damaged files, read-only, upgrades, foreign locks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analytics.errors import UserError
from analytics.store import MIGRATIONS, current_version, migrate, open_database
from analytics.store.locking import DatabaseLock

HOLD_RAW = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # a process that does not take our lock (the duckdb shell, say)
print("held", flush=True)
time.sleep(60)
"""


def test_a_missing_database_is_refused_not_created(tmp_path: Path) -> None:
    db = tmp_path / "typo.duckdb"
    with pytest.raises(UserError) as exc, open_database(db):
        pass
    assert exc.value.zh.startswith("找不到数据库")
    assert not db.exists()
    with open_database(db, write=True, create=True) as con:
        assert current_version(con) == len(MIGRATIONS)
    assert db.exists()


@pytest.mark.parametrize("content", [b"", b"complaint_id,title\n1,x\n", b"DUCK" * 3000])
def test_a_damaged_file_gives_one_line_and_stays_as_it_was(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "bad.duckdb"
    db.write_bytes(content)
    for write in (False, True):
        with pytest.raises(UserError) as exc, open_database(db, write=write):
            pass
        assert exc.value.zh.startswith("数据库文件已损坏或不是 DuckDB 文件")
        assert "\n" not in exc.value.message
    assert db.read_bytes() == content


def test_a_truncated_database_is_reported_as_damaged(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "half.duckdb"
    # A sixth: the demo file ends with the matters (事项), token and topic tables, so a half or a
    # third still held every block the query below reads.
    db.write_bytes(demo_db.read_bytes()[: demo_db.stat().st_size // 6])
    with pytest.raises(UserError) as exc, open_database(db) as con:
        con.execute("SELECT sum(length(content)) FROM complaints").fetchall()
    assert "数据库文件已损坏" in exc.value.zh


def test_readers_get_a_read_only_connection(demo_db_copy: Path) -> None:
    with open_database(demo_db_copy) as con:
        assert con.execute("SELECT count(*) FROM complaints").fetchone()[0] > 0
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM complaints")


def test_a_reader_upgrades_an_older_database_first(empty_db: Path) -> None:
    con = duckdb.connect(str(empty_db))
    migrate(con, target=1)
    con.close()
    with open_database(empty_db) as con:
        assert current_version(con) == len(MIGRATIONS)


def test_a_foreign_lock_is_waited_for_then_reported_in_one_line(demo_db_copy: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_RAW, str(demo_db_copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(UserError) as exc, open_database(demo_db_copy, timeout=0.5):
            pass
        assert "请稍后重试" in exc.value.zh
        assert "another process" in exc.value.message.lower()
    finally:
        proc.kill()
        proc.wait()
    with open_database(demo_db_copy) as con:  # its turn once the other process is gone
        assert con.execute("SELECT count(*) FROM complaints").fetchone()[0] > 0


def test_reading_first_takes_the_database_only_when_it_must_write(demo_db_copy: Path) -> None:
    from analytics.store.access import reading_first

    attempts: list[int] = []

    def ensure_note(con: duckdb.DuckDBPyConnection) -> int:
        """Like ensure_topics: computes and stores once, then only reads."""
        attempts.append(1)
        found = con.execute("SELECT count(*) FROM schema_version WHERE name = 'note'").fetchone()[0]
        if not found:
            con.execute("INSERT INTO schema_version VALUES (999, 'note', now()::TIMESTAMP)")
        return con.execute("SELECT count(*) FROM schema_version WHERE name = 'note'").fetchone()[0]

    assert reading_first(demo_db_copy, ensure_note) == 1
    assert len(attempts) == 2  # refused read-only at the write, done again read-write
    attempts.clear()
    other_reader = DatabaseLock(demo_db_copy, shared=True)  # a writer would have to wait for it
    other_reader.acquire(1)
    try:
        assert reading_first(demo_db_copy, ensure_note) == 1
    finally:
        other_reader.release()
    assert len(attempts) == 1  # current: read beside the other reader

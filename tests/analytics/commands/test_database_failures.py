"""Expected failures of the database side give one clear line and change nothing (issue 11)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.store import connect

ROOT = Path(__file__).resolve().parents[3]
READ_ONLY = [["info"], ["batches"], ["timeliness"], ["alerts", "--no-topics"], ["disclosure"]]


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: c[0])
def test_a_mistyped_db_is_refused_not_created(command: list[str], tmp_path: Path, capsys) -> None:
    db = tmp_path / "ctiy.duckdb"
    assert main([*command, "--db", str(db)]) == 2
    assert "找不到数据库" in _one_line(capsys.readouterr().err)
    assert not db.exists()


def test_import_says_when_it_creates_a_database(tmp_path: Path, fixtures_dir: Path, capsys) -> None:
    db = tmp_path / "new.duckdb"
    assert main(["import", str(fixtures_dir / "import/12345_gbk.csv"), "--db", str(db), "--dry-run"]) == 2
    assert "找不到数据库" in _one_line(capsys.readouterr().err) and not db.exists()  # a dry run creates nothing
    assert main(["import", str(fixtures_dir / "import/12345_gbk.csv"), "--db", str(db)]) == 0
    assert f"created a new database {db}" in capsys.readouterr().out
    assert main(["import", str(fixtures_dir / "import/12345_gbk.csv"), "--db", str(db)]) == 0
    assert "created a new database" not in capsys.readouterr().out


@pytest.mark.parametrize("command", [*READ_ONLY, ["topics"], ["rollback", "x"]], ids=lambda c: c[0])
def test_a_damaged_database_file_is_one_line(command: list[str], tmp_path: Path, capsys) -> None:
    db = tmp_path / "bad.duckdb"
    db.write_bytes(b"\x00garbage" * 100)
    assert main([*command, "--db", str(db)]) == 2
    assert "数据库文件已损坏或不是 DuckDB 文件" in _one_line(capsys.readouterr().err)
    assert db.read_bytes() == b"\x00garbage" * 100


@pytest.mark.parametrize(
    "command",
    [
        ["hotspots", "--year", "2030"],
        ["hotspots", "--year", "2030", "--level", "event"],
        ["hotspots", "--from", "2030-01-01", "--to", "2030-03-31"],
        ["topics", "--year", "2030"],
        ["report", "--period", "2030", "-o", "{tmp}/r.pptx"],
        ["report", "--period", "2030Q1", "-o", "{tmp}/r.xlsx"],
        ["disclosure", "--period", "2030"],
        ["timeliness", "--year", "2030"],
        ["alerts", "--as-of", "2030-06-01"],
    ],
    ids=lambda c: "-".join(c[:3]),
)
def test_a_period_without_data_says_so_and_exits_1(
    command: list[str], demo_db_copy: Path, tmp_path: Path, capsys
) -> None:
    before = demo_db_copy.read_bytes()
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert main([*args, "--db", str(demo_db_copy)]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "2030" in line and "没有投诉数据" in line
    assert not (tmp_path / "r.pptx").exists() and not (tmp_path / "r.xlsx").exists()
    assert demo_db_copy.read_bytes() == before


HOLD_RAW = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # holds DuckDB's own lock and never takes ours
print("held", flush=True)
time.sleep(60)
"""


def test_a_database_held_by_another_program_is_one_retry_line(demo_db_copy: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_RAW, str(demo_db_copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        done = subprocess.run(
            [sys.executable, "-m", "analytics", "info", "--db", str(demo_db_copy)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={"HOTSPOT_LOCK_TIMEOUT": "1", "PATH": "/usr/bin:/bin"},
            check=False,
        )
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2
    line = _one_line("\n".join(x for x in done.stderr.splitlines() if not x.startswith(("nanobind", " - ", "See "))))
    assert "another process" in line.lower() and "请稍后重试" in line


def test_commands_that_compute_topics_only_read_once_they_are_current(
    demo_db_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from analytics.store.locking import DatabaseLock

    command = ["topics", "--year", "2024", "--topics", "6", "--db", str(demo_db_copy)]
    assert main(command) == 0  # computes and stores the run: the database to itself
    first = capsys.readouterr().out.splitlines()[0]
    monkeypatch.setenv("HOTSPOT_LOCK_TIMEOUT", "1")
    reader = DatabaseLock(demo_db_copy, shared=True)  # the app or an `info` reading meanwhile
    reader.acquire(1)
    try:
        assert main(command) == 0  # reuses the run: a shared turn, no waiting for the reader
        # Every period reads the one run: another span needs no write either.
        assert main(["hotspots", "--from", "2024-01-01", "--to", "2024-06-30", "--db", str(demo_db_copy)]) == 0
        with connect(demo_db_copy, read_only=True) as con:  # an import arrives: the run is stale
            stale = con.execute("SELECT max(id) FROM complaints").fetchall()[0][0]
    finally:
        reader.release()
    with connect(demo_db_copy) as con:
        con.execute(
            """INSERT INTO complaints SELECT * REPLACE (id + 1 AS id, complaint_id || '-x' AS complaint_id,
                      dedupe_key || '-x' AS dedupe_key) FROM complaints WHERE id = ?""",
            [stale],
        )
    reader.acquire(1)
    try:
        assert main(command) != 0  # bringing the run up to date writes, which waits for the reader
    finally:
        reader.release()
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == first
    assert "请稍后重试" in err

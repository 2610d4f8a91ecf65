"""Integrity of imported data: concurrent imports, database constraints, implausible values,
honest failures (wide files, Big5, full disk)."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from analytics.errors import UserError
from analytics.ingest import import_file
from analytics.ingest.normalise import MAX_AMOUNT_YUAN
from analytics.ingest.pipeline import MAX_COLUMNS
from analytics.ingest.stage import ChunkLoader
from analytics.store import connect
from analytics.store.migrations import migrate

HEADER = "工单编号,受理时间,诉求内容,金额"


def _csv(path: Path, n: int, prefix: str) -> Path:
    rows = (f"{prefix}{i},2024-03-05 10:00,商家不退款 第{i}单,{100 + i}" for i in range(n))
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _import_at_once(db: Path, files: list[Path]) -> list[dict]:
    """Import ``files`` on threads of one process, each with its own cursor (as app sessions do)."""
    con = connect(db)
    barrier = threading.Barrier(len(files))
    results: list[dict] = [{} for _ in files]

    def run(i: int) -> None:
        cur = con.cursor()
        barrier.wait()
        try:
            (r,) = import_file(cur, files[i], source="12345")
            results[i] = r.as_dict()
        except UserError as exc:  # failing cleanly is allowed; duplicating is not
            results[i] = {"error": exc.message}
        finally:
            cur.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(files))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    con.close()
    return results


def _one(db: Path, sql: str) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


def test_two_imports_of_one_file_at_once_store_it_once(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    path = _csv(tmp_path / "same.csv", 20_000, "S")
    results = _import_at_once(db, [path, path])
    assert all("error" not in r for r in results)
    assert sorted(r["imported"] for r in results) == [0, 20_000]
    assert sorted(r["duplicates"] for r in results) == [0, 20_000]
    rows, ids, keys = _one(db, "SELECT count(*), count(DISTINCT id), count(DISTINCT dedupe_key) FROM complaints")
    assert rows == ids == keys == 20_000


def test_two_different_files_at_once_get_distinct_ids(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    results = _import_at_once(db, [_csv(tmp_path / "a.csv", 20_000, "A"), _csv(tmp_path / "b.csv", 20_000, "B")])
    assert [r["imported"] for r in results] == [20_000, 20_000]
    rows, ids = _one(db, "SELECT count(*), count(DISTINCT id) FROM complaints")
    assert rows == ids == 40_000


def test_database_refuses_duplicate_ids_keys_and_implausible_amounts(tmp_path: Path) -> None:
    with connect(tmp_path / "db.duckdb") as con:
        insert = (
            "INSERT INTO complaints (id, complaint_id, source, received_at, kind, dedupe_key, batch_id, amount)"
            " VALUES (?, 'X', 's', TIMESTAMP '2024-01-01', '投诉', ?, 'b', ?)"
        )
        con.execute(insert, [1, "s:X", MAX_AMOUNT_YUAN])  # the upper bound itself is allowed
        for row in ([1, "s:Y", None], [2, "s:X", None]):
            with pytest.raises(duckdb.ConstraintException):
                con.execute(insert, row)
        for amount in (MAX_AMOUNT_YUAN + 1, 0.0, float("nan"), float("inf")):
            with pytest.raises(duckdb.ConstraintException):
                con.execute(insert, [3, "s:Z", amount])


def test_migration_repairs_an_old_database_with_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    migrate(con, target=5)  # the schema before the constraints
    con.execute(
        "INSERT INTO complaints (id, complaint_id, source, received_at, kind, dedupe_key, batch_id, amount) VALUES"
        " (1, 'A', 's', '2024-01-01', '投诉', 's:A', 'b1', 100),"
        " (2, 'B', 's', '2024-01-01', '投诉', 's:B', 'b1', 13812345678),"
        " (1, 'A', 's', '2024-01-01', '投诉', 's:A', 'b2', 100),"  # the same complaint imported twice
        " (2, 'C', 's', '2024-01-01', '投诉', 's:C', 'b2', 'nan')"  # another complaint, same id
    )
    con.execute(
        "INSERT INTO batches VALUES ('b1', 'f', 'x', NULL, 's', now(), 2, 2, 0, 0, NULL, 2, NULL),"
        " ('b2', 'f', 'x', NULL, 's', now(), 2, 2, 0, 0, NULL, 2, NULL)"
    )
    con.close()
    with connect(db) as con:
        rows = con.execute("SELECT id, complaint_id, amount, extras FROM complaints ORDER BY id").fetchall()
        batches = con.execute("SELECT batch_id, rows_read, imported, duplicates FROM batches ORDER BY 1").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, "A", 100.0), (2, "B", None), (3, "C", None)]
    assert json.loads(rows[1][3]) == {"金额（迁移移出）": "13812345678.0"}
    assert batches == [("b1", 2, 2, 0), ("b2", 2, 1, 1)]  # read = imported + duplicates still


def test_implausible_amounts_stay_in_extras_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "amounts.csv"
    cells = ["3000 13812345678", "13812345678", "NaN", "inf", "1e999", "3000元"]
    lines = [f"M{i},2024-03-05 10:00,预付卡退款,{c}" for i, c in enumerate(cells)]
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with connect(tmp_path / "db.duckdb") as con:
        import_file(con, path)
        rows = con.execute("SELECT amount, extras FROM complaints ORDER BY complaint_id").fetchall()
        total = con.execute("SELECT sum(amount) FROM complaints").fetchone()[0]
    assert total == 3000.0  # one cell cannot corrupt a total
    extras = [json.loads(e) if e else {} for _, e in rows[:5]]
    assert extras[0] == {
        "金额": "3000 138****5678",
        "金额（未作金额）": "含电话或证件号，不作金额 (personal data, not an amount)",
    }
    assert extras[1]["金额"] == "138****5678"
    for e in extras[2:5]:
        assert e["金额（未作金额）"].startswith("金额超出合理范围")


def test_received_dates_in_2099_or_before_1990_are_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    tomorrow = date.today() + timedelta(days=1)
    dates = ["2099-01-01 10:00", "1989-12-31", f"{tomorrow} 23:00", f"{tomorrow + timedelta(days=1)} 00:10"]
    path.write_text(
        "工单编号,受理时间,诉求内容\n" + "\n".join(f"D{i},{d},退款" for i, d in enumerate(dates)) + "\n",
        encoding="utf-8",
    )
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        reasons = dict(con.execute("SELECT row_number, reason FROM quarantine").fetchall())
    assert (r.rows_read, r.imported, r.quarantined) == (4, 1, 3)  # tomorrow is tolerated (clocks)
    assert set(reasons) == {2, 3, 5}
    assert all(v.startswith("受理时间超出合理范围") for v in reasons.values())
    assert reasons[2].endswith("2099-01-01 10:00")


def test_a_file_with_thousands_of_columns_is_refused_early(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "wide.csv"
    width = 5_000
    header = ["工单编号", "受理时间", "诉求内容"] + [f"列{i}" for i in range(width - 3)]
    row = ["W1", "2024-01-01", "退款"] + ["x"] * (width - 3)
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    code, _, err = run_cli("import", path, "--db", tmp_path / "db.duckdb")
    assert code == 2
    (line,) = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert f"{width:,} columns" in line and f"{MAX_COLUMNS:,}" in line and "Out of Memory" not in err


def test_big5_export_is_read_as_big5(tmp_path: Path) -> None:
    path = tmp_path / "big5.csv"
    text = (
        "工單編號,受理時間,訴求內容\n"
        "T1,2024-01-05 09:00,健身房突然關門，預付卡無法退款\n"
        "T2,2024-01-06 10:00,商場商品質量\n"
    )
    path.write_bytes(text.encode("big5"))
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        contents = [c for (c,) in con.execute("SELECT content FROM complaints ORDER BY complaint_id").fetchall()]
    assert r.encoding == "Big5" and r.imported == 2
    assert contents == ["健身房突然關門，預付卡無法退款", "商場商品質量"]  # text kept as written


def test_headers_garbled_by_a_wrong_encoding_say_how_to_name_one(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("工单编号,受理时间,诉求内容\nT1,2024-01-05 09:00,退款\n".encode())
    code, _, err = run_cli("import", path, "--db", tmp_path / "db.duckdb", "--encoding", "latin-1")
    assert code == 2
    assert "read as LATIN-1" in err and "UTF-8、GBK/GB18030、Big5" in err and "--encoding" in err
    code, summary, _ = run_cli("import", path, "--db", tmp_path / "db.duckdb", "--encoding", "utf-8", "--json")
    assert code == 0 and summary["imported"] == 1


@pytest.mark.parametrize(
    "error",
    [OSError(28, "No space left on device"), duckdb.IOException("Could not write file: No space left on device")],
)
def test_full_disk_is_one_clear_line_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli, snapshot, error: Exception
) -> None:
    db = tmp_path / "db.duckdb"
    with connect(db) as con:
        import_file(con, _csv(tmp_path / "first.csv", 10, "F"))
    before = snapshot(db)

    def full_disk(self, next_id: int) -> int:
        raise error

    monkeypatch.setattr(ChunkLoader, "_insert", full_disk)
    code, _, err = run_cli("import", _csv(tmp_path / "second.csv", 10, "N"), "--db", db)
    assert code == 2
    (line,) = [ln for ln in err.splitlines() if ln.strip()]
    assert "No space left on device" in line and "nothing was written" in line
    assert snapshot(db) == before


def test_rollback_takes_its_turn_with_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    from analytics.ingest import batches as batches_module
    from analytics.ingest import rollback_batch

    held: list[str] = []

    @contextlib.contextmanager
    def recording_lock():
        held.append("rollback")
        yield

    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, _csv(tmp_path / "a.csv", 5, "R"))
        monkeypatch.setattr(batches_module, "import_lock", recording_lock)
        assert rollback_batch(con, r.batch_id)["complaints_removed"] == 5
    assert held == ["rollback"]


def test_an_unmappable_file_shows_its_first_row_masked(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "no_header.csv"
    path.write_text("张三,13812345678,不退款\n李四,13912345678,不发货\n", encoding="utf-8")
    code, summary, _ = run_cli("import", path, "--db", tmp_path / "db.duckdb", "--json")
    assert code == 2
    (f,) = summary["files"]
    assert "138****5678" in f["error"] and "13812345678" not in f["error"]

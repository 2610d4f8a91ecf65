"""Batches, rollback, mapping profiles and the quarantine download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from analytics.ingest import (
    import_file,
    list_batches,
    load_mapping_profile,
    quarantine_csv,
    quarantine_rows,
    save_mapping_profile,
)
from analytics.ingest.pipeline import file_sha256
from analytics.store import connect

GBK = "import/12345_gbk.csv"


def test_batches_command_lists_file_sha_and_counts(run_cli, fixtures_dir: Path, empty_db: Path) -> None:
    code, summary, _ = run_cli("import", fixtures_dir / GBK, "--db", empty_db, "--source", "12345", "--json")
    code, batches, _ = run_cli("batches", "--db", empty_db, "--json")
    assert code == 0
    (b,) = batches
    assert b["batch_id"] == summary["batch_ids"][0]
    assert b["file_name"] == "12345_gbk.csv"
    assert b["sha256"] == file_sha256(fixtures_dir / GBK)
    assert (b["rows_read"], b["imported"], b["duplicates"], b["quarantined"]) == (10, 6, 1, 3)
    assert b["imported_at"] and b["rolled_back_at"] is None


def test_rollback_removes_rows_and_reimport_restores_them(run_cli, fixtures_dir: Path, empty_db: Path) -> None:
    run_cli("import", fixtures_dir / "real/messages_labelled_sample.xlsx", "--db", empty_db, "--json")
    _, summary, _ = run_cli("import", fixtures_dir / GBK, "--db", empty_db, "--source", "12345", "--json")
    batch = summary["batch_ids"][0]
    with connect(empty_db) as con:
        max_id_before = con.execute("SELECT max(id) FROM complaints").fetchall()[0][0]
        total_before = con.execute("SELECT count(*) FROM complaints").fetchall()[0][0]
    code, out, _ = run_cli("rollback", batch, "--db", empty_db, "--json")
    assert code == 0 and out["complaints_removed"] == 6 and out["quarantine_removed"] == 3
    with connect(empty_db) as con:
        assert con.execute("SELECT count(*) FROM complaints WHERE batch_id = ?", [batch]).fetchall()[0][0] == 0
        assert con.execute("SELECT count(*) FROM complaints").fetchall()[0][0] == total_before - 6
        assert list_batches(con).set_index("batch_id").loc[batch, "rolled_back_at"] is not None
        (again,) = import_file(con, fixtures_dir / GBK, source="12345")
        assert again.imported == 6
        # ids are never reused: the re-import starts after the rolled-back batch's ids.
        assert (
            con.execute("SELECT min(id) FROM complaints WHERE batch_id = ?", [again.batch_id]).fetchall()[0][0]
            > max_id_before
        )
    code, _, err = run_cli("rollback", batch, "--db", empty_db)
    assert code == 2 and "already rolled back" in err
    code, _, err = run_cli("rollback", "no-such-batch", "--db", empty_db)
    assert code == 2 and "No batch" in err


def test_mapping_profile_applies_to_later_imports_of_its_source(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("单据,提交日子,说明,备注\nK1,2024-03-03,退款难,x\n", encoding="utf-8")
    with connect(tmp_path / "db.duckdb") as con:
        save_mapping_profile(con, "消委会", {"单据": "complaint_id", "提交日子": "received_at", "说明": "content"})
        assert load_mapping_profile(con, "消委会")["提交日子"] == "received_at"
        (r,) = import_file(con, path, source="消委会")
        assert r.imported == 1
        assert con.execute("SELECT extras->>'备注' FROM complaints").fetchall()[0][0] == "x"


def test_quarantine_csv_has_bom_and_neutralised_formulas(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("工单编号,受理时间,诉求内容\n=HYPERLINK(1),不是日期,@SUM(A1)\n+1,,-2\n", encoding="utf-8")
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert r.quarantined == 2
        frame = quarantine_rows(con, r.batch_id)
    data = quarantine_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["行号"] for row in rows] == ["2", "3"]
    assert rows[0]["工单编号"] == "'=HYPERLINK(1)" and rows[0]["诉求内容"] == "'@SUM(A1)"
    assert rows[1]["工单编号"] == "'+1" and rows[1]["诉求内容"] == "'-2"
    assert all(not v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values() if v)

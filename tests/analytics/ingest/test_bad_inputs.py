"""Bad input: a clear message, no traceback, and the database left as it was."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analytics.errors import UserError
from analytics.ingest import import_file
from analytics.ingest.chunks import MAX_CELL_CHARS
from analytics.store import connect

GOOD = "工单编号,受理时间,诉求内容\nG1,2024-01-01 08:00,商家不退款\n"


@pytest.fixture
def seeded_db(tmp_path: Path, fixtures_dir: Path) -> Path:
    """A database that already holds one import, so 'unchanged' means something."""
    db = tmp_path / "db.duckdb"
    with connect(db) as con:
        import_file(con, fixtures_dir / "import/12345_gbk.csv", source="12345")
    return db


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工单编号", "受理时间", "诉求内容"])
    for i in range(200):
        sheet.append([f"W{i}", "2024-01-01 08:00", "内容" * 50])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a phrase the message must contain)."""
    files: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes, phrase: str) -> None:
        path = tmp_path / name
        path.write_bytes(data)
        files[name] = (path, phrase)

    put("empty.csv", b"", "empty")
    put("header_only.csv", "工单编号,受理时间,诉求内容\n".encode(), "only a header")
    put("blank_lines.csv", b"\n\n  \n", "no rows")
    put("binary.xlsx", os.urandom(4096), "not a valid spreadsheet")
    put("truncated.xlsx", _xlsx_bytes()[:3000], "truncated or damaged")
    put("garbage.bin", bytes(range(256)) * 64, "binary file")
    put("no_mapping.csv", "甲,乙,丙\n1,2,3\n4,5,6\n".encode(), "no column could be mapped")
    put("no_date.csv", "工单编号,诉求内容\nA,b\n".encode(), "received_at")
    put("half_gbk.csv", GOOD.encode() + "G2,2024-01-02,坏字节".encode() + b"\xff\xfe\xfa\n", "encoding")
    return files


def test_each_bad_file_gives_clear_message_and_leaves_db_unchanged(
    tmp_path: Path, seeded_db: Path, run_cli, snapshot
) -> None:
    before = snapshot(seeded_db)
    for name, (path, phrase) in _bad_files(tmp_path).items():
        code, _out, err = run_cli("import", path, "--db", seeded_db)
        assert code == 2, name
        assert phrase in err, (name, err)
        assert err.startswith("error: ") and name in err, (name, err)
        assert snapshot(seeded_db) == before, name


def test_json_summary_reports_failed_file_next_to_good_one(tmp_path: Path, run_cli) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(os.urandom(2048))
    code, summary, _ = run_cli("import", good, bad, "--db", tmp_path / "db.duckdb", "--json")
    assert code == 2
    assert summary["imported"] == 1 and summary["failed_files"] == 1
    assert [f.get("error") is None for f in summary["files"]] == [True, False]


def test_missing_file(tmp_path: Path, run_cli) -> None:
    code, _, err = run_cli("import", tmp_path / "nope.csv", "--db", tmp_path / "db.duckdb")
    assert code == 2 and "not found" in err


def test_failure_half_way_rolls_back_earlier_chunks(tmp_path: Path, seeded_db: Path, snapshot) -> None:
    path = tmp_path / "late_error.csv"
    # Past the 1 MB the encoding is detected on, so the bad bytes are met while streaming.
    good_rows = "".join(f"L{i},2024-01-01 08:00,内容{i}{'长' * 40}\n" for i in range(12_000))
    path.write_bytes(("工单编号,受理时间,诉求内容\n" + good_rows).encode("utf-8") + b"L99,2024-01-01,\xff\xfe\n")
    before = snapshot(seeded_db)
    with connect(seeded_db) as con, pytest.raises(UserError, match="not valid"):
        # Tiny chunks: the first chunks are written before the bad bytes are reached.
        import_file(con, path, chunk_rows=1000)
    assert snapshot(seeded_db) == before


def test_ragged_rows_padded_or_surplus_kept(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        "工单编号,受理时间,诉求内容,所属区县\nR1,2024-01-01,短行\nR2,2024-01-02,长行,清城,多1,多2\nR3,2024-01-03,正常,英德\n",
        encoding="utf-8",
    )
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert (r.rows_read, r.imported, r.quarantined) == (3, 3, 0)
        extras = dict(con.execute("SELECT complaint_id, extras->>'多余字段' FROM complaints").fetchall())
    assert extras == {"R1": None, "R2": "多1 | 多2", "R3": None}


def test_huge_cell_is_quarantined_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("工单编号,受理时间,诉求内容\nH1,2024-01-01,正常内容\nH2,2024-01-02,")
        block = "投诉" * 500_000  # 1M characters
        for _ in range(100 * 1024 * 1024 // (len(block) * 3) + 1):
            fh.write(block)
        fh.write("\nH3,2024-01-03,正常\n")
    assert path.stat().st_size > 100 * 1024 * 1024
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert (r.rows_read, r.imported, r.quarantined) == (3, 2, 1)
        reason, raw_len = con.execute("SELECT reason, length(raw::VARCHAR) FROM quarantine").fetchall()[0]
    assert "cell too large" in reason and f"{MAX_CELL_CHARS:,}" in reason
    assert raw_len < 2000  # a preview, not 100 MB


def test_zip_that_is_not_a_workbook(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "not_a_book.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    code, _, err = run_cli("import", path, "--db", tmp_path / "db.duckdb")
    assert code == 2 and "cannot open the workbook" in err

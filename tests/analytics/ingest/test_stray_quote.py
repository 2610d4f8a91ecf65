"""A stray opening quote never swallows the rest of a file or merges neighbouring rows."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb

from analytics.ingest.csv_records import records

HEADER = "工单编号,受理时间,诉求类型,诉求内容"


def _write(path: Path, n: int, stray_at: int) -> Path:
    lines = [HEADER]
    for i in range(1, n + 1):
        text = '"这家店 不退款' if i == stray_at else f"商家拒绝退款 第{i}单"
        lines.append(f"Q{i},2024-03-05 10:00,投诉,{text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_50000_rows_with_one_stray_quote_all_arrive(run_cli, tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    csv_path = _write(tmp_path / "export.csv", 50_000, stray_at=4)
    code, summary, _ = run_cli("import", csv_path, "--db", db, "--json")
    assert code == 0
    assert summary["rows_read"] == 50_000
    assert summary["imported"] >= 49_999
    assert summary["rows_read"] == summary["imported"] + summary["duplicates"] + summary["quarantined"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        (content,) = con.execute("SELECT content FROM complaints WHERE complaint_id = 'Q4'").fetchone()
        longest = con.execute("SELECT max(length(content)) FROM complaints").fetchone()[0]
        (q5,) = con.execute("SELECT count(*) FROM complaints WHERE complaint_id = 'Q5'").fetchone()
    finally:
        con.close()
    assert content == '"这家店 不退款'  # the quote read as a literal character
    assert longest < 40 and q5 == 1  # no neighbouring row merged into it


def test_quoted_line_breaks_stay_one_field_and_line_numbers_stay_right() -> None:
    text = (
        f"{HEADER}\n"
        'Q1,2024-03-05 10:00,投诉,"第一段\n第二段，还有逗号,一个"\n'
        'Q2,2024-03-05 10:00,投诉,"未闭合\n'
        "Q3,2024-03-05 10:00,投诉,正常\n"
        '\nQ4,2024-03-05 10:00,投诉,"最后一行未闭合\n'
    )
    got = list(records(io.StringIO(text, newline=""), ","))
    assert got[1] == (2, ["Q1", "2024-03-05 10:00", "投诉", "第一段\n第二段，还有逗号,一个"])
    assert got[2] == (4, ["Q2", "2024-03-05 10:00", "投诉", '"未闭合'])
    assert got[3] == (5, ["Q3", "2024-03-05 10:00", "投诉", "正常"])
    assert got[-1][0] == 7 and got[-1][1][0] == "Q4"

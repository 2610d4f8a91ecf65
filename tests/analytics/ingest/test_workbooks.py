"""Workbooks: several sheets, datetime cells mixed with strings, Excel serials, .xls."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from analytics.ingest import import_file, preview_file
from analytics.store import connect


def _book(path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "2024年1月"
    first.append(["投诉编号", "投诉时间", "投诉内容", "所属区县", "涉及金额"])
    first.append([1001, datetime(2024, 1, 5, 9, 30), "网购手机有质量问题", "清城", 3000])
    first.append([1002, "2024/1/6 10:00:00", "快递丢件", "连南县", "3,000元"])
    first.append([1003, 45300, "Excel 序列号日期", "英德", None])  # 45300 = 2024-01-09
    first.append([1004, date(2024, 1, 9), "纯日期单元格", "连州", None])
    first.append([1005, "2024年1月10日", "", "阳山", None])
    first.append([None, None, None, None, None])  # blank row: not a row
    second = book.create_sheet("2024年2月")
    second.append(["说明：本表为二月数据"])
    second.append(["投诉编号", "投诉时间", "投诉内容"])
    second.append([2001, "20240201", "二月的投诉"])
    book.create_sheet("空表")
    notes = book.create_sheet("填表说明")
    notes.append(["本表由系统导出，请勿修改表头"])
    notes.append(["如有疑问请联系信息科"])
    book.save(path)


def test_every_sheet_is_a_batch_and_counts_add_up(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _book(path)
    with connect(tmp_path / "db.duckdb") as con:
        results = import_file(con, path, source="12315")
        assert [r.sheet for r in results] == ["2024年1月", "2024年2月"]
        jan, feb = results
        assert (jan.rows_read, jan.imported, jan.quarantined) == (5, 4, 1)
        assert (feb.rows_read, feb.imported, feb.header_row) == (1, 1, 2)
        assert len({jan.batch_id, feb.batch_id}) == 2
        rows = dict(con.execute("SELECT complaint_id, received_at FROM complaints").fetchall())
        amounts = dict(con.execute("SELECT complaint_id, amount FROM complaints").fetchall())
        sheets = con.execute("SELECT DISTINCT sheet FROM batches ORDER BY 1").fetchall()
    assert rows == {
        "1001": datetime(2024, 1, 5, 9, 30),
        "1002": datetime(2024, 1, 6, 10),
        "1003": datetime(2024, 1, 9),
        "1004": datetime(2024, 1, 9),
        "2001": datetime(2024, 2, 1),
    }
    assert amounts["1001"] == 3000 and amounts["1002"] == 3000
    assert sheets == [("2024年1月",), ("2024年2月",)]
    assert any("填表说明: skipped" in n for n in jan.notes)


def test_sheet_option_and_unknown_sheet(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "book.xlsx"
    _book(path)
    db = tmp_path / "db.duckdb"
    code, summary, _ = run_cli("import", path, "--db", db, "--sheet", "2024年2月", "--json")
    assert code == 0 and [f["sheet"] for f in summary["files"]] == ["2024年2月"]
    code, _, err = run_cli("import", path, "--db", db, "--sheet", "三月")
    assert code == 2 and "no sheet" in err and "2024年1月" in err


def test_preview_shows_mapping_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _book(path)
    jan = preview_file(path)[0]
    assert jan["mapping"]["投诉时间"] == "received_at" and jan["mapping"]["涉及金额"] == "amount"
    assert jan["rows"][0][0] == "1001" and jan["missing"] == []
    assert [p["sheet"] for p in preview_file(path) if "error" in p] == ["填表说明"]


def _tiny_xls(path: Path, rows: list[list[str | float]]) -> None:
    """Write a minimal BIFF8 .xls (one sheet of LABEL/NUMBER cells) inside an OLE2 container."""
    import struct

    def rec(rtype: int, data: bytes) -> bytes:
        return struct.pack("<HH", rtype, len(data)) + data

    def xl_string(text: str) -> bytes:
        return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")

    bof_globals = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    bof_sheet = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
    eof = rec(0x000A, b"")
    sheet_cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                # LABEL (0x0204) with a BIFF8 unicode string (xlrd/calamine read it).
                sheet_cells += rec(0x0204, struct.pack("<HHH", r, c, 0) + xl_string(value))
            else:
                sheet_cells += rec(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
    sheet_stream = bof_sheet + sheet_cells + eof
    name = "Sheet1"
    globals_wo_sheet = bof_globals + rec(0x0042, struct.pack("<H", 1200))  # CODEPAGE utf-16
    boundsheet_len = 4 + 4 + 2 + 2 + len(name) * 2
    sheet_offset = len(globals_wo_sheet) + boundsheet_len + len(eof)
    boundsheet = rec(
        0x0085, struct.pack("<IBB", sheet_offset, 0, 0) + struct.pack("<BB", len(name), 1) + name.encode("utf-16-le")
    )
    workbook = globals_wo_sheet + boundsheet + eof + sheet_stream
    workbook += b"\x00" * (max(4096, -(-len(workbook) // 512) * 512) - len(workbook))  # no mini stream
    n_sectors = len(workbook) // 512
    # OLE2: header, then workbook sectors, then one directory sector, then one FAT sector.
    dir_sector = n_sectors
    fat_sector = n_sectors + 1
    fat = [i + 1 for i in range(n_sectors - 1)] + [0xFFFFFFFE, 0xFFFFFFFE, 0xFFFFFFFD]
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def direntry(name: str, etype: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), etype, 1)
            + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<IIH", start, size, 0).ljust(8, b"\x00")[:8]
            + b"\x00" * 0
        ).ljust(128, b"\x00")

    root = direntry("Root Entry", 5, 1, 0xFFFFFFFE, 0)
    book = direntry("Workbook", 2, 0xFFFFFFFF, 0, len(workbook))
    directory = (root + book).ljust(512, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIII", 0, 1, dir_sector, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
        + struct.pack("<I", 0)
        + struct.pack("<I", fat_sector)
        + struct.pack("<I", 0xFFFFFFFF) * 108
    )
    assert len(header) == 512
    path.write_bytes(header + workbook + directory + struct.pack("<128I", *fat))


def test_legacy_xls(tmp_path: Path) -> None:
    path = tmp_path / "legacy.xls"
    _tiny_xls(
        path,
        [
            ["受理编号", "受理时间", "投诉内容", "区县"],
            ["X1", 45300.5, "老系统导出的投诉", "佛冈"],
            ["X2", "2024-01-09", "第二条", "连山县"],
        ],
    )
    try:
        import xlrd

        xlrd.open_workbook(str(path))
    except Exception as exc:  # the hand-written file is the test's own risk, not the importer's
        pytest.skip(f"could not build a .xls in the test: {exc}")
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert (r.rows_read, r.imported) == (2, 2)
        rows = dict(con.execute("SELECT complaint_id, received_at FROM complaints").fetchall())
        counties = {c for (c,) in con.execute("SELECT county FROM complaints").fetchall()}
    assert rows == {"X1": datetime(2024, 1, 9, 12), "X2": datetime(2024, 1, 9)}
    assert counties == {"佛冈县", "连山壮族瑶族自治县"}


def test_html_table_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><th>工单编号</th><th>受理时间</th><th>诉求内容</th><th>来电号码</th></tr>"
        "<tr><td>H1</td><td>2024-04-01 09:00</td><td>商家拒绝退款</td><td>13812345678</td></tr>"
        "<tr><td>H2</td><td>2024/4/2</td><td>快递丢件</td><td></td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert (r.rows_read, r.imported) == (2, 2)
        assert con.execute("SELECT extras->>'来电号码' FROM complaints WHERE complaint_id = 'H1'").fetchall() == [
            ("138****5678",)
        ]


def test_gbk_html_table_without_charset(tmp_path: Path) -> None:
    path = tmp_path / "gbk.xls"
    html = (
        "<table><tr><td>编号</td><td>日期</td><td>内容</td></tr>"
        "<tr><td>1</td><td>2024-01-01</td><td>退款难</td></tr></table>"
    )
    path.write_bytes(html.encode("gbk"))
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert r.imported == 1
        assert con.execute("SELECT content FROM complaints").fetchall() == [("退款难",)]

"""Delimited text exports: encodings, delimiters, 12345-style headers, quarantine, duplicates."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from analytics.ingest import import_file
from analytics.store import connect

GBK_12345 = "import/12345_gbk.csv"
HEADER = "工单编号,受理时间,诉求类型,所属区县,被投诉人,诉求内容,办结时间"


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_gbk_12345_export_quarantines_bad_rows_and_counts_add_up(run_cli, fixtures_dir: Path, empty_db: Path) -> None:
    code, summary, _ = run_cli("import", fixtures_dir / GBK_12345, "--db", empty_db, "--source", "12345", "--json")
    assert code == 0
    (f,) = summary["files"]
    assert f["encoding"] == "GBK/GB18030"
    assert (f["rows_read"], f["imported"], f["duplicates"], f["quarantined"]) == (10, 6, 1, 3)
    assert summary["rows_read"] == summary["imported"] + summary["duplicates"] + summary["quarantined"]
    assert {h: f["mapping"][h] for h in HEADER.split(",")} == {
        "工单编号": "complaint_id",
        "受理时间": "received_at",
        "诉求类型": "kind",
        "所属区县": "county",
        "被投诉人": "business",
        "诉求内容": "content",
        "办结时间": "closed_at",
    }
    reasons = dict(_rows(empty_db, "SELECT row_number, reason FROM quarantine"))
    assert set(reasons) == {6, 7, 8}  # file lines of the three bad rows (header is line 1)
    assert "缺少受理时间" in reasons[6] and "无法识别" in reasons[7] and "缺少标题和内容" in reasons[8]
    got = {
        r[0]: r[1:]
        for r in _rows(empty_db, "SELECT complaint_id, received_at, closed_at, kind, county, source FROM complaints")
    }
    assert got["GD2023000001"] == (datetime(2023, 1, 5, 9, 12, 30), datetime(2023, 1, 9, 17), "投诉", "清城区", "12345")
    assert got["GD2023000002"][1:4] == (datetime(2023, 1, 20), "投诉", "连南瑶族自治县")
    assert got["GD2023000003"][:2] == (datetime(2023, 2, 1), datetime(2023, 2, 2))  # 2023年2月1日, 20230202
    assert got["GD2023000008"][0] == datetime(2023, 1, 1, 12)  # Excel serial 44927.5
    assert got["GD2023000009"][3] == "连州市"  # 清远市连州市


def test_dry_run_counts_exactly_and_writes_nothing(run_cli, snapshot, fixtures_dir: Path, empty_db: Path) -> None:
    with connect(empty_db) as con:  # one earlier import, so duplicates against the database count too
        import_file(con, fixtures_dir / GBK_12345, source="12345")
    before = snapshot(empty_db)
    code, summary, _ = run_cli(
        "import", fixtures_dir / GBK_12345, "--db", empty_db, "--source", "12345", "--dry-run", "--json"
    )
    assert code == 0 and summary["dry_run"] and summary["batch_ids"] == []
    (f,) = summary["files"]
    assert (f["rows_read"], f["imported"], f["duplicates"], f["quarantined"]) == (10, 0, 7, 3)
    assert f["quarantine_reasons"] == {
        "受理时间无法识别 (unreadable received time)": 1,
        "缺少受理时间 (received time missing)": 1,
        "缺少标题和内容 (no title or content)": 1,
    }
    assert [r["row_number"] for r in f["quarantine_preview"]] == [6, 7, 8]
    assert snapshot(empty_db) == before
    code, text, _ = run_cli("import", fixtures_dir / GBK_12345, "--db", empty_db, "--source", "12345", "--dry-run")
    assert code == 0 and "would import 0" in text and "dry run, nothing written" in text


def test_placeholder_businesses_are_no_business_and_kept_in_extras(tmp_path: Path, empty_db: Path) -> None:
    export = tmp_path / "placeholders.csv"
    export.write_text(
        "受理时间,标题,内容,被投诉人\n"
        "2024-01-05,预付卡跑路,健身房跑路了,无\n"
        "2024-01-06,外卖超时,送餐超时, 不详 \n"
        "2024-01-07,超市过期,过期食品,好又多超市\n"
        "2024-01-08,噪音,装修噪音,\n",
        encoding="utf-8",
    )
    with connect(empty_db) as con:
        import_file(con, export)
    rows = _rows(empty_db, "SELECT business, CAST(extras AS VARCHAR) FROM complaints ORDER BY id")
    assert [r[0] for r in rows] == [None, None, "好又多超市", None]
    assert json.loads(rows[0][1]) == {"被投诉人": "无"} and json.loads(rows[1][1]) == {"被投诉人": "不详"}
    assert rows[2][1] is None and rows[3][1] is None


def test_personal_data_masked_everywhere(fixtures_dir: Path, empty_db: Path) -> None:
    with connect(empty_db) as con:
        import_file(con, fixtures_dir / GBK_12345, source="12345")
        dump = json.dumps(
            [con.execute(f"SELECT * FROM {t}").fetchall() for t in ("complaints", "quarantine")], default=str
        )
    assert "13812345678" not in dump and "13912345678" not in dump
    assert "44010219900101123X" not in dump and "3123456" not in dump
    assert "138****5678" in dump and "440102********123X" in dump


def test_unmapped_columns_kept_in_extras(fixtures_dir: Path, empty_db: Path) -> None:
    with connect(empty_db) as con:
        import_file(con, fixtures_dir / GBK_12345, source="12345")
        extras = con.execute("SELECT extras->>'来电号码' FROM complaints WHERE complaint_id = 'GD2023000009'")
        assert extras.fetchall()[0][0] == "0763-****3456"


@pytest.mark.parametrize(
    ("encoding", "delimiter", "suffix"),
    [
        ("utf-8", ",", ".csv"),
        ("utf-8-sig", ",", ".csv"),
        ("gb18030", "\t", ".tsv"),
        ("gbk", "\t", ".txt"),
        ("utf-8", ";", ".csv"),
        ("utf-8", "|", ".txt"),
    ],
)
def test_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str, suffix: str) -> None:
    path = tmp_path / f"export{suffix}"
    lines = [
        HEADER.replace(",", delimiter),
        delimiter.join(
            ["A1", "2024-05-01 08:00:00", "投诉", "英德", "某商行", "买到的衣服掉色，商家不退", "2024-05-03"]
        ),
        delimiter.join(["A2", "2024/5/2", "咨询", "阳山", "", "咨询退货规定", ""]),
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert (r.rows_read, r.imported, r.quarantined) == (2, 2, 0)
        assert r.delimiter == delimiter
        rows = con.execute("SELECT complaint_id, county, business, content FROM complaints ORDER BY 1").fetchall()
    assert rows[0] == ("A1", "英德市", "某商行", "买到的衣服掉色，商家不退")
    assert rows[1][:3] == ("A2", "阳山县", None)


def test_header_below_title_rows_and_quoted_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "清远市12345热线工单导出,,,\n导出时间：2024-06-01,,,\n编号,日期,内容,区县\n"
        'X1,2024-06-01 09:00:00,"第一行\n\t第二行\u3000",清新\n'
        "X2,2024-06-02,普通内容,连山\n",
        encoding="utf-8",
    )
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert r.header_row == 3
        assert (r.rows_read, r.imported) == (2, 2)
        content = con.execute("SELECT content FROM complaints WHERE complaint_id = 'X1'").fetchall()[0][0]
    assert content == "第一行\n第二行"


def test_rows_without_id_get_a_stable_id_and_dedupe_on_time_and_text(tmp_path: Path) -> None:
    path = tmp_path / "board.csv"
    path.write_text(
        "留言时间,留言主题,留言详情\n2024-01-01 10:00,小区停车费乱收,物业乱收停车费\n"
        "2024-01-01 10:00,小区停车费乱收,物业乱收停车费\n2024-01-02 11:00,小区停车费乱收,物业乱收停车费\n",
        encoding="utf-8",
    )
    with connect(tmp_path / "db.duckdb") as con:
        (r,) = import_file(con, path)
        assert (r.rows_read, r.imported, r.duplicates) == (3, 2, 1)
        ids = [x[0] for x in con.execute("SELECT complaint_id FROM complaints ORDER BY received_at").fetchall()]
        assert all(i.startswith("H") and len(i) == 17 for i in ids) and len(set(ids)) == 2
        (again,) = import_file(con, path)
        assert again.imported == 0
        assert [x[0] for x in con.execute("SELECT complaint_id FROM complaints ORDER BY received_at").fetchall()] == ids
        # No kind column on a message board: inferred from the title, else 其他; sector inferred.
        kind, sector, inferred = con.execute("SELECT kind, sector, sector_inferred FROM complaints LIMIT 1").fetchall()[
            0
        ]
    assert (kind, sector, inferred) == ("其他", "物业", True)


def test_same_id_in_other_source_is_not_a_duplicate(fixtures_dir: Path, empty_db: Path) -> None:
    with connect(empty_db) as con:
        a = import_file(con, fixtures_dir / GBK_12345, source="12345")[0]
        b = import_file(con, fixtures_dir / GBK_12345, source="12315")[0]
        assert b.imported == a.imported
        c = import_file(con, fixtures_dir / GBK_12345, source="12345")[0]
        assert c.imported == 0 and c.duplicates == a.imported + a.duplicates


def test_map_option_overrides_aliases(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("单据,提交日子,说明\nK1,2024-03-03,退款难\n", encoding="utf-8")
    db = tmp_path / "db.duckdb"
    code, _, err = run_cli("import", path, "--db", db)
    assert code == 2 and "no column could be mapped" in err
    code, summary, _ = run_cli(
        "import",
        path,
        "--db",
        db,
        "--map",
        "单据=complaint_id",
        "--map",
        "提交日子=received_at",
        "--map",
        "说明=content",
        "--json",
    )
    assert code == 0 and summary["imported"] == 1
    assert _rows(db, "SELECT complaint_id, content FROM complaints") == [("K1", "退款难")]


def test_amount_support_and_source_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "投诉编号,投诉时间,投诉内容,涉案金额,点赞数,来源\n"
        'P1,2024-01-01,退款,"3,000元",12,12315\nP2,2024-01-02,退款,1.5万,,\nP3,2024-01-03,退款,不详,x,消委会\n',
        encoding="utf-8",
    )
    with connect(tmp_path / "db.duckdb") as con:
        import_file(con, path, source="12345")
        rows = con.execute(
            "SELECT complaint_id, amount, support, source, extras FROM complaints ORDER BY complaint_id"
        ).fetchall()
    assert rows[0][:4] == ("P1", 3000.0, 12, "12315")
    assert rows[1][:4] == ("P2", 15000.0, None, "12345")
    assert rows[2][1:4] == (None, None, "消委会")
    assert json.loads(rows[2][4]) == {"涉案金额": "不详", "点赞数": "x"}  # unparsed values kept

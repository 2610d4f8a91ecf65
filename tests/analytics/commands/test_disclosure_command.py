"""``python -m analytics disclosure``: files equal to the engine's tables, clear errors."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from analytics import disclosure
from analytics.cli import main
from analytics.filters import Filters
from analytics.store import connect


def test_xlsx_holds_both_tables_equal_to_the_engine(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "公示.xlsx"
    assert main(["disclosure", "--db", str(demo_db), "--period", "2024", "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["演示数据-经营者公示", "演示数据-行业公示"]  # the demo database
    f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    with connect(demo_db, read_only=True) as con:
        expected = disclosure.disclosure_by_business(con, f)
        sectors = disclosure.disclosure_by_sector(con, f)
    rows = list(book["演示数据-经营者公示"].iter_rows(values_only=True))
    assert list(rows[0]) == list(expected.columns)
    assert [r[4] for r in rows[1:]] == expected["投诉量"].tolist()
    assert [r[5] for r in rows[1:]] == expected["事项"].tolist()  # 件次 and 事项 side by side
    assert [r[1] for r in rows[1:]] == expected["经营者"].tolist()
    sector_rows = list(book["演示数据-行业公示"].iter_rows(values_only=True))[1:]
    assert sum(r[2] for r in sector_rows) == sectors["投诉量"].sum()
    assert sum(r[3] for r in sector_rows) == sectors["事项"].sum() < sectors["投诉量"].sum()


def test_json_and_csv(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "公示.csv"
    assert (
        main(["disclosure", "--db", str(demo_db), "--period", "2024Q3", "--limit", "5", "-o", str(out), "--json"]) == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["businesses"]) <= 5 and payload["sectors"] and payload["data_mark"] == "演示数据"
    text = out.read_bytes().decode("utf-8-sig")
    lines = list(io.StringIO(text))
    assert lines[0].startswith("数据性质：演示数据,排名,经营者") and lines[1].startswith("演示数据,")
    assert len(lines) == len(payload["businesses"]) + 1


def test_printed_rates_are_percentages(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disclosure", "--db", str(demo_db), "--period", "2024", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("【演示数据】投诉公示\n")
    assert re.search(r"\b\d{1,3}\.\d%", out), out  # 100.0%, 40.8%: not 1.0 / 0.4078
    assert not re.search(r"\b0\.\d{3,}\b", out), out


@pytest.mark.parametrize("extra", [["--period", "2024x"], ["-o", "x.pdf"], ["--min-complaints", "0"]])
def test_bad_input_is_a_user_error(demo_db: Path, extra: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disclosure", "--db", str(demo_db), *extra]) == 2
    assert "Traceback" not in capsys.readouterr().err

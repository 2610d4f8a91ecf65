"""No raw personal number survives an import: not in the database (any table, any text column),
not in the command line's JSON, not in the exported reports and disclosure tables."""

from __future__ import annotations

import csv
import json
import stat
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.analytics.ingest.pii_corpus import DIGITS, FORMS, ID_FORMS, all_forms, leaks

pytestmark = pytest.mark.slow

HEADERS = [
    "工单编号", "受理时间", "诉求类型", "所属区县", "镇街", "行业", "被投诉人", "标题", "诉求内容",
    "处理结果", "承办单位", "涉案金额", "投诉人", "办结时间", "备注",
]  # fmt: skip
FILE_NAME = "张三13926048173投诉.csv"


def _seeded_export(folder: Path) -> Path:
    """Complaints of 2024Q2 with personal data in every column, the id column and the file name."""
    rows = []
    for i in range(40):
        form, _ = FORMS[i % len(FORMS)]
        rows.append(
            [
                ID_FORMS[i] if i < len(ID_FORMS) else f"PII{i:03d}",
                f"2024-04-{1 + i % 28:02d} 09:{i % 60:02d}",
                "投诉" if i % 5 else f"投诉{form}",
                "清城区",
                f"横荷街道{form}" if i % 7 == 0 else "横荷街道",
                "健身",
                f"清城区强身健身房{FORMS[0][0]}",
                f"健身房跑路 预付卡无法退款 联系{form}",
                f"会员卡预付三千元，健身房突然关门。本人电话{form}，身份证{FORMS[6][0]}。{all_forms()}",
                f"已回访{form}，商家同意退款",
                f"市场监管局{form}",
                f"3000 {form}" if i % 2 else form,
                f"张三 {form}",
                f"已回访{form}",
                all_forms(" "),
            ]
        )
    same_phone_id = ["139-2604-8173", "2024-04-02 10:00", "投诉", "清城区", "", "健身", "健身房", "退款", "重复"]
    rows.append([*same_phone_id, *[""] * 6])
    rows.append(["Q1", f"已回访{FORMS[0][0]}", "投诉", "清城区", "", "", "健身房", "退款", all_forms(), *[""] * 6])
    rows.append(["Q2", "2024-04-03", f"投诉{FORMS[4][0]}", "", "", "", FORMS[1][0], "", "", *[FORMS[2][0]] * 6])
    path = folder / FILE_NAME
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def _database_text(db: Path) -> str:
    """Every value of every table of the database as text."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()]
        parts = []
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}"').fetchall():
                parts.append(" | ".join("" if v is None else str(v) for v in row))
        return "\n".join(parts)
    finally:
        con.close()


def _office_text(path: Path) -> str:
    """Every XML part of an .xlsx/.pptx/.docx, raw (runs split by tags are caught by the join)."""
    import re

    with zipfile.ZipFile(path) as z:
        xml = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels")))
    return xml + "\n" + re.sub(r"<[^>]+>", "", xml)


def test_personal_data_is_masked_in_every_output(
    demo_db_copy: Path, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    salt_file = tmp_path / "secret" / "hotspot.salt"
    monkeypatch.setenv("HOTSPOT_SALT_FILE", str(salt_file))
    export = _seeded_export(tmp_path)
    assert set(DIGITS) <= set(leaks(export.read_text("utf-8")))  # the scanner sees every raw form
    db = demo_db_copy
    outputs: dict[str, str] = {}

    code, summary, err = run_cli("import", export, "--db", db, "--source", "12345", "--json")
    assert code == 0, err
    outputs["import --json"] = json.dumps(summary, ensure_ascii=False) + err
    (f,) = summary["files"]
    # 43 records: 40 imported; the same phone id written another way is a duplicate; two quarantined.
    assert (f["rows_read"], f["imported"], f["duplicates"], f["quarantined"]) == (43, 40, 1, 2)
    assert f["file"] == "张三139****8173投诉.csv"

    code, batches, _ = run_cli("batches", "--db", db, "--json")
    assert code == 0
    outputs["batches --json"] = json.dumps(batches, ensure_ascii=False)

    for fmt in ("xlsx", "pptx", "docx"):
        out = tmp_path / f"report.{fmt}"
        code, _, err = run_cli("report", "--db", db, "--period", "2024Q2", "--format", fmt, "-o", out)
        assert code == 0, err
        outputs[f"report {fmt}"] = _office_text(out)
    for suffix in ("xlsx", "csv"):
        out = tmp_path / f"disclosure.{suffix}"
        code, _, err = run_cli("disclosure", "--db", db, "--period", "2024Q2", "--min-complaints", "1", "-o", out)
        assert code == 0, err
        outputs[f"disclosure {suffix}"] = _office_text(out) if suffix == "xlsx" else out.read_text("utf-8-sig")
    assert "强身健身房139****8173" in outputs["disclosure csv"]  # the seeded business is listed, masked

    outputs["database"] = _database_text(db)
    found = {name: leaks(text) for name, text in outputs.items()}
    assert found == {name: [] for name in outputs}
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = {c for (c,) in con.execute("SELECT complaint_id FROM complaints WHERE batch_id != 'demo'").fetchall()}
        keys = [k for (k,) in con.execute("SELECT dedupe_key FROM complaints WHERE complaint_id LIKE '%*%'").fetchall()]
    finally:
        con.close()
    assert {"139****8173", "158****3549", "+86 135****6917", "441802********2831"} <= ids
    assert len(keys) == 4 and all(k.startswith("12345:p") for k in keys)  # identity kept as a salted hash
    # The salt: its own file, owner-only, never in the database.
    assert stat.S_IMODE(salt_file.stat().st_mode) == 0o600
    assert salt_file.read_text().strip() not in outputs["database"]

"""The complainant's phone or ID number is kept only as a salted hash, computed before masking."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from analytics.ingest.complainant import identifier_in

HEADERS = ["工单编号", "受理时间", "被投诉人", "标题", "诉求内容", "投诉人"]


def _export(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def test_identifier_forms_agree() -> None:
    assert identifier_in("张三 138-1234-5678") == identifier_in("本人电话：+86 １３８ １２３４ ５６７８，请回电")
    assert identifier_in("身份证440102199001011234") == "i440102199001011234"
    assert identifier_in("电话138123456789012") is None  # a long ticket-like digit run is not a phone
    assert identifier_in("无号码") is None


def test_same_phone_in_two_files_gives_one_hash_and_nothing_raw_is_stored(
    run_cli, tmp_path: Path, empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTSPOT_SALT_FILE", str(tmp_path / "salt" / "hotspot.salt"))
    a = _export(
        tmp_path / "12345.csv",
        [
            ["A1", "2024-04-01 09:00", "强身健身房", "预付卡不退", "会员卡不退款", "张三 13926048173"],
            ["A2", "2024-04-02 09:00", "某某超市", "过期食品", "买到过期牛奶", "李四"],
        ],
    )
    b = _export(
        tmp_path / "12315.csv",
        [
            ["B1", "2024-04-05 10:00", "强身健身房", "健身卡退费", "本人电话139 2604 8173，健身房关门", ""],
            ["B2", "2024-04-06 10:00", "某某超市", "价格欺诈", "身份证440102199001011234", "王五 13700001111"],
        ],
    )
    for path, source in ((a, "12345"), (b, "12315")):
        code, _, err = run_cli("import", path, "--db", empty_db, "--source", source, "--json")
        assert code == 0, err
    con = duckdb.connect(str(empty_db), read_only=True)
    try:
        hashes = dict(con.execute("SELECT complaint_id, complainant_hash FROM complaints").fetchall())
        text = " ".join(str(v) for row in con.execute("SELECT * FROM complaints").fetchall() for v in row)
    finally:
        con.close()
    assert hashes["A1"] == hashes["B1"] and len(hashes["A1"]) == 32
    assert hashes["A2"] is None  # no number: no identity, never a shared empty hash
    assert hashes["B2"] not in (None, hashes["A1"])  # the 投诉人 cell's phone is taken before the text's ID
    for raw in ("13926048173", "139 2604", "13700001111", "440102199001011234", "19900101"):
        assert raw not in text

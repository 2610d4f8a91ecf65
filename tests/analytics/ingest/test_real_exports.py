"""The two real message-board exports import whole, with no manual mapping."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from analytics.ingest import import_file
from analytics.store import connect

LABELLED = "real/messages_labelled_sample.xlsx"
REPLIES = "real/messages_with_replies.xlsx"


def _sheet_rows(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sheet1").to_python()


@pytest.fixture
def con(empty_db: Path) -> duckdb.DuckDBPyConnection:
    with connect(empty_db) as c:
        yield c


@pytest.mark.parametrize("name", [LABELLED, REPLIES])
def test_real_export_imports_whole(con: duckdb.DuckDBPyConnection, fixtures_dir: Path, name: str) -> None:
    path = fixtures_dir / name
    data_rows = len(_sheet_rows(path)) - 1
    (result,) = import_file(con, path)
    assert result.rows_read == data_rows
    assert result.quarantined == 0
    assert result.rows_read == result.imported + result.duplicates + result.quarantined
    stored = con.execute("SELECT count(*) FROM complaints").fetchall()[0][0]
    assert stored == result.imported
    assert set(result.mapping.values()) >= {"complaint_id", "received_at", "title", "content", "complainant"}
    # No unparsed dates: every received time parsed, and no date column fell back to extras.
    assert con.execute("SELECT count(*) FROM complaints WHERE received_at IS NULL").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM complaints WHERE extras::VARCHAR LIKE '%时间%'").fetchall()[0][0] == 0
    # Text cleaned: no leading/trailing newlines, tabs or full-width spaces.
    dirty = con.execute(
        "SELECT count(*) FROM complaints WHERE regexp_matches(content, '^[\\s\\x{3000}]|[\\s\\x{3000}]$')"
    ).fetchall()[0][0]
    assert dirty == 0


def test_labelled_sample_counts_its_repeated_id_as_duplicate(
    con: duckdb.DuckDBPyConnection, fixtures_dir: Path
) -> None:
    rows = _sheet_rows(fixtures_dir / LABELLED)[1:]
    distinct_ids = len({r[0] for r in rows})
    (result,) = import_file(con, fixtures_dir / LABELLED)
    assert result.imported == distinct_ids
    assert result.duplicates == len(rows) - distinct_ids
    # The 一级分类 labels that are not in the consumer taxonomy are kept in extras, not dropped.
    kept = con.execute("SELECT count(*) FROM complaints WHERE sector_inferred AND extras->>'一级分类' IS NOT NULL")
    assert kept.fetchall()[0][0] > 0


def test_reply_time_becomes_closed_at(con: duckdb.DuckDBPyConnection, fixtures_dir: Path) -> None:
    rows = _sheet_rows(fixtures_dir / REPLIES)
    header = rows[0]
    id_col, reply_col, received_col = header.index("留言编号"), header.index("答复时间"), header.index("留言时间")
    (result,) = import_file(con, fixtures_dir / REPLIES)
    assert result.mapping["答复时间"] == "closed_at"
    assert con.execute("SELECT count(*) FROM complaints WHERE closed_at IS NULL").fetchall()[0][0] == 0
    stored = dict(con.execute("SELECT complaint_id, closed_at FROM complaints").fetchall())
    received = dict(con.execute("SELECT complaint_id, received_at FROM complaints").fetchall())
    for row in rows[1:]:
        cid = str(int(row[id_col]))
        reply = row[reply_col]
        expected = reply if isinstance(reply, datetime) else _parse(reply)
        assert stored[cid] == expected
        got = row[received_col]
        assert received[cid] == (got if isinstance(got, datetime) else _parse(got))


def _parse(text: str) -> datetime:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise AssertionError(f"test cannot parse {text!r}")


def test_reimport_adds_nothing(con: duckdb.DuckDBPyConnection, fixtures_dir: Path) -> None:
    first = import_file(con, fixtures_dir / REPLIES)[0]
    again = import_file(con, fixtures_dir / REPLIES)[0]
    assert again.imported == 0
    assert again.duplicates == first.rows_read
    assert con.execute("SELECT count(*) FROM complaints").fetchall()[0][0] == first.imported


def test_cli_imports_both_with_json_summary(run_cli, fixtures_dir: Path, empty_db: Path) -> None:
    code, summary, _ = run_cli("import", fixtures_dir / LABELLED, fixtures_dir / REPLIES, "--db", empty_db, "--json")
    assert code == 0
    assert summary["rows_read"] == summary["imported"] + summary["duplicates"] + summary["quarantined"]
    assert summary["quarantined"] == 0
    assert len(summary["batch_ids"]) == 2
    for f in summary["files"]:
        assert f["rows_read"] == f["imported"] + f["duplicates"] + f["quarantined"]
        assert f["batch_id"] in summary["batch_ids"]


def test_inferred_sectors_match_the_profile_rule(con: duckdb.DuckDBPyConnection, fixtures_dir: Path) -> None:
    from analytics.ingest.normalise import infer_sector
    from analytics.profile import OTHER_SECTOR, load_profile

    profile = load_profile()
    import_file(con, fixtures_dir / REPLIES)  # no sector column: every sector is inferred
    rows = con.execute("SELECT title, content, sector, sector_inferred FROM complaints").fetchall()
    assert all(inferred for *_, inferred in rows)
    for title, content, sector, _ in rows:
        text = f"{title or ''} {content or ''}"
        assert sector == (infer_sector(profile, text) or OTHER_SECTOR)
    assert len({r[2] for r in rows}) > 5

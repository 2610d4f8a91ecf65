"""An analyst's split or join of matters is written to audit_log with the curation, in one transaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics import audit
from analytics.errors import UserError
from analytics.matters import curate, link
from analytics.store import connect
from analytics.store.migrations import migrate


def _complaints(con, n: int = 3) -> None:
    for i in range(1, n + 1):
        con.execute(
            "INSERT INTO complaints (id, complaint_id, source, received_at, kind, business, title, dedupe_key,"
            " batch_id) VALUES (?, ?, '12345', TIMESTAMP '2024-05-01 09:00' + INTERVAL (?) DAY, '投诉', '力健健身',"
            " '退卡', ?, 't')",
            [i, f"GD{i:04d}", i, f"k{i}"],
        )


def test_split_and_join_are_audited_and_survive_a_relink(tmp_path: Path) -> None:
    with connect(tmp_path / "a.duckdb") as con:
        _complaints(con)
        curate(con, "join", 1, 3, "web:ann")
        curate(con, "split", 2, None, "cli:bob")
        link(con)
        rows = audit.audit_log(con, action=None).sort_values("id").to_dict("records")
        curation = con.execute("SELECT actor, action, a, b FROM matter_curation ORDER BY at_time").fetchall()
        joined = con.execute("SELECT count(DISTINCT matter_id) FROM matter_links WHERE id IN (1, 3)").fetchone()[0]
    assert [(r["action"], r["actor"], r["target"]) for r in rows] == [
        ("matter_join", "web:ann", "GD0001、GD0003"),
        ("matter_split", "cli:bob", "GD0002"),
    ]
    assert json.loads(rows[0]["detail"]) == {"ids": [1, 3]} and json.loads(rows[1]["detail"]) == {"ids": [2]}
    assert curation == [("web:ann", "join", 1, 3), ("cli:bob", "split", 2, None)]
    assert joined == 1
    assert audit.ACTION_LABELS["matter_join"] == "合并事项" and audit.allowed("analyst", "matter_split")
    assert not audit.allowed("viewer", "matter_join")


def test_a_refused_correction_leaves_no_row(tmp_path: Path) -> None:
    with connect(tmp_path / "b.duckdb") as con:
        _complaints(con, 2)
        with pytest.raises(UserError) as err:
            curate(con, "join", 1, 99, "web:ann")
        assert "99" in err.value.zh
        with pytest.raises(UserError):
            curate(con, "join", 1, 1, "web:ann")
        with pytest.raises(UserError):
            curate(con, "merge", 1, 2, "web:ann")
        assert con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM matter_curation").fetchone()[0] == 0
        curate(con, "split", 1, None, "")  # nobody named: recorded as the process's user in both tables
        actors = con.execute("SELECT actor FROM audit_log UNION ALL SELECT actor FROM matter_curation").fetchall()
    assert {a for (a,) in actors} == {audit.actor_name(None)}


def test_upgrade_keeps_the_audit_rows_and_their_ids(tmp_path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        migrate(con, target=9)
        # Rows as the code of that schema wrote them (today's audit.record also writes stage_versions).
        old_row = "INSERT INTO audit_log (at_time, actor, action, target) VALUES (now()::TIMESTAMP, 'web:ann', $a, '1')"
        con.execute(old_row, {"a": "topic_pin"})
        with pytest.raises(duckdb.ConstraintException):
            con.execute(old_row, {"a": "matter_join"})  # not an action before migration 10
        migrate(con)
        _complaints(con, 2)
        curate(con, "join", 1, 2, "web:ann")
        rows = con.execute("SELECT id, action FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()
    # The old row keeps its id; new ones continue the sequence (the refused insert used up id 2).
    assert rows[0] == (1, "topic_pin") and rows[1][1] == "matter_join" and rows[1][0] > 1 and len(rows) == 2

"""The audit log: every engine write records who, what, when and counts, in its own transaction;
the command line records ``cli:<os user>``; roles decide who may do what."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from analytics import audit
from analytics.cli import main
from analytics.commands import audit as audit_command
from analytics.errors import UserError
from analytics.ingest import import_file, load_mapping_profile, rollback_batch, save_mapping_profile
from analytics.store import connect
from analytics.topics.curation import merge_topics, pin_topic, rename_topic

GBK = "import/12345_gbk.csv"


def _rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    frame = audit.audit_log(con)
    return frame.sort_values("id").to_dict("records")


def _two_topics(con: duckdb.DuckDBPyConnection) -> None:
    for topic_id in (1, 2):
        con.execute(
            "INSERT INTO topics VALUES ('r1', ?, 'issue', NULL, ?, ['词'], 10, [1])", [topic_id, f"自动{topic_id}"]
        )


def test_import_and_rollback_record_actor_and_counts(fixtures_dir: Path, empty_db: Path) -> None:
    with connect(empty_db) as con:
        (result,) = import_file(con, fixtures_dir / GBK, source="12345", actor="web:ann")
        import_file(con, fixtures_dir / GBK, source="12345", actor="web:ann", dry_run=True)  # writes nothing
        rollback_batch(con, result.batch_id, actor="web:boss")
        rows = _rows(con)
    assert [(r["actor"], r["action"], r["target"]) for r in rows] == [
        ("web:ann", "import", result.batch_id),
        ("web:boss", "rollback", result.batch_id),
    ]
    assert json.loads(rows[0]["counts"]) == {"rows_read": 10, "imported": 6, "duplicates": 1, "quarantined": 3}
    assert json.loads(rows[0]["detail"])["file"] == "12345_gbk.csv"
    assert json.loads(rows[1]["counts"]) == {"complaints_removed": 6, "quarantine_removed": 3}
    assert rows[0]["at_time"] <= rows[1]["at_time"]


def test_mapping_profile_records_what_it_replaced(empty_db: Path) -> None:
    with connect(empty_db) as con:
        save_mapping_profile(con, "12345", {"受理时间": "received_at"}, actor="web:ann")
        save_mapping_profile(con, "12345", {"受理时间": "closed_at", "办结时间": "received_at"}, actor="web:eve")
        rows = _rows(con)
        assert load_mapping_profile(con, "12345")["受理时间"] == "closed_at"
    swap = json.loads(rows[1]["detail"])
    assert rows[1]["actor"] == "web:eve" and rows[1]["target"] == "12345"
    assert swap["previous"] == {"受理时间": "received_at"}
    assert swap["mapping"] == {"受理时间": "closed_at", "办结时间": "received_at"}


def test_curation_writes_are_audited(empty_db: Path) -> None:
    with connect(empty_db) as con:
        _two_topics(con)
        rename_topic(con, 1, "预付卡跑路", actor="web:ann")
        merge_topics(con, 2, 1, actor="web:ann")
        pin_topic(con, 1, True, actor="web:ann")
        rows = _rows(con)
    assert [(r["action"], r["target"]) for r in rows] == [
        ("topic_rename", "1"),
        ("topic_merge", "2"),
        ("topic_pin", "1"),
    ]
    assert json.loads(rows[0]["detail"]) == {"label": "预付卡跑路"}
    assert json.loads(rows[1]["detail"]) == {"merged_into": 1}
    assert json.loads(rows[2]["detail"]) == {"pinned": True}


def test_a_failed_write_leaves_no_audit_row(empty_db: Path) -> None:
    with connect(empty_db) as con:
        _two_topics(con)
        with pytest.raises(UserError):
            rename_topic(con, 1, "长" * 41, actor="web:ann")
        with pytest.raises(UserError):
            merge_topics(con, 1, 1, actor="web:ann")
        assert audit.audit_log(con).empty


def test_write_without_an_actor_is_recorded_as_the_process_user(empty_db: Path) -> None:
    with connect(empty_db) as con:
        _two_topics(con)
        pin_topic(con, 1)
        (row,) = _rows(con)
    assert row["actor"] == f"python:{audit.os_user()}"


def test_database_refuses_unknown_action_and_empty_actor(empty_db: Path) -> None:
    with connect(empty_db) as con:
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO audit_log (at_time, actor, action) VALUES (now()::TIMESTAMP, 'x', 'drop_all')")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO audit_log (at_time, actor, action) VALUES (now()::TIMESTAMP, ' ', 'import')")


def test_cli_writes_are_recorded_as_the_os_user(fixtures_dir: Path, empty_db: Path, capsys) -> None:
    assert main(["import", str(fixtures_dir / GBK), "--db", str(empty_db), "--source", "12345", "--json"]) == 0
    batch = json.loads(capsys.readouterr().out)["batch_ids"][0]
    assert main(["rollback", batch, "--db", str(empty_db)]) == 0
    capsys.readouterr()
    assert main(["audit", "--db", str(empty_db), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(r["actor"], r["action"]) for r in shown] == [
        (f"cli:{audit.os_user()}", "rollback"),
        (f"cli:{audit.os_user()}", "import"),
    ]
    assert main(["audit", "--db", str(empty_db), "--action", "import"]) == 0
    text = capsys.readouterr().out
    assert "import" in text and "rollback" not in text


def test_cli_action_choices_match_the_engine() -> None:
    assert set(audit_command.ACTIONS) == set(audit.ACTION_ROLES)


def test_roles_are_ordered() -> None:
    assert audit.allowed("viewer", "import") is False
    assert audit.allowed("analyst", "import") and audit.allowed("analyst", "topic_merge")
    assert audit.allowed("analyst", "rollback") is False
    assert audit.allowed("admin", "rollback")
    assert audit.allowed(None, "import") is False and audit.allowed("root", "import") is False
    with pytest.raises(UserError) as err:
        audit.check("viewer", "mapping_profile")
    assert "保存映射方案" in err.value.zh and "分析员" in err.value.zh

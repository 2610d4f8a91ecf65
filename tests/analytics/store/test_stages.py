"""Stages: every table has one, and every write path gives its stages, and only those, a new version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from analytics.store import connect, stages
from analytics.store.migrations import migrate


def _changed(con: duckdb.DuckDBPyConnection, write: Callable[[], object]) -> set[str]:
    before = stages.versions(con)
    write()
    after = stages.versions(con)
    return {stage for stage in stages.STAGES if after[stage] != before[stage]}


def test_every_table_and_view_belongs_to_exactly_one_stage() -> None:
    con = duckdb.connect()
    migrate(con)
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    owned = [table for tables in stages.STAGES.values() for table in tables] + list(stages.BOOKKEEPING)
    assert len(owned) == len(set(owned)), "a table is in two stages"
    assert names == set(owned)


def test_migrating_gives_every_stage_a_version_and_a_reopen_keeps_them(tmp_path: Path) -> None:
    with connect(tmp_path / "a.duckdb") as con:
        first = stages.versions(con)
    assert all(first.values()) and len(set(first.values())) == len(first)
    with connect(tmp_path / "a.duckdb") as con:
        assert stages.versions(con) == first
    with connect(tmp_path / "b.duckdb") as con:  # another database never shares a version
        assert not set(stages.versions(con).values()) & set(first.values())


def test_reads_declares_known_stages_only() -> None:
    @stages.reads("complaints", "matters")
    def count(con: duckdb.DuckDBPyConnection) -> int:
        return 0

    assert stages.declared(count) == {"complaints", "matters"}
    assert stages.declared(len) is None
    with pytest.raises(ValueError, match="stages must be"):
        stages.reads("complaint")
    with pytest.raises(ValueError, match="stages must be"):
        stages.reads()


def test_a_failed_write_keeps_the_old_versions(tmp_path: Path) -> None:
    with connect(tmp_path / "a.duckdb") as con:
        before = stages.versions(con)
        with pytest.raises(duckdb.Error), stages.changing(con, "topics"):
            con.execute("INSERT INTO topic_curation (topic_id, updated_at) VALUES (1, now()::TIMESTAMP)")
            con.execute("INSERT INTO topic_curation (topic_id, updated_at) VALUES (1, now()::TIMESTAMP)")
        assert stages.versions(con) == before
        assert _changed(con, lambda: stages.bump(con, "topics", "audit")) == {"topics", "audit"}


def test_imports_rollbacks_and_mapping_profiles(fixtures_dir: Path, empty_db: Path) -> None:
    from analytics.ingest import import_file, rollback_batch, save_mapping_profile

    with connect(empty_db) as con:
        found: list = []
        assert _changed(con, lambda: found.extend(import_file(con, fixtures_dir / "import/12345_gbk.csv"))) == {
            "complaints",
            "audit",
        }
        assert _changed(con, lambda: import_file(con, fixtures_dir / "import/12345_gbk.csv", dry_run=True)) == set()
        assert _changed(con, lambda: rollback_batch(con, found[0].batch_id, actor="cli:ann")) == {
            "complaints",
            "topics",
            "audit",
        }
        assert _changed(con, lambda: save_mapping_profile(con, "12345", {"标题": "title"}, actor="cli:ann")) == {
            "mappings",
            "audit",
        }


def test_topic_runs_curation_and_matters(demo_db_copy: Path, fixtures_dir: Path) -> None:
    from analytics.ingest import import_file
    from analytics.matters import curate, link
    from analytics.topics import merge_topics, pin_topic, rename_topic
    from analytics.topics.engine import ensure_topics
    from analytics.topics.store import KEEP_RUNS, prune_runs

    with connect(demo_db_copy) as con:
        assert _changed(con, lambda: ensure_topics(con)) == set()  # the stored run is current: no write
        topic, other = (r[0] for r in con.execute("SELECT DISTINCT topic_id FROM topic_assignments LIMIT 2").fetchall())
        assert _changed(con, lambda: rename_topic(con, topic, "退卡难", actor="cli:ann")) == {"topics", "audit"}
        assert _changed(con, lambda: merge_topics(con, topic, other, actor="cli:ann")) == {"topics", "audit"}
        assert _changed(con, lambda: pin_topic(con, other, actor="cli:ann")) == {"topics", "audit"}
        ids = [r[0] for r in con.execute("SELECT id FROM complaints ORDER BY id LIMIT 2").fetchall()]
        assert _changed(con, lambda: curate(con, "join", ids[0], ids[1], "cli:ann")) == {"matters", "audit"}
        assert _changed(con, lambda: link(con)) == {"matters"}
        assert _changed(con, lambda: link(con)) == set()  # nothing new to link
        import_file(con, fixtures_dir / "import/12345_gbk.csv")
        assert _changed(con, lambda: ensure_topics(con)) == {"topics"}  # tokens and the run (new or extended)
        runs = con.execute("SELECT count(*) FROM topic_runs").fetchone()[0]
        con.execute("UPDATE topic_runs SET created_at = created_at - INTERVAL 1 DAY")  # as if older
        for i in range(KEEP_RUNS + 1 - runs):
            con.execute(
                "INSERT INTO topic_runs SELECT run_id || $i, created_at - INTERVAL 2 DAY, period_from, period_to,"
                " n_topics, n_complaints, tokenizer_version, data_fingerprint, params FROM topic_runs LIMIT 1",
                {"i": str(i)},
            )
        assert _changed(con, lambda: prune_runs(con)) == {"topics"}
        assert _changed(con, lambda: prune_runs(con)) == set()  # nothing left to prune

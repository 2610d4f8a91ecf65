"""Cached reads are keyed by the versions of the stages they read (analytics/store/stages.py): a topic
write leaves complaints-only results cached, an import makes them stale, curation makes topic reads
stale; the versions are read only when the database files changed; a read that declares nothing is
refused."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from analytics.filters import Filters
from analytics.queries import overview
from analytics.queries.explore import complaint_count
from analytics.store import stages
from analytics.topics import rename_topic, resolve_run, topics_in_period

ALL = Filters()


def _counted(read: Callable[..., Any], calls: list[str]) -> Callable[..., Any]:
    """``read`` as an engine function of its own (its own cache entries) that counts its runs."""

    def counted(con, *args: Any) -> Any:
        calls.append(read.__name__)
        return read(con, *args)

    counted.__module__, counted.__qualname__ = read.__module__, f"counted_{read.__qualname__}"
    return stages.reads(*sorted(stages.declared(read) or ()))(counted)


def test_a_write_makes_stale_only_the_reads_of_its_stages(
    demo_db: Path, fixtures_dir: Path, tmp_path: Path, use_db
) -> None:
    from analytics.charts.overview import county_counts
    from analytics.ingest import import_file
    from analytics.topics.engine import ensure_topics
    from ui import cache

    db = use_db(tmp_path / "app.duckdb")
    shutil.copy(demo_db, db)
    calls: list[str] = []
    kpis = _counted(overview.kpis, calls)  # complaints, matters
    listed = _counted(topics_in_period, calls)  # complaints, topics, matters
    run_id = cache.frame(resolve_run)

    def both() -> None:
        cache.frame(kpis, ALL)
        cache.frame(listed, run_id, ALL)

    both()
    both()
    assert calls == ["kpis", "topics_in_period"]  # cached
    chart = cache.figure(county_counts, cache.read(overview.county_counts, ALL))
    topic = int(cache.frame(listed, run_id, ALL)["topic_id"].iloc[0])
    with cache.writing() as cur:
        rename_topic(cur, topic, "退卡难", actor="web:ann")  # curation: topics and audit
    both()
    assert calls[2:] == ["topics_in_period"]  # the KPIs stay cached, the topic list is read again
    assert cache.figure(county_counts, cache.read(overview.county_counts, ALL)) is chart  # so do charts
    with cache.writing() as cur:
        import_file(cur, fixtures_dir / "import/12345_gbk.csv", actor="web:ann")  # complaints and audit
    both()
    assert calls[3:] == ["kpis", "topics_in_period"]
    assert cache.figure(county_counts, cache.read(overview.county_counts, ALL)) is not chart
    with cache.writing() as cur:
        assert ensure_topics(cur) != run_id  # a topic run over the new complaints
    cache.frame(kpis, ALL)
    assert calls[5:] == []  # a topic run evicts no complaints-only read
    cache.shared().close()


def test_versions_are_read_only_when_the_files_changed_and_never_wait_while_cached(
    demo_db: Path, tmp_path: Path, use_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analytics.store import open_database
    from analytics.store.locking import DatabaseLock
    from ui import cache

    db = use_db(tmp_path / "app.duckdb")
    shutil.copy(demo_db, db)
    asked: list[int] = []
    read_versions = stages.versions

    def counted(con) -> dict[str, str]:
        asked.append(1)
        return read_versions(con)

    monkeypatch.setattr(stages, "versions", counted)
    first = cache.frame(overview.kpis, ALL)
    count = cache.frame(complaint_count, ALL)
    for _ in range(5):
        cache.frame(overview.kpis, ALL)
        cache.frame(overview.county_counts, ALL)
    assert len(asked) == 1
    cache.shared().close()
    # Another process holds the database (a command-line import): cached results still answer at once.
    monkeypatch.setenv("HOTSPOT_LOCK_TIMEOUT", "0.3")
    writer = DatabaseLock(db, shared=False)
    writer.acquire(1)
    try:
        assert cache.frame(overview.kpis, ALL).equals(first)
    finally:
        writer.release()
    with open_database(db, write=True) as con, stages.changing(con, "complaints"):  # as another process writes
        con.execute("DELETE FROM complaints WHERE id IN (SELECT id FROM complaints LIMIT 5)")
    assert cache.frame(complaint_count, ALL) == count - 5
    assert len(asked) == 2
    cache.shared().close()


def test_a_read_that_declares_no_stages_is_refused(ui_db: Path, use_db) -> None:
    from analytics.charts.overview import county_counts
    from analytics.ingest.batches import load_mapping_profile
    from ui import cache

    use_db(ui_db)
    with pytest.raises(ValueError, match="declares the stages it reads"):
        cache.frame(load_mapping_profile, "12345")
    with pytest.raises(ValueError, match="declares the stages it reads"):
        cache.figure(county_counts, cache.read(load_mapping_profile, "12345"))

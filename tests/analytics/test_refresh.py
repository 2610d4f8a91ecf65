"""The background topic job: computed in turns with the app, progress in a file, refits versioned."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from analytics import refresh
from analytics.demo import build_demo
from analytics.store import connect
from analytics.topics.runs import resolve_run, run_info


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("refresh") / "demo.duckdb"
    build_demo(path, rows=3_000, seed=3)  # no topics: the job computes them
    return path


def test_refresh_computes_a_versioned_run_and_reports_it(small_demo: Path) -> None:
    assert refresh.progress(small_demo) is None
    with connect(small_demo, read_only=True) as con:
        assert resolve_run(con) is None
    first = refresh.refresh_topics(small_demo)
    job = refresh.progress(small_demo)
    assert job is not None and job.state == "done" and not job.active
    assert "第 1 版" in job.describe()
    assert refresh.refresh_topics(small_demo) == first  # current: reused, no new version
    refit = refresh.refresh_topics(small_demo, n_topics=6)  # other params: a refit, the next version
    with connect(small_demo, read_only=True) as con:
        assert resolve_run(con) == refit != first
        assert run_info(con, refit).version == 2
        assert con.execute("SELECT n_topics FROM topic_runs WHERE run_id = ?", [refit]).fetchall()[0][0] == 6
    assert refresh.refresh_topics(small_demo) == refit  # keeps the K an analyst chose
    back = refresh.refresh_topics(small_demo, keep=False)  # automatic K again: another refit
    with connect(small_demo, read_only=True) as con:
        assert run_info(con, back).version == 3


def test_after_change_starts_the_topics_command_in_the_background(
    small_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTSPOT_BACKGROUND_TOPICS", "0")
    assert refresh.after_change(small_demo) is False
    monkeypatch.setenv("HOTSPOT_BACKGROUND_TOPICS", "1")
    with connect(small_demo) as con:  # a new complaint: the stored run is stale
        con.execute(
            """INSERT INTO complaints
                   (id, complaint_id, source, received_at, kind, title, content, dedupe_key, batch_id)
               SELECT max(id) + 1, 'X1', 'demo', max(received_at), '投诉', '预付卡退费难', '健身房关门不退预付卡余额',
                      'x1', 'demo' FROM complaints"""
        )
    assert refresh.after_change(small_demo) is True
    assert refresh.progress(small_demo).active
    deadline = time.monotonic() + 240
    while (job := refresh.progress(small_demo)).active and time.monotonic() < deadline:
        time.sleep(0.5)
    assert job.state == "done", job
    with connect(small_demo, read_only=True) as con:
        run_id = resolve_run(con)
        n = con.execute("SELECT count(*) FROM complaints").fetchall()[0][0]
        assert run_info(con, run_id).n_complaints == n
        assert run_info(con, run_id).version == 3  # one new complaint: assigned to the run, no refit


def test_a_handful_of_complaints_gives_a_run_without_topics(tmp_path: Path) -> None:
    """Two complaints share no word often enough for a vocabulary: a run with no topics, not a failure."""
    from analytics.cli import main

    exported = tmp_path / "new.csv"
    exported.write_text(
        "工单编号,受理时间,诉求标题,诉求内容\n"
        "T1,2025-06-01 10:00,健身房跑路,办了年卡的健身房突然关门不退费\n"
        "T2,2025-06-02 11:00,预付卡退费难,美容店预付卡余额无法退还\n",
        encoding="utf-8",
    )
    db = tmp_path / "few.duckdb"
    assert main(["import", str(exported), "--db", str(db), "--source", "12345"]) == 0
    run_id = refresh.refresh_topics(db)
    assert refresh.progress(db).state == "done"
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT n_topics, n_complaints FROM topic_runs WHERE run_id = ?", [run_id]).fetchall() == [
            (0, 2)
        ]

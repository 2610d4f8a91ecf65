"""话题 and 热点 read the stored topic run: they say which version it is, show the background job's
progress while it runs, and without a run say so instead of fitting one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import refresh
from analytics.store import connect
from analytics.topics.runs import NO_TOPICS_ZH

ROOT = Path(__file__).resolve().parents[2]


def _texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in at.get(kind)]


def test_the_page_names_the_runs_version_and_a_running_job(app, app_db: Path) -> None:
    at = app("pages/topics.py").run()
    assert not at.exception
    assert any("话题模型已于" in c and "第 1 版" in c for c in _texts(at, "caption"))
    refresh.note(app_db, "running", "拟合话题模型并识别事件（60 件投诉）", pid=os.getpid())
    try:
        at = app("pages/hotspots.py").run()
        assert not at.exception
        assert any("正在后台计算" in i and "拟合话题模型" in i for i in _texts(at, "info"))
        assert at.dataframe  # meanwhile the stored results are shown
    finally:
        Path(f"{app_db}.refresh.json").unlink()


def test_without_a_run_the_page_says_so_and_fits_nothing(demo_db_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with connect(demo_db_copy) as con:
        for table in ("topic_assignments", "topics", "topic_models", "topic_runs"):
            con.execute(f"DELETE FROM {table}")
    monkeypatch.setenv("HOTSPOT_DB", str(demo_db_copy))
    monkeypatch.chdir(ROOT)
    for page in ("pages/topics.py", "pages/hotspots.py"):
        at = AppTest.from_file(str(ROOT / page), default_timeout=300).run()
        assert not at.exception
        assert NO_TOPICS_ZH in _texts(at, "info")
    with connect(demo_db_copy) as con:  # the app's configuration: its connection may still be open
        assert con.execute("SELECT count(*) FROM topic_runs").fetchall()[0][0] == 0
    assert refresh.progress(demo_db_copy) is None  # HOTSPOT_BACKGROUND_TOPICS=0 in tests: no job

"""数据导入 page: runs with nothing uploaded; with files (put where the uploader puts them) it shows
the mapping, imports, reports counts that add up, and lists the batch; rollback removes it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.store import connect
from tests.pages.conftest import ROOT, TIMEOUT

PAGE = "pages/import_data.py"


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "import.duckdb"
    connect(db).close()
    monkeypatch.setenv("HOTSPOT_DB", str(db))
    monkeypatch.chdir(ROOT)
    if str(ROOT) not in sys.path:
        monkeypatch.syspath_prepend(str(ROOT))

    def make() -> AppTest:
        return AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)

    return make, db


def _count(db: Path, sql: str) -> int:
    from ui import cache

    # The page's own (cached, per-path) connection: DuckDB allows one configuration per open file.
    cur = cache.cursor()
    try:
        return cur.execute(sql).fetchall()[0][0]
    finally:
        cur.close()


def test_runs_without_upload(page) -> None:
    make, _ = page
    at = make().run()
    assert not at.exception
    assert at.title[0].value == "数据导入"
    assert any("还没有导入过文件" in i.value for i in at.info)


def test_import_flow_and_rollback(page, fixtures_dir: Path) -> None:
    make, db = page
    at = make()
    at.session_state["import_files"] = {
        "12345_gbk.csv": (fixtures_dir / "import/12345_gbk.csv").read_bytes(),
        "坏文件.xlsx": b"\x00garbage" * 100,
    }
    at.run()
    assert not at.exception
    # The mapping editor shows the automatic mapping; the bad file gets a Chinese message.
    assert any("不是有效的 Excel 文件" in e.value for e in at.error)
    # Preview cells are masked like everything else.
    preview = at.dataframe[0].value
    assert not preview.astype(str).apply(lambda c: c.str.contains("13812345678")).any().any()
    at.selectbox(key="import_source").set_value("12345")
    at.button(key="import_go").click().run()
    assert not at.exception
    metrics = {m.label: int(m.value.replace(",", "")) for m in at.metric}
    assert metrics["读取行数"] == metrics["新导入"] + metrics["重复（未重复导入）"] + metrics["隔离（未导入）"]
    assert (metrics["新导入"], metrics["隔离（未导入）"]) == (6, 3)
    assert _count(db, "SELECT count(*) FROM complaints") == 6
    assert any(b.label == "下载隔离行（CSV）" for b in at.get("download_button"))
    # Roll the batch back through the page.
    at.checkbox(key="import_rollback_sure").check().run()
    at.button(key="import_rollback_go").click().run()
    assert not at.exception
    assert _count(db, "SELECT count(*) FROM complaints") == 0
    assert any("已撤销批次" in s.value for s in at.success)

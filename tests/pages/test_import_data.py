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
    with cache.cursor() as cur:
        return cur.execute(sql).fetchall()[0][0]


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


def test_dry_run_reports_without_writing(page, fixtures_dir: Path) -> None:
    make, db = page
    at = make()
    at.session_state["import_files"] = {"12345_gbk.csv": (fixtures_dir / "import/12345_gbk.csv").read_bytes()}
    at.run()
    at.button(key="import_dry_run").click().run()
    assert not at.exception
    assert any(h.value == "试导入结果（未写入数据库）" for h in at.subheader)
    metrics = {m.label: int(m.value.replace(",", "")) for m in at.metric}
    assert (metrics["将导入"], metrics["隔离（未导入）"]) == (6, 3)  # what the real import does
    assert _count(db, "SELECT count(*) FROM complaints") == 0
    assert _count(db, "SELECT count(*) FROM batches") == 0
    assert _count(db, "SELECT count(*) FROM quarantine") == 0
    would = next(d.value for d in at.dataframe if "row_number" in d.value.columns)
    assert len(would) == 3 and would["reason"].str.len().gt(0).all()
    assert any("隔离原因" in m.value for m in at.markdown)
    assert any(b.label == "下载将被隔离的行（CSV）" for b in at.get("download_button"))


def test_a_dry_run_of_only_bad_files_still_says_it_was_a_dry_run(page) -> None:
    make, _ = page
    at = make()
    at.session_state["import_files"] = {"只有表头.csv": "受理时间,标题,内容\n".encode()}
    at.run()
    at.button(key="import_dry_run").click().run()
    assert not at.exception
    assert any(h.value == "试导入结果（未写入数据库）" for h in at.subheader)
    assert any("无法导入" in e.value for e in at.error)


@pytest.mark.browser
def test_import_through_the_browser(fixtures_dir: Path, tmp_path: Path) -> None:
    """The real app in headless Chromium: upload the GBK 12345 export and a garbage file, import."""
    from benchmarks.served_app import CHROMIUM, CHROMIUM_ARGS, serve
    from tests.browser import test_browser as tb

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (run `make browser-deps`)")
    from playwright.sync_api import sync_playwright

    # tests/browser's server fixture serves the demo; this test serves an empty database of its own.
    db = tmp_path / "browser.duckdb"
    connect(db).close()
    garbage = tmp_path / "乱码.xlsx"
    garbage.write_bytes(bytes(range(256)) * 40)
    with serve("dashboard.py", {"HOTSPOT_DB": str(db)}, tmp_path / "streamlit.log") as served, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(locale="zh-CN")
        page.goto(served.url + "/import_data", timeout=tb.PAGE_TIMEOUT)
        tb._settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            [str(fixtures_dir / "import/12345_gbk.csv"), str(garbage)]
        )
        page.get_by_text("不是有效的 Excel 文件").first.wait_for(timeout=tb.PAGE_TIMEOUT)
        page.get_by_role("button", name="开始导入").click()
        page.get_by_text("校验报告").wait_for(timeout=tb.PAGE_TIMEOUT)
        tb._settle(page)
        tb._assert_no_exception(page, "数据导入")
        metrics = page.locator('[data-testid="stMetric"]')
        values = {
            metrics.nth(i).locator('[data-testid="stMetricLabel"]').inner_text().strip(): int(
                metrics.nth(i).locator('[data-testid="stMetricValue"]').inner_text().replace(",", "")
            )
            for i in range(metrics.count())
        }
        assert values["读取行数"] == 10 and values["新导入"] == 6
        assert values["重复（未重复导入）"] == 1 and values["隔离（未导入）"] == 3
        # The garbage file was refused at preview, with its reason, and never imported.
        assert page.get_by_text("不是有效的 Excel 文件").count() >= 1
        browser.close()
    with connect(db) as con:
        assert con.execute("SELECT count(*) FROM complaints").fetchall()[0][0] == 6
        assert con.execute("SELECT count(*) FROM batches").fetchall()[0][0] == 1  # the garbage left nothing

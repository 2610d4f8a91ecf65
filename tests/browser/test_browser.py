"""The real app in a real browser: ``streamlit run dashboard.py`` on a free local port over a copy of
the demo database, driven by Playwright in Debian's headless Chromium (``make browser-deps``
installs it; Playwright's own browser download is never used). Every page opens without an
exception box, and the hotspot shortlist downloads from the 导出 page and opens in openpyxl.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from benchmarks.served_app import CHROMIUM, CHROMIUM_ARGS, ServerDidNotStart, serve

pytestmark = pytest.mark.browser

PAGE_TIMEOUT = 120_000  # ms for one page to finish running
BUILD_TIMEOUT = 900_000  # ms for the first export (computes topics and hotspots)


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (run `make browser-deps`)")
    workdir = tmp_path_factory.mktemp("browser")
    db = workdir / "demo.duckdb"
    shutil.copy(demo_db, db)
    try:
        with serve("dashboard.py", {"HOTSPOT_DB": str(db)}, workdir / "streamlit.log") as served:
            yield served.url
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser(server: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _settle(page) -> None:
    """Wait until the script run is over: the app is drawn and the 'running' indicator is gone."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=PAGE_TIMEOUT)
    page.wait_for_function(
        """() => {
            const s = document.querySelector('[data-testid="stStatusWidget"]');
            return !s || !/Running|Stop|运行/.test(s.innerText);
        }""",
        timeout=PAGE_TIMEOUT,
    )
    page.wait_for_timeout(500)


def _assert_no_exception(page, where: str) -> None:
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        pytest.fail(f"exception on {where}: {boxes.first.inner_text()[:2000]}")


def test_every_page_opens_without_exception(server: str, browser) -> None:
    page = browser.new_page(locale="zh-CN")
    page.goto(server, timeout=PAGE_TIMEOUT)
    _settle(page)
    # Until the router's first run ends, Streamlit shows its file-name navigation; wait for ours.
    page.wait_for_selector('[data-testid="stSidebarNav"] a:has-text("导出")', timeout=PAGE_TIMEOUT)
    links = page.locator('[data-testid="stSidebarNav"] a')
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    names = [links.nth(i).inner_text().strip() for i in range(links.count())]
    assert len(hrefs) >= 10, names
    for expected in ("总览", "分布", "热点", "时效", "导出"):
        assert any(expected in n for n in names), (expected, names)
    for href, name in zip(hrefs, names, strict=True):
        page.goto(href if href.startswith("http") else server + "/" + href.lstrip("/"), timeout=PAGE_TIMEOUT)
        _settle(page)
        _assert_no_exception(page, f"{name} ({href})")
        assert page.locator("h1").count() >= 1, f"{name} drew no title"
    page.close()


def test_shortlist_downloads_from_export_page(server: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(locale="zh-CN", accept_downloads=True)
    page.goto(server + "/export", timeout=PAGE_TIMEOUT)
    _settle(page)
    _assert_no_exception(page, "导出")
    page.get_by_role("button", name="生成热点问题表", exact=True).click()
    download_button = page.get_by_role("button", name="下载热点问题表", exact=True)
    download_button.wait_for(timeout=BUILD_TIMEOUT)
    _assert_no_exception(page, "导出 after building")
    with page.expect_download(timeout=PAGE_TIMEOUT) as info:
        download_button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".xlsx"
    wb = load_workbook(target)
    assert wb.sheetnames[:2] == ["演示数据-热点问题表", "演示数据-热点问题明细表"]  # the demo database
    assert wb["演示数据-热点问题表"].max_row >= 2  # at least one hotspot
    page.close()

"""What the browser replay of issue 12 found on the pages (helper D, screenshots under /tmp/d/):
a download without the 演示数据 mark, None and English where the analyst reads Chinese, counts
without thousands separators, a control missing from the link."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from analytics.demo import EVENTS
from tests.pages.test_pages_smoke import _framed


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """File name -> the bytes a download button hands the browser, for the runs of this test."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    out: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def record(self, data: bytes, mimetype: str, kind, filename: str | None = None) -> str:
        out[filename or ""] = data
        return keep(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return out


def test_explore_download_of_demo_rows_says_demo(app, served: dict[str, bytes]) -> None:
    """探索's 下载本页投诉（CSV） was the one download of demo rows with no 演示 in it."""
    app("pages/explore.py")
    at = _framed("pages/explore.py").run()
    assert not at.exception
    content = next(data for name, data in served.items() if name.startswith("投诉明细_"))
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows and all(r["数据性质：演示数据"] == "演示数据" for r in rows)


def test_alert_list_shows_a_dash_where_a_number_is_missing(app) -> None:
    """A new topic's alert has no upper bound: the list printed None there (screenshot 2024-07-20)."""
    at = app("pages/alerts.py")
    at.query_params["al_as_of"] = (EVENTS[0].start + timedelta(days=3)).isoformat()
    at.run()
    assert not at.exception
    listed = at.dataframe[0]
    assert listed.value["upper"].isna().any()  # the burst's new topic
    assert listed.proto.placeholder == "—"


def test_uploader_speaks_chinese(app) -> None:
    """Streamlit's uploader says Upload and '200MB per file • CSV, …'; the page's CSS replaces both."""
    at = app("pages/import_data.py").run()
    assert not at.exception
    css = " ".join(h.proto.body for h in at.get("html"))
    assert 'content: "选择文件"' in css and "stFileUploaderDropzoneInstructions" in css
    assert "每个文件不超过 200MB" in css and "XLSX" in css  # the server's limit and the accepted types
    batches = at.dataframe[-1]
    assert batches.proto.placeholder == "—"  # the demo's batch has no sheet
    assert json.loads(batches.proto.columns)["读取"]["type_config"]["format"] == "localized"  # 60,000, not 60000


@pytest.mark.parametrize(
    ("page", "query", "columns"),
    [
        ("pages/distribution.py", {}, ["complaints", "matters"]),
        ("pages/timeliness.py", {}, ["due", "closed_on_time", "closed_late", "open_overdue", "pending"]),
    ],
)
def test_counts_have_thousands_separators(app, page: str, query: dict, columns: list[str]) -> None:
    """分布's sector table printed 1724 and 时效's county table 4207 (no separator)."""
    at = app(page)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    tables = [t for t in at.dataframe if set(columns) <= set(t.value.columns)]
    assert tables
    config = json.loads(tables[-1].proto.columns)
    assert all(config[c]["type_config"]["format"] == "localized" for c in columns), config


def test_export_period_and_drill_picks_come_from_the_link(app) -> None:
    """A copied link of 导出, 热点's chosen hotspot, 话题's drilled topic and 经营者's thresholds
    reopens them (the link did not carry them)."""
    at = app("pages/export.py")
    at.query_params["export_period"] = "2024-双十一"
    at.run()
    assert not at.exception
    assert at.selectbox(key="export_period").value == "2024-双十一"
    at.selectbox(key="export_period").set_value("2024Q3").run()
    assert at.query_params["export_period"] in ("2024Q3", ["2024Q3"])

    for page, key in (("pages/hotspots.py", "hot_pick"), ("pages/topics.py", "topic_drill")):
        at = app(page).run()
        assert not at.exception
        offered = list(at.selectbox(key=key).format_func.__self__)  # the ids behind the labels (dict.get)
        picked = offered[1]
        at.selectbox(key=key).set_value(picked).run()  # the analyst picks the second
        assert at.query_params[key] in (str(picked), [str(picked)])
        again = app(page)
        again.query_params[key] = str(picked)  # the copied link, in a new session
        again.run()
        assert not again.exception
        assert again.selectbox(key=key).value == picked, (page, key)

    at = app("pages/businesses.py")
    at.query_params.update({"biz_tab": "屡被投诉", "biz_min_months": "5", "biz_quiet": "2"})
    at.run()
    assert not at.exception
    assert at.number_input(key="biz_min_months").value == 5 and at.number_input(key="biz_quiet").value == 2


def test_a_change_that_rounds_to_nothing_reads_zero(app) -> None:
    """热点's 同比 printed -0% (237 vs 239) and +0%: signs on a change that shows as nothing."""
    at = app("pages/hotspots.py").run()
    assert not at.exception
    shown = set(at.dataframe[0].value["change"])
    assert not shown & {"+0%", "-0%"}, sorted(shown)

"""Every script of the app runs in AppTest with default filters and no session state, without an
exception; the 总览 and 探索 pages show their key elements, and the filters change what they show."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.filters import Filters
from tests.pages.conftest import ROOT, TIMEOUT

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def _errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception]


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _total(at: AppTest) -> int:
    """The drill-down total the 探索 page states (“共 N 件”)."""
    return next(int(m.group(1).replace(",", "")) for c in at.caption if (m := re.search(r"共 ([0-9,]+) 件", c.value)))


def _count(value: str) -> int:
    return int(re.sub(r"[^0-9]", "", value))


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_its_own(app, page: str) -> None:
    at = app(page).run()
    assert not _errors(at), _errors(at)
    assert len(at.main.children) > 0, f"{page} rendered nothing"


def test_dashboard_renders_frame_and_default_page(app) -> None:
    listed = re.findall(r'st\.Page\("([^"]+)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))
    missing = [p for p in listed if not (ROOT / p).exists()]
    if missing:
        pytest.skip(f"dashboard.py lists pages not written yet: {', '.join(missing)}")
    at = app("dashboard.py").run()
    assert not _errors(at), _errors(at)
    # The frame: the demo label, the presentation switch and the filter bar in the sidebar.
    assert any("演示数据" in m.value for m in at.sidebar.markdown)
    assert [t.label for t in at.sidebar.toggle] == ["投屏模式"]
    assert {w.label for w in at.sidebar.multiselect} == {"区县", "行业", "类型", "渠道"}
    assert at.sidebar.date_input[0].value is not None
    # The default page is 总览 with its KPI cards; the view is in the URL.
    assert [m.label for m in at.metric] == ["期内投诉量", "期内事项数", "同比变化", "办结率"]
    assert 0 < _count(_metric(at, "期内事项数")) <= _count(_metric(at, "期内投诉量"))
    assert at.query_params["from"] and at.query_params["to"]
    # A filter set on one page changes it, and holds on the next page (the frame runs on every rerun).
    before = _count(_metric(at, "期内投诉量"))
    at.sidebar.multiselect(key="flt_counties").set_value(["连州市"]).run()
    assert not _errors(at), _errors(at)
    assert 0 < _count(_metric(at, "期内投诉量")) < before
    at.switch_page("pages/explore.py").run()
    assert not _errors(at), _errors(at)
    assert at.sidebar.multiselect(key="flt_counties").value == ["连州市"]
    assert any("区县：连州市" in c.value for c in at.caption)


def test_overview_key_elements(app) -> None:
    at = app("pages/overview.py").run()
    assert not _errors(at)
    assert [m.label for m in at.metric] == ["期内投诉量", "期内事项数", "同比变化", "办结率"]
    assert _count(_metric(at, "期内投诉量")) > 0
    assert len(at.get("plotly_chart")) == 3  # trend by channel, top sectors, counties


def test_explore_key_elements(app) -> None:
    at = app("pages/explore.py").run()
    assert not _errors(at)
    assert len(at.get("plotly_chart")) == 2  # trend, breakdown
    assert len(at.dataframe) == 1
    assert len(at.dataframe[0].value) == 50  # one page of the drill-down
    assert re.search(r"共 [\d,]+ 件（[\d,]+ 个事项）", at.caption[0].value)  # the total in 件次 and 事项


def test_url_filters_change_the_overview(app) -> None:
    everything = app("pages/overview.py").run()
    one_county = app("pages/overview.py")
    one_county.query_params["counties"] = "连州市"
    one_county.run()
    assert not _errors(one_county)
    total, part = _count(_metric(everything, "期内投诉量")), _count(_metric(one_county, "期内投诉量"))
    assert 0 < part < total


def test_url_period_and_keyword_change_the_drilldown(app) -> None:
    at = app("pages/explore.py")
    march = Filters(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31))
    word = _a_title_word(march)
    at.query_params.update({"from": "2024-03-01", "to": "2024-03-31", "q": word})
    at.run()
    assert not _errors(at)
    rows = at.dataframe[0].value
    assert rows["received_at"].min().date().isoformat() >= "2024-03-01"
    assert rows["received_at"].max().date().isoformat() <= "2024-03-31"
    caption = " ".join(c.value for c in at.caption).replace("\\", "")  # as rendered: the period is escaped text
    assert "2024-03-01 至 2024-03-31" in caption and f"关键词：{word}" in caption
    march_only = app("pages/explore.py")
    march_only.query_params.update({"from": "2024-03-01", "to": "2024-03-31"})
    march_only.run()
    assert 0 < _total(at) < _total(march_only)


def test_drilldown_pagination(app) -> None:
    at = app("pages/explore.py").run()
    first = at.dataframe[0].value["complaint_id"].tolist()
    at.number_input(key="explore_page").set_value(2).run()
    assert not _errors(at)
    second = at.dataframe[0].value["complaint_id"].tolist()
    assert len(second) == 50 and not set(first) & set(second)


def _frame_and_page(page: str) -> None:
    """The dashboard's frame followed by one page, re-run as a whole on every AppTest run."""
    import runpy

    from ui.frame import render_frame

    render_frame()
    runpy.run_path(page, run_name="__page__")


def _framed(page: str) -> AppTest:
    return AppTest.from_function(_frame_and_page, args=(str(ROOT / page),), default_timeout=TIMEOUT)


def _a_title_word(filters) -> str:
    """The most common title among the filtered complaints (as a keyword it selects at least itself)."""
    from ui import cache

    where, params = filters.where()
    with cache.cursor() as cur:  # the app's own connection to HOTSPOT_DB
        title = cur.execute(
            f"SELECT title FROM complaints WHERE {where} AND title IS NOT NULL GROUP BY title ORDER BY count(*) DESC",
            params,
        ).fetchone()[0]
    return title


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_inside_the_frame(app, page: str) -> None:
    """As in the app: the frame (sidebar, filter bar) first, then the page, in one script run."""
    app(page)  # sets HOTSPOT_DB and the working directory
    at = _framed(page).run()
    assert not _errors(at), _errors(at)
    assert {w.label for w in at.sidebar.multiselect} >= {"区县", "行业", "类型", "渠道"}


def test_filter_widgets_change_what_is_shown(app) -> None:
    app("pages/overview.py")  # sets HOTSPOT_DB and the working directory
    at = _framed("pages/overview.py").run()
    assert not _errors(at), _errors(at)
    before = _count(_metric(at, "期内投诉量"))
    at.sidebar.multiselect(key="flt_counties").set_value(["清城区"]).run()
    assert not _errors(at)
    after = _count(_metric(at, "期内投诉量"))
    assert 0 < after < before
    assert at.query_params["counties"] == ["清城区"] or at.query_params["counties"] == "清城区"
    # A word from a title of that selection narrows it further.
    word = _a_title_word(at.session_state["filters"])
    at.sidebar.text_input(key="flt_keyword").input(word).run()
    narrower = _count(_metric(at, "期内投诉量"))
    assert 0 < narrower < after
    at.sidebar.button[0].click().run()  # 重置筛选
    assert _count(_metric(at, "期内投诉量")) == before


def test_presentation_mode_hides_controls(app) -> None:
    app("pages/explore.py")
    at = _framed("pages/explore.py").run()
    assert not at.get("html")
    at.sidebar.toggle[0].set_value(True).run()
    assert not _errors(at)
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert "st-key-controls-" in styles and "font-size" in styles
    assert at.query_params["present"] in ("1", ["1"])
    # Hidden by CSS only: the widgets are still there and keep their values.
    assert at.selectbox(key="explore_page_size").value == 50


def test_database_path_problem_is_shown_in_chinese(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "not-a-db.duckdb"
    bad.write_text("这不是数据库", encoding="utf-8")
    monkeypatch.setenv("HOTSPOT_DB", str(bad))
    at = _framed("pages/overview.py").run()
    assert not _errors(at)
    assert any("数据库文件已损坏或不是 DuckDB 文件" in e.value for e in at.error)
    assert bad.read_text(encoding="utf-8") == "这不是数据库"  # left as it was
